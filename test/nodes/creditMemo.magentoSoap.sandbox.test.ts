import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import bulkJson from '../workflows/bulk-magentoSoap.workflow.json';
import createJson from '../workflows/create-magentoSoap.workflow.json';
import workflowJson from '../workflows/credit-memo-magentoSoap.workflow.json';
import { CreditMemo } from '../../nodes/CreditMemo/CreditMemo.node';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const workflow = workflowJson as unknown as WorkflowJson;
const NODE = 'Credit Memo';
let sandbox: Sandbox;

/** The three API styles: OpenMage V1 and V2, and OpenMage with WS-I compliance on. */
const STYLES = [
	['V1', '/magento-soap', 'v1'],
	['V2', '/magento-soap', 'v2'],
	['V2 WS-I', '/magento-soap-wsi', 'wsi'],
] as const;
type Style = (typeof STYLES)[number][2];

const storeOf = (style: Style) => (style === 'wsi' ? '/magento-soap-wsi' : '/magento-soap');

function credentials(style: Style, prefix = storeOf(style)) {
	return { magentoSoapApi: { storeUrl: `${sandbox.url}${prefix}`, apiUser: 'n8n', apiKey: 'magento-soap-key', apiStyle: style } };
}

const run = async (style: Style, parameters: IDataObject, input: IDataObject[] = [{}], flow = workflow) =>
	await runWorkflow(withNodeParameters(flow, NODE, parameters), { input, credentials: credentials(style) });

const ids = (result: Awaited<ReturnType<typeof run>>) => result.output(NODE).map((item) => item.json.creditMemoId);

/** Memos of one sticker each on the sandbox's bulk orders, made with Bulk (V1 multiCalls of 20) at the sandbox time `at`. */
async function refundStickers(count: number, at?: DateTime, from = 0): Promise<string[]> {
	if (at) sandbox.clock.set(at.toJSDate());
	const orders = ['100000900', '100000901', '100000902'];
	const itemOf: Record<string, number> = { '100000900': 9001, '100000901': 9011, '100000902': 9021 };
	const refunds = Array.from({ length: count }, (_, index) => {
		const order = orders[(from + index) % 3];
		return { order, items: [{ order_item_id: itemOf[order], qty: 1 }], shipping: 0, comment: '', returnId: `STICKER-${from + index}` };
	});
	const bulk = withNodeParameters(bulkJson as unknown as WorkflowJson, 'Bulk Credit Memos', { options: { concurrency: 1 } });
	const result = await runWorkflow(bulk, { input: refunds, credentials: credentials('v1') });
	expect(result.output('Bulk Credit Memos', 1)).toEqual([]);
	return result.output('Bulk Credit Memos', 0).map((item) => String(item.json.creditMemoId));
}

const SEEDED = ['100000617', '100000618', '100000619', '100000620', '100000637', '100000684', '200000001'];

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

describe('Credit Memo node, Magento SOAP, against the sandbox', () => {
	describe.each(STYLES)('%s', (_label, _prefix, style) => {
		it('gets a memo normalised, or as Magento\'s record with its items and comments', async () => {
			const simplified = await run(style, { operation: 'get' }, [{ creditMemoId: '100000684' }]);

			expect(simplified.error()).toBeUndefined();
			expect(simplified.output(NODE)).toEqual([
				{
					json: {
						provider: 'magentoSoap',
						creditMemoId: '100000684',
						number: '100000684',
						status: 'refunded',
						totalAmount: 90,
						currency: 'USD',
						createdAt: '2011-05-27T10:53:03.000Z',
						refundReference: null,
						// info() adds the order's number; the V2 and WS-I WSDLs' salesOrderCreditmemoEntity does not declare it.
						raw: expect.objectContaining({ increment_id: '100000684', base_grand_total: '90.0000', ...(style === 'v1' ? { order_increment_id: '100000744' } : {}) }),
					},
					pairedItem: { item: 0 },
				},
			]);

			const raw = await run(style, { operation: 'get', simplify: false }, [{ creditMemoId: '100000684' }]);
			const record = raw.output(NODE)[0].json;
			expect(record).toMatchObject({ increment_id: '100000684', state: '2', order_id: '744' });
			expect(record).not.toHaveProperty('provider');
			expect((record.comments as IDataObject[]).map((comment) => comment.comment_id)).toEqual(['118', '119']);
			expect((record.items as IDataObject[]).map((item) => item.order_item_id)).toEqual(['775', '776']);
		});

		it('an unknown memo is fault 100, said plainly; Continue On Fail goes on with the next item', async () => {
			const failed = await run(style, { operation: 'get' }, [{ creditMemoId: '999999999' }]);
			expect(failed.error()?.message).toBe('Credit memo 999999999 does not exist');
			expect(failed.error()?.context).toMatchObject({ code: '100', provider: 'magentoSoap', itemIndex: 0, outcome: 'failed' });

			const continued = await runWorkflow(withNodeSettings(withNodeParameters(workflow, NODE, { operation: 'get' }), NODE, { onError: 'continueRegularOutput' }), {
				input: [{ creditMemoId: '999999999' }, { creditMemoId: '' }, { creditMemoId: '100000637' }],
				credentials: credentials(style),
			});
			const items = continued.output(NODE);
			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(items[0].json.error).toBe('Credit memo 999999999 does not exist');
			expect(items[1].json.error).toBe('Credit Memo ID is required');
			expect(items[2].json).toMatchObject({ creditMemoId: '100000637', status: 'open' });
		});

		it('lists by each filter: order, increment ID range, state, created range', async () => {
			const list = async (filters: IDataObject) => {
				const result = await run(style, { operation: 'list', returnAll: true, magentoSoapListFilters: filters });
				expect(result.error()).toBeUndefined();
				return ids(result);
			};

			expect(await list({})).toEqual(SEEDED);
			expect(await list({ orderIncrementId: '100000674' })).toEqual(['100000618', '100000619']);
			expect(await list({ incrementIdFrom: '100000617', incrementIdTo: '100000619' })).toEqual(['100000617', '100000618', '100000619']);
			expect(await list({ incrementIdFrom: '100000637' })).toEqual(['100000637', '100000684', '200000001']);
			expect(await list({ incrementIdTo: '100000617' })).toEqual(['100000617']);
			expect(await list({ state: ['canceled'] })).toEqual(['100000619']);
			expect(await list({ state: ['open', 'canceled'] })).toEqual(['100000619', '100000637']);
			// 100000619 was created at 2011-05-21 10:00:00 (UTC): Created After includes its moment, Created Before does not.
			expect(await list({ createdAfter: '2011-05-21T00:00:00', createdBefore: '2011-05-22T00:00:00' })).toEqual(['100000618', '100000619']);
			expect(await list({ createdAfter: '2011-05-21T10:00:00Z' })).toEqual(['100000619', '100000620', '100000637', '100000684', '200000001']);
			expect(await list({ createdBefore: '2011-05-21T10:00:00Z' })).toEqual(['100000617', '100000618']);
			// An offset is converted to the store's UTC.
			expect(await list({ createdAfter: '2011-05-21T12:00:00+02:00', createdBefore: '2011-05-21T13:00:00+02:00' })).toEqual(['100000619']);
			expect(await list({ orderIncrementId: '100000674', state: ['refunded'], createdBefore: '2012-01-01T00:00:00Z' })).toEqual(['100000618']);
			expect(await list({ incrementIdFrom: '300000000' })).toEqual([]);
		});

		it('an order filter with an unknown order says so', async () => {
			const result = await run(style, { operation: 'list', magentoSoapListFilters: { orderIncrementId: '999999999' } });
			expect(result.error()?.message).toBe('Order 999999999 does not exist');
		});

		it('cancels the open memo; a repeated cancel returns it canceled; a refunded memo is refused with fault 104 and Magento\'s reason', async () => {
			const canceled = await run(style, { operation: 'cancel' }, [{ creditMemoId: '100000637' }]);
			expect(canceled.error()).toBeUndefined();
			expect(canceled.output(NODE)).toEqual([
				{
					json: expect.objectContaining({ provider: 'magentoSoap', creditMemoId: '100000637', status: 'canceled', totalAmount: 45, replayed: false, raw: expect.objectContaining({ state: '3' }) }),
					pairedItem: { item: 0 },
				},
			]);

			const again = await run(style, { operation: 'cancel' }, [{ creditMemoId: '100000637' }]);
			expect(again.error()).toBeUndefined();
			expect(again.output(NODE)[0].json).toMatchObject({ creditMemoId: '100000637', status: 'canceled', replayed: true });

			const refused = await run(style, { operation: 'cancel' }, [{ creditMemoId: '100000684' }]);
			expect(refused.error()?.message).toBe('Credit memo 100000684 was not canceled: Credit memo cannot be canceled.');
			expect(refused.error()?.context).toMatchObject({ code: '104', provider: 'magentoSoap', outcome: 'failed', itemIndex: 0 });
			expect(refused.error()?.description).toContain('Its state in Magento: refunded.');
			expect(refused.error()?.description).toContain('Magento cancels only an open credit memo');

			const unknown = await run(style, { operation: 'cancel' }, [{ creditMemoId: '999999999' }]);
			expect(unknown.error()?.message).toBe('Credit memo 999999999 does not exist');
			expect(unknown.error()?.context).toMatchObject({ code: '100' });
		});
	});

	it('a memo created under a Refund Reference reads back with it; List gives it with Include Items and Comments', async () => {
		const create = withNodeParameters(createJson as unknown as WorkflowJson, 'Create Credit Memo', {});
		const created = await runWorkflow(create, {
			input: [{ order: '100000683', items: [{ order_item_id: 712, qty: 1 }], shipping: 0, comment: 'Returned tee', returnId: 'RET 7 <a&b> #1' }],
			credentials: credentials('v2'),
		});
		expect(created.error()).toBeUndefined();
		const memoId = created.output('Create Credit Memo')[0].json.creditMemoId;

		for (const [, , style] of STYLES) {
			const got = await run(style, { operation: 'get' }, [{ creditMemoId: memoId }]);
			expect(got.output(NODE)[0].json).toMatchObject({ creditMemoId: memoId, refundReference: 'RET 7 <a&b> #1', totalAmount: 25 });

			const listed = await run(style, { operation: 'list', returnAll: true, magentoSoapIncludeDetails: true, magentoSoapListFilters: { orderIncrementId: '100000683' } });
			expect(listed.output(NODE).map((item) => item.json)).toEqual([
				expect.objectContaining({ creditMemoId: memoId, refundReference: 'RET 7 <a&b> #1', raw: expect.objectContaining({ order_id: '683', items: expect.any(Array), comments: expect.any(Array) }) }),
			]);

			const plain = await run(style, { operation: 'list', returnAll: true, magentoSoapListFilters: { orderIncrementId: '100000683' } });
			expect(plain.output(NODE)[0].json).not.toHaveProperty('refundReference');
			expect(plain.output(NODE)[0].json.raw).not.toHaveProperty('comments');
		}
	});

	it('Limit is applied by the node to Magento\'s one answer: default 50, oldest first; Return All gives every memo', async () => {
		const created = await refundStickers(60);
		expect(created).toHaveLength(60);
		const everything = [...SEEDED, ...created];

		for (const [, , style] of STYLES) {
			const all = await run(style, { operation: 'list', returnAll: true });
			expect(ids(all)).toEqual(everything);
			expect(all.output(NODE).every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);

			const byDefault = await run(style, { operation: 'list' });
			expect(ids(byDefault)).toEqual(everything.slice(0, 50));

			const limited = await run(style, { operation: 'list', returnAll: false, limit: 55, simplify: false, magentoSoapListFilters: { state: ['refunded'] } });
			expect(limited.output(NODE).map((item) => item.json.increment_id)).toEqual(everything.filter((id) => !['100000619', '100000637'].includes(id)).slice(0, 55));
			expect(limited.output(NODE)[0].json).not.toHaveProperty('provider');

			const moreThanThere = await run(style, { operation: 'list', limit: 500 });
			expect(ids(moreThanThere)).toEqual(everything);
		}

		// Details for 60 memos: V1 reads them in two multiCalls, V2 one info each.
		const range = { incrementIdFrom: created[0], incrementIdTo: created[59] };
		const detailed = await run('v1', { operation: 'list', returnAll: true, magentoSoapIncludeDetails: true, magentoSoapListFilters: range });
		expect(detailed.output(NODE).map((item) => item.json.refundReference)).toEqual(created.map((_, index) => `STICKER-${index}`));
	});

	it('lists yesterday\'s memos in the workflow\'s time zone with {{ $today }} expressions, as a reconciliation run does', async () => {
		const zone = 'America/New_York';
		const today = DateTime.now().setZone(zone).startOf('day');
		await refundStickers(1, today.minus({ days: 1, seconds: 1 }), 0);
		const yesterday = [...(await refundStickers(2, today.minus({ days: 1 }), 1)), ...(await refundStickers(1, today.minus({ seconds: 1 }), 3))];
		await refundStickers(1, today, 4);

		for (const [, , style] of STYLES) {
			const zoned = { ...workflow, settings: { ...workflow.settings, timezone: zone } };
			const result = await run(
				style,
				{ operation: 'list', returnAll: true, magentoSoapListFilters: { createdAfter: '={{ $today.minus({ days: 1 }) }}', createdBefore: '={{ $today }}' } },
				[{}],
				zoned,
			);
			expect(result.error()).toBeUndefined();
			expect(ids(result)).toEqual(yesterday);
		}
	});

	it('Dry Run of a cancel shows the envelope with the session placeholder and changes nothing', async () => {
		const result = await run('v2', { operation: 'cancel', options: { dryRun: true } }, [{ creditMemoId: '100000637' }]);

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({
			provider: 'magentoSoap',
			dryRun: true,
			request: {
				method: 'POST',
				url: `${sandbox.url}/magento-soap/api/v2_soap/`,
				body: expect.stringContaining(
					'<ns1:salesOrderCreditmemoCancel><sessionId xsi:type="xsd:string">[session ID: from the login at send time]</sessionId><creditmemoIncrementId xsi:type="xsd:string">100000637</creditmemoIncrementId></ns1:salesOrderCreditmemoCancel>',
				),
			},
			totalAmount: null,
		});
		const after = await run('v2', { operation: 'get' }, [{ creditMemoId: '100000637' }]);
		expect(after.output(NODE)[0].json.status).toBe('open');
	});

	it('a 5xx before Magento cancels is sent again (a cancel is safe to repeat): one cancel', async () => {
		sandbox.setFaults([{ provider: 'magentoSoap', operation: 'cancelCreditMemo', kind: 'serverError', count: 1 }]);

		const result = await run('v1', { operation: 'cancel' }, [{ creditMemoId: '100000637' }]);

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: '100000637', status: 'canceled', replayed: false });
	});

	it('an API user allowed only to read memos can Get and List; its Cancel is refused with the role resource to add', async () => {
		const readonly = { magentoSoapApi: { ...credentials('v2').magentoSoapApi, apiUser: 'n8n-readonly', apiKey: 'magento-soap-readonly' } };
		const runAs = async (parameters: IDataObject) => await runWorkflow(withNodeParameters(workflow, NODE, parameters), { input: [{ creditMemoId: '100000637' }], credentials: readonly });

		expect((await runAs({ operation: 'get' })).output(NODE)[0].json).toMatchObject({ creditMemoId: '100000637', status: 'open' });
		expect((await runAs({ operation: 'list', magentoSoapListFilters: { state: ['open'] } })).output(NODE).map((item) => item.json.creditMemoId)).toEqual(['100000637']);
		const refused = await runAs({ operation: 'cancel' });
		expect(refused.error()?.message).toBe('The API user may not call sales_order_creditmemo.cancel');
		expect(refused.error()?.context).toMatchObject({ code: '2' });
		expect(refused.error()?.description).toContain('Credit memos (create, list, info, comments, cancel)');
	});

	it('the editor offers Get, List and Cancel for Magento SOAP, with the paging notice on List', () => {
		const properties = new CreditMemo().description.properties.filter((property) => property.displayOptions?.show?.provider?.includes('magentoSoap'));
		const operation = properties.find((property) => property.name === 'operation');
		expect(operation?.options?.map((option) => (option as { value: string }).value)).toEqual(['cancel', 'get', 'list']);
		const notice = properties.find((property) => property.name === 'magentoSoapListNotice');
		expect(notice?.displayOptions?.show).toEqual({ provider: ['magentoSoap'], operation: ['list'] });
		expect(notice?.displayName).toContain('no paging');
	});
});
