/**
 * Strict request validation against the official Rebilly JSON Schemas (sandbox/specs/, from Rebilly/api-definitions).
 * Types, enums, lengths and formats come from the schema through Ajv; unknown fields are rejected by name and
 * readOnly fields dropped (as the API ignores them). Messages are Symfony-validator style (Rebilly is a PHP API;
 * its exact texts are not published: an assumption).
 */
import fs from 'node:fs';
import path from 'node:path';

import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import { stripAndFindUnknown, type SchemaNode } from '../../util/jsonSchema';

export interface InvalidField {
	field: string;
	message: string;
}

type SchemaName = 'CreditMemo' | 'PatchCreditMemo' | 'CreditMemoTimeline';

const SPEC_FILE = path.join(__dirname, '..', '..', 'specs', 'rebilly-credit-memo-schemas.bundled.json');

let compiled: { schemas: Record<string, SchemaNode>; validators: Record<SchemaName, ValidateFunction> } | undefined;

function load() {
	if (!compiled) {
		const schemas = JSON.parse(fs.readFileSync(SPEC_FILE, 'utf8')) as Record<string, SchemaNode>;
		// JSON Schema 2020-12 (OpenAPI 3.1); strict: false because the spec carries OpenAPI annotations (example, x-*, discriminator).
		const ajv = new Ajv2020({ allErrors: true, strict: false });
		addFormats(ajv);
		const validators = {} as Record<SchemaName, ValidateFunction>;
		for (const name of ['CreditMemo', 'PatchCreditMemo', 'CreditMemoTimeline'] as const) validators[name] = ajv.compile(schemas[name]);
		compiled = { schemas, validators };
	}
	return compiled;
}

function fieldOf(error: ErrorObject): string {
	const parts = error.instancePath.split('/').filter(Boolean);
	if (error.keyword === 'required') parts.push(String((error.params as { missingProperty: string }).missingProperty));
	return parts.map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

function messageOf(error: ErrorObject): string {
	const params = error.params as Record<string, unknown>;
	switch (error.keyword) {
		case 'required':
			return 'This value should not be blank.';
		case 'type':
			return `This value should be of type ${String(params.type).replace(',', '|')}.`;
		case 'enum':
			return 'The value you selected is not a valid choice.';
		case 'maxLength':
			return `This value is too long. It should have ${String(params.limit)} characters or less.`;
		case 'minLength':
			return `This value is too short. It should have ${String(params.limit)} characters or more.`;
		default:
			return 'This value is not valid.';
	}
}

/**
 * Validates a request body against one of the bundled schemas. Returns the body without readOnly fields, or the
 * invalid fields (unknown, mistyped, missing, too long, not in the enum).
 */
export function validateBody(name: SchemaName, body: unknown): { ok: true; value: Record<string, unknown> } | { ok: false; invalidFields: InvalidField[] } {
	const { schemas, validators } = load();
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return { ok: false, invalidFields: [{ field: '', message: 'This value should be of type object.' }] };
	}
	const { value, unknown } = stripAndFindUnknown(schemas[name], body);
	const invalid: InvalidField[] = unknown.map(({ field }) => ({ field, message: 'This field was not expected.' }));
	const validate = validators[name];
	if (!validate(value)) {
		const seen = new Set(invalid.map((item) => item.field));
		// oneOf/anyOf report their branches' errors too: keep the first, most specific message per field.
		for (const error of validate.errors ?? []) {
			if (error.keyword === 'oneOf' || error.keyword === 'anyOf') continue;
			const field = fieldOf(error);
			if (seen.has(field)) continue;
			seen.add(field);
			invalid.push({ field, message: messageOf(error) });
		}
		if (invalid.length === 0) invalid.push({ field: '', message: 'This value is not valid.' });
	}
	// A nullable object (tax) fails its "null" branch too: report the nested field, not the parent.
	const fields = invalid.map((item) => item.field);
	const reported = invalid.filter(({ field }) => !fields.some((other) => other !== field && field !== '' && other.startsWith(`${field}.`)));
	return reported.length ? { ok: false, invalidFields: reported } : { ok: true, value: value as Record<string, unknown> };
}
