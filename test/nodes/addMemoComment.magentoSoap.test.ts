import nock from 'nock';

import workflowJson from '../workflows/comment-magentoSoap.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';
import { API_KEY, STORE_URL, credentialsFor, fixture, mockStore } from './magentoSoap.store';

const workflow = workflowJson as unknown as WorkflowJson;
const NODE = 'Add Memo Comment';
const note = { creditMemoId: '100000685', note: 'Refund sent: <b>25.00</b> & thanks' };

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Add Memo Comment, Magento SOAP (engine + nock)', () => {
	it('V2: one login for all items, the exact addComment envelope (text escaped), endSession at the end', async () => {
		const store = mockStore('v2', {
			login: [fixture('v2', 'login')],
			salesOrderCreditmemoAddComment: [fixture('v2', 'add-comment'), fixture('v2', 'add-comment')],
			endSession: [fixture('v2', 'end-session')],
		});

		const result = await runWorkflow(workflow, { input: [note, { ...note, creditMemoId: '100000686', note: 'Second' }], credentials: credentialsFor('v2') });

		expect(result.error()).toBeUndefined();
		expect(store.operations()).toEqual(['login', 'salesOrderCreditmemoAddComment', 'salesOrderCreditmemoAddComment', 'endSession']);
		expect(store.requests[1].body).toContain(
			[
				'<ns1:salesOrderCreditmemoAddComment><sessionId xsi:type="xsd:string">a1b2c3d4e5f60718293a4b5c6d7e8f90</sessionId>',
				'<creditmemoIncrementId xsi:type="xsd:string">100000685</creditmemoIncrementId>',
				'<comment xsi:type="xsd:string">Refund sent: &lt;b&gt;25.00&lt;/b&gt; &amp; thanks</comment>',
				'<notifyCustomer xsi:type="xsd:int">1</notifyCustomer><includeComment xsi:type="xsd:int">0</includeComment>',
				'</ns1:salesOrderCreditmemoAddComment>',
			].join(''),
		);
		expect(result.output(NODE)).toEqual([
			{
				json: { provider: 'magentoSoap', creditMemoId: '100000685', comment: note.note, target: 'creditMemo', raw: { result: true } },
				pairedItem: { item: 0 },
			},
			{
				json: { provider: 'magentoSoap', creditMemoId: '100000686', comment: 'Second', target: 'creditMemo', raw: { result: true } },
				pairedItem: { item: 1 },
			},
		]);
	});

	it.each([
		['v1', 'sales_order_creditmemo.addComment', true],
		['wsi', 'salesOrderCreditmemoAddComment', '1'],
	] as const)('%s: the same comment through %s', async (style, operation, raw) => {
		const store = mockStore(style, { login: [fixture(style, 'login')], [operation]: [fixture(style, 'add-comment')], endSession: [fixture(style, 'end-session')] });

		const result = await runWorkflow(workflow, { input: [note], credentials: credentialsFor(style) });

		expect(result.error()).toBeUndefined();
		expect(store.operations()).toEqual(['login', operation, 'endSession']);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: '100000685', raw: { result: raw } });
	});

	it('fault 100: the credit memo does not exist, with a hint about increment IDs', async () => {
		mockStore('v2', { login: [fixture('v2', 'login')], salesOrderCreditmemoAddComment: [fixture('v2', 'add-comment-fault-100')], endSession: [fixture('v2', 'end-session')] });

		const result = await runWorkflow(workflow, { input: [{ ...note, creditMemoId: '999' }], credentials: credentialsFor('v2') });

		expect(result.error()?.message).toBe('Credit memo 999 does not exist');
		expect(result.error()?.description).toContain('Magento said: Requested credit memo does not exist');
		expect(result.error()?.context).toMatchObject({ code: '100', outcome: 'failed', httpStatus: 500, itemIndex: 0 });
	});

	it('fault 102 (hand-written answer: Magento\'s text from its email step) may come after the comment was saved: outcome unknown', async () => {
		mockStore('v2', { login: [fixture('v2', 'login')], salesOrderCreditmemoAddComment: [fixture('v2', 'add-comment-fault-102')], endSession: [fixture('v2', 'end-session')] });

		const result = await runWorkflow(withNodeSettings(workflow, NODE, { onError: 'continueRegularOutput' }), { input: [note], credentials: credentialsFor('v2') });

		expect(result.output(NODE)[0]).toMatchObject({
			json: {
				error: 'Magento refused the data: Unable to send the credit memo update email.',
				details: { code: '102', outcome: 'unknown', retryable: false, itemIndex: 0 },
			},
			pairedItem: { item: 0 },
		});
		expect(String((result.output(NODE)[0].json.details as Record<string, unknown>).description)).toContain('check credit memo 100000685 in the Magento admin');
	});

	it('Dry Run shows the envelope without logging in (the session ID is a placeholder) and sends nothing', async () => {
		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { dryRun: true } }), { input: [note], credentials: credentialsFor('wsi') });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({
			dryRun: true,
			request: {
				method: 'POST',
				url: `${STORE_URL}/api/v2_soap/`,
				body: expect.stringContaining(
					'<ns1:salesOrderCreditmemoAddCommentRequestParam><sessionId>[session ID: from the login at send time]</sessionId><creditmemoIncrementId>100000685</creditmemoIncrementId>',
				),
			},
		});
		expect(JSON.stringify(result.output(NODE))).not.toContain(API_KEY);
	});

	it('an empty comment is refused before anything is sent', async () => {
		const result = await runWorkflow(workflow, { input: [{ ...note, note: '   ' }], credentials: credentialsFor('v2') });

		expect(result.error()?.message).toBe('Comment is required');
	});
});
