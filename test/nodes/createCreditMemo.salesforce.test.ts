import nock from 'nock';

import workflowJson from '../workflows/create-salesforce.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { salesforceConnectedCredentials } from '../harness/salesforce';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const INSTANCE = 'https://acme.my.salesforce.com';
const API = '/services/data/v66.0';
const ORDER_SUMMARY = '1OsR0000000EAAkKAO';
const CHANGE_ORDER = '801R0000000EAAkIAO';
const CHANGE_ORDER_2 = '801R0000000EAAlIAO';
const MEMO = '50gR000000000JNIAY';
const CREATE_PATH = `${API}/commerce/order-management/order-summaries/${ORDER_SUMMARY}/actions/create-credit-memo`;
const MEMO_PATH = `${API}/sobjects/CreditMemo/${MEMO}`;
const NODE = 'Create Credit Memo';
const workflow = workflowJson as unknown as WorkflowJson;

function memoRecord(fields: Record<string, unknown> = {}) {
	return {
		attributes: { type: 'CreditMemo', url: MEMO_PATH },
		Id: MEMO,
		DocumentNumber: 'CM-000042',
		CreditMemoNumber: null,
		Status: 'Posted',
		TotalAmountWithTax: 53.97,
		CreatedDate: '2026-11-23T10:00:00.000+0000',
		Description: null,
		...fields,
	};
}

function soql(query: string) {
	return { q: query };
}

/** The lookup a refused create triggers: the change orders' items, the lines crediting them, all lines of those memos. */
function lookup(lines: Array<{ memo: string; item: string }>, otherLines: Array<{ memo: string; item: string }> = []) {
	const scope = nock(INSTANCE)
		.get(`${API}/query`)
		.query(soql(`SELECT Id, OrderId FROM OrderItem WHERE OrderId IN ('${CHANGE_ORDER}')`))
		.reply(200, { totalSize: 2, done: true, records: [{ Id: '802R00000001AAAIA2', OrderId: CHANGE_ORDER }, { Id: '802R00000001AABIA2', OrderId: CHANGE_ORDER }] })
		.get(`${API}/query`)
		.query(soql("SELECT CreditMemoId, ReferenceEntityItemId FROM CreditMemoLine WHERE ReferenceEntityItemId IN ('802R00000001AAAIA2', '802R00000001AABIA2')"))
		.reply(200, { totalSize: lines.length, done: true, records: lines.map((line) => ({ CreditMemoId: line.memo, ReferenceEntityItemId: line.item })) });
	if (lines.length) {
		const memos = [...new Set(lines.map((line) => line.memo))];
		scope
			.get(`${API}/query`)
			.query(soql(`SELECT CreditMemoId, ReferenceEntityItemId FROM CreditMemoLine WHERE CreditMemoId IN (${memos.map((memo) => `'${memo}'`).join(', ')})`))
			.reply(200, { done: true, records: [...lines, ...otherLines].map((line) => ({ CreditMemoId: line.memo, ReferenceEntityItemId: line.item })) });
	}
	return scope;
}

/** How Salesforce refuses a change order that a credit memo already credits (Error with Output). */
const alreadyCreditedBody = {
	message: 'The change order has already been used to create a credit memo.',
	enhancedErrorType: null,
	output: { creditMemoId: null, success: false, errors: [{ errorCode: 'INVALID_INPUT', message: 'The change order has already been used to create a credit memo.' }] },
};

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Create Credit Memo, Salesforce Order Management (engine + nock)', () => {
	it('creates each memo from its change orders with a client credentials token fetched once, writes the Refund Reference and reads the memo back', async () => {
		const sent: Array<{ method: string; path: string; body: unknown; authorization: unknown }> = [];
		const record = (method: string) =>
			function (this: nock.ReplyFnContext, uri: string, body: unknown) {
				sent.push({ method, path: decodeURIComponent(uri), body: body === '' ? undefined : body, authorization: this.req.headers.authorization });
			};
		const token = nock(INSTANCE)
			.post('/services/oauth2/token', { grant_type: 'client_credentials', client_id: 'cid', client_secret: 'csecret' })
			.once()
			.reply(200, { access_token: 'tok-cc', instance_url: INSTANCE, token_type: 'Bearer', issued_at: '1763892000000' });
		const api = nock(INSTANCE)
			.post(CREATE_PATH)
			.times(2)
			.reply(function (uri, body) {
				record('POST').call(this, uri, body);
				return [201, { creditMemoId: sent.length === 1 ? MEMO : '50gR000000000JOIAY', success: true, errors: [] }];
			})
			.get(MEMO_PATH)
			.reply(function (uri, body) {
				record('GET').call(this, uri, body);
				return [200, memoRecord()];
			})
			.patch(MEMO_PATH)
			.reply(function (uri, body) {
				record('PATCH').call(this, uri, body);
				return [204];
			})
			.get(`${API}/sobjects/CreditMemo/50gR000000000JOIAY`)
			.reply(function (uri, body) {
				record('GET').call(this, uri, body);
				return [200, memoRecord({ Id: '50gR000000000JOIAY', DocumentNumber: 'CM-000043', TotalAmountWithTax: 10 })];
			});
		const credentials = new Map(Object.entries({ salesforceOmOAuth2Api: { grantType: 'clientCredentials', myDomainUrl: INSTANCE, clientId: 'cid', clientSecret: 'csecret' } }));

		const result = await runWorkflow(workflow, {
			input: [
				{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: [CHANGE_ORDER], returnId: 'RET-1' },
				// A 15-character ID, several change orders in one text, no reference.
				{ orderSummaryId: '1OsR0000000EAAk', changeOrderIds: `801R0000000EAAl, ${CHANGE_ORDER}`, returnId: '' },
			],
			credentials,
		});

		expect(result.error()).toBeUndefined();
		expect(token.isDone()).toBe(true);
		expect(api.isDone()).toBe(true);
		expect(sent).toEqual([
			{ method: 'POST', path: CREATE_PATH, body: { changeOrderIds: [CHANGE_ORDER] }, authorization: 'Bearer tok-cc' },
			{ method: 'GET', path: MEMO_PATH, body: undefined, authorization: 'Bearer tok-cc' },
			{ method: 'PATCH', path: MEMO_PATH, body: { Description: 'Refund Reference: RET-1' }, authorization: 'Bearer tok-cc' },
			{ method: 'POST', path: CREATE_PATH, body: { changeOrderIds: [CHANGE_ORDER_2, CHANGE_ORDER] }, authorization: 'Bearer tok-cc' },
			{ method: 'GET', path: `${API}/sobjects/CreditMemo/50gR000000000JOIAY`, body: undefined, authorization: 'Bearer tok-cc' },
		]);
		const output = result.output(NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toEqual({
			provider: 'salesforce',
			creditMemoId: MEMO,
			number: 'CM-000042',
			status: 'Posted',
			totalAmount: 53.97,
			currency: null,
			createdAt: '2026-11-23T10:00:00.000+0000',
			refundReference: 'RET-1',
			replayed: false,
			raw: memoRecord({ Description: 'Refund Reference: RET-1' }),
		});
		expect(output[1].json).toMatchObject({ creditMemoId: '50gR000000000JOIAY', refundReference: `${CHANGE_ORDER},${CHANGE_ORDER_2}`, replayed: false });
		expect(credentials.get('salesforceOmOAuth2Api')).toMatchObject({ oauthTokenData: { access_token: 'tok-cc' } });
		expect(JSON.stringify(output)).not.toContain('tok-cc');
	});

	it('returns the memo that already credits these change orders when the create is refused, and writes nothing', async () => {
		const create = nock(INSTANCE).post(CREATE_PATH, { changeOrderIds: [CHANGE_ORDER] }).reply(400, alreadyCreditedBody);
		const found = lookup([{ memo: MEMO, item: '802R00000001AAAIA2' }], [{ memo: MEMO, item: '802R00000001AABIA2' }]);
		const read = nock(INSTANCE).get(MEMO_PATH).reply(200, memoRecord({ Description: 'Refund Reference: RET-1\nCustomer called' }));

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { ensureRefunds: true } }), {
			input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }],
			credentials: salesforceConnectedCredentials(INSTANCE),
		});

		expect(result.error()).toBeUndefined();
		expect(create.isDone() && found.isDone() && read.isDone()).toBe(true);
		expect(result.output(NODE)[0].json).toMatchObject({
			creditMemoId: MEMO,
			replayed: true,
			refundReference: 'RET-1',
			totalAmount: 53.97,
			ensureRefunds: { started: false },
		});
	});

	// A 500 may come after Salesforce committed the memo. (Lost connections are covered against the sandbox, whose
	// dropAfterCommit fault really destroys the socket: nock's replyWithError is unreliable through the engine.)
	it('after a 500 sends the create again (Salesforce credits a change order once) and returns the memo the first one made', async () => {
		const api = nock(INSTANCE)
			.post(CREATE_PATH)
			.reply(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234-5678 (-1)' }])
			.post(CREATE_PATH)
			.reply(400, alreadyCreditedBody)
			.get(MEMO_PATH)
			.reply(200, memoRecord())
			.patch(MEMO_PATH, { Description: 'Refund Reference: RET-1' })
			.reply(204);
		const found = lookup([{ memo: MEMO, item: '802R00000001AAAIA2' }]);

		const result = await runWorkflow(workflow, { input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }], credentials: salesforceConnectedCredentials(INSTANCE) });

		expect(result.error()).toBeUndefined();
		expect(api.isDone() && found.isDone()).toBe(true);
		// The interrupted run never wrote its reference: the replay completes it.
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: MEMO, replayed: true, raw: { Description: 'Refund Reference: RET-1' } });
	});

	it('refuses change orders already credited under another Refund Reference', async () => {
		nock(INSTANCE).post(CREATE_PATH).reply(400, alreadyCreditedBody).get(MEMO_PATH).reply(200, memoRecord({ Description: 'Refund Reference: RET-9' }));
		lookup([{ memo: MEMO, item: '802R00000001AAAIA2' }]);

		const result = await runWorkflow(workflow, { input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }], credentials: salesforceConnectedCredentials(INSTANCE) });

		expect(result.error()?.message).toBe(`These change orders were already credited under Refund Reference "RET-9" (credit memo ${MEMO}), not "RET-1"`);
		expect(result.error()?.context).toMatchObject({ code: 'REFERENCE_REUSED', itemIndex: 0 });
	});

	it('refuses change orders already credited together with others, naming the memo', async () => {
		nock(INSTANCE).post(CREATE_PATH).reply(400, alreadyCreditedBody);
		lookup([{ memo: MEMO, item: '802R00000001AAAIA2' }], [{ memo: MEMO, item: '802R00000009ZZZIA2' }]);

		const result = await runWorkflow(workflow, { input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }], credentials: salesforceConnectedCredentials(INSTANCE) });

		expect(result.error()?.message).toBe(
			`These change orders were already credited, in a different combination: credit memo ${MEMO} (${CHANGE_ORDER}, other change orders). Nothing was created.`,
		);
		expect(result.error()?.context).toMatchObject({ code: 'ALREADY_CREDITED', httpStatus: 400 });
	});

	it('treats a 2xx with success: false as a failure with Salesforce\'s code and message', async () => {
		nock(INSTANCE)
			.post(CREATE_PATH)
			.reply(201, { creditMemoId: null, success: false, errors: [{ errorCode: 'INVALID_STATUS', message: 'The change order must be in Activated status.' }] });
		const checked = lookup([]);

		const result = await runWorkflow(workflow, { input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }], credentials: salesforceConnectedCredentials(INSTANCE) });

		expect(checked.isDone()).toBe(true);
		expect(result.error()?.message).toBe('Salesforce: The change order must be in Activated status.');
		expect(result.error()?.context).toMatchObject({ provider: 'salesforce', code: 'INVALID_STATUS', httpStatus: 201, itemIndex: 0 });
	});

	it('reads the Error with Output form of a refusal, after checking that nothing was credited', async () => {
		nock(INSTANCE)
			.post(CREATE_PATH)
			.reply(400, {
				enhancedErrorType: null,
				message: `The change order ID ${CHANGE_ORDER} isn't valid.`,
				output: { creditMemoId: null, success: false, errors: [{ errorCode: 'INVALID_ID_FIELD', message: `The change order ID ${CHANGE_ORDER} isn't valid.` }] },
			});
		const checked = lookup([]);

		const result = await runWorkflow(workflow, { input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }], credentials: salesforceConnectedCredentials(INSTANCE) });

		expect(checked.isDone()).toBe(true);
		expect(result.error()?.message).toBe(`Salesforce: The change order ID ${CHANGE_ORDER} isn't valid.`);
		expect(result.error()?.context).toMatchObject({ code: 'INVALID_ID_FIELD', httpStatus: 400, outcome: 'failed' });
		expect(result.error()?.httpCode).toBe('400');
	});

	it('reads the error array form (a 404 for an unknown order summary) without a lookup', async () => {
		nock(INSTANCE).post(CREATE_PATH).reply(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);

		const result = await runWorkflow(workflow, { input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }], credentials: salesforceConnectedCredentials(INSTANCE) });

		const error = result.error();
		expect(error?.message).toBe('Salesforce: The requested resource does not exist');
		expect(error?.context).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
		expect(error?.httpCode).toBe('404');
		expect(error?.description).toContain('Check the IDs');
	});

	it('says plainly that the client secret was refused: nothing was sent, nothing is retried or looked up', async () => {
		const token = nock(INSTANCE).post('/services/oauth2/token').reply(400, { error: 'invalid_client', error_description: 'invalid client credentials' });

		const result = await runWorkflow(workflow, {
			input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }],
			credentials: { salesforceOmOAuth2Api: { grantType: 'clientCredentials', myDomainUrl: INSTANCE, clientId: 'cid', clientSecret: 'wrong' } },
		});

		expect(token.isDone()).toBe(true);
		expect(result.error()?.message).toContain('Failed to acquire OAuth2 access token');
		expect(result.error()?.message).toContain('(invalid client credentials)');
		expect(result.error()?.context).toMatchObject({ code: 'invalid_client', outcome: 'failed', retryable: false });
		expect(result.error()?.description).toContain('The request was not sent');
	});

	it('asks to reconnect the credential when Salesforce refuses the refresh token', async () => {
		nock(INSTANCE).post(CREATE_PATH).reply(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
		const refresh = nock('https://login.salesforce.com').post('/services/oauth2/token').reply(400, { error: 'invalid_grant', error_description: 'expired access/refresh token' });

		const result = await runWorkflow(workflow, { input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }], credentials: salesforceConnectedCredentials(INSTANCE) });

		expect(refresh.isDone()).toBe(true);
		expect(result.error()?.message).toBe('The credential "Salesforce OM account" needs to be reconnected.');
		expect(result.error()?.context).toMatchObject({ outcome: 'failed' });
	});

	it('waits and retries on REQUEST_LIMIT_EXCEEDED (HTTP 403), then creates', async () => {
		const api = nock(INSTANCE)
			.post(CREATE_PATH)
			.reply(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }])
			.post(CREATE_PATH)
			.reply(201, { creditMemoId: MEMO, success: true, errors: [] })
			.get(MEMO_PATH)
			.reply(200, memoRecord({ Description: 'Refund Reference: RET-1' }));

		const result = await runWorkflow(workflow, { input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }], credentials: salesforceConnectedCredentials(INSTANCE) });

		expect(result.error()).toBeUndefined();
		expect(api.isDone()).toBe(true);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: MEMO, replayed: false });
	});

	it('with Ensure Refunds starts the refund of the new memo and says which operation it started', async () => {
		const api = nock(INSTANCE)
			.post(CREATE_PATH)
			.reply(201, { creditMemoId: MEMO, success: true, errors: [] })
			.get(MEMO_PATH)
			.reply(200, memoRecord())
			.patch(MEMO_PATH)
			.reply(204)
			.post(`${API}/commerce/order-management/order-summaries/${ORDER_SUMMARY}/async-actions/ensure-refunds-async`, { creditMemoId: MEMO })
			.matchHeader('authorization', 'Bearer tok-secret-1')
			.reply(201, { backgroundOperationId: '0DNR00000000001OAA', success: true, errors: [] });

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { ensureRefunds: true } }), {
			input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }],
			credentials: salesforceConnectedCredentials(INSTANCE),
		});

		expect(api.isDone()).toBe(true);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: MEMO, ensureRefunds: { started: true, backgroundOperationId: '0DNR00000000001OAA' } });
	});

	it('names the memo when it was created but its refund could not be started', async () => {
		nock(INSTANCE)
			.post(CREATE_PATH)
			.reply(201, { creditMemoId: MEMO, success: true, errors: [] })
			.get(MEMO_PATH)
			.reply(200, memoRecord({ Description: 'Refund Reference: RET-1' }))
			.post(`${API}/commerce/order-management/order-summaries/${ORDER_SUMMARY}/async-actions/ensure-refunds-async`)
			.reply(400, { message: 'No payment to refund', enhancedErrorType: null, output: { success: false, errors: [{ errorCode: 'NO_REFUNDABLE_PAYMENT', message: 'There is no captured payment to refund.' }] } });

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { ensureRefunds: true } }), {
			input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }],
			credentials: salesforceConnectedCredentials(INSTANCE),
		});

		expect(result.error()?.message).toBe(`Credit memo ${MEMO} was created, but starting its refund (Ensure Refunds) failed. Salesforce: There is no captured payment to refund.`);
		expect(result.error()?.context).toMatchObject({ code: 'NO_REFUNDABLE_PAYMENT', httpStatus: 400, outcome: 'unknown' });
		expect(result.error()?.description).toContain('does not start refunds again');
	});

	it('under Continue On Fail emits an error item for the failing item and still creates the next', async () => {
		nock(INSTANCE)
			.post(`${API}/commerce/order-management/order-summaries/1OsR0000000EAAmKAO/actions/create-credit-memo`)
			.reply(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }])
			.post(CREATE_PATH)
			.reply(201, { creditMemoId: MEMO, success: true, errors: [] })
			.get(MEMO_PATH)
			.reply(200, memoRecord({ Description: 'Refund Reference: RET-2' }));

		const result = await runWorkflow(withNodeSettings(workflow, NODE, { onError: 'continueRegularOutput' }), {
			input: [
				{ orderSummaryId: '1OsR0000000EAAmKAO', changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' },
				{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-2' },
			],
			credentials: salesforceConnectedCredentials(INSTANCE),
		});

		const output = result.output(NODE);
		expect(output).toHaveLength(2);
		expect(output[0]).toMatchObject({
			json: { error: 'Salesforce: The requested resource does not exist', details: { code: 'NOT_FOUND', httpStatus: 404, provider: 'salesforce', itemIndex: 0 } },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toMatchObject({ json: { creditMemoId: MEMO, refundReference: 'RET-2' }, pairedItem: { item: 1 } });
	});

	it('Dry Run outputs the exact create request with the token redacted and sends nothing', async () => {
		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { dryRun: true } }), {
			input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: [CHANGE_ORDER, '801R0000000EAAl'], returnId: 'RET-1' }],
			credentials: salesforceConnectedCredentials(INSTANCE),
		});

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)).toEqual([
			{
				json: {
					provider: 'salesforce',
					dryRun: true,
					request: {
						method: 'POST',
						url: `${INSTANCE}${CREATE_PATH}`,
						headers: { 'Content-Type': 'application/json', Authorization: '[redacted: added by the credential]' },
						body: { changeOrderIds: [CHANGE_ORDER, CHANGE_ORDER_2] },
					},
					totalAmount: null,
					currency: null,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it.each([
		[{ changeOrderIds: ORDER_SUMMARY }, 'Change Order IDs 1OsR0000000EAAkKAO is the ID of an Order Summary, not of an Order (change orders are Orders) (prefix 801)'],
		[{ changeOrderIds: [CHANGE_ORDER, '801R0000000EAAk'] }, 'Change Order IDs lists change order 801R0000000EAAkIAO twice'],
		[{ orderSummaryId: 'not-an-id' }, 'Order Summary ID "not-an-id" is not a Salesforce ID'],
		[{ changeOrderIds: '' }, 'Change Order IDs is required'],
	])('rejects invalid IDs before sending anything (%j)', async (override, message) => {
		const result = await runWorkflow(workflow, {
			input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1', ...override }],
			credentials: salesforceConnectedCredentials(INSTANCE),
		});

		expect(result.error()?.message).toBe(message);
		expect(result.error()?.context).toMatchObject({ itemIndex: 0 });
	});

	it('refuses a Max Total Amount it cannot check: Salesforce computes the total', async () => {
		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { maxTotalAmount: 100 } }), {
			input: [{ orderSummaryId: ORDER_SUMMARY, changeOrderIds: CHANGE_ORDER, returnId: 'RET-1' }],
			credentials: salesforceConnectedCredentials(INSTANCE),
		});

		expect(result.error()?.message).toBe('The total of this credit memo is only known to the provider, so the safety limit cannot be checked');
	});
});
