import nock from 'nock';

import { ProviderError } from '../../nodes/shared/errors';
import { runCredentialTest } from '../harness/credentialTest';

const SHOP = 'https://shop.example.test';

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Magento REST credential test request', () => {
	it.each([
		['https://shop.example.test', ''],
		['https://shop.example.test/api2/', ''],
		['http://127.0.0.1:4010/magento-rest/', '/magento-rest'],
	])('with client credentials (base URL %s): gets a token, then reads one order with it', async (baseUrl, prefix) => {
		const origin = new URL(baseUrl).origin;
		const scope = nock(origin)
			.post(`${prefix}/api2/oauth/token`, 'grant_type=client_credentials&client_id=integration-7&client_secret=s3cret')
			.matchHeader('content-type', 'application/x-www-form-urlencoded')
			.reply(200, { access_token: 'token-T', token_type: 'bearer' })
			.get(`${prefix}/api2/order`)
			.query({ limit: '1' })
			.matchHeader('authorization', 'Bearer token-T')
			.reply(200, { orders: [] });

		const result = await runCredentialTest('magentoRestApi', { baseUrl, authentication: 'clientCredentials', clientId: 'integration-7', clientSecret: 's3cret' });

		expect(result.status).toBe(200);
		expect(scope.isDone()).toBe(true);
	});

	it('with a fixed access token: reads one order with it, and asks for no token', async () => {
		const scope = nock(SHOP).get('/api2/order').query({ limit: '1' }).matchHeader('authorization', 'Bearer static-9').reply(200, { orders: [] });

		const result = await runCredentialTest('magentoRestApi', { baseUrl: SHOP, authentication: 'fixedToken', accessToken: 'static-9' });

		expect(result.status).toBe(200);
		expect(scope.isDone()).toBe(true);
	});

	it('a wrong fixed token fails the test with the store\'s 401', async () => {
		nock(SHOP).get('/api2/order').query(true).reply(401, { error: 'Unauthorized' });

		const result = await runCredentialTest('magentoRestApi', { baseUrl: SHOP, authentication: 'fixedToken', accessToken: 'wrong' });

		expect(result.status).toBe(401);
	});

	it('a refused client secret fails the test at the token request, with the store\'s words', async () => {
		nock(SHOP).post('/api2/oauth/token').reply(401, { error: 'invalid_client' });

		const test = runCredentialTest('magentoRestApi', { baseUrl: SHOP, authentication: 'clientCredentials', clientId: 'integration-7', clientSecret: 'wrong' });

		await expect(test).rejects.toBeInstanceOf(ProviderError);
		await expect(test).rejects.toMatchObject({ message: 'Magento REST: the token request was refused (HTTP 401: invalid_client)', httpStatus: 401, outcome: 'failed', requestSent: false });
	});
});
