import fc from 'fast-check';

import { ProviderError } from '../../../nodes/shared/errors';
import { classify, errorItems, toError } from '../../../nodes/shared/providers/salesforce/errors';

const response = (statusCode: number, body: unknown) => ({ statusCode, headers: {}, body });

describe('Salesforce errors', () => {
	it('reads both documented forms and the action output alike', () => {
		const item = { errorCode: 'INVALID_INPUT', message: 'The change order is not valid.' };
		expect(errorItems([{ ...item, fields: ['changeOrderIds'] }])).toEqual([{ ...item, fields: ['changeOrderIds'] }]);
		expect(errorItems({ message: 'Error', enhancedErrorType: null, output: { success: false, errors: [item] } })).toEqual([item]);
		expect(errorItems({ success: false, errors: [item], creditMemoId: null })).toEqual([item]);
		expect(errorItems({ message: 'Only a message' })).toEqual([{ errorCode: undefined, message: 'Only a message' }]);
		expect(errorItems([{ message: { nested: true }, errorCode: 'X' }, 'text', null])).toEqual([{ errorCode: 'X', message: undefined }]);
		expect(errorItems('<html>Bad gateway</html>')).toEqual([]);
	});

	it('turns the error array into a readable error with the code, the fields and a hint', () => {
		const error = toError(
			response(400, [
				{ errorCode: 'INVALID_ID_FIELD', message: 'Invalid change order ID', fields: ['changeOrderIds'] },
				{ errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'The order summary is not in the right status' },
			]),
		);
		expect(error).toMatchObject({
			provider: 'salesforce',
			message: 'Salesforce: Invalid change order ID; The order summary is not in the right status',
			code: 'INVALID_ID_FIELD',
			httpStatus: 400,
			description: 'Error codes: INVALID_ID_FIELD, FIELD_INTEGRITY_EXCEPTION. Fields: changeOrderIds.',
			retryable: false,
			outcome: 'failed',
		});
		expect(error.hint).toContain('Check the IDs');
	});

	it('prefers the output\'s errors of an Error with Output, and says something useful without any', () => {
		expect(toError(response(400, { message: 'Bad Request', output: { success: false, errors: [{ errorCode: 'X', message: 'Specific' }] } })).message).toBe('Salesforce: Specific');
		expect(toError(response(400, { message: 'Only the top message', output: null })).message).toBe('Salesforce: Only the top message');
		expect(toError(response(502, '<html/>')).message).toBe('Salesforce answered HTTP 502');
		expect(toError(response(201, { success: false, errors: [] })).message).toBe('Salesforce reported the action as not successful, without an error message');
	});

	it('classifies REQUEST_LIMIT_EXCEEDED (403) as a rate limit and a row lock as transient; nothing else', () => {
		expect(classify(response(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]))).toEqual({ retryable: true, rateLimited: true });
		expect(classify(response(400, { output: { errors: [{ errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access' }] } }))).toEqual({ retryable: true });
		expect(classify(response(403, [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'no' }]))).toBeUndefined();
		expect(toError(response(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'x' }]))).toMatchObject({ retryable: true, hint: expect.stringContaining('API requests') });
	});

	it('never throws on any body and always has a message', () => {
		fc.assert(
			fc.property(fc.integer({ min: 100, max: 599 }), fc.anything(), (status, body) => {
				const error = toError(response(status, body));
				expect(error).toBeInstanceOf(ProviderError);
				expect(error.message.length).toBeGreaterThan(0);
				expect(error.message).not.toContain('[object');
				classify(response(status, body));
			}),
		);
	});
});
