/**
 * A small namespace-aware element tree over fast-xml-parser (the team rule: a real parser, never string
 * concatenation or regular expressions for XML). Parsing keeps document order (SOAP parameters are positional);
 * building escapes every text and attribute value.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export const NS = {
	envelope: 'http://schemas.xmlsoap.org/soap/envelope/',
	envelope12: 'http://www.w3.org/2003/05/soap-envelope',
	encoding: 'http://schemas.xmlsoap.org/soap/encoding/',
	xsd: 'http://www.w3.org/2001/XMLSchema',
	xsi: 'http://www.w3.org/2001/XMLSchema-instance',
	apache: 'http://xml.apache.org/xml-soap',
	wsdl: 'http://schemas.xmlsoap.org/wsdl/',
	wsdlSoap: 'http://schemas.xmlsoap.org/wsdl/soap/',
	xmlns: 'http://www.w3.org/2000/xmlns/',
} as const;

export interface XmlElement {
	/** The name as written, e.g. "ns1:login". */
	readonly name: string;
	readonly local: string;
	/** The resolved namespace URI, or undefined for an unqualified name without a default namespace. */
	readonly namespace: string | undefined;
	/** Attributes as written (qualified names), xmlns declarations included. */
	readonly attributes: Readonly<Record<string, string>>;
	readonly children: XmlElement[];
	/** The element's own text (all direct text nodes joined). */
	readonly text: string;
	/** In-scope prefix -> namespace bindings ("" is the default namespace). */
	readonly scope: ReadonlyMap<string, string>;
}

export class XmlSyntaxError extends Error {}

/** A DOCTYPE is refused before parsing: SOAP forbids DTDs, and entity expansion is an attack surface. */
export class XmlDoctypeError extends Error {}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
	preserveOrder: true,
	ignoreAttributes: false,
	attributeNamePrefix: '',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	ignoreDeclaration: true,
	ignorePiTags: true,
	// Decodes numeric character references (&#13;) as well as the five XML entities.
	htmlEntities: true,
});

const builder = new XMLBuilder({
	preserveOrder: true,
	ignoreAttributes: false,
	attributeNamePrefix: '',
	suppressEmptyNode: true,
	processEntities: true,
});

export function parseXml(text: string): XmlElement {
	if (text.trim() === '') throw new XmlSyntaxError('empty document');
	const valid = XMLValidator.validate(text);
	if (valid !== true) throw new XmlSyntaxError(valid.err.msg);
	// A well-formed document can hold "<!DOCTYPE" only as markup (or inside a comment/CDATA, refused alike);
	// the parser would silently expand its entities, so it is refused before parsing.
	if (text.includes('<!DOCTYPE')) throw new XmlDoctypeError('DTD');
	const nodes = parser.parse(text) as OrderedNode[];
	const roots = nodes.filter((node) => elementName(node) !== undefined);
	if (roots.length !== 1) throw new XmlSyntaxError('a document has exactly one root element');
	return toElement(roots[0], new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]));
}

function elementName(node: OrderedNode): string | undefined {
	return Object.keys(node).find((key) => key !== ':@' && key !== '#text' && !key.startsWith('?'));
}

function toElement(node: OrderedNode, parentScope: ReadonlyMap<string, string>): XmlElement {
	const name = elementName(node) as string;
	const attributes = { ...((node[':@'] as Record<string, string> | undefined) ?? {}) };
	let scope: ReadonlyMap<string, string> = parentScope;
	const declarations = Object.entries(attributes).filter(([key]) => key === 'xmlns' || key.startsWith('xmlns:'));
	if (declarations.length > 0) {
		const next = new Map(parentScope);
		for (const [key, value] of declarations) next.set(key === 'xmlns' ? '' : key.slice(6), value);
		scope = next;
	}
	const children: XmlElement[] = [];
	let text = '';
	for (const child of (node[name] as OrderedNode[] | undefined) ?? []) {
		if ('#text' in child) text += String(child['#text']);
		else if (elementName(child) !== undefined) children.push(toElement(child, scope));
	}
	const { prefix, local } = splitName(name);
	const namespace = scope.get(prefix);
	if (prefix !== '' && namespace === undefined) throw new XmlSyntaxError(`undeclared prefix "${prefix}"`);
	return { name, local, namespace, attributes, children, text, scope };
}

export function splitName(name: string): { prefix: string; local: string } {
	const colon = name.indexOf(':');
	return colon < 0 ? { prefix: '', local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
}

/** Resolves a QName written in an attribute value (xsi:type="ns2:Map") against the element's scope. */
export function resolveQName(element: XmlElement, qname: string): { namespace: string | undefined; local: string } {
	const { prefix, local } = splitName(qname.trim());
	return { namespace: element.scope.get(prefix), local };
}

/** An attribute by namespace and local name, whatever prefix the sender chose. */
export function attributeNS(element: XmlElement, namespace: string, local: string): string | undefined {
	for (const [key, value] of Object.entries(element.attributes)) {
		const { prefix, local: keyLocal } = splitName(key);
		if (keyLocal === local && prefix !== '' && prefix !== 'xmlns' && element.scope.get(prefix) === namespace) return value;
	}
	return undefined;
}

/** An element to serialise. Text and attribute values are escaped by the builder. */
export interface XmlOut {
	name: string;
	attributes?: Record<string, string>;
	children?: XmlOut[];
	text?: string;
}

export function buildXml(root: XmlOut): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build([toOrdered(root)]) as string}`;
}

function toOrdered(element: XmlOut): OrderedNode {
	const content: OrderedNode[] = [];
	if (element.text !== undefined && element.text !== '') content.push({ '#text': element.text });
	for (const child of element.children ?? []) content.push(toOrdered(child));
	const node: OrderedNode = { [element.name]: content };
	if (element.attributes && Object.keys(element.attributes).length > 0) node[':@'] = { ...element.attributes };
	return node;
}

/** Re-serialises a parsed element (used to emit the merged WSDL templates). */
export function toXmlOut(element: XmlElement): XmlOut {
	return {
		name: element.name,
		attributes: { ...element.attributes },
		children: element.children.map(toXmlOut),
		text: element.children.length > 0 ? undefined : element.text,
	};
}
