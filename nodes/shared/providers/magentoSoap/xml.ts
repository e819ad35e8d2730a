import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** Namespaces SOAP 1.1 envelopes and Magento's WSDLs use. */
export const NS = {
	envelope: 'http://schemas.xmlsoap.org/soap/envelope/',
	envelope12: 'http://www.w3.org/2003/05/soap-envelope',
	encoding: 'http://schemas.xmlsoap.org/soap/encoding/',
	xsd: 'http://www.w3.org/2001/XMLSchema',
	xsi: 'http://www.w3.org/2001/XMLSchema-instance',
	/** PHP's ext/soap encodes associative arrays as this namespace's `Map`. */
	apache: 'http://xml.apache.org/xml-soap',
	wsdlSoap: 'http://schemas.xmlsoap.org/wsdl/soap/',
} as const;

/** An element to build: every text and attribute value is escaped by the builder. */
export interface XmlNode {
	name: string;
	attributes?: Record<string, string>;
	children?: XmlNode[];
	text?: string;
}

/** A parsed element with its namespace resolved. */
export interface XmlElement {
	local: string;
	namespace: string | undefined;
	attributes: Record<string, string>;
	children: XmlElement[];
	text: string;
	/** Resolves a `prefix:name` value (xsi:type="ns2:Map") against the namespaces in scope here. */
	resolve(qualifiedName: string): { namespace: string | undefined; local: string };
}

export class XmlError extends Error {}

const builder = new XMLBuilder({
	preserveOrder: true,
	ignoreAttributes: false,
	attributeNamePrefix: '',
	suppressEmptyNode: true,
	// Escapes & < > ' " in every text and attribute value.
	processEntities: true,
});

const parser = new XMLParser({
	preserveOrder: true,
	ignoreAttributes: false,
	attributeNamePrefix: '',
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	ignoreDeclaration: true,
	ignorePiTags: true,
	// Decodes character references (&#13;) besides the XML entities.
	htmlEntities: true,
});

type OrderedNode = Record<string, unknown>;

export function buildXml(root: XmlNode): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build([toOrdered(root)])}`;
}

function toOrdered(node: XmlNode): OrderedNode {
	const content: OrderedNode[] = [];
	if (node.text !== undefined && node.text !== '') content.push({ '#text': node.text });
	for (const child of node.children ?? []) content.push(toOrdered(child));
	return node.attributes ? { [node.name]: content, ':@': node.attributes } : { [node.name]: content };
}

/** Parses a whole document; refuses what is not well-formed XML and any DTD (SOAP forbids them; entities are an attack surface). */
export function parseXml(text: string): XmlElement {
	// A DOCTYPE can only appear as markup here: inside text, "<" is always escaped.
	if (text.includes('<!DOCTYPE')) throw new XmlError('it contains a DTD, which SOAP does not allow');
	const valid = XMLValidator.validate(text);
	if (valid !== true) throw new XmlError(`it is not well-formed XML (${valid.err.msg}, line ${valid.err.line})`);
	const roots = (parser.parse(text) as OrderedNode[]).filter((node) => elementName(node) !== undefined);
	if (roots.length !== 1) throw new XmlError('it does not have exactly one root element');
	return toElement(roots[0], new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]));
}

function elementName(node: OrderedNode): string | undefined {
	return Object.keys(node).find((key) => key !== ':@' && key !== '#text');
}

function toElement(node: OrderedNode, outerScope: ReadonlyMap<string, string>): XmlElement {
	const name = elementName(node) as string;
	const attributes = { ...((node[':@'] as Record<string, string> | undefined) ?? {}) };
	const scope = new Map(outerScope);
	for (const [attribute, value] of Object.entries(attributes)) {
		if (attribute === 'xmlns') scope.set('', value);
		else if (attribute.startsWith('xmlns:')) scope.set(attribute.slice('xmlns:'.length), value);
	}
	const resolve = (qualifiedName: string) => {
		const colon = qualifiedName.indexOf(':');
		const prefix = colon < 0 ? '' : qualifiedName.slice(0, colon);
		return { namespace: scope.get(prefix), local: colon < 0 ? qualifiedName : qualifiedName.slice(colon + 1) };
	};
	const children: XmlElement[] = [];
	let text = '';
	for (const child of (node[name] as OrderedNode[]) ?? []) {
		// CDATA sections arrive as text too (the parser's cdataPropName is off).
		if ('#text' in child) text += String(child['#text']);
		else if (elementName(child) !== undefined) children.push(toElement(child, scope));
	}
	const qualified = resolve(name);
	return { local: qualified.local, namespace: qualified.namespace, attributes, children, text, resolve };
}

/** An attribute by namespace and local name, whatever prefix the document chose for it. */
export function attribute(element: XmlElement, namespace: string, local: string): string | undefined {
	for (const [name, value] of Object.entries(element.attributes)) {
		// Unprefixed attributes have no namespace; xmlns declarations are not attributes of the data.
		if (!name.includes(':') || name.startsWith('xmlns:')) continue;
		const qualified = element.resolve(name);
		if (qualified.local === local && qualified.namespace === namespace) return value;
	}
	return undefined;
}

export function child(element: XmlElement, local: string): XmlElement | undefined {
	return element.children.find((candidate) => candidate.local === local);
}
