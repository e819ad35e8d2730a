import nock from 'nock';

import { ZUORA_ENVIRONMENTS } from '../../credentials/ZuoraOAuth2Api.credentials';
import { runCredentialTest } from '../harness/credentialTest';

const CLIENT_ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});

/** The token request and the test request n8n makes for one server, as Zuora would answer them. */
function server(base: string, prefix = '') {
	const tokenBodies: unknown[] = [];
	const scope = nock(base)
		.post(`${prefix}/oauth/token`, (body) => {
			tokenBodies.push(body);
			return true;
		})
		.reply(200, { access_token: 'token-xyz', expires_in: 3599, token_type: 'bearer' })
		.get(`${prefix}/v1/credit-memos`)
		.query({ page: '1', pageSize: '1' })
		.matchHeader('authorization', 'Bearer token-xyz')
		.reply(200, { creditmemos: [], success: true });
	return { scope, tokenBodies };
}

describe('Zuora credential test request', () => {
	it.each(Object.entries(ZUORA_ENVIRONMENTS))('gets a client-credentials token from %s and lists one credit memo there', async (environment, { url }) => {
		const { scope, tokenBodies } = server(url);

		const result = await runCredentialTest('zuoraOAuth2Api', { environment, clientId: CLIENT_ID, clientSecret: 'secret-1' });

		expect(result.status).toBe(200);
		expect(scope.isDone()).toBe(true);
		expect(tokenBodies).toEqual([{ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: 'secret-1' }]);
	});

	it('uses a custom base URL (trailing slash and spaces removed) for the token and the test request', async () => {
		const { scope } = server('http://127.0.0.1:4010', '/zuora');

		const result = await runCredentialTest('zuoraOAuth2Api', { environment: 'custom', baseUrl: ' http://127.0.0.1:4010/zuora/ ', clientId: CLIENT_ID, clientSecret: 's' });

		expect(result.status).toBe(200);
		expect(scope.isDone()).toBe(true);
	});

	it('fails when Zuora refuses the client', async () => {
		nock('https://rest.test.zuora.com').post('/oauth/token').reply(401, { error: 'invalid_client' });

		const result = await runCredentialTest('zuoraOAuth2Api', { environment: 'usDeveloperSandbox', clientId: CLIENT_ID, clientSecret: 'wrong' });

		expect(result.status).not.toBe(200);
		expect(result.body).toEqual(expect.stringContaining('Failed to acquire OAuth2 access token'));
	});
});
