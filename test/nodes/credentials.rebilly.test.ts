import nock from 'nock';

import { runCredentialTest } from '../harness/credentialTest';

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Rebilly credential test request', () => {
	it.each([
		['sandbox', {}, 'https://api-sandbox.rebilly.com'],
		['live', {}, 'https://api.rebilly.com'],
		['custom', { baseUrl: 'http://127.0.0.1:4010/rebilly/' }, 'http://127.0.0.1:4010/rebilly'],
	])('lists one credit memo on the %s server with the REB-APIKEY header', async (environment, extra, base) => {
		const scope = nock(base.replace(/\/rebilly$/, ''))
			.get(`${base.endsWith('/rebilly') ? '/rebilly' : ''}/organizations/my-org/credit-memos`)
			.query({ limit: '1' })
			.matchHeader('REB-APIKEY', 'sk_live_123')
			.reply(200, []);

		const result = await runCredentialTest('rebillyApi', { environment, organizationId: 'my-org', apiKey: 'sk_live_123', ...extra });

		expect(result.status).toBe(200);
		expect(scope.isDone()).toBe(true);
	});
});
