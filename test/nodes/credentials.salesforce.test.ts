import nock from 'nock';

import { runCredentialTest } from '../harness/credentialTest';
import { credentialsHelperFor } from '../harness/runWorkflow';

const TYPE = 'salesforceOmOAuth2Api';
const MY_DOMAIN = 'https://acme.my.salesforce.com';
const QUERY = { q: 'SELECT Id FROM CreditMemo LIMIT 1' };
const EMPTY_RESULT = { totalSize: 0, done: true, records: [] };

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Salesforce Order Management credential', () => {
	it.each([
		['production', {}, 'https://login.salesforce.com', 'api refresh_token'],
		['sandbox', {}, 'https://test.salesforce.com', 'api refresh_token'],
		['myDomain', { myDomainUrl: `${MY_DOMAIN}/ ` }, MY_DOMAIN, 'api refresh_token'],
	])('signs in at the %s login host with the authorization code grant', async (environment, extra, host, scope) => {
		const resolved = await credentialsHelperFor({}).resolveCredentialData(TYPE, { grantType: 'authorizationCode', environment, ...extra });

		expect(resolved).toMatchObject({
			authUrl: `${host}/services/oauth2/authorize`,
			accessTokenUrl: `${host}/services/oauth2/token`,
			scope,
			authentication: 'body',
			apiVersion: '66.0',
		});
	});

	it('always uses the My Domain URL for the client credentials grant, with no scope', async () => {
		const resolved = await credentialsHelperFor({}).resolveCredentialData(TYPE, { grantType: 'clientCredentials', myDomainUrl: MY_DOMAIN });

		expect(resolved).toMatchObject({ accessTokenUrl: `${MY_DOMAIN}/services/oauth2/token`, scope: '' });
	});

	it('tests a client credentials credential: n8n fetches a token at the My Domain URL, then one credit memo is read with it', async () => {
		const token = nock(MY_DOMAIN)
			.post('/services/oauth2/token', { grant_type: 'client_credentials', client_id: 'cid', client_secret: 'csecret' })
			.reply(200, { access_token: 'tok-cc', instance_url: MY_DOMAIN, token_type: 'Bearer', issued_at: '1763892000000' });
		const api = nock(MY_DOMAIN).get('/services/data/v66.0/query').query(QUERY).matchHeader('authorization', 'Bearer tok-cc').reply(200, EMPTY_RESULT);

		const result = await runCredentialTest(TYPE, { grantType: 'clientCredentials', myDomainUrl: MY_DOMAIN, clientId: 'cid', clientSecret: 'csecret' });

		expect(result).toEqual({ status: 200, body: EMPTY_RESULT });
		expect(token.isDone()).toBe(true);
		expect(api.isDone()).toBe(true);
	});

	it('tests a connected authorization code credential against its instance URL and API version, refreshing an expired token at the sandbox login host', async () => {
		const instance = 'https://acme--uat.sandbox.my.salesforce.com';
		const api = nock(instance)
			.get('/services/data/v60.0/query')
			.query(QUERY)
			.matchHeader('authorization', 'Bearer expired')
			.reply(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
			.get('/services/data/v60.0/query')
			.query(QUERY)
			.matchHeader('authorization', 'Bearer fresh')
			.reply(200, EMPTY_RESULT);
		const refresh = nock('https://test.salesforce.com')
			.post('/services/oauth2/token', { refresh_token: 'r-1', grant_type: 'refresh_token', client_id: 'cid', client_secret: 'csecret' })
			.reply(200, { access_token: 'fresh', instance_url: instance, token_type: 'Bearer' });

		const result = await runCredentialTest(TYPE, {
			grantType: 'authorizationCode',
			environment: 'sandbox',
			apiVersion: '60.0',
			clientId: 'cid',
			clientSecret: 'csecret',
			oauthTokenData: { access_token: 'expired', refresh_token: 'r-1', instance_url: instance, token_type: 'Bearer' },
		});

		expect(result.status).toBe(200);
		expect(api.isDone()).toBe(true);
		expect(refresh.isDone()).toBe(true);
	});

	it('fails the test when Salesforce refuses the client secret', async () => {
		nock(MY_DOMAIN).post('/services/oauth2/token').reply(400, { error: 'invalid_client', error_description: 'invalid client credentials' });

		const result = await runCredentialTest(TYPE, { grantType: 'clientCredentials', myDomainUrl: MY_DOMAIN, clientId: 'cid', clientSecret: 'wrong' });

		expect(result.status).not.toBe(200);
		expect(String(result.body)).toContain('Failed to acquire OAuth2 access token: Client authentication failed');
	});
});
