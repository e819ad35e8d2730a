// The n8n credentials `npm start` and the end-to-end run create: one per provider, pointing at the local
// sandbox with its demo credentials (sandbox/demoCredentials.ts). A provider whose credential type is not in
// the built package yet is skipped. IDs are fixed so the example workflows can refer to them.

/** @returns {{ id: string, name: string, type: string, data: object }[]} */
export function sandboxCredentials({ sandbox, demo, credentialTypes }) {
	const all = [
		{
			id: 'cmRebillySandbx1',
			name: 'Rebilly (sandbox)',
			type: 'rebillyApi',
			data: {
				environment: 'custom',
				baseUrl: sandbox.providerUrl('rebilly'),
				organizationId: demo.REBILLY_DEMO.organizationId,
				apiKey: demo.REBILLY_DEMO.apiKey,
			},
		},
		{
			id: 'cmMagentoRestSbx',
			name: 'Magento REST (sandbox)',
			type: 'magentoRestApi',
			data: {
				baseUrl: sandbox.providerUrl('magentoRest'),
				authentication: 'clientCredentials',
				clientId: demo.MAGENTO_REST_DEMO.clientId,
				clientSecret: demo.MAGENTO_REST_DEMO.clientSecret,
			},
		},
		{
			// Client credentials on the sandbox org, whose instance URL serves as the My Domain URL; n8n fetches the token.
			id: 'cmSalesforceSbx1',
			name: 'Salesforce OM (sandbox)',
			type: 'salesforceOmOAuth2Api',
			data: {
				grantType: 'clientCredentials',
				myDomainUrl: sandbox.providerUrl('salesforce'),
				clientId: demo.SALESFORCE_DEMO.clientId,
				clientSecret: demo.SALESFORCE_DEMO.clientSecret,
			},
		},
		{
			// V2 on the OpenMage store; the namespace is read from its WSDL, as for a real store.
			id: 'cmMagentoSoapSbx',
			name: 'Magento SOAP (sandbox)',
			type: 'magentoSoapApi',
			data: {
				storeUrl: `${sandbox.url}/magento-soap`,
				apiUser: demo.MAGENTO_SOAP_DEMO.apiUser,
				apiKey: demo.MAGENTO_SOAP_DEMO.apiKey,
				apiStyle: 'v2',
			},
		},
		{
			// OAuth2 client credentials; n8n fetches the token from <Base URL>/oauth/token.
			id: 'cmZuoraSandbox01',
			name: 'Zuora (sandbox)',
			type: 'zuoraOAuth2Api',
			data: {
				environment: 'custom',
				baseUrl: sandbox.providerUrl('zuora'),
				clientId: demo.ZUORA_DEMO.clientId,
				clientSecret: demo.ZUORA_DEMO.clientSecret,
				// The sandbox tenant writes its times in UTC (a real tenant: Manage Tenant Profile).
				tenantTimeZone: 'UTC',
			},
		},
	];
	return all.filter((credential) => credentialTypes.includes(credential.type));
}
