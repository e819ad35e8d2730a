/**
 * The Rebilly emulator against the official spec (sandbox/specs/rebilly-credit-memo-schemas.bundled.json) and the
 * seed's field list (../shared/seeds/002: POST /credit-memos).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { REBILLY_DEMO } from '../../sandbox/demoCredentials';
import { call } from './helpers';
import { rebillySchema } from './schemas';

const CUSTOMER = 'cus_0YV7DDSDD1C8DA64KHH2W33CPF';
const INVOICE = 'in_0YVF9605RKC62BP14NE2R7V2XT';
const INVOICE_ITEM = 'ii_0YVFDEQS2KCFTBN9HXWJFY55GV';
const AUTH = { 'REB-APIKEY': REBILLY_DEMO.apiKey };

let sandbox: Sandbox;
let base: string;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	base = `${sandbox.url}/rebilly/organizations/${REBILLY_DEMO.organizationId}`;
});

afterAll(async () => {
	await sandbox.stop();
});

beforeEach(() => sandbox.reset());

const post = (body: unknown, headers: Record<string, string> = AUTH) => call(`${base}/credit-memos`, { method: 'POST', headers, json: body });
const put = (id: string, body: unknown) => call(`${base}/credit-memos/${id}`, { method: 'PUT', headers: AUTH, json: body });
const get = (pathAndQuery: string) => call(`${base}${pathAndQuery}`, { headers: AUTH });

/** Every writable field of the seed's POST /credit-memos table. */
const seedExample = {
	customerId: CUSTOMER,
	currency: 'USD',
	invoiceId: INVOICE,
	reason: 'return',
	description: 'Refund for RMA-1001',
	shippingAmount: 5,
	items: [
		{
			invoiceItemId: INVOICE_ITEM,
			description: 'Pro plan (monthly)',
			unitPrice: 49,
			quantity: 1,
			productId: 'prod_0YV7DES3WPC5J8JD8QTVNZBZNZ',
			planId: 'plan_0YV7DENSVGDBW9S71XZNNYYQ0X',
			tax: { amount: 3.92, description: 'Sales tax', rate: 0.08 },
		},
	],
	allocations: { transactions: [], invoices: [] },
};

describe('Rebilly: create, read, upsert', () => {
	it('POST /credit-memos with the seed fields: 201, Location, rate-limit headers, a schema-valid memo', async () => {
		expect(rebillySchema('CreditMemo')(seedExample)).toEqual([]);
		const created = await post(seedExample);
		expect(created.status).toBe(201);
		expect(rebillySchema('CreditMemo')(created.body)).toEqual([]);
		expect(created.body).toMatchObject({
			id: expect.stringMatching(/^crmm_[0-9A-Z]{26}$/),
			customerId: CUSTOMER,
			invoiceId: INVOICE,
			status: 'issued',
			shippingAmount: 5,
			taxAmount: 3.92,
			totalAmount: 57.92,
			unusedAmount: 57.92,
			revision: 1,
			number: 2,
		});
		expect(created.body.items[0]).toMatchObject({ id: expect.stringMatching(/^crmm_itm_/), price: 49, quantity: 1 });
		const location = created.headers.get('location');
		expect(location).toBe(`${base}/credit-memos/${created.body.id}`);
		expect(created.headers.get('x-ratelimit-limit')).toBe('3000');
		expect(created.headers.get('x-ratelimit-remaining')).toBe('2999');

		const fetched = await call(location!, { headers: AUTH });
		expect(fetched.status).toBe(200);
		expect(fetched.body).toEqual(created.body);

		const [entry] = sandbox.ledger('rebilly');
		expect(entry).toMatchObject({ creditMemoId: created.body.id, reference: 'Refund for RMA-1001', source: INVOICE, totalAmount: 57.92, operation: 'createCreditMemo' });
		expect(entry.request.headers['reb-apikey']).toBe('[redacted]');
		expect(JSON.stringify(sandbox.ledger())).not.toContain(REBILLY_DEMO.apiKey);
	});

	it('a minimal memo (customerId and currency only) is valid; readOnly fields in the request are ignored', async () => {
		const created = await post({ customerId: 'cus_demo_grace', currency: 'EUR', status: 'voided', totalAmount: 999, id: 'ignored' });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ status: 'issued', totalAmount: 0, invoiceId: null });
		expect(created.body.id).not.toBe('ignored');
	});

	it('PUT /credit-memos/{id} upserts: 201 + Location when new, 200 when it exists; one ledger entry', async () => {
		const first = await put('cm-RMA-2001', seedExample);
		expect(first.status).toBe(201);
		expect(first.headers.get('location')).toBe(`${base}/credit-memos/cm-RMA-2001`);
		expect(rebillySchema('CreditMemo')(first.body)).toEqual([]);
		const second = await put('cm-RMA-2001', { ...seedExample, description: 'updated' });
		expect(second.status).toBe(200);
		expect(second.body).toMatchObject({ id: 'cm-RMA-2001', description: 'updated', revision: 2, createdTime: first.body.createdTime });
		expect(sandbox.ledger('rebilly').map((entry) => entry.creditMemoId)).toEqual(['cm-RMA-2001']);
		// The update replaced the memo: its own quantity does not count twice against the invoice.
		expect((await put('cm-RMA-2001', seedExample)).status).toBe(200);
	});

	it('PUT with an ID outside the spec pattern is a validation error', async () => {
		const response = await put('bad%20id', seedExample);
		expect(response.status).toBe(422);
		expect(response.body.invalidFields).toEqual([{ field: 'id', message: expect.any(String) }]);
	});

	it('GET of an unknown ID is a 404 problem', async () => {
		const response = await get('/credit-memos/crmm_DOES_NOT_EXIST');
		expect(response.status).toBe(404);
		expect(rebillySchema('Problem_NotFound')(response.body)).toEqual([]);
		expect(response.body).toMatchObject({ status: 404, detail: expect.stringContaining('crmm_DOES_NOT_EXIST') });
	});

	it('the seeded example memo of the spec can be read', async () => {
		const response = await get('/credit-memos/crmm_0YVCNN22TWC3G8H82QNPNVZCHG');
		expect(response.status).toBe(200);
		expect(rebillySchema('CreditMemo')(response.body)).toEqual([]);
		expect(response.body).toMatchObject({ number: 1, totalAmount: 49, customerId: CUSTOMER });
	});

	it('PATCH changes the writable fields it names', async () => {
		const created = await post(seedExample);
		const patched = await call(`${base}/credit-memos/${created.body.id}`, { method: 'PATCH', headers: AUTH, json: { description: 'patched', reason: 'other' } });
		expect(patched.status).toBe(200);
		expect(patched.body).toMatchObject({ description: 'patched', reason: 'other', totalAmount: 57.92, revision: 2 });
		const invalid = await call(`${base}/credit-memos/${created.body.id}`, { method: 'PATCH', headers: AUTH, json: { customerId: 'x' } });
		expect(invalid.status).toBe(422);
		expect(invalid.body.invalidFields).toEqual([{ field: 'customerId', message: 'This field was not expected.' }]);
	});
});

describe('Rebilly: errors', () => {
	it('401 without or with a wrong API key, 403 for another organization', async () => {
		const attempts: Array<Record<string, string>> = [{}, { 'REB-APIKEY': 'sk_wrong' }, { Authorization: 'Bearer some.jwt' }];
		for (const headers of attempts) {
			const response = await post(seedExample, headers);
			expect(response.status).toBe(401);
			expect(rebillySchema('Problem_Unauthorized')(response.body)).toEqual([]);
			expect(response.body).toMatchObject({ title: 'Unauthorized', status: 401 });
		}
		const other = await call(`${sandbox.url}/rebilly/organizations/other-org/credit-memos`, { method: 'POST', headers: AUTH, json: seedExample });
		expect(other.status).toBe(403);
		expect(rebillySchema('Problem_Forbidden')(other.body)).toEqual([]);
		expect(sandbox.ledger()).toHaveLength(0);
	});

	it('422 with invalidFields for unknown, mistyped and missing fields', async () => {
		const response = await post({
			currency: 'USD',
			refundReference: 'RMA-1',
			reason: 'because',
			items: [{ unitPrice: '49.00', quantity: 1.5 }],
		});
		expect(response.status).toBe(422);
		expect(rebillySchema('Problem_ValidationError')(response.body)).toEqual([]);
		const fields = Object.fromEntries((response.body.invalidFields as Array<{ field: string; message: string }>).map((item) => [item.field, item.message]));
		expect(fields).toEqual({
			refundReference: 'This field was not expected.',
			customerId: 'This value should not be blank.',
			reason: 'The value you selected is not a valid choice.',
			'items.0.unitPrice': 'This value should be of type number.',
			'items.0.quantity': 'This value should be of type integer.',
		});
		expect(sandbox.ledger()).toHaveLength(0);
	});

	it('422 for an unknown customer, invoice or invoice item, and a currency that is not the invoice currency', async () => {
		const unknownCustomer = await post({ customerId: 'cus_nobody', currency: 'USD' });
		expect(unknownCustomer.body.invalidFields).toEqual([{ field: 'customerId', message: 'Customer cus_nobody not found.' }]);
		const wrongCurrency = await post({ ...seedExample, currency: 'EUR' });
		expect(wrongCurrency.body.invalidFields).toEqual([{ field: 'currency', message: 'The currency must be the invoice currency (USD).' }]);
		const foreignItem = await post({ ...seedExample, items: [{ invoiceItemId: 'ii_demo_grace_seats', unitPrice: 1, quantity: 1 }] });
		expect(foreignItem.body.invalidFields[0]).toMatchObject({ field: 'items.0.invoiceItemId' });
		const otherCustomersInvoice = await post({ ...seedExample, customerId: 'cus_demo_grace', items: [] });
		expect(otherCustomersInvoice.body.invalidFields).toContainEqual({ field: 'invoiceId', message: `Invoice ${INVOICE} belongs to another customer.` });
		expect([unknownCustomer, wrongCurrency, foreignItem, otherCustomersInvoice].every((response) => response.status === 422)).toBe(true);
	});

	it('never credits more than was invoiced: quantity per invoice item, shipping and money', async () => {
		// Two seats of the Pro plan were invoiced; the seeded memo credited one.
		const tooMany = await post({ ...seedExample, items: [{ ...seedExample.items[0], quantity: 2 }] });
		expect(tooMany.status).toBe(422);
		expect(tooMany.body.invalidFields).toEqual([
			{ field: 'items.0.quantity', message: `Invalid quantity: 1 of invoice item ${INVOICE_ITEM} can still be credited, 2 requested.` },
		]);
		const shipping = await post({ ...seedExample, shippingAmount: 10.01 });
		expect(shipping.body.invalidFields).toEqual([{ field: 'shippingAmount', message: `The most shipping available to credit on invoice ${INVOICE} is 10.00.` }]);
		// Invoice total 2*49 + 150 + 12 tax + 10 shipping = 270; the seeded memo took 49, so 221 is left.
		const money = await post({ customerId: CUSTOMER, currency: 'USD', invoiceId: INVOICE, items: [{ unitPrice: 221.01, quantity: 1 }] });
		expect(money.body.invalidFields).toEqual([{ field: 'invoiceId', message: `The most money available to credit on invoice ${INVOICE} is 221.00 USD.` }]);
		const exact = await post({ customerId: CUSTOMER, currency: 'USD', invoiceId: INVOICE, items: [{ unitPrice: 221, quantity: 1 }] });
		expect(exact.status).toBe(201);
		expect((await post({ customerId: CUSTOMER, currency: 'USD', invoiceId: INVOICE, items: [{ unitPrice: 0.01, quantity: 1 }] })).status).toBe(422);
	});

	it('400 for a body that is not JSON', async () => {
		const response = await call(`${base}/credit-memos`, { method: 'POST', headers: { ...AUTH, 'Content-Type': 'application/json' }, body: '{"customerId":' });
		expect(response.status).toBe(400);
		expect(response.body).toMatchObject({ status: 400, title: 'Bad Request' });
	});
});

describe('Rebilly: timeline and void', () => {
	it('POST /credit-memos/{id}/timeline adds a comment: 201 + Location, a schema-valid message', async () => {
		const memo = (await post(seedExample)).body;
		const request = { message: 'Refund approved by support (ticket 4711)' };
		expect(rebillySchema('CreditMemoTimeline')(request)).toEqual([]);
		const created = await call(`${base}/credit-memos/${memo.id}/timeline`, { method: 'POST', headers: AUTH, json: request });
		expect(created.status).toBe(201);
		expect(rebillySchema('CreditMemoTimeline')(created.body)).toEqual([]);
		expect(created.body).toMatchObject({ id: expect.stringMatching(/^tmln_/), message: request.message, triggeredBy: 'direct-api' });
		expect(created.headers.get('location')).toBe(`${base}/credit-memos/${memo.id}/timeline/${created.body.id}`);
		const listed = await get(`/credit-memos/${memo.id}/timeline`);
		expect(listed.body.map((message: { message: string }) => message.message)).toEqual(['Credit memo created.', request.message]);
		expect((await call(created.headers.get('location')!, { headers: AUTH })).body).toEqual(created.body);
	});

	it('timeline: an empty or unknown field is 422, an unknown memo 404', async () => {
		const memo = (await post(seedExample)).body;
		const empty = await call(`${base}/credit-memos/${memo.id}/timeline`, { method: 'POST', headers: AUTH, json: { message: ' ' } });
		expect(empty.status).toBe(422);
		expect(empty.body.invalidFields).toEqual([{ field: 'message', message: 'This value should not be blank.' }]);
		const extra = await call(`${base}/credit-memos/${memo.id}/timeline`, { method: 'POST', headers: AUTH, json: { message: 'x', comment: 'y' } });
		expect(extra.body.invalidFields).toEqual([{ field: 'comment', message: 'This field was not expected.' }]);
		const unknown = await call(`${base}/credit-memos/crmm_nope/timeline`, { method: 'POST', headers: AUTH, json: { message: 'x' } });
		expect(unknown.status).toBe(404);
	});

	it('POST /credit-memos/{id}/void: 201 voided; voiding again is a 409 problem; a voided memo frees its quantities', async () => {
		const memo = (await post(seedExample)).body;
		// The last Pro plan seat is credited now.
		expect((await post(seedExample)).status).toBe(422);
		const voided = await call(`${base}/credit-memos/${memo.id}/void`, { method: 'POST', headers: AUTH });
		expect(voided.status).toBe(201);
		expect(rebillySchema('CreditMemo')(voided.body)).toEqual([]);
		expect(voided.body).toMatchObject({ status: 'voided', unusedAmount: 0 });
		const again = await call(`${base}/credit-memos/${memo.id}/void`, { method: 'POST', headers: AUTH });
		expect(again.status).toBe(409);
		expect(rebillySchema('Problem_Conflict')(again.body)).toEqual([]);
		expect((await put(memo.id, seedExample)).status).toBe(409);
		expect((await post(seedExample)).status).toBe(201);
		expect((await call(`${base}/credit-memos/crmm_nope/void`, { method: 'POST', headers: AUTH })).status).toBe(404);
	});
});

describe('Rebilly: list', () => {
	it('paginates with limit/offset and Pagination-* headers, newest first', async () => {
		for (let i = 1; i <= 5; i++) {
			sandbox.clock.set(new Date(Date.UTC(2030, 0, i)));
			expect((await post({ customerId: 'cus_demo_grace', currency: 'EUR', description: `memo ${i}` })).status).toBe(201);
		}
		const page = await get('/credit-memos?limit=2&offset=1&filter=customerId:cus_demo_grace');
		expect(page.status).toBe(200);
		expect(page.headers.get('pagination-total')).toBe('5');
		expect(page.headers.get('pagination-limit')).toBe('2');
		expect(page.headers.get('pagination-offset')).toBe('1');
		expect(page.body.map((memo: { description: string }) => memo.description)).toEqual(['memo 4', 'memo 3']);
		for (const memo of page.body) expect(rebillySchema('CreditMemo')(memo)).toEqual([]);
		const ascending = await get('/credit-memos?filter=customerId:cus_demo_grace&sort=createdTime&limit=1');
		expect(ascending.body[0].description).toBe('memo 1');
	});

	it('filters by customerId, invoiceId, status and a createdTime range', async () => {
		sandbox.clock.set(new Date('2030-03-01T12:00:00Z'));
		const march = (await post(seedExample)).body;
		sandbox.clock.set(new Date('2030-04-01T12:00:00Z'));
		const april = (await post({ customerId: CUSTOMER, currency: 'USD' })).body;
		await call(`${base}/credit-memos/${april.id}/void`, { method: 'POST', headers: AUTH });

		const ids = async (filter: string) => (await get(`/credit-memos?filter=${encodeURIComponent(filter)}`)).body.map((memo: { id: string }) => memo.id);
		expect(await ids(`invoiceId:${INVOICE}`)).toEqual([march.id, 'crmm_0YVCNN22TWC3G8H82QNPNVZCHG']);
		expect(await ids('status:voided')).toEqual([april.id]);
		expect(await ids(`customerId:${CUSTOMER};status:issued,voided`)).toEqual([april.id, march.id, 'crmm_0YVCNN22TWC3G8H82QNPNVZCHG']);
		expect(await ids('createdTime:2030-02-01T00:00:00Z..2030-03-31T23:59:59Z')).toEqual([march.id]);
		expect(await ids('createdTime:2030-03-15T00:00:00Z..')).toEqual([april.id]);
		const invalid = await get('/credit-memos?filter=colour:red');
		expect(invalid.status).toBe(400);
		expect((await get('/credit-memos?limit=5000')).status).toBe(400);
	});
});

describe('Rebilly: limits and faults', () => {
	it('a 429 burst uses the problem shape and X-RateLimit-Retry-After as epoch seconds', async () => {
		sandbox.setFaults([{ provider: 'rebilly', operation: 'createCreditMemo', kind: 'rateLimited', retryAfterSeconds: 1, count: 1 }]);
		const before = Math.floor(Date.now() / 1000);
		const limited = await post(seedExample);
		expect(limited.status).toBe(429);
		expect(rebillySchema('Problem_TooManyRequests')(limited.body)).toEqual([]);
		expect(limited.body).toMatchObject({ status: 429, title: 'Rate Limit Exceeded' });
		const retryAt = Number(limited.headers.get('x-ratelimit-retry-after'));
		expect(Number.isInteger(retryAt)).toBe(true);
		expect(retryAt).toBeGreaterThanOrEqual(before + 1);
		expect(retryAt).toBeLessThanOrEqual(before + 3);
		expect(sandbox.ledger()).toHaveLength(0);
		expect((await post(seedExample)).status).toBe(201);
	});

	it('enforces the organization write limit per window (a fixture with limit 3)', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rebilly-fixture-'));
		const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'sandbox', 'fixtures', 'rebilly.json'), 'utf8'));
		fs.writeFileSync(path.join(dir, 'rebilly.json'), JSON.stringify({ ...fixture, rateLimit: { limit: 3, windowSeconds: 60 } }));
		const small = await startSandbox({ port: 0, fixturesDir: dir });
		try {
			const url = `${small.url}/rebilly/organizations/demo-org/credit-memos`;
			const write = () => call(url, { method: 'POST', headers: AUTH, json: { customerId: 'cus_demo_grace', currency: 'EUR' } });
			const statuses = [];
			for (let i = 0; i < 4; i++) statuses.push((await write()).status);
			expect(statuses).toEqual([201, 201, 201, 429]);
			expect((await call(url, { headers: AUTH })).status).toBe(200);
			small.clock.advance(61_000);
			expect((await write()).status).toBe(201);
		} finally {
			await small.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('the bulk invoice takes hundreds of memos', async () => {
		const body = { customerId: 'cus_bulk_refunds', currency: 'USD', invoiceId: 'in_bulk_refunds_0001', items: [{ invoiceItemId: 'ii_bulk_refunds_units', unitPrice: 1, quantity: 3 }] };
		const responses = await Promise.all(Array.from({ length: 300 }, () => post(body)));
		expect(responses.every((response) => response.status === 201)).toBe(true);
		expect(new Set(responses.map((response) => response.body.id)).size).toBe(300);
		expect(sandbox.ledger('rebilly')).toHaveLength(300);
	});
});
