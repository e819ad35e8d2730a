import type { IDataObject } from 'n8n-workflow';

import { InputError } from './errors';
import type { ParamReader } from './types';

export interface TextRules {
	maxLength?: number;
	pattern?: RegExp;
	/** Says what the pattern allows, for the error message. */
	patternHint?: string;
}

/** A required text value: trimmed, non-empty, within the provider's limits. */
export function requireText(value: unknown, field: string, rules: TextRules = {}): string {
	const text = optionalText(value, field, rules);
	if (text === undefined) throw new InputError(field, `${field} is required`);
	return text;
}

/** An optional text value: undefined when empty; numbers are accepted as their decimal text (IDs from JSON). */
export function optionalText(value: unknown, field: string, rules: TextRules = {}): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw new InputError(field, `${field} must be text, got ${Array.isArray(value) ? 'a list' : typeof value}`);
	}
	const text = String(value).trim();
	if (text === '') return undefined;
	if (rules.maxLength !== undefined && [...text].length > rules.maxLength) {
		throw new InputError(field, `${field} is longer than ${rules.maxLength} characters (${[...text].length})`);
	}
	if (rules.pattern && !rules.pattern.test(text)) {
		throw new InputError(field, `${field} "${truncate(text)}" is not valid${rules.patternHint ? `: ${rules.patternHint}` : ''}`);
	}
	return text;
}

export function optionalBoolean(value: unknown, field: string): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'boolean') return value;
	if (value === 'true') return true;
	if (value === 'false') return false;
	throw new InputError(field, `${field} must be true or false, got ${JSON.stringify(value)}`);
}

/** A JSON parameter: n8n hands over either the parsed value (from an expression) or the editor's text. */
export function parseJson(value: unknown, field: string): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	const parsed = tryParse(value);
	if (parsed.ok) return parsed.value;
	throw new InputError(field, `${field} is not valid JSON: ${parsed.reason}`);
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, reason: (error as Error).message };
	}
}

/** A list of objects from JSON, each checked for unknown keys so a typo never silently drops data. */
export function parseObjectList(value: unknown, field: string, allowedKeys: readonly string[]): IDataObject[] {
	const parsed = parseJson(value, field);
	if (parsed === undefined || parsed === null) return [];
	if (!Array.isArray(parsed)) throw new InputError(field, `${field} must be a JSON list ([...]), got ${typeof parsed}`);
	return parsed.map((entry, index) => {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
			throw new InputError(`${field}[${index}]`, `${field}[${index}] must be an object`);
		}
		const unknown = Object.keys(entry).filter((key) => !allowedKeys.includes(key));
		if (unknown.length) {
			throw new InputError(
				`${field}[${index}]`,
				`${field}[${index}] has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
				`Allowed: ${allowedKeys.join(', ')}.`,
			);
		}
		return entry as IDataObject;
	});
}

/** Text shortened for an error message: an input echoed back must not swamp it. */
export function truncate(text: string, maxLength = 60): string {
	return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

/**
 * An item's lines as the node's Items Input Mode gives them: the Items (JSON) list, with only the provider's keys,
 * or the form's entries (`<collection>.<entry>`), each turned into those keys by `fromFields`.
 */
export function readItemLines(
	params: ParamReader,
	form: { collection: string; entry?: string; jsonKeys: readonly string[]; fromFields?: (fields: IDataObject) => IDataObject },
): IDataObject[] {
	if (params.get<string>('itemsInputMode', 'fields') === 'json') return parseObjectList(params.get('itemsJson'), 'Items (JSON)', form.jsonKeys);
	const entries = params.get<IDataObject>(form.collection, {})[form.entry ?? 'item'];
	const lines = Array.isArray(entries) ? (entries as IDataObject[]) : [];
	return form.fromFields ? lines.map(form.fromFields) : lines;
}
