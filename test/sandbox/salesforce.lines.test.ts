/**
 * What the Salesforce emulator adds for the node's "already credited" lookup and Append: the change orders'
 * order products (OrderItem), the credit memo lines that credit them (CreditMemoLine), and CreditMemo describe.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import { createSalesforceEmulator } from '../../sandbox/providers/salesforce';

const SUMMARY = '1OsSB00000000010AA';
const SEED_CHANGE_ORDER = '801R0000000EAAkIAO';
const SOCKS_CHANGE_ORDER = '801SB0000000002YAA';
const SEEDED_MEMO = '50gSB0000000001YAA';
const CREDITED_BY_SEEDED_MEMO = '801SB0000000003YAA';

type Json = Record<string, unknown>;
let sandbox: Sandbox;
let base: string;
let token: string;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, emulators: [createSalesforceEmulator] });
	base = `${sandbox.url}/salesforce`;
});
afterAll(async () => await sandbox.stop());
beforeEach(async () => {
	sandbox.reset();
	const response = await fetch(`${base}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'sf-sandbox-client', client_secret: 'sf-sandbox-secret' }).toString(),
	});
	token = ((await response.json()) as Json).access_token as string;
});

async function get(path: string): Promise<{ status: number; body: Json }> {
	const response = await fetch(`${base}/services/data/v66.0/${path}`, { headers: { Authorization: `Bearer ${token}` } });
	return { status: response.status, body: (await response.json()) as Json };
}
const query = async (soql: string) => await get(`query?q=${encodeURIComponent(soql)}`);
const records = (body: Json) => body.records as Json[];

describe('Salesforce emulator: order products, credit memo lines, describe', () => {
	it('a change order has one order product per returned line, plus one for its prorated delivery charge', async () => {
		const items = await query(`SELECT Id, OrderId, Type, TotalPrice FROM OrderItem WHERE OrderId IN ('${SEED_CHANGE_ORDER}', '${SOCKS_CHANGE_ORDER}')`);

		expect(items.status).toBe(200);
		expect(records(items.body).map(({ OrderId, Type, TotalPrice }) => ({ OrderId, Type, TotalPrice }))).toEqual([
			{ OrderId: SEED_CHANGE_ORDER, Type: 'Order Product', TotalPrice: -129 },
			{ OrderId: SEED_CHANGE_ORDER, Type: 'Delivery Charge', TotalPrice: -2.74 },
			{ OrderId: SOCKS_CHANGE_ORDER, Type: 'Order Product', TotalPrice: -24 },
		]);
		expect(records(items.body)[0]).toMatchObject({ attributes: { type: 'OrderItem' }, Id: expect.stringMatching(/^802SB/) });
	});

	it('a credit memo has one line per order product it credits, found by the order products and by the memo', async () => {
		const created = await fetch(`${base}/services/data/v66.0/commerce/order-management/order-summaries/${SUMMARY}/actions/create-credit-memo`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ changeOrderIds: [SEED_CHANGE_ORDER] }),
		});
		const memo = ((await created.json()) as Json).creditMemoId as string;
		const items = records((await query(`SELECT Id FROM OrderItem WHERE OrderId = '${SEED_CHANGE_ORDER}'`)).body).map((item) => item.Id as string);

		const byItem = await query(`SELECT CreditMemoId, ReferenceEntityItemId FROM CreditMemoLine WHERE ReferenceEntityItemId IN (${items.map((id) => `'${id}'`).join(', ')})`);
		const byMemo = await query(`SELECT ReferenceEntityItemId, ReferenceEntityItemType, ChargeAmount, TaxAmount FROM CreditMemoLine WHERE CreditMemoId = '${memo}'`);

		expect(records(byItem.body).map((line) => [line.CreditMemoId, line.ReferenceEntityItemId])).toEqual(items.map((item) => [memo, item]));
		expect(records(byMemo.body).map(({ ReferenceEntityItemType, ChargeAmount, TaxAmount }) => ({ ReferenceEntityItemType, ChargeAmount, TaxAmount }))).toEqual([
			{ ReferenceEntityItemType: 'OrderProduct', ChargeAmount: 129, TaxAmount: 10.32 },
			{ ReferenceEntityItemType: 'DeliveryCharge', ChargeAmount: 2.74, TaxAmount: 0.22 },
		]);
		expect(records(byItem.body)[0].attributes).toMatchObject({ type: 'CreditMemoLine' });
	});

	it('the seeded memo has lines for the change order it credits', async () => {
		const items = records((await query(`SELECT Id FROM OrderItem WHERE OrderId = '${CREDITED_BY_SEEDED_MEMO}'`)).body);
		const lines = await query(`SELECT CreditMemoId FROM CreditMemoLine WHERE ReferenceEntityItemId = '${items[0].Id as string}'`);

		expect(records(lines.body).map((line) => line.CreditMemoId)).toEqual([SEEDED_MEMO]);
	});

	it('describe gives the Description\'s length and that it is the one updateable field', async () => {
		const { status, body } = await get('sobjects/CreditMemo/describe');

		expect(status).toBe(200);
		const fields = body.fields as Json[];
		expect(fields.find((field) => field.name === 'Description')).toMatchObject({ length: 32000, updateable: true });
		expect(fields.filter((field) => field.updateable).map((field) => field.name)).toEqual(['Description']);
		expect(body).toMatchObject({ name: 'CreditMemo', keyPrefix: '50g' });
	});
});
