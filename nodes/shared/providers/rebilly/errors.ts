import { ProviderError } from '../../errors';
import type { HttpResponse, ResponseClassification } from '../../types';
import type { RebillyProblem } from './types';

const HINTS: Record<number, string> = {
	401: 'Check the secret API key and the environment in the Rebilly credential.',
	403: 'The API key is valid but may not act on this organization; check the organization ID and the key\'s permissions.',
	404: 'Check the IDs (customer, invoice, credit memo) and that the credential points at the right organization and environment.',
	409: 'The credit memo is in a state that does not allow this change.',
	429: 'Rebilly limits requests per organization; wait and run the node again, or lower the concurrency.',
};

/** Rebilly answers with RFC 9457 problem details; a 422 lists `invalidFields`. */
export function toError(response: HttpResponse): ProviderError {
	const problem = (response.body && typeof response.body === 'object' ? response.body : {}) as RebillyProblem;
	const title = problem.title ?? problem.error ?? `HTTP ${response.statusCode}`;
	const fieldErrors = (problem.invalidFields ?? [])
		.filter((entry) => entry.field || entry.message)
		.map((entry) => `${entry.field ?? '(body)'}: ${entry.message ?? 'invalid'}`);
	const message = fieldErrors.length
		? `Rebilly rejected the credit memo: ${fieldErrors.join('; ')}`
		: `Rebilly: ${problem.detail ?? title}`;
	return new ProviderError({
		provider: 'rebilly',
		message,
		code: title,
		httpStatus: response.statusCode,
		description: fieldErrors.length && problem.detail ? problem.detail : undefined,
		hint: HINTS[response.statusCode],
		details: problem as Record<string, unknown>,
	});
}

/** On 429 Rebilly sends `X-RateLimit-Retry-After` as an epoch timestamp in seconds, not a delay. */
export function classify(response: HttpResponse, now = Date.now()): ResponseClassification | undefined {
	if (response.statusCode !== 429) return undefined;
	const resetAt = Number(response.headers['x-ratelimit-retry-after']);
	const waitMs = Number.isFinite(resetAt) && resetAt > 0 ? Math.max(0, resetAt * 1000 - now) : undefined;
	return { retryable: true, rateLimited: true, waitMs };
}
