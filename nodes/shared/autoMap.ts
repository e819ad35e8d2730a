import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import { refundReferenceField } from './descriptions';
import type { CreditMemoProvider } from './types';

export const FIELD_MAPPING = 'fieldMapping';
export const AUTO_MAP = 'autoMapInputData';

/**
 * Map Each Field Below (one expression per field, as n8n nodes usually do) or Map Automatically (n8n's own name
 * for it, as in its database nodes): each input item carries the memo's fields under their names. In n8n 2.x
 * every expression is evaluated in its isolate, and a bulk run of 1,000 memos spends most of its time there;
 * read from the item, the fields cost nothing to evaluate.
 */
export const fieldMappingField: INodeProperties = {
	displayName: 'Fields',
	name: FIELD_MAPPING,
	type: 'options',
	noDataExpression: true,
	default: 'defineBelow',
	options: [
		{ name: 'Map Each Field Below', value: 'defineBelow', description: 'Set each field, with an expression where it comes from the item' },
		{
			name: 'Map Automatically',
			value: AUTO_MAP,
			description: "Read the memo's fields from each input item, by the names listed below: no expression to evaluate per field, the fastest for many items",
		},
	],
};

/** How one parameter is read from an input item. */
type FromItem = (json: IDataObject) => unknown;

export interface AutoMapping {
	/** Parameters read from the item; any other name is a node parameter (Provider, Options). */
	readonly fields: ReadonlyMap<string, FromItem>;
	/** The item's keys, as the notice lists them. */
	readonly keys: string[];
	/** The values a key of a choice field takes (Zuora's sourceType: invoice, standalone). */
	readonly choices: ReadonlyMap<string, string[]>;
}

/**
 * The item key of a parameter: its name without the provider's prefix (`magentoRestSourceType` is
 * `sourceType`); Items (JSON) is `items`, the same list with the same keys.
 */
function itemKey(provider: CreditMemoProvider, name: string): string {
	if (name === 'itemsJson') return 'items';
	return name.startsWith(provider.key) ? name.charAt(provider.key.length).toLowerCase() + name.slice(provider.key.length + 1) : name;
}

const valueOrDefault = (key: string, fallback: unknown): FromItem => (json) => (json[key] === undefined || json[key] === null ? fallback : json[key]);

/**
 * Built from the provider's own field descriptions, so a provider's mapping code reads an item exactly as it
 * reads the fields, and a field added to a provider is mapped without a change here.
 */
export function autoMapping(provider: CreditMemoProvider): AutoMapping {
	const fields = new Map<string, FromItem>();
	const keys: string[] = [];
	const choices = new Map<string, string[]>();
	for (const field of [...provider.create.fields, refundReferenceField]) {
		if (field.type === 'notice') continue;
		if (field.name === 'itemsInputMode') {
			fields.set(field.name, () => 'json');
		} else if (field.type === 'fixedCollection') {
			// The form's lines: the item's `items` list (read through Items (JSON)) stands for them.
			fields.set(field.name, () => ({}));
		} else if (field.type === 'collection') {
			// Additional Fields: each option is a key of the item itself.
			const names = (field.options as INodeProperties[]).map((option) => option.name);
			keys.push(...names);
			fields.set(field.name, (json) => Object.fromEntries(names.filter((name) => json[name] !== undefined && json[name] !== null).map((name) => [name, json[name]])));
		} else {
			const key = itemKey(provider, field.name);
			keys.push(key);
			if (field.type === 'options') choices.set(key, (field.options as Array<{ value: string }>).map((option) => String(option.value)));
			// A choice keeps the form's default (Zuora's sourceType: invoice); any other field left out is empty, so a
			// default such as Rebilly's currency USD is never applied to an item that did not say so.
			fields.set(field.name, valueOrDefault(key, field.type === 'options' ? field.default : field.type === 'json' ? [] : undefined));
		}
	}
	return { fields, keys: [...new Set(keys)], choices };
}

/** The notice shown in Map Automatically mode: which keys each item may carry for this provider. */
export function autoMapNotice(provider: CreditMemoProvider): INodeProperties {
	const items = provider.create.fields.find((field) => field.name === 'itemsJson');
	const { keys, choices } = autoMapping(provider);
	const defaults = new Map(provider.create.fields.map((field) => [itemKey(provider, field.name), field.default]));
	const listed = keys.map((key) => (choices.has(key) ? `${key} (${choices.get(key)!.join(' | ')}; if absent: ${String(defaults.get(key))})` : key));
	return {
		displayName: `Each input item's fields are read by name: ${listed.join(', ')}. A field the item leaves out is empty.${items?.description ? ` items: ${items.description}` : ''}`,
		name: `${provider.key}AutoMapNotice`,
		type: 'notice',
		default: '',
		displayOptions: { show: { provider: [provider.key], [FIELD_MAPPING]: [AUTO_MAP] } },
	};
}

/** A parameter's value from the item: objects copied, so no reader can change what another reads. */
export function readFromItem(mapping: AutoMapping, name: string, json: IDataObject): { found: boolean; value?: unknown } {
	const read = mapping.fields.get(name);
	if (!read) return { found: false };
	const value = read(json);
	return { found: true, value: value !== null && typeof value === 'object' ? deepCopy(value as IDataObject) : value };
}
