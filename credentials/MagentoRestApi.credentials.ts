import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { requestAccessToken } from '../nodes/shared/providers/magentoRest/token';

/**
 * Magento 1 REST extension (Yep Platform `/api2`): OAuth 2 client credentials (a token from
 * `/api2/oauth/token`, cached in the hidden `oauthToken` field) or a fixed bearer token.
 */
export class MagentoRestApi implements ICredentialType {
	name = 'magentoRestApi';

	displayName = 'Magento REST API (/api2)';

	icon: Icon = { light: 'file:../icons/magentoRest.svg', dark: 'file:../icons/magentoRest.dark.svg' };

	documentationUrl = 'https://docs.yep.best/rest_oauth2/en/auth/oauth.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://shop.example.com',
			description: 'The store\'s address; requests go to <Base URL>/api2/…',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Client Credentials (OAuth 2)',
					value: 'clientCredentials',
					description: 'The client ID and secret of an integration; tokens are fetched and renewed automatically',
				},
				{ name: 'Access Token', value: 'fixedToken', description: 'A bearer token you already have; it is sent as is' },
			],
			default: 'clientCredentials',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Shown once when the integration is created in the store admin',
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Sent as "Authorization: Bearer <token>"; never shown in node output',
			displayOptions: { show: { authentication: ['fixedToken'] } },
		},
		{
			// n8n fills it through preAuthentication, saves it with the credential, and refreshes it on a 401.
			displayName: 'OAuth Token',
			name: 'oauthToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		// A fixed token needs no exchange; returning no `oauthToken` leaves the stored credential untouched.
		if (credentials.authentication === 'fixedToken') return {};
		return { oauthToken: await requestAccessToken(this, credentials) };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{ $credentials.authentication === "fixedToken" ? $credentials.accessToken : $credentials.oauthToken }}',
			},
		},
	};

	// A protected read (one order), so a wrong token fails the test; the public /api2/oauth/health would not.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/api2$/i, "") }}/api2',
			url: '/order',
			qs: { limit: 1 },
			method: 'GET',
		},
	};
}
