import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { ProviderError } from './errors';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY, backoffMs, classifyStatus, networkFailureKind } from './retry';
import type { HttpResponse, PreparedRequest, ProviderKey, SendOptions, SessionContext } from './types';

/** Requests that hang longer than this are abandoned; for writes that is an unknown outcome. */
export const REQUEST_TIMEOUT_MS = 60_000;

export interface TransportOptions {
	policy?: RetryPolicy;
	/** Injected so tests can record waits instead of sleeping. */
	wait?: (ms: number) => Promise<void>;
	/** Called when the provider signals a rate limit (Bulk lowers its concurrency). */
	onRateLimited?: () => void;
}

interface AxiosLikeError {
	code?: string;
	message?: string;
	response?: { status: number; headers?: unknown; data?: unknown };
}

/** The only place that sends HTTP: n8n's authenticated request helper, our retry policy around it. */
export function createSessionContext(exec: IExecuteFunctions, provider: ProviderKey, options: TransportOptions = {}): SessionContext {
	const policy = options.policy ?? DEFAULT_RETRY_POLICY;
	const wait = options.wait ?? (async (ms: number) => await sleep(ms, exec.getExecutionCancelSignal()));

	return {
		async getCredentials(type) {
			return (await exec.getCredentials(type)) as IDataObject;
		},

		async send(credentialType, request, sendOptions, toError) {
			let waited = 0;
			for (let attempt = 1; ; attempt++) {
				const canRetry = (waitMs: number) => attempt < policy.maxAttempts && waited + waitMs <= policy.maxTotalWaitMs;
				let response: HttpResponse;
				try {
					response = await sendOnce(exec, credentialType, request);
				} catch (error) {
					const failure = unwrap(error);
					// Raised by a credential's preAuthentication (a token exchange that failed): the request itself
					// was never sent, so it must not be mistaken for a write that may have happened.
					if (failure instanceof ProviderError) throw failure;
					const tokenFailure = oauth2TokenFailure(provider, error);
					if (tokenFailure) throw tokenFailure;
					if (failure.response) {
						// Only 401 is thrown (n8n has already re-authenticated once and retried): a real auth failure.
						throw toError(toHttpResponse(failure.response));
					}
					const kind = networkFailureKind(failure.code);
					const safeToRepeat = kind === 'notSent' || sendOptions.safety !== 'write';
					const delay = backoffMs(attempt, policy);
					if (safeToRepeat && canRetry(delay)) {
						waited += delay;
						await wait(delay);
						continue;
					}
					throw networkError(provider, failure, kind, sendOptions, attempt);
				}

				if (response.statusCode >= 200 && response.statusCode < 300) return response;

				const shared = classifyStatus(response, sendOptions.safety);
				const specific = sendOptions.classify?.(response);
				const decision = { ...shared, ...specific, waitMs: specific?.waitMs ?? shared.waitMs };
				if (decision.rateLimited) options.onRateLimited?.();
				if (decision.retryable) {
					const delay = decision.waitMs ?? backoffMs(attempt, policy);
					if (delay <= policy.maxServerWaitMs && canRetry(delay)) {
						waited += delay;
						await wait(delay);
						continue;
					}
				}
				const providerError = toError(response);
				// A 5xx on anything but a read may have come after the commit, unless the provider's own answer said
				// it was not processed; an idempotent one is still safe to send again as the same request.
				const unknown = response.statusCode >= 500 && sendOptions.safety !== 'read' && specific?.retryable !== true;
				throw new ProviderError({
					provider: providerError.provider,
					message: providerError.message,
					code: providerError.code,
					httpStatus: providerError.httpStatus ?? response.statusCode,
					description: providerError.description,
					hint:
						providerError.hint ??
						(unknown
							? unknownHint(sendOptions.safety, 'The provider failed after receiving the request')
							: undefined),
					retryable: decision.retryable || providerError.retryable || (unknown && sendOptions.safety === 'idempotent'),
					outcome: unknown ? 'unknown' : providerError.outcome,
					details: providerError.details,
				});
			}
		},
	};
}

async function sendOnce(exec: IExecuteFunctions, credentialType: string, request: PreparedRequest): Promise<HttpResponse> {
	const isJson = request.body === undefined || typeof request.body !== 'string';
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		headers: { ...request.headers },
		qs: request.qs,
		body: request.body as IHttpRequestOptions['body'],
		json: isJson,
		returnFullResponse: true,
		// Every status comes back to us to classify, except 401: n8n must still see it to refresh the token.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
		timeout: REQUEST_TIMEOUT_MS,
	};
	const raw = (await exec.helpers.httpRequestWithAuthentication.call(exec, credentialType, options)) as {
		statusCode: number;
		headers: unknown;
		body: unknown;
	};
	return { statusCode: raw.statusCode, headers: lowerCaseHeaders(raw.headers), body: raw.body };
}

/** @n8n/client-oauth2's codes for a token endpoint that refused (EAUTH: an OAuth error body) or failed (ESTATUS). */
const TOKEN_ENDPOINT_CODES = new Set(['EAUTH', 'ESTATUS']);

/**
 * n8n could not get an OAuth2 token (the token endpoint refused the client or the refresh token, or the
 * credential must be reconnected), so the request itself never left. Told apart from a failure of the request by
 * what the error's causes lack: an HTTP response and a network error code. Without this, a wrong client secret
 * would look like a write that may have happened, and be retried as one.
 */
function oauth2TokenFailure(provider: ProviderKey, error: unknown): ProviderError | undefined {
	const chain: Array<AxiosLikeError & { isAxiosError?: boolean; body?: unknown }> = [];
	for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
		chain.push(current as AxiosLikeError);
	}
	const sent = chain.some((entry) => entry.response || entry.isAxiosError || (typeof entry.code === 'string' && !TOKEN_ENDPOINT_CODES.has(entry.code)));
	if (sent) return undefined;
	const endpoint = chain.find((entry) => typeof entry.code === 'string');
	const body = (endpoint?.body && typeof endpoint.body === 'object' ? endpoint.body : {}) as { error?: unknown; error_description?: unknown };
	// The first cause is n8n's own wording ("Failed to acquire OAuth2 access token: …"); the token endpoint's says why.
	const detail = typeof body.error_description === 'string' ? body.error_description : undefined;
	const message = (chain[1] ?? chain[0])?.message ?? 'The credential could not get an access token';
	return new ProviderError({
		provider,
		message: detail && !message.includes(detail) ? `${message} (${detail})` : message,
		code: typeof body.error === 'string' ? body.error : endpoint?.code,
		description: 'The request was not sent: n8n could not get an access token for the credential.',
		hint: 'Check the credential (client ID and secret, the login or My Domain address) or reconnect it, then run the node again.',
		retryable: endpoint?.code === 'ESTATUS',
		outcome: 'failed',
		requestSent: false,
	});
}

function unwrap(error: unknown): AxiosLikeError {
	// n8n wraps transport errors in NodeApiError; the axios error is its cause.
	const cause = (error as { cause?: unknown })?.cause;
	const candidate = (cause && typeof cause === 'object' ? cause : error) as AxiosLikeError;
	return candidate ?? {};
}

function toHttpResponse(response: NonNullable<AxiosLikeError['response']>): HttpResponse {
	return { statusCode: response.status, headers: lowerCaseHeaders(response.headers), body: response.data };
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	if (!headers || typeof headers !== 'object') return result;
	for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
		if (value === undefined || value === null) continue;
		result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return result;
}

/** What to do about a request that may have been processed: check first, unless sending it again is safe. */
function unknownHint(safety: SendOptions['safety'], what: string): string {
	return safety === 'idempotent'
		? `${what}, so the credit memo may or may not exist. Running the same refund again (same Refund Reference and data) returns it if it does; check the provider before sending it any other way.`
		: `${what}, so the credit memo may or may not exist. Check the provider before sending it again.`;
}

function networkError(provider: ProviderKey, failure: AxiosLikeError, kind: 'notSent' | 'maybeSent', options: SendOptions, attempts: number): ProviderError {
	// Retries ran out on a request that may have been processed: for any write, idempotent or not, that is an
	// unknown outcome (a re-run that is not the same request would not be recognised by the provider).
	const unknown = kind === 'maybeSent' && options.safety !== 'read';
	return new ProviderError({
		provider,
		message: unknown
			? 'No answer from the provider after the request was sent'
			: kind === 'notSent'
				? 'Could not reach the provider'
				: 'The connection to the provider failed',
		code: failure.code,
		description: `${failure.message ?? 'Network error'} (after ${attempts} attempt${attempts === 1 ? '' : 's'}).`,
		hint: unknown
			? unknownHint(options.safety, 'No answer came after the request was sent')
			: 'Check the credential\'s URL and that the provider is reachable, then run the node again.',
		retryable: !unknown || options.safety === 'idempotent',
		outcome: unknown ? 'unknown' : 'failed',
		requestSent: kind === 'notSent' ? false : undefined,
	});
}
