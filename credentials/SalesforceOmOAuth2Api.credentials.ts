import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Salesforce's shared login hosts; an org's My Domain host serves logins and tokens too. */
export const SALESFORCE_LOGIN_HOSTS = {
	production: 'https://login.salesforce.com',
	sandbox: 'https://test.salesforce.com',
} as const;

/** Spring '26, the latest GA version when this was written; editable in the credential. */
export const DEFAULT_API_VERSION = '66.0';

/**
 * Where the OAuth endpoints live. The client credentials flow only works on the org's My Domain host
 * (login.salesforce.com refuses it), so that grant always uses the My Domain URL.
 */
const LOGIN_HOST = `($self.grantType === 'clientCredentials' || $self.environment === 'myDomain' ? String($self.myDomainUrl || '').trim().replace(/\\/+$/, '') : ($self.environment === 'sandbox' ? '${SALESFORCE_LOGIN_HOSTS.sandbox}' : '${SALESFORCE_LOGIN_HOSTS.production}'))`;


export class SalesforceOmOAuth2Api implements ICredentialType {
	name = 'salesforceOmOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Salesforce Order Management OAuth2 API';

	icon: Icon = { light: 'file:../icons/salesforce.svg', dark: 'file:../icons/salesforce.dark.svg' };

	documentationUrl = 'https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_flows.htm';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{
					name: 'Authorization Code',
					value: 'authorizationCode',
					description: 'Sign in as a Salesforce user; n8n refreshes the token',
				},
				{
					name: 'Client Credentials',
					value: 'clientCredentials',
					description: 'Server to server, as the connected app\'s Run As user; needs your My Domain URL',
				},
			],
			default: 'authorizationCode',
		},
		{
			displayName:
				'Salesforce accepts the client credentials flow only on your org\'s My Domain URL, and only when the connected (or external client) app enables it and names a Run As user.',
			name: 'clientCredentialsNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { grantType: ['clientCredentials'] } },
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: `Sign in at ${SALESFORCE_LOGIN_HOSTS.production}` },
				{ name: 'Sandbox', value: 'sandbox', description: `Sign in at ${SALESFORCE_LOGIN_HOSTS.sandbox}` },
				{ name: 'My Domain URL', value: 'myDomain', description: 'Sign in at your org\'s own address' },
			],
			default: 'production',
			displayOptions: { show: { grantType: ['authorizationCode'] } },
		},
		// One field, always shown: n8n merges a credential's properties with its parent's (oAuth2Api) by name, so a
		// second "myDomainUrl" (one per grant) replaced the first, and a client credentials credential lost its URL
		// when n8n read it (checked in n8n 2.41.1: "Failed to acquire OAuth2 access token: Invalid URL").
		{
			displayName: 'My Domain URL',
			name: 'myDomainUrl',
			type: 'string',
			default: '',
			placeholder: 'https://yourcompany.my.salesforce.com',
			description:
				'Your org\'s My Domain address (Setup → My Domain), with https://. Needed for Client Credentials, and for Authorization Code with the environment My Domain URL.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: DEFAULT_API_VERSION,
			placeholder: DEFAULT_API_VERSION,
			description: 'Salesforce REST API version, such as 66.0 (Order Management actions need 48.0 or later)',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${LOGIN_HOST} }}/services/oauth2/authorize`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${LOGIN_HOST} }}/services/oauth2/token`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			// Scopes of a client credentials token come from the app's settings, not from the request.
			default: '={{ $self.grantType === \'clientCredentials\' ? \'\' : \'api refresh_token\' }}',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			// Salesforce documents client_id and client_secret in the token request body for every flow.
			default: 'body',
		},
	];

	// Reads one credit memo: proves the token, the API version and the access this package needs.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ String(($credentials.oauthTokenData && $credentials.oauthTokenData.instance_url) || $credentials.myDomainUrl || \'\').trim().replace(/\\/+$/, \'\') }}/services/data/v{{ String($credentials.apiVersion).trim() }}',
			url: '/query',
			qs: { q: 'SELECT Id FROM CreditMemo LIMIT 1' },
			method: 'GET',
		},
	};
}
