import { ProviderError } from '../../errors';
import type { HttpResponse, ResponseClassification } from '../../types';
import type { ErrorWithOutput, SalesforceErrorItem } from './types';

/** Org-wide API request limit (HTTP 403) or too many concurrent long requests: not processed, wait and retry. */
const RATE_LIMIT_CODES = new Set(['REQUEST_LIMIT_EXCEEDED']);
/** A record lock held by another transaction: nothing was committed, so the request may be sent again. */
const TRANSIENT_CODES = new Set(['UNABLE_TO_LOCK_ROW']);

const HINTS_BY_CODE: Record<string, string> = {
	REQUEST_LIMIT_EXCEEDED:
		'Your Salesforce org has used up its API requests for now (Setup → Company Information shows the limit). Wait, or ask your Salesforce admin to raise it, then run the node again.',
	INVALID_SESSION_ID: 'The Salesforce session is no longer valid: reconnect the credential (or check the client ID and secret).',
	NOT_FOUND: 'Check the IDs, and that the credential points at the org they belong to (production, sandbox or My Domain).',
	INVALID_ID_FIELD: 'Check the IDs, and that the credential points at the org they belong to (production, sandbox or My Domain).',
	MALFORMED_ID: 'Check the IDs: Salesforce IDs are 15 or 18 letters and digits.',
	INSUFFICIENT_ACCESS: 'The Salesforce user of the credential lacks a permission: it needs the Order Management permissions (permission set) for order summaries and credit memos.',
	INSUFFICIENT_ACCESS_OR_READONLY: 'The Salesforce user of the credential may not change this record: check its Order Management permissions.',
	STRING_TOO_LONG: 'The text is longer than the Salesforce field allows.',
	UNABLE_TO_LOCK_ROW: 'Another process was changing the same records; run the node again.',
	API_DISABLED_FOR_ORG: 'The API is not enabled for this org or user (the user needs the "API Enabled" permission).',
};

const HINTS_BY_STATUS: Record<number, string> = {
	401: HINTS_BY_CODE.INVALID_SESSION_ID,
	403: HINTS_BY_CODE.INSUFFICIENT_ACCESS,
	404: HINTS_BY_CODE.NOT_FOUND,
};

/**
 * The error entries of any Salesforce error body: the REST API's array of `{ message, errorCode }`,
 * Connect's Error with Output (`output.errors`), an action output with `success: false`, or a single
 * `{ errorCode, message }`.
 */
export function errorItems(body: unknown): SalesforceErrorItem[] {
	if (Array.isArray(body)) return readItems(body);
	if (!body || typeof body !== 'object') return [];
	const object = body as ErrorWithOutput & { errors?: unknown };
	for (const list of [object.output?.errors, object.errors]) {
		const items = Array.isArray(list) ? readItems(list) : [];
		if (items.length) return items;
	}
	return readItems([{ errorCode: object.errorCode, message: object.message }]);
}

/** Only the text this package shows: a body of another shape never leaks objects into a message. */
function readItems(entries: unknown[]): SalesforceErrorItem[] {
	return entries.flatMap((entry) => {
		if (!entry || typeof entry !== 'object') return [];
		const { message, errorCode, fields } = entry as Record<string, unknown>;
		const item: SalesforceErrorItem = {
			errorCode: typeof errorCode === 'string' ? errorCode : undefined,
			message: typeof message === 'string' ? message : undefined,
		};
		if (Array.isArray(fields) && fields.every((field) => typeof field === 'string')) item.fields = fields;
		return item.errorCode || item.message ? [item] : [];
	});
}

/** A Salesforce error body (any of its forms, any status, a 2xx with `success: false` too) as a ProviderError. */
export function toError(response: HttpResponse): ProviderError {
	const items = errorItems(response.body);
	const messages = [...new Set(items.map((item) => item.message ?? item.errorCode).filter((text): text is string => !!text))];
	const code = items.find((item) => item.errorCode)?.errorCode;
	const fields = [...new Set(items.flatMap((item) => item.fields ?? []))];
	const codes = [...new Set(items.map((item) => item.errorCode).filter((value): value is string => !!value))];
	const ok = response.statusCode >= 200 && response.statusCode < 300;
	return new ProviderError({
		provider: 'salesforce',
		message: messages.length ? `Salesforce: ${messages.join('; ')}` : ok ? 'Salesforce reported the action as not successful, without an error message' : `Salesforce answered HTTP ${response.statusCode}`,
		code,
		httpStatus: response.statusCode,
		description: [codes.length > 1 ? `Error codes: ${codes.join(', ')}.` : '', fields.length ? `Fields: ${fields.join(', ')}.` : ''].filter(Boolean).join(' ') || undefined,
		hint: (code && HINTS_BY_CODE[code]) ?? HINTS_BY_STATUS[response.statusCode],
		retryable: !!code && (RATE_LIMIT_CODES.has(code) || TRANSIENT_CODES.has(code)),
		details: response.body as Record<string, unknown>,
	});
}

/** Salesforce's own "not processed, try again" signals, which the shared status rules cannot see (a 403, a 400). */
export function classify(response: HttpResponse): ResponseClassification | undefined {
	const codes = errorItems(response.body).map((item) => item.errorCode);
	if (codes.some((code) => code && RATE_LIMIT_CODES.has(code))) return { retryable: true, rateLimited: true };
	if (codes.some((code) => code && TRANSIENT_CODES.has(code))) return { retryable: true };
	return undefined;
}
