import nock from 'nock';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import workflowJson from '../workflows/credit-memo-zuora.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const ZUORA = 'https://rest.test.zuora.com';
const NODE = 'Credit Memo';
const MEMO = '8a90e4a792d82d8c0192dbda90671d66';
const workflow = workflowJson as unknown as WorkflowJson;
/** A tenant on Zuora's default time zone, Pacific Time: created dates come as "YYYY-MM-DD HH:MM:SS" in it. */
const credentials = (extra: IDataObject = {}): Record<string, ICredentialDataDecryptedObject> => ({
	zuoraOAuth2Api: {
		environment: 'usDeveloperSandbox',
		clientId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
		clientSecret: 'secret-do-not-leak',
		entityIds: 'entity-1',
		tenantTimeZone: 'America/Los_Angeles',
		...extra,
	},
});
const EXPECTED_HEADERS = { authorization: 'Bearer token-1', 'zuora-version': '2025-08-12', 'zuora-entity-ids': 'entity-1' };

/** GETCreditMemoType (doc sample, trimmed). */
function memo(id: string, createdDate: string, extra: IDataObject = {}): IDataObject {
	return {
		id,
		number: `CM-${id}`,
		accountId: '2c92c8f95bd63b98015bd7ab09ef0926',
		amount: 23,
		currency: 'USD',
		status: 'Draft',
		comment: '',
		createdDate,
		referredInvoiceId: null,
		sourceType: 'Standalone',
		...extra,
	};
}

interface Received {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** Zuora with a token endpoint; `received` records every /v1 request. */
function zuora() {
	const received: Received[] = [];
	const scope = nock(ZUORA).post('/oauth/token').reply(200, { access_token: 'token-1', expires_in: 3599, token_type: 'bearer' });
	const record = (method: string) =>
		function (this: { req: { headers: Received['headers'] } }, uri: string, body: unknown) {
			received.push({ method, path: uri, headers: this.req.headers, body });
		};
	return { scope, received, record };
}

/** A GET_CreditMemos page: `nextPage` while more pages exist, as Zuora answers. */
function page(memos: IDataObject[], next?: number): IDataObject {
	return { creditmemos: memos, ...(next ? { nextPage: `${ZUORA}/v1/credit-memos?page=${next}&pageSize=40` } : {}), success: true };
}

const run = async (parameters: IDataObject, input: IDataObject[] = [{}], extra: IDataObject = {}) =>
	await runWorkflow(withNodeParameters(workflow, NODE, parameters), { input, credentials: credentials(extra) });

const ids = (result: Awaited<ReturnType<typeof run>>) => result.output(NODE).map((item) => item.json.creditMemoId);

/** Requests no interceptor answered: every test expects none (a read the node should not make included). */
const unmatched: string[] = [];
nock.emitter.on('no match', (request: { method?: string; path?: string }) => unmatched.push(`${request.method} ${request.path}`));

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
	unmatched.length = 0;
});
afterEach(() => expect(unmatched).toEqual([]));

describe('Credit Memo node, Zuora: Get (engine + nock)', () => {
	it('reads GET /v1/credit-memos/{key} with the credential\'s token and headers; createdAt is the exact time from the tenant\'s zone', async () => {
		const api = zuora();
		const answer = { ...memo(MEMO, '2026-07-01 10:00:00', { status: 'Posted', comment: 'Return RET-1 | approved [ref:RET-1 #a1b2c3d4]' }), success: true };
		api.scope.get(`/v1/credit-memos/${MEMO}`).reply(function (uri, body) {
			api.record('GET').call(this, uri, body);
			return [200, answer];
		});

		const result = await run({ operation: 'get' }, [{ creditMemoId: MEMO }]);

		expect(api.scope.isDone()).toBe(true);
		expect(api.received[0].headers).toMatchObject(EXPECTED_HEADERS);
		expect(api.received[0].headers['idempotency-key']).toBeUndefined();
		expect(result.output(NODE)).toEqual([
			{
				json: {
					provider: 'zuora',
					creditMemoId: MEMO,
					number: `CM-${MEMO}`,
					status: 'Posted',
					totalAmount: 23,
					currency: 'USD',
					// 10:00 Pacific Daylight Time.
					createdAt: '2026-07-01T17:00:00.000Z',
					refundReference: 'RET-1',
					raw: answer,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(JSON.stringify(result.output(NODE))).not.toContain('token-1');
	});

	it('takes the memo number as the key (URL-encoded), and passes createdAt on as Zuora wrote it when the credential has no time zone', async () => {
		const api = zuora();
		api.scope.get('/v1/credit-memos/CM%2F1%20A').reply(200, { ...memo('cm-x', '2026-01-15 10:00:00'), success: true });

		const result = await run({ operation: 'get' }, [{ creditMemoId: ' CM/1 A ' }], { tenantTimeZone: '' });

		expect(api.scope.isDone()).toBe(true);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: 'cm-x', createdAt: '2026-01-15 10:00:00', refundReference: null });
	});

	it('says plainly that Zuora has no such memo, for a 404 (2024-05-20 and later) as for a 200 with category 40', async () => {
		for (const [status, version] of [
			[404, '2025-08-12'],
			[200, '211.0'],
		] as const) {
			nock.cleanAll();
			const api = zuora();
			api.scope.get('/v1/credit-memos/CM404').reply(status, { success: false, processId: 'P-1', reasons: [{ code: 50000040, message: 'Cannot find a CreditMemo instance with id CM404.' }] });

			const result = await run({ operation: 'get' }, [{ creditMemoId: 'CM404' }], { zuoraVersion: version });

			expect(result.error()?.message).toBe('Zuora has no credit memo CM404');
			expect(result.error()?.context).toMatchObject({ provider: 'zuora', code: '50000040', httpStatus: status, itemIndex: 0 });
			expect(result.error()?.description).toContain('Zuora: Cannot find a CreditMemo instance with id CM404.');
		}
	});

	it('names the field when the Credit Memo ID is empty, and sends nothing', async () => {
		const result = await run({ operation: 'get' }, [{ creditMemoId: '' }]);

		expect(result.error()?.message).toBe('Credit Memo ID is required');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('refuses a Tenant Time Zone that is not a zone name, naming the credential field', async () => {
		const result = await run({ operation: 'get' }, [{ creditMemoId: MEMO }], { tenantTimeZone: 'PST+8' });

		expect(result.error()?.message).toBe('Tenant Time Zone "PST+8" is not a time zone name');
	});
});

describe('Credit Memo node, Zuora: List (engine + nock)', () => {
	it('sends the documented exact-value filters, newest first, 40 a page, and pages while Zuora gives a nextPage', async () => {
		const api = zuora();
		const filters = { accountId: 'acc-1', accountNumber: 'A00000001', referredInvoiceId: 'inv-1', status: 'Posted', currency: 'USD', creditMemoDate: '2026-11-22' };
		const memos = Array.from({ length: 85 }, (_, index) => memo(`cm-${100 - index}`, '2026-11-22 10:00:00'));
		for (const [number, slice, next] of [
			[1, memos.slice(0, 40), 2],
			[2, memos.slice(40, 80), 3],
			[3, memos.slice(80), undefined],
		] as const) {
			api.scope
				.get('/v1/credit-memos')
				.query({ ...filters, sort: 'createdDate,number', page: String(number), pageSize: '40' })
				.reply(function (uri, body) {
					api.record('GET').call(this, uri, body);
					return [200, page(slice, next)];
				});
		}

		const result = await run({
			operation: 'list',
			returnAll: true,
			zuoraListFilters: { accountId: 'acc-1', accountNumber: 'A00000001', referredInvoiceId: 'inv-1', status: 'posted', currency: 'usd', creditMemoDate: '2026-11-22T00:00:00' },
		});

		expect(result.error()).toBeUndefined();
		expect(api.scope.isDone()).toBe(true);
		for (const request of api.received) expect(request.headers).toMatchObject(EXPECTED_HEADERS);
		expect(ids(result)).toEqual(memos.map((entry) => entry.id));
		expect(result.output(NODE).every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('with a Limit and no window, asks for pages of the Limit and stops there', async () => {
		const api = zuora();
		api.scope
			.get('/v1/credit-memos')
			.query({ sort: 'createdDate,number', page: '1', pageSize: '5' })
			.reply(200, page(Array.from({ length: 5 }, (_, index) => memo(`cm-${index}`, '2026-11-22 10:00:00')), 2));

		const result = await run({ operation: 'list', limit: 5, simplify: false });

		expect(api.scope.isDone()).toBe(true);
		expect(result.output(NODE).map((item) => item.json.id)).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4']);
		expect(result.output(NODE)[0].json).not.toHaveProperty('provider');
	});

	// The tenant is on Pacific Time: 2026-11-22 00:00 PST is 08:00 UTC.
	const WINDOW = { createdAfter: '2026-11-22T08:00:00Z', createdBefore: '2026-11-23T08:00:00Z' };

	it('applies a created window in the tenant\'s zone while paging, and stops at the first page older than the window', async () => {
		const api = zuora();
		const firstPage = [
			memo('tomorrow', '2026-11-23 00:00:00'),
			memo('last', '2026-11-22 23:59:59'),
			...Array.from({ length: 38 }, (_, index) => memo(`mid-${index}`, '2026-11-22 12:00:00')),
		];
		// A memo created while paging shifts the pages: the last memo of page 1 comes again first on page 2.
		const secondPage = [firstPage[39], memo('first', '2026-11-22 00:00:00'), memo('yesterday', '2026-11-21 23:59:59'), ...Array.from({ length: 37 }, (_, index) => memo(`old-${index}`, '2026-11-20 10:00:00'))];
		api.scope.get('/v1/credit-memos').query({ sort: 'createdDate,number', page: '1', pageSize: '40' }).reply(200, page(firstPage, 2));
		api.scope.get('/v1/credit-memos').query({ sort: 'createdDate,number', page: '2', pageSize: '40' }).reply(200, page(secondPage, 3));
		// No page 3 is answered: asking for it would fail the test.

		const result = await run({ operation: 'list', returnAll: true, zuoraListFilters: WINDOW });

		expect(result.error()).toBeUndefined();
		expect(api.scope.isDone()).toBe(true);
		expect(ids(result)).toEqual(['last', ...Array.from({ length: 38 }, (_, index) => `mid-${index}`), 'first']);
		expect(result.output(NODE)[0].json.createdAt).toBe('2026-11-23T07:59:59.000Z');
		expect(result.output(NODE)[39].json.createdAt).toBe('2026-11-22T08:00:00.000Z');
	});

	it('keeps paging when Zuora\'s answer is not newest first, rather than stop early and miss a memo', async () => {
		const api = zuora();
		api.scope
			.get('/v1/credit-memos')
			.query(true)
			.reply(200, page([memo('a', '2026-11-22 12:00:00'), memo('old', '2026-11-01 10:00:00'), memo('b', '2026-11-22 13:00:00')], 2))
			.get('/v1/credit-memos')
			.query(true)
			.reply(200, page([memo('c', '2026-11-22 14:00:00')]));

		const result = await run({ operation: 'list', returnAll: true, zuoraListFilters: WINDOW });

		expect(api.scope.isDone()).toBe(true);
		expect(ids(result)).toEqual(['a', 'b', 'c']);
	});

	it('stops a windowed list at the Limit, counting only memos in the window', async () => {
		const api = zuora();
		api.scope
			.get('/v1/credit-memos')
			.query({ sort: 'createdDate,number', page: '1', pageSize: '40' })
			.reply(200, page([memo('tomorrow', '2026-11-23 09:00:00'), memo('in-1', '2026-11-22 09:00:00'), memo('in-2', '2026-11-22 08:00:00')], 2));

		const result = await run({ operation: 'list', limit: 2, zuoraListFilters: WINDOW });

		expect(api.scope.isDone()).toBe(true);
		expect(ids(result)).toEqual(['in-1', 'in-2']);
	});

	it('reports Zuora\'s refusal of the query with its code', async () => {
		const api = zuora();
		api.scope
			.get('/v1/credit-memos')
			.query(true)
			.reply(200, { success: false, processId: 'P-2', reasons: [{ code: 53501027, message: 'Invalid value for query parameter accountId' }] });

		const result = await run({ operation: 'list', zuoraListFilters: { accountId: 'acc-1' } });

		expect(result.error()?.message).toBe('Zuora: Invalid value for query parameter accountId');
		expect(result.error()?.context).toMatchObject({ code: '53501027', httpStatus: 200 });
	});

	it.each([
		[{ createdAfter: '2026-11-23T00:00:00Z', createdBefore: '2026-11-22T00:00:00Z' }, 'Created After is later than Created Before'],
		[{ createdAfter: 'yesterday' }, 'Created After is not a valid date and time, got "yesterday"'],
		[{ status: 'Posted' }, 'Status must be one of draft, posted, canceled, error, pendingForTax, generating, cancelInProgress, got "Posted"'],
		[{ currency: 'dollars' }, 'Currency "dollars" is not valid: use a three-letter ISO 4217 code such as USD'],
		[{ accountId: 'x'.repeat(65) }, 'Account ID is longer than 64 characters (65)'],
	])('refuses the filters %j before sending anything', async (filters, message) => {
		const result = await run({ operation: 'list', zuoraListFilters: filters });

		expect(result.error()?.message).toBe(message);
	});
});

describe('Credit Memo node, Zuora: Cancel (engine + nock)', () => {
	const cancelUrl = `/v1/credit-memos/${MEMO}/cancel`;

	it('sends PUT /v1/credit-memos/{key}/cancel without a body and outputs the canceled memo', async () => {
		const api = zuora();
		api.scope.put(cancelUrl).reply(function (uri, body) {
			api.record('PUT').call(this, uri, body);
			return [200, { ...memo(MEMO, '2026-11-22 10:00:00', { status: 'Canceled', cancelledOn: '2026-11-22 11:00:00', comment: 'x [ref:RET-7 #0badf00d]' }), success: true }];
		});

		const result = await run({ operation: 'cancel' }, [{ creditMemoId: MEMO }]);

		expect(result.error()).toBeUndefined();
		expect(api.scope.isDone()).toBe(true);
		expect(api.received[0].headers).toMatchObject(EXPECTED_HEADERS);
		expect(api.received[0].body).toBe('');
		expect(api.received[0].headers['idempotency-key']).toBeUndefined();
		expect(result.output(NODE)[0]).toEqual({
			json: expect.objectContaining({ creditMemoId: MEMO, status: 'Canceled', refundReference: 'RET-7', replayed: false, createdAt: '2026-11-22T18:00:00.000Z' }),
			pairedItem: { item: 0 },
		});
	});

	it('treats Zuora\'s refusal of an already canceled memo as the canceled memo (replayed), after reading it', async () => {
		const api = zuora();
		api.scope
			.put(cancelUrl)
			.reply(200, { success: false, processId: 'P-3', reasons: [{ code: 53501030, message: `Only credit memos in Draft status can be canceled; CM-${MEMO} is Canceled.` }] })
			.get(`/v1/credit-memos/${MEMO}`)
			.reply(200, { ...memo(MEMO, '2026-11-22 10:00:00', { status: 'Canceled' }), success: true });

		const result = await run({ operation: 'cancel' }, [{ creditMemoId: MEMO }]);

		expect(result.error()).toBeUndefined();
		expect(api.scope.isDone()).toBe(true);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: MEMO, status: 'Canceled', replayed: true });
	});

	it('reports a posted memo with Zuora\'s code and message, its status, and how to undo it instead', async () => {
		const api = zuora();
		api.scope
			.put(cancelUrl)
			.reply(400, { success: false, processId: 'P-4', reasons: [{ code: '53501030', message: 'The credit memo cannot be cancelled because it is posted.' }] })
			.get(`/v1/credit-memos/${MEMO}`)
			.reply(200, { ...memo(MEMO, '2026-11-22 10:00:00', { status: 'Posted' }), success: true });

		const result = await run({ operation: 'cancel' }, [{ creditMemoId: MEMO }]);

		const error = result.error();
		expect(error?.message).toBe('Zuora: The credit memo cannot be cancelled because it is posted.');
		expect(error?.context).toMatchObject({ provider: 'zuora', code: '53501030', httpStatus: 400, retryable: false, outcome: 'failed' });
		expect(error?.description).toBe(
			`Credit memo CM-${MEMO} is Posted in Zuora. Zuora process ID P-4 (quote it to Zuora support). Zuora cancels only Draft credit memos. A posted memo is undone in Zuora by unapplying it and then reversing it (Reverse a credit memo); to be able to cancel memos, create them without Auto Post and post them after review.`,
		);
	});

	it('reads the memo when Zuora never answered the cancel: still Draft is a failure that is safe to run again', async () => {
		const api = zuora();
		api.scope
			.put(cancelUrl)
			.times(5)
			.reply(503, { reasons: [{ code: '50000061', message: 'The service is temporarily unavailable. Please retry.' }] }, { 'Retry-After': '0' })
			.get(`/v1/credit-memos/${MEMO}`)
			.reply(200, { ...memo(MEMO, '2026-11-22 10:00:00'), success: true });

		const result = await run({ operation: 'cancel' }, [{ creditMemoId: MEMO }]);

		expect(api.scope.isDone()).toBe(true);
		expect(result.error()?.description).toMatch(new RegExp(`^Credit memo CM-${MEMO} is still Draft: it was not canceled. Running the node again is safe.`));
		expect(result.error()?.context).toMatchObject({ httpStatus: 503, retryable: true, outcome: 'failed' });
	});

	it('reads the memo when Zuora never answered the cancel: canceled is the result (it was this cancel)', async () => {
		const api = zuora();
		api.scope
			.put(cancelUrl)
			.times(5)
			.reply(503, {}, { 'Retry-After': '0' })
			.get(`/v1/credit-memos/${MEMO}`)
			.reply(200, { ...memo(MEMO, '2026-11-22 10:00:00', { status: 'Canceled' }), success: true });

		const result = await run({ operation: 'cancel' }, [{ creditMemoId: MEMO }]);

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ status: 'Canceled', replayed: false });
	});

	it('does not read the memo after a refusal that cannot mean "not Draft" (permission), and continues with the next item under Continue On Fail', async () => {
		const api = zuora();
		api.scope
			.put(cancelUrl)
			.reply(403, { success: false, reasons: [{ code: 50000010, message: 'You do not have permission to cancel credit memos.' }] })
			.put('/v1/credit-memos/CM-2/cancel')
			.reply(200, { ...memo('cm-2', '2026-11-22 10:00:00', { status: 'Canceled', number: 'CM-2' }), success: true });

		const result = await runWorkflow(withNodeSettings(withNodeParameters(workflow, NODE, { operation: 'cancel' }), NODE, { onError: 'continueRegularOutput' }), {
			input: [{ creditMemoId: MEMO }, { creditMemoId: 'CM-2' }],
			credentials: credentials(),
		});

		expect(api.scope.isDone()).toBe(true);
		const items = result.output(NODE);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json).toMatchObject({ error: 'Zuora: You do not have permission to cancel credit memos.', details: { code: '50000010', httpStatus: 403 } });
		expect(items[1].json).toMatchObject({ creditMemoId: 'cm-2', status: 'Canceled' });
	});

	it('Dry Run outputs the exact request and sends nothing, not even a token request', async () => {
		const result = await run({ operation: 'cancel', options: { dryRun: true } }, [{ creditMemoId: MEMO }]);

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toEqual({
			provider: 'zuora',
			dryRun: true,
			request: {
				method: 'PUT',
				url: `${ZUORA}${cancelUrl}`,
				headers: { 'Zuora-Version': '2025-08-12', 'Zuora-Entity-Ids': 'entity-1', Authorization: '[redacted: added by the credential]' },
				body: null,
			},
			totalAmount: null,
			currency: null,
		});
	});
});
