import bulkJson from '../workflows/bulk-magentoSoap.workflow.json';
import createAndComment from '../workflows/create-and-comment-magentoSoap.workflow.json';
import createOnly from '../workflows/create-magentoSoap.workflow.json';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { runCredentialTest } from '../harness/credentialTest';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const withComment = createAndComment as unknown as WorkflowJson;
const create = createOnly as unknown as WorkflowJson;
const NODE = 'Create Credit Memo';
let sandbox: Sandbox;

/** The three emulated stores: OpenMage (V1, V2), Magento CE 1.9 (urn:Magento), OpenMage with WS-I on. */
const STORES = [
	['OpenMage, V1', '/magento-soap', 'v1'],
	['OpenMage, V2', '/magento-soap', 'v2'],
	['OpenMage, V2 WS-I', '/magento-soap-wsi', 'wsi'],
	['Magento CE 1.9 (urn:Magento), V1', '/magento-soap-legacy', 'v1'],
	['Magento CE 1.9 (urn:Magento), V2', '/magento-soap-legacy', 'v2'],
] as const;

function credentials(prefix: string, apiStyle: string, extra: Record<string, string> = {}) {
	// No namespace override: the node reads it from each store's WSDL.
	return { magentoSoapApi: { storeUrl: `${sandbox.url}${prefix}`, apiUser: 'n8n', apiKey: 'magento-soap-key', apiStyle, ...extra } };
}

const refund = { order: '100000683', items: [{ order_item_id: 712, qty: 1 }], shipping: 0, comment: 'Returned tee', returnId: 'RET-SBX-1' };

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

describe('Magento SOAP nodes against the sandbox', () => {
	it.each(STORES)('%s: creates the memo, comments on it, and a second run of the same refund creates nothing new', async (_label, prefix, style) => {
		const first = await runWorkflow(withComment, { input: [refund], credentials: credentials(prefix, style) });

		expect(first.error()).toBeUndefined();
		const memo = first.output(NODE)[0].json;
		expect(memo).toMatchObject({ provider: 'magentoSoap', creditMemoId: expect.stringMatching(/^\d{9}$/), status: 'refunded', totalAmount: 25, currency: 'USD', refundReference: 'RET-SBX-1', replayed: false });
		expect(first.output('Add Memo Comment')[0].json).toMatchObject({ creditMemoId: memo.creditMemoId, comment: 'Refund for return RET-SBX-1 sent to the customer', target: 'creditMemo' });
		const ledger = sandbox.ledger('magentoSoap');
		expect(ledger).toHaveLength(1);
		expect(ledger[0]).toMatchObject({ creditMemoId: memo.creditMemoId, source: '100000683', totalAmount: 25, reference: expect.stringMatching(/^Returned tee\n\[ref:RET-SBX-1 #[0-9a-f]{8}\]$/) });
		expect(JSON.stringify(ledger[0].request)).not.toContain('magento-soap-key');

		const second = await runWorkflow(create, { input: [refund], credentials: credentials(prefix, style) });

		expect(second.error()).toBeUndefined();
		expect(second.output(NODE)[0].json).toMatchObject({ creditMemoId: memo.creditMemoId, replayed: true });
		expect(sandbox.ledger('magentoSoap')).toHaveLength(1);
	});

	it('Retry On Fail re-runs every item: the memo made in the first try is found by its reference, never made twice', async () => {
		const retrying = withNodeSettings(create, NODE, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 });

		const result = await runWorkflow(retrying, { input: [refund, { ...refund, order: '999999999', returnId: 'RET-SBX-2' }], credentials: credentials('/magento-soap', 'v2') });

		expect(result.error()?.message).toBe('Order 999999999 does not exist');
		expect(sandbox.ledger('magentoSoap')).toHaveLength(1);
	});

	it('an expired session in the middle of the run: one new login, exactly one memo', async () => {
		sandbox.setFaults([{ provider: 'magentoSoap', operation: 'createCreditMemo', kind: 'expiredSession', count: 1 }]);

		const result = await runWorkflow(create, { input: [refund], credentials: credentials('/magento-soap', 'v2') });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ replayed: false, totalAmount: 25 });
		expect(sandbox.ledger('magentoSoap')).toHaveLength(1);
	});

	it.each(['v1', 'v2', 'wsi'] as const)('%s: the store saves the memo and the answer is lost: the lookup finds it, no second memo', async (style) => {
		sandbox.setFaults([{ provider: 'magentoSoap', operation: 'createCreditMemo', kind: 'dropAfterCommit', count: 1 }]);

		const result = await runWorkflow(create, { input: [refund], credentials: credentials(style === 'wsi' ? '/magento-soap-wsi' : '/magento-soap', style) });

		expect(result.error()).toBeUndefined();
		const ledger = sandbox.ledger('magentoSoap');
		expect(ledger).toHaveLength(1);
		expect(ledger[0].responseDropped).toBe(true);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: ledger[0].creditMemoId, replayed: false });
	});

	it('Magento refuses more shipping than is left (fault 1, its own text): a clear failure, nothing created', async () => {
		const tooMuchShipping = { ...refund, shipping: 50 };

		const result = await runWorkflow(create, { input: [tooMuchShipping], credentials: credentials('/magento-soap', 'v2') });

		expect(result.error()?.message).toBe('Magento refused the request: Maximum shipping amount allowed to refund is: $10.00');
		expect(result.error()?.context).toMatchObject({ code: '1', outcome: 'failed' });
		expect(sandbox.ledger('magentoSoap')).toHaveLength(0);
	});

	it('an API user without the order permission is told which role resource to add', async () => {
		const readonly = credentials('/magento-soap', 'v2', { apiUser: 'n8n-readonly', apiKey: 'magento-soap-readonly' });

		const result = await runWorkflow(create, { input: [refund], credentials: readonly });

		expect(result.error()?.message).toBe('The API user may not call sales_order.info');
		expect(result.error()?.description).toContain('Sales > Order > Retrieve orders info');
	});

	it('the ceiling shown in Dry Run is never below what Magento credits (tax, discount, shipping, adjustments)', async () => {
		// Order 100000706: an espresso machine with tax and a discount, and three bags of beans with tax; shipping 12.
		const cases = [
			{ items: [{ order_item_id: 734, qty: 1 }], additional: { shippingAmount: 0 } },
			{ items: [{ order_item_id: 735, qty: 1 }], additional: { shippingAmount: 5, adjustmentPositive: 1.5 } },
			{ items: [{ order_item_id: 735, qty: 2 }, { order_item_id: 734, qty: 1 }], additional: { adjustmentNegative: 3 } },
			{ items: [{ order_item_id: 735, qty: 3 }], additional: {} },
		];
		for (const { items, additional } of cases) {
			sandbox.reset();
			const workflow = withNodeParameters(create, NODE, { orderIncrementId: '100000706', itemsJson: JSON.stringify(items), magentoSoapAdditionalFields: additional, refundReference: '' });
			const dryRun = await runWorkflow(withNodeParameters(workflow, NODE, { options: { dryRun: true } }), { credentials: credentials('/magento-soap', 'v2') });
			const created = await runWorkflow(workflow, { credentials: credentials('/magento-soap', 'v2') });

			expect(created.error()).toBeUndefined();
			const ceiling = dryRun.output(NODE)[0].json.totalAmount as number;
			const actual = created.output(NODE)[0].json.totalAmount as number;
			expect(ceiling).toBeGreaterThanOrEqual(actual);
			// Only the discount (20.00 on the machine) and cent roundings separate them.
			expect(ceiling - actual).toBeLessThanOrEqual(20.05);
		}
	});

	it.each(STORES)('%s: the credential test logs in and ends its session', async (_label, prefix, style) => {
		const result = await runCredentialTest('magentoSoapApi', credentials(prefix, style).magentoSoapApi);

		expect(result.status).toBe(200);
	});

	it('the credential test fails on a wrong API key with Magento\'s answer', async () => {
		await expect(runCredentialTest('magentoSoapApi', credentials('/magento-soap-wsi', 'wsi', { apiKey: 'wrong' }).magentoSoapApi)).rejects.toMatchObject({
			message: 'Magento refused the API user or API key',
		});
	});
});

describe('Bulk Credit Memos, Magento SOAP, against the sandbox', () => {
	const BULK = 'Bulk Credit Memos';
	const bulk = bulkJson as unknown as WorkflowJson;
	const units = (count: number, prefix = 'BULK') =>
		Array.from({ length: count }, (_, index) => ({ order: '100000900', items: [{ order_item_id: 9001, qty: 1 }], shipping: 0, comment: `Unit ${index}`, returnId: `${prefix}-${index}` }));
	const requestsThatCreated = () => new Set(sandbox.ledger('magentoSoap').map((entry) => entry.requestId)).size;

	it('V1: 45 memos in multiCalls of 20, every item on one output in input order; a second run replays them all', async () => {
		const input = [...units(45), { ...units(1)[0], order: '999999999', returnId: 'BULK-X' }];

		const first = await runWorkflow(bulk, { input, credentials: credentials('/magento-soap', 'v1') });

		expect(first.error()).toBeUndefined();
		const succeeded = first.output(BULK, 0);
		expect(succeeded).toHaveLength(45);
		expect(succeeded.map((item) => item.pairedItem)).toEqual(input.slice(0, 45).map((_, index) => ({ item: index })));
		expect(succeeded.every((item) => item.json.totalAmount === 1 && item.json.replayed === false)).toBe(true);
		expect(first.output(BULK, 1)).toEqual([
			{ json: { ...input[45], error: expect.objectContaining({ message: 'Order 999999999 does not exist', code: '100', outcome: 'failed' }) }, pairedItem: { item: 45 } },
		]);
		expect(sandbox.ledger('magentoSoap')).toHaveLength(45);
		expect(requestsThatCreated()).toBe(3);

		const second = await runWorkflow(bulk, { input: input.slice(0, 45), credentials: credentials('/magento-soap', 'v1') });

		expect(second.output(BULK, 0).map((item) => [item.json.creditMemoId, item.json.replayed])).toEqual(succeeded.map((item) => [item.json.creditMemoId, true]));
		expect(sandbox.ledger('magentoSoap')).toHaveLength(45);
	});

	it('V1: memos for 40 different orders read the orders 20 at a time in one multiCall each, not one call per order', async () => {
		// The sandbox's generated one-line orders: 100010001 + n, item 100010 + 10n.
		const input = Array.from({ length: 40 }, (_, index) => ({ order: String(100010001 + index), items: [{ order_item_id: 100010 + 10 * index, qty: 1 }], shipping: 0, comment: 'Unit', returnId: `ORDERS-${index}` }));

		const result = await runWorkflow(bulk, { input, credentials: credentials('/magento-soap', 'v1') });

		expect(result.output(BULK, 1)).toEqual([]);
		expect(result.output(BULK, 0).map((item) => item.json.refundReference)).toEqual(input.map((refund) => refund.returnId));
		expect(sandbox.ledger('magentoSoap')).toHaveLength(40);
		const calls = Object.fromEntries(sandbox.requests('magentoSoap').map((entry) => [entry.operation, entry.count]));
		expect(calls.getOrder ?? 0).toBe(0);
		// Per chunk of 20: the orders, their memo lists, the creates, the read-back.
		expect(calls.multiCall).toBe(8);
	});

	it('V1: a multiCall whose answer is lost after Magento saved its memos: found by reference, none sent twice', async () => {
		sandbox.setFaults([{ provider: 'magentoSoap', operation: 'multiCall', kind: 'dropAfterCommit', count: 1 }]);
		const input = units(5);

		const result = await runWorkflow(bulk, { input, credentials: credentials('/magento-soap', 'v1') });

		expect(result.output(BULK, 1)).toEqual([]);
		expect(result.output(BULK, 0).map((item) => item.json.refundReference)).toEqual(input.map((refund) => refund.returnId));
		expect(sandbox.ledger('magentoSoap')).toHaveLength(5);
		expect(sandbox.ledger('magentoSoap').every((entry) => entry.responseDropped)).toBe(true);
	});

	it('V1: one memo Magento refuses inside the multiCall (in-band fault) fails alone, the others are created', async () => {
		// Order 100000683 has three tees: two refunds of two each pass the check against the order, Magento refuses the second.
		const input = [
			{ ...refund, items: [{ order_item_id: 712, qty: 2 }], returnId: 'TEE-A' },
			{ ...refund, items: [{ order_item_id: 712, qty: 2 }], returnId: 'TEE-B' },
			{ ...refund, items: [{ order_item_id: 713, qty: 1 }], returnId: 'TOTE' },
		];

		const result = await runWorkflow(bulk, { input, credentials: credentials('/magento-soap', 'v1') });

		expect(result.output(BULK, 0).map((item) => item.json.refundReference)).toEqual(['TEE-A', 'TOTE']);
		const [failed] = result.output(BULK, 1);
		expect(failed.pairedItem).toEqual({ item: 1 });
		expect(failed.json.error).toMatchObject({ message: 'Magento refused the request: Internal Error. Please see log for details.', code: '1', outcome: 'failed' });
		expect((failed.json.error as { description: string }).description).toContain('Create Credit Memo, one memo at a time, shows it');
		expect(sandbox.ledger('magentoSoap')).toHaveLength(2);
	});

	it.each([
		['V2', '/magento-soap', 'v2'],
		['WS-I', '/magento-soap-wsi', 'wsi'],
	] as const)('%s has no multiCall: one create per memo, and a second run replays them', async (_label, prefix, style) => {
		const input = units(8);

		const first = await runWorkflow(bulk, { input, credentials: credentials(prefix, style) });

		expect(first.output(BULK, 0)).toHaveLength(8);
		expect(requestsThatCreated()).toBe(8);
		const second = await runWorkflow(bulk, { input, credentials: credentials(prefix, style) });
		expect(second.output(BULK, 0).every((item) => item.json.replayed === true)).toBe(true);
		expect(sandbox.ledger('magentoSoap')).toHaveLength(8);
	});
});
