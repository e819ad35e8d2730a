import nock from 'nock';

import workflowJson from '../workflows/credit-memo-magentoSoap.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';
import type { Style } from './magentoSoap.store';
import { API_KEY, GATEWAY_TIMEOUT, MEMO_685, STORE_URL, credentialsFor, fixture, mockStore } from './magentoSoap.store';

const workflow = workflowJson as unknown as WorkflowJson;
const NODE = 'Credit Memo';
const SESSION = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const PLACEHOLDER = '[session ID: from the login at send time]';
const STYLES = ['v1', 'v2', 'wsi'] as const;

const ENCODED = [
	'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:OpenMage" xmlns:xsd="http://www.w3.org/2001/XMLSchema"',
	' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/"',
	' xmlns:ns2="http://xml.apache.org/xml-soap" SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"',
].join('');
const LITERAL = 'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:OpenMage"';
const envelope = (namespaces: string, body: string) =>
	`<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope ${namespaces}><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;

/** V1 `call` with its positional arguments. */
const v1Call = (session: string, path: string, args: string[]) =>
	envelope(
		ENCODED,
		[
			`<ns1:call><sessionId xsi:type="xsd:string">${session}</sessionId><resourcePath xsi:type="xsd:string">${path}</resourcePath>`,
			`<args xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="xsd:ur-type[${args.length}]">${args.join('')}</args></ns1:call>`,
		].join(''),
	);
const mapEntry = (key: string, value: string) => `<item><key xsi:type="xsd:string">${key}</key>${value}</item>`;
const v1Text = (value: string) => `<value xsi:type="xsd:string">${value}</value>`;

/**
 * The list filters the node sends for increment IDs 100000617 to 100000619, refunded, created on 20 or 21 May 2011
 * (UTC), as the official WSDLs and Mage_Api_Helper_Data::parseFilters read them (written by hand).
 */
const CONDITIONS: Array<[string, string, string]> = [
	['increment_id', 'from', '100000617'],
	['increment_id', 'to', '100000619'],
	['state', 'in', '2'],
	['created_at', 'from', '2011-05-20 00:00:00'],
	['created_at', 'to', '2011-05-21 23:59:59'],
];
const FILTERED_LIST: Record<Style, (session: string) => string> = {
	v1: (session) =>
		v1Call(session, 'sales_order_creditmemo.list', [
			[
				'<item xsi:type="ns2:Map">',
				mapEntry('increment_id', `<value xsi:type="ns2:Map">${mapEntry('from', v1Text('100000617'))}${mapEntry('to', v1Text('100000619'))}</value>`),
				mapEntry('state', `<value xsi:type="ns2:Map">${mapEntry('in', '<value xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="xsd:ur-type[1]"><item xsi:type="xsd:string">2</item></value>')}</value>`),
				mapEntry('created_at', `<value xsi:type="ns2:Map">${mapEntry('from', v1Text('2011-05-20 00:00:00'))}${mapEntry('to', v1Text('2011-05-21 23:59:59'))}</value>`),
				'</item>',
			].join(''),
		]),
	v2: (session) => {
		const condition = (field: string, operator: string, value: string) =>
			[
				`<item xsi:type="ns1:complexFilter"><key xsi:type="xsd:string">${field}</key>`,
				`<value xsi:type="ns1:associativeEntity"><key xsi:type="xsd:string">${operator}</key><value xsi:type="xsd:string">${value}</value></value></item>`,
			].join('');
		return envelope(
			ENCODED,
			[
				`<ns1:salesOrderCreditmemoList><sessionId xsi:type="xsd:string">${session}</sessionId><filters xsi:type="ns1:filters">`,
				'<complex_filter xsi:type="ns1:complexFilterArray" SOAP-ENC:arrayType="ns1:complexFilter[5]">',
				...CONDITIONS.map((entry) => condition(...entry)),
				'</complex_filter></filters></ns1:salesOrderCreditmemoList>',
			].join(''),
		);
	},
	wsi: (session) => {
		const condition = (field: string, operator: string, value: string) => `<complexObjectArray><key>${field}</key><value><key>${operator}</key><value>${value}</value></value></complexObjectArray>`;
		return envelope(
			LITERAL,
			[
				`<ns1:salesOrderCreditmemoListRequestParam><sessionId>${session}</sessionId><filters><complex_filter>`,
				...CONDITIONS.map((entry) => condition(...entry)),
				'</complex_filter></filters></ns1:salesOrderCreditmemoListRequestParam>',
			].join(''),
		);
	},
};

const CANCEL: Record<Style, (session: string) => string> = {
	v1: (session) => v1Call(session, 'sales_order_creditmemo.cancel', ['<item xsi:type="xsd:string">100000637</item>']),
	v2: (session) =>
		envelope(
			ENCODED,
			`<ns1:salesOrderCreditmemoCancel><sessionId xsi:type="xsd:string">${session}</sessionId><creditmemoIncrementId xsi:type="xsd:string">100000637</creditmemoIncrementId></ns1:salesOrderCreditmemoCancel>`,
		),
	wsi: (session) =>
		envelope(LITERAL, `<ns1:salesOrderCreditmemoCancelRequestParam><sessionId>${session}</sessionId><creditmemoIncrementId>100000637</creditmemoIncrementId></ns1:salesOrderCreditmemoCancelRequestParam>`),
};

const OPERATION: Record<Style, { list: string; info: string; cancel: string; order: string }> = {
	v1: { list: 'sales_order_creditmemo.list', info: 'sales_order_creditmemo.info', cancel: 'sales_order_creditmemo.cancel', order: 'sales_order.info' },
	v2: { list: 'salesOrderCreditmemoList', info: 'salesOrderCreditmemoInfo', cancel: 'salesOrderCreditmemoCancel', order: 'salesOrderInfo' },
	wsi: { list: 'salesOrderCreditmemoList', info: 'salesOrderCreditmemoInfo', cancel: 'salesOrderCreditmemoCancel', order: 'salesOrderInfo' },
};

const FILTERS = { incrementIdFrom: '100000617', incrementIdTo: '100000619', state: ['refunded'], createdAfter: '2011-05-20T00:00:00', createdBefore: '2011-05-22T00:00:00' };

const MEMO_637 = { provider: 'magentoSoap', creditMemoId: '100000637', number: '100000637', totalAmount: 45, currency: 'USD', createdAt: '2024-02-11T08:30:00.000Z', refundReference: null };

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Credit Memo, Magento SOAP (engine + nock)', () => {
	it.each(STYLES)('%s: List sends every filter in one exact list envelope; the node applies the Limit to the one answer', async (style) => {
		const op = OPERATION[style];
		const store = mockStore(style, {
			login: [fixture(style, 'login'), fixture(style, 'login')],
			[op.list]: [fixture(style, 'list-617-619-refunded'), fixture(style, 'list-617-619-refunded')],
			endSession: [fixture(style, 'end-session'), fixture(style, 'end-session')],
		});

		const all = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'list', returnAll: true, magentoSoapListFilters: FILTERS }), { credentials: credentialsFor(style) });

		expect(all.error()).toBeUndefined();
		expect(store.operations()).toEqual(['login', op.list, 'endSession']);
		expect(store.requests[1].body).toBe(FILTERED_LIST[style](SESSION));
		expect(all.output(NODE)).toEqual([
			{ json: expect.objectContaining({ provider: 'magentoSoap', creditMemoId: '100000617', status: 'refunded', totalAmount: 60, createdAt: '2011-05-20T09:00:00.000Z' }), pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ creditMemoId: '100000618', status: 'refunded', createdAt: '2011-05-21T09:00:00.000Z' }), pairedItem: { item: 0 } },
		]);

		store.requests.length = 0;
		const limited = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'list', limit: 1, simplify: false, magentoSoapListFilters: FILTERS }), { credentials: credentialsFor(style) });

		expect(store.operations()).toEqual(['login', op.list, 'endSession']);
		expect(store.requests[1].body).toBe(FILTERED_LIST[style](SESSION));
		expect(limited.output(NODE).map((item) => item.json)).toEqual([expect.objectContaining({ increment_id: '100000617', state: '2' })]);
		expect(store.done()).toBe(true);
	});

	it('V2: an order filter reads the order\'s entity ID first and goes in the simple filter; the state beside it in the complex one', async () => {
		const store = mockStore('v2', {
			login: [fixture('v2', 'login')],
			salesOrderInfo: [fixture('v2', 'order-683')],
			salesOrderCreditmemoList: [fixture('v2', 'list-683-one')],
			endSession: [fixture('v2', 'end-session')],
		});

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'list', magentoSoapListFilters: { orderIncrementId: '100000683', state: ['open', 'refunded'] } }), {
			credentials: credentialsFor('v2'),
		});

		expect(result.error()).toBeUndefined();
		expect(store.operations()).toEqual(['login', 'salesOrderInfo', 'salesOrderCreditmemoList', 'endSession']);
		expect(store.requests[2].body).toBe(
			envelope(
				ENCODED,
				[
					`<ns1:salesOrderCreditmemoList><sessionId xsi:type="xsd:string">${SESSION}</sessionId><filters xsi:type="ns1:filters">`,
					'<filter xsi:type="ns1:associativeArray" SOAP-ENC:arrayType="ns1:associativeEntity[1]">',
					'<item xsi:type="ns1:associativeEntity"><key xsi:type="xsd:string">order_id</key><value xsi:type="xsd:string">683</value></item></filter>',
					'<complex_filter xsi:type="ns1:complexFilterArray" SOAP-ENC:arrayType="ns1:complexFilter[1]">',
					'<item xsi:type="ns1:complexFilter"><key xsi:type="xsd:string">state</key>',
					'<value xsi:type="ns1:associativeEntity"><key xsi:type="xsd:string">in</key><value xsi:type="xsd:string">1,2</value></value></item>',
					'</complex_filter></filters></ns1:salesOrderCreditmemoList>',
				].join(''),
			),
		);
		expect(result.output(NODE).map((item) => item.json)).toEqual([expect.objectContaining({ ...MEMO_685, raw: expect.objectContaining({ order_id: '683' }) })]);
	});

	it('V1: Include Items and Comments reads the listed memos in one multiCall of info calls', async () => {
		const store = mockStore('v1', {
			login: [fixture('v1', 'login')],
			'sales_order_creditmemo.list': [fixture('v1', 'list-617-619-refunded')],
			multiCall: [fixture('v1', 'multicall-info-617-618')],
			endSession: [fixture('v1', 'end-session')],
		});

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'list', returnAll: true, magentoSoapIncludeDetails: true, magentoSoapListFilters: FILTERS }), {
			credentials: credentialsFor('v1'),
		});

		expect(result.error()).toBeUndefined();
		expect(store.operations()).toEqual(['login', 'sales_order_creditmemo.list', 'multiCall', 'endSession']);
		const info = (incrementId: string) =>
			`<item xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="xsd:ur-type[2]"><item xsi:type="xsd:string">sales_order_creditmemo.info</item><item xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="xsd:ur-type[1]"><item xsi:type="xsd:string">${incrementId}</item></item></item>`;
		expect(store.requests[2].body).toContain(`<calls xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="xsd:ur-type[2]">${info('100000617')}${info('100000618')}</calls>`);
		expect(result.output(NODE).map((item) => item.json)).toEqual([
			expect.objectContaining({ creditMemoId: '100000617', refundReference: null, raw: expect.objectContaining({ order_increment_id: '100000673', items: expect.any(Array) }) }),
			expect.objectContaining({ creditMemoId: '100000618', refundReference: null, raw: expect.objectContaining({ order_increment_id: '100000674', items: expect.any(Array) }) }),
		]);
	});

	it.each(STYLES)('%s: Get reads the memo with info and gives the Refund Reference its comment carries', async (style) => {
		const op = OPERATION[style];
		const store = mockStore(style, { login: [fixture(style, 'login')], [op.info]: [fixture(style, 'info-685')], endSession: [fixture(style, 'end-session')] });

		const result = await runWorkflow(workflow, { input: [{ creditMemoId: '100000685' }], credentials: credentialsFor(style) });

		expect(result.error()).toBeUndefined();
		expect(store.operations()).toEqual(['login', op.info, 'endSession']);
		expect(store.requests[1].body).toContain('100000685');
		expect(result.output(NODE)).toEqual([{ json: { ...MEMO_685, refundReference: 'RET-1', raw: expect.objectContaining({ increment_id: '100000685' }) }, pairedItem: { item: 0 } }]);
	});

	it.each(STYLES)('%s: Cancel sends the exact cancel envelope and outputs the memo read back, canceled', async (style) => {
		const op = OPERATION[style];
		const store = mockStore(style, {
			login: [fixture(style, 'login')],
			[op.cancel]: [fixture(style, 'cancel-637')],
			[op.info]: [fixture(style, 'info-637-canceled')],
			endSession: [fixture(style, 'end-session')],
		});

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'cancel' }), { input: [{ creditMemoId: '100000637' }], credentials: credentialsFor(style) });

		expect(result.error()).toBeUndefined();
		expect(store.operations()).toEqual(['login', op.cancel, op.info, 'endSession']);
		expect(store.requests[1].body).toBe(CANCEL[style](SESSION));
		expect(result.output(NODE)).toEqual([{ json: { ...MEMO_637, status: 'canceled', replayed: false, raw: expect.objectContaining({ state: '3' }) }, pairedItem: { item: 0 } }]);
		expect(JSON.stringify(result.output(NODE))).not.toContain(API_KEY);
	});

	it.each(STYLES)('%s: Dry Run shows the cancel envelope with the session placeholder, without logging in', async (style) => {
		const store = mockStore(style, {});

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'cancel', options: { dryRun: true } }), {
			input: [{ creditMemoId: '100000637' }],
			credentials: credentialsFor(style),
		});

		expect(result.error()).toBeUndefined();
		expect(store.requests).toEqual([]);
		expect(result.output(NODE)[0].json).toEqual({
			provider: 'magentoSoap',
			dryRun: true,
			request: { method: 'POST', url: `${STORE_URL}/api/${style === 'v1' ? 'soap' : 'v2_soap'}/`, headers: expect.objectContaining({ 'Content-Type': 'text/xml; charset=utf-8' }), body: CANCEL[style](PLACEHOLDER) },
			totalAmount: null,
			currency: null,
		});
	});

	it('fault 104 for a memo that is not open: Magento\'s reason, the memo\'s state, what to do instead', async () => {
		const store = mockStore('v2', {
			login: [fixture('v2', 'login')],
			salesOrderCreditmemoCancel: [fixture('v2', 'cancel-fault-104')],
			salesOrderCreditmemoInfo: [fixture('v2', 'info-685')],
			endSession: [fixture('v2', 'end-session')],
		});

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'cancel' }), { input: [{ creditMemoId: '100000685' }], credentials: credentialsFor('v2') });

		expect(store.operations()).toEqual(['login', 'salesOrderCreditmemoCancel', 'salesOrderCreditmemoInfo', 'endSession']);
		expect(result.error()?.message).toBe('Credit memo 100000685 was not canceled: Credit memo cannot be canceled.');
		expect(result.error()?.context).toMatchObject({ provider: 'magentoSoap', code: '104', httpStatus: 500, outcome: 'failed', retryable: false, itemIndex: 0 });
		expect(result.error()?.description).toContain('Its state in Magento: refunded.');
		expect(result.error()?.description).toContain('Memos created through the API are refunded at once');
	});

	it('a repeated cancel: fault 104 for a memo already canceled is the result asked for (replayed), not a failure', async () => {
		mockStore('v2', {
			login: [fixture('v2', 'login')],
			salesOrderCreditmemoCancel: [fixture('v2', 'cancel-fault-104')],
			salesOrderCreditmemoInfo: [fixture('v2', 'info-637-canceled')],
			endSession: [fixture('v2', 'end-session')],
		});

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'cancel' }), { input: [{ creditMemoId: '100000637' }], credentials: credentialsFor('v2') });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ ...MEMO_637, status: 'canceled', replayed: true });
	});

	it('a lost answer (the proxy\'s 504) is sent again, as a cancel is safe to repeat; Magento\'s 104 then means the first one canceled it', async () => {
		const store = mockStore('wsi', {
			login: [fixture('wsi', 'login')],
			salesOrderCreditmemoCancel: [GATEWAY_TIMEOUT, fixture('wsi', 'cancel-fault-104')],
			salesOrderCreditmemoInfo: [fixture('wsi', 'info-637-canceled')],
			endSession: [fixture('wsi', 'end-session')],
		});

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'cancel' }), { input: [{ creditMemoId: '100000637' }], credentials: credentialsFor('wsi') });

		expect(result.error()).toBeUndefined();
		expect(store.operations()).toEqual(['login', 'salesOrderCreditmemoCancel', 'salesOrderCreditmemoCancel', 'salesOrderCreditmemoInfo', 'endSession']);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: '100000637', status: 'canceled' });
	});

	it('an answer that is not SOAP: the memo is read; still open means nothing was canceled and running again is safe', async () => {
		mockStore('v1', {
			login: [fixture('v1', 'login')],
			'sales_order_creditmemo.cancel': [{ status: 200, body: '<html><body>Please log in</body></html>' }],
			'sales_order_creditmemo.info': [fixture('v1', 'info-637')],
			endSession: [fixture('v1', 'end-session')],
		});

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'cancel' }), { input: [{ creditMemoId: '100000637' }], credentials: credentialsFor('v1') });

		expect(result.error()?.message).toBe('The store\'s answer to sales_order_creditmemo.cancel is not SOAP: it is not a SOAP envelope');
		expect(result.error()?.context).toMatchObject({ outcome: 'failed' });
		expect(result.error()?.description).toContain('Credit memo 100000637 is still open: it was not canceled. Running the node again is safe.');
	});

	it('fault 100: no such memo, and nothing else is read; Continue On Fail goes on', async () => {
		const store = mockStore('v2', {
			login: [fixture('v2', 'login')],
			salesOrderCreditmemoCancel: [fixture('v2', 'cancel-fault-100'), fixture('v2', 'cancel-637')],
			salesOrderCreditmemoInfo: [fixture('v2', 'info-637-canceled')],
			endSession: [fixture('v2', 'end-session')],
		});

		const result = await runWorkflow(withNodeSettings(withNodeParameters(workflow, NODE, { operation: 'cancel' }), NODE, { onError: 'continueRegularOutput' }), {
			input: [{ creditMemoId: '999999999' }, { creditMemoId: '100000637' }],
			credentials: credentialsFor('v2'),
		});

		expect(store.operations()).toEqual(['login', 'salesOrderCreditmemoCancel', 'salesOrderCreditmemoCancel', 'salesOrderCreditmemoInfo', 'endSession']);
		expect(result.output(NODE)).toEqual([
			{ json: { error: 'Credit memo 999999999 does not exist', details: expect.objectContaining({ code: '100', outcome: 'failed', itemIndex: 0 }) }, pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ creditMemoId: '100000637', status: 'canceled' }), pairedItem: { item: 1 } },
		]);
	});

	it('refuses bad filters before anything is sent, naming the field', async () => {
		const store = mockStore('v2', {});
		const list = async (filters: Record<string, unknown>) =>
			(await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'list', magentoSoapListFilters: filters }), { credentials: credentialsFor('v2') })).error()?.message;

		expect(await list({ createdAfter: '2026-03-10T00:00:00Z', createdBefore: '2026-03-09T00:00:00Z' })).toBe(
			'Created After (2026-03-10T00:00:00.000Z) is not earlier than Created Before (2026-03-09T00:00:00.000Z), so no memo could match',
		);
		expect(await list({ createdAfter: 'yesterday' })).toBe('Created After is not a valid date and time, got "yesterday"');
		expect(await list({ incrementIdFrom: '100000700', incrementIdTo: '100000600' })).toBe('Increment ID From (100000700) comes after Increment ID To (100000600), so no memo could match');
		expect(await list({ state: 'open,pending' })).toBe('State "pending" is not one of open, refunded, canceled');
		expect(store.requests).toEqual([]);
	});
});
