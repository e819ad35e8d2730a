import { ProviderError } from '../../errors';
import { truncate } from '../../validate';
import type { HttpResponse, ResponseClassification } from '../../types';
import type { MagentoErrorBody } from './types';

const CONFLICT_DESCRIPTION =
	'Magento reported a save conflict, a duplicate or a deadlock, and does not say which; a duplicate means what was sent may already exist (for a refund: a credit memo).';

const STATUS_HINTS: Record<number, string> = {
	400: 'Magento refused the request as invalid; check the source ID, the items and the amounts.',
	401: 'Check the Magento REST credential: the base URL, and the client ID and secret (or the access token).',
	403: 'The credential is valid but may not create credit memos; check the integration\'s permissions in Magento.',
	404: 'Magento found no such invoice or order. Entity IDs (e.g. 456) and increment IDs (e.g. 100000045) are different numbers: check which one the Source says.',
	409: 'Check the order\'s credit memos in the Magento admin before running this item again.',
	500: 'Magento failed after receiving the request, so the credit memo may or may not exist. Check the order\'s credit memos in the Magento admin before running this item again.',
	503: 'Magento was unavailable or busy. Check the order\'s credit memos in the Magento admin before running this item again.',
};

/**
 * The API has no error codes, only the texts its documentation lists; those exact texts get a hint a
 * finance person can act on (compared whole, never searched for inside other messages).
 */
const DOCUMENTED_HINTS = new Map([
	[
		'invalid item',
		'Each item needs an order item ID or a SKU (not both) and a quantity above 0, and must belong to this invoice or order.',
	],
	[
		'cannot create credit memo',
		'The invoice or order accepts no further refunds: it is already fully refunded or canceled. Check its credit memos in the Magento admin.',
	],
	[
		'online refund not supported',
		'This order\'s payment method cannot refund online. Use Refund Type Offline and pay the customer back outside Magento.',
	],
	[
		'payment gateway error',
		'The payment gateway failed during the online refund, so money may or may not have moved. Check the gateway and the order\'s credit memos in the Magento admin before trying again.',
	],
]);

/** Longest provider text carried into an error (an HTML error page from a proxy can be huge). */
const MAX_DETAIL_CHARS = 2000;

/**
 * `{"error": "message"}` for the whole /api2 family. Status decisions:
 * - 503 (lock wait / DB contention) is documented as transient: `classify` has it retried when Magento said it.
 * - 409 ("save conflict, duplicate or deadlock") is never retried and is reported as an unknown outcome:
 *   a deadlock rolls back, but a duplicate means a memo for this refund may exist, and the body does not
 *   say which. Retrying a duplicate would be a second refund.
 * - other 5xx after a create are unknown outcomes (the shared transport decides that for writes).
 */
export function toError(response: HttpResponse): ProviderError {
	const text = errorText(response.body);
	const documentedHint = text ? DOCUMENTED_HINTS.get(text.trim().toLowerCase()) : undefined;
	return new ProviderError({
		provider: 'magentoRest',
		message: `Magento REST: ${text ?? `HTTP ${response.statusCode}`}`,
		code: text,
		httpStatus: response.statusCode,
		description: response.statusCode === 409 ? CONFLICT_DESCRIPTION : undefined,
		hint: documentedHint ?? STATUS_HINTS[response.statusCode],
		retryable: false,
		outcome: response.statusCode === 409 ? 'unknown' : 'failed',
		details: detailsOf(response.body),
	});
}

/** MySQL's own texts for a transaction it rolled back (ER_LOCK_WAIT_TIMEOUT, ER_LOCK_DEADLOCK). */
const ROLLED_BACK = /^(lock wait timeout|deadlock found)/i;

/**
 * Magento's 503 for a lock wait (documented as transient) carries MySQL's text, which says the transaction was
 * rolled back: nothing was saved, so a write is sent again. Any other 503, a proxy's page or another JSON error,
 * may come while Magento is still saving: that stays an unknown outcome, never sent twice.
 */
export function classify(response: HttpResponse): ResponseClassification | undefined {
	const body = response.body as MagentoErrorBody | undefined;
	if (response.statusCode === 503 && body && typeof body === 'object' && typeof body.error === 'string' && ROLLED_BACK.test(body.error.trim())) return { retryable: true };
	return undefined;
}

/** The provider's message from an /api2 error body (or a plain-text one); undefined when there is none. */
export function errorText(body: unknown): string | undefined {
	if (typeof body === 'string') {
		const trimmed = body.trim();
		// Plain text answers are the message; markup (a proxy's error page) is only kept in the details.
		return trimmed && !trimmed.startsWith('<') ? truncate(trimmed, MAX_DETAIL_CHARS) : undefined;
	}
	if (!body || typeof body !== 'object') return undefined;
	const { error, error_description: description, message } = body as MagentoErrorBody;
	const main = typeof error === 'string' && error.trim() ? error.trim() : typeof message === 'string' && message.trim() ? message.trim() : undefined;
	if (main && typeof description === 'string' && description.trim()) return truncate(`${main}: ${description.trim()}`, MAX_DETAIL_CHARS);
	return main === undefined ? undefined : truncate(main, MAX_DETAIL_CHARS);
}

function detailsOf(body: unknown): unknown {
	if (typeof body === 'string') return body ? truncate(body, MAX_DETAIL_CHARS) : undefined;
	return body ?? undefined;
}

