import type { ApiStyle, Decoded, DecodedObject, SoapCall, SoapFault, SoapSettings, SoapValue } from './types';
import type { XmlElement, XmlNode } from './xml';
import { NS, XmlError, attribute, buildXml, child, parseXml } from './xml';

/** What SoapClient sends as SOAPAction: the WSDLs' `urn:{{var wsdl.handler}}Action`, and "" for WS-I. */
const SOAP_ACTIONS: Record<ApiStyle, string> = {
	v1: '"urn:Mage_Api_Model_Server_HandlerAction"',
	v2: '"urn:Mage_Api_Model_Server_V2_HandlerAction"',
	wsi: '""',
};

export function soapHeaders(style: ApiStyle): Record<string, string> {
	return { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml', SOAPAction: SOAP_ACTIONS[style] };
}

const string = (value: string): SoapValue => ({ kind: 'string', value });

/** An envelope for `login(username, apiKey)`: the only request that carries the API key. */
export function loginEnvelope(settings: SoapSettings, apiUser: string, apiKey: string): string {
	return operationEnvelope(settings, 'login', [
		['username', string(apiUser)],
		['apiKey', string(apiKey)],
	]);
}

export function endSessionEnvelope(settings: SoapSettings, sessionId: string): string {
	return operationEnvelope(settings, 'endSession', [['sessionId', string(sessionId)]]);
}

/** One API call: V1 `call(sessionId, path, args)`, V2 `<operation>(sessionId, ...)`, WS-I `<operation>RequestParam`. */
export function callEnvelope(settings: SoapSettings, call: SoapCall, sessionId: string): string {
	if (settings.style === 'v1') {
		const args = call.v1Args ?? call.params.map((param) => param.value);
		return operationEnvelope(settings, 'call', [
			['sessionId', string(sessionId)],
			['resourcePath', string(call.path)],
			['args', untypedList(args)],
		]);
	}
	return operationEnvelope(settings, call.operation, [['sessionId', string(sessionId)], ...call.params.map((param): [string, SoapValue] => [param.name, param.value])]);
}

/** V1 `multiCall(sessionId, [[path, args], ...], options)`; failures come back in-band, one per call. */
export function multiCallEnvelope(settings: SoapSettings, calls: SoapCall[], sessionId: string): string {
	const entries = calls.map((call) => untypedList([string(call.path), untypedList(call.v1Args ?? call.params.map((param) => param.value))]));
	return operationEnvelope(settings, 'multiCall', [
		['sessionId', string(sessionId)],
		['calls', untypedList(entries)],
		// Without `break`, Magento runs every call whatever the others do: each memo stands on its own.
		['options', { kind: 'struct', fields: [] }],
	]);
}

/** A PHP list (positional): V1 `call` arguments must never be a map, or PHP 8 binds them by name. */
function untypedList(items: SoapValue[]): SoapValue {
	return { kind: 'array', type: 'SOAP-ENC:Array', itemType: 'xsd:ur-type', items };
}

function operationEnvelope(settings: SoapSettings, operation: string, parts: Array<[string, SoapValue]>): string {
	if (settings.style === 'wsi') {
		// Document/literal: the operation's request element, qualified; its children unqualified; absent values left out.
		return buildXml(
			envelope(settings, false, [
				{ name: `ns1:${operation}${operation === 'login' || operation === 'endSession' ? 'Param' : 'RequestParam'}`, children: parts.flatMap(([name, value]) => literal(name, value)) },
			]),
		);
	}
	return buildXml(envelope(settings, true, [{ name: `ns1:${operation}`, children: parts.map(([name, value]) => encoded(name, value, settings.style)) }]));
}

function envelope(settings: SoapSettings, isEncoded: boolean, body: XmlNode[]): XmlNode {
	const attributes: Record<string, string> = { 'xmlns:SOAP-ENV': NS.envelope, 'xmlns:ns1': settings.namespace };
	if (isEncoded) {
		Object.assign(attributes, {
			'xmlns:xsd': NS.xsd,
			'xmlns:xsi': NS.xsi,
			'xmlns:SOAP-ENC': NS.encoding,
			'xmlns:ns2': NS.apache,
			'SOAP-ENV:encodingStyle': NS.encoding,
		});
	}
	return { name: 'SOAP-ENV:Envelope', attributes, children: [{ name: 'SOAP-ENV:Body', children: body }] };
}

/** SOAP section-5 encoding: V2 with the WSDL's types, V1 as PHP's ext/soap writes untyped PHP values. */
function encoded(name: string, value: SoapValue, style: ApiStyle): XmlNode {
	switch (value.kind) {
		case 'string':
			return { name, attributes: { 'xsi:type': 'xsd:string' }, text: value.value };
		case 'int':
			return { name, attributes: { 'xsi:type': 'xsd:int' }, text: value.value };
		case 'double':
			return { name, attributes: { 'xsi:type': 'xsd:double' }, text: value.value };
		case 'nil':
			return { name, attributes: { 'xsi:nil': 'true' } };
		case 'struct':
			if (style === 'v2' && value.type) {
				return { name, attributes: { 'xsi:type': `ns1:${value.type}` }, children: value.fields.map(([field, member]) => encoded(field, member, style)) };
			}
			return {
				name,
				attributes: { 'xsi:type': 'ns2:Map' },
				children: value.fields.map(([key, member]) => ({ name: 'item', children: [encoded('key', string(key), style), encoded('value', member, style)] })),
			};
		case 'array': {
			const v2 = style === 'v2' && value.type !== 'SOAP-ENC:Array';
			return {
				name,
				attributes: {
					'xsi:type': v2 ? `ns1:${value.type}` : 'SOAP-ENC:Array',
					'SOAP-ENC:arrayType': `${v2 ? `ns1:${value.itemType}` : 'xsd:ur-type'}[${value.items.length}]`,
				},
				children: value.items.map((item) => encoded('item', item, style)),
			};
		}
	}
}

function literal(name: string, value: SoapValue): XmlNode[] {
	switch (value.kind) {
		case 'nil':
			return [];
		case 'struct':
			return [{ name, children: value.fields.flatMap(([field, member]) => literal(field, member)) }];
		case 'array':
			return [{ name, children: value.items.flatMap((item) => literal('complexObjectArray', item)) }];
		default:
			return [{ name, text: value.value }];
	}
}

/** An answer: the result, or a fault (with the HTTP status it came with). */
export type SoapAnswer = { value: Decoded } | { fault: SoapFault; httpStatus?: number };

/**
 * Reads a SOAP response body: the one result part of the operation's response, or the fault; or, when the body is
 * not a SOAP envelope at all, what is wrong with it.
 */
export function readAnswer(body: unknown): SoapAnswer | { problem: string } {
	const content = bodyContent(body);
	if (typeof content === 'string') return { problem: content };
	const fault = faultIn(content);
	if (fault) return { fault };
	// V1 `<callResponse><callReturn>`, V2 `<xResponse><result>`, WS-I `<xResponseParam><result>`: one part each.
	const part = content.children[0];
	return { value: part ? decode(part) : null };
}

/** The fault in a response body, if the body is a SOAP fault. */
export function readFault(body: unknown): SoapFault | undefined {
	const content = bodyContent(body);
	return typeof content === 'string' ? undefined : faultIn(content);
}

/** The element inside the SOAP Body, or what is wrong with the answer. */
function bodyContent(body: unknown): XmlElement | string {
	if (typeof body !== 'string' || body.trim() === '') return 'it is empty';
	let root: XmlElement;
	try {
		root = parseXml(body);
	} catch (error) {
		return (error as Error).message;
	}
	// Magento answers SOAP 1.1; a SOAP 1.2 envelope (seen in front of some stores) is read the same way.
	const soapBody = root.local === 'Envelope' && (root.namespace === NS.envelope || root.namespace === NS.envelope12) ? child(root, 'Body') : undefined;
	return soapBody?.children[0] ?? 'it is not a SOAP envelope';
}

/** SOAP 1.1 (faultcode/faultstring, Magento's code un-namespaced) and SOAP 1.2 (Code/Value, Reason/Text). */
function faultIn(content: XmlElement): SoapFault | undefined {
	if (content.local !== 'Fault') return undefined;
	const code = child(content, 'faultcode')?.text ?? child(child(content, 'Code') ?? content, 'Value')?.text ?? '';
	const message = child(content, 'faultstring')?.text ?? child(child(content, 'Reason') ?? content, 'Text')?.text ?? '';
	return { code: code.trim(), message: message.trim() };
}

/**
 * Decodes a result element of any of the three styles: apache Maps and V2 structs become objects, SOAP-ENC arrays
 * and WS-I `complexObjectArray` lists become arrays, xsd:boolean a boolean, nil null, everything else its text.
 */
export function decode(element: XmlElement): Decoded {
	const nil = attribute(element, NS.xsi, 'nil');
	if (nil === 'true' || nil === '1') return null;
	const typeName = attribute(element, NS.xsi, 'type');
	const type = typeName === undefined ? undefined : element.resolve(typeName);
	if (type?.namespace === NS.apache && type.local === 'Map') {
		const map: DecodedObject = {};
		for (const item of element.children) {
			const key = child(item, 'key');
			const value = child(item, 'value');
			if (key) map[key.text] = value ? decode(value) : null;
		}
		return map;
	}
	const isArray =
		(type?.namespace === NS.encoding && type.local === 'Array') ||
		attribute(element, NS.encoding, 'arrayType') !== undefined ||
		(element.children.length > 0 && element.children.every((item) => item.local === 'complexObjectArray'));
	if (isArray) return element.children.map(decode);
	if (element.children.length > 0) {
		const struct: DecodedObject = {};
		for (const member of element.children) struct[member.local] = decode(member);
		return struct;
	}
	if (type?.namespace === NS.xsd && type.local === 'boolean') return element.text.trim() === 'true' || element.text.trim() === '1';
	return element.text;
}

export interface WsdlFacts {
	namespace: string;
	/** `encoded` for V1/V2 (rpc), `literal` for WS-I (document). */
	bodyUse: string | undefined;
}

/** What the node needs from a store's WSDL: its target namespace, and whether it is a WS-I one. */
export function readWsdl(text: unknown): WsdlFacts {
	if (typeof text !== 'string') throw new XmlError('it is empty');
	const definitions = parseXml(text);
	const namespace = definitions.attributes.targetNamespace;
	if (definitions.local !== 'definitions' || !namespace) throw new XmlError('it is not a WSDL (no definitions with a targetNamespace)');
	const use = definitions.children
		.filter((element) => element.local === 'binding')
		.flatMap((binding) => binding.children.filter((operation) => operation.local === 'operation'))
		.flatMap((operation) => operation.children.flatMap((message) => message.children))
		.find((body) => body.local === 'body' && body.namespace === NS.wsdlSoap);
	return { namespace, bodyUse: use?.attributes.use };
}
