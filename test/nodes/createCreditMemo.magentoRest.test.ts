import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import creditMemoWorkflowJson from '../workflows/credit-memo-rebilly.workflow.json';
import workflowJson from '../workflows/create-magentoRest.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const SHOP = 'https://shop.example.test';
const NODE = 'Create Credit Memo';
const clientCredentials = { baseUrl: `${SHOP}/`, authentication: 'clientCredentials', clientId: 'integration-7', clientSecret: 's3cret-client' };
const fixedToken = { baseUrl: SHOP, authentication: 'fixedToken', accessToken: 'static-token-1' };
const workflow = workflowJson as unknown as WorkflowJson;

interface Received {
	method: string;
	path: string;
	authorization: unknown;
	body: unknown;
}

/** Records every request nock answers, with the Authorization header the credential applied. */
function recorder() {
	const received: Received[] = [];
	const record = (method: string) =>
		function (this: nock.ReplyFnContext, uri: string, body: nock.Body) {
			received.push({ method, path: uri, authorization: this.req.headers.authorization, body });
		};
	return { received, record };
}

/** One create answered 201 with this body; returns what was received. */
function acceptOneCreate(answer: object): Received[] {
	const { received, record } = recorder();
	nock(SHOP)
		.post('/api2/creditmemo')
		.reply(function (uri, body) {
			record('POST').call(this, uri, body);
			return [201, answer];
		});
	return received;
}

function tokenReply(token: string) {
	return { access_token: token, token_type: 'Bearer', expires_in: 3600 };
}

function memo(id: number, extra: IDataObject = {}) {
	return {
		creditmemo: {
			entity_id: id,
			increment_id: `1000000${id}`,
			state: 2,
			grand_total: '59.9000',
			order_currency_code: 'BRL',
			created_at: '2026-11-23 10:00:00',
			...extra,
		},
	};
}

/** The vendor's three documented examples (creditmemos.html), as node parameters and the exact body expected. */
const SEED = {
	refundByInvoice: {
		parameters: {
			magentoRestSourceType: 'invoiceId',
			invoiceId: '={{ $json.invoice }}',
			magentoRestRefundScope: 'everythingLeft',
			magentoRestAdditionalFields: { sendEmail: true, comment: 'Refund created by integration.' },
		},
		input: { invoice: 456 },
		body: { invoice_id: 456, refund_type: 'offline', send_email: true, comment: 'Refund created by integration.' },
	},
	partialByOrder: {
		parameters: {
			magentoRestSourceType: 'orderIncrementId',
			orderIncrementId: '={{ $json.order }}',
			itemsInputMode: 'fields',
			magentoRestItems: { item: [{ orderItemId: '={{ $json.line }}', qty: 1 }] },
			magentoRestAdditionalFields: { shippingAmount: 0, adjustmentPositive: 0, adjustmentNegative: 0 },
		},
		input: { order: '100000123', line: 10 },
		body: {
			order_increment_id: '100000123',
			refund_type: 'offline',
			shipping_amount: 0,
			adjustment_positive: 0,
			adjustment_negative: 0,
			items: [{ order_item_id: 10, qty: 1 }],
		},
	},
	onlineWithAdjustment: {
		parameters: {
			refundType: 'online',
			magentoRestAdditionalFields: { shippingAmount: 19.9, adjustmentNegative: 5, sendEmail: true, comment: '={{ $json.note }}' },
		},
		input: { invoice: '100000045', items: [{ sku: 'PRODUCT-001', qty: 1 }], note: 'Partial refund after return.' },
		body: {
			invoice_increment_id: '100000045',
			refund_type: 'online',
			shipping_amount: 19.9,
			adjustment_negative: 5,
			items: [{ sku: 'PRODUCT-001', qty: 1 }],
			send_email: true,
			comment: 'Partial refund after return.',
		},
	},
};

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Create Credit Memo, Magento REST (engine + nock): the vendor\'s examples', () => {
	it('refund by invoice: fetches one client-credentials token for the run and sends the exact body for each item', async () => {
		const { received, record } = recorder();
		const scope = nock(SHOP)
			.post('/api2/oauth/token')
			.reply(function (uri, body) {
				record('POST').call(this, uri, body);
				return [200, tokenReply('token-A')];
			})
			.post('/api2/creditmemo')
			.times(2)
			.reply(function (uri, body) {
				record('POST').call(this, uri, body);
				return [201, memo((body as { invoice_id: number }).invoice_id)];
			});
		const credentials = new Map([['magentoRestApi', clientCredentials as IDataObject]]);

		const result = await runWorkflow(withNodeParameters(workflow, NODE, SEED.refundByInvoice.parameters), {
			input: [SEED.refundByInvoice.input, { invoice: 457 }],
			credentials: credentials as never,
		});

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(received).toEqual([
			{
				method: 'POST',
				path: '/api2/oauth/token',
				authorization: undefined,
				body: 'grant_type=client_credentials&client_id=integration-7&client_secret=s3cret-client',
			},
			{ method: 'POST', path: '/api2/creditmemo', authorization: 'Bearer token-A', body: SEED.refundByInvoice.body },
			{ method: 'POST', path: '/api2/creditmemo', authorization: 'Bearer token-A', body: { ...SEED.refundByInvoice.body, invoice_id: 457 } },
		]);
		// n8n keeps the token with the credential, so later executions skip the token request.
		expect(credentials.get('magentoRestApi')?.oauthToken).toBe('token-A');
		const output = result.output(NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toEqual({
			provider: 'magentoRest',
			creditMemoId: '456',
			number: '1000000456',
			status: 'refunded',
			totalAmount: 59.9,
			currency: 'BRL',
			createdAt: '2026-11-23 10:00:00',
			refundReference: null,
			replayed: false,
			refundType: 'offline',
			raw: memo(456),
		});
		expect(JSON.stringify(output)).not.toMatch(/token-A|s3cret-client/);
	});

	it('partial refund by order with the order item ID, using a fixed bearer token', async () => {
		const received = acceptOneCreate(memo(12));

		const result = await runWorkflow(withNodeParameters(workflow, NODE, SEED.partialByOrder.parameters), {
			input: [SEED.partialByOrder.input],
			credentials: { magentoRestApi: fixedToken },
		});

		expect(result.error()).toBeUndefined();
		// No token request: nock refuses any request it was not told about.
		expect(received).toEqual([{ method: 'POST', path: '/api2/creditmemo', authorization: 'Bearer static-token-1', body: SEED.partialByOrder.body }]);
	});

	it('online refund with items and adjustment: the refund type is explicit in the body and the output', async () => {
		const received = acceptOneCreate(memo(13));

		const result = await runWorkflow(withNodeParameters(workflow, NODE, SEED.onlineWithAdjustment.parameters), {
			input: [SEED.onlineWithAdjustment.input],
			credentials: { magentoRestApi: fixedToken },
		});

		expect(received.map((request) => request.body)).toEqual([SEED.onlineWithAdjustment.body]);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: '13', refundType: 'online' });
	});

	it('writes the Refund Reference into the memo comment and the output', async () => {
		const received = acceptOneCreate({});

		const result = await runWorkflow(workflow, {
			input: [{ invoice: '100000045', items: [{ order_item_id: 10, qty: 2 }], note: 'Damaged on arrival', returnId: 'RET-1001' }],
			credentials: { magentoRestApi: fixedToken },
		});

		expect(received[0].body).toEqual({
			invoice_increment_id: '100000045',
			refund_type: 'offline',
			items: [{ order_item_id: 10, qty: 2 }],
			comment: 'Damaged on arrival [ref:RET-1001]',
		});
		// The create response is undocumented: an empty body gives nulls, never invented values.
		expect(result.output(NODE)[0].json).toEqual({
			provider: 'magentoRest',
			creditMemoId: null,
			number: null,
			status: null,
			totalAmount: null,
			currency: null,
			createdAt: null,
			refundReference: 'RET-1001',
			replayed: false,
			refundType: 'offline',
			raw: {},
		});
	});
});

describe('Create Credit Memo, Magento REST: tokens and errors', () => {
	const invoiceInput = { invoice: '100000045', items: [{ order_item_id: 10, qty: 1 }], returnId: 'RET-7' };

	it('on a 401 n8n fetches a new token and repeats the request once; one memo is created', async () => {
		const { received, record } = recorder();
		nock(SHOP)
			.post('/api2/creditmemo')
			.matchHeader('authorization', 'Bearer expired-token')
			.reply(function (uri, body) {
				record('POST').call(this, uri, body);
				return [401, { error: 'Unauthorized' }];
			})
			.post('/api2/oauth/token')
			.reply(200, tokenReply('token-B'))
			.post('/api2/creditmemo')
			.matchHeader('authorization', 'Bearer token-B')
			.reply(function (uri, body) {
				record('POST').call(this, uri, body);
				return [201, memo(21)];
			});
		const credentials = new Map([['magentoRestApi', { ...clientCredentials, oauthToken: 'expired-token' } as IDataObject]]);

		const result = await runWorkflow(workflow, { input: [invoiceInput], credentials: credentials as never });

		expect(result.error()).toBeUndefined();
		expect(received.map((request) => request.authorization)).toEqual(['Bearer expired-token', 'Bearer token-B']);
		expect(result.credentials.preAuthentications).toEqual([{ type: 'magentoRestApi', expired: true }]);
		expect(credentials.get('magentoRestApi')?.oauthToken).toBe('token-B');
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: '21' });
	});

	it('a refused token request fails the item as "nothing sent", naming the token endpoint', async () => {
		const scope = nock(SHOP).post('/api2/oauth/token').reply(401, { error: 'invalid_client', error_description: 'Client authentication failed' });

		const result = await runWorkflow(workflow, { input: [invoiceInput], credentials: { magentoRestApi: clientCredentials } });

		expect(scope.isDone()).toBe(true);
		expect(result.error()?.message).toBe('Magento REST: the token request was refused (HTTP 401: invalid_client: Client authentication failed)');
		expect(result.error()?.context).toMatchObject({ provider: 'magentoRest', httpStatus: 401, outcome: 'failed', itemIndex: 0 });
		expect(result.error()?.description).toContain('client ID and secret');
	});

	it.each([
		[400, 'Invalid item', 'failed', 'order item ID or a SKU'],
		[400, 'Cannot create credit memo', 'failed', 'accepts no further refunds'],
		[400, 'Online refund not supported', 'failed', 'Refund Type Offline'],
		[404, 'Invoice not found', 'failed', 'Entity IDs (e.g. 456) and increment IDs'],
		[404, 'Order not found', 'failed', 'Entity IDs (e.g. 456) and increment IDs'],
		[409, 'Conflict on save', 'unknown', 'contains [ref:RET-7]'],
		[500, 'Payment gateway error', 'unknown', 'contains [ref:RET-7]'],
	])('HTTP %i {"error": "%s"} is a node error with the provider\'s message, sent once (outcome %s)', async (status, text, outcome, hint) => {
		const scope = nock(SHOP).post('/api2/creditmemo').once().reply(status, { error: text });

		const result = await runWorkflow(workflow, { input: [invoiceInput], credentials: { magentoRestApi: fixedToken } });

		expect(scope.isDone()).toBe(true);
		const error = result.error();
		expect(error?.message).toBe(`Magento REST: ${text}`);
		expect(error?.httpCode).toBe(String(status));
		expect(error?.context).toMatchObject({ provider: 'magentoRest', code: text, httpStatus: status, retryable: false, outcome, itemIndex: 0 });
		expect(error?.description).toContain(hint);
		if (outcome === 'unknown') expect(error?.description).toContain('open invoice 100000045 in the Magento admin');
	});

	it('401 after the credential\'s own retry is an authentication error', async () => {
		nock(SHOP).post('/api2/creditmemo').twice().reply(401, { error: 'Unauthorized' });

		const result = await runWorkflow(workflow, { input: [invoiceInput], credentials: { magentoRestApi: fixedToken } });

		expect(result.error()?.message).toBe('Magento REST: Unauthorized');
		expect(result.error()?.description).toContain('Check the Magento REST credential');
	});

	it('503 (lock wait) is retried and the memo is created once', async () => {
		const scope = nock(SHOP).post('/api2/creditmemo').reply(503, { error: 'Lock wait timeout' }).post('/api2/creditmemo').reply(201, memo(31));

		const result = await runWorkflow(workflow, { input: [invoiceInput], credentials: { magentoRestApi: fixedToken } });

		expect(scope.isDone()).toBe(true);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: '31' });
	});

	it('a 503 whose JSON error is not a lock wait (e.g. from a proxy) is not sent again', async () => {
		const scope = nock(SHOP).post('/api2/creditmemo').reply(503, { error: 'Service Unavailable' });

		const result = await runWorkflow(withNodeSettings(workflow, NODE, { onError: 'continueRegularOutput' }), { input: [invoiceInput], credentials: { magentoRestApi: fixedToken } });

		expect(scope.isDone()).toBe(true);
		expect(result.output(NODE)[0].json.details).toMatchObject({ httpStatus: 503, outcome: 'unknown', retryable: false });
	});

	it("a proxy's 503 (no Magento error body) is not sent again: Magento may still be saving the memo", async () => {
		const scope = nock(SHOP).post('/api2/creditmemo').reply(503, '<html><body>Backend fetch failed</body></html>', { 'content-type': 'text/html' });

		const result = await runWorkflow(withNodeSettings(workflow, NODE, { onError: 'continueRegularOutput' }), { input: [invoiceInput], credentials: { magentoRestApi: fixedToken } });

		expect(scope.isDone()).toBe(true);
		expect(result.output(NODE)[0].json.details).toMatchObject({ httpStatus: 503, outcome: 'unknown', retryable: false });
	});

	// A connection reset after sending is tested against the sandbox (a real socket dropped after the commit,
	// test/nodes/magentoRest.sandbox.test.ts): nock 14's replyWithError intermittently hangs the request.

	it('under Continue On Fail emits an error item for the failing item and still processes the next', async () => {
		nock(SHOP)
			.post('/api2/creditmemo', (body) => body.invoice_increment_id === '100000045')
			.reply(400, { error: 'Invalid item' })
			.post('/api2/creditmemo', (body) => body.invoice_increment_id === '100000046')
			.reply(201, memo(41));

		const result = await runWorkflow(withNodeSettings(workflow, NODE, { onError: 'continueRegularOutput' }), {
			input: [invoiceInput, { ...invoiceInput, invoice: '100000046', returnId: 'RET-8' }],
			credentials: { magentoRestApi: fixedToken },
		});

		expect(result.error()).toBeUndefined();
		const output = result.output(NODE);
		expect(output).toHaveLength(2);
		expect(output[0]).toMatchObject({
			json: { error: 'Magento REST: Invalid item', details: { provider: 'magentoRest', httpStatus: 400, outcome: 'failed', itemIndex: 0 } },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toMatchObject({ json: { creditMemoId: '41', refundReference: 'RET-8' }, pairedItem: { item: 1 } });
	});
});

describe('Create Credit Memo, Magento REST: safety', () => {
	const input = { invoice: '100000045', items: [{ sku: 'PRODUCT-001', qty: 1 }], returnId: 'RET-9' };

	it('Dry Run outputs the exact request with the token redacted, and sends nothing (not even a token request)', async () => {
		const dryRun = withNodeParameters(workflow, NODE, { refundType: 'online', options: { dryRun: true } });

		const result = await runWorkflow(dryRun, { input: [input], credentials: { magentoRestApi: clientCredentials } });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toEqual({
			provider: 'magentoRest',
			dryRun: true,
			request: {
				method: 'POST',
				url: `${SHOP}/api2/creditmemo`,
				headers: { 'Content-Type': 'application/json', Authorization: '[redacted: added by the credential]' },
				body: { invoice_increment_id: '100000045', refund_type: 'online', items: [{ sku: 'PRODUCT-001', qty: 1 }], comment: '[ref:RET-9]' },
			},
			totalAmount: null,
			currency: null,
		});
		expect(result.credentials.preAuthentications).toEqual([]);
	});

	it('refuses to run with Retry On Fail, which would send refunds already created again', async () => {
		const result = await runWorkflow(withNodeSettings(workflow, NODE, { retryOnFail: true, maxTries: 2, waitBetweenTries: 1 }), {
			input: [input],
			credentials: { magentoRestApi: fixedToken },
		});

		expect(result.error()?.message).toBe(
			'Turn off Retry On Fail for Magento REST: after a failure n8n sends every item again, and Magento REST cannot tell which refunds it already created',
		);
	});

	it('the same reference twice in one run creates one memo; the repeat returns it as replayed', async () => {
		const scope = nock(SHOP).post('/api2/creditmemo').once().reply(201, memo(51));

		const result = await runWorkflow(workflow, { input: [input, input], credentials: { magentoRestApi: fixedToken } });

		expect(scope.isDone()).toBe(true);
		const output = result.output(NODE);
		expect(output.map((item) => [item.json.creditMemoId, item.json.replayed, item.pairedItem])).toEqual([
			['51', false, { item: 0 }],
			['51', true, { item: 1 }],
		]);
	});

	it('the same reference for a different refund in one run is refused, creating nothing more', async () => {
		nock(SHOP).post('/api2/creditmemo').once().reply(201, memo(52));

		const result = await runWorkflow(withNodeSettings(workflow, NODE, { onError: 'continueRegularOutput' }), {
			input: [input, { ...input, items: [{ sku: 'PRODUCT-001', qty: 2 }] }],
			credentials: { magentoRestApi: fixedToken },
		});

		expect(result.output(NODE)[1].json).toMatchObject({
			error: 'Refund Reference "RET-9" was already used for a different credit memo (52: another source, items or amounts)',
			details: { code: 'REFERENCE_REUSED' },
		});
	});

	it('a safety limit on the total refuses the memo unsent: Magento computes the total', async () => {
		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { maxTotalAmount: 100 } }), {
			input: [input],
			credentials: { magentoRestApi: fixedToken },
		});

		expect(result.error()?.message).toBe('The total of this credit memo is only known to the provider, so the safety limit cannot be checked');
	});

	it.each([
		[{ items: [] }, 'No items to refund'],
		[{ items: [{ order_item_id: 10, sku: 'PRODUCT-001', qty: 1 }] }, 'Items[1] has both an order item ID and a SKU; give one'],
		[{ items: [{ sku: 'PRODUCT-001', qty: 0 }] }, 'Items[1] Quantity must be greater than 0, got 0'],
		[{ items: [{ order_item_id: 10, qty: 1, price: 5 }] }, 'Items (JSON)[0] has unknown field price'],
		[{ invoice: '1000 00045' }, 'Invoice Increment ID "1000 00045" is not valid: use letters, digits, - and _ only, as in 100000045'],
	])('rejects invalid input before sending anything: %j', async (change, message) => {
		const result = await runWorkflow(workflow, { input: [{ ...input, ...change }], credentials: { magentoRestApi: fixedToken } });

		expect(result.error()?.message).toBe(message);
		expect(result.error()?.context).toMatchObject({ itemIndex: 0 });
	});
});

describe('Create Credit Memo, Magento REST: Check Refundable Balance First', () => {
	const checked = withNodeParameters(workflow, NODE, { options: { checkRefundableBalance: true } });
	const input = { invoice: '100000045', items: [{ order_item_id: 10, qty: 2 }], returnId: 'RET-11' };
	const invoice = (extra: IDataObject = {}) => ({
		invoice: {
			entity_id: 456,
			increment_id: '100000045',
			state: 2,
			base_grand_total: '99.8000',
			base_total_refunded: null,
			base_currency_code: 'BRL',
			items: [{ order_item_id: 10, sku: 'PRODUCT-001', qty: '2.0000' }],
			...extra,
		},
	});

	it('reads the invoice, then creates the memo when the request fits what is left', async () => {
		const scope = nock(SHOP)
			.get('/api2/invoice')
			.query({ increment_id: '100000045' })
			.matchHeader('authorization', 'Bearer static-token-1')
			.reply(200, invoice())
			.post('/api2/creditmemo')
			.reply(201, memo(61));

		const result = await runWorkflow(checked, { input: [input], credentials: { magentoRestApi: fixedToken } });

		expect(scope.isDone()).toBe(true);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: '61' });
	});

	it.each([
		[invoice({ base_total_refunded: '99.8000' }), 'Nothing is left to refund on invoice 100000045: 99.8 BRL invoiced, 99.8 BRL already refunded; nothing was sent'],
		[invoice({ items: [{ order_item_id: 10, qty: '1.0000' }] }), 'Items[1] Quantity 2 is more than the 1 still refundable for order item 10 on invoice 100000045; nothing was sent'],
		[invoice({ items: [{ order_item_id: 11, qty: '1.0000' }] }), 'Items[1]: order item 10 is not on invoice 100000045; nothing was sent'],
		[invoice({ state: 3 }), 'Invoice 100000045 is canceled, so Magento cannot refund it; nothing was sent'],
		[{ invoice: { entity_id: 456 } }, 'Cannot check the refundable balance: invoice 100000045 as Magento returned it has no readable grand_total; nothing was sent'],
	])('refuses before sending when the invoice says no (%#)', async (document, message) => {
		const scope = nock(SHOP).get('/api2/invoice').query(true).reply(200, document);

		const result = await runWorkflow(checked, { input: [input], credentials: { magentoRestApi: fixedToken } });

		expect(scope.isDone()).toBe(true);
		expect(result.error()?.message).toBe(message);
	});

	it('in Dry Run reads (never writes) and shows the base currency', async () => {
		nock(SHOP).get('/api2/invoice').query({ increment_id: '100000045' }).reply(200, invoice());

		const result = await runWorkflow(withNodeParameters(checked, NODE, { options: { checkRefundableBalance: true, dryRun: true } }), {
			input: [input],
			credentials: { magentoRestApi: fixedToken },
		});

		expect(result.output(NODE)[0].json).toMatchObject({ dryRun: true, currency: 'BRL', totalAmount: null });
	});

	it('checks shipping against the order when refunding by order', async () => {
		nock(SHOP)
			.get('/api2/order')
			.query({ id: '123' })
			.reply(200, { order: { entity_id: 123, base_total_paid: '120.0000', base_total_refunded: '0.0000', base_shipping_amount: '10.0000', base_shipping_refunded: '10.0000' } });
		const byOrder = withNodeParameters(checked, NODE, {
			magentoRestSourceType: 'orderId',
			orderId: '={{ $json.order }}',
			magentoRestRefundScope: 'everythingLeft',
			magentoRestAdditionalFields: { shippingAmount: 5 },
		});

		const result = await runWorkflow(byOrder, { input: [{ order: 123 }], credentials: { magentoRestApi: fixedToken } });

		expect(result.error()?.message).toBe('Shipping Amount 5 is more than the 0 shipping left to refund on order with ID 123; nothing was sent');
	});
});

describe('Credit Memo node, Magento REST', () => {
	it('says plainly that Magento REST offers no credit memo operation, and sends nothing', async () => {
		const memoWorkflow = withNodeParameters(creditMemoWorkflowJson as unknown as WorkflowJson, 'Credit Memo', { provider: 'magentoRest' });

		const result = await runWorkflow(memoWorkflow, { input: [{ creditMemoId: '501' }], credentials: { magentoRestApi: fixedToken } });

		expect(result.error()?.message).toBe(
			'Magento REST (/api2) cannot read credit memos yet (the vendor lists it on its roadmap). Open the order in the Magento admin to see its credit memos.',
		);
	});
});
