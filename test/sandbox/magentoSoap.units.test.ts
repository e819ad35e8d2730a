/**
 * Units of the Magento SOAP emulator that the HTTP tests reach only partly: Magento's filter conditions, PHP
 * argument binding, the ext/soap value encoding, and the store's refund arithmetic (tax, discount, decimal qty).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ApiFault, CreditmemoApi } from '../../sandbox/providers/magentoSoap/creditmemoApi';
import { decodeAny, encodeAny } from '../../sandbox/providers/magentoSoap/encoding';
import { FilterError, matchesAll, parseFilters, type ColumnInfo } from '../../sandbox/providers/magentoSoap/filters';
import { apiMethod, bindArguments, type ApiMethod } from '../../sandbox/providers/magentoSoap/handler';
import { PhpArray, PhpError, PhpObject, phpKey } from '../../sandbox/providers/magentoSoap/php';
import { MagentoStore, SalesException, type MagentoSoapFixture } from '../../sandbox/providers/magentoSoap/store';
import { buildXml, parseXml } from '../../sandbox/providers/magentoSoap/xml';

const fixture = (): MagentoSoapFixture => JSON.parse(readFileSync(join(__dirname, '../../sandbox/fixtures/magentoSoap.json'), 'utf8')) as MagentoSoapFixture;

describe('filters (Varien prepareSqlCondition)', () => {
	const info: ColumnInfo = { columns: new Set(['state', 'increment_id', 'order_id', 'created_at', 'transaction_id']), textColumns: new Set(['increment_id', 'transaction_id', 'created_at']), dateColumns: new Set(['created_at']) };
	const row = { state: '2', increment_id: '100000617', order_id: '673', created_at: '2011-05-20 09:00:00', transaction_id: null };
	const match = (filters: Record<string, unknown>) => matchesAll(row, parseFilters(toPhp(filters)), info);

	function toPhp(value: unknown): PhpArray | string | number | null {
		if (value === null || typeof value === 'string' || typeof value === 'number') return value;
		const array = new PhpArray();
		for (const [key, item] of Object.entries(value as Record<string, unknown>)) array.set(key, toPhp(item));
		return array;
	}

	it('scalar = eq; numeric columns compare as numbers, text columns as text', () => {
		expect(match({ state: '2' })).toBe(true);
		expect(match({ order_id: '673.0' })).toBe(true);
		expect(match({ increment_id: '100000617.0' })).toBe(false);
	});

	it('neq and like never match NULL; null/notnull do', () => {
		expect(match({ transaction_id: { neq: 'x' } })).toBe(false);
		expect(match({ transaction_id: { null: true } })).toBe(true);
		expect(match({ transaction_id: { notnull: true } })).toBe(false);
		expect(match({ increment_id: { like: '1000006\\_7' } })).toBe(false);
		expect(match({ increment_id: { like: '1000006_7' } })).toBe(true);
		expect(match({ increment_id: { nlike: '2%' } })).toBe(true);
	});

	it('in / nin / finset / gt / lteq / seq', () => {
		expect(match({ state: { in: { 0: '1', 1: '2' } } })).toBe(true);
		expect(match({ state: { nin: { 0: '2' } } })).toBe(false);
		expect(match({ state: { finset: '2' } })).toBe(true);
		expect(match({ order_id: { gt: '672' } })).toBe(true);
		expect(match({ order_id: { lteq: '672' } })).toBe(false);
		expect(match({ transaction_id: { seq: '' } })).toBe(true);
	});

	it('from/to on a date column reads a date as midnight; a null bound is ignored', () => {
		expect(match({ created_at: { from: '2011-05-20', to: '2011-05-20 23:59:59' } })).toBe(true);
		expect(match({ created_at: { from: '2011-05-21', to: null } })).toBe(false);
		expect(match({ created_at: { to: '2011-05-20' } })).toBe(false);
	});

	it('an unknown key is an OR group; an empty IN and a bad regexp are SQL errors', () => {
		expect(match({ order_id: { or: { 0: { from: '1', to: '2' }, 1: { eq: '673' } } } })).toBe(true);
		expect(() => match({ state: { in: {} } })).toThrow(FilterError);
		expect(() => match({ state: { regexp: '(' } })).toThrow(FilterError);
		expect(() => match({ nope: '1' })).toThrow("Unknown column 'nope'");
	});

	it('V2 objects: filter key/value pairs, complex filters, creditmemo_id -> entity_id', () => {
		const entity = (key: string, value: string) => PhpObject.of({ key, value });
		const filters = PhpObject.of({
			filter: PhpArray.list([entity('creditmemo_id', '617')]),
			complex_filter: PhpArray.list([PhpObject.of({ key: 'state', value: entity('in', '2,3') })]),
		});
		const parsed = parseFilters(filters);
		expect(parsed.map(([field]) => field)).toEqual(['entity_id', 'state']);
		expect((parsed[1][1] as PhpArray).get('in')).toEqual(PhpArray.list(['2', '3']));
	});
});

describe('PHP argument binding (call_user_func_array under PHP 8)', () => {
	const creditmemo = (name: string) => apiMethod(`sales_order_creditmemo.${name}`) as ApiMethod;

	it('positional lists, named maps, and PHP errors for the rest', () => {
		expect(bindArguments(creditmemo('info'), '100000684', false)).toEqual(['100000684']);
		expect(bindArguments(creditmemo('create'), PhpArray.list(['100000683']), false)).toEqual(['100000683', null, null, null, null, null]);
		expect(bindArguments(creditmemo('create'), PhpArray.assoc({ orderIncrementId: '1', comment: 'c' }), false)).toEqual(['1', null, 'c', null, null, null]);
		expect(() => bindArguments(creditmemo('create'), PhpArray.assoc({ order: '1' }), false)).toThrow(new PhpError('Unknown named parameter $order'));
		expect(() => bindArguments(creditmemo('addComment'), PhpArray.assoc({ creditmemoIncrementId: '1' }), true)).toThrow(
			'Mage_Sales_Model_Order_Creditmemo_Api_V2::addComment(): Argument #2 ($comment) not passed',
		);
		const mixed = new PhpArray();
		mixed.set('orderIncrementId', '1');
		mixed.set(5, 'x');
		expect(() => bindArguments(creditmemo('create'), mixed, false)).toThrow('Cannot use positional argument after named argument during unpacking');
		expect(() => bindArguments(creditmemo('create'), PhpArray.list([]), false)).toThrow('Too few arguments to function Mage_Sales_Model_Order_Creditmemo_Api::create(), 0 passed and at least 1 expected');
	});

	it('integer-like keys become integers, as PHP arrays do', () => {
		expect(phpKey('712')).toBe(712);
		expect(phpKey('0712')).toBe('0712');
		expect(phpKey('-3')).toBe(-3);
		expect(phpKey('1.5')).toBe('1.5');
	});
});

describe('ext/soap value encoding', () => {
	const roundTrip = (value: PhpArray) => {
		const xml = buildXml({
			name: 'r',
			attributes: { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema', 'xmlns:ns2': 'http://xml.apache.org/xml-soap', 'xmlns:SOAP-ENC': 'http://schemas.xmlsoap.org/soap/encoding/' },
			children: [encodeAny('v', value)],
		});
		return { xml, back: decodeAny(parseXml(xml).children[0]) };
	};

	it('maps stay maps (integer keys as xsd:int), lists stay lists with a common item type, nulls are nil', () => {
		const value = PhpArray.assoc({ qtys: PhpArray.assoc({ 712: 1 }), list: PhpArray.list(['a', 'b']), mixed: PhpArray.list(['a', 1]), none: null, flag: true });
		const { xml, back } = roundTrip(value);
		expect(xml).toContain('<key xsi:type="xsd:int">712</key>');
		expect(xml).toContain('SOAP-ENC:arrayType="xsd:string[2]"');
		expect(xml).toContain('SOAP-ENC:arrayType="xsd:ur-type[2]"');
		expect(xml).toContain('<value xsi:nil="true"/>');
		expect(xml).toContain('<value xsi:type="xsd:boolean">true</value>');
		expect(back).toEqual(value);
	});
});

describe('refund arithmetic (store)', () => {
	let store: MagentoStore;
	let api: CreditmemoApi;
	beforeEach(() => {
		store = new MagentoStore(fixture());
		api = new CreditmemoApi(store, { now: () => '2024-05-01 10:00:00', created: () => undefined });
	});

	it('a full refund takes each item\'s tax and discount share and the shipping: exactly what was paid', () => {
		const id = api.create('100000706', null, null, false, null, false);
		const memo = store.creditmemoByIncrementId(id);
		// 200.00 - 20.00 discount + 16.50 tax, 3 x 18.00 + 4.46 tax, 12.00 shipping.
		expect(memo).toMatchObject({ subtotal: 2_540_000, taxAmount: 209_600, discountAmount: 200_000, shippingAmount: 120_000, grandTotal: 2_669_600 });
		expect(() => api.create('100000706', null, null, false, null, false)).toThrow(new ApiFault('cannot_create_creditmemo'));
	});

	it('one of three coffee bags takes a third of the tax, rounded to cents', () => {
		const id = api.create('100000706', PhpArray.assoc({ qtys: PhpArray.assoc({ 735: 1 }), shipping_amount: 0 }), null, false, null, false);
		expect(store.creditmemoByIncrementId(id)).toMatchObject({ subtotal: 180_000, taxAmount: 14_900, grandTotal: 194_900 });
	});

	it('decimal quantities stay decimal on decimal items; others truncate (Creditmemo_Item::setQty)', () => {
		const rope = api.create('100000704', PhpArray.assoc({ qtys: PhpArray.assoc({ 733: '2.5' }), shipping_amount: 0 }), null, false, null, false);
		expect(store.creditmemoByIncrementId(rope)).toMatchObject({ subtotal: 60_000, grandTotal: 60_000 });
		const tee = api.create('100000683', PhpArray.assoc({ qtys: PhpArray.assoc({ 712: 1.9 }), shipping_amount: 0 }), null, false, null, false);
		expect(store.creditmemoByIncrementId(tee)?.items[0].qty).toBe(1);
	});

	it('refunding more than was paid is refused with the amount left, formatted as Magento does', () => {
		api.create('100000683', PhpArray.assoc({ qtys: PhpArray.assoc({ 712: 3 }) }), null, false, null, false);
		expect(() => api.create('100000683', PhpArray.assoc({ qtys: PhpArray.assoc({ 713: 1 }), adjustment_positive: 1 }), null, false, null, false)).toThrow(
			new SalesException('Maximum amount available to refund is <span class="price">$15.00</span>'),
		);
	});
});
