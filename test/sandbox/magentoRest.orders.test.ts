/** The Magento REST emulator's order lookup and listing (GET /api2/order), added for the node's balance check and credential test. */
import { startSandbox, type Sandbox } from '../../sandbox';
import { MAGENTO_REST_DEMO } from '../../sandbox/demoCredentials';
import { call } from './helpers';

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

const orders = (query: string, headers = AUTH) => call(`${base}/order?${query}`, { headers });

describe('Magento REST: GET /api2/order', () => {
	it('looks one order up by entity ID or increment ID, with what is paid and refunded', async () => {
		const byId = await orders('id=123');
		expect(byId.status).toBe(200);
		expect(byId.body).toEqual({
			entity_id: 123,
			increment_id: '100000123',
			state: 'complete',
			status: 'complete',
			order_currency_code: 'BRL',
			payment_method: 'checkmo',
			can_refund_online: false,
			subtotal: 219.6,
			shipping_amount: 15,
			shipping_refunded: 0,
			grand_total: 234.6,
			total_paid: 234.6,
			total_refunded: 0,
			items: [
				{ item_id: 10, sku: 'PRODUCT-010', name: 'Camiseta Azul', price: 59.9, qty_ordered: 3, qty_invoiced: 3, qty_refunded: 0 },
				{ item_id: 11, sku: 'PRODUCT-011', name: 'Boné Preto', price: 39.9, qty_ordered: 1, qty_invoiced: 1, qty_refunded: 0 },
			],
		});
		expect((await orders('increment_id=100000123')).body).toEqual(byId.body);
	});

	it('reflects a credit memo in the refunded totals and quantities', async () => {
		const memo = await call(`${base}/creditmemo`, {
			method: 'POST',
			headers: AUTH,
			json: { order_increment_id: '100000123', shipping_amount: 5, items: [{ order_item_id: 10, qty: 1 }] },
		});
		expect(memo.status).toBe(201);

		const order = await orders('increment_id=100000123');
		expect(order.body).toMatchObject({ shipping_refunded: 5, total_refunded: 64.9 });
		expect(order.body.items[0]).toMatchObject({ item_id: 10, qty_refunded: 1 });
	});

	it('answers 404 "Order not found" for an unknown order, and 401 without a token', async () => {
		expect(await orders('increment_id=999')).toMatchObject({ status: 404, body: { error: 'Order not found' } });
		expect(await orders('id=123', {} as typeof AUTH)).toMatchObject({ status: 401, body: { error: 'Unauthorized' } });
	});

	it('lists orders by page, with pagination metadata on request', async () => {
		const first = await orders('limit=1');
		expect(first.status).toBe(200);
		expect(first.body.orders).toHaveLength(1);
		expect(first.body.orders[0].increment_id).toBe('100000123');
		expect(first.body.total).toBeUndefined();

		const second = await orders('page=2&limit=2&include_pagination=1');
		expect(second.body.orders.map((order: { increment_id: string }) => order.increment_id)).toEqual(['100000125', '100000127']);
		expect(second.body).toMatchObject({ page: 2, limit: 2, total: 6, last_page: 3, has_next: true });
		// An invalid limit falls back to the default of 20 (all six seeded orders).
		expect((await orders('limit=abc')).body.orders).toHaveLength(6);
	});
});
