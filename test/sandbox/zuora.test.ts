/**
 * The Zuora emulator against the official fragment (sandbox/specs/zuora-credit-memos-fragment.yaml), the doc
 * examples (../shared/reference/specs/zuora/docs/) and the seed (../shared/seeds/004: bulk create).
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import { ZUORA_DEMO } from '../../sandbox/demoCredentials';
import { call, rawRequest } from './helpers';
import { zuoraDeclaredProperties, zuoraSchema } from './schemas';

const INVOICE = '8a90d7a892d82d920192dbcb314501c7';
const INVOICE_ITEM = '8a90d7a892d82d920192dbcb31f401c8';
const SEATS_ITEM = '8a90d7a892d82d920192dbcb31f401c9';
const ACCOUNT = '8ad09be48db5aba7018db604776d4854';
const PRPC = '8ad097b4909708e001909b41bb085d38';
const BULK_INVOICE = '8a90d7a892d82d920192dbcbb0c00001';
const BULK_ITEM = '8a90d7a892d82d920192dbcbb0c00002';
const LATEST = { 'Zuora-Version': '2025-08-12' };

let sandbox: Sandbox;
let base: string;
let auth: Record<string, string>;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	base = `${sandbox.url}/zuora`;
});

afterAll(async () => {
	await sandbox.stop();
});

async function token(): Promise<string> {
	const response = await call(`${base}/oauth/token`, {
		form: { client_id: ZUORA_DEMO.clientId, client_secret: ZUORA_DEMO.clientSecret, grant_type: 'client_credentials' },
	});
	expect(response.status).toBe(200);
	return response.body.access_token;
}

beforeEach(async () => {
	sandbox.reset();
	auth = { Authorization: `Bearer ${await token()}` };
});

const post = (path: string, json: unknown, headers: Record<string, string> = {}) => call(`${base}${path}`, { method: 'POST', headers: { ...auth, ...headers }, json });
const put = (path: string, json: unknown, headers: Record<string, string> = {}) => call(`${base}${path}`, { method: 'PUT', headers: { ...auth, ...headers }, json });
const get = (path: string, headers: Record<string, string> = {}) => call(`${base}${path}`, { headers: { ...auth, ...headers } });

/** Docs: Create credit memos, request sample, plus the response sample's second (failing) memo. */
const docBulkInvoice = {
	sourceType: 'Invoice',
	memos: [{ invoiceId: INVOICE, items: [{ amount: 10, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-00000707' }] }],
};
const docFromCharge = { accountId: ACCOUNT, charges: [{ amount: 10, productRatePlanChargeId: PRPC }] };
const codeCategory = (code: number | string) => Number(code) % 100;

function expectMemo(body: unknown) {
	expect(zuoraSchema('GETCreditMemoType')(body)).toEqual([]);
	const declared = zuoraDeclaredProperties('GETCreditMemoType');
	expect(Object.keys(body as object).filter((key) => !declared.has(key) && !key.endsWith('__c'))).toEqual([]);
}

describe('Zuora: OAuth', () => {
	it('issues one-hour bearer tokens for the demo client', async () => {
		const response = await call(`${base}/oauth/token`, {
			form: { client_id: ZUORA_DEMO.clientId, client_secret: ZUORA_DEMO.clientSecret, grant_type: 'client_credentials' },
		});
		expect(zuoraSchema('tokenResponse')(response.body)).toEqual([]);
		expect(response.body).toMatchObject({ access_token: expect.stringMatching(/^[0-9a-f]{32}$/), token_type: 'bearer', expires_in: 3599 });
		expect(response.headers.get('x-ratelimit-limit-minute')).toBe('100');
	});

	it('rejects bad clients and grant types', async () => {
		const wrong = await call(`${base}/oauth/token`, { form: { client_id: ZUORA_DEMO.clientId, client_secret: 'nope', grant_type: 'client_credentials' } });
		expect(wrong.status).toBe(401);
		expect(wrong.body.error).toBe('invalid_client');
		const grant = await call(`${base}/oauth/token`, { form: { client_id: ZUORA_DEMO.clientId, client_secret: ZUORA_DEMO.clientSecret, grant_type: 'password' } });
		expect(grant.status).toBe(400);
		const json = await call(`${base}/oauth/token`, { json: { client_id: ZUORA_DEMO.clientId } });
		expect(json.status).toBe(400);
	});

	it('401 without a token (code ...11), and with an expired or expired-by-fault token', async () => {
		const none = await call(`${base}/v1/credit-memos`, { headers: {} });
		expect(none.status).toBe(401);
		expect(codeCategory(none.body.reasons[0].code)).toBe(11);

		sandbox.clock.advance(3600 * 1000);
		const expired = await get('/v1/credit-memos');
		expect(expired.status).toBe(401);
		expect(expired.body).toEqual({ message: 'Authentication error' });
		expect(expired.headers.get('www-authenticate')).toContain('invalid_token');

		auth = { Authorization: `Bearer ${await token()}` };
		expect((await get('/v1/credit-memos')).status).toBe(200);
		sandbox.setFaults([{ provider: 'zuora', operation: 'listCreditMemos', kind: 'expiredSession', count: 1 }]);
		expect((await get('/v1/credit-memos')).status).toBe(401);
		auth = { Authorization: `Bearer ${await token()}` };
		expect((await get('/v1/credit-memos')).status).toBe(200);
	});
});

describe('Zuora: create', () => {
	it('the seed/doc bulk request from invoices succeeds on both paths; bodies match the spec', async () => {
		expect(zuoraSchema('BulkCreateCreditMemosFromInvoiceRequest')(docBulkInvoice)).toEqual([]);
		for (const path of ['/v1/credit-memos/bulk', '/v1/creditmemos/bulk']) {
			const response = await post(path, docBulkInvoice);
			expect(response.status).toBe(200);
			expect(zuoraSchema('BulkCreditMemosResponseType')(response.body)).toEqual([]);
			expect(response.body.success).toBe(true);
			const [memo] = response.body.memos;
			expectMemo(memo);
			expect(memo).toMatchObject({ success: true, amount: 10, status: 'Draft', source: 'AdhocFromInvoice', sourceType: 'Invoice', referredInvoiceId: INVOICE, accountNumber: 'A00000370' });
			expect(memo.id).toMatch(/^[0-9a-f]{32}$/);
			expect(memo.number).toMatch(/^CM\d{8}$/);
		}
		expect(sandbox.ledger('zuora').map((entry) => entry.operation)).toEqual(['bulkCreate', 'bulkCreate']);
	});

	it('each bulk memo is its own transaction: a failure has objectIndex and reasons, top-level success stays true', async () => {
		const response = await post('/v1/credit-memos/bulk', { sourceType: 'Invoice', memos: [...docBulkInvoice.memos, { invoiceId: 'test' }] });
		expect(response.status).toBe(200);
		expect(response.body.success).toBe(true);
		expect(response.body.memos[0].success).toBe(true);
		expect(response.body.memos[1]).toEqual({
			objectIndex: 1,
			processId: expect.stringMatching(/^[0-9A-F]{16}$/),
			reasons: [{ code: 50000040, message: 'Cannot find a Invoice instance with id test.' }],
			success: false,
		});
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});

	it('bulk standalone memos from charges; at most 50 memos a request', async () => {
		const memo = { accountId: ACCOUNT, charges: [{ amount: 1, productRatePlanChargeId: PRPC }] };
		const ok = await post('/v1/credit-memos/bulk', { sourceType: 'Standalone', memos: Array.from({ length: 50 }, () => memo) }, LATEST);
		expect(ok.body.success).toBe(true);
		expect(ok.body.memos.filter((item: { success: boolean }) => item.success)).toHaveLength(50);
		expect(ok.body.memos[0]).toMatchObject({ sourceType: 'Standalone', source: 'AdhocFromPrpc', amount: 1 });
		const tooMany = await post('/v1/credit-memos/bulk', { sourceType: 'Standalone', memos: Array.from({ length: 51 }, () => memo) }, LATEST);
		expect(tooMany.status).toBe(200);
		expect(tooMany.body.success).toBe(false);
		expect(codeCategory(tooMany.body.reasons[0].code)).toBe(20);
		const noType = await post('/v1/credit-memos/bulk', { memos: [] });
		expect(noType.body.reasons).toEqual([{ code: 53501022, message: "Required field 'sourceType' is missing" }]);
		expect(sandbox.ledger('zuora')).toHaveLength(50);
	});

	it('POST /v1/credit-memos/invoice/{invoiceKey} (doc example) by ID, by number, and the legacy path', async () => {
		const body = docBulkInvoice.memos[0];
		expect(zuoraSchema('CreditMemoFromInvoiceRequest')(body)).toEqual([]);
		for (const path of [`/v1/credit-memos/invoice/${INVOICE}`, '/v1/credit-memos/invoice/INV00000618', `/v1/invoices/${INVOICE}/creditmemos`]) {
			const response = await post(path, body);
			expect(response.status).toBe(200);
			expectMemo(response.body);
			expect(response.body).toMatchObject({ success: true, amount: 10, referredInvoiceId: INVOICE });
		}
		const mismatch = await post('/v1/credit-memos/invoice/INV00000001', body);
		expect(mismatch.body.success).toBe(false);
		expect(codeCategory(mismatch.body.reasons[0].code)).toBe(20);
		const unknown = await post('/v1/credit-memos/invoice/INV-NOPE', body);
		expect(unknown.body.reasons).toEqual([{ code: 50000040, message: 'Cannot find a Invoice instance with id INV-NOPE.' }]);
	});

	it('items omitted: credits what is left of every invoice item; then nothing is left', async () => {
		const full = await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, comment: 'full refund', autoPost: true });
		expect(full.body).toMatchObject({ success: true, amount: 168, taxAmount: 8, status: 'Posted', comment: 'full refund' });
		expect(full.body.postedOn).toEqual(expect.any(String));
		const again = await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE });
		expect(again.body.success).toBe(false);
		expect(codeCategory(again.body.reasons[0].code)).toBe(30);
	});

	it('POST /v1/credit-memos (doc example) depends on Zuora-Version: the tenant default is 186.0', async () => {
		expect(zuoraSchema('CreditMemoFromChargeRequest')(docFromCharge)).toEqual([]);
		const latest = await post('/v1/credit-memos', docFromCharge, LATEST);
		expect(latest.status).toBe(200);
		expectMemo(latest.body);
		expect(latest.body).toMatchObject({ success: true, amount: 10, source: 'AdhocFromPrpc', sourceType: 'Standalone', accountNumber: 'A00000097' });

		const tenantDefault = await post('/v1/credit-memos', docFromCharge);
		expect(tenantDefault.body.success).toBe(false);
		expect(tenantDefault.body.reasons).toEqual(
			expect.arrayContaining([
				{ code: 53501021, message: "Unknown field 'charges[0].amount'" },
				{ code: 53501021, message: "Unknown field 'charges[0].productRatePlanChargeId'" },
				{ code: 53501022, message: "Required field 'charges[0].chargeId' is missing" },
			]),
		);
		const v186 = await post('/v1/credit-memos', { accountId: ACCOUNT, charges: [{ memoItemAmount: 10, chargeId: PRPC, comment: 'old style' }] });
		expect(v186.body).toMatchObject({ success: true, amount: 10 });
		const v224 = await post('/v1/credit-memos', { accountId: ACCOUNT, charges: [{ amount: 10, chargeId: PRPC }] }, { 'Zuora-Version': '224.0' });
		expect(v224.body).toMatchObject({ success: true, amount: 10 });
		const v257comment = await post('/v1/credit-memos', { accountId: ACCOUNT, charges: [{ amount: 10, productRatePlanChargeId: PRPC, comment: 'x' }] }, { 'Zuora-Version': '257.0' });
		expect(v257comment.body.reasons).toEqual([{ code: 53501021, message: "Unknown field 'charges[0].comment'" }]);
		const v257 = await post('/v1/credit-memos', { accountId: ACCOUNT, charges: [{ amount: 10, productRatePlanChargeId: PRPC, description: 'x' }] }, { 'Zuora-Version': '257.0' });
		expect(v257.body.success).toBe(true);
		const bad = await post('/v1/credit-memos', docFromCharge, { 'Zuora-Version': 'latest' });
		expect(bad.status).toBe(400);
		expect(zuoraSchema('CommonResponse')(bad.body)).toEqual([]);
	});

	it('invoice items take `comment` before 257.0 and `description` from it', async () => {
		const item = { amount: 1, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-00000707' };
		expect((await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ ...item, comment: 'c' }] })).body.success).toBe(true);
		const description = await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ ...item, description: 'd' }] });
		expect(description.body.reasons).toEqual([{ code: 53501021, message: "Unknown field 'items[0].description'" }]);
		expect((await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ ...item, description: 'd' }] }, LATEST)).body.success).toBe(true);
	});

	it('strict validation: unknown (21), mistyped (20) and missing (22) fields; tenant custom fields pass', async () => {
		const response = await post(`/v1/credit-memos/invoice/${INVOICE}`, {
			invoiceId: INVOICE,
			refundReference: 'RMA-1',
			autoPost: 'yes',
			effectiveDate: '2024-02-30',
			items: [{ amount: '10', invoiceItemId: INVOICE_ITEM }],
		});
		expect(response.status).toBe(200);
		expect(response.body.success).toBe(false);
		const byCategory = (response.body.reasons as Array<{ code: number; message: string }>).map((reason) => [codeCategory(reason.code), reason.message]);
		expect(byCategory).toEqual(
			expect.arrayContaining([
				[21, "Unknown field 'refundReference'"],
				[20, 'Invalid value for field autoPost: expected true or false, got string'],
				[20, 'Invalid value for field effectiveDate: expected a date in the yyyy-mm-dd format'],
				[20, 'Invalid value for field items[0].amount: expected a number, got string'],
				[22, "Required field 'items[0].skuName' is missing"],
			]),
		);
		const missing = await post(`/v1/credit-memos/invoice/${INVOICE}`, { items: [] });
		expect(missing.body.reasons).toEqual([{ code: 53501022, message: "Required field 'invoiceId' is missing" }]);
		const custom = await post(`/v1/credit-memos/invoice/${INVOICE}`, { ...docBulkInvoice.memos[0], SourceReference__c: 'RMA-77' });
		expect(custom.body).toMatchObject({ success: true, SourceReference__c: 'RMA-77' });
		const unknownCustom = await post(`/v1/credit-memos/invoice/${INVOICE}`, { ...docBulkInvoice.memos[0], Other__c: 'x' });
		expect(unknownCustom.body.reasons).toEqual([{ code: 53501021, message: "Unknown field 'Other__c'" }]);
		const malformed = await call(`${base}/v1/credit-memos/bulk`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"sourceType":' });
		expect(malformed.status).toBe(400);
		expect(zuoraSchema('CommonResponse')(malformed.body)).toEqual([]);
		expect(codeCategory(malformed.body.reasons[0].code)).toBe(90);
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});

	it('never credits more than an invoice item has left: amount, tax, quantity; only posted invoices; SKU must match', async () => {
		const over = await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ amount: 100.01, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-00000707' }] });
		expect(over.body).toEqual({
			success: false,
			processId: expect.any(String),
			reasons: [{ code: 53501030, message: `The credit memo item amount 100.01 exceeds the available amount 100.00 of invoice item ${INVOICE_ITEM}.` }],
		});
		const first = await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ amount: 60, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-00000707' }] });
		expect(first.body.success).toBe(true);
		const rest = await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ amount: 40.01, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-00000707' }] });
		expect(rest.body.reasons[0].message).toBe(`The credit memo item amount 40.01 exceeds the available amount 40.00 of invoice item ${INVOICE_ITEM}.`);
		const tax = await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ amount: 1, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-00000707', taxItems: [{ amount: 8.01 }] }] });
		expect(codeCategory(tax.body.reasons[0].code)).toBe(30);
		const quantity = await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ amount: 1, quantity: 7, invoiceItemId: SEATS_ITEM, skuName: 'SKU-00000708' }] });
		expect(quantity.body.reasons[0].message).toBe(`The quantity 7 exceeds the available quantity 6 of invoice item ${SEATS_ITEM}.`);
		const twoItemsTooMuch = await post(`/v1/credit-memos/invoice/${INVOICE}`, {
			invoiceId: INVOICE,
			items: [
				{ amount: 30, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-00000707' },
				{ amount: 30, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-00000707' },
			],
		});
		expect(codeCategory(twoItemsTooMuch.body.reasons[0].code)).toBe(30);
		const draft = await post('/v1/credit-memos/invoice/INV00000003', { invoiceId: '4028e4873a8a1b2c013a8a2c3d4e1001' });
		expect(codeCategory(draft.body.reasons[0].code)).toBe(30);
		const sku = await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ amount: 1, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-WRONG' }] });
		expect(codeCategory(sku.body.reasons[0].code)).toBe(20);
		const decimals = await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ amount: 1.005, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-00000707' }] });
		expect(codeCategory(decimals.body.reasons[0].code)).toBe(20);
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});

	it('a standalone `number` must be unique in the tenant; the memo is found by that number', async () => {
		const body = { ...docFromCharge, number: 'RMA-2024-0001', comment: 'Refund RMA-2024-0001' };
		const first = await post('/v1/credit-memos', body, LATEST);
		expect(first.body).toMatchObject({ success: true, number: 'RMA-2024-0001' });
		const second = await post('/v1/credit-memos', body, LATEST);
		expect(second.body).toEqual({ success: false, processId: expect.any(String), reasons: [{ code: 53501030, message: 'The credit memo number RMA-2024-0001 already exists.' }] });
		const found = await get('/v1/credit-memos/RMA-2024-0001');
		expect(found.body).toMatchObject({ success: true, id: first.body.id });
		expect(sandbox.ledger('zuora')).toEqual([expect.objectContaining({ creditMemoId: first.body.id, reference: 'RMA-2024-0001', operation: 'createFromCharge' })]);
		const badNumber = await post('/v1/credit-memos', { ...docFromCharge, number: 'has space' }, LATEST);
		expect(codeCategory(badNumber.body.reasons[0].code)).toBe(20);
		const inBatch = await post('/v1/credit-memos/bulk', { sourceType: 'Standalone', memos: [{ ...docFromCharge, number: 'B-1' }, { ...docFromCharge, number: 'B-1' }] }, LATEST);
		expect(inBatch.body.memos.map((memo: { success: boolean }) => memo.success)).toEqual([true, false]);
	});
});

describe('Zuora: get, update, cancel, list', () => {
	it('GET by ID or number; an unknown key is a not-found reason', async () => {
		const seeded = await get('/v1/credit-memos/8a8082e65b27f6c3015ba45ff82c7172');
		expect(seeded.status).toBe(200);
		expectMemo(seeded.body);
		expect(seeded.body).toMatchObject({ number: 'CM00000001', amount: 100 });
		expect((await get('/v1/credit-memos/CM00000001')).body.id).toBe('8a8082e65b27f6c3015ba45ff82c7172');
		const unknown = await get('/v1/credit-memos/CM99999999');
		expect(unknown.body).toEqual({ success: false, processId: expect.any(String), reasons: [{ code: 50000040, message: 'Cannot find a CreditMemo instance with id CM99999999.' }] });
	});

	it('PUT /v1/credit-memos/{key} sets the comment (doc example); unknown fields are rejected', async () => {
		const request = { comment: 'Details about this Credit Memo' };
		expect(zuoraSchema('PUTCreditMemoType')(request)).toEqual([]);
		const updated = await put('/v1/credit-memos/CM00000001', request);
		expect(updated.status).toBe(200);
		expectMemo(updated.body);
		expect(updated.body).toMatchObject({ success: true, comment: 'Details about this Credit Memo' });
		const unknown = await put('/v1/credit-memos/CM00000001', { comments: 'x' });
		expect(unknown.body.reasons).toEqual([{ code: 53501021, message: "Unknown field 'comments'" }]);
		const tooLong = await put('/v1/credit-memos/CM00000001', { comment: 'x'.repeat(256) });
		expect(codeCategory(tooLong.body.reasons[0].code)).toBe(20);
		const bulk = await put('/v1/credit-memos/bulk', { memos: [{ id: '8a8082e65b27f6c3015ba45ff82c7172', comment: 'bulk' }, { id: 'nope', comment: 'x' }] });
		expect(zuoraSchema('BulkCreditMemosResponseType')(bulk.body)).toEqual([]);
		expect(bulk.body.memos[0]).toMatchObject({ success: true, comment: 'bulk' });
		expect(bulk.body.memos[1]).toMatchObject({ success: false, objectIndex: 1 });
	});

	it('PUT .../cancel cancels a Draft memo once and frees its amount; posted memos keep their comment editable', async () => {
		const memo = (await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ amount: 100, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-00000707' }] })).body;
		const canceled = await put(`/v1/credit-memos/${memo.id}/cancel`, {});
		expect(canceled.body).toMatchObject({ success: true, status: 'Canceled', cancelledOn: expect.any(String) });
		expect(codeCategory((await put(`/v1/credit-memos/${memo.number}/cancel`, {})).body.reasons[0].code)).toBe(30);
		const again = await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ amount: 100, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-00000707' }] });
		expect(again.body.success).toBe(true);
		const posted = await put(`/v1/credit-memos/${again.body.id}/post`, {});
		expect(posted.body.status).toBe('Posted');
		expect((await put(`/v1/credit-memos/${again.body.id}`, { comment: 'after posting' })).body.comment).toBe('after posting');
		expect(codeCategory((await put(`/v1/credit-memos/${again.body.id}`, { reasonCode: 'Write-off' })).body.reasons[0].code)).toBe(30);
	});

	it('lists with page/pageSize (default 20, at most 40) and a nextPage link', async () => {
		const memos = Array.from({ length: 30 }, () => ({ invoiceId: BULK_INVOICE, items: [{ amount: 1, invoiceItemId: BULK_ITEM, skuName: 'SKU-BULK-UNITS' }] }));
		expect((await post('/v1/credit-memos/bulk', { sourceType: 'Invoice', memos })).body.success).toBe(true);
		const first = await get('/v1/credit-memos');
		expect(first.body.success).toBe(true);
		expect(first.body.creditmemos).toHaveLength(20);
		for (const memo of first.body.creditmemos) expectMemo(memo);
		expect(first.body.nextPage).toBe(`${base}/v1/credit-memos?page=2&pageSize=20`);
		const second = await call(first.body.nextPage, { headers: auth });
		expect(second.body.creditmemos).toHaveLength(11);
		expect(second.body.nextPage).toBeUndefined();
		const numbers = [...first.body.creditmemos, ...second.body.creditmemos].map((memo: { number: string }) => memo.number);
		expect(new Set(numbers).size).toBe(31);
		expect((await get('/v1/creditmemos?pageSize=40')).body.creditmemos).toHaveLength(31);
		const tooBig = await get('/v1/credit-memos?pageSize=41');
		expect(tooBig.body.success).toBe(false);
		expect(codeCategory(tooBig.body.reasons[0].code)).toBe(27);
		expect(codeCategory((await get('/v1/credit-memos?colour=red')).body.reasons[0].code)).toBe(27);
	});

	it('filters by accountId, referredInvoiceId (null too), status and createdDate ranges', async () => {
		sandbox.clock.set(new Date('2030-05-01T10:00:00Z'));
		auth = { Authorization: `Bearer ${await token()}` };
		const fromInvoice = (await post(`/v1/credit-memos/invoice/${INVOICE}`, docBulkInvoice.memos[0])).body;
		sandbox.clock.set(new Date('2030-06-01T10:00:00Z'));
		auth = { Authorization: `Bearer ${await token()}` };
		const standalone = (await post('/v1/credit-memos', { ...docFromCharge, autoPost: true }, LATEST)).body;
		const ids = async (query: string) => (await get(`/v1/credit-memos?${query}`)).body.creditmemos.map((memo: { id: string }) => memo.id);
		expect(await ids(`referredInvoiceId=${INVOICE}`)).toEqual([fromInvoice.id]);
		expect(await ids('referredInvoiceId=null')).toEqual([standalone.id]);
		expect(await ids(`accountId=${ACCOUNT}&status=Posted`)).toEqual([standalone.id]);
		expect(await ids('createdDate.GE=2030-05-01&createdDate.LT=2030-06-01')).toEqual([fromInvoice.id]);
		expect(await ids('createdDate.GE=2030-05-15T00:00:00')).toEqual([standalone.id]);
		expect(await ids('createdDate=2030-06-01')).toEqual([standalone.id]);
		expect(await ids('sort=-number&status=Draft')).toEqual(['8a8082e65b27f6c3015ba45ff82c7172', fromInvoice.id]);
	});

	// The v1 reference: "-" ascending, "+" or no operator descending, at most two fields; default: descending number.
	it('sorts as the reference documents it: "-" ascending, "+" or none descending, two fields at most', async () => {
		const seeded = '8a8082e65b27f6c3015ba45ff82c7172';
		const memo = async () => (await post(`/v1/credit-memos/invoice/${INVOICE}`, { invoiceId: INVOICE, items: [{ amount: 1, invoiceItemId: INVOICE_ITEM, skuName: 'SKU-00000707' }] })).body.id;
		const first = await memo();
		const second = await memo();
		const ids = async (query: string) => (await get(`/v1/credit-memos?${query}`)).body.creditmemos.map((entry: { id: string }) => entry.id);
		expect(await ids('')).toEqual([second, first, seeded]);
		expect(await ids('sort=-number')).toEqual([seeded, first, second]);
		expect(await ids(`sort=${encodeURIComponent('+number')}`)).toEqual([second, first, seeded]);
		expect(await ids('sort=+number')).toEqual([second, first, seeded]);
		// Both new memos credit 1.00 (the seeded one 100.00): the second field decides between them.
		expect(await ids('sort=amount,number')).toEqual([seeded, second, first]);
		expect(await ids('sort=amount,-number')).toEqual([seeded, first, second]);
		expect(await ids('sort=-amount,number')).toEqual([second, first, seeded]);
		expect(codeCategory((await get('/v1/credit-memos?sort=number,amount,status')).body.reasons[0].code)).toBe(27);
		expect(codeCategory((await get('/v1/credit-memos?sort=comment')).body.reasons[0].code)).toBe(27);
	});
});

describe('Zuora: idempotency', () => {
	const key = { 'Idempotency-Key': 'refund-run-42' };

	it('replays the stored result for the same key: same status and body, one memo', async () => {
		const first = await post('/v1/credit-memos/bulk', docBulkInvoice, key);
		const second = await post('/v1/credit-memos/bulk', docBulkInvoice, key);
		expect(second.status).toBe(first.status);
		expect(second.body).toEqual(first.body);
		expect(second.headers.get('zuora-request-id')).toBe(first.headers.get('zuora-request-id'));
		expect(sandbox.ledger('zuora')).toHaveLength(1);
		// A failure is kept too.
		const failed = await post('/v1/credit-memos/bulk', { sourceType: 'Nope' }, { 'Idempotency-Key': 'bad-1' });
		const failedAgain = await post('/v1/credit-memos/bulk', { sourceType: 'Invoice', memos: docBulkInvoice.memos }, { 'Idempotency-Key': 'bad-1' });
		expect(failedAgain.body).toEqual(failed.body);
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});

	it('409 while the first request with the key is in flight', async () => {
		sandbox.setLatency('zuora', { fixedMs: 250, jitterMs: 0 });
		const [first, second] = await Promise.all([
			post('/v1/credit-memos/bulk', docBulkInvoice, key),
			new Promise((resolve) => setTimeout(resolve, 50)).then(() => post('/v1/credit-memos/bulk', docBulkInvoice, key)),
		]);
		expect(first.status).toBe(200);
		expect(second.status).toBe(409);
		expect(zuoraSchema('CommonResponse')(second.body)).toEqual([]);
		expect(codeCategory(second.body.reasons[0].code)).toBe(50);
		const third = await post('/v1/credit-memos/bulk', docBulkInvoice, key);
		expect(third.body).toEqual(first.body);
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});

	it('422 when the key is reused with another URL or method', async () => {
		await post('/v1/credit-memos/bulk', docBulkInvoice, key);
		const otherUrl = await post('/v1/creditmemos/bulk', docBulkInvoice, key);
		expect(otherUrl.status).toBe(422);
		expect(zuoraSchema('CommonResponse')(otherUrl.body)).toEqual([]);
		expect((await post(`/v1/credit-memos/invoice/${INVOICE}`, docBulkInvoice.memos[0], key)).status).toBe(422);
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});

	it('a key expires 24 hours after it was set', async () => {
		await post('/v1/credit-memos/bulk', docBulkInvoice, key);
		sandbox.clock.advance(23 * 3600 * 1000);
		auth = { Authorization: `Bearer ${await token()}` };
		await post('/v1/credit-memos/bulk', docBulkInvoice, key);
		expect(sandbox.ledger('zuora')).toHaveLength(1);
		sandbox.clock.advance(3600 * 1000 + 1000);
		auth = { Authorization: `Bearer ${await token()}` };
		const fresh = await post('/v1/credit-memos/bulk', docBulkInvoice, key);
		expect(fresh.body.success).toBe(true);
		expect(sandbox.ledger('zuora')).toHaveLength(2);
	});

	it('drop after commit, then a retry with the same key: the stored result, still one memo', async () => {
		sandbox.setFaults([{ provider: 'zuora', operation: 'bulkCreate', kind: 'dropAfterCommit', count: 1 }]);
		const dropped = await rawRequest(`${base}/v1/credit-memos/bulk`, {
			method: 'POST',
			headers: { ...auth, ...key, 'Content-Type': 'application/json' },
			body: JSON.stringify(docBulkInvoice),
		});
		expect('error' in dropped).toBe(true);
		expect(sandbox.ledger('zuora')).toEqual([expect.objectContaining({ responseDropped: true })]);
		const retry = await post('/v1/credit-memos/bulk', docBulkInvoice, key);
		expect(retry.status).toBe(200);
		expect(retry.body.memos[0].id).toBe(sandbox.ledger('zuora')[0].creditMemoId);
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});

	it('a 5xx before commit stores nothing: the retry with the same key creates the memo', async () => {
		sandbox.setFaults([{ provider: 'zuora', operation: 'bulkCreate', kind: 'serverError', status: 503, count: 1 }]);
		const failed = await post('/v1/credit-memos/bulk', docBulkInvoice, key);
		expect(failed.status).toBe(503);
		expect(zuoraSchema('ErrorResponse')(failed.body)).toEqual([]);
		expect(sandbox.ledger('zuora')).toHaveLength(0);
		expect((await post('/v1/credit-memos/bulk', docBulkInvoice, key)).body.success).toBe(true);
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});
});

describe('Zuora: limits and headers', () => {
	it('a 429 burst carries ratelimit-* and Retry-After (seconds)', async () => {
		sandbox.setFaults([{ provider: 'zuora', kind: 'rateLimited', retryAfterSeconds: 0.5, count: 1 }]);
		const limited = await post('/v1/credit-memos/bulk', docBulkInvoice);
		expect(limited.status).toBe(429);
		expect(limited.headers.get('ratelimit-remaining')).toBe('0');
		expect(limited.headers.get('ratelimit-reset')).toBe('0.5');
		expect(limited.headers.get('retry-after')).toBe('0.5');
		expect(limited.headers.get('ratelimit-limit')).toContain(';w=60');
		expect(sandbox.ledger('zuora')).toHaveLength(0);
	});

	it('beyond the concurrency limit: 429 with category 70 and Concurrency-Limit-* headers; tokens are exempt', async () => {
		expect(sandbox.state().providers.find((provider) => provider.provider === 'zuora')?.concurrencyLimit).toBe(40);
		sandbox.setLatency('zuora', { fixedMs: 150, jitterMs: 0 });
		sandbox.setConcurrencyLimit('zuora', 2, 1);
		const responses = await Promise.all(Array.from({ length: 4 }, () => get('/v1/credit-memos?pageSize=1')));
		const limited = responses.filter((response) => response.status === 429);
		expect(limited).toHaveLength(2);
		expect(zuoraSchema('CommonResponse')(limited[0].body)).toEqual([]);
		expect(codeCategory(limited[0].body.reasons[0].code)).toBe(70);
		expect(limited[0].headers.get('concurrency-limit-limit')).toBe('2');
		expect(limited[0].headers.get('concurrency-limit-remaining')).toBe('0');
		expect(limited[0].headers.get('retry-after')).toBe('1');
		const ok = responses.find((response) => response.status === 200)!;
		expect(ok.headers.get('concurrency-limit-type')).toBe('Default');
		expect(Number(ok.headers.get('concurrency-limit-remaining'))).toBeLessThanOrEqual(1);
		const tokens = await Promise.all(Array.from({ length: 4 }, () => token()));
		expect(tokens).toHaveLength(4);
	});

	it('echoes a valid Zuora-Track-Id and gives every response a Zuora-Request-Id', async () => {
		const response = await get('/v1/credit-memos?pageSize=1', { 'Zuora-Track-Id': 'refund-run-7' });
		expect(response.headers.get('zuora-track-id')).toBe('refund-run-7');
		expect(response.headers.get('zuora-request-id')).toMatch(/^[0-9a-f-]{36}$/);
		expect((await get('/v1/credit-memos?pageSize=1', { 'Zuora-Track-Id': 'a:b' })).headers.get('zuora-track-id')).toBeNull();
	});

	it('5xx faults use ErrorResponse; unknown paths 404, wrong methods 405', async () => {
		sandbox.setFaults([{ provider: 'zuora', kind: 'serverError', count: 1 }]);
		const failed = await get('/v1/credit-memos');
		expect(failed.status).toBe(500);
		expect(zuoraSchema('ErrorResponse')(failed.body)).toEqual([]);
		const unknown = await get('/v1/debit-memos');
		expect(unknown.status).toBe(404);
		expect(zuoraSchema('CommonResponse')(unknown.body)).toEqual([]);
		expect((await call(`${base}/v1/credit-memos/bulk`, { method: 'DELETE', headers: auth })).status).toBe(405);
	});

	it('the bulk invoice takes hundreds of memos (10 bulk requests of 50)', async () => {
		const memos = Array.from({ length: 50 }, () => ({ invoiceId: BULK_INVOICE, items: [{ amount: 2, quantity: 2, invoiceItemId: BULK_ITEM, skuName: 'SKU-BULK-UNITS' }] }));
		const responses = await Promise.all(Array.from({ length: 10 }, () => post('/v1/credit-memos/bulk', { sourceType: 'Invoice', memos })));
		expect(responses.every((response) => response.body.memos.every((memo: { success: boolean }) => memo.success))).toBe(true);
		expect(sandbox.ledger('zuora')).toHaveLength(500);
	});
});
