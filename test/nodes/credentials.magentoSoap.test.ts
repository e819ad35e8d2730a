import nock from 'nock';

import { runCredentialTest } from '../harness/credentialTest';
import { API_KEY, STORE_URL, fixture, mockStore } from './magentoSoap.store';

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

const credential = { storeUrl: `${STORE_URL}/`, apiUser: 'n8n', apiKey: API_KEY, apiStyle: 'v2', namespace: '' };

describe('Magento SOAP credential test', () => {
	it('reads the WSDL, logs in with the API user and key in the store\'s namespace, ends the session, then fetches the WSDL', async () => {
		const wsdl = nock(STORE_URL).get('/api/v2_soap/').query({ wsdl: '1' }).times(2).reply(200, fixture('v2', 'wsdl-legacy'));
		const store = mockStore('v2', { login: [fixture('v2', 'login')], endSession: [fixture('v2', 'end-session')] });

		const result = await runCredentialTest('magentoSoapApi', credential);

		expect(result.status).toBe(200);
		expect(result.url).toBe(`${STORE_URL}/api/v2_soap/?wsdl=1`);
		expect(wsdl.isDone()).toBe(true);
		expect(store.operations()).toEqual(['login', 'endSession']);
		expect(store.requests[0].body).toContain('<ns1:login><username xsi:type="xsd:string">n8n</username>');
		expect(store.requests[0].body).toContain(`<apiKey xsi:type="xsd:string">${API_KEY}</apiKey>`);
		expect(store.requests[0].body).toContain('xmlns:ns1="urn:Magento"');
		expect(store.requests[1].body).toContain('<sessionId xsi:type="xsd:string">a1b2c3d4e5f60718293a4b5c6d7e8f90</sessionId>');
	});

	it('V1 with a namespace override skips the WSDL for the login and tests /api/soap/', async () => {
		const wsdl = nock(STORE_URL).get('/api/soap/').query({ wsdl: '1' }).reply(200, fixture('v1', 'wsdl'));
		const store = mockStore('v1', { login: [fixture('v1', 'login')], endSession: [fixture('v1', 'end-session')] });

		const result = await runCredentialTest('magentoSoapApi', { ...credential, apiStyle: 'v1', namespace: 'urn:OpenMage' });

		expect(result.status).toBe(200);
		expect(wsdl.isDone()).toBe(true);
		expect(store.operations()).toEqual(['login', 'endSession']);
	});

	it('a wrong API key fails the test with Magento\'s answer, explained', async () => {
		nock(STORE_URL).get('/api/v2_soap/').query({ wsdl: '1' }).reply(200, fixture('v2', 'wsdl-legacy'));
		mockStore('v2', { login: [fixture('v2', 'login-fault-2')] });

		await expect(runCredentialTest('magentoSoapApi', credential)).rejects.toMatchObject({
			message: 'Magento refused the API user or API key',
			code: '2',
			hint: expect.stringContaining('SOAP/XML-RPC - Users'),
		});
	});

	it('a WS-I store tested as V2 says which API style to choose', async () => {
		nock(STORE_URL).get('/api/v2_soap/').query({ wsdl: '1' }).reply(200, fixture('wsi', 'wsdl'));

		await expect(runCredentialTest('magentoSoapApi', credential)).rejects.toMatchObject({ code: 'API_STYLE_MISMATCH', hint: 'Choose "V2 (WS-I Compliance)" as the API style in the credential.' });
	});

	it('a store URL that does not serve the API says what to check', async () => {
		nock(STORE_URL).get('/api/v2_soap/').query({ wsdl: '1' }).reply(404, '<html><body>Not found</body></html>');

		await expect(runCredentialTest('magentoSoapApi', credential)).rejects.toMatchObject({
			message: 'The store answered HTTP 404 instead of SOAP',
			hint: expect.stringContaining('/index.php'),
		});
	});
});
