/**
 * SOAP 1.1 section-5 encoding as PHP's ext/soap speaks it for untyped (xsd:anyType) values, which is all of
 * SOAP V1: PHP associative arrays travel as apache `ns2:Map` (`<item><key/><value/></item>`), lists as
 * SOAP-ENC:Array, objects as SOAP-ENC:Struct; plus the envelope and the SOAP 1.1 fault.
 */
import { PhpArray, PhpObject, phpKey, type PhpValue } from './php';
import { NS, attributeNS, buildXml, resolveQName, type XmlElement, type XmlOut } from './xml';

/** What ext/soap reports when a value does not decode ("SOAP-ERROR: Encoding: ..."). */
export class SoapEncodingError extends Error {}

const INTEGER_TYPES = new Set(['int', 'integer', 'long', 'short', 'byte', 'unsignedInt', 'unsignedLong', 'unsignedShort', 'unsignedByte', 'nonNegativeInteger', 'positiveInteger']);
const FLOAT_TYPES = new Set(['float', 'double', 'decimal']);
const STRING_TYPES = new Set(['string', 'normalizedString', 'token', 'anyURI', 'dateTime', 'date', 'base64Binary']);

export function isNil(element: XmlElement): boolean {
	const nil = attributeNS(element, NS.xsi, 'nil');
	return nil === 'true' || nil === '1';
}

export function xsiType(element: XmlElement): { namespace: string | undefined; local: string } | undefined {
	const type = attributeNS(element, NS.xsi, 'type');
	return type === undefined ? undefined : resolveQName(element, type);
}

/** Decodes one xsd scalar the way ext/soap does, or throws on text that is not of the type. */
export function decodeXsdScalar(local: string, text: string): PhpValue {
	if (INTEGER_TYPES.has(local)) {
		const trimmed = text.trim();
		if (!/^[+-]?\d+$/.test(trimmed)) throw new SoapEncodingError('Violation of encoding rules');
		return Number(trimmed);
	}
	if (FLOAT_TYPES.has(local)) {
		const trimmed = text.trim();
		if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) throw new SoapEncodingError('Violation of encoding rules');
		return Number(trimmed);
	}
	if (local === 'boolean') {
		const trimmed = text.trim().toLowerCase();
		if (trimmed === 'true' || trimmed === '1') return true;
		if (trimmed === 'false' || trimmed === '0') return false;
		throw new SoapEncodingError('Violation of encoding rules');
	}
	return text;
}

/** An untyped (anyType) element: its xsi:type decides. */
export function decodeAny(element: XmlElement): PhpValue {
	if (isNil(element)) return null;
	if (element.attributes.href !== undefined) {
		throw new SoapEncodingError('Unresolved reference (multi-reference values are not supported by the sandbox)');
	}
	const type = xsiType(element);
	if (type?.namespace === NS.apache && type.local === 'Map') return decodeMap(element);
	if (type?.namespace === NS.encoding && type.local === 'Array') return PhpArray.list(element.children.map(decodeAny));
	if (type?.namespace === NS.encoding && type.local === 'Struct') return decodeStruct(element);
	if (type?.namespace === NS.xsd && (INTEGER_TYPES.has(type.local) || FLOAT_TYPES.has(type.local) || type.local === 'boolean' || STRING_TYPES.has(type.local))) {
		return decodeXsdScalar(type.local, element.text);
	}
	if (type?.namespace === NS.xsd && type.local === 'anyType') return element.children.length > 0 ? decodeStruct(element) : element.text;
	if (attributeNS(element, NS.encoding, 'arrayType') !== undefined) return PhpArray.list(element.children.map(decodeAny));
	return element.children.length > 0 ? decodeStruct(element) : element.text;
}

function decodeMap(element: XmlElement): PhpArray {
	const array = new PhpArray();
	for (const item of element.children) {
		const key = item.children.find((child) => child.local === 'key');
		const value = item.children.find((child) => child.local === 'value');
		if (!key) throw new SoapEncodingError("Can't decode apache map, missing key");
		const keyValue = decodeAny(key);
		if (keyValue === null || typeof keyValue === 'boolean' || typeof keyValue === 'object') {
			throw new SoapEncodingError("Can't decode apache map, only Strings or Longs are allowd as keys");
		}
		array.set(keyValue, value ? decodeAny(value) : null);
	}
	return array;
}

function decodeStruct(element: XmlElement): PhpObject {
	const object = new PhpObject();
	for (const child of element.children) object.props.set(child.local, decodeAny(child));
	return object;
}

/** The xsi:type ext/soap writes for a PHP value of unknown schema type. */
function anyTypeName(value: PhpValue): string {
	if (value === null) return 'xsd:anyType';
	if (typeof value === 'string') return 'xsd:string';
	if (typeof value === 'boolean') return 'xsd:boolean';
	if (typeof value === 'number') return Number.isInteger(value) ? 'xsd:int' : 'xsd:float';
	if (value instanceof PhpArray) return value.isList() ? 'SOAP-ENC:Array' : 'ns2:Map';
	return 'SOAP-ENC:Struct';
}

export function scalarText(value: string | number | boolean): string {
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	return String(value);
}

/** Encodes a PHP value as ext/soap does for xsd:anyType (SOAP V1 return values). */
export function encodeAny(name: string, value: PhpValue): XmlOut {
	if (value === null) return { name, attributes: { 'xsi:nil': 'true' } };
	if (value instanceof PhpArray) {
		if (value.isList()) {
			const items = value.values();
			const types = new Set(items.map(anyTypeName));
			const itemType = types.size === 1 && !types.has('xsd:anyType') ? [...types][0] : 'xsd:ur-type';
			return {
				name,
				attributes: { 'SOAP-ENC:arrayType': `${itemType}[${items.length}]`, 'xsi:type': 'SOAP-ENC:Array' },
				children: items.map((item) => encodeAny('item', item)),
			};
		}
		return {
			name,
			attributes: { 'xsi:type': 'ns2:Map' },
			children: [...value.entries].map(([key, item]) => ({
				name: 'item',
				children: [encodeAny('key', typeof key === 'number' ? key : String(key)), encodeAny('value', item)],
			})),
		};
	}
	if (value instanceof PhpObject) {
		return {
			name,
			attributes: { 'xsi:type': 'SOAP-ENC:Struct' },
			children: [...value.props].map(([key, item]) => encodeAny(key, item)),
		};
	}
	return { name, attributes: { 'xsi:type': anyTypeName(value) }, text: scalarText(value) };
}

/** PHP arrays from the API models may be plain JS records; this turns them into PhpArrays recursively. */
export function toPhp(value: unknown): PhpValue {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
	if (value instanceof PhpArray || value instanceof PhpObject) return value;
	if (Array.isArray(value)) return PhpArray.list(value.map(toPhp));
	const array = new PhpArray();
	for (const [key, item] of Object.entries(value as Record<string, unknown>)) array.set(phpKey(key), toPhp(item));
	return array;
}

export type EnvelopeStyle = 'encoded' | 'literal';

/** A response envelope with the namespaces ext/soap declares (ns1 = the store's service namespace). */
export function envelope(serviceNamespace: string, body: XmlOut[], style: EnvelopeStyle): string {
	const attributes: Record<string, string> = {
		'xmlns:SOAP-ENV': NS.envelope,
		'xmlns:ns1': serviceNamespace,
	};
	if (style === 'encoded') {
		Object.assign(attributes, {
			'xmlns:xsd': NS.xsd,
			'xmlns:xsi': NS.xsi,
			'xmlns:ns2': NS.apache,
			'xmlns:SOAP-ENC': NS.encoding,
			'SOAP-ENV:encodingStyle': NS.encoding,
		});
	}
	return buildXml({ name: 'SOAP-ENV:Envelope', attributes, children: [{ name: 'SOAP-ENV:Body', children: body }] });
}

/**
 * A SOAP 1.1 fault as PHP's SoapServer writes it: Magento's faults carry their numeric code as an
 * un-namespaced faultcode ("5"); ext/soap's own carry "SOAP-ENV:Client" / "SOAP-ENV:Server".
 */
export function faultEnvelope(faultCode: string, faultString: string): string {
	return buildXml({
		name: 'SOAP-ENV:Envelope',
		attributes: { 'xmlns:SOAP-ENV': NS.envelope },
		children: [
			{
				name: 'SOAP-ENV:Body',
				children: [
					{
						name: 'SOAP-ENV:Fault',
						children: [
							{ name: 'faultcode', text: faultCode },
							{ name: 'faultstring', text: faultString },
						],
					},
				],
			},
		],
	});
}
