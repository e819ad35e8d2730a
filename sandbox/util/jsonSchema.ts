/**
 * Walks a JSON Schema (the OpenAPI subset the official specs use: properties, items, allOf, oneOf, readOnly,
 * additionalProperties) to find fields a request may not send. Ajv checks types and formats; this finds what
 * real validators reject by name (unknown fields) and what they silently ignore (readOnly fields).
 */
import { isPlainObject } from './http';

export interface SchemaNode {
	type?: string | string[];
	properties?: Record<string, SchemaNode>;
	additionalProperties?: boolean | SchemaNode;
	items?: SchemaNode;
	allOf?: SchemaNode[];
	oneOf?: SchemaNode[];
	readOnly?: boolean;
	[keyword: string]: unknown;
}

/** allOf branches merged into one node: properties united; extra properties allowed if any branch allows them. */
export function mergeAllOf(schema: SchemaNode): SchemaNode {
	if (!schema.allOf) return schema;
	const merged: SchemaNode = { ...schema, allOf: undefined, properties: { ...(schema.properties ?? {}) } };
	let additional: SchemaNode['additionalProperties'] = schema.additionalProperties;
	for (const part of schema.allOf.map(mergeAllOf)) {
		Object.assign(merged.properties!, part.properties ?? {});
		if (part.type && !merged.type) merged.type = part.type;
		if (Array.isArray(part.required)) merged.required = [...((merged.required as string[]) ?? []), ...(part.required as string[])];
		if (part.additionalProperties !== undefined && part.additionalProperties !== false) additional = part.additionalProperties;
	}
	merged.additionalProperties = additional;
	return merged;
}

export interface FieldProblem {
	/** Dot notation: "items.0.quantity". */
	field: string;
	kind: 'unknown';
}

/**
 * Returns a copy of `value` without readOnly fields, and the unknown fields found.
 * `allowExtra(name, path)` decides about names the schema does not list where the schema allows extra properties
 * (custom fields such as Zuora's `*__c`); without it such names are accepted.
 */
export function stripAndFindUnknown(
	schema: SchemaNode,
	value: unknown,
	path: string[] = [],
	allowExtra?: (name: string, path: string[]) => boolean,
): { value: unknown; unknown: FieldProblem[] } {
	const unknown: FieldProblem[] = [];
	const walk = (node: SchemaNode, current: unknown, at: string[]): unknown => {
		const merged = mergeAllOf(node);
		if (Array.isArray(current)) {
			return merged.items ? current.map((item, index) => walk(merged.items!, item, [...at, String(index)])) : current;
		}
		if (!isPlainObject(current)) return current;
		if (merged.oneOf) {
			const objectBranch = merged.oneOf.map(mergeAllOf).find((branch) => branch.properties);
			return objectBranch ? walk(objectBranch, current, at) : current;
		}
		if (!merged.properties) return current;
		const out: Record<string, unknown> = {};
		for (const [name, child] of Object.entries(current)) {
			const property = merged.properties[name];
			if (property) {
				if (property.readOnly) continue;
				out[name] = walk(property, child, [...at, name]);
				continue;
			}
			const extra = merged.additionalProperties;
			const allowed = extra !== undefined && extra !== false && (allowExtra ? allowExtra(name, at) : true);
			if (allowed) out[name] = child;
			else unknown.push({ field: [...at, name].join('.'), kind: 'unknown' });
		}
		return out;
	};
	return { value: walk(schema, value, path), unknown };
}
