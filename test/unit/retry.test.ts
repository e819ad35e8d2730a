import { DEFAULT_RETRY_POLICY, backoffMs, classifyStatus, networkFailureKind, retryAfterMs } from '../../nodes/shared/retry';

const response = (statusCode: number, headers: Record<string, string> = {}) => ({ statusCode, headers, body: {} });

describe('retry policy', () => {
	it('treats 429 as not processed, and 5xx (503 too: a proxy may answer it after the commit) as retryable only for repeatable requests', () => {
		expect(classifyStatus(response(429, { 'retry-after': '2' }), 'write')).toEqual({ retryable: true, rateLimited: true, waitMs: 2000 });
		expect(classifyStatus(response(503), 'write')).toEqual({ retryable: false });
		expect(classifyStatus(response(503, { 'retry-after': '3' }), 'idempotent')).toEqual({ retryable: true, waitMs: 3000 });
		expect(classifyStatus(response(500), 'write')).toEqual({ retryable: false });
		expect(classifyStatus(response(502), 'idempotent')).toEqual({ retryable: true });
		expect(classifyStatus(response(500), 'read')).toEqual({ retryable: true });
		expect(classifyStatus(response(400), 'read')).toEqual({ retryable: false });
		expect(classifyStatus(response(409), 'idempotent')).toEqual({ retryable: false });
	});

	it('reads Retry-After as seconds or an HTTP date, and RateLimit-Reset as seconds', () => {
		const now = Date.parse('2026-11-23T10:00:00Z');
		expect(retryAfterMs({ 'retry-after': '3' }, now)).toBe(3000);
		expect(retryAfterMs({ 'retry-after': 'Mon, 23 Nov 2026 10:00:05 GMT' }, now)).toBe(5000);
		expect(retryAfterMs({ 'ratelimit-reset': '7' }, now)).toBe(7000);
		expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
		expect(retryAfterMs({}, now)).toBeUndefined();
	});

	it('knows which network failures happened before the request left', () => {
		expect(networkFailureKind('ECONNREFUSED')).toBe('notSent');
		expect(networkFailureKind('ENOTFOUND')).toBe('notSent');
		expect(networkFailureKind('ECONNRESET')).toBe('maybeSent');
		expect(networkFailureKind('ETIMEDOUT')).toBe('maybeSent');
		expect(networkFailureKind(undefined)).toBe('maybeSent');
	});

	it('backs off exponentially with jitter, within the policy ceiling', () => {
		expect(backoffMs(1, DEFAULT_RETRY_POLICY, () => 0)).toBe(125);
		expect(backoffMs(1, DEFAULT_RETRY_POLICY, () => 1)).toBe(250);
		expect(backoffMs(3, DEFAULT_RETRY_POLICY, () => 1)).toBe(1000);
		expect(backoffMs(20, DEFAULT_RETRY_POLICY, () => 1)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
	});
});
