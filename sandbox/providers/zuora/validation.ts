/**
 * Strict request validation driven by the official Zuora spec fragment (sandbox/specs/zuora-credit-memos-fragment.yaml),
 * adjusted per Zuora-Version for the fields the API upgrades renamed (docs: v1-api-reference/api-upgrades):
 * - below 224.0 a standalone charge's amount is `memoItemAmount` (224.0 renamed it `amount`);
 * - below 257.0 a charge is `chargeId` (257.0: `productRatePlanChargeId`), and charge and invoice-item text is
 *   `comment` (257.0: `description`).
 * The fragment is the latest version, so `description` (>= 257.0) is added where the upgrade notes name it.
 * Errors use Zuora's categories: 20 invalid value, 21 unknown field, 22 missing required field.
 */
import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

import { isCalendarDate, isPlainObject } from '../../util/http';
import { mergeAllOf, type SchemaNode } from '../../util/jsonSchema';

export interface FieldError {
	category: 20 | 21 | 22;
	field: string;
	message: string;
}

export type RequestSchema = 'CreditMemoFromInvoiceRequest' | 'CreditMemoFromChargeRequest' | 'PUTCreditMemoType' | 'PUTCreditMemosWithIdType';

/** The minor version bands that change credit-memo request fields. */
export type VersionBand = 'before224' | 'before257' | 'current';

export function versionBand(version: number): VersionBand {
	if (version < 224) return 'before224';
	if (version < 257) return 'before257';
	return 'current';
}

const SPEC_FILE = path.join(__dirname, '..', '..', 'specs', 'zuora-credit-memos-fragment.yaml');

let resolved: Record<string, SchemaNode> | undefined;

function resolveRefs(node: unknown, schemas: Record<string, SchemaNode>): unknown {
	if (Array.isArray(node)) return node.map((child) => resolveRefs(child, schemas));
	if (!isPlainObject(node)) return node;
	if (typeof node.$ref === 'string') return resolveRefs(schemas[node.$ref.split('/').pop()!], schemas);
	return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolveRefs(value, schemas)]));
}

function schemas(): Record<string, SchemaNode> {
	if (!resolved) {
		const spec = parse(fs.readFileSync(SPEC_FILE, 'utf8')) as { components: { schemas: Record<string, SchemaNode> } };
		const raw = spec.components.schemas;
		resolved = Object.fromEntries(Object.keys(raw).map((name) => [name, mergeDeep(resolveRefs(raw[name], raw) as SchemaNode)]));
	}
	return resolved;
}

/** allOf merged at every level, so a schema is plain properties/required/items. */
function mergeDeep(node: SchemaNode): SchemaNode {
	const merged = mergeAllOf(node);
	const out: SchemaNode = { ...merged };
	if (merged.properties) out.properties = Object.fromEntries(Object.entries(merged.properties).map(([key, child]) => [key, mergeDeep(child)]));
	if (merged.items) out.items = mergeDeep(merged.items);
	return out;
}

function renameProperty(schema: SchemaNode, from: string, to: string): SchemaNode {
	const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key === from ? to : key, value]));
	const required = (schema.required as string[] | undefined)?.map((name) => (name === from ? to : name));
	return { ...schema, properties, ...(required ? { required } : {}) };
}

function withProperty(schema: SchemaNode, name: string, property: SchemaNode): SchemaNode {
	return { ...schema, properties: { ...(schema.properties ?? {}), [name]: property } };
}

const variants = new Map<string, SchemaNode>();

/** The request schema as the given version band accepts it. */
export function requestSchema(name: RequestSchema, band: VersionBand): SchemaNode {
	const key = `${name}:${band}`;
	const cached = variants.get(key);
	if (cached) return cached;
	let schema = schemas()[name];
	const text = { type: 'string' };
	if (name === 'CreditMemoFromChargeRequest') {
		let charge = schema.properties!.charges.items!;
		if (band === 'before224') charge = renameProperty(charge, 'amount', 'memoItemAmount');
		if (band !== 'current') charge = withProperty(renameProperty(charge, 'productRatePlanChargeId', 'chargeId'), 'comment', text);
		else charge = withProperty(charge, 'description', text);
		schema = withProperty(schema, 'charges', { ...schema.properties!.charges, items: charge });
	}
	if (name === 'CreditMemoFromInvoiceRequest') {
		const item = withProperty(schema.properties!.items.items!, band === 'current' ? 'description' : 'comment', text);
		schema = withProperty(schema, 'items', { ...schema.properties!.items, items: item });
	}
	variants.set(key, schema);
	return schema;
}

export interface CustomFieldNames {
	/** Custom fields (`*__c`) defined on the Credit Memo object of the tenant. */
	creditMemo: string[];
	/** Custom fields defined on the Credit Memo Item object. */
	creditMemoItem: string[];
}

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

/**
 * Validates `value` against `schema`. `path` is the field path prefix ("memos[0]"); `level` says whose custom
 * fields are allowed where the schema allows additional properties.
 */
export function validate(schema: SchemaNode, value: unknown, customFields: CustomFieldNames, pathPrefix = ''): FieldError[] {
	const errors: FieldError[] = [];
	const visit = (node: SchemaNode, current: unknown, at: string, level: 'memo' | 'item' | 'other') => {
		const name = at || 'body';
		const type = node.type as string | undefined;
		if (current === null) {
			if (!node.nullable) errors.push({ category: 20, field: name, message: `Invalid value for field ${name}: must not be null` });
			return;
		}
		switch (type) {
			case 'string':
				if (typeof current !== 'string') {
					errors.push({ category: 20, field: name, message: `Invalid value for field ${name}: expected a string, got ${typeName(current)}` });
					return;
				}
				if (typeof node.maxLength === 'number' && current.length > node.maxLength) {
					errors.push({ category: 20, field: name, message: `Invalid value for field ${name}: longer than ${node.maxLength} characters` });
				}
				if (typeof node.minLength === 'number' && current.length < node.minLength) {
					errors.push({ category: 20, field: name, message: `Invalid value for field ${name}: shorter than ${node.minLength} characters` });
				}
				if (Array.isArray(node.enum) && !node.enum.includes(current)) {
					errors.push({ category: 20, field: name, message: `Invalid value for field ${name}: must be one of ${node.enum.join(', ')}` });
				}
				if (node.format === 'date' && !isCalendarDate(current)) {
					errors.push({ category: 20, field: name, message: `Invalid value for field ${name}: expected a date in the yyyy-mm-dd format` });
				}
				return;
			case 'number':
			case 'integer':
				if (typeof current !== 'number' || !Number.isFinite(current) || (type === 'integer' && !Number.isInteger(current))) {
					errors.push({ category: 20, field: name, message: `Invalid value for field ${name}: expected a ${type}, got ${typeName(current)}` });
				}
				return;
			case 'boolean':
				if (typeof current !== 'boolean') {
					errors.push({ category: 20, field: name, message: `Invalid value for field ${name}: expected true or false, got ${typeName(current)}` });
				}
				return;
			case 'array':
				if (!Array.isArray(current)) {
					errors.push({ category: 20, field: name, message: `Invalid value for field ${name}: expected an array, got ${typeName(current)}` });
					return;
				}
				if (typeof node.maxItems === 'number' && current.length > node.maxItems) {
					errors.push({ category: 20, field: name, message: `Invalid value for field ${name}: at most ${node.maxItems} items are allowed` });
				}
				current.forEach((item, index) => visit(node.items ?? {}, item, `${at}[${index}]`, level === 'memo' ? 'item' : 'other'));
				return;
			default:
				if (!node.properties) return;
				if (!isPlainObject(current)) {
					errors.push({ category: 20, field: name, message: `Invalid value for field ${name}: expected an object, got ${typeName(current)}` });
					return;
				}
				for (const required of (node.required as string[] | undefined) ?? []) {
					if (current[required] === undefined) {
						const field = at ? `${at}.${required}` : required;
						errors.push({ category: 22, field, message: `Required field '${field}' is missing` });
					}
				}
				for (const [key, child] of Object.entries(current)) {
					const field = at ? `${at}.${key}` : key;
					const property = node.properties[key];
					if (property) {
						const childLevel = level === 'memo' && (key === 'items' || key === 'charges') ? 'memo' : 'other';
						visit(property, child, field, childLevel);
						continue;
					}
					const allowed =
						node.additionalProperties !== undefined &&
						node.additionalProperties !== false &&
						((level === 'memo' && customFields.creditMemo.includes(key)) || (level === 'item' && customFields.creditMemoItem.includes(key)));
					if (!allowed) errors.push({ category: 21, field, message: `Unknown field '${field}'` });
				}
		}
	};
	visit(schema, value, pathPrefix, 'memo');
	return errors;
}
