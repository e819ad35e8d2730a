/**
 * Validators built from the official spec fragments (sandbox/specs/, copied from ../shared/reference/specs/):
 * Rebilly's bundled JSON Schemas (OpenAPI 3.1 = JSON Schema 2020-12) and Zuora's OpenAPI 3.0 fragment.
 * Independent of the emulators' own validation code.
 */
import fs from 'node:fs';
import path from 'node:path';

import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const SPECS = path.join(__dirname, '..', '..', 'sandbox', 'specs');

export type Check = (value: unknown) => string[];

function checker(validate: { (value: unknown): boolean; errors?: Array<{ instancePath: string; message?: string }> | null }): Check {
	return (value) => (validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`));
}

let rebilly: Record<string, Check> | undefined;

export function rebillySchema(name: string): Check {
	if (!rebilly) {
		const bundle = JSON.parse(fs.readFileSync(path.join(SPECS, 'rebilly-credit-memo-schemas.bundled.json'), 'utf8')) as Record<string, object>;
		const ajv = new Ajv2020({ allErrors: true, strict: false });
		addFormats(ajv);
		rebilly = Object.fromEntries(Object.entries(bundle).map(([key, schema]) => [key, checker(ajv.compile(schema))]));
	}
	const check = rebilly[name];
	if (!check) throw new Error(`No Rebilly schema ${name}`);
	return check;
}

let zuora: Ajv | undefined;

/**
 * A Zuora component schema (e.g. "GETCreditMemoType", "CommonResponse"), OpenAPI 3.0: `nullable` is understood by
 * Ajv; `format: double/decimal` are number annotations.
 */
export function zuoraSchema(name: string): Check {
	if (!zuora) {
		const spec = parse(fs.readFileSync(path.join(SPECS, 'zuora-credit-memos-fragment.yaml'), 'utf8')) as { components: { schemas: object } };
		// No discriminator support: the fragment's Standalone branch also lists "Invoice" (a spec quirk), which Ajv rejects.
		zuora = new Ajv({ allErrors: true, strict: false });
		addFormats(zuora);
		zuora.addFormat('double', true);
		zuora.addFormat('decimal', true);
		zuora.addSchema({ $id: 'zuora', components: spec.components });
	}
	const validate = zuora.getSchema(`zuora#/components/schemas/${name}`);
	if (!validate) throw new Error(`No Zuora schema ${name}`);
	return checker(validate);
}

/** Zuora's request and response schemas allow custom fields (additionalProperties), so a passing check alone says
 * little about unknown fields; this lists properties the named schema (allOf merged) does not declare. */
export function zuoraDeclaredProperties(name: string): Set<string> {
	const spec = parse(fs.readFileSync(path.join(SPECS, 'zuora-credit-memos-fragment.yaml'), 'utf8')) as {
		components: { schemas: Record<string, { allOf?: Array<{ properties?: object; $ref?: string }>; properties?: object }> };
	};
	const names = new Set<string>();
	const visit = (schemaName: string) => {
		const schema = spec.components.schemas[schemaName];
		for (const key of Object.keys(schema.properties ?? {})) names.add(key);
		for (const part of schema.allOf ?? []) {
			if (part.$ref) visit(part.$ref.split('/').pop()!);
			for (const key of Object.keys(part.properties ?? {})) names.add(key);
		}
	};
	visit(name);
	return names;
}
