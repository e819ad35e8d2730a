import fc from 'fast-check';

import { ProviderError } from '../../../nodes/shared/errors';
import { toError } from '../../../nodes/shared/providers/magentoRest/errors';
import { accessTokenFrom, magentoApiRoot } from '../../../nodes/shared/providers/magentoRest/token';

describe('Magento REST errors', () => {
	it('reads {"error": …} with the status, and keeps the body as details', () => {
		const error = toError({ statusCode: 400, headers: {}, body: { error: 'Online refund not supported' } });
		expect(error).toMatchObject({
			provider: 'magentoRest',
			message: 'Magento REST: Online refund not supported',
			code: 'Online refund not supported',
			httpStatus: 400,
			outcome: 'failed',
			retryable: false,
			details: { error: 'Online refund not supported' },
		});
		expect(error.hint).toContain('Refund Type Offline');
	});

	it('marks 409 (conflict, duplicate or deadlock) as an unknown outcome, never retryable', () => {
		const error = toError({ statusCode: 409, headers: {}, body: { error: 'Conflict on save' } });
		expect(error).toMatchObject({ outcome: 'unknown', retryable: false, code: 'Conflict on save' });
		expect(error.description).toContain('a duplicate means what was sent may already exist (for a refund: a credit memo)');
	});

	it('falls back to the status for bodies without a message, and keeps markup out of the message', () => {
		expect(toError({ statusCode: 502, headers: {}, body: '<html><body>Bad Gateway</body></html>' })).toMatchObject({
			message: 'Magento REST: HTTP 502',
			code: undefined,
			details: '<html><body>Bad Gateway</body></html>',
		});
		expect(toError({ statusCode: 400, headers: {}, body: 'Invalid JSON' }).message).toBe('Magento REST: Invalid JSON');
		expect(toError({ statusCode: 404, headers: {}, body: { message: 'Invoice not found' } }).message).toBe('Magento REST: Invoice not found');
	});

	it('turns any body into a ProviderError with a bounded message, never throwing', () => {
		fc.assert(
			fc.property(fc.integer({ min: 400, max: 599 }), fc.oneof(fc.anything(), fc.string({ unit: 'binary', maxLength: 5000 }), fc.record({ error: fc.oneof(fc.anything(), fc.constantFrom('constructor', '__proto__', 'toString', 'Invalid item')) })), (status, body) => {
				const error = toError({ statusCode: status, headers: {}, body });
				expect(error).toBeInstanceOf(ProviderError);
				expect(error.message.startsWith('Magento REST: ')).toBe(true);
				expect(error.message.length).toBeLessThan(2100);
				expect(error.httpStatus).toBe(status);
				expect(['string', 'undefined']).toContain(typeof error.hint);
			}),
		);
	});
});

describe('Magento REST token handling', () => {
	it('takes access_token, with or without a Bearer token_type', () => {
		expect(accessTokenFrom({ access_token: ' abc ', token_type: 'Bearer', expires_in: 3600 })).toBe('abc');
		expect(accessTokenFrom({ access_token: 'abc' })).toBe('abc');
	});

	it('refuses a response without a usable token, without echoing the body', () => {
		expect(() => accessTokenFrom({ token: 'x', refresh_token: 'secret-refresh' })).toThrow('the token endpoint answered without an access_token');
		expect(() => accessTokenFrom('<html>')).toThrow(ProviderError);
		expect(() => accessTokenFrom({ access_token: 'abc', token_type: 'mac' })).toThrow('only Bearer tokens are supported');
		try {
			accessTokenFrom({ refresh_token: 'secret-refresh' });
		} catch (error) {
			expect(JSON.stringify(error)).not.toContain('secret-refresh');
		}
	});

	it('derives the API root from what people paste as the base URL', () => {
		expect(magentoApiRoot(' https://shop.test/ ')).toBe('https://shop.test');
		expect(magentoApiRoot('https://shop.test/api2//')).toBe('https://shop.test');
		expect(magentoApiRoot('http://127.0.0.1:4010/magento-rest')).toBe('http://127.0.0.1:4010/magento-rest');
	});
});
