/**
 * The Magento 1 / OpenMage SOAP emulator over HTTP (startSandbox): every seed example (V1, V2, WS-I), every
 * fault code with its semantics, sessions, multiCall, namespaces, WSDLs and the core's faults.
 *
 * Requests are built here with fast-xml-parser's builder and read back with its parser, independently of the
 * emulator's own encoder and decoder, so a symmetric bug on both sides cannot hide.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

import { startSandbox, type Sandbox } from '../../sandbox';
import { createMagentoSoapEmulator } from '../../sandbox/providers/magentoSoap';

// ---------------------------------------------------------------- request building (PHP SoapClient's wire format)

interface Node {
	name: string;
	attrs?: Record<string, string>;
	children?: Node[];
	text?: string;
}
type Val = (name: string) => Node;

const S = (value: string): Val => (name) => ({ name, attrs: { 'xsi:type': 'xsd:string' }, text: value });
const I = (value: number): Val => (name) => ({ name, attrs: { 'xsi:type': 'xsd:int' }, text: String(value) });
const F = (value: number): Val => (name) => ({ name, attrs: { 'xsi:type': 'xsd:float' }, text: String(value) });
const B = (value: boolean): Val => (name) => ({ name, attrs: { 'xsi:type': 'xsd:boolean' }, text: value ? 'true' : 'false' });
const NIL: Val = (name) => ({ name, attrs: { 'xsi:nil': 'true' } });
/** A PHP associative array: apache Map. Numeric keys go as xsd:int, like ext/soap. */
const MAP =
	(entries: Array<[string | number, Val]>): Val =>
	(name) => ({
		name,
		attrs: { 'xsi:type': 'ns2:Map' },
		children: entries.map(([key, value]) => ({ name: 'item', children: [typeof key === 'number' ? I(key)('key') : S(key)('key'), value('value')] })),
	});
/** A PHP list: SOAP-ENC:Array. */
const LIST =
	(items: Val[]): Val =>
	(name) => ({
		name,
		attrs: { 'xsi:type': 'SOAP-ENC:Array', 'SOAP-ENC:arrayType': `xsd:ur-type[${items.length}]` },
		children: items.map((item) => item('item')),
	});
/** A plain element (WS-I literal, or a V2 struct member without xsi:type). */
const E = (name: string, content: string | Node[]): Node => (typeof content === 'string' ? { name, text: content } : { name, children: content });
/** A V2 typed struct. */
const STRUCT =
	(type: string, members: Node[]): Val =>
	(name) => ({ name, attrs: { 'xsi:type': `ns1:${type}` }, children: members });

const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', suppressEmptyNode: true });

function ordered(node: Node): Record<string, unknown> {
	const content: unknown[] = [];
	if (node.text !== undefined) content.push({ '#text': node.text });
	for (const child of node.children ?? []) content.push(ordered(child));
	return node.attrs ? { [node.name]: content, ':@': node.attrs } : { [node.name]: content };
}

function envelope(operation: Node, namespace = 'urn:OpenMage'): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build([
		ordered({
			name: 'SOAP-ENV:Envelope',
			attrs: {
				'xmlns:SOAP-ENV': 'http://schemas.xmlsoap.org/soap/envelope/',
				'xmlns:ns1': namespace,
				'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
				'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
				'xmlns:ns2': 'http://xml.apache.org/xml-soap',
				'xmlns:SOAP-ENC': 'http://schemas.xmlsoap.org/soap/encoding/',
				'SOAP-ENV:encodingStyle': 'http://schemas.xmlsoap.org/soap/encoding/',
			},
			children: [{ name: 'SOAP-ENV:Body', children: [operation] }],
		}),
	])}`;
}

/** An rpc operation with positional parameters. */
const rpc = (operation: string, params: Node[]): Node => ({ name: `ns1:${operation}`, children: params });

// ---------------------------------------------------------------- response reading

const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	removeNSPrefix: true,
	parseTagValue: false,
	trimValues: false,
	isArray: (name) => name === 'item' || name === 'complexObjectArray',
});

type Json = null | string | number | boolean | Json[] | { [key: string]: Json };

function text(node: unknown): string {
	if (typeof node === 'string') return node;
	if (node && typeof node === 'object' && '#text' in node) return String((node as Record<string, unknown>)['#text']);
	return '';
}

/** SOAP-encoded value -> JSON, by xsi:type (V1: Map, Array, scalars; V2: typed structs and arrays). */
function decode(node: unknown): Json {
	if (node === undefined) return null;
	if (typeof node === 'string') return node;
	const element = node as Record<string, unknown>;
	if (element['@_nil'] === 'true') return null;
	const type = String(element['@_type'] ?? '');
	const items = (element.item ?? []) as unknown[];
	if (type.endsWith(':Map')) {
		return Object.fromEntries(items.map((item) => [text((item as Record<string, unknown>).key), decode((item as Record<string, unknown>).value)]));
	}
	if (element['@_arrayType'] !== undefined) return items.map(decode);
	if (type === 'xsd:boolean') return text(element) === 'true';
	if (type === 'xsd:int') return Number(text(element));
	if ('#text' in element || Object.keys(element).every((key) => key.startsWith('@_'))) return text(element);
	const result: Record<string, Json> = {};
	for (const [key, value] of Object.entries(element)) if (!key.startsWith('@_')) result[key] = decode(value);
	return result;
}

/** WS-I literal value -> JSON (arrays are complexObjectArray lists). */
function literal(node: unknown): Json {
	if (node === undefined) return null;
	if (typeof node === 'string') return node;
	const element = node as Record<string, unknown>;
	if (Array.isArray(element.complexObjectArray)) return element.complexObjectArray.map(literal);
	if ('#text' in element) return text(element);
	const result: Record<string, Json> = {};
	for (const [key, value] of Object.entries(element)) if (!key.startsWith('@_')) result[key] = literal(value);
	return result;
}

interface SoapResult {
	status: number;
	contentType: string;
	raw: string;
	fault?: { code: string; message: string };
	/** The operation's response element's single child, decoded. */
	value: Json;
	body: Record<string, unknown>;
}

// ---------------------------------------------------------------- the sandbox

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, emulators: [createMagentoSoapEmulator] });
});

afterAll(async () => {
	await sandbox.stop();
});

beforeEach(() => {
	sandbox.reset();
});

const STORE = '/magento-soap';
const LEGACY = '/magento-soap-legacy';
const WSI = '/magento-soap-wsi';

async function post(prefix: string, path: string, xml: string, mode: 'encoded' | 'literal' = 'encoded'): Promise<SoapResult> {
	const response = await fetch(`${sandbox.url}${prefix}${path}`, { method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"urn:Action"' }, body: xml });
	const raw = await response.text();
	const document = parser.parse(raw) as Record<string, Record<string, Record<string, unknown>>>;
	const body = document.Envelope?.Body ?? {};
	const faultNode = body.Fault as Record<string, unknown> | undefined;
	const responseElement = Object.values(body)[0] as Record<string, unknown> | undefined;
	const child = responseElement && !faultNode ? Object.entries(responseElement).find(([key]) => !key.startsWith('@_'))?.[1] : undefined;
	return {
		status: response.status,
		contentType: response.headers.get('content-type') ?? '',
		raw,
		fault: faultNode ? { code: text(faultNode.faultcode), message: text(faultNode.faultstring) } : undefined,
		value: mode === 'literal' ? literal(child) : decode(child),
		body,
	};
}

const v1 = (prefix: string, operation: Node, namespace?: string) => post(prefix, '/api/soap/', envelope(operation, namespace));
const v2 = (prefix: string, operation: Node, namespace?: string) => post(prefix, '/api/v2_soap/', envelope(operation, namespace));
const wsi = (operation: Node) => post(WSI, '/api/v2_soap/', envelope(operation), 'literal');

async function login(prefix = STORE, namespace?: string, endpoint: 'v1' | 'v2' = 'v1'): Promise<string> {
	const request = rpc('login', [S('n8n')('username'), S('magento-soap-key')('apiKey')]);
	const result = endpoint === 'v1' ? await v1(prefix, request, namespace) : await v2(prefix, request, namespace);
	expect(result.status).toBe(200);
	expect(result.value).toMatch(/^[0-9a-f]{32}$/);
	return result.value as string;
}

const call = (session: string, path: string, args?: Val, prefix = STORE) =>
	v1(prefix, rpc('call', [S(session)('sessionId'), S(path)('resourcePath'), ...(args ? [args('args')] : [NIL('args')])]));

function expectFault(result: SoapResult, code: string, message: string | RegExp): void {
	expect(result.status).toBe(500);
	expect(result.contentType).toContain('text/xml');
	expect(result.fault?.code).toBe(code);
	if (typeof message === 'string') expect(result.fault?.message).toBe(message);
	else expect(result.fault?.message).toMatch(message);
}

/** The seed's V1 create: ['qtys' => ['712' => 1], 'shipping_amount' => 3, 'adjustment_positive' => 0.7, 'adjustment_negative' => 0.06]. */
const seedCreditmemoData = MAP([
	['qtys', MAP([[712, I(1)]])],
	['shipping_amount', I(3)],
	['adjustment_positive', F(0.7)],
	['adjustment_negative', F(0.06)],
]);

// ---------------------------------------------------------------- WSDLs

describe('WSDLs', () => {
	async function wsdl(prefix: string, path: string) {
		const response = await fetch(`${sandbox.url}${prefix}${path}`);
		const raw = await response.text();
		const definitions = (parser.parse(raw) as Record<string, Record<string, unknown>>).definitions;
		return { status: response.status, contentType: response.headers.get('content-type') ?? '', raw, definitions };
	}
	const operations = (definitions: Record<string, unknown>) =>
		((definitions.portType as Record<string, unknown>).operation as Array<Record<string, string>>).map((operation) => operation['@_name']);
	const address = (definitions: Record<string, unknown>) =>
		(((definitions.service as Record<string, unknown>).port as Record<string, unknown>).address as Record<string, string>)['@_location'];

	it('serves the V1 WSDL at /api/soap/?wsdl and /api/?wsdl with urn:OpenMage and the store address', async () => {
		for (const path of ['/api/soap/?wsdl', '/api/?wsdl', '/index.php/api/soap/?wsdl']) {
			const { status, contentType, definitions } = await wsdl(STORE, path);
			expect(status).toBe(200);
			expect(contentType).toContain('text/xml');
			expect(definitions['@_targetNamespace']).toBe('urn:OpenMage');
			expect(operations(definitions)).toEqual(['call', 'multiCall', 'endSession', 'login', 'startSession', 'resources', 'globalFaults', 'resourceFaults']);
			expect(address(definitions)).toBe(`${sandbox.url}${STORE}/api/soap/index/`);
			expect((definitions.portType as Record<string, string>)['@_name']).toBe('Mage_Api_Model_Server_HandlerPortType');
		}
	});

	it('serves the merged Api + Sales V2 WSDL at /api/v2_soap/?wsdl=1 (and /index/wsdl/1), rpc/encoded', async () => {
		for (const path of ['/api/v2_soap/?wsdl=1', '/api/v2_soap/index/wsdl/1']) {
			const { status, raw, definitions } = await wsdl(STORE, path);
			expect(status).toBe(200);
			const names = operations(definitions);
			for (const name of ['login', 'endSession', 'salesOrderCreditmemoList', 'salesOrderCreditmemoInfo', 'salesOrderCreditmemoCreate', 'salesOrderCreditmemoAddComment', 'salesOrderCreditmemoCancel']) {
				expect(names).toContain(name);
			}
			expect((definitions.binding as Record<string, Record<string, string>>).binding['@_style']).toBe('rpc');
			expect(address(definitions)).toBe(`${sandbox.url}${STORE}/api/v2_soap/index/`);
			expect(raw).toContain('name="salesOrderCreditmemoData"');
			expect(raw).not.toContain('{{var');
		}
	});

	it('the legacy store serves urn:Magento (Magento CE 1.9 templates) and MagentoService', async () => {
		const { definitions, raw } = await wsdl(LEGACY, '/api/v2_soap/?wsdl=1');
		expect(definitions['@_targetNamespace']).toBe('urn:Magento');
		expect(definitions['@_name']).toBe('Magento');
		expect((definitions.service as Record<string, string>)['@_name']).toBe('MagentoService');
		expect(raw).not.toContain('OpenMage');
	});

	it('the WS-I store serves the document/literal WSDL on its V2 endpoint (V1 stays rpc)', async () => {
		const { definitions, raw } = await wsdl(WSI, '/api/v2_soap/?wsdl=1');
		expect((definitions.binding as Record<string, Record<string, string>>).binding['@_style']).toBe('document');
		expect(raw).toContain('name="salesOrderCreditmemoCreateRequestParam"');
		expect((definitions.portType as Record<string, string>)['@_name']).toBe('Mage_Api_Model_Server_Wsi_HandlerPortType');
		const v1Wsdl = await wsdl(WSI, '/api/soap/?wsdl');
		expect((v1Wsdl.definitions.binding as Record<string, Record<string, string>>).binding['@_style']).toBe('rpc');
	});
});

// ---------------------------------------------------------------- V1: sessions

describe('SOAP V1 sessions', () => {
	it('login returns a 32-hex session ID; wrong credentials are fault 2; missing ones fault 6', async () => {
		await login();
		expectFault(await v1(STORE, rpc('login', [S('n8n')('username'), S('wrong')('apiKey')])), '2', 'Access denied.');
		expectFault(await v1(STORE, rpc('login', [S('n8n')('username'), S('')('apiKey')])), '6', 'Required parameter is missing, for more details see "exception.log".');
	});

	it('a session expires 3600 s after login on the sandbox clock (fault 5), and a new login works', async () => {
		const session = await login();
		sandbox.clock.advance(3599_000);
		expect((await call(session, 'order_creditmemo.info', S('100000684'))).status).toBe(200);
		sandbox.clock.advance(2_000);
		expectFault(await call(session, 'order_creditmemo.info', S('100000684')), '5', 'Session expired. Try to relogin.');
		const again = await login();
		expect(again).not.toBe(session);
		expect((await call(again, 'order_creditmemo.info', S('100000684'))).status).toBe(200);
	});

	it('endSession returns true and ends the session; unknown and startSession IDs are fault 5', async () => {
		const session = await login();
		const ended = await v1(STORE, rpc('endSession', [S(session)('sessionId')]));
		expect(ended.status).toBe(200);
		expect(ended.value).toBe(true);
		expectFault(await call(session, 'order_creditmemo.info', S('100000684')), '5', 'Session expired. Try to relogin.');
		expectFault(await call('0123456789abcdef0123456789abcdef', 'order_creditmemo.info', S('100000684')), '5', 'Session expired. Try to relogin.');
		const started = await v1(STORE, rpc('startSession', []));
		expect(started.value).toMatch(/^[0-9a-f]{32}$/);
		expectFault(await call(started.value as string, 'order_creditmemo.info', S('100000684')), '5', 'Session expired. Try to relogin.');
	});

	it('expireSessions() (the core fault) invalidates every session', async () => {
		const session = await login();
		sandbox.expireSessions('magentoSoap');
		expectFault(await call(session, 'order_creditmemo.list'), '5', 'Session expired. Try to relogin.');
	});

	it('globalFaults and resourceFaults list the official fault tables', async () => {
		const session = await login();
		const global = await v1(STORE, rpc('globalFaults', [S(session)('sessionId')]));
		expect(global.value).toContainEqual({ code: '5', message: 'Session expired. Try to relogin.' });
		const resource = await v1(STORE, rpc('resourceFaults', [S('order_creditmemo')('resourceName'), S(session)('sessionId')]));
		expect((resource.value as Json[]).map((fault) => (fault as Record<string, string>).code)).toEqual(['100', '101', '102', '103', '104', '105', '106']);
	});
});

// ---------------------------------------------------------------- V1: the seed's examples

describe('SOAP V1 seed examples', () => {
	it('create with the seed map form, addComment, info and list round-trip', async () => {
		const session = await login();
		const created = await call(session, 'order_creditmemo.create', LIST([S('100000683'), seedCreditmemoData]));
		expect(created.status).toBe(200);
		expect(created.raw).toContain('xsi:type="xsd:string"');
		const incrementId = created.value as string;
		expect(incrementId).toBe('100000685');

		const commented = await call(session, 'order_creditmemo.addComment', LIST([S(incrementId), S('Credit memo comment successfully added'), B(true)]));
		expect(commented.value).toBe(true);

		const info = await call(session, 'order_creditmemo.info', LIST([S(incrementId)]));
		expect(info.raw).toContain('xmlns:ns2="http://xml.apache.org/xml-soap"');
		expect(info.raw).toContain('xsi:type="ns2:Map"');
		const memo = info.value as Record<string, Json>;
		expect(memo).toMatchObject({
			increment_id: incrementId,
			order_increment_id: '100000683',
			order_id: '683',
			state: '2',
			subtotal: '25.0000',
			shipping_amount: '3.0000',
			adjustment_positive: '0.7000',
			adjustment_negative: '0.0600',
			adjustment: '0.6400',
			grand_total: '28.6400',
			base_grand_total: '28.6400',
			order_currency_code: 'USD',
			creditmemo_id: '1002',
			invoice_id: null,
		});
		expect(memo.items).toEqual([expect.objectContaining({ order_item_id: '712', qty: '1.0000', price: '25.0000', row_total: '25.0000', sku: 'TEE-CLASSIC-M', name: 'Classic Tee', parent_id: '1002' })]);
		expect(memo.comments).toEqual([
			expect.objectContaining({ comment: 'Credit memo comment successfully added', is_customer_notified: '1', is_visible_on_front: '0', parent_id: '1002' }),
		]);

		// The seed's list filter: increment_id in 100000617..100000619 or >= the new memo (a text column, so the
		// other store's 200000001 sorts after 100000685 and matches too, as in MySQL).
		const filter = MAP([
			['increment_id', MAP([['or', LIST([MAP([['from', S('100000617')], ['to', S('100000619')]]), MAP([['from', S(incrementId)], ['to', NIL]])])]])],
		]);
		const list = await call(session, 'order_creditmemo.list', LIST([filter]));
		expect(list.raw).toContain('SOAP-ENC:arrayType="ns2:Map[5]"');
		expect((list.value as Array<Record<string, Json>>).map((row) => row.increment_id)).toEqual(['100000617', '100000618', '100000619', '200000001', incrementId]);
		expect((list.value as Array<Record<string, Json>>)[4]).not.toHaveProperty('items');

		const ledger = sandbox.ledger('magentoSoap');
		expect(ledger).toHaveLength(1);
		expect(ledger[0]).toMatchObject({ creditMemoId: incrementId, source: '100000683', totalAmount: 28.64, operation: 'createCreditMemo' });
		// The session ID is a credential: the ledger keeps the request without it.
		expect(ledger[0].request.body).toContain('<sessionId xsi:type="xsd:string">[redacted]</sessionId>');
		expect(ledger[0].request.body).not.toContain(session);
		expect(ledger[0].request.body).toContain('order_creditmemo.create');
	});

	it('info of the seed memo 100000684 returns its items and comments as documented', async () => {
		const session = await login();
		const info = await call(session, 'order_creditmemo.info', LIST([S('100000684')]));
		const memo = info.value as Record<string, Json>;
		expect(memo).toMatchObject({ increment_id: '100000684', order_id: '744', order_increment_id: '100000744', grand_total: '90.0000', subtotal: '75.0000', shipping_amount: '15.0000', state: '2', created_at: '2011-05-27 10:53:03', billing_address_id: '1489', creditmemo_id: '684' });
		expect((memo.items as Array<Record<string, Json>>).map((item) => [item.item_id, item.order_item_id, item.qty, item.row_total, item.sku])).toEqual([
			['708', '775', '1.0000', '55.0000', 'test_product_sku'],
			['709', '776', '2.0000', '20.0000', 'test_product_sku_2'],
		]);
		expect((memo.comments as Array<Record<string, Json>>).map((comment) => [comment.comment_id, comment.comment])).toEqual([
			['118', 'Test CreditMemo successfully created'],
			['119', 'Test CreditMemo comment successfully added'],
		]);
	});

	it('info with args as a plain string (the seed passes "200000001" without an array)', async () => {
		const session = await login();
		const info = await call(session, 'order_creditmemo.info', S('200000001'));
		expect((info.value as Record<string, Json>).increment_id).toBe('200000001');
	});

	it('create with args "200000010" alone refunds everything refundable (qtys empty = all, shipping included)', async () => {
		const session = await login();
		const created = await call(session, 'order_creditmemo.create', S('200000010'));
		expect(created.value).toBe('200000002');
		const info = (await call(session, 'order_creditmemo.info', S('200000002'))).value as Record<string, Json>;
		expect(info).toMatchObject({ grand_total: '94.5000', subtotal: '89.5000', shipping_amount: '5.0000', store_id: '2' });
		expectFault(await call(session, 'order_creditmemo.create', S('200000010')), '106', 'Credit memo for requested order can not be created.');
	});

	it('qtys in the list form [{order_item_id, qty}] work too, and over-refunding an item is fault 1 with Magento\'s message', async () => {
		const session = await login();
		const data = MAP([['qtys', LIST([MAP([['order_item_id', I(712)], ['qty', I(2)]])])], ['shipping_amount', I(0)]]);
		const created = await call(session, 'order_creditmemo.create', LIST([S('100000683'), data]));
		expect(created.status).toBe(200);
		const info = (await call(session, 'order_creditmemo.info', S(created.value as string))).value as Record<string, Json>;
		expect(info.grand_total).toBe('50.0000');
		const tooMany = MAP([['qtys', MAP([[712, I(2)]])], ['shipping_amount', I(0)]]);
		expectFault(await call(session, 'order_creditmemo.create', LIST([S('100000683'), tooMany])), '1', 'Invalid qty to refund item "Classic Tee"');
		expect(sandbox.ledger('magentoSoap')).toHaveLength(1);
	});

	it('cancel: an open memo (the seed\'s 100000637) cancels and gives its quantity back; API-created (refunded) memos get fault 104', async () => {
		const session = await login();
		const canceled = await call(session, 'order_creditmemo.cancel', LIST([S('100000637')]));
		expect(canceled.value).toBe(true);
		expect(((await call(session, 'order_creditmemo.info', S('100000637'))).value as Record<string, Json>).state).toBe('3');
		expectFault(await call(session, 'order_creditmemo.cancel', LIST([S('100000637')])), '104', 'Credit memo cannot be canceled.');
		// The lamp can be refunded again now: 45.00 + the order's 7.00 shipping.
		const created = await call(session, 'order_creditmemo.create', LIST([S('100000690')]));
		expect(((await call(session, 'order_creditmemo.info', S(created.value as string))).value as Record<string, Json>).grand_total).toBe('52.0000');
		expectFault(await call(session, 'order_creditmemo.cancel', LIST([S(created.value as string)])), '104', 'Credit memo cannot be canceled.');
		expectFault(await call(session, 'order_creditmemo.cancel', LIST([S('100000684')])), '104', 'Credit memo cannot be canceled.');
	});
});

// ---------------------------------------------------------------- V1: list filters

describe('SOAP V1 list filters', () => {
	const ids = (result: SoapResult) => (result.value as Array<Record<string, Json>>).map((row) => row.increment_id);

	it('the seed\'s order_id and increment_id "or" ranges', async () => {
		const session = await login();
		const filter = MAP([
			['order_id', MAP([['or', LIST([MAP([['from', S('673')], ['to', S('674')]]), MAP([['from', S('677')], ['to', NIL]])])]])],
			['increment_id', MAP([['or', LIST([MAP([['from', S('100000617')], ['to', S('100000619')]]), MAP([['from', S('100000619')], ['to', NIL]])])]])],
		]);
		expect(ids(await call(session, 'order_creditmemo.list', LIST([filter])))).toEqual(['100000617', '100000618', '100000619', '100000620', '100000637', '100000684', '200000001']);
	});

	it('no filter lists everything; state, order_id, creditmemo_id, created_at ranges and in/like conditions', async () => {
		const session = await login();
		expect(ids(await call(session, 'order_creditmemo.list'))).toHaveLength(7);
		expect(ids(await call(session, 'order_creditmemo.list', LIST([MAP([['state', S('1')]])])))).toEqual(['100000637']);
		expect(ids(await call(session, 'order_creditmemo.list', LIST([MAP([['order_id', S('674')]])])))).toEqual(['100000618', '100000619']);
		expect(ids(await call(session, 'order_creditmemo.list', LIST([MAP([['creditmemo_id', MAP([['in', LIST([S('617'), S('684')])]])]])])))).toEqual(['100000617', '100000684']);
		const range = MAP([['created_at', MAP([['from', S('2024-01-01')], ['to', S('2024-02-28 23:59:59')]])]]);
		expect(ids(await call(session, 'order_creditmemo.list', LIST([range])))).toEqual(['100000637', '200000001']);
		expect(ids(await call(session, 'order_creditmemo.list', LIST([MAP([['increment_id', MAP([['like', S('2%')]])]])])))).toEqual(['200000001']);
	});

	it('a filter on an unknown column is fault 101 with the database\'s message', async () => {
		const session = await login();
		expectFault(await call(session, 'order_creditmemo.list', LIST([MAP([['status', S('refunded')]])])), '101', "SQLSTATE[42S22]: Column not found: 1054 Unknown column 'status' in 'where clause'");
	});
});

// ---------------------------------------------------------------- V1: faults

describe('SOAP V1 faults', () => {
	let session: string;
	beforeEach(async () => {
		session = await login();
	});

	it('100 unknown credit memo (info, addComment, cancel)', async () => {
		for (const method of ['info', 'addComment', 'cancel']) {
			const args = method === 'addComment' ? LIST([S('999999999'), S('text')]) : LIST([S('999999999')]);
			expectFault(await call(session, `order_creditmemo.${method}`, args), '100', 'Requested credit memo does not exist');
		}
	});

	it('102 invalid data: unknown creditmemoData field, qtys keyed by SKU, an item of another order, a comment that is not text', async () => {
		const create = (data: Val) => call(session, 'order_creditmemo.create', LIST([S('100000683'), data]));
		expectFault(await create(MAP([['adjustment_postive', F(1)]])), '102', 'Unknown creditmemoData field "adjustment_postive"; expected qtys, shipping_amount, adjustment_positive, adjustment_negative.');
		expectFault(await create(MAP([['qtys', MAP([['TEE-CLASSIC-M', I(1)]])]])), '102', 'qtys must be keyed by order_item_id (an integer), got "TEE-CLASSIC-M".');
		expectFault(await create(MAP([['qtys', MAP([[775, I(1)]])]])), '102', 'Order item 775 does not belong to order 100000683.');
		expectFault(await create(MAP([['shipping_amount', S('three')]])), '102', 'shipping_amount must be a number, got "three".');
		expectFault(await call(session, 'order_creditmemo.addComment', LIST([S('100000684'), MAP([['text', S('x')]])])), '102', 'The comment must be text.');
		expect(sandbox.ledger('magentoSoap')).toHaveLength(0);
	});

	it('103 unknown order, 105 store credit for a guest order, 106 orders that cannot be refunded', async () => {
		expectFault(await call(session, 'order_creditmemo.create', LIST([S('999999999')])), '103', 'Requested order does not exist');
		expectFault(
			await call(session, 'order_creditmemo.create', LIST([S('100000701'), NIL, NIL, I(0), I(0), S('5')])),
			'105',
			'Money can not be refunded to the store credit account as order was created by guest',
		);
		for (const order of ['100000702', '100000703', '100000707', '100000744']) {
			expectFault(await call(session, 'order_creditmemo.create', LIST([S(order)])), '106', 'Credit memo for requested order can not be created.');
		}
	});

	it('more money than is left to refund, or more shipping, is fault 1 with Magento\'s own text', async () => {
		const big = MAP([['qtys', MAP([[712, I(1)]])], ['adjustment_positive', I(80)]]);
		expectFault(await call(session, 'order_creditmemo.create', LIST([S('100000683'), big])), '1', 'Maximum amount available to refund is <span class="price">$100.00</span>');
		const shipping = MAP([['qtys', MAP([[712, I(1)]])], ['shipping_amount', F(10.5)]]);
		expectFault(await call(session, 'order_creditmemo.create', LIST([S('100000683'), shipping])), '1', 'Maximum shipping amount allowed to refund is: $10.00');
	});

	it('3 invalid api path, 4 a Magento resource the sandbox does not emulate, 2 ACL', async () => {
		expectFault(await call(session, 'order_creditmemo'), '3', 'Invalid api path.');
		expectFault(await call(session, 'order_creditmemo.delete', LIST([S('100000684')])), '3', 'Invalid api path.');
		expectFault(await call(session, 'sales_order.list', LIST([])), '4', 'Resource path is not callable.');
		const readonly = (await v1(STORE, rpc('login', [S('n8n-readonly')('username'), S('magento-soap-readonly')('apiKey')]))).value as string;
		expect((await call(readonly, 'order_creditmemo.info', S('100000684'))).status).toBe(200);
		expectFault(await call(readonly, 'order_creditmemo.create', LIST([S('100000683')])), '2', 'Access denied.');
	});

	it('args as a string-keyed Map: PHP 8 binds named arguments, so only the parameter names work', async () => {
		expectFault(await call(session, 'order_creditmemo.create', MAP([['qtys', MAP([[712, I(1)]])]])), 'SOAP-ENV:Server', 'Unknown named parameter $qtys');
		const named = await call(session, 'order_creditmemo.create', MAP([['orderIncrementId', S('100000683')], ['creditmemoData', seedCreditmemoData]]));
		expect(named.value).toBe('100000685');
		expectFault(await call(session, 'order_creditmemo.info', LIST([])), 'SOAP-ENV:Server', 'Too few arguments to function Mage_Sales_Model_Order_Creditmemo_Api::info(), 0 passed and exactly 1 expected');
	});

	it('creditmemoData sent as a SOAP struct instead of an apache Map fails as PHP fails', async () => {
		const struct: Val = (name) => ({ name, attrs: { 'xsi:type': 'SOAP-ENC:Struct' }, children: [I(3)('shipping_amount')] });
		expectFault(await call(session, 'order_creditmemo.create', LIST([S('100000683'), struct])), 'SOAP-ENV:Server', 'Cannot use object of type stdClass as array');
	});
});

// ---------------------------------------------------------------- V1: multiCall

describe('SOAP V1 multiCall', () => {
	const batch = (session: string, calls: Val[], options: Val = NIL) => v1(STORE, rpc('multiCall', [S(session)('sessionId'), LIST(calls)('calls'), options('options')]));

	it('returns one result per call with failures in band as {isFault, faultCode, faultMessage}', async () => {
		const session = await login();
		const result = await batch(session, [
			LIST([S('order_creditmemo.create'), LIST([S('100000683'), seedCreditmemoData])]),
			LIST([S('order_creditmemo.info'), LIST([S('999999999')])]),
			LIST([S('order_creditmemo.create'), LIST([S('100000683'), MAP([['qtys', MAP([[712, I(5)]])]])])]),
			LIST([S('order_creditmemo.info'), LIST([S('100000684')])]),
		]);
		expect(result.status).toBe(200);
		const values = result.value as Json[];
		expect(values).toHaveLength(4);
		expect(values[0]).toBe('100000685');
		expect(values[1]).toEqual({ isFault: true, faultCode: '100', faultMessage: 'Requested credit memo does not exist' });
		// A plain Exception inside multiCall loses its text (Handler_Abstract::multiCall uses the default message).
		expect(values[2]).toEqual({ isFault: true, faultCode: '1', faultMessage: 'Internal Error. Please see log for details.' });
		expect((values[3] as Record<string, Json>).increment_id).toBe('100000684');
		expect(sandbox.ledger('magentoSoap').map((entry) => entry.creditMemoId)).toEqual(['100000685']);
	});

	it('options.break = 1 stops at the first failure', async () => {
		const session = await login();
		const result = await batch(
			session,
			[LIST([S('order_creditmemo.info'), LIST([S('100000684')])]), LIST([S('order_creditmemo.nope'), LIST([])]), LIST([S('order_creditmemo.create'), LIST([S('100000683')])])],
			MAP([['break', I(1)]]),
		);
		expect(result.value).toEqual([expect.objectContaining({ increment_id: '100000684' }), { isFault: true, faultCode: '3', faultMessage: 'Invalid api path.' }]);
		expect(sandbox.ledger('magentoSoap')).toHaveLength(0);
	});

	it('an expired session fails the whole multiCall with fault 5', async () => {
		expectFault(await batch('0123456789abcdef0123456789abcdef', [LIST([S('order_creditmemo.list')])]), '5', 'Session expired. Try to relogin.');
	});
});

// ---------------------------------------------------------------- namespaces and envelopes

describe('namespaces and envelopes', () => {
	it('a urn:Magento request to the OpenMage store (and the reverse) is refused like ext/soap does', async () => {
		const request = rpc('login', [S('n8n')('username'), S('magento-soap-key')('apiKey')]);
		expectFault(await v1(STORE, request, 'urn:Magento'), 'SOAP-ENV:Server', "Procedure 'login' not present");
		expectFault(await v2(LEGACY, request, 'urn:OpenMage'), 'SOAP-ENV:Server', "Procedure 'login' not present");
	});

	it('the legacy store works end to end in urn:Magento and answers in it', async () => {
		const session = await login(LEGACY, 'urn:Magento');
		// `call` builds urn:OpenMage envelopes, which the legacy store refuses.
		expectFault(await call(session, 'order_creditmemo.create', LIST([S('100000683'), seedCreditmemoData]), LEGACY), 'SOAP-ENV:Server', "Procedure 'call' not present");
		const legacyCall = await v1(LEGACY, rpc('call', [S(session)('sessionId'), S('order_creditmemo.create')('resourcePath'), LIST([S('100000683'), seedCreditmemoData])('args')]), 'urn:Magento');
		expect(legacyCall.value).toBe('100000685');
		expect(legacyCall.raw).toContain('xmlns:ns1="urn:Magento"');
	});

	it('broken envelopes get ext/soap\'s faults', async () => {
		const raw = async (body: string) => post(STORE, '/api/soap/', body);
		expectFault(await raw('<not-xml'), 'SOAP-ENV:Client', 'Bad Request');
		expectFault(await raw(''), 'SOAP-ENV:Client', 'Bad Request');
		expectFault(await raw('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'), 'SOAP-ENV:Server', 'DTD are not supported by SOAP');
		expectFault(await raw('<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header/></e:Envelope>'), 'SOAP-ENV:Client', 'Body header not found');
		expectFault(await raw('<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>'), 'SOAP-ENV:VersionMismatch', 'Wrong Version');
		expectFault(await v1(STORE, rpc('nonsense', [])), 'SOAP-ENV:Server', "Procedure 'nonsense' not present");
	});

	it('parameters bind by part name when any name matches (a missing one is null), else by position', async () => {
		expectFault(await v1(STORE, rpc('login', [S('n8n')('username')])), '6', 'Required parameter is missing, for more details see "exception.log".');
		const positional = await v1(STORE, rpc('login', [S('n8n')('param0'), S('magento-soap-key')('param1')]));
		expect(positional.value).toMatch(/^[0-9a-f]{32}$/);
		expectFault(await v1(STORE, rpc('login', [S('n8n')('param0'), S('magento-soap-key')('param1'), S('x')('param2')])), 'SOAP-ENV:Client', 'Error cannot find parameter');
		// `call` without args (by name) passes null: info(null) finds nothing; list(null) lists everything.
		const session = positional.value as string;
		const info = await v1(STORE, rpc('call', [S(session)('sessionId'), S('order_creditmemo.info')('resourcePath')]));
		expectFault(info, '100', 'Requested credit memo does not exist');
		const list = await v1(STORE, rpc('call', [S(session)('sessionId'), S('order_creditmemo.list')('resourcePath')]));
		expect(list.value).toHaveLength(7);
	});

	it('text is escaped on the way out: a comment with markup round-trips exactly', async () => {
		const session = await login();
		const comment = 'Refund <b>approved</b> & "sent" — café';
		const created = await call(session, 'order_creditmemo.create', LIST([S('100000683'), seedCreditmemoData, S(comment)]));
		const info = (await call(session, 'order_creditmemo.info', S(created.value as string))).value as Record<string, Json>;
		expect((info.comments as Array<Record<string, Json>>)[0].comment).toBe(comment);
		expect(sandbox.ledger('magentoSoap')[0].reference).toBe(comment);
	});
});

// ---------------------------------------------------------------- V2 (rpc/encoded)

describe('SOAP V2', () => {
	const creditmemoData = (members: Node[]) => STRUCT('salesOrderCreditmemoData', members)('creditmemoData');
	const qty = (orderItemId: number, quantity: number): Node => ({
		name: 'item',
		attrs: { 'xsi:type': 'ns1:orderItemIdQty' },
		children: [I(orderItemId)('order_item_id'), { name: 'qty', attrs: { 'xsi:type': 'xsd:double' }, text: String(quantity) }],
	});
	const qtys = (entries: Node[]): Node => ({ name: 'qtys', attrs: { 'xsi:type': 'ns1:orderItemIdQtyArray', 'SOAP-ENC:arrayType': `ns1:orderItemIdQty[${entries.length}]` }, children: entries });
	const create = (session: string, order: string, data: Node | undefined, comment?: string) =>
		v2(STORE, rpc('salesOrderCreditmemoCreate', [S(session)('sessionId'), S(order)('orderIncrementId'), data ?? NIL('creditmemoData'), comment ? S(comment)('comment') : NIL('comment'), NIL('notifyCustomer'), NIL('includeComment'), NIL('refundToStoreCreditAmount')]));

	it('the seed examples: info, create, addComment, list (with a string filter), complex filter', async () => {
		const session = await login(STORE, undefined, 'v2');
		const info = await v2(STORE, rpc('salesOrderCreditmemoInfo', [S(session)('sessionId'), S('200000001')('creditmemoIncrementId')]));
		expect(info.raw).toContain('xsi:type="ns1:salesOrderCreditmemoEntity"');
		expect(info.value).toMatchObject({ increment_id: '200000001', grand_total: '18.0000', state: '2', email_sent: '1' });
		expect((info.value as Record<string, Json>).items).toEqual([expect.objectContaining({ order_item_id: '31', qty: '1.0000', sku: 'MUG-TRAVEL' })]);
		expect(info.value).not.toHaveProperty('order_increment_id');

		const created = await create(session, '200000010', undefined);
		expect(created.value).toBe('200000002');

		const commented = await v2(STORE, rpc('salesOrderCreditmemoAddComment', [S(session)('sessionId'), S('200000001')('creditmemoIncrementId'), NIL('comment'), NIL('notifyCustomer'), NIL('includeComment')]));
		expect(commented.raw).toContain('<result xsi:type="xsd:boolean">true</result>');

		const all = await v2(STORE, rpc('salesOrderCreditmemoList', [S(session)('sessionId'), S('200000001')('filters')]));
		expect(all.raw).toContain('SOAP-ENC:arrayType="ns1:salesOrderCreditmemoEntity[8]"');

		const complexFilter = STRUCT('filters', [
			{
				name: 'complex_filter',
				attrs: { 'xsi:type': 'ns1:complexFilterArray', 'SOAP-ENC:arrayType': 'ns1:complexFilter[1]' },
				children: [{ name: 'item', attrs: { 'xsi:type': 'ns1:complexFilter' }, children: [S('state')('key'), STRUCT('associativeEntity', [S('in')('key'), S('2,3')('value')])('value')] }],
			},
		]);
		const byState = await v2(STORE, rpc('salesOrderCreditmemoList', [S(session)('sessionId'), complexFilter('filters')]));
		expect((byState.value as Array<Record<string, Json>>).map((row) => row.state).sort()).toEqual(['2', '2', '2', '2', '2', '2', '3']);

		const simpleFilter = STRUCT('filters', [
			{ name: 'filter', attrs: { 'xsi:type': 'ns1:associativeArray', 'SOAP-ENC:arrayType': 'ns1:associativeEntity[1]' }, children: [STRUCT('associativeEntity', [S('order_id')('key'), S('805')('value')])('item')] },
		]);
		const byOrder = await v2(STORE, rpc('salesOrderCreditmemoList', [S(session)('sessionId'), simpleFilter('filters')]));
		expect((byOrder.value as Array<Record<string, Json>>).map((row) => row.increment_id)).toEqual(['200000001']);
	});

	it('create with typed creditmemoData (qtys objects, amounts) and a comment; info shows it', async () => {
		const session = await login(STORE, undefined, 'v2');
		const data = creditmemoData([qtys([qty(3, 1)]), { name: 'shipping_amount', attrs: { 'xsi:type': 'xsd:double' }, text: '2.5' }, { name: 'adjustment_negative', attrs: { 'xsi:type': 'xsd:double' }, text: '1' }]);
		const created = await create(session, '200000010', data, 'Returned wallet');
		expect(created.value).toBe('200000002');
		const info = await v2(STORE, rpc('salesOrderCreditmemoInfo', [S(session)('sessionId'), S('200000002')('creditmemoIncrementId')]));
		expect(info.value).toMatchObject({ grand_total: '41.5000', subtotal: '40.0000', shipping_amount: '2.5000', adjustment_negative: '1.0000' });
		expect(((info.value as Record<string, Json>).comments as Array<Record<string, Json>>)[0].comment).toBe('Returned wallet');
	});

	it('cancel of a refunded memo is 104; of the open one succeeds', async () => {
		const session = await login(STORE, undefined, 'v2');
		expectFault(await v2(STORE, rpc('salesOrderCreditmemoCancel', [S(session)('sessionId'), S('200000001')('creditmemoIncrementId')])), '104', 'Credit memo cannot be canceled.');
		const canceled = await v2(STORE, rpc('salesOrderCreditmemoCancel', [S(session)('sessionId'), S('100000637')('creditmemoIncrementId')]));
		expect(canceled.raw).toContain('<result xsi:type="xsd:boolean">true</result>');
	});

	it('strict decoding: an element the WSDL does not declare, or text in a double, is a Client fault', async () => {
		const session = await login(STORE, undefined, 'v2');
		const typo = creditmemoData([{ name: 'adjustment_postive', attrs: { 'xsi:type': 'xsd:double' }, text: '1' }]);
		expectFault(await create(session, '200000010', typo), 'SOAP-ENV:Client', "SOAP-ERROR: Encoding: Violation of encoding rules (unknown element 'adjustment_postive' in salesOrderCreditmemoData)");
		const text = creditmemoData([qtys([{ name: 'item', children: [I(3)('order_item_id'), { name: 'qty', attrs: { 'xsi:type': 'xsd:double' }, text: 'one' }] }])]);
		expectFault(await create(session, '200000010', text), 'SOAP-ENV:Client', 'SOAP-ERROR: Encoding: Violation of encoding rules');
		expect(sandbox.ledger('magentoSoap')).toHaveLength(0);
	});

	it('V2 faults carry the same codes: 103, 5', async () => {
		const session = await login(STORE, undefined, 'v2');
		expectFault(await create(session, '999999999', undefined), '103', 'Requested order does not exist');
		expectFault(await create('0123456789abcdef0123456789abcdef', '200000010', undefined), '5', 'Session expired. Try to relogin.');
	});
});

// ---------------------------------------------------------------- WS-I (document/literal)

describe('SOAP V2 in WS-I compliance mode', () => {
	async function wsiLogin(): Promise<string> {
		const result = await wsi({ name: 'ns1:loginParam', children: [E('username', 'n8n'), E('apiKey', 'magento-soap-key')] });
		expect(result.status).toBe(200);
		expect(result.value).toMatch(/^[0-9a-f]{32}$/);
		return result.value as string;
	}
	const param = (operation: string, members: Node[]): Node => ({ name: `ns1:${operation}RequestParam`, children: members });

	it('the seed examples round-trip: login object, create (with orderIncrementId, as the WSDL says), addComment, info, list, cancel', async () => {
		const session = await wsiLogin();
		// The seed writes creditmemoIncrementId => '200000010'; the official WSDL (wsi.xml) names it orderIncrementId.
		const created = await wsi(
			param('salesOrderCreditmemoCreate', [
				E('sessionId', session),
				E('orderIncrementId', '200000010'),
				E('creditmemoData', [E('qtys', [E('complexObjectArray', [E('order_item_id', '3'), E('qty', '1')])]), E('adjustment_positive', '0')]),
				E('comment', 'comment for credit memo'),
				E('includeComment', '1'),
				E('refundToStoreCreditAmount', '1'),
			]),
		);
		expect(created.raw).toContain('<ns1:salesOrderCreditmemoCreateResponseParam><result>200000002</result>');
		expect(created.value).toBe('200000002');

		const commented = await wsi(param('salesOrderCreditmemoAddComment', [E('sessionId', session), E('creditmemoIncrementId', '200000002'), E('comment', 'credit memo comment'), E('notifyCustomer', '1'), E('includeComment', '1')]));
		expect(commented.value).toBe('1');

		const info = await wsi(param('salesOrderCreditmemoInfo', [E('sessionId', session), E('creditmemoIncrementId', '200000002')]));
		expect(info.raw).not.toContain('xsi:type');
		expect(info.value).toMatchObject({ increment_id: '200000002', grand_total: '45.0000', shipping_amount: '5.0000' });
		expect((info.value as Record<string, Json>).comments).toEqual([
			expect.objectContaining({ comment: 'comment for credit memo', is_customer_notified: '0' }),
			expect.objectContaining({ comment: 'credit memo comment', is_customer_notified: '1' }),
		]);

		const list = await wsi(param('salesOrderCreditmemoList', [E('sessionId', session)]));
		expect((list.value as Json[]).length).toBe(8);
		const filtered = await wsi(
			param('salesOrderCreditmemoList', [
				E('sessionId', session),
				E('filters', [E('filter', [E('complexObjectArray', [E('key', 'increment_id'), E('value', '200000002')])])]),
			]),
		);
		expect((filtered.value as Array<Record<string, Json>>).map((row) => row.increment_id)).toEqual(['200000002']);

		const canceled = await wsi(param('salesOrderCreditmemoCancel', [E('sessionId', session), E('creditmemoIncrementId', '100000637')]));
		expect(canceled.value).toBe('1');
		const refused = await wsi(param('salesOrderCreditmemoCancel', [E('sessionId', session), E('creditmemoIncrementId', '200000002')]));
		expectFault(refused, '104', 'Credit memo cannot be canceled.');

		const ended = await wsi({ name: 'ns1:endSessionParam', children: [E('sessionId', session)] });
		expect(ended.value).toBe('true');
		expectFault(await wsi(param('salesOrderCreditmemoInfo', [E('sessionId', session), E('creditmemoIncrementId', '200000002')])), '5', 'Session expired. Try to relogin.');
	});

	it('the seed\'s create as written (creditmemoIncrementId instead of orderIncrementId) is fault 6, as on a real store', async () => {
		const session = await wsiLogin();
		const result = await wsi(param('salesOrderCreditmemoCreate', [E('sessionId', session), E('creditmemoIncrementId', '200000010')]));
		expectFault(result, '6', 'Required parameter is missing, for more details see "exception.log".');
		expect(sandbox.ledger('magentoSoap')).toHaveLength(0);
	});

	it('an undeclared element beside the required ones is refused; rpc requests are not understood', async () => {
		const session = await wsiLogin();
		const typo = await wsi(param('salesOrderCreditmemoCreate', [E('sessionId', session), E('orderIncrementId', '200000010'), E('notifyCustomr', '1')]));
		expectFault(typo, 'SOAP-ENV:Client', "SOAP-ERROR: Encoding: Violation of encoding rules (unknown element 'notifyCustomr' in salesOrderCreditmemoCreateRequestParam)");
		expectFault(await wsi(rpc('login', [S('n8n')('username'), S('magento-soap-key')('apiKey')])), 'SOAP-ENV:Server', "Procedure 'login' not present");
	});
});

// ---------------------------------------------------------------- sales_order.info (the order the node refunds)

describe('sales_order.info (V1, V2, WS-I)', () => {
	it('V1 (and the alias order.info) returns the order with its entity ID (order_id), totals and items', async () => {
		const session = await login();
		const info = await call(session, 'sales_order.info', LIST([S('100000683')]));
		expect(info.status).toBe(200);
		expect(info.raw).toContain('xsi:type="ns2:Map"');
		expect(info.value).toMatchObject({
			increment_id: '100000683',
			order_id: '683',
			base_currency_code: 'USD',
			base_total_paid: '100.0000',
			base_total_refunded: '0.0000',
			base_shipping_amount: '10.0000',
			base_grand_total: '100.0000',
		});
		expect((info.value as Record<string, Json>).items).toEqual([
			expect.objectContaining({ item_id: '712', product_type: 'simple', qty_invoiced: '3.0000', qty_refunded: '0.0000', base_row_invoiced: '75.0000', is_qty_decimal: '0' }),
			expect.objectContaining({ item_id: '713', qty_invoiced: '1.0000', base_row_invoiced: '15.0000' }),
		]);
		expect((await call(session, 'order.info', S('100000683'))).value).toMatchObject({ order_id: '683' });
	});

	it('what a memo refunds shows on the order afterwards (refunded quantities and totals)', async () => {
		const session = await login();
		await call(session, 'order_creditmemo.create', LIST([S('100000683'), MAP([['qtys', MAP([[712, I(1)]])], ['shipping_amount', I(0)]])]));
		const info = await call(session, 'sales_order.info', LIST([S('100000683')]));
		expect(info.value).toMatchObject({ base_total_refunded: '25.0000' });
		expect((info.value as Record<string, Json>).items).toEqual([
			expect.objectContaining({ item_id: '712', qty_refunded: '1.0000', base_amount_refunded: '25.0000' }),
			expect.objectContaining({ item_id: '713', qty_refunded: '0.0000' }),
		]);
	});

	it('V2 salesOrderInfo returns only the salesOrderEntity fields the WSDL declares', async () => {
		const session = await login(STORE, undefined, 'v2');
		const info = await v2(STORE, rpc('salesOrderInfo', [S(session)('sessionId'), S('100000706')('orderIncrementId')]));
		expect(info.raw).toContain('xsi:type="ns1:salesOrderEntity"');
		expect(info.value).toMatchObject({ order_id: '706', base_tax_amount: '20.9600', base_shipping_amount: '12.0000' });
		expect(info.value).not.toHaveProperty('base_shipping_refunded');
		expect((info.value as Record<string, Json>).items).toEqual([
			expect.objectContaining({ item_id: '734', base_tax_invoiced: '16.5000', base_discount_amount: '20.0000' }),
			expect.objectContaining({ item_id: '735', base_tax_invoiced: '4.4600' }),
		]);
	});

	it('WS-I salesOrderInfoRequestParam works in the literal style', async () => {
		const session = (await wsi({ name: 'ns1:loginParam', children: [E('username', 'n8n'), E('apiKey', 'magento-soap-key')] })).value as string;
		const info = await wsi({ name: 'ns1:salesOrderInfoRequestParam', children: [E('sessionId', session), E('orderIncrementId', '100000704')] });
		expect(info.raw).toContain('<ns1:salesOrderInfoResponseParam><result>');
		expect(info.value).toMatchObject({ order_id: '704', increment_id: '100000704' });
		expect((info.value as Record<string, Json>).items).toEqual([expect.objectContaining({ item_id: '733', is_qty_decimal: '1', qty_invoiced: '12.5000' })]);
	});

	it('an unknown order is sales_order\'s fault 100; a user without sales/order/info gets 2', async () => {
		const session = await login();
		expectFault(await call(session, 'sales_order.info', LIST([S('999999999')])), '100', 'Requested order not exists.');
		const v2Session = await login(STORE, undefined, 'v2');
		expectFault(await v2(STORE, rpc('salesOrderInfo', [S(v2Session)('sessionId'), S('999999999')('orderIncrementId')])), '100', 'Requested order not exists.');
		const readonly = (await v1(STORE, rpc('login', [S('n8n-readonly')('username'), S('magento-soap-readonly')('apiKey')]))).value as string;
		expectFault(await call(readonly, 'sales_order.info', LIST([S('100000683')])), '2', 'Access denied.');
		const resource = await v1(STORE, rpc('resourceFaults', [S('order')('resourceName'), S(session)('sessionId')]));
		expect((resource.value as Json[]).map((fault) => (fault as Record<string, string>).code)).toEqual(['100', '101', '102', '103']);
	});

	it('in a multiCall, order info and credit-memo calls answer side by side', async () => {
		const session = await login();
		const result = await v1(STORE, rpc('multiCall', [S(session)('sessionId'), LIST([LIST([S('sales_order.info'), LIST([S('100000683')])]), LIST([S('sales_order.info'), LIST([S('1')])])])('calls'), NIL('options')]));
		const [order, missing] = result.value as Array<Record<string, Json>>;
		expect(order).toMatchObject({ order_id: '683' });
		expect(missing).toEqual({ isFault: true, faultCode: '100', faultMessage: 'Requested order not exists.' });
	});
});

// ---------------------------------------------------------------- the core's faults, rendered by this emulator

describe('core faults', () => {
	it('rate limits, 5xx and maintenance are web-server pages, not SOAP faults', async () => {
		sandbox.setFaults([{ provider: 'magentoSoap', kind: 'rateLimited', retryAfterSeconds: 2, count: 1 }]);
		const limited = await fetch(`${sandbox.url}${STORE}/api/soap/`, { method: 'POST', body: envelope(rpc('startSession', [])) });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('2');
		expect(limited.headers.get('content-type')).toContain('text/html');
		sandbox.setFaults([{ provider: 'magentoSoap', kind: 'serverError', status: 502, count: 1 }, { provider: 'magentoSoap', kind: 'unavailable', count: 1 }]);
		expect((await fetch(`${sandbox.url}${STORE}/api/soap/`, { method: 'POST', body: envelope(rpc('startSession', [])) })).status).toBe(502);
		const maintenance = await fetch(`${sandbox.url}${STORE}/api/soap/`, { method: 'POST', body: envelope(rpc('startSession', [])) });
		expect(maintenance.status).toBe(503);
		expect(await maintenance.text()).toContain('Service Temporarily Unavailable');
	});

	it('expiredSession makes the next call fault 5; dropAfterCommit keeps the memo and drops the answer', async () => {
		const session = await login();
		sandbox.setFaults([{ provider: 'magentoSoap', operation: 'getCreditMemo', kind: 'expiredSession', count: 1 }]);
		expectFault(await call(session, 'order_creditmemo.info', S('100000684')), '5', 'Session expired. Try to relogin.');

		const again = await login();
		sandbox.setFaults([{ provider: 'magentoSoap', operation: 'createCreditMemo', kind: 'dropAfterCommit', count: 1 }]);
		await expect(call(again, 'order_creditmemo.create', LIST([S('100000683'), seedCreditmemoData]))).rejects.toThrow();
		expect(sandbox.ledger('magentoSoap')).toEqual([expect.objectContaining({ creditMemoId: '100000685', responseDropped: true })]);
		const list = await call(again, 'order_creditmemo.list', LIST([MAP([['order_id', S('683')]])]));
		expect((list.value as Array<Record<string, Json>>).map((row) => row.increment_id)).toEqual(['100000685']);
	});

	it('operations are named for fault rules: a rule on createCreditMemo matches V1 call, multiCall is its own', async () => {
		const session = await login();
		sandbox.setFaults([{ provider: 'magentoSoap', operation: 'createCreditMemo', kind: 'serverError', status: 500 }]);
		expect((await call(session, 'order_creditmemo.create', LIST([S('100000683')]))).status).toBe(500);
		expect((await call(session, 'order_creditmemo.info', S('100000684'))).status).toBe(200);
		expect(sandbox.faults()[0].fired).toBe(1);
	});
});
