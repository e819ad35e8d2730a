import nock from 'nock';

import workflowJson from '../workflows/create-and-comment-rebilly.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters } from '../harness/workflows';

const REBILLY = 'https://api-sandbox.rebilly.com';
const ORG = '/organizations/test-org';
const credentials = { rebillyApi: { environment: 'sandbox', organizationId: 'test-org', apiKey: 'sk_test_secret_1' } };
const workflow = workflowJson as unknown as WorkflowJson;
const input = [{ returnId: 'RET-7', customerId: 'cus_A', quantity: 1, invoiceId: 'in_A', invoiceItemId: 'ii_A' }];

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

function createdMemo() {
	nock(REBILLY)
		.get(`${ORG}/credit-memos/cm-RET-7`)
		.reply(404, { title: 'Not Found', status: 404 })
		.put(`${ORG}/credit-memos/cm-RET-7`)
		.reply(201, { id: 'cm-RET-7', customerId: 'cus_A', currency: 'USD', totalAmount: 24.85, status: 'issued' });
}

describe('Add Memo Comment, Rebilly (engine + nock)', () => {
	it('posts a timeline message on the memo just created, using its ID by expression', async () => {
		createdMemo();
		const timeline = nock(REBILLY)
			.post(`${ORG}/credit-memos/cm-RET-7/timeline`, { message: 'Refund for return RET-7 approved' })
			.matchHeader('REB-APIKEY', 'sk_test_secret_1')
			.reply(201, { id: 'tmln_1', message: 'Refund for return RET-7 approved', triggeredBy: 'direct-api' });

		const result = await runWorkflow(workflow, { input, credentials });

		expect(result.error()).toBeUndefined();
		expect(timeline.isDone()).toBe(true);
		expect(result.output('Add Memo Comment')).toEqual([
			{
				json: {
					provider: 'rebilly',
					creditMemoId: 'cm-RET-7',
					comment: 'Refund for return RET-7 approved',
					target: 'creditMemo',
					raw: { id: 'tmln_1', message: 'Refund for return RET-7 approved', triggeredBy: 'direct-api' },
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('reports an unknown memo as a not-found node error', async () => {
		createdMemo();
		nock(REBILLY).post(`${ORG}/credit-memos/cm-RET-7/timeline`).reply(404, { title: 'Not Found', status: 404, detail: 'Credit memo not found' });

		const result = await runWorkflow(workflow, { input, credentials });

		expect(result.error()?.message).toBe('Rebilly: Credit memo not found');
		expect(result.error()?.context).toMatchObject({ httpStatus: 404, itemIndex: 0 });
		expect(result.error()?.description).toContain('Check the IDs');
	});

	it('Dry Run shows the timeline request and sends nothing', async () => {
		createdMemo();
		const dryRun = withNodeParameters(workflow, 'Add Memo Comment', { options: { dryRun: true } });

		const result = await runWorkflow(dryRun, { input, credentials });

		expect(result.output('Add Memo Comment')[0].json).toMatchObject({
			dryRun: true,
			request: { method: 'POST', url: `${REBILLY}${ORG}/credit-memos/cm-RET-7/timeline`, body: { message: 'Refund for return RET-7 approved' } },
		});
	});
});
