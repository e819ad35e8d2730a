/**
 * The Magento 1 REST (Yep Platform) emulator against the seed (../shared/seeds/001) and the documented error table
 * (../shared/reference/specs/yep/yep-platform-creditmemo-contract.md).
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import { MAGENTO_REST_DEMO } from '../../sandbox/demoCredentials';
import { call, rawRequest } from './helpers';

const AUTH = { Authorization: `Bearer ${MAGENTO_REST_DEMO.staticToken}` };

let sandbox: Sandbox;
let base: string;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	base = `${sandbox.url}/magento-rest/api2`;
});

afterAll(async () => {
	await sandbox.stop();
});

beforeEach(() => sandbox.reset());

const create = (json: unknown, path = '/creditmemo', headers: Record<string, string> = AUTH) => call(`${base}${path}`, { method: 'POST', headers, json });
const invoice = (query: string) => call(`${base}/invoice?${query}`, { headers: AUTH });

/** The three documented examples, verbatim. */
const refundByInvoice = { invoice_id: 456, refund_type: 'offline', send_email: true, comment: 'Refund created by integration.' };
const partialByOrder = {
	order_increment_id: '100000123',
	refund_type: 'offline',
	shipping_amount: 0,
	adjustment_positive: 0,
	adjustment_negative: 0,
	items: [{ order_item_id: 10, qty: 1 }],
};
const onlineWithItems = {
	invoice_increment_id: '100000045',
	refund_type: 'online',
	shipping_amount: 19.9,
	adjustment_negative: 5.0,
	items: [{ sku: 'PRODUCT-001', qty: 1 }],
	send_email: true,
	comment: 'Partial refund after return.',
};

describe('Magento REST: the documented examples', () => {
	it('refund by invoice (POST /api2/creditmemo): everything left on invoice 456, shipping included', async () => {
		const response = await create(refundByInvoice);
		expect(response.status).toBe(201);
		expect(response.body).toEqual({
			creditmemo_id: 501,
			increment_id: '100000501',
			order_id: 124,
			order_increment_id: '100000124',
			invoice_id: 456,
			invoice_increment_id: '100000046',
			state: 'refunded',
			refund_type: 'offline',
			order_currency_code: 'BRL',
			subtotal: 339.7,
			shipping_amount: 20,
			adjustment_positive: 0,
			adjustment_negative: 0,
			grand_total: 359.7,
			email_sent: true,
			items: [
				{ order_item_id: 20, sku: 'PRODUCT-020', name: 'Tênis Corrida', qty: 1, price: 299.9, row_total: 299.9 },
				{ order_item_id: 21, sku: 'PRODUCT-021', name: 'Meia Esportiva', qty: 2, price: 19.9, row_total: 39.8 },
			],
			comment: 'Refund created by integration.',
			created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
		});
		const [entry] = sandbox.ledger('magentoRest');
		expect(entry).toMatchObject({ creditMemoId: '100000501', reference: 'Refund created by integration.', source: 'invoice 100000046', totalAmount: 359.7 });
		expect(entry.request.headers.authorization).toBe('[redacted]');
	});

	it('partial refund by order (POST /api2/creditmemo/create) with order_item_id', async () => {
		const response = await create(partialByOrder, '/creditmemo/create');
		expect(response.status).toBe(201);
		expect(response.body).toMatchObject({ order_increment_id: '100000123', invoice_id: null, grand_total: 59.9, shipping_amount: 0, items: [{ order_item_id: 10, qty: 1 }] });
	});

	it('online refund with items by SKU, shipping and a negative adjustment', async () => {
		const response = await create(onlineWithItems);
		expect(response.status).toBe(201);
		expect(response.body).toMatchObject({ refund_type: 'online', invoice_increment_id: '100000045', subtotal: 249.9, shipping_amount: 19.9, adjustment_negative: 5, grand_total: 264.8 });
	});

	it('GET /api2/invoice?id= gives grand_total and what was refunded, so a client can compute the balance', async () => {
		const before = await invoice('id=456');
		expect(before.status).toBe(200);
		expect(before.body).toMatchObject({ entity_id: 456, increment_id: '100000046', grand_total: 359.7, total_refunded: 0, can_refund_online: true });
		await create({ invoice_id: 456, items: [{ order_item_id: 21, qty: 1 }], shipping_amount: 0 });
		const after = await invoice('increment_id=100000046');
		expect(after.body).toMatchObject({ grand_total: 359.7, total_refunded: 19.9, order_total_refunded: 19.9 });
		expect(after.body.items).toContainEqual(expect.objectContaining({ order_item_id: 21, qty: 2, qty_refunded: 1 }));
		expect((await invoice('id=999999')).body).toEqual({ error: 'Invoice not found' });
		expect((await invoice('')).status).toBe(400);
	});
});

describe('Magento REST: the documented errors', () => {
	it('400 Invalid item: no order_item_id/sku, both, or a non-positive qty', async () => {
		for (const items of [[{ qty: 1 }], [{ order_item_id: 10, sku: 'PRODUCT-010', qty: 1 }], [{ order_item_id: 10, qty: 0 }], [{ sku: 'PRODUCT-010', qty: -1 }], [{ order_item_id: 99, qty: 1 }]]) {
			const response = await create({ order_increment_id: '100000123', items });
			expect(response.status).toBe(400);
			expect(response.body).toEqual({ error: 'Invalid item' });
		}
		expect(sandbox.ledger()).toHaveLength(0);
	});

	it('400 Cannot create credit memo: nothing left to refund (already refunded, closed)', async () => {
		expect((await create({ order_increment_id: '100000128' })).body).toEqual({ error: 'Cannot create credit memo' });
		expect((await create(refundByInvoice)).status).toBe(201);
		const again = await create(refundByInvoice);
		expect(again.status).toBe(400);
		expect(again.body).toEqual({ error: 'Cannot create credit memo' });
	});

	it('400 Online refund not supported: the check/money order payment of order 100000123', async () => {
		const response = await create({ ...partialByOrder, refund_type: 'online' });
		expect(response.status).toBe(400);
		expect(response.body).toEqual({ error: 'Online refund not supported' });
	});

	it('401 Unauthorized without a token, with an unknown one, or an expired one', async () => {
		expect((await create(refundByInvoice, '/creditmemo', {})).body).toEqual({ error: 'Unauthorized' });
		expect((await create(refundByInvoice, '/creditmemo', { Authorization: 'Bearer nope' })).status).toBe(401);
		const token = await call(`${base}/oauth/token`, { form: { client_id: MAGENTO_REST_DEMO.clientId, client_secret: MAGENTO_REST_DEMO.clientSecret, grant_type: 'client_credentials' } });
		expect(token.status).toBe(200);
		expect(token.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, refresh_token: expect.any(String) });
		const bearer = { Authorization: `Bearer ${token.body.access_token}` };
		expect((await create(partialByOrder, '/creditmemo', bearer)).status).toBe(201);
		sandbox.clock.advance(3600 * 1000);
		expect((await create(partialByOrder, '/creditmemo', bearer)).status).toBe(401);
		expect((await create(partialByOrder)).status).toBe(201);
		expect(sandbox.ledger()).toHaveLength(2);
	});

	it('404 Invoice not found / Order not found', async () => {
		expect(await create({ invoice_id: 999 })).toMatchObject({ status: 404, body: { error: 'Invoice not found' } });
		expect(await create({ invoice_increment_id: '999999999' })).toMatchObject({ status: 404, body: { error: 'Invoice not found' } });
		expect(await create({ order_id: 999 })).toMatchObject({ status: 404, body: { error: 'Order not found' } });
		expect(await create({ order_increment_id: '999999999' })).toMatchObject({ status: 404, body: { error: 'Order not found' } });
	});

	it('409 Conflict on save and 503 lock wait come from the fault API, before anything is saved', async () => {
		sandbox.setFaults([
			{ provider: 'magentoRest', operation: 'createCreditMemo', kind: 'serverError', status: 409, count: 1 },
			{ provider: 'magentoRest', operation: 'createCreditMemo', kind: 'unavailable', count: 1 },
		]);
		expect(await create(partialByOrder)).toMatchObject({ status: 409, body: { error: 'Conflict on save' } });
		expect(await create(partialByOrder)).toMatchObject({ status: 503, body: { error: 'Lock wait timeout exceeded; try restarting transaction' } });
		expect(sandbox.ledger()).toHaveLength(0);
		expect((await create(partialByOrder)).status).toBe(201);
	});

	it('500 Payment gateway error for an online refund whose gateway fails; nothing is saved', async () => {
		const failed = await create({ order_increment_id: '100000127', refund_type: 'online' });
		expect(failed).toMatchObject({ status: 500, body: { error: 'Payment gateway error' } });
		expect(sandbox.ledger()).toHaveLength(0);
		const offline = await create({ order_increment_id: '100000127', refund_type: 'offline' });
		expect(offline).toMatchObject({ status: 201, body: { grand_total: 209.9 } });
	});

	it('400 for a missing or ambiguous source, unknown or mistyped fields and bad JSON', async () => {
		expect((await create({ refund_type: 'offline' })).body.error).toMatch(/^Missing source/);
		expect((await create({ invoice_id: 456, order_id: 124 })).body.error).toMatch(/^Ambiguous source/);
		expect((await create({ ...partialByOrder, refund_reference: 'RMA-1' })).body).toEqual({ error: 'Invalid parameter: refund_reference' });
		expect((await create({ ...partialByOrder, refund_type: 'cash' })).body).toEqual({ error: 'Invalid parameter: refund_type' });
		expect((await create({ ...partialByOrder, shipping_amount: '0' })).body).toEqual({ error: 'Invalid parameter: shipping_amount' });
		expect((await create({ ...partialByOrder, adjustment_positive: 1.005 })).body).toEqual({ error: 'Invalid parameter: adjustment_positive' });
		expect((await create({ ...partialByOrder, items: { order_item_id: 10, qty: 1 } })).body).toEqual({ error: 'Invalid parameter: items' });
		const json = await call(`${base}/creditmemo`, { method: 'POST', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: '{"invoice_id":' });
		expect(json).toMatchObject({ status: 400, body: { error: 'Invalid JSON' } });
		expect(sandbox.ledger()).toHaveLength(0);
	});
});

describe('Magento REST: refund rules', () => {
	it('never refunds more than invoiced and not yet refunded', async () => {
		const tooMany = await create({ order_increment_id: '100000123', items: [{ order_item_id: 10, qty: 4 }] });
		expect(tooMany).toMatchObject({ status: 400, body: { error: 'Invalid qty to refund item "Camiseta Azul"' } });
		expect((await create({ order_increment_id: '100000123', items: [{ sku: 'PRODUCT-010', qty: 2 }], shipping_amount: 0 })).status).toBe(201);
		const rest = await create({ order_increment_id: '100000123', items: [{ order_item_id: 10, qty: 1 }, { order_item_id: 10, qty: 1 }], shipping_amount: 0 });
		expect(rest.body).toEqual({ error: 'Invalid qty to refund item "Camiseta Azul"' });
		// By invoice: the invoice's quantities bound the refund too.
		expect((await create({ invoice_id: 455, items: [{ order_item_id: 10, qty: 2 }], shipping_amount: 0 })).body.error).toBe('Invalid qty to refund item "Camiseta Azul"');
		expect((await create({ invoice_id: 455, items: [{ order_item_id: 10, qty: 1 }], shipping_amount: 0 })).status).toBe(201);
	});

	it('shipping: all that is left by default, never more than that', async () => {
		const first = await create({ order_increment_id: '100000123', items: [{ order_item_id: 11, qty: 1 }] });
		expect(first.body).toMatchObject({ shipping_amount: 15, grand_total: 54.9 });
		const more = await create({ order_increment_id: '100000123', items: [{ order_item_id: 10, qty: 1 }], shipping_amount: 0.01 });
		expect(more.body).toEqual({ error: 'Maximum shipping amount allowed to refound is: 0.00' });
	});

	it('money: the total must be positive and within what was paid and not refunded', async () => {
		const negative = await create({ ...partialByOrder, adjustment_negative: 60 });
		expect(negative.body).toEqual({ error: "Credit memo's total must be positive." });
		// Order 100000123 paid 3 * 59.90 + 39.90 + 15.00 = 234.60.
		const tooMuch = await create({ ...partialByOrder, adjustment_positive: 174.71 });
		expect(tooMuch.body).toEqual({ error: 'The most money available to refund is 234.60.' });
		const exact = await create({ ...partialByOrder, adjustment_positive: 174.7 });
		expect(exact.body.grand_total).toBe(234.6);
		expect((await create({ order_increment_id: '100000123', items: [{ order_item_id: 11, qty: 1 }], shipping_amount: 0 })).body.error).toBe(
			'The most money available to refund is 0.00.',
		);
	});

	it('no idempotency: a retry after a dropped response creates a second memo', async () => {
		sandbox.setFaults([{ provider: 'magentoRest', kind: 'dropAfterCommit', count: 1 }]);
		const dropped = await rawRequest(`${base}/creditmemo`, { method: 'POST', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: JSON.stringify(partialByOrder) });
		expect('error' in dropped).toBe(true);
		expect((await create(partialByOrder)).status).toBe(201);
		expect(sandbox.ledger('magentoRest').map((entry) => entry.responseDropped ?? false)).toEqual([true, false]);
	});

	it('the bulk order takes hundreds of memos', async () => {
		const responses = await Promise.all(Array.from({ length: 300 }, (_, index) => create({ order_increment_id: '100000900', items: [{ sku: index % 2 ? 'BULK-UNIT' : 'BULK-WIDGET', qty: 2 }] })));
		expect(responses.every((response) => response.status === 201)).toBe(true);
		expect(new Set(responses.map((response) => response.body.increment_id)).size).toBe(300);
	});
});

describe('Magento REST: tokens, history, health', () => {
	it('refresh tokens give a new access token once', async () => {
		const form = { client_id: MAGENTO_REST_DEMO.clientId, client_secret: MAGENTO_REST_DEMO.clientSecret };
		const first = await call(`${base}/oauth/token`, { form: { ...form, grant_type: 'client_credentials' } });
		const refreshed = await call(`${base}/oauth/token`, { form: { ...form, grant_type: 'refresh_token', refresh_token: first.body.refresh_token } });
		expect(refreshed.status).toBe(200);
		expect(refreshed.body.access_token).not.toBe(first.body.access_token);
		const reused = await call(`${base}/oauth/token`, { form: { ...form, grant_type: 'refresh_token', refresh_token: first.body.refresh_token } });
		expect(reused.status).toBe(401);
		expect((await call(`${base}/oauth/token`, { form: { ...form, client_secret: 'x', grant_type: 'client_credentials' } })).status).toBe(401);
		expect((await call(`${base}/oauth/token`, { form: { ...form, grant_type: 'password' } })).status).toBe(400);
		sandbox.expireSessions('magentoRest');
		expect((await create(partialByOrder, '/creditmemo', { Authorization: `Bearer ${refreshed.body.access_token}` })).status).toBe(401);
		expect((await create(partialByOrder)).status).toBe(201);
	});

	it('POST /api2/history adds an order comment (and status); GET lists them', async () => {
		const added = await call(`${base}/history`, {
			method: 'POST',
			headers: AUTH,
			json: { order_increment_id: '100000123', comment: 'Credit memo 100000501 created for RMA-7.', status: 'closed', is_customer_notified: false, is_visible_on_front: 1 },
		});
		expect(added.status).toBe(201);
		expect(added.body).toEqual({
			entity_id: 1,
			parent_id: 123,
			order_increment_id: '100000123',
			comment: 'Credit memo 100000501 created for RMA-7.',
			status: 'closed',
			is_customer_notified: 0,
			is_visible_on_front: 1,
			created_at: expect.any(String),
		});
		const listed = await call(`${base}/history?order_id=123`, { headers: AUTH });
		expect(listed.body).toEqual([added.body]);
		const history = (json: unknown) => call(`${base}/history`, { method: 'POST', headers: AUTH, json });
		expect(await history({ order_increment_id: '999', comment: 'x' })).toMatchObject({ status: 404, body: { error: 'Order not found' } });
		expect((await history({ order_id: 123, comment: 'x', status: 'teleported' })).body).toEqual({ error: 'Invalid parameter: status' });
		expect((await history({ order_id: 123 })).body).toEqual({ error: 'Invalid parameter: comment' });
		expect((await history({ order_id: 123, order_increment_id: '100000123', comment: 'x' })).status).toBe(400);
		expect((await history({ order_id: 123, comment: 'x', notify: true })).body).toEqual({ error: 'Invalid parameter: notify' });
		expect(sandbox.ledger()).toHaveLength(0);
	});

	it('GET /api2/oauth/health is public', async () => {
		const health = await call(`${base}/oauth/health`);
		expect(health.body).toEqual({ status: 'ok', message: 'API Rest da Plataforma Yep! Ativa' });
		expect((await call(`${base}/creditmemo`, { headers: AUTH })).status).toBe(404);
	});

	it('429 (from a fault) is an error body with Retry-After', async () => {
		sandbox.setFaults([{ provider: 'magentoRest', kind: 'rateLimited', retryAfterSeconds: 1, count: 1 }]);
		const limited = await create(partialByOrder);
		expect(limited).toMatchObject({ status: 429, body: { error: 'Too Many Requests' } });
		expect(limited.headers.get('retry-after')).toBe('1');
	});
});
