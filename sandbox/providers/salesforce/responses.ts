/**
 * Salesforce's error shapes (providers.md A):
 * - the REST array `[{message, errorCode, fields?}]` (platform errors: auth, not found, JSON parsing, limits);
 * - Connect's "Error with Output" `{enhancedErrorType, message, output}` for 4xx/5xx of the order-management
 *   actions, whose `output` is the action's own output with `success: false`;
 * - 2xx action outputs that still carry `errors[]` with `success: false`.
 */
import type { SandboxResponse } from '../../types';

export interface SalesforceError {
	errorCode: string;
	message: string;
	fields?: string[];
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
	return { status, headers: { 'Content-Type': 'application/json;charset=UTF-8', ...headers }, body };
}

export function restError(status: number, errorCode: string, message: string, fields?: string[]): SandboxResponse {
	const error: Record<string, unknown> = { message, errorCode };
	if (fields) error.fields = fields;
	return json(status, [error]);
}

export function errorWithOutput(status: number, message: string, output: Record<string, unknown>): SandboxResponse {
	return json(status, { enhancedErrorType: null, message, output });
}

export const NOT_FOUND = (): SandboxResponse => restError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const INVALID_SESSION = (): SandboxResponse => restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export function methodNotAllowed(method: string, allowed: string[]): SandboxResponse {
	return restError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`);
}

/** An OAuth endpoint error: `{error, error_description}` with HTTP 400 (401 for a bad client secret on some flows). */
export function oauthError(error: string, description: string, status = 400): SandboxResponse {
	return json(status, { error, error_description: description });
}

export type BodyResult = { ok: true; value: Record<string, unknown> } | { ok: false; response: SandboxResponse };

/** [line:L, column:C] of a character offset, as Jackson reports positions. */
function position(raw: string, offset: number): string {
	const before = raw.slice(0, offset);
	const line = before.split('\n').length;
	const column = offset - before.lastIndexOf('\n');
	return `[line:${line}, column:${column}]`;
}

/** Where a key first appears in the raw JSON (for "Unrecognized field ... at [line, column]"). */
function keyPosition(raw: string, key: string): string {
	const index = raw.indexOf(JSON.stringify(key));
	return position(raw, index < 0 ? 0 : index + JSON.stringify(key).length);
}

export function jsonParserError(message: string): SandboxResponse {
	return restError(400, 'JSON_PARSER_ERROR', message);
}

/**
 * Parses a JSON request body the way Connect and sObject resources do: only JSON objects; a field the input
 * type does not declare is JSON_PARSER_ERROR "Unrecognized field".
 */
export function parseObjectBody(raw: string, allowed: string[]): BodyResult {
	if (raw.trim() === '') return { ok: false, response: jsonParserError('No content to map due to end-of-input at [line:1, column:0]') };
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch (error) {
		const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
		const at = position(raw, match ? Number(match[1]) + 1 : raw.length);
		return { ok: false, response: jsonParserError(`Unexpected character in JSON input at ${at}`) };
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return { ok: false, response: jsonParserError(`Cannot deserialize instance of the input type out of ${Array.isArray(value) ? 'START_ARRAY' : 'VALUE'} token at [line:1, column:1]`) };
	}
	for (const key of Object.keys(value)) {
		if (!allowed.includes(key)) return { ok: false, response: unrecognizedField(raw, key) };
	}
	return { ok: true, value: value as Record<string, unknown> };
}

export function unrecognizedField(raw: string, key: string): SandboxResponse {
	return jsonParserError(`Unrecognized field "${key}" at ${keyPosition(raw, key)}`);
}

/** A field of the wrong JSON type, in Jackson's words. */
export function wrongType(raw: string, field: string, expected: string, actual: unknown): SandboxResponse {
	const token = Array.isArray(actual) ? 'START_ARRAY' : actual === null ? 'VALUE_NULL' : typeof actual === 'object' ? 'START_OBJECT' : typeof actual === 'string' ? 'VALUE_STRING' : typeof actual === 'number' ? 'VALUE_NUMBER' : 'VALUE_TRUE';
	return jsonParserError(`Cannot deserialize value of type \`${expected}\` from ${token} token for field "${field}" at ${keyPosition(raw, field)}`);
}
