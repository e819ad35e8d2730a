import nock from 'nock';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import workflowJson from '../workflows/create-zuora.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const ZUORA = 'https://rest.test.zuora.com';
const CLIENT_ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const SECRET = 'zuora-secret-do-not-leak';
const NODE = 'Create Credit Memo';
const workflow = workflowJson as unknown as WorkflowJson;
const input = [
	{ returnId: 'RET-1', invoiceId: '8a90d7a892d82d920192dbcb314501c7', invoiceItemId: '8a90d7a892d82d920192dbcb31f401c8', amount: 10 },
	{ returnId: 'RET-2', invoiceId: '8a90d7a892d82d920192dbcb314501d8', invoiceItemId: '8a90d7a892d82d920192dbcb31f401d9', amount: 24.5 },
];
const MARKER = /\[ref:(RET-\d) #([0-9a-f]{8})\]$/;

function credentials(extra: IDataObject = {}): Map<string, ICredentialDataDecryptedObject> {
	return new Map([['zuoraOAuth2Api', { environment: 'usDeveloperSandbox', clientId: CLIENT_ID, clientSecret: SECRET, ...extra }]]);
}

interface Received {
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: IDataObject;
}

function expectedBody(item: (typeof input)[number]) {
	return {
		invoiceId: item.invoiceId,
		items: [{ invoiceItemId: item.invoiceItemId, amount: item.amount, skuName: 'SKU-00000707', description: 'Returned item' }],
		reasonCode: 'Correcting invoice error',
		effectiveDate: '2026-11-23',
		autoPost: true,
		comment: expect.stringMatching(new RegExp(`^Return ${item.returnId} \\[ref:${item.returnId} #[0-9a-f]{8}\\]$`)),
	};
}

/** GETCreditMemoType as Zuora answers POST /v1/credit-memos/invoice/{invoiceKey} (doc sample, trimmed). */
function memoFor(body: IDataObject, id = 'cm-1') {
	const amount = (body.items as Array<{ amount: number }>).reduce((sum, item) => sum + item.amount, 0);
	return {
		id,
		number: `CM-${id}`,
		accountId: '8a90b4488e7d5c0f018e7db3892400b2',
		currency: 'USD',
		status: 'Posted',
		amount,
		taxAmount: 0,
		comment: body.comment,
		referredInvoiceId: body.invoiceId,
		createdDate: '2026-11-23 10:00:00',
		sourceType: 'Invoice',
		success: true,
	};
}

function tokenEndpoint(received: IDataObject[], token = 'token-1') {
	return nock(ZUORA)
		.post('/oauth/token', (body) => {
			received.push(body);
			return true;
		})
		.reply(200, { access_token: token, expires_in: 3599, token_type: 'bearer', scope: 'tenant.19' });
}

/** Answers every create with a memo echoing the body, as Zuora does; records what was sent. */
function createEndpoint(received: Received[], times = 1) {
	return nock(ZUORA)
		.post(/^\/v1\/credit-memos\/invoice\/[0-9a-f]+$/)
		.times(times)
		.reply(function (uri, body) {
			received.push({ path: uri, headers: this.req.headers, body: body as IDataObject });
			return [200, memoFor(body as IDataObject, `cm-${received.length}`), { 'Zuora-Track-Id': String(this.req.headers['zuora-track-id']) }];
		});
}

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});

describe('Create Credit Memo, Zuora (engine + nock)', () => {
	it('fetches one client-credentials token, then creates each memo from its invoice with the exact request', async () => {
		const tokenRequests: IDataObject[] = [];
		const received: Received[] = [];
		const token = tokenEndpoint(tokenRequests);
		const creates = createEndpoint(received, 2);
		const store = credentials();

		const result = await runWorkflow(workflow, { input, credentials: store });

		expect(result.error()).toBeUndefined();
		expect(token.isDone() && creates.isDone()).toBe(true);
		expect(tokenRequests).toEqual([{ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET }]);
		expect(received.map((request) => request.path)).toEqual(input.map((item) => `/v1/credit-memos/invoice/${item.invoiceId}`));
		expect(received.map((request) => request.body)).toEqual(input.map(expectedBody));
		for (const { headers } of received) {
			expect(headers).toMatchObject({
				authorization: 'Bearer token-1',
				'content-type': 'application/json',
				'zuora-version': '2025-08-12',
				'idempotency-key': expect.stringMatching(/^credit-memo-[0-9a-f]{48}$/),
				'zuora-track-id': expect.stringMatching(/^n8n-[0-9a-f-]{36}$/),
			});
			expect(headers['zuora-entity-ids']).toBeUndefined();
			expect(headers['zuora-org-ids']).toBeUndefined();
		}
		expect(received[0].headers['idempotency-key']).not.toBe(received[1].headers['idempotency-key']);
		// n8n keeps the token in the credential for the next execution.
		expect(store.get('zuoraOAuth2Api')?.oauthTokenData).toMatchObject({ access_token: 'token-1' });

		const output = result.output(NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toEqual({
			provider: 'zuora',
			creditMemoId: 'cm-1',
			number: 'CM-cm-1',
			status: 'Posted',
			totalAmount: 10,
			currency: 'USD',
			createdAt: '2026-11-23 10:00:00',
			refundReference: 'RET-1',
			replayed: false,
			raw: memoFor(received[0].body, 'cm-1'),
		});
		expect(JSON.stringify(output)).not.toContain(SECRET);
		expect(JSON.stringify(output)).not.toContain('token-1');
	});

	it('creates a standalone memo from charges with the credential\'s entity and org headers', async () => {
		const received: Received[] = [];
		tokenEndpoint([]);
		nock(ZUORA)
			.post('/v1/credit-memos')
			.reply(function (uri, body) {
				received.push({ path: uri, headers: this.req.headers, body: body as IDataObject });
				return [200, { id: 'cm-s', number: 'CM-RET-9', status: 'Draft', amount: 15.25, currency: 'EUR', comment: (body as IDataObject).comment, success: true }];
			});
		const standalone = withNodeParameters(workflow, NODE, {
			sourceType: 'standalone',
			accountNumber: '={{ $json.account }}',
			zuoraCharges: { charge: [{ productRatePlanChargeId: '8ad097b4909708e001909b41bb085d38', amount: '={{ $json.amount }}', description: 'Goodwill' }] },
			zuoraAdditionalFields: { currency: 'eur', number: 'CM-RET-9', reasonCode: 'Goodwill', comment: 'Late delivery' },
		});

		const result = await runWorkflow(standalone, {
			input: [{ returnId: 'RET-9', account: 'A00000097', amount: 15.25 }],
			credentials: credentials({ entityIds: '11e643f4-a3ee-8bad-b061-0025904c756d', orgIds: 'org-1,org-2' }),
		});

		expect(result.error()).toBeUndefined();
		expect(received).toHaveLength(1);
		expect(received[0].headers).toMatchObject({ 'zuora-entity-ids': '11e643f4-a3ee-8bad-b061-0025904c756d', 'zuora-org-ids': 'org-1,org-2', 'zuora-version': '2025-08-12' });
		expect(received[0].body).toEqual({
			accountNumber: 'A00000097',
			charges: [{ productRatePlanChargeId: '8ad097b4909708e001909b41bb085d38', amount: 15.25, description: 'Goodwill' }],
			currency: 'EUR',
			number: 'CM-RET-9',
			reasonCode: 'Goodwill',
			autoPost: false,
			comment: expect.stringMatching(/^Late delivery \[ref:RET-9 #[0-9a-f]{8}\]$/),
		});
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: 'cm-s', number: 'CM-RET-9', totalAmount: 15.25, currency: 'EUR', replayed: false });
	});

	it.each([
		['230.0', { chargeId: 'prpc-1', amount: 5, comment: 'Goodwill' }],
		['223.0', { chargeId: 'prpc-1', memoItemAmount: 5, comment: 'Goodwill' }],
		['2024-05-20', { productRatePlanChargeId: 'prpc-1', amount: 5, description: 'Goodwill' }],
	])('names the charge fields as Zuora-Version %s expects', async (version, charge) => {
		const received: Received[] = [];
		tokenEndpoint([]);
		nock(ZUORA)
			.post('/v1/credit-memos')
			.reply(function (uri, body) {
				received.push({ path: uri, headers: this.req.headers, body: body as IDataObject });
				return [200, { id: 'cm-v', comment: (body as IDataObject).comment, success: true }];
			});
		const standalone = withNodeParameters(workflow, NODE, {
			sourceType: 'standalone',
			accountId: 'acc-1',
			zuoraCharges: { charge: [{ productRatePlanChargeId: 'prpc-1', amount: 5, description: 'Goodwill' }] },
			zuoraAdditionalFields: {},
		});

		const result = await runWorkflow(standalone, { input: [input[0]], credentials: credentials({ zuoraVersion: version }) });

		expect(result.error()).toBeUndefined();
		expect(received[0].headers['zuora-version']).toBe(version);
		expect((received[0].body.charges as IDataObject[])[0]).toEqual(charge);
	});

	it('gives createdAt as the exact time when the credential names the tenant\'s time zone', async () => {
		tokenEndpoint([]);
		createEndpoint([]);

		const result = await runWorkflow(workflow, { input: [input[0]], credentials: credentials({ tenantTimeZone: 'Europe/Paris' }) });

		// Zuora's "2026-11-23 10:00:00" is Paris time (UTC+1 in November).
		expect(result.output(NODE)[0].json).toMatchObject({ createdAt: '2026-11-23T09:00:00.000Z', raw: { createdDate: '2026-11-23 10:00:00' } });
	});

	it('refuses a Zuora Version it cannot map, before sending anything', async () => {
		const result = await runWorkflow(workflow, { input: [input[0]], credentials: credentials({ zuoraVersion: '400.0' }) });

		expect(result.error()?.message).toBe('Zuora Version "400.0" is not one this node knows');
		expect(result.error()?.description).toContain('2025-08-12, 2024-05-20, 341.0');
	});

	it('sends the same Idempotency-Key when the refund is run again, and reports Zuora\'s replay as replayed', async () => {
		const first: Received[] = [];
		tokenEndpoint([]);
		createEndpoint(first);
		await runWorkflow(workflow, { input: [input[0]], credentials: credentials() });

		// Zuora answers the same key with the stored result: status, body and headers (its Track-Id echo included).
		const second: Received[] = [];
		tokenEndpoint([]);
		nock(ZUORA)
			.post(`/v1/credit-memos/invoice/${input[0].invoiceId}`)
			.reply(function (uri, body) {
				second.push({ path: uri, headers: this.req.headers, body: body as IDataObject });
				return [200, memoFor(first[0].body, 'cm-1'), { 'Zuora-Track-Id': String(first[0].headers['zuora-track-id']) }];
			});
		const result = await runWorkflow(workflow, { input: [input[0]], credentials: credentials() });

		expect(second[0].headers['idempotency-key']).toBe(first[0].headers['idempotency-key']);
		expect(second[0].headers['zuora-track-id']).not.toBe(first[0].headers['zuora-track-id']);
		expect(second[0].body).toEqual(first[0].body);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: 'cm-1', refundReference: 'RET-1', replayed: true });
	});

	it('takes a 409 carrying the stored memo as the replayed answer', async () => {
		const first: Received[] = [];
		tokenEndpoint([]);
		createEndpoint(first);
		await runWorkflow(workflow, { input: [input[0]], credentials: credentials() });
		tokenEndpoint([]);
		const replay = nock(ZUORA).post(`/v1/credit-memos/invoice/${input[0].invoiceId}`).reply(409, memoFor(first[0].body, 'cm-1'));

		const result = await runWorkflow(workflow, { input: [input[0]], credentials: credentials() });

		expect(replay.isDone()).toBe(true);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: 'cm-1', replayed: true });
	});

	it('refuses a replayed memo made from different data under the same reference', async () => {
		const first: Received[] = [];
		tokenEndpoint([]);
		createEndpoint(first);
		await runWorkflow(workflow, { input: [input[0]], credentials: credentials() });
		const [, , firstCheck] = MARKER.exec(String(first[0].body.comment))!;

		// Same reference, another amount: Zuora compares only tenant, URL and method, so it replays the first memo.
		tokenEndpoint([]);
		nock(ZUORA).post(`/v1/credit-memos/invoice/${input[0].invoiceId}`).reply(200, memoFor(first[0].body, 'cm-1'), { 'Zuora-Track-Id': 'n8n-earlier' });
		const result = await runWorkflow(workflow, { input: [{ ...input[0], amount: 99 }], credentials: credentials() });

		const error = result.error();
		expect(error?.message).toMatch(new RegExp(`^Refund Reference "RET-1" was already used for a different credit memo \\(CM-cm-1: created from different data \\(marker #${firstCheck}, this request #[0-9a-f]{8}\\)\\)$`));
		expect(error?.message).not.toContain(`this request #${firstCheck}`);
		expect(error?.context).toMatchObject({ code: 'REFERENCE_REUSED', provider: 'zuora', itemIndex: 0 });
	});

	it('turns `success: false` on a 200 into a node error with Zuora\'s reason code, message and process ID', async () => {
		tokenEndpoint([]);
		const create = nock(ZUORA)
			.post(`/v1/credit-memos/invoice/${input[0].invoiceId}`)
			.reply(200, { success: false, processId: '7F2E4C89A1B3C4D5', reasons: [{ code: 50000040, message: 'Cannot find a Invoice instance with id test.' }] });

		const result = await runWorkflow(workflow, { input: [input[0]], credentials: credentials() });

		expect(create.isDone()).toBe(true);
		const error = result.error();
		expect(error?.message).toBe('Zuora: Cannot find a Invoice instance with id test.');
		expect(error?.context).toMatchObject({ provider: 'zuora', code: '50000040', httpStatus: 200, retryable: false, itemIndex: 0 });
		expect(error?.description).toContain('process ID 7F2E4C89A1B3C4D5');
		expect(error?.description).toContain('Check the IDs');
	});

	it('shows every reason of a 400 and does not send it again', async () => {
		tokenEndpoint([]);
		const create = nock(ZUORA)
			.post(`/v1/credit-memos/invoice/${input[0].invoiceId}`)
			.reply(400, {
				success: false,
				processId: 'A1',
				requestId: '6a0d3a9c-1f7b-4c8e-9d2a-5b6c7d8e9f01',
				reasons: [
					{ code: '53000020', message: 'The amount of the credit memo item exceeds the invoice item balance.' },
					{ code: '53000022', message: 'skuName is required.' },
				],
			});

		const result = await runWorkflow(workflow, { input: [input[0]], credentials: credentials() });

		expect(create.isDone()).toBe(true);
		const error = result.error();
		expect(error?.message).toBe('Zuora: The amount of the credit memo item exceeds the invoice item balance.; skuName is required.');
		expect(error?.context).toMatchObject({ code: '53000020', httpStatus: 400, retryable: false });
		expect(error?.description).toContain('request ID 6a0d3a9c-1f7b-4c8e-9d2a-5b6c7d8e9f01');
		expect(error?.description).toContain('give the refund a new reference');
	});

	it('treats 422 (the key was used for another request) as permanent', async () => {
		tokenEndpoint([]);
		const create = nock(ZUORA).post(`/v1/credit-memos/invoice/${input[0].invoiceId}`).reply(422, {});

		const result = await runWorkflow(workflow, { input: [input[0]], credentials: credentials() });

		expect(create.isDone()).toBe(true);
		expect(result.error()?.context).toMatchObject({ httpStatus: 422, retryable: false });
		expect(result.error()?.description).toContain('used in the last 24 hours for a different request');
	});

	it.each([
		['the same key still in flight (409)', 409, {}, {}],
		['a rate limit (429, ratelimit-reset)', 429, { success: false, reasons: [{ code: '50000070', message: 'Too many requests' }] }, { 'ratelimit-remaining': '0', 'ratelimit-reset': '0' }],
	])('waits out %s and sends the same request again, with the same key', async (_name, status, body, headers) => {
		const keys: unknown[] = [];
		tokenEndpoint([]);
		nock(ZUORA)
			.post(`/v1/credit-memos/invoice/${input[0].invoiceId}`)
			.reply(function () {
				keys.push(this.req.headers['idempotency-key']);
				return [status, body, headers];
			})
			.post(`/v1/credit-memos/invoice/${input[0].invoiceId}`)
			.reply(function (_uri, sent) {
				keys.push(this.req.headers['idempotency-key']);
				return [200, memoFor(sent as IDataObject)];
			});

		const result = await runWorkflow(workflow, { input: [input[0]], credentials: credentials() });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: 'cm-1' });
		expect(keys).toHaveLength(2);
		expect(keys[1]).toBe(keys[0]);
	});

	it('fetches a new token when Zuora answers 401 and sends the memo again', async () => {
		const authorizations: unknown[] = [];
		tokenEndpoint([], 'expired-token');
		tokenEndpoint([], 'fresh-token');
		nock(ZUORA)
			.post(`/v1/credit-memos/invoice/${input[0].invoiceId}`)
			.reply(function () {
				authorizations.push(this.req.headers.authorization);
				return [401, { message: 'Authentication error' }];
			})
			.post(`/v1/credit-memos/invoice/${input[0].invoiceId}`)
			.reply(function (_uri, body) {
				authorizations.push(this.req.headers.authorization);
				return [200, memoFor(body as IDataObject)];
			});
		const store = credentials();

		const result = await runWorkflow(workflow, { input: [input[0]], credentials: store });

		expect(result.error()).toBeUndefined();
		expect(authorizations).toEqual(['Bearer expired-token', 'Bearer fresh-token']);
		expect(store.get('zuoraOAuth2Api')?.oauthTokenData).toMatchObject({ access_token: 'fresh-token' });
	});

	it('reports a refused client secret as a credential error without retrying', async () => {
		let tokenRequests = 0;
		nock(ZUORA)
			.post('/oauth/token')
			.times(5)
			.reply(() => {
				tokenRequests++;
				return [401, { error: 'invalid_client' }];
			});

		const result = await runWorkflow(workflow, { input: [input[0]], credentials: credentials() });

		expect(tokenRequests).toBe(1);
		expect(result.error()?.message).toMatch(/^Failed to acquire OAuth2 access token/);
		expect(result.error()?.context).toMatchObject({ code: 'invalid_client', retryable: false, outcome: 'failed' });
	});

	it('under Continue On Fail emits an error item for the failing item and still creates the next', async () => {
		tokenEndpoint([]);
		nock(ZUORA)
			.post(`/v1/credit-memos/invoice/${input[0].invoiceId}`)
			.reply(400, { success: false, reasons: [{ code: 53000030, message: 'The invoice is not posted.' }] })
			.post(`/v1/credit-memos/invoice/${input[1].invoiceId}`)
			.reply(200, (_uri, body) => memoFor(body as IDataObject, 'cm-2'));

		const result = await runWorkflow(withNodeSettings(workflow, NODE, { onError: 'continueRegularOutput' }), { input, credentials: credentials() });

		expect(result.error()).toBeUndefined();
		const output = result.output(NODE);
		expect(output).toHaveLength(2);
		expect(output[0]).toMatchObject({
			json: { error: 'Zuora: The invoice is not posted.', details: { provider: 'zuora', code: '53000030', httpStatus: 400, retryable: false, outcome: 'failed', itemIndex: 0 } },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toMatchObject({ json: { creditMemoId: 'cm-2', refundReference: 'RET-2' }, pairedItem: { item: 1 } });
	});

	it('Dry Run outputs the exact request with the token redacted and sends nothing, not even for a token', async () => {
		const dryRun = withNodeParameters(workflow, NODE, { options: { dryRun: true } });

		const result = await runWorkflow(dryRun, { input: [input[0]], credentials: credentials() });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toEqual({
			provider: 'zuora',
			dryRun: true,
			request: {
				method: 'POST',
				url: `${ZUORA}/v1/credit-memos/invoice/${input[0].invoiceId}`,
				headers: {
					'Content-Type': 'application/json',
					'Zuora-Version': '2025-08-12',
					'Idempotency-Key': expect.stringMatching(/^credit-memo-[0-9a-f]{48}$/),
					'Zuora-Track-Id': expect.stringMatching(/^n8n-/),
					Authorization: '[redacted: added by the credential]',
				},
				body: expectedBody(input[0]),
			},
			// Zuora calculates tax by default, so the total is not known before sending.
			totalAmount: null,
			currency: null,
		});
	});

	it('applies the Max Total Amount limit when the total is known (tax auto calculation off)', async () => {
		const limited = withNodeParameters(workflow, NODE, {
			zuoraInvoiceItems: { item: [{ invoiceItemId: '={{ $json.invoiceItemId }}', amount: '={{ $json.amount }}', skuName: 'SKU-1', taxAmount: '2.05', sourceTaxItemId: 'tax-1' }] },
			zuoraAdditionalFields: { taxAutoCalculation: false },
			options: { maxTotalAmount: 25 },
		});

		const result = await runWorkflow(limited, { input: [input[1]], credentials: credentials() });

		expect(result.error()?.message).toBe('The credit memo total 26.55 is above the safety limit of 25; nothing was sent');
	});

	it('refuses a configured limit when Zuora calculates the tax, since the total is unknown', async () => {
		const limited = withNodeParameters(workflow, NODE, { options: { maxTotalAmount: 1000 } });

		const result = await runWorkflow(limited, { input: [input[0]], credentials: credentials() });

		expect(result.error()?.message).toBe('The total of this credit memo is only known to the provider, so the safety limit cannot be checked');
	});

	it.each([
		[{ returnId: '' }, 'Refund Reference is required for Zuora'],
		[{ amount: -1 }, 'Invoice Items[1] Amount must not be negative, got -1'],
		[{ amount: 'ten' }, 'Invoice Items[1] Amount must be a plain decimal number such as 12.50, got "ten"'],
		[{ invoiceId: '' }, 'Invoice ID is required'],
	])('rejects invalid input %j before sending anything', async (change, message) => {
		const result = await runWorkflow(workflow, { input: [{ ...input[0], ...change }], credentials: credentials() });

		expect(result.error()?.message).toBe(message);
		expect(result.error()?.context).toMatchObject({ itemIndex: 0 });
	});

	it('rejects an effective date that is not a date', async () => {
		const wrongDate = withNodeParameters(workflow, NODE, { zuoraAdditionalFields: { effectiveDate: '23/11/2026' } });

		const result = await runWorkflow(wrongDate, { input: [input[0]], credentials: credentials() });

		expect(result.error()?.message).toBe('Effective Date is not a valid date and time, got "23/11/2026"');
	});

	it('takes items from one JSON expression (a webhook payload) as well', async () => {
		const received: Received[] = [];
		tokenEndpoint([]);
		createEndpoint(received);
		const json = withNodeParameters(workflow, NODE, { itemsInputMode: 'json', itemsJson: '={{ $json.lines }}' });
		const lines = [
			{ invoiceItemId: 'ii-1', amount: '12.50', skuName: 'SKU-1', taxItems: [{ amount: 1.03, sourceTaxItemId: 'tx-1', taxName: 'VAT', taxRate: 0.0825, taxRateType: 'Percentage' }] },
			{ invoiceItemId: 'ii-2', amount: 3, skuName: 'SKU-2', taxMode: 'TaxInclusive', quantity: 2, serviceStartDate: '2026-10-01', serviceEndDate: '2026-10-31' },
		];

		const result = await runWorkflow(json, { input: [{ ...input[0], lines }], credentials: credentials() });

		expect(result.error()).toBeUndefined();
		expect(received[0].body.items).toEqual([
			{ invoiceItemId: 'ii-1', amount: 12.5, skuName: 'SKU-1', taxItems: [{ amount: 1.03, sourceTaxItemId: 'tx-1', taxName: 'VAT', taxRate: 0.0825, taxRateType: 'Percentage' }] },
			{ invoiceItemId: 'ii-2', amount: 3, skuName: 'SKU-2', quantity: 2, serviceStartDate: '2026-10-01', serviceEndDate: '2026-10-31', taxMode: 'TaxInclusive' },
		]);
	});
});
