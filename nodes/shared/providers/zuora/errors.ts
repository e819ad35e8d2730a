import type { Outcome } from '../../errors';
import { ProviderError } from '../../errors';
import type { HttpResponse, ResponseClassification } from '../../types';
import type { ZuoraCreditMemo, ZuoraErrorBody, ZuoraReason } from './types';

/**
 * Zuora error codes are 8 digits whose last two give the category (Error handling guide): 50 locking contention,
 * 61 temporary error, 70 concurrency limit and 99 integration error are worth sending again; the rest are not.
 */
const RETRYABLE_CATEGORIES = new Set([50, 61, 70, 99]);

/** Zuora remembers a failed answer under the Idempotency-Key too, so a corrected request needs a new reference. */
const KEPT_24H = 'Zuora keeps this answer for the Refund Reference for 24 hours: after correcting the data, give the refund a new reference (for example RET-1001-2), otherwise the same answer comes back.';

const CATEGORY_HINTS: Record<number, string> = {
	10: 'The Zuora API user lacks a permission for this (Billing role: create or edit credit memos). Ask your Zuora administrator.',
	11: 'Check the client ID and secret, and that the credential\'s environment is the one the OAuth client was created in.',
	20: `Correct the value named in the message. ${KEPT_24H}`,
	21: `A field was not recognised; check the Zuora Version in the credential. ${KEPT_24H}`,
	22: `A required value is missing. ${KEPT_24H}`,
	23: `A required value is missing. ${KEPT_24H}`,
	30: `Zuora's billing rules refused the memo (for example the invoice is not posted, or the amount is more than the line can still be credited). ${KEPT_24H}`,
	40: 'Check the IDs (invoice, invoice item, account, product rate plan charge, credit memo) and that the credential points at the right Zuora environment.',
	45: 'Zuora does not offer this here; credit memos need the Invoice Settlement feature enabled in the tenant.',
	50: 'Another process was changing the same records in Zuora; run the node again.',
	60: 'Zuora had an internal error. If it persists, contact Zuora support with the process ID.',
	61: 'Zuora had a temporary problem; run the node again in a moment.',
	70: 'Too many requests were running at once in this Zuora tenant; run the node again in a moment.',
	90: 'Zuora could not read the request; this is a bug in the node, please report it.',
	99: 'A system connected to Zuora (tax engine, payment gateway) failed; run the node again later.',
};

const STATUS_HINTS: Record<number, string> = {
	401: CATEGORY_HINTS[11],
	403: CATEGORY_HINTS[10],
	404: CATEGORY_HINTS[40],
	409: 'A request with this Refund Reference is still being processed by Zuora; run the node again in a moment.',
	422: 'This Refund Reference was used in the last 24 hours for a different request (another invoice, source or tenant), so Zuora refused it and nothing was created. Give a new refund its own reference.',
	429: 'Zuora limits requests per tenant; run the node again after a while, or send fewer at once.',
};

export function reasonsOf(body: unknown): ZuoraReason[] {
	const reasons = (body && typeof body === 'object' ? (body as ZuoraErrorBody).reasons : undefined) ?? [];
	return Array.isArray(reasons) ? reasons.filter((reason) => reason && typeof reason === 'object') : [];
}

/** The category (last two digits) of an 8-digit reason code, given as a number or as text. */
export function reasonCategory(code: unknown): number | undefined {
	const text = typeof code === 'number' ? String(code) : typeof code === 'string' ? code.trim() : '';
	return /^\d{8}$/.test(text) ? Number(text.slice(-2)) : undefined;
}

function categoriesOf(reasons: ZuoraReason[]): number[] {
	return reasons.map((reason) => reasonCategory(reason.code)).filter((category): category is number => category !== undefined);
}

/** A response body that is a credit memo Zuora created (single create, a replay, or one memo of a bulk answer). */
export function isCreditMemo(body: unknown): body is ZuoraCreditMemo & { id: string } {
	return !!body && typeof body === 'object' && typeof (body as ZuoraCreditMemo).id === 'string' && (body as ZuoraCreditMemo).success !== false;
}

/** A stored successful answer: one created memo, or a bulk answer (which lists failures per memo). */
export function isStoredResult(body: unknown): boolean {
	if (isCreditMemo(body)) return true;
	const bulk = body as { memos?: unknown; success?: unknown } | null;
	return !!bulk && typeof bulk === 'object' && Array.isArray(bulk.memos) && bulk.success !== false;
}

/** Reads Zuora's CommonResponse / ErrorResponse / 401 body into a ProviderError (also for a 200 with `success: false`). */
export function toError(response: HttpResponse): ProviderError {
	const body = (response.body && typeof response.body === 'object' ? response.body : {}) as ZuoraErrorBody;
	const reasons = reasonsOf(body);
	const categories = categoriesOf(reasons);
	const messages = reasons.map((reason) => reason.message).filter((message): message is string => typeof message === 'string' && message !== '');
	const text = typeof response.body === 'string' ? response.body.trim().slice(0, 200) : '';
	const detail = messages.length ? messages.join('; ') : typeof body.message === 'string' && body.message ? body.message : text || `HTTP ${response.statusCode}`;
	const code = reasons.map((reason) => reason.code).find((value) => typeof value === 'number' || typeof value === 'string');
	const requestId = typeof body.requestId === 'string' ? body.requestId : response.headers['zuora-request-id'];
	const trace = [typeof body.processId === 'string' && `process ID ${body.processId}`, requestId && `request ID ${requestId}`].filter(Boolean);
	return new ProviderError({
		provider: 'zuora',
		message: `Zuora: ${detail}`,
		code: code === undefined ? undefined : String(code),
		httpStatus: response.statusCode,
		description: trace.length ? `Zuora ${trace.join(', ')} (quote it to Zuora support).` : undefined,
		hint: hintFor(response.statusCode, categories),
		retryable:
			categories.some((category) => RETRYABLE_CATEGORIES.has(category)) ||
			response.statusCode === 429 ||
			(response.statusCode === 409 && categories.length === 0),
		// A 409 without a stored result: a request with this key is still in progress, so the memo may yet exist.
		outcome: response.statusCode === 409 && categories.length === 0 ? 'unknown' : undefined,
		details: response.body,
	});
}

/** 401, 422 and 429 mean the same whatever the body says; otherwise the reason category is the more precise. */
function hintFor(status: number, categories: number[]): string | undefined {
	const byCategory = categories.length ? CATEGORY_HINTS[categories[0]] : undefined;
	return [401, 422, 429].includes(status) ? STATUS_HINTS[status] : (byCategory ?? STATUS_HINTS[status]);
}

/**
 * Zuora's own retry signals beyond the HTTP status: a reason category worth resending (in any status, since
 * tenants before 2024-05-20 answer them with 4xx or 200), and 409, which is an Idempotency-Key request still in
 * flight or lock contention, unless it carries the stored result (a replay, taken as the answer).
 */
export function classify(response: HttpResponse): ResponseClassification | undefined {
	const categories = categoriesOf(reasonsOf(response.body));
	const transient = categories.some((category) => RETRYABLE_CATEGORIES.has(category));
	if (response.statusCode === 409) return { retryable: !isStoredResult(response.body) && (categories.length === 0 || transient) };
	if (transient) return { retryable: true, rateLimited: categories.includes(70) };
	return undefined;
}

/** A write whose answer did not say what happened: the memo may exist. */
export function unknownOutcome(message: string, httpStatus?: number, details?: unknown): ProviderError {
	return new ProviderError({
		provider: 'zuora',
		message,
		httpStatus,
		hint: 'Look for the memo in Zuora (its comment carries the Refund Reference as [ref:…]) before sending this refund again.',
		outcome: 'unknown',
		details,
	});
}

/**
 * The memo in Zuora's answer, or the failure it reported, also on a 200 (`success: false`). An answer with
 * neither leaves a write's outcome unknown.
 */
export function memoFrom(response: HttpResponse, outcome: Outcome): ZuoraCreditMemo & { id: string } {
	if (isCreditMemo(response.body)) return response.body;
	if (response.body && typeof response.body === 'object' && (response.body as { success?: unknown }).success === false) throw toError(response);
	if (outcome === 'unknown') throw unknownOutcome('Zuora answered without a credit memo', response.statusCode, response.body);
	throw new ProviderError({ provider: 'zuora', message: 'Zuora answered without a credit memo', httpStatus: response.statusCode, details: response.body });
}

/** Zuora's "not found": HTTP 404, or (tenants before 2024-05-20) a 200 whose reason code is of category 40. */
export function isNotFound(error: unknown): error is ProviderError {
	return error instanceof ProviderError && (error.httpStatus === 404 || reasonCategory(error.code) === 40);
}

/** A memo key Zuora does not know, said plainly; Zuora's own code and message stay in the error. */
export function notFound(creditMemoKey: string, error: ProviderError): ProviderError {
	return new ProviderError({
		provider: 'zuora',
		message: `Zuora has no credit memo ${creditMemoKey}`,
		code: error.code,
		httpStatus: error.httpStatus,
		description: [error.message, error.description].filter(Boolean).join(' '),
		hint: 'Check the ID (32 characters) or number (for example CM00000001), and that the credential points at the Zuora environment and entity the memo is in.',
		details: error.details,
	});
}
