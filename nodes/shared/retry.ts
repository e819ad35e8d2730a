import type { HttpResponse, RequestSafety, ResponseClassification } from './types';

/** Limits of the transport's own retries; n8n's Retry On Fail is the user's coarser lever on top. */
export interface RetryPolicy {
	maxAttempts: number;
	/** First backoff step; doubled each attempt, with full jitter. */
	baseDelayMs: number;
	maxDelayMs: number;
	/** A server asking for a longer wait than this is not waited for: the item fails as retryable. */
	maxServerWaitMs: number;
	/** Total time one request may spend waiting between attempts. */
	maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 250,
	maxDelayMs: 8_000,
	maxServerWaitMs: 60_000,
	maxTotalWaitMs: 120_000,
};

/**
 * Network failures where the request never reached the server: always safe to send again.
 * Anything else (a reset, a timeout) may have happened after the server received the request.
 */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

export type NetworkFailureKind = 'notSent' | 'maybeSent';

export function networkFailureKind(code: string | undefined): NetworkFailureKind {
	return code && NOT_SENT_CODES.has(code) ? 'notSent' : 'maybeSent';
}

/**
 * The shared part of the retry decision for an HTTP answer:
 * 429 means "not processed, come back later" everywhere. A 5xx, 503 included, may come after a commit (a proxy
 * answers 503 when the store behind it is slow to answer a create it is still saving), so only requests that are
 * safe to repeat are retried on it; a write is retried on a 5xx only when the provider's own classify recognises
 * its documented "not processed" answer (Magento REST's lock wait, Zuora's transient categories).
 */
export function classifyStatus(response: HttpResponse, safety: RequestSafety): ResponseClassification {
	const status = response.statusCode;
	if (status === 429) return { retryable: true, rateLimited: true, waitMs: retryAfterMs(response.headers) };
	if (status >= 500) return { retryable: safety !== 'write', waitMs: status === 503 ? retryAfterMs(response.headers) : undefined };
	return { retryable: false };
}

/** Reads `Retry-After` (seconds or an HTTP date) and `RateLimit-Reset` (seconds), whichever is present. */
export function retryAfterMs(headers: Record<string, string>, now = Date.now()): number | undefined {
	const retryAfter = headers['retry-after'];
	if (retryAfter !== undefined) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
		const date = Date.parse(retryAfter);
		// A malformed header must not disable the retry: fall back to backoff.
		if (!Number.isNaN(date)) return Math.max(0, date - now);
	}
	const reset = Number(headers['ratelimit-reset']);
	if (headers['ratelimit-reset'] !== undefined && Number.isFinite(reset) && reset >= 0) return reset * 1000;
	return undefined;
}

/** Exponential backoff with full jitter, for when the server did not say how long to wait. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
