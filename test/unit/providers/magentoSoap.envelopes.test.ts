import { XMLParser } from 'fast-xml-parser';
import fc from 'fast-check';

import { ProviderError } from '../../../nodes/shared/errors';
import { callEnvelope, decode, loginEnvelope, readAnswer, readFault, readWsdl } from '../../../nodes/shared/providers/magentoSoap/envelopes';
import { classify, faultError, faultOf, toError } from '../../../nodes/shared/providers/magentoSoap/errors';
import type { ApiStyle, SoapCall, SoapSettings } from '../../../nodes/shared/providers/magentoSoap/types';
import { parseXml } from '../../../nodes/shared/providers/magentoSoap/xml';
import { fixture } from '../../nodes/magentoSoap.store';

const STYLES: ApiStyle[] = ['v1', 'v2', 'wsi'];
const settings = (style: ApiStyle, namespace = 'urn:OpenMage'): SoapSettings => ({ style, endpoint: 'https://shop.example.com/api/v2_soap/', namespace });
const valueOf = (body: string) => {
	const answer = readAnswer(body);
	if (!('value' in answer)) throw new Error(`no value: ${JSON.stringify(answer)}`);
	return answer.value;
};

/** Reads envelopes with fast-xml-parser directly: an independent check of what the node's builder wrote. */
const independent = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false, trimValues: false, htmlEntities: true });

describe('Magento SOAP answers (recorded from the sandbox\'s emulator)', () => {
	it.each(STYLES)('%s: the login answers the session ID; an empty list is an empty list', (style) => {
		expect(valueOf(fixture(style, 'login'))).toBe('a1b2c3d4e5f60718293a4b5c6d7e8f90');
		const empty = valueOf(fixture(style, 'list-683-empty'));
		expect(Array.isArray(empty) ? empty : [empty].filter(Boolean)).toEqual([]);
	});

	it('the three styles decode the same order and credit memo', () => {
		const [v1, v2, wsi] = STYLES.map((style) => valueOf(fixture(style, 'info-685')) as Record<string, unknown>);
		for (const memo of [v1, v2, wsi]) {
			expect(memo).toMatchObject({ increment_id: '100000685', order_id: '683', base_grand_total: '25.0000', state: '2' });
			expect((memo.comments as Array<Record<string, unknown>>)[0].comment).toBe('Returned tee\n[ref:RET-1 #9b739f93]');
			expect((memo.items as Array<Record<string, unknown>>)[0]).toMatchObject({ order_item_id: '712', qty: '1.0000' });
		}
		const orders = STYLES.map((style) => valueOf(fixture(style, 'order-683')) as Record<string, unknown>);
		for (const order of orders) {
			expect(order).toMatchObject({ order_id: '683', base_total_paid: '100.0000', base_currency_code: 'USD' });
			expect((order.items as Array<Record<string, unknown>>).map((item) => item.item_id)).toEqual(['712', '713']);
		}
		// V1 answers every attribute; V2 and WS-I only what salesOrderEntity declares.
		expect(orders[0]).toHaveProperty('base_shipping_refunded');
		expect(orders[1]).not.toHaveProperty('base_shipping_refunded');
	});

	it('booleans: V1 and V2 xsd:boolean, WS-I its xsd:int as text', () => {
		expect(valueOf(fixture('v1', 'add-comment'))).toBe(true);
		expect(valueOf(fixture('v2', 'add-comment'))).toBe(true);
		expect(valueOf(fixture('wsi', 'add-comment'))).toBe('1');
	});

	it('reads SOAP 1.1 faults (Magento\'s numeric code) and SOAP 1.2 ones', () => {
		expect(readFault(fixture('v2', 'create-fault-1'))).toEqual({ code: '1', message: 'Invalid qty to refund item "Classic Tee"' });
		const soap12 = [
			'<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>',
			'<env:Code><env:Value>5</env:Value></env:Code><env:Reason><env:Text>Session expired. Try to relogin.</env:Text></env:Reason>',
			'</env:Fault></env:Body></env:Envelope>',
		].join('');
		expect(readAnswer(soap12)).toEqual({ fault: { code: '5', message: 'Session expired. Try to relogin.' } });
		expect(readFault(fixture('v2', 'login'))).toBeUndefined();
	});

	it.each([
		['an HTML error page', '<html><body><h1>502 Bad Gateway</h1></body></html>', 'it is not a SOAP envelope'],
		['a document type declaration', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>', 'it contains a DTD, which SOAP does not allow'],
		['broken XML', '<SOAP-ENV:Envelope><SOAP-ENV:Body></SOAP-ENV:Envelope>', expect.stringMatching(/^it is not well-formed XML/)],
		['nothing', '', 'it is empty'],
		['JSON', { error: 'x' }, 'it is empty'],
	])('%s is not an answer', (_label, body, problem) => {
		expect(readAnswer(body)).toEqual({ problem });
		expect(readFault(body)).toBeUndefined();
	});

	it('reads the namespace and the WS-I switch from the recorded WSDLs', () => {
		expect(readWsdl(fixture('v1', 'wsdl'))).toEqual({ namespace: 'urn:OpenMage', bodyUse: 'encoded' });
		expect(readWsdl(fixture('v2', 'wsdl-legacy'))).toEqual({ namespace: 'urn:Magento', bodyUse: 'encoded' });
		expect(readWsdl(fixture('wsi', 'wsdl'))).toEqual({ namespace: 'urn:OpenMage', bodyUse: 'literal' });
		expect(() => readWsdl('<html/>')).toThrow('it is not a WSDL');
	});

	it('decodes apache Maps, SOAP-ENC arrays, nil and WS-I lists', () => {
		const element = parseXml(
			[
				'<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:m="http://xml.apache.org/xml-soap" xsi:type="enc:Array" enc:arrayType="m:Map[2]">',
				'<item xsi:type="m:Map"><item><key>a</key><value xsi:nil="true"/></item><item><key>b</key><value>x &amp; y</value></item></item>',
				'<item><list><complexObjectArray>1</complexObjectArray><complexObjectArray>2</complexObjectArray></list></item>',
				'</r>',
			].join(''),
		);
		expect(decode(element)).toEqual([{ a: null, b: 'x & y' }, { list: ['1', '2'] }]);
	});
});

describe('Magento SOAP envelopes', () => {
	it('every value is escaped and comes back unchanged, in all three styles (property)', () => {
		const text = fc.string({ unit: 'binary', maxLength: 60 }).filter((value) => isXmlChars(value));
		fc.assert(
			fc.property(text, text, fc.constantFrom(...STYLES), (user, comment, style) => {
				const call: SoapCall = { path: 'x.y', operation: 'xY', params: [{ name: 'comment', value: { kind: 'string', value: comment } }] };
				for (const body of [loginEnvelope(settings(style), user, comment), callEnvelope(settings(style), call, user)]) {
					const parsed = independent.parse(body) as { Envelope: { Body: Record<string, Record<string, unknown>> } };
					const operation = Object.values(parsed.Envelope.Body)[0];
					const texts = JSON.stringify(operation);
					expect(parseXml(body).local).toBe('Envelope');
					expect(texts).toContain(JSON.stringify(comment.replace(/\r\n?/g, '\n')).slice(1, -1));
				}
			}),
		);
	});

	it('the namespace comes from the settings (urn:Magento for Magento CE 1.x)', () => {
		expect(loginEnvelope(settings('v2', 'urn:Magento'), 'n8n', 'k')).toContain('xmlns:ns1="urn:Magento"');
		expect(loginEnvelope(settings('wsi'), 'n8n', 'k')).toContain('<ns1:loginParam><username>n8n</username><apiKey>k</apiKey></ns1:loginParam>');
	});
});

describe('Magento SOAP faults as errors', () => {
	const create = { path: 'sales_order_creditmemo.create', subject: { kind: 'order' as const, id: '100000683' }, write: true };
	const read = { path: 'sales_order_creditmemo.info', subject: { kind: 'creditMemo' as const, id: '100000685' }, write: false };

	it.each([
		['1', 'Invalid qty to refund item "Tee"', 'Magento refused the request: Invalid qty to refund item "Tee"', create, 'unknown'],
		['1', 'boom', 'Magento refused the request: boom', read, 'failed'],
		['102', 'Cannot save', 'Magento refused the data: Cannot save', create, 'unknown'],
		['103', 'Requested order does not exist', 'Order 100000683 does not exist', create, 'failed'],
		['105', 'guest', 'This order was placed by a guest, so nothing can be refunded to store credit', create, 'failed'],
		['106', 'Credit memo for requested order can not be created.', 'Magento cannot create a credit memo for order 100000683', create, 'failed'],
		['100', 'Requested credit memo does not exist', 'Credit memo 100000685 does not exist', read, 'failed'],
		['100', 'Requested order not exists.', 'Order 9 does not exist', { path: 'sales_order.info', subject: { kind: 'order' as const, id: '9' }, write: false }, 'failed'],
		['2', 'Access denied.', 'The API user may not call sales_order_creditmemo.info', read, 'failed'],
		['2', 'Access denied.', 'Magento refused the API user or API key', { path: 'login', write: false }, 'failed'],
		['6', 'Required parameter is missing', 'Magento says a required parameter of sales_order_creditmemo.info is missing', read, 'failed'],
		['SOAP-ENV:Client', 'Bad Request', 'The store\'s SOAP server refused sales_order_creditmemo.info: Bad Request', read, 'failed'],
	])('fault %s (%s) -> %s', (code, message, expected, context, outcome) => {
		const error = faultError({ code, message }, context, 500);
		expect(error).toBeInstanceOf(ProviderError);
		expect(error).toMatchObject({ message: expected, code, outcome, httpStatus: 500, retryable: false, provider: 'magentoSoap' });
		expect(faultOf(error)).toEqual({ code, message });
	});

	it('an unknown outcome says what to check; after a create it also says the reference makes the node check', () => {
		expect(faultError({ code: '102', message: 'x' }, create).hint).toContain('check order 100000683\'s credit memos in the Magento admin before sending it again. With a Refund Reference');
		expect(faultError({ code: '102', message: 'x' }, { ...read, path: 'sales_order_creditmemo.addComment', write: true }).hint).not.toContain('Refund Reference');
	});

	it('a fault is never retried as it is; other answers get the shared status rules', () => {
		expect(classify({ statusCode: 500, headers: {}, body: fixture('v2', 'fault-5') })).toEqual({ retryable: false });
		expect(classify({ statusCode: 503, headers: {}, body: '<html>maintenance</html>' })).toBeUndefined();
		expect(toError({ statusCode: 503, headers: {}, body: '<html/>' })).toMatchObject({ message: 'The store answered HTTP 503 instead of SOAP', httpStatus: 503 });
	});
});

function isXmlChars(value: string): boolean {
	for (const char of value) {
		const code = char.codePointAt(0) as number;
		if (!(code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000)) return false;
	}
	return true;
}
