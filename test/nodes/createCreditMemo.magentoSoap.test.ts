import nock from 'nock';

import workflowJson from '../workflows/create-magentoSoap.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';
import type { Answer, Style } from './magentoSoap.store';
import { API_KEY, GATEWAY_TIMEOUT, MEMO_685, STORE_URL, credentialsFor, fixture, mockStore } from './magentoSoap.store';

const workflow = workflowJson as unknown as WorkflowJson;
const NODE = 'Create Credit Memo';
const SESSION = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
/** Returned tee: one of order 100000683's three tees, no shipping, emailed, under reference RET-1. */
const refund = { order: '100000683', items: [{ order_item_id: 712, qty: 1 }], shipping: 0, comment: 'Returned tee', returnId: 'RET-1' };
const COMMENT = 'Returned tee\n[ref:RET-1 #9b739f93]';

const ENCODED = [
	'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:OpenMage" xmlns:xsd="http://www.w3.org/2001/XMLSchema"',
	' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/"',
	' xmlns:ns2="http://xml.apache.org/xml-soap" SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"',
].join('');
const envelope = (namespaces: string, body: string) =>
	`<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope ${namespaces}><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;

/** The create requests as the official WSDLs define them (written by hand, not by the node's builder). */
const CREATE: Record<Style, (session: string) => string> = {
	v1: (session) =>
		envelope(
			ENCODED,
			[
				`<ns1:call><sessionId xsi:type="xsd:string">${session}</sessionId>`,
				'<resourcePath xsi:type="xsd:string">sales_order_creditmemo.create</resourcePath>',
				'<args xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="xsd:ur-type[6]">',
				'<item xsi:type="xsd:string">100000683</item>',
				'<item xsi:type="ns2:Map">',
				'<item><key xsi:type="xsd:string">qtys</key><value xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="xsd:ur-type[1]"><item xsi:type="ns2:Map">',
				'<item><key xsi:type="xsd:string">order_item_id</key><value xsi:type="xsd:int">712</value></item>',
				'<item><key xsi:type="xsd:string">qty</key><value xsi:type="xsd:double">1</value></item>',
				'</item></value></item>',
				'<item><key xsi:type="xsd:string">shipping_amount</key><value xsi:type="xsd:double">0</value></item>',
				'</item>',
				`<item xsi:type="xsd:string">${COMMENT}</item>`,
				'<item xsi:type="xsd:int">1</item><item xsi:type="xsd:int">0</item><item xsi:nil="true"/>',
				'</args></ns1:call>',
			].join(''),
		),
	v2: (session) =>
		envelope(
			ENCODED,
			[
				`<ns1:salesOrderCreditmemoCreate><sessionId xsi:type="xsd:string">${session}</sessionId>`,
				'<orderIncrementId xsi:type="xsd:string">100000683</orderIncrementId>',
				'<creditmemoData xsi:type="ns1:salesOrderCreditmemoData">',
				'<qtys xsi:type="ns1:orderItemIdQtyArray" SOAP-ENC:arrayType="ns1:orderItemIdQty[1]">',
				'<item xsi:type="ns1:orderItemIdQty"><order_item_id xsi:type="xsd:int">712</order_item_id><qty xsi:type="xsd:double">1</qty></item>',
				'</qtys><shipping_amount xsi:type="xsd:double">0</shipping_amount></creditmemoData>',
				`<comment xsi:type="xsd:string">${COMMENT}</comment>`,
				'<notifyCustomer xsi:type="xsd:int">1</notifyCustomer><includeComment xsi:type="xsd:int">0</includeComment>',
				'<refundToStoreCreditAmount xsi:nil="true"/>',
				'</ns1:salesOrderCreditmemoCreate>',
			].join(''),
		),
	wsi: (session) =>
		envelope(
			'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:OpenMage"',
			[
				`<ns1:salesOrderCreditmemoCreateRequestParam><sessionId>${session}</sessionId><orderIncrementId>100000683</orderIncrementId>`,
				'<creditmemoData><qtys><complexObjectArray><order_item_id>712</order_item_id><qty>1</qty></complexObjectArray></qtys>',
				'<shipping_amount>0</shipping_amount></creditmemoData>',
				`<comment>${COMMENT}</comment><notifyCustomer>1</notifyCustomer><includeComment>0</includeComment>`,
				'</ns1:salesOrderCreditmemoCreateRequestParam>',
			].join(''),
		),
};

const SOAP_ACTION: Record<Style, string> = { v1: '"urn:Mage_Api_Model_Server_HandlerAction"', v2: '"urn:Mage_Api_Model_Server_V2_HandlerAction"', wsi: '""' };
const OPERATION: Record<Style, Record<string, string>> = {
	v1: { order: 'sales_order.info', list: 'sales_order_creditmemo.list', create: 'sales_order_creditmemo.create', info: 'sales_order_creditmemo.info' },
	v2: { order: 'salesOrderInfo', list: 'salesOrderCreditmemoList', create: 'salesOrderCreditmemoCreate', info: 'salesOrderCreditmemoInfo' },
	wsi: { order: 'salesOrderInfo', list: 'salesOrderCreditmemoList', create: 'salesOrderCreditmemoCreate', info: 'salesOrderCreditmemoInfo' },
};

/** The store's answers for one refund that finds no memo, creates 100000685 and reads it back. */
function firstRefund(style: Style, extra: Record<string, Array<Answer | string>> = {}) {
	const op = OPERATION[style];
	return mockStore(style, {
		login: [fixture(style, 'login')],
		[op.order]: [fixture(style, 'order-683')],
		[op.list]: [fixture(style, 'list-683-empty')],
		[op.create]: [fixture(style, 'create-685')],
		[op.info]: [fixture(style, 'info-685')],
		endSession: [fixture(style, 'end-session')],
		...extra,
	});
}

const memo685 = { ...MEMO_685, refundReference: 'RET-1' };

/** The store's answers when order 100000683 already has memo 100000685, made under RET-1. */
function existingMemo() {
	return mockStore('v2', {
		login: [fixture('v2', 'login')],
		salesOrderInfo: [fixture('v2', 'order-683')],
		salesOrderCreditmemoList: [fixture('v2', 'list-683-one')],
		salesOrderCreditmemoInfo: [fixture('v2', 'info-685')],
		endSession: [fixture('v2', 'end-session')],
	});
}

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Create Credit Memo, Magento SOAP (engine + nock)', () => {
	it.each(['v1', 'v2', 'wsi'] as const)(
		'%s: logs in, reads the order, finds no memo for the reference, sends the exact create, reads the memo back, ends the session',
		async (style) => {
			const store = firstRefund(style);

			const result = await runWorkflow(workflow, { input: [refund], credentials: credentialsFor(style) });

			expect(result.error()).toBeUndefined();
			const op = OPERATION[style];
			expect(store.operations()).toEqual(['login', op.order, op.list, op.create, op.info, 'endSession']);
			expect(store.done()).toBe(true);
			const create = store.requests[3];
			expect(create.body).toBe(CREATE[style](SESSION));
			expect(create.headers['content-type']).toBe('text/xml; charset=utf-8');
			expect(create.headers.soapaction).toBe(SOAP_ACTION[style]);
			// The API key is in the login envelope only.
			expect(store.requests[0].body).toContain(API_KEY);
			expect(store.requests.slice(1).some((request) => request.body.includes(API_KEY))).toBe(false);
			const output = result.output(NODE);
			expect(output).toHaveLength(1);
			expect(output[0].pairedItem).toEqual({ item: 0 });
			expect(output[0].json).toMatchObject({ ...memo685, replayed: false });
			expect((output[0].json.raw as Record<string, unknown>).increment_id).toBe('100000685');
			expect(JSON.stringify(output)).not.toContain(API_KEY);
		},
	);

	it('logs in once for all items; the same refund twice in one run is answered from what the run already knows', async () => {
		const store = firstRefund('v2');

		const result = await runWorkflow(workflow, { input: [refund, refund], credentials: credentialsFor('v2') });

		expect(result.error()).toBeUndefined();
		expect(store.operations()).toEqual(['login', 'salesOrderInfo', 'salesOrderCreditmemoList', 'salesOrderCreditmemoCreate', 'salesOrderCreditmemoInfo', 'endSession']);
		const output = result.output(NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output.map((item) => [item.json.creditMemoId, item.json.replayed])).toEqual([
			['100000685', false],
			['100000685', true],
		]);
	});

	it('a later run of the same refund finds the memo by its reference in the order\'s memos and creates nothing', async () => {
		const store = existingMemo();

		const result = await runWorkflow(workflow, { input: [refund], credentials: credentialsFor('v2') });

		expect(result.error()).toBeUndefined();
		expect(store.operations()).toEqual(['login', 'salesOrderInfo', 'salesOrderCreditmemoList', 'salesOrderCreditmemoInfo', 'endSession']);
		expect(result.output(NODE)[0].json).toMatchObject({ ...memo685, replayed: true });
	});

	it('refuses a reference already used for a different refund, creating nothing', async () => {
		const store = existingMemo();

		const result = await runWorkflow(workflow, { input: [{ ...refund, items: [{ order_item_id: 712, qty: 2 }] }], credentials: credentialsFor('v2') });

		expect(result.error()?.message).toMatch(/^Refund Reference "RET-1" was already used for a different credit memo \(100000685: other items or amounts \(refund #9b739f93, this one #[0-9a-f]{8}\)\)$/);
		expect(result.error()?.context).toMatchObject({ code: 'REFERENCE_REUSED', itemIndex: 0 });
		expect(store.operations()).not.toContain('salesOrderCreditmemoCreate');
		expect(store.done()).toBe(true);
	});

	it('reads the namespace from the WSDL when no override is set (urn:Magento on Magento CE 1.x)', async () => {
		const wsdl = nock(STORE_URL).get('/api/v2_soap/').query({ wsdl: '1' }).reply(200, fixture('v2', 'wsdl-legacy'));
		const store = firstRefund('v2');

		const result = await runWorkflow(workflow, { input: [refund], credentials: credentialsFor('v2', { namespace: '' }) });

		expect(result.error()).toBeUndefined();
		expect(wsdl.isDone()).toBe(true);
		expect(store.requests.every((request) => request.body.includes('xmlns:ns1="urn:Magento"'))).toBe(true);
	});

	it('says so when the credential\'s API style does not match the store (V2 against a WS-I store)', async () => {
		nock(STORE_URL).get('/api/v2_soap/').query({ wsdl: '1' }).reply(200, fixture('wsi', 'wsdl'));

		const result = await runWorkflow(workflow, { input: [refund], credentials: credentialsFor('v2', { namespace: '' }) });

		expect(result.error()?.message).toBe('This store runs its V2 API in WS-I compliance mode');
		expect(result.error()?.description).toBe('Choose "V2 (WS-I Compliance)" as the API style in the credential.');
		expect(result.error()?.context).toMatchObject({ code: 'API_STYLE_MISMATCH', provider: 'magentoSoap' });
	});

	it('an unknown order is a node error with Magento\'s code and a hint about increment IDs; nothing is created', async () => {
		const store = mockStore('v2', { login: [fixture('v2', 'login')], salesOrderInfo: [fixture('v2', 'order-fault-100')], endSession: [fixture('v2', 'end-session')] });

		const result = await runWorkflow(workflow, { input: [{ ...refund, order: '999999999' }], credentials: credentialsFor('v2') });

		const error = result.error();
		expect(error?.message).toBe('Order 999999999 does not exist');
		expect(error?.description).toBe(
			'Magento said: Requested order not exists. Use the order\'s increment ID (the order number shown in the admin and to the customer, e.g. 100000123), not its internal entity ID.',
		);
		expect(error?.context).toMatchObject({ provider: 'magentoSoap', code: '100', httpStatus: 500, outcome: 'failed', itemIndex: 0 });
		expect(store.operations()).toEqual(['login', 'salesOrderInfo', 'endSession']);
	});

	it('fault 1 (Magento\'s own text, e.g. an over-refund): with a reference the lookup proves nothing was saved, so it is a plain failure', async () => {
		const store = mockStore('v2', {
			login: [fixture('v2', 'login')],
			salesOrderInfo: [fixture('v2', 'order-683')],
			salesOrderCreditmemoList: [fixture('v2', 'list-683-empty'), fixture('v2', 'list-683-empty')],
			salesOrderCreditmemoCreate: [fixture('v2', 'create-fault-1')],
			endSession: [fixture('v2', 'end-session')],
		});

		const result = await runWorkflow(workflow, { input: [refund], credentials: credentialsFor('v2') });

		expect(result.error()?.message).toBe('Magento refused the request: Invalid qty to refund item "Classic Tee"');
		expect(result.error()?.context).toMatchObject({ code: '1', outcome: 'failed', retryable: false });
		expect(store.operations()).toEqual(['login', 'salesOrderInfo', 'salesOrderCreditmemoList', 'salesOrderCreditmemoCreate', 'salesOrderCreditmemoList', 'endSession']);
	});

	it('fault 1 without a reference is an unknown outcome (Magento also uses it after saving), with what to check', async () => {
		mockStore('v2', {
			login: [fixture('v2', 'login')],
			salesOrderInfo: [fixture('v2', 'order-683')],
			salesOrderCreditmemoCreate: [fixture('v2', 'create-fault-1')],
			endSession: [fixture('v2', 'end-session')],
		});

		const result = await runWorkflow(workflow, { input: [{ ...refund, returnId: '' }], credentials: credentialsFor('v2') });

		expect(result.error()?.context).toMatchObject({ code: '1', outcome: 'unknown' });
		expect(result.error()?.description).toContain('check order 100000683\'s credit memos in the Magento admin before sending it again');
	});

	it('checks the items against the order before sending: more than is left to refund is an input error naming the field', async () => {
		const store = mockStore('v2', { login: [fixture('v2', 'login')], salesOrderInfo: [fixture('v2', 'order-683')], endSession: [fixture('v2', 'end-session')] });

		const result = await runWorkflow(workflow, { input: [{ ...refund, items: [{ order_item_id: 712, qty: 4 }] }], credentials: credentialsFor('v2') });

		expect(result.error()?.message).toBe('4 of Classic Tee is more than is left to refund (3)');
		expect(result.error()?.context).toMatchObject({ itemIndex: 0 });
		expect(store.operations()).toEqual(['login', 'salesOrderInfo', 'endSession']);
	});

	it('an order item that is not on the order is an input error listing the order\'s item IDs', async () => {
		mockStore('v2', { login: [fixture('v2', 'login')], salesOrderInfo: [fixture('v2', 'order-683')], endSession: [fixture('v2', 'end-session')] });

		const result = await runWorkflow(workflow, { input: [{ ...refund, items: [{ order_item_id: 999, qty: 1 }] }], credentials: credentialsFor('v2') });

		expect(result.error()?.message).toBe('Order 100000683 has no item 999');
		expect(result.error()?.description).toBe('Its order item IDs are 712, 713 (the order line\'s item_id, not a product ID).');
	});

	it('under Continue On Fail the failing item becomes an error item and the next one is still created', async () => {
		const store = firstRefund('v2', { salesOrderInfo: [fixture('v2', 'order-fault-100'), fixture('v2', 'order-683')] });

		const result = await runWorkflow(withNodeSettings(workflow, NODE, { onError: 'continueRegularOutput' }), {
			input: [{ ...refund, order: '999999999' }, refund],
			credentials: credentialsFor('v2'),
		});

		expect(result.error()).toBeUndefined();
		const output = result.output(NODE);
		expect(output[0]).toMatchObject({
			json: { error: 'Order 999999999 does not exist', details: { provider: 'magentoSoap', code: '100', outcome: 'failed', itemIndex: 0 } },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toMatchObject({ json: { creditMemoId: '100000685', replayed: false }, pairedItem: { item: 1 } });
		expect(store.operations().filter((operation) => operation === 'login')).toHaveLength(1);
	});

	it('fault 5 (session expired): logs in once more and sends the same create again', async () => {
		const store = firstRefund('v2', {
			login: [fixture('v2', 'login'), fixture('v2', 'login')],
			salesOrderCreditmemoCreate: [fixture('v2', 'fault-5'), fixture('v2', 'create-685')],
		});

		const result = await runWorkflow(workflow, { input: [refund], credentials: credentialsFor('v2') });

		expect(result.error()).toBeUndefined();
		expect(store.operations()).toEqual([
			'login',
			'salesOrderInfo',
			'salesOrderCreditmemoList',
			'salesOrderCreditmemoCreate',
			'login',
			'salesOrderCreditmemoCreate',
			'salesOrderCreditmemoInfo',
			'endSession',
		]);
		expect(store.requests[5].body).toBe(store.requests[3].body);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: '100000685' });
	});

	it('a lost answer to the create: the lookup finds the memo it made, and nothing is sent twice', async () => {
		const store = firstRefund('v2', {
			salesOrderCreditmemoList: [fixture('v2', 'list-683-empty'), fixture('v2', 'list-683-one')],
			salesOrderCreditmemoCreate: [GATEWAY_TIMEOUT],
		});

		const result = await runWorkflow(workflow, { input: [refund], credentials: credentialsFor('v2') });

		expect(result.error()).toBeUndefined();
		expect(store.operations().filter((operation) => operation === 'salesOrderCreditmemoCreate')).toHaveLength(1);
		expect(result.output(NODE)[0].json).toMatchObject({ ...memo685, replayed: false });
	});

	it('a lost answer and no memo found: nothing was saved, so the create is sent once more', async () => {
		const store = firstRefund('v2', {
			salesOrderCreditmemoList: [fixture('v2', 'list-683-empty'), fixture('v2', 'list-683-empty')],
			salesOrderCreditmemoCreate: [GATEWAY_TIMEOUT, fixture('v2', 'create-685')],
		});

		const result = await runWorkflow(workflow, { input: [refund], credentials: credentialsFor('v2') });

		expect(result.error()).toBeUndefined();
		expect(store.operations().filter((operation) => operation === 'salesOrderCreditmemoCreate')).toHaveLength(2);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: '100000685', replayed: false });
	});

	it('a lost answer without a reference stays an unknown outcome: never sent twice blindly', async () => {
		const store = mockStore('v2', {
			login: [fixture('v2', 'login')],
			salesOrderInfo: [fixture('v2', 'order-683')],
			salesOrderCreditmemoCreate: [GATEWAY_TIMEOUT],
			endSession: [fixture('v2', 'end-session')],
		});

		const result = await runWorkflow(workflow, { input: [{ ...refund, returnId: '' }], credentials: credentialsFor('v2') });

		expect(result.error()?.message).toBe('The store answered HTTP 504 instead of SOAP');
		expect(result.error()?.context).toMatchObject({ outcome: 'unknown', retryable: false, httpStatus: 504 });
		expect(result.error()?.description).toBe('The request may have been processed: check order 100000683\'s credit memos in the Magento admin before sending it again.');
		expect(store.operations().filter((operation) => operation === 'salesOrderCreditmemoCreate')).toHaveLength(1);
	});

	it('Dry Run outputs the exact create envelope with the session ID as a placeholder; it only reads', async () => {
		const store = mockStore('v2', { login: [fixture('v2', 'login')], salesOrderInfo: [fixture('v2', 'order-683')], endSession: [fixture('v2', 'end-session')] });

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { dryRun: true } }), { input: [refund], credentials: credentialsFor('v2') });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toEqual({
			provider: 'magentoSoap',
			dryRun: true,
			request: {
				method: 'POST',
				url: `${STORE_URL}/api/v2_soap/`,
				headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml', SOAPAction: SOAP_ACTION.v2 },
				body: CREATE.v2('[session ID: from the login at send time]'),
			},
			totalAmount: 25,
			currency: 'USD',
		});
		expect(store.operations()).toEqual(['login', 'salesOrderInfo', 'endSession']);
		expect(JSON.stringify(result.output(NODE))).not.toContain(API_KEY);
	});

	it('the safety limit is checked against the most the memo can credit, before anything is sent', async () => {
		const store = mockStore('v2', { login: [fixture('v2', 'login')], salesOrderInfo: [fixture('v2', 'order-683')], endSession: [fixture('v2', 'end-session')] });

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { maxTotalAmount: 20 } }), { input: [refund], credentials: credentialsFor('v2') });

		expect(result.error()?.message).toBe('The credit memo total 25 USD is above the safety limit of 20; nothing was sent');
		expect(store.operations()).not.toContain('salesOrderCreditmemoCreate');
	});

	it('a wrong API key is Magento\'s fault 2, explained, with no secret in the error', async () => {
		mockStore('v2', { login: [fixture('v2', 'login-fault-2')] });

		const result = await runWorkflow(workflow, { input: [refund], credentials: credentialsFor('v2') });

		const error = result.error();
		expect(error?.message).toBe('Magento refused the API user or API key');
		expect(error?.context).toMatchObject({ code: '2', provider: 'magentoSoap' });
		expect(JSON.stringify({ message: error?.message, description: error?.description, context: error?.context })).not.toContain(API_KEY);
	});

	it('Items to Refund "No Items" sends every order item with quantity 0 (an adjustment-only memo)', async () => {
		const store = firstRefund('v2');
		const adjustmentOnly = withNodeParameters(workflow, NODE, {
			magentoSoapItemsToRefund: 'none',
			magentoSoapAdditionalFields: { shippingAmount: 0, adjustmentPositive: 5 },
		});

		const result = await runWorkflow(adjustmentOnly, { input: [refund], credentials: credentialsFor('v2') });

		expect(result.error()).toBeUndefined();
		const create = store.requests.find((request) => request.operation === 'salesOrderCreditmemoCreate');
		const data = (create?.params.creditmemoData ?? {}) as { qtys: { item: Array<Record<string, { '#text': string }>> }; adjustment_positive: { '#text': string } };
		expect(data.qtys.item.map((item) => [item.order_item_id['#text'], item.qty['#text']])).toEqual([
			['712', '0'],
			['713', '0'],
		]);
		expect(data.adjustment_positive['#text']).toBe('5');
	});

	it('refuses to send no items silently: "Listed Items" with an empty list is an input error', async () => {
		const result = await runWorkflow(workflow, { input: [{ ...refund, items: [] }], credentials: credentialsFor('v2') });

		expect(result.error()?.message).toBe('No items to refund are listed');
		expect(result.error()?.description).toContain('choose "All Remaining Items" or "No Items"');
	});
});
