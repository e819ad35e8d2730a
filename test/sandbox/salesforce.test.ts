/**
 * The Salesforce Order Management emulator over HTTP (startSandbox): OAuth flows, the Connect actions with
 * their three error forms, CreditMemo GET/PATCH, the SOQL subset with paging, and the core's faults.
 */
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { createSalesforceEmulator } from '../../sandbox/providers/salesforce';
import { checksum, makeId } from '../../sandbox/providers/salesforce/ids';

const CLIENT = { id: 'sf-sandbox-client', secret: 'sf-sandbox-secret' };
const SUMMARY = '1OsSB00000000010AA';
const SUMMARY_2 = '1OsSB00000000020AA';
const SUMMARY_EUR = '1OsSB00000000030AA';
const SEED_CHANGE_ORDER = '801R0000000EAAkIAO';
const SOCKS_CHANGE_ORDER = '801SB0000000002YAA';
const CREDITED_CHANGE_ORDER = '801SB0000000003YAA';
const TENT_CHANGE_ORDER = '801SB0000000004YAA';
const EUR_CHANGE_ORDER = '801SB0000000005YAA';
const SEEDED_MEMO = '50gSB0000000001YAA';
const SHOES = '10uSB0000000001YAA';
const SOCKS = '10uSB0000000002YAA';
const TENT = '10uSB0000000004YAA';

type Json = Record<string, unknown>;

let sandbox: Sandbox;
let base: string;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, emulators: [createSalesforceEmulator] });
	base = `${sandbox.url}/salesforce`;
});

afterAll(async () => {
	await sandbox.stop();
});

beforeEach(() => {
	sandbox.reset();
});

async function form(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
	const response = await fetch(`${base}${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(fields).toString(),
	});
	return { status: response.status, body: (await response.json()) as Json };
}

async function clientToken(): Promise<string> {
	const { status, body } = await form('/services/oauth2/token', { grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: CLIENT.secret });
	expect(status).toBe(200);
	return body.access_token as string;
}

interface ApiResult {
	status: number;
	body: unknown;
	headers: Headers;
}

async function api(token: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult> {
	const response = await fetch(`${base}/services/data/v66.0/${path}`, {
		method,
		headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: response.headers };
}

const action = (summary: string, name: string) => `commerce/order-management/order-summaries/${summary}/${name}`;
const createMemo = (token: string, summary: string, changeOrderIds: unknown) => api(token, 'POST', action(summary, 'actions/create-credit-memo'), { changeOrderIds });
const query = (token: string, soql: string, headers?: Record<string, string>) => api(token, 'GET', `query?q=${encodeURIComponent(soql)}`, undefined, headers);

function expectRestError(result: ApiResult, status: number, errorCode: string, message?: string | RegExp): void {
	expect(result.status).toBe(status);
	expect(Array.isArray(result.body)).toBe(true);
	const [error] = result.body as Json[];
	expect(error.errorCode).toBe(errorCode);
	if (typeof message === 'string') expect(error.message).toBe(message);
	else if (message) expect(error.message).toMatch(message);
}

function expectErrorWithOutput(result: ApiResult, status: number, errorCode: string, message: string, idField = 'creditMemoId'): void {
	expect(result.status).toBe(status);
	expect(result.body).toEqual({ enhancedErrorType: null, message, output: { [idField]: null, errors: [{ errorCode, message }], success: false } });
}

// ---------------------------------------------------------------- OAuth

describe('OAuth 2.0', () => {
	it('client_credentials returns a token with instance_url, id, signature and issued_at that opens the data API', async () => {
		const { status, body } = await form('/services/oauth2/token', { grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: CLIENT.secret });
		expect(status).toBe(200);
		expect(body).toMatchObject({ token_type: 'Bearer', instance_url: base, scope: 'api' });
		expect(body).not.toHaveProperty('refresh_token');
		expect(body.id).toBe(`${base}/id/00DSB00000000012AA/005SB0000000001YAA`);
		expect(body.access_token).toMatch(/^00DSB0000000001!/);
		expect(Number(body.issued_at)).toBe(sandbox.clock.now().getTime() - (sandbox.clock.now().getTime() - Number(body.issued_at)));
		const signature = createHmac('sha256', CLIENT.secret).update(`${body.id as string}${body.issued_at as string}`).digest('base64');
		expect(body.signature).toBe(signature);
		expect((await api(body.access_token as string, 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`)).status).toBe(200);
	});

	it('client credentials in an HTTP Basic header work too; wrong ones are invalid_client / invalid_client_id', async () => {
		const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
		expect((await form('/services/oauth2/token', { grant_type: 'client_credentials' }, { Authorization: `Basic ${basic}` })).status).toBe(200);
		expect(await form('/services/oauth2/token', { grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: 'nope' })).toEqual({
			status: 400,
			body: { error: 'invalid_client', error_description: 'invalid client credentials' },
		});
		expect(await form('/services/oauth2/token', { grant_type: 'client_credentials', client_id: 'other', client_secret: CLIENT.secret })).toEqual({
			status: 400,
			body: { error: 'invalid_client_id', error_description: 'client identifier invalid' },
		});
		expect(await form('/services/oauth2/token', { grant_type: 'password', client_id: CLIENT.id, client_secret: CLIENT.secret })).toEqual({
			status: 400,
			body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
		});
	});

	it('authorization code: authorize redirects back with code and state; the code gives access and refresh tokens once', async () => {
		const redirectUri = 'http://localhost:5678/rest/oauth2-credential/callback';
		const authorize = await fetch(`${base}/services/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: CLIENT.id, redirect_uri: redirectUri, state: 'xyz-123', scope: 'api refresh_token' })}`, { redirect: 'manual' });
		expect(authorize.status).toBe(302);
		const location = new URL(authorize.headers.get('location') as string);
		expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
		expect(location.searchParams.get('state')).toBe('xyz-123');
		const code = location.searchParams.get('code') as string;
		expect(code).toMatch(/^aPrx/);

		const exchange = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: CLIENT.id, client_secret: CLIENT.secret };
		const tokens = await form('/services/oauth2/token', exchange);
		expect(tokens.status).toBe(200);
		expect(tokens.body).toMatchObject({ token_type: 'Bearer', instance_url: base, scope: 'api refresh_token' });
		expect(tokens.body.refresh_token).toMatch(/^5Aep861/);
		expect(await form('/services/oauth2/token', exchange)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid authorization code' } });

		// The access token expires after 2 h on the sandbox clock; the refresh token gets a new one (and no new refresh token).
		sandbox.clock.advance(2 * 3600_000 + 1000);
		expectRestError(await api(tokens.body.access_token as string, 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`), 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
		const refreshed = await form('/services/oauth2/token', { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token as string, client_id: CLIENT.id, client_secret: CLIENT.secret });
		expect(refreshed.status).toBe(200);
		expect(refreshed.body).not.toHaveProperty('refresh_token');
		expect((await api(refreshed.body.access_token as string, 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`)).status).toBe(200);
		expect(await form('/services/oauth2/token', { grant_type: 'refresh_token', refresh_token: 'unknown', client_id: CLIENT.id, client_secret: CLIENT.secret })).toEqual({
			status: 400,
			body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
		});
	});

	it('PKCE: the code needs the verifier of its S256 challenge', async () => {
		const verifier = 'a-verifier-that-is-long-enough-0123456789abcdef';
		const challenge = createHash('sha256').update(verifier).digest('base64url');
		const redirectUri = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';
		const codeFor = async () => {
			const response = await fetch(`${base}/services/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: CLIENT.id, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256' })}`, { redirect: 'manual' });
			return new URL(response.headers.get('location') as string).searchParams.get('code') as string;
		};
		const exchange = (code: string, extra: Record<string, string>) => form('/services/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: CLIENT.id, client_secret: CLIENT.secret, ...extra });
		expect(await exchange(await codeFor(), {})).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid code verifier' } });
		expect((await exchange(await codeFor(), { code_verifier: verifier })).status).toBe(200);
	});

	it('authorize refuses unknown clients and foreign redirect URIs; reports an unsupported response_type on the redirect', async () => {
		const authorize = (params: Record<string, string>) => fetch(`${base}/services/oauth2/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
		const unknown = await authorize({ response_type: 'code', client_id: 'nope', redirect_uri: 'http://localhost/cb' });
		expect(unknown.status).toBe(400);
		expect(await unknown.json()).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
		const foreign = await authorize({ response_type: 'code', client_id: CLIENT.id, redirect_uri: 'https://evil.example.com/cb' });
		expect(foreign.status).toBe(400);
		expect(await foreign.json()).toEqual({ error: 'redirect_uri_mismatch', error_description: 'redirect_uri must match configuration' });
		const token = await authorize({ response_type: 'token', client_id: CLIENT.id, redirect_uri: 'http://localhost/cb', state: 's' });
		expect(token.status).toBe(302);
		expect(new URL(token.headers.get('location') as string).searchParams.get('error')).toBe('unsupported_response_type');
	});

	it('no token, a bad token, an expired-sessions fault or a revoked token are 401 INVALID_SESSION_ID', async () => {
		expectRestError(await api(undefined, 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`), 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
		expectRestError(await api('00Dbogus!token', 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`), 401, 'INVALID_SESSION_ID');
		const token = await clientToken();
		sandbox.expireSessions('salesforce');
		expectRestError(await api(token, 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`), 401, 'INVALID_SESSION_ID');
		const other = await clientToken();
		const revoked = await fetch(`${base}/services/oauth2/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: other }).toString() });
		expect(revoked.status).toBe(200);
		expectRestError(await api(other, 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`), 401, 'INVALID_SESSION_ID');
	});
});

// ---------------------------------------------------------------- versions

describe('API versions', () => {
	it('lists versions 48.0..66.0; serves any version from 48.0; older or unknown ones are 404 NOT_FOUND', async () => {
		const list = (await (await fetch(`${base}/services/data`)).json()) as Json[];
		expect(list[0]).toEqual({ label: 'v48.0', url: '/services/data/v48.0', version: '48.0' });
		expect(list.at(-1)?.version).toBe('66.0');
		const token = await clientToken();
		for (const version of ['v48.0', 'v60.0', 'v66.0']) {
			const response = await fetch(`${base}/services/data/${version}/sobjects/CreditMemo/${SEEDED_MEMO}`, { headers: { Authorization: `Bearer ${token}` } });
			expect(response.status).toBe(200);
			expect(((await response.json()) as Json).attributes).toEqual({ type: 'CreditMemo', url: `/services/data/${version}/sobjects/CreditMemo/${SEEDED_MEMO}` });
		}
		for (const version of ['v47.0', 'v99.0']) {
			const response = await fetch(`${base}/services/data/${version}/sobjects/CreditMemo/${SEEDED_MEMO}`, { headers: { Authorization: `Bearer ${token}` } });
			expect(response.status).toBe(404);
			expect(await response.json()).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
		}
	});
});

// ---------------------------------------------------------------- create-credit-memo

describe('create-credit-memo', () => {
	let token: string;
	beforeEach(async () => {
		token = await clientToken();
	});

	it('the seed example: 201 {creditMemoId, errors, success}; the memo credits the change order, with its totals', async () => {
		const result = await createMemo(token, SUMMARY, [SEED_CHANGE_ORDER]);
		expect(result.status).toBe(201);
		const body = result.body as Json;
		expect(body).toEqual({ creditMemoId: expect.stringMatching(/^50g[A-Za-z0-9]{15}$/), errors: [], success: true });
		const id = body.creditMemoId as string;
		expect(id.slice(15)).toBe(checksum(id.slice(0, 15)));
		expect(result.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);

		const memo = (await api(token, 'GET', `sobjects/CreditMemo/${id}`)).body as Json;
		// One shoe (129.00 + 10.32 tax) and its prorated share of the delivery (2.74 + 0.22 tax).
		expect(memo).toMatchObject({
			Id: id,
			DocumentNumber: 'CM-00000002',
			Status: 'Posted',
			ReferenceEntityId: SUMMARY,
			CurrencyIsoCode: 'USD',
			TotalAmount: 131.74,
			TotalTaxAmount: 10.54,
			TotalAmountWithTax: 142.28,
			Description: null,
			ChangeOrderIds__c: SEED_CHANGE_ORDER,
		});
		expect(memo.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
		const ledger = sandbox.ledger('salesforce');
		expect(ledger).toEqual([expect.objectContaining({ creditMemoId: id, number: 'CM-00000002', reference: SEED_CHANGE_ORDER, source: SUMMARY, totalAmount: 142.28, operation: 'createCreditMemo' })]);
		expect(ledger[0].request.headers.authorization).toBe('[redacted]');
	});

	it('a change order credited twice fails with Error with Output, errorCode INVALID_INPUT, and creates nothing', async () => {
		expect((await createMemo(token, SUMMARY, [SEED_CHANGE_ORDER])).status).toBe(201);
		const again = await createMemo(token, SUMMARY, [SEED_CHANGE_ORDER]);
		expectErrorWithOutput(again, 400, 'INVALID_INPUT', `The change order ${SEED_CHANGE_ORDER} has already been used to create a credit memo.`);
		expectErrorWithOutput(await createMemo(token, SUMMARY_2, [CREDITED_CHANGE_ORDER]), 400, 'INVALID_INPUT', `The change order ${CREDITED_CHANGE_ORDER} has already been used to create a credit memo.`);
		expect(sandbox.ledger('salesforce')).toHaveLength(1);
	});

	it('an unknown or malformed change order ID is Error with Output INVALID_ID_FIELD; all or nothing', async () => {
		const unknown = makeId('801', 999);
		expectErrorWithOutput(await createMemo(token, SUMMARY, [unknown]), 400, 'INVALID_ID_FIELD', `The change order ID ${unknown} isn't valid.`);
		expectErrorWithOutput(await createMemo(token, SUMMARY, ['not-an-id']), 400, 'INVALID_ID_FIELD', "The change order ID not-an-id isn't valid.");
		expectErrorWithOutput(await createMemo(token, SUMMARY, [SOCKS_CHANGE_ORDER, unknown]), 400, 'INVALID_ID_FIELD', `The change order ID ${unknown} isn't valid.`);
		expectErrorWithOutput(await createMemo(token, SUMMARY, [SOCKS_CHANGE_ORDER, SOCKS_CHANGE_ORDER]), 400, 'DUPLICATE_VALUE', `The change order ${SOCKS_CHANGE_ORDER} is listed more than once.`);
		// Nothing was credited by the failed attempts.
		expect((await createMemo(token, SUMMARY, [SOCKS_CHANGE_ORDER])).status).toBe(201);
	});

	it('a change order of another order summary is 2xx with success:false (FIELD_INTEGRITY_EXCEPTION)', async () => {
		const result = await createMemo(token, SUMMARY, [TENT_CHANGE_ORDER]);
		expect(result.status).toBe(201);
		expect(result.body).toEqual({
			creditMemoId: null,
			errors: [{ errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: `The change order ${TENT_CHANGE_ORDER} doesn't belong to the order summary ${SUMMARY}.` }],
			success: false,
		});
		expect(sandbox.ledger('salesforce')).toHaveLength(0);
	});

	it('several change orders make one memo; 15-character IDs are accepted', async () => {
		const result = await createMemo(token, SUMMARY.slice(0, 15), [SEED_CHANGE_ORDER.slice(0, 15), SOCKS_CHANGE_ORDER]);
		const memo = (await api(token, 'GET', `sobjects/CreditMemo/${(result.body as Json).creditMemoId as string}`)).body as Json;
		expect(memo).toMatchObject({ TotalAmount: 155.74, TotalTaxAmount: 12.46, TotalAmountWithTax: 168.2, ChangeOrderIds__c: `${SEED_CHANGE_ORDER},${SOCKS_CHANGE_ORDER}` });
	});

	it('an unknown order summary is 404 NOT_FOUND in the array form', async () => {
		expectRestError(await createMemo(token, makeId('1Os', 777), [SEED_CHANGE_ORDER]), 404, 'NOT_FOUND', 'The requested resource does not exist');
	});

	it('malformed JSON, an undeclared field, a wrong type and a missing input are refused as Salesforce does', async () => {
		expectRestError(await api(token, 'POST', action(SUMMARY, 'actions/create-credit-memo'), '{"changeOrderIds": [}'), 400, 'JSON_PARSER_ERROR', /^Unexpected character in JSON input at \[line:1, column:\d+\]$/);
		expectRestError(await api(token, 'POST', action(SUMMARY, 'actions/create-credit-memo'), { changeOrderID: [SEED_CHANGE_ORDER] }), 400, 'JSON_PARSER_ERROR', 'Unrecognized field "changeOrderID" at [line:1, column:17]');
		expectRestError(await createMemo(token, SUMMARY, SEED_CHANGE_ORDER), 400, 'JSON_PARSER_ERROR', /^Cannot deserialize value of type `java.util.List<java.lang.String>` from VALUE_STRING token for field "changeOrderIds"/);
		expectRestError(await createMemo(token, SUMMARY, []), 400, 'INVALID_API_INPUT', 'Missing required input parameter: changeOrderIds');
		expectRestError(await api(token, 'GET', action(SUMMARY, 'actions/create-credit-memo')), 405, 'METHOD_NOT_ALLOWED', "HTTP Method 'GET' not allowed. Allowed are POST");
		expect(sandbox.ledger('salesforce')).toHaveLength(0);
	});

	it('the pre-seeded uncredited change orders and the bulk summaries carry 500+ memos', async () => {
		const bulk = makeId('1Os', 901);
		const results = [];
		for (let index = 1; index <= 300; index++) {
			const changeOrder = makeId('801', 900_000 + index);
			const summary = makeId('1Os', 900 + ((index - 1) % 5) + 1);
			results.push((await createMemo(token, summary, [changeOrder])).status);
		}
		for (let index = 0; index < 220; index++) {
			const returned = await api(token, 'POST', action(bulk, 'actions/submit-return'), { changeItems: [{ orderItemSummaryId: makeId('10u', 9012), quantity: 1, reason: 'Other', shippingReductionFlag: false }] });
			results.push((await createMemo(token, bulk, [(returned.body as Json).changeOrderId])).status);
		}
		expect(results.filter((status) => status === 201)).toHaveLength(520);
		expect(new Set(sandbox.ledger('salesforce').map((entry) => entry.creditMemoId)).size).toBe(520);
		const count = await query(token, `SELECT COUNT() FROM CreditMemo WHERE ReferenceEntityId = '${bulk}'`);
		expect(count.body).toEqual({ totalSize: 280, done: true, records: [] });
	});
});

// ---------------------------------------------------------------- submit-return

describe('submit-return', () => {
	let token: string;
	beforeEach(async () => {
		token = await clientToken();
	});
	const submit = (summary: string, changeItems: unknown) => api(token, 'POST', action(summary, 'actions/submit-return'), { changeItems });

	it('makes a change order from changeItems that create-credit-memo then credits', async () => {
		const result = await submit(SUMMARY, [{ orderItemSummaryId: SOCKS, quantity: 2, reason: 'Wrong Item', shippingReductionFlag: false }]);
		expect(result.status).toBe(201);
		const body = result.body as Json;
		expect(body).toMatchObject({ changeOrderId: expect.stringMatching(/^801/), errors: [], success: true });
		expect(body.changeBalances).toMatchObject({ totalAdjustedProductAmount: 48, totalAdjustedProductTaxAmount: 3.84, totalAdjustedDeliveryAmount: 0, grandTotalAmount: 51.84 });
		const memo = await createMemo(token, SUMMARY, [body.changeOrderId]);
		expect((memo.body as Json).success).toBe(true);
		const record = (await api(token, 'GET', `sobjects/CreditMemo/${(memo.body as Json).creditMemoId as string}?fields=TotalAmountWithTax,ChangeOrderIds__c`)).body as Json;
		expect(record).toEqual({ attributes: expect.any(Object), TotalAmountWithTax: 51.84, ChangeOrderIds__c: body.changeOrderId });
	});

	it('never returns more than is left: Error with Output INVALID_INPUT', async () => {
		// Two shoes were ordered and the seed's change order already returned one.
		const result = await submit(SUMMARY, [{ orderItemSummaryId: SHOES, quantity: 2, reason: 'Damaged', shippingReductionFlag: true }]);
		const message = `The quantity to return for order item summary ${SHOES} (2) exceeds the quantity available to return (1).`;
		expect(result.status).toBe(400);
		expect(result.body).toEqual({ enhancedErrorType: null, message, output: { changeOrderId: null, changeBalances: null, errors: [{ errorCode: 'INVALID_INPUT', message }], success: false } });
		expect((await submit(SUMMARY, [{ orderItemSummaryId: SHOES, quantity: 1, reason: 'Damaged', shippingReductionFlag: true }])).status).toBe(201);
	});

	it('validates reasons, item ownership, required fields and undeclared fields', async () => {
		const bad = await submit(SUMMARY, [{ orderItemSummaryId: SOCKS, quantity: 1, reason: 'Changed my mind', shippingReductionFlag: false }]);
		expect(bad.status).toBe(400);
		expect(((bad.body as Json).output as Json).errors).toEqual([{ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Reason: bad value for restricted picklist field: Changed my mind' }]);
		const foreign = await submit(SUMMARY, [{ orderItemSummaryId: TENT, quantity: 1, reason: 'Other', shippingReductionFlag: false }]);
		expect((((foreign.body as Json).output as Json).errors as Json[])[0].errorCode).toBe('INVALID_ID_FIELD');
		expectRestError(await submit(SUMMARY, [{ orderItemSummaryId: SOCKS, quantity: 1, reason: 'Other' }]), 400, 'INVALID_API_INPUT', 'Missing required input parameter: shippingReductionFlag');
		expectRestError(await submit(SUMMARY, [{ orderItemSummaryId: SOCKS, quantity: 1, reason: 'Other', shippingReductionFlag: false, restock: true }]), 400, 'JSON_PARSER_ERROR', /^Unrecognized field "restock"/);
	});
});

// ---------------------------------------------------------------- ensure-refunds-async

describe('ensure-refunds-async', () => {
	it('takes a credit memo, excess funds or both; returns a background operation; refuses a second run for a memo', async () => {
		const token = await clientToken();
		const ensure = (summary: string, body: unknown) => api(token, 'POST', action(summary, 'async-actions/ensure-refunds-async'), body);
		const result = await ensure(SUMMARY_2, { creditMemoId: SEEDED_MEMO });
		expect(result.status).toBe(201);
		expect(result.body).toEqual({ backgroundOperationId: expect.stringMatching(/^0Bo[A-Za-z0-9]{15}$/), errors: [], success: true });
		const again = await ensure(SUMMARY_2, { creditMemoId: SEEDED_MEMO });
		expectErrorWithOutput(again, 400, 'INVALID_INPUT', `Refunds have already been ensured for the credit memo ${SEEDED_MEMO}.`, 'backgroundOperationId');
		expect((await ensure(SUMMARY_2, { excessFundsAmount: 12.5 })).status).toBe(201);
		expectErrorWithOutput(await ensure(SUMMARY_2, { excessFundsAmount: 10 }), 400, 'INVALID_INPUT', 'The excess funds amount must be greater than 0 and at most 7.50.', 'backgroundOperationId');
		expectErrorWithOutput(await ensure(SUMMARY, { creditMemoId: SEEDED_MEMO }), 400, 'INVALID_ID_FIELD', `The credit memo ${SEEDED_MEMO} isn't valid for the order summary ${SUMMARY}.`, 'backgroundOperationId');
		expectRestError(await ensure(SUMMARY_2, {}), 400, 'INVALID_API_INPUT', 'Provide a creditMemoId, an excessFundsAmount, or both.');
		expectRestError(await ensure(SUMMARY_2, { creditMemoId: SEEDED_MEMO, amount: 1 }), 400, 'JSON_PARSER_ERROR', /^Unrecognized field "amount"/);
	});
});

// ---------------------------------------------------------------- sobjects/CreditMemo

describe('sobjects/CreditMemo/{id}', () => {
	let token: string;
	beforeEach(async () => {
		token = await clientToken();
	});

	it('PATCH Description -> 204, and GET shows it', async () => {
		const patched = await api(token, 'PATCH', `sobjects/CreditMemo/${SEEDED_MEMO}`, { Description: 'n8n refund RMA-1001 (workflow 42)' });
		expect(patched.status).toBe(204);
		expect(patched.body).toBeUndefined();
		const memo = (await api(token, 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`)).body as Json;
		expect(memo.Description).toBe('n8n refund RMA-1001 (workflow 42)');
		expect(memo.LastModifiedDate).not.toBe(memo.CreatedDate);
	});

	it('PATCH of an unknown field is INVALID_FIELD, of a read-only one INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
		expect(await api(token, 'PATCH', `sobjects/CreditMemo/${SEEDED_MEMO}`, { Descripton: 'x' })).toMatchObject({
			status: 400,
			body: [{ errorCode: 'INVALID_FIELD', message: "No such column 'Descripton' on sobject of type CreditMemo", fields: ['Descripton'] }],
		});
		const readOnly = await api(token, 'PATCH', `sobjects/CreditMemo/${SEEDED_MEMO}`, { Description: 'x', TotalAmount: 1 });
		expectRestError(readOnly, 400, 'INVALID_FIELD_FOR_INSERT_UPDATE', /^Unable to create\/update fields: TotalAmount\./);
		expect((readOnly.body as Json[])[0].fields).toEqual(['TotalAmount']);
		expectRestError(await api(token, 'PATCH', `sobjects/CreditMemo/${SEEDED_MEMO}`, { Description: 42 }), 400, 'JSON_PARSER_ERROR');
		expect(((await api(token, 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`)).body as Json).Description).toBe('Return RMA-1001 approved');
	});

	it('an unknown or malformed ID is 404 NOT_FOUND; DELETE is not allowed', async () => {
		expectRestError(await api(token, 'GET', `sobjects/CreditMemo/${makeId('50g', 999)}`), 404, 'NOT_FOUND');
		expectRestError(await api(token, 'PATCH', 'sobjects/CreditMemo/nope', { Description: 'x' }), 404, 'NOT_FOUND');
		expectRestError(await api(token, 'DELETE', `sobjects/CreditMemo/${SEEDED_MEMO}`), 405, 'METHOD_NOT_ALLOWED');
	});
});

// ---------------------------------------------------------------- query

describe('query (SOQL subset)', () => {
	let token: string;
	beforeEach(async () => {
		token = await clientToken();
	});

	it('finds the memo of an order summary and the memo that credited a change order (retry recovery)', async () => {
		const created = (await createMemo(token, SUMMARY, [SEED_CHANGE_ORDER])).body as Json;
		const bySummary = await query(token, `SELECT Id, DocumentNumber, TotalAmountWithTax, Description FROM CreditMemo WHERE ReferenceEntityId = '${SUMMARY}'`);
		expect(bySummary.status).toBe(200);
		expect(bySummary.body).toEqual({
			totalSize: 1,
			done: true,
			records: [
				{
					attributes: { type: 'CreditMemo', url: `/services/data/v66.0/sobjects/CreditMemo/${created.creditMemoId as string}` },
					Id: created.creditMemoId,
					DocumentNumber: 'CM-00000002',
					TotalAmountWithTax: 142.28,
					Description: null,
				},
			],
		});
		const byChangeOrder = await query(token, `select id from creditmemo where ChangeOrderIds__c like '%${SEED_CHANGE_ORDER}%'`);
		expect(((byChangeOrder.body as Json).records as Json[]).map((record) => record.Id)).toEqual([created.creditMemoId]);
	});

	it('IN, comparisons on amounts and dates, ORDER BY, LIMIT and COUNT()', async () => {
		await createMemo(token, SUMMARY, [SEED_CHANGE_ORDER]);
		await createMemo(token, SUMMARY_EUR, [EUR_CHANGE_ORDER]);
		const ordered = await query(token, `SELECT DocumentNumber, CurrencyIsoCode FROM CreditMemo WHERE ReferenceEntityId IN ('${SUMMARY}', '${SUMMARY_2}', '${SUMMARY_EUR}') ORDER BY DocumentNumber DESC LIMIT 2`);
		expect(((ordered.body as Json).records as Json[]).map((record) => [record.DocumentNumber, record.CurrencyIsoCode])).toEqual([
			['CM-00000003', 'EUR'],
			['CM-00000002', 'USD'],
		]);
		const big = await query(token, 'SELECT Id FROM CreditMemo WHERE TotalAmountWithTax > 200 AND CreatedDate > 2024-05-01T00:00:00Z');
		expect((big.body as Json).totalSize).toBe(1);
		expect((await query(token, "SELECT COUNT() FROM CreditMemo WHERE Status = 'posted'")).body).toEqual({ totalSize: 3, done: true, records: [] });
	});

	it('pages with nextRecordsUrl when there are more records than the batch size', async () => {
		for (let index = 1; index <= 250; index++) await createMemo(token, makeId('1Os', 900 + ((index - 1) % 5) + 1), [makeId('801', 900_000 + index)]);
		const first = await query(token, 'SELECT Id FROM CreditMemo ORDER BY DocumentNumber', { 'Sforce-Query-Options': 'batchSize=200' });
		const page = first.body as Json;
		expect(page).toMatchObject({ totalSize: 251, done: false, nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v66\.0\/query\/01g[A-Za-z0-9]{15}-200$/) });
		expect(page.records).toHaveLength(200);
		const next = await fetch(`${base}${page.nextRecordsUrl as string}`, { headers: { Authorization: `Bearer ${token}` } });
		const second = (await next.json()) as Json;
		expect(second).toMatchObject({ totalSize: 251, done: true });
		expect(second).not.toHaveProperty('nextRecordsUrl');
		const ids = [...(page.records as Json[]), ...(second.records as Json[])].map((record) => record.Id);
		expect(new Set(ids).size).toBe(251);
		expectRestError(await api(token, 'GET', 'query/01gSB0000000000AAA-200'), 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
	});

	it('ORDER BY several fields: later ones break the ties of earlier ones', async () => {
		await createMemo(token, SUMMARY, [SEED_CHANGE_ORDER]);
		sandbox.clock.advance(1000);
		await createMemo(token, SUMMARY_EUR, [EUR_CHANGE_ORDER]);
		const numbers = async (orderBy: string) =>
			(((await query(token, `SELECT DocumentNumber FROM CreditMemo ORDER BY ${orderBy}`)).body as Json).records as Json[]).map((record) => record.DocumentNumber);
		expect(await numbers('CurrencyIsoCode DESC, DocumentNumber')).toEqual(['CM-00000001', 'CM-00000002', 'CM-00000003']);
		expect(await numbers('CurrencyIsoCode DESC, DocumentNumber DESC')).toEqual(['CM-00000002', 'CM-00000001', 'CM-00000003']);
		expect(await numbers('Status, CreatedDate DESC, Id')).toEqual(['CM-00000003', 'CM-00000002', 'CM-00000001']);
		expectRestError(await query(token, 'SELECT Id FROM CreditMemo ORDER BY Status,'), 400, 'MALFORMED_QUERY', /unexpected token: <EOF>$/);
	});

	it('a fixture\'s queryBatchSize makes smaller pages, whatever batch size the client asks for', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesforce-fixture-'));
		const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'sandbox', 'fixtures', 'salesforce.json'), 'utf8')) as Json;
		fs.writeFileSync(path.join(dir, 'salesforce.json'), JSON.stringify({ ...fixture, queryBatchSize: 2 }));
		const small = await startSandbox({ port: 0, fixturesDir: dir, emulators: [createSalesforceEmulator] });
		try {
			const smallBase = `${small.url}/salesforce`;
			const tokenResponse = await fetch(`${smallBase}/services/oauth2/token`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: CLIENT.secret }).toString(),
			});
			const headers = { Authorization: `Bearer ${((await tokenResponse.json()) as Json).access_token as string}`, 'Sforce-Query-Options': 'batchSize=500' };
			const get = async (url: string) => (await (await fetch(`${smallBase}${url}`, { headers })).json()) as Json;
			for (const [summary, changeOrder] of [[SUMMARY, SEED_CHANGE_ORDER], [SUMMARY, SOCKS_CHANGE_ORDER], [SUMMARY_2, TENT_CHANGE_ORDER], [SUMMARY_EUR, EUR_CHANGE_ORDER]]) {
				const created = await fetch(`${smallBase}/services/data/v66.0/${action(summary, 'actions/create-credit-memo')}`, {
					method: 'POST',
					headers: { ...headers, 'Content-Type': 'application/json' },
					body: JSON.stringify({ changeOrderIds: [changeOrder] }),
				});
				expect(created.status).toBe(201);
			}
			const pages: Json[] = [await get(`/services/data/v66.0/query?q=${encodeURIComponent('SELECT DocumentNumber FROM CreditMemo ORDER BY DocumentNumber')}`)];
			while (pages[pages.length - 1].nextRecordsUrl) pages.push(await get(pages[pages.length - 1].nextRecordsUrl as string));
			expect(pages.map((page) => [page.totalSize, page.done, (page.records as Json[]).map((record) => record.DocumentNumber)])).toEqual([
				[5, false, ['CM-00000001', 'CM-00000002']],
				[5, false, ['CM-00000003', 'CM-00000004']],
				[5, true, ['CM-00000005']],
			]);
		} finally {
			await small.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('errors: unknown field, unknown object, malformed query, quoted number, missing q', async () => {
		expectRestError(await query(token, 'SELECT Id, Amount FROM CreditMemo'), 400, 'INVALID_FIELD', /No such column 'Amount' on entity 'CreditMemo'/);
		expectRestError(await query(token, 'SELECT Id FROM Invoice'), 400, 'INVALID_TYPE', /sObject type 'Invoice' is not supported/);
		expectRestError(await query(token, 'SELECT Id FROM CreditMemo WHERE'), 400, 'MALFORMED_QUERY', /ERROR at Row:1:Column:32\nunexpected token: <EOF>$/);
		expectRestError(await query(token, "SELECT Id FROM CreditMemo WHERE TotalAmount > '5'"), 400, 'INVALID_QUERY_FILTER_OPERATOR', "value of filter criterion for field 'TotalAmount' must be of type double and should not be enclosed in quotes");
		expectRestError(await api(token, 'GET', 'query'), 400, 'MALFORMED_QUERY', 'A query string has to be specified');
	});
});

// ---------------------------------------------------------------- the core's faults

describe('core faults in Salesforce shapes', () => {
	it('limits are 403 REQUEST_LIMIT_EXCEEDED; 5xx are UNKNOWN_EXCEPTION / SERVER_UNAVAILABLE arrays', async () => {
		const token = await clientToken();
		sandbox.setFaults([
			{ provider: 'salesforce', operation: 'getCreditMemo', kind: 'rateLimited', count: 1 },
			{ provider: 'salesforce', operation: 'getCreditMemo', kind: 'serverError', status: 500, count: 1 },
			{ provider: 'salesforce', operation: 'getCreditMemo', kind: 'unavailable', count: 1 },
		]);
		expectRestError(await api(token, 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`), 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
		expectRestError(await api(token, 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`), 500, 'UNKNOWN_EXCEPTION');
		expectRestError(await api(token, 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`), 503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable');
		expect((await api(token, 'GET', `sobjects/CreditMemo/${SEEDED_MEMO}`)).status).toBe(200);
	});

	it('a response dropped after commit leaves the memo; the retry says INVALID_INPUT and ChangeOrderIds__c finds the memo', async () => {
		const token = await clientToken();
		sandbox.setFaults([{ provider: 'salesforce', operation: 'createCreditMemo', kind: 'dropAfterCommit', count: 1 }]);
		await expect(createMemo(token, SUMMARY, [SEED_CHANGE_ORDER])).rejects.toThrow();
		const [entry] = sandbox.ledger('salesforce');
		expect(entry).toMatchObject({ responseDropped: true, source: SUMMARY });
		expect((await createMemo(token, SUMMARY, [SEED_CHANGE_ORDER])).status).toBe(400);
		const found = await query(token, `SELECT Id FROM CreditMemo WHERE ReferenceEntityId = '${SUMMARY}' AND ChangeOrderIds__c LIKE '%${SEED_CHANGE_ORDER}%'`);
		expect(((found.body as Json).records as Json[]).map((record) => record.Id)).toEqual([entry.creditMemoId]);
	});
});
