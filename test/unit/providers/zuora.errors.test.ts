import fc from 'fast-check';

import { ProviderError } from '../../../nodes/shared/errors';
import { classify, isCreditMemo, reasonCategory, toError } from '../../../nodes/shared/providers/zuora/errors';
import type { HttpResponse } from '../../../nodes/shared/types';

const response = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({ statusCode, headers, body });
const reasons = (...codes: Array<number | string>) => ({ success: false, reasons: codes.map((code) => ({ code, message: `reason ${code}` })) });

describe('Zuora errors', () => {
	it('reads the category from the last two digits of 8-digit codes, given as numbers or text', () => {
		expect(reasonCategory(53100320)).toBe(20);
		expect(reasonCategory('50000040')).toBe(40);
		expect(reasonCategory(' 53000070 ')).toBe(70);
		for (const wrong of [123, '1234567', 'abcdefgh', null, undefined, 5.3e7 + 0.5]) expect(reasonCategory(wrong)).toBeUndefined();
	});

	it.each([
		[50, true],
		[61, true],
		[70, true],
		[99, true],
		[20, false],
		[30, false],
		[40, false],
		[60, false],
	])('marks category %i retryable: %s', (category, retryable) => {
		const error = toError(response(200, reasons(`530000${category}`)));
		expect(error.retryable).toBe(retryable);
		expect(error.code).toBe(`530000${category}`);
		expect(error.hint).toBeTruthy();
	});

	it('joins every reason message and keeps the first code, the process and request IDs', () => {
		const error = toError(response(400, { ...reasons(53000020, 53000022), processId: 'P1' }, { 'zuora-request-id': 'req-9' }));
		expect(error).toMatchObject({ message: 'Zuora: reason 53000020; reason 53000022', code: '53000020', httpStatus: 400, provider: 'zuora' });
		expect(error.description).toBe('Zuora process ID P1, request ID req-9 (quote it to Zuora support).');
	});

	it('reads the 401 proxy body and text bodies too', () => {
		expect(toError(response(401, { message: 'Authentication error' }))).toMatchObject({ message: 'Zuora: Authentication error', httpStatus: 401 });
		expect(toError(response(502, '<html>Bad gateway</html>'))).toMatchObject({ message: 'Zuora: <html>Bad gateway</html>', httpStatus: 502 });
		expect(toError(response(500, undefined)).message).toBe('Zuora: HTTP 500');
	});

	it('never crashes on any body, and always names Zuora', () => {
		fc.assert(
			fc.property(fc.integer({ min: 100, max: 599 }), fc.anything(), (status, body) => {
				const error = toError(response(status, body));
				expect(error).toBeInstanceOf(ProviderError);
				expect(error.message.startsWith('Zuora: ')).toBe(true);
				classify(response(status, body));
			}),
		);
	});

	it('retries a 409 in flight, not a 409 carrying the stored memo or a stored permanent failure', () => {
		expect(classify(response(409, {}))).toEqual({ retryable: true });
		expect(classify(response(409, reasons(53000050)))).toEqual({ retryable: true });
		expect(classify(response(409, { id: 'cm-1', success: true }))).toEqual({ retryable: false });
		expect(classify(response(409, { memos: [{ id: 'cm-1', success: true }], success: true }))).toEqual({ retryable: false });
		expect(classify(response(409, reasons(53000040)))).toEqual({ retryable: false });
		// In flight: the memo may yet exist, so a 409 whose retries ran out is an unknown outcome, not a failure.
		expect(toError(response(409, {}))).toMatchObject({ outcome: 'unknown', retryable: true });
		expect(toError(response(409, reasons(53000040)))).toMatchObject({ outcome: 'failed' });
	});

	it('retries transient categories in any status and flags the concurrency limit', () => {
		expect(classify(response(429, reasons('50000070')))).toEqual({ retryable: true, rateLimited: true });
		expect(classify(response(400, reasons('50000050')))).toEqual({ retryable: true, rateLimited: false });
		expect(classify(response(400, reasons('50000020')))).toBeUndefined();
	});

	it('recognises a created memo, not a failure carrying an ID', () => {
		expect(isCreditMemo({ id: 'a', success: true })).toBe(true);
		expect(isCreditMemo({ id: 'a' })).toBe(true);
		expect(isCreditMemo({ id: 'a', success: false })).toBe(false);
		expect(isCreditMemo({ success: true })).toBe(false);
		expect(isCreditMemo('id')).toBe(false);
	});
});
