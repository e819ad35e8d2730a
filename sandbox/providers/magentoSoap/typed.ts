/**
 * Schema-driven encoding for SOAP V2 (rpc/encoded: xsi:type everywhere, SOAP-ENC arrays) and WS-I
 * (document/literal: no xsi:type, arrays as repeated `complexObjectArray`), using the served WSDL's types.
 *
 * Decoding is stricter than ext/soap on one point, on purpose: an element the type does not declare is refused
 * (ext/soap would drop it silently), so a node that misspells a field fails in tests instead of losing the value.
 */
import { SoapEncodingError, decodeAny, decodeXsdScalar, encodeAny, isNil, scalarText } from './encoding';
import { PhpArray, PhpObject, phpString, type PhpValue } from './php';
import { NS, type XmlElement, type XmlOut } from './xml';
import type { ComplexDef, SchemaModel, TypeName } from './wsdl';

export type TypedMode = 'encoded' | 'literal';

function complexType(schema: SchemaModel, type: TypeName): ComplexDef | undefined {
	return type.namespace === NS.xsd ? undefined : schema.types.get(type.local);
}

export function decodeTyped(schema: SchemaModel, element: XmlElement, type: TypeName | ComplexDef, mode: TypedMode): PhpValue {
	if (isNil(element)) return null;
	const definition = 'kind' in type ? type : complexType(schema, type);
	if (!definition) {
		const scalar = type as TypeName;
		if (scalar.local === 'anyType') return decodeAny(element);
		if (element.children.length > 0) throw new SoapEncodingError(`Violation of encoding rules (element '${element.local}' must be a plain ${scalar.local})`);
		return decodeXsdScalar(scalar.local, element.text);
	}
	switch (definition.kind) {
		case 'encodedArray':
			return PhpArray.list(element.children.map((item) => decodeTyped(schema, item, definition.itemType, mode)));
		case 'wsiArray': {
			const items = element.children.map((item) => {
				if (item.local !== 'complexObjectArray') {
					throw new SoapEncodingError(`Violation of encoding rules (unknown element '${item.local}' in ${definition.name}, expected complexObjectArray)`);
				}
				return decodeTyped(schema, item, definition.itemType, mode);
			});
			return PhpArray.list(items);
		}
		case 'struct': {
			const object = new PhpObject();
			for (const child of element.children) {
				const field = definition.fields.find((candidate) => candidate.name === child.local);
				if (!field) throw new SoapEncodingError(`Violation of encoding rules (unknown element '${child.local}' in ${definition.name})`);
				if (object.props.has(field.name)) throw new SoapEncodingError(`Violation of encoding rules (element '${child.local}' repeated in ${definition.name})`);
				let value = decodeTyped(schema, child, field.type, mode);
				// Mage_Api_Helper_Data::wsiArrayUnpacker: WS-I key/value lists become associative arrays
				// (all but complex_filter, whose entries keep their nested key/value).
				if (mode === 'literal' && field.name !== 'complex_filter' && value instanceof PhpArray) value = unpackAssociative(value);
				object.props.set(field.name, value);
			}
			return object;
		}
	}
}

/** A list of {key, value} objects -> [key => value] (Mage_Api_Helper_Data::associativeArrayUnpack). */
function unpackAssociative(list: PhpArray): PhpArray {
	const result = new PhpArray();
	for (const item of list.values()) {
		if (item instanceof PhpObject && item.props.size === 2 && item.isset('key') && item.isset('value')) {
			result.set(phpString(item.props.get('key') ?? null), item.props.get('value') ?? null);
		}
	}
	return result.size > 0 ? result : list;
}

function prefixed(schema: SchemaModel, type: TypeName): string {
	return type.namespace === NS.xsd ? `xsd:${type.local}` : type.namespace === schema.namespace ? `ns1:${type.local}` : type.local;
}

function field(value: PhpValue, name: string): PhpValue | undefined {
	if (value instanceof PhpArray) return value.get(name);
	if (value instanceof PhpObject) return value.props.get(name);
	return undefined;
}

function xsdText(local: string, value: string | number | boolean): string {
	if (local === 'boolean') return value === true || value === 1 || value === '1' || value === 'true' ? 'true' : 'false';
	if (local === 'int' || local === 'long') return String(typeof value === 'boolean' ? Number(value) : Math.trunc(Number(value)));
	return typeof value === 'boolean' ? (value ? '1' : '') : scalarText(value);
}

/** Encodes a PHP value as the given schema type; null values are left out, as ext/soap does for optional fields. */
export function encodeTyped(schema: SchemaModel, name: string, value: PhpValue | undefined, type: TypeName | ComplexDef, mode: TypedMode): XmlOut | undefined {
	if (value === null || value === undefined) return undefined;
	const definition = 'kind' in type ? type : complexType(schema, type);
	if (!definition) {
		const scalar = type as TypeName;
		if (scalar.local === 'anyType') return mode === 'encoded' ? encodeAny(name, value) : { name, text: scalarText(value instanceof PhpArray || value instanceof PhpObject ? '' : value) };
		if (value instanceof PhpArray || value instanceof PhpObject) {
			throw new SoapEncodingError(`Violation of encoding rules (array given for ${scalar.local})`);
		}
		const text = xsdText(scalar.local, value);
		return mode === 'encoded' ? { name, attributes: { 'xsi:type': prefixed(schema, scalar) }, text } : { name, text };
	}
	const typeName = 'kind' in type ? undefined : (type as TypeName);
	switch (definition.kind) {
		case 'encodedArray': {
			const items = value instanceof PhpArray ? value.values() : [];
			return {
				name,
				attributes: {
					'SOAP-ENC:arrayType': `${prefixed(schema, definition.itemType)}[${items.length}]`,
					'xsi:type': typeName ? prefixed(schema, typeName) : 'SOAP-ENC:Array',
				},
				children: items.flatMap((item) => encodeTyped(schema, 'item', item, definition.itemType, mode) ?? []),
			};
		}
		case 'wsiArray': {
			const items = value instanceof PhpArray ? value.values() : [];
			return { name, children: items.flatMap((item) => encodeTyped(schema, 'complexObjectArray', item, definition.itemType, mode) ?? []) };
		}
		case 'struct': {
			const children = definition.fields.flatMap((member) => encodeTyped(schema, member.name, field(value, member.name), member.type, mode) ?? []);
			return mode === 'encoded' && typeName ? { name, attributes: { 'xsi:type': prefixed(schema, typeName) }, children } : { name, children };
		}
	}
}
