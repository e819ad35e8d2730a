import nock from 'nock';

import workflowJson from '../workflows/comment-salesforce.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { salesforceConnectedCredentials } from '../harness/salesforce';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const INSTANCE = 'https://acme.my.salesforce.com';
const API = '/services/data/v66.0';
const MEMO = '50gR000000000JNIAY';
const MEMO_PATH = `${API}/sobjects/CreditMemo/${MEMO}`;
const NODE = 'Add Memo Comment';
const workflow = workflowJson as unknown as WorkflowJson;
const credentials = salesforceConnectedCredentials(INSTANCE);

/** The memo as read for the comment, and the org's Description length (describe). */
function memoWithDescription(description: string | null, length = 255) {
	return nock(INSTANCE)
		.get(MEMO_PATH)
		.query({ fields: 'Id,Description' })
		.matchHeader('authorization', 'Bearer tok-secret-1')
		.reply(200, { attributes: { type: 'CreditMemo' }, Id: MEMO, Description: description })
		.get(`${API}/sobjects/CreditMemo/describe`)
		.reply(200, { name: 'CreditMemo', fields: [{ name: 'Id', length: 18 }, { name: 'Description', length, updateable: true }] });
}

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Add Memo Comment, Salesforce Order Management (engine + nock)', () => {
	it('appends the comment as a new line of the memo\'s Description', async () => {
		const read = memoWithDescription('Refund Reference: RET-1');
		const patch = nock(INSTANCE)
			.patch(MEMO_PATH, { Description: 'Refund Reference: RET-1\nCustomer called, refund approved' })
			.matchHeader('authorization', 'Bearer tok-secret-1')
			.reply(204);

		const result = await runWorkflow(workflow, { input: [{ creditMemoId: MEMO, comment: 'Customer called, refund approved' }], credentials });

		expect(result.error()).toBeUndefined();
		expect(read.isDone() && patch.isDone()).toBe(true);
		expect(result.output(NODE)).toEqual([
			{
				json: {
					provider: 'salesforce',
					creditMemoId: MEMO,
					comment: 'Customer called, refund approved',
					target: 'creditMemo',
					raw: { Id: MEMO, Description: 'Refund Reference: RET-1\nCustomer called, refund approved' },
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('replaces the Description, reading describe once for several items', async () => {
		const scope = nock(INSTANCE)
			.get(MEMO_PATH)
			.query(true)
			.times(2)
			.reply(200, { Id: MEMO, Description: 'Old text' })
			.get(`${API}/sobjects/CreditMemo/describe`)
			.once()
			.reply(200, { fields: [{ name: 'Description', length: 255 }] })
			.patch(MEMO_PATH, { Description: 'First' })
			.reply(204)
			.patch(MEMO_PATH, { Description: 'Second' })
			.reply(204);

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { descriptionMode: 'replace' }), {
			input: [
				{ creditMemoId: MEMO, comment: 'First' },
				{ creditMemoId: '50gR000000000JN', comment: 'Second' },
			],
			credentials,
		});

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.output(NODE).map((item) => [item.json.raw, item.pairedItem])).toEqual([
			[{ Id: MEMO, Description: 'First' }, { item: 0 }],
			[{ Id: MEMO, Description: 'Second' }, { item: 1 }],
		]);
	});

	it('does not append the same comment twice in a row (a retried run)', async () => {
		memoWithDescription('Refund Reference: RET-1\nCustomer called');
		const patch = nock(INSTANCE).patch(MEMO_PATH, { Description: 'Refund Reference: RET-1\nCustomer called' }).reply(204);

		const result = await runWorkflow(workflow, { input: [{ creditMemoId: MEMO, comment: 'Customer called' }], credentials });

		expect(patch.isDone()).toBe(true);
		expect(result.output(NODE)[0].json.raw).toEqual({ Id: MEMO, Description: 'Refund Reference: RET-1\nCustomer called' });
	});

	it('refuses an Append that would make the Description longer than the field allows, writing nothing', async () => {
		const read = memoWithDescription('Refund Reference: RET-1', 40);

		const result = await runWorkflow(workflow, { input: [{ creditMemoId: MEMO, comment: 'Customer called twice' }], credentials });

		expect(read.isDone()).toBe(true);
		expect(result.error()?.message).toBe("Appending this comment would make the credit memo's Description 45 characters long; Salesforce allows 40. Nothing was written.");
		expect(result.error()?.description).toContain('Replace');
		expect(result.error()?.context).toMatchObject({ itemIndex: 0 });
	});

	it('reports an unknown memo as a not-found node error, before writing anything', async () => {
		nock(INSTANCE)
			.get(MEMO_PATH)
			.query(true)
			.reply(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }])
			.get(`${API}/sobjects/CreditMemo/describe`)
			.reply(200, { fields: [{ name: 'Description', length: 255 }] });

		const result = await runWorkflow(workflow, { input: [{ creditMemoId: MEMO, comment: 'Customer called' }], credentials });

		const error = result.error();
		expect(error?.message).toBe('Salesforce: The requested resource does not exist');
		expect(error?.context).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, itemIndex: 0 });
		expect(error?.description).toContain('Check the IDs');
	});

	it('under Continue On Fail reports a Salesforce refusal of the write and goes on', async () => {
		memoWithDescription(null);
		nock(INSTANCE)
			.patch(MEMO_PATH)
			.reply(400, [{ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights on object id' }])
			.get(MEMO_PATH)
			.query(true)
			.reply(200, { Id: MEMO, Description: null })
			.patch(MEMO_PATH, { Description: 'Second' })
			.reply(204);

		const result = await runWorkflow(withNodeSettings(workflow, NODE, { onError: 'continueRegularOutput' }), {
			input: [
				{ creditMemoId: MEMO, comment: 'First' },
				{ creditMemoId: MEMO, comment: 'Second' },
			],
			credentials,
		});

		const output = result.output(NODE);
		expect(output[0]).toMatchObject({ json: { error: 'Salesforce: insufficient access rights on object id', details: { code: 'INSUFFICIENT_ACCESS_OR_READONLY' } }, pairedItem: { item: 0 } });
		expect(output[1]).toMatchObject({ json: { comment: 'Second' }, pairedItem: { item: 1 } });
	});

	it('Dry Run shows the exact PATCH with the whole new Description, after reading, and writes nothing', async () => {
		memoWithDescription('Refund Reference: RET-1');

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { dryRun: true } }), { input: [{ creditMemoId: MEMO, comment: 'Approved' }], credentials });

		expect(result.output(NODE)[0].json).toEqual({
			provider: 'salesforce',
			dryRun: true,
			request: {
				method: 'PATCH',
				url: `${INSTANCE}${MEMO_PATH}`,
				headers: { 'Content-Type': 'application/json', Authorization: '[redacted: added by the credential]' },
				body: { Description: 'Refund Reference: RET-1\nApproved' },
			},
			totalAmount: null,
			currency: null,
		});
	});

	it('refuses an ID that is not a credit memo\'s, naming the field', async () => {
		const result = await runWorkflow(workflow, { input: [{ creditMemoId: '801R0000000EAAkIAO', comment: 'x' }], credentials });

		expect(result.error()?.message).toBe('Credit Memo ID 801R0000000EAAkIAO is the ID of an Order (change orders are Orders), not of a Credit Memo (prefix 50g)');
	});
});
