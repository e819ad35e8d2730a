import nock from 'nock';

import workflowJson from '../workflows/create-and-comment-magentoRest.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const SHOP = 'https://shop.example.test';
const COMMENT = 'Add Memo Comment';
const credentials = { magentoRestApi: { baseUrl: SHOP, authentication: 'fixedToken', accessToken: 'static-token-1' } };
const workflow = workflowJson as unknown as WorkflowJson;
const input = [{ order: '100000123', items: [{ order_item_id: 10, qty: 1 }], returnId: 'RET-7' }];
const NOTE = 'Credit memo 100000501: Refund for return RET-7 approved';

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

function createdMemo() {
	return nock(SHOP)
		.post('/api2/creditmemo')
		.reply(201, { creditmemo_id: 501, increment_id: '100000501', order_increment_id: '100000123', grand_total: 59.9, order_currency_code: 'BRL' });
}

function historyEntry(comment: string) {
	return { entity_id: 9, parent_id: 123, order_increment_id: '100000123', comment, status: 'complete', is_customer_notified: 0, is_visible_on_front: 0, created_at: '2026-11-23 10:00:00' };
}

describe('Add Memo Comment, Magento REST (engine + nock)', () => {
	it('adds the note to the order\'s history, naming the memo just created, and says so in the output', async () => {
		createdMemo();
		const history = nock(SHOP)
			.get('/api2/history')
			.query({ order_increment_id: '100000123' })
			.matchHeader('authorization', 'Bearer static-token-1')
			.reply(200, [historyEntry('Order sent to picking.')])
			.post('/api2/history', { order_increment_id: '100000123', comment: NOTE })
			.matchHeader('authorization', 'Bearer static-token-1')
			.reply(201, historyEntry(NOTE));

		const result = await runWorkflow(workflow, { input, credentials });

		expect(result.error()).toBeUndefined();
		expect(history.isDone()).toBe(true);
		expect(result.output(COMMENT)).toEqual([
			{
				json: { provider: 'magentoRest', creditMemoId: '100000501', comment: NOTE, target: 'orderHistory', replayed: false, raw: historyEntry(NOTE) },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('returns the note already in the order\'s history instead of adding it twice (a re-run)', async () => {
		createdMemo();
		const history = nock(SHOP).get('/api2/history').query(true).reply(200, { history: [historyEntry(NOTE)] });

		const result = await runWorkflow(workflow, { input, credentials });

		expect(history.isDone()).toBe(true);
		expect(result.output(COMMENT)[0].json).toMatchObject({ comment: NOTE, target: 'orderHistory', replayed: true, raw: historyEntry(NOTE) });
	});

	it('sends the storefront and notified flags when set, and Dry Run shows the request without sending it', async () => {
		createdMemo();
		const flagged = withNodeParameters(workflow, COMMENT, {
			magentoRestHistoryFields: { isVisibleOnFront: true, isCustomerNotified: false },
			options: { dryRun: true },
		});

		const result = await runWorkflow(flagged, { input, credentials });

		expect(result.output(COMMENT)[0].json).toEqual({
			provider: 'magentoRest',
			dryRun: true,
			request: {
				method: 'POST',
				url: `${SHOP}/api2/history`,
				headers: { 'Content-Type': 'application/json', Authorization: '[redacted: added by the credential]' },
				body: { order_increment_id: '100000123', comment: NOTE, is_customer_notified: false, is_visible_on_front: true },
			},
			totalAmount: null,
			currency: null,
		});
	});

	it('reports an unknown order as a node error with the store\'s message', async () => {
		createdMemo();
		nock(SHOP).get('/api2/history').query(true).reply(404, { error: 'Order not found' });

		const result = await runWorkflow(workflow, { input, credentials });

		expect(result.error()?.message).toBe('Magento REST: Order not found');
		expect(result.error()?.context).toMatchObject({ provider: 'magentoRest', httpStatus: 404, itemIndex: 0 });
	});

	it('a failure after sending is an unknown outcome, not sent again, pointing at the order\'s Comments History', async () => {
		createdMemo();
		const history = nock(SHOP).get('/api2/history').query(true).reply(200, []).post('/api2/history').once().reply(502, '<html>Bad Gateway</html>');

		const result = await runWorkflow(withNodeSettings(workflow, COMMENT, { onError: 'continueRegularOutput' }), { input, credentials });

		expect(history.isDone()).toBe(true);
		expect(result.output(COMMENT)[0].json).toMatchObject({
			error: 'Magento REST: HTTP 502',
			details: { outcome: 'unknown', retryable: false, httpStatus: 502 },
		});
		expect(JSON.stringify(result.output(COMMENT)[0].json)).toContain('Check the Comments History of order 100000123 in the Magento admin');
	});

	it('rejects an empty comment before sending anything', async () => {
		createdMemo();
		const empty = withNodeParameters(workflow, COMMENT, { comment: '  ' });

		const result = await runWorkflow(empty, { input, credentials });

		expect(result.error()?.message).toBe('Comment is required');
	});
});
