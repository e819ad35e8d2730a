/**
 * The WSDLs a store serves, built from the official OpenMage templates in ./wsdl (read at runtime), and the
 * schema model the V2 and WS-I endpoints decode requests and encode responses with, so the wire format
 * follows exactly what the served WSDL promises.
 *
 * Magento builds its V2/WS-I WSDL by merging every module's etc/wsdl.xml (or wsi.xml) into Mage_Api's; a store
 * here merges Api + Sales. Templates carry `{{var wsdl.handler}}` and `{{var wsdl.url}}`. OpenMage hard-codes
 * `urn:OpenMage`; Magento CE 1.9 templates used `urn:{{var wsdl.name}}` = `urn:Magento` (providers.md D), which
 * the legacy store reproduces by renaming the namespace, the definitions name and the service.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NS, buildXml, parseXml, resolveQName, splitName, toXmlOut, type XmlElement, type XmlOut } from './xml';

export type WsdlFlavour = 'v1' | 'v2' | 'wsi';
export type NamespaceStyle = 'OpenMage' | 'Magento';

const TEMPLATE_FILES: Record<WsdlFlavour, string[]> = {
	v1: ['Api.wsdl.xml'],
	v2: ['Api.wsdl2.xml', 'Sales.wsdl.xml'],
	wsi: ['Api.wsi.xml', 'Sales.wsi.xml'],
};

/** What Magento puts in `{{var wsdl.handler}}`: the handler class of the adapter. */
const HANDLERS: Record<WsdlFlavour, string> = {
	v1: 'Mage_Api_Model_Server_Handler',
	v2: 'Mage_Api_Model_Server_V2_Handler',
	wsi: 'Mage_Api_Model_Server_Wsi_Handler',
};

const URL_PLACEHOLDER = '{{var wsdl.url}}';

export interface TypeName {
	namespace: string | undefined;
	local: string;
}

export interface FieldDef {
	name: string;
	type: TypeName;
	minOccurs: number;
	maxOccurs: number;
}

export type ComplexDef =
	| { kind: 'struct'; name: string; fields: FieldDef[] }
	/** rpc/encoded: a restriction of SOAP-ENC:Array. */
	| { kind: 'encodedArray'; name: string; itemType: TypeName }
	/** WS-I: a sequence of `complexObjectArray` elements. */
	| { kind: 'wsiArray'; name: string; itemType: TypeName };

export interface PartDef {
	name: string;
	type?: TypeName;
	element?: string;
}

export interface OperationDef {
	name: string;
	input: PartDef[];
	output: PartDef[];
}

export interface SchemaModel {
	namespace: string;
	style: 'rpc' | 'document';
	types: ReadonlyMap<string, ComplexDef>;
	/** Global elements (WS-I request/response wrappers), each an anonymous struct. */
	elements: ReadonlyMap<string, ComplexDef>;
	operations: ReadonlyMap<string, OperationDef>;
}

export interface StoreWsdl {
	readonly flavour: WsdlFlavour;
	readonly namespace: string;
	readonly schema: SchemaModel;
	render(url: string): string;
}

const cache = new Map<string, StoreWsdl>();

export function storeWsdl(flavour: WsdlFlavour, style: NamespaceStyle): StoreWsdl {
	const key = `${flavour}:${style}`;
	let wsdl = cache.get(key);
	if (!wsdl) {
		wsdl = buildStoreWsdl(flavour, style);
		cache.set(key, wsdl);
	}
	return wsdl;
}

function buildStoreWsdl(flavour: WsdlFlavour, style: NamespaceStyle): StoreWsdl {
	const [baseFile, ...moduleFiles] = TEMPLATE_FILES[flavour];
	const merged = readTemplate(baseFile);
	for (const file of moduleFiles) mergeModule(merged, readTemplate(file));
	fillTemplate(merged, flavour, style);
	const namespace = `urn:${style}`;
	const schema = buildSchemaModel(parseXml(buildXml(merged)), namespace);
	const rendered = new Map<string, string>();
	return {
		flavour,
		namespace,
		schema,
		render(url: string): string {
			let xml = rendered.get(url);
			if (xml === undefined) {
				xml = buildXml(mapAttributes(merged, (value) => (value === URL_PLACEHOLDER ? url : value)));
				rendered.set(url, xml);
			}
			return xml;
		},
	};
}

function readTemplate(file: string): XmlOut {
	return toXmlOut(parseXml(readFileSync(join(__dirname, 'wsdl', file), 'utf8')));
}

function local(name: string): string {
	return splitName(name).local;
}

function child(parent: XmlOut, localName: string): XmlOut | undefined {
	return parent.children?.find((element) => local(element.name) === localName);
}

/** Appends a module's types, messages, port-type and binding operations to the base definitions. */
function mergeModule(base: XmlOut, module: XmlOut): void {
	const baseSchema = child(child(base, 'types') as XmlOut, 'schema') as XmlOut;
	const moduleSchema = child(child(module, 'types') as XmlOut, 'schema') as XmlOut;
	const known = new Set((baseSchema.children ?? []).map(identity));
	for (const definition of moduleSchema.children ?? []) {
		if (known.has(identity(definition))) continue;
		baseSchema.children = [...(baseSchema.children ?? []), definition];
		known.add(identity(definition));
	}
	const baseChildren = base.children ?? [];
	const messages = (module.children ?? []).filter((element) => local(element.name) === 'message');
	const lastMessage = baseChildren.map((element) => local(element.name)).lastIndexOf('message');
	baseChildren.splice(lastMessage + 1, 0, ...messages);
	for (const section of ['portType', 'binding']) {
		const target = child(base, section) as XmlOut;
		const source = child(module, section) as XmlOut;
		const operations = (source.children ?? []).filter((element) => local(element.name) === 'operation');
		target.children = [...(target.children ?? []), ...operations];
	}
}

function identity(element: XmlOut): string {
	return `${local(element.name)}|${element.attributes?.name ?? element.attributes?.namespace ?? ''}`;
}

function fillTemplate(definitions: XmlOut, flavour: WsdlFlavour, style: NamespaceStyle): void {
	const renamed = mapAttributes(definitions, (value, name, element) => {
		let result = value.split('{{var wsdl.handler}}').join(HANDLERS[flavour]);
		if (style === 'Magento') {
			if (result === 'urn:OpenMage') result = 'urn:Magento';
			if (name === 'name' && local(element.name) === 'definitions' && result === 'OpenMage') result = 'Magento';
			if (name === 'name' && local(element.name) === 'service' && result === 'OpenMageService') result = 'MagentoService';
		}
		return result;
	});
	Object.assign(definitions, renamed);
}

function mapAttributes(element: XmlOut, map: (value: string, name: string, element: XmlOut) => string): XmlOut {
	const attributes: Record<string, string> = {};
	for (const [name, value] of Object.entries(element.attributes ?? {})) attributes[name] = map(value, name, element);
	return {
		name: element.name,
		attributes,
		text: element.text,
		children: element.children?.map((item) => mapAttributes(item, map)),
	};
}

function elementsNamed(parent: XmlElement, localName: string, namespace: string): XmlElement[] {
	return parent.children.filter((element) => element.local === localName && element.namespace === namespace);
}

function occurs(value: string | undefined, fallback: number): number {
	if (value === undefined) return fallback;
	return value === 'unbounded' ? Number.POSITIVE_INFINITY : Number(value);
}

function typeRef(element: XmlElement, qname: string): TypeName {
	return resolveQName(element, qname);
}

function complexDef(name: string, complexType: XmlElement): ComplexDef {
	const content = complexType.children.find((element) => element.local === 'all' || element.local === 'sequence');
	if (content) {
		const fields = elementsNamed(content, 'element', NS.xsd).map((element) => ({
			name: element.attributes.name,
			type: typeRef(element, element.attributes.type),
			minOccurs: occurs(element.attributes.minOccurs, 1),
			maxOccurs: occurs(element.attributes.maxOccurs, 1),
		}));
		if (fields.length === 1 && fields[0].name === 'complexObjectArray' && fields[0].maxOccurs > 1) {
			return { kind: 'wsiArray', name, itemType: fields[0].type };
		}
		return { kind: 'struct', name, fields };
	}
	const restriction = complexType.children.find((element) => element.local === 'complexContent')?.children.find((element) => element.local === 'restriction');
	const arrayAttribute = restriction?.children.find((element) => element.local === 'attribute');
	const arrayType = arrayAttribute && Object.entries(arrayAttribute.attributes).find(([key]) => local(key) === 'arrayType' && key !== 'ref');
	if (arrayAttribute && arrayType) {
		return { kind: 'encodedArray', name, itemType: typeRef(arrayAttribute, arrayType[1].replace(/\[\]$/, '')) };
	}
	return { kind: 'struct', name, fields: [] };
}

function buildSchemaModel(definitions: XmlElement, namespace: string): SchemaModel {
	const types = new Map<string, ComplexDef>();
	const elements = new Map<string, ComplexDef>();
	const typesSection = elementsNamed(definitions, 'types', NS.wsdl)[0];
	for (const schema of elementsNamed(typesSection, 'schema', NS.xsd)) {
		for (const complexType of elementsNamed(schema, 'complexType', NS.xsd)) {
			types.set(complexType.attributes.name, complexDef(complexType.attributes.name, complexType));
		}
		for (const element of elementsNamed(schema, 'element', NS.xsd)) {
			const anonymous = elementsNamed(element, 'complexType', NS.xsd)[0];
			if (anonymous) elements.set(element.attributes.name, complexDef(element.attributes.name, anonymous));
		}
	}
	const messages = new Map<string, PartDef[]>();
	for (const message of elementsNamed(definitions, 'message', NS.wsdl)) {
		messages.set(
			message.attributes.name,
			elementsNamed(message, 'part', NS.wsdl).map((part) => ({
				name: part.attributes.name,
				type: part.attributes.type === undefined ? undefined : typeRef(part, part.attributes.type),
				element: part.attributes.element === undefined ? undefined : resolveQName(part, part.attributes.element).local,
			})),
		);
	}
	const operations = new Map<string, OperationDef>();
	for (const operation of elementsNamed(elementsNamed(definitions, 'portType', NS.wsdl)[0], 'operation', NS.wsdl)) {
		const input = elementsNamed(operation, 'input', NS.wsdl)[0];
		const output = elementsNamed(operation, 'output', NS.wsdl)[0];
		operations.set(operation.attributes.name, {
			name: operation.attributes.name,
			input: messages.get(resolveQName(input, input.attributes.message).local) ?? [],
			output: messages.get(resolveQName(output, output.attributes.message).local) ?? [],
		});
	}
	const binding = elementsNamed(elementsNamed(definitions, 'binding', NS.wsdl)[0], 'binding', NS.wsdlSoap)[0];
	return { namespace, style: binding?.attributes.style === 'document' ? 'document' : 'rpc', types, elements, operations };
}
