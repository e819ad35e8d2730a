import type { IAuthenticateGeneric, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Rebilly's servers (official OpenAPI `servers`); requests go to `<base>/organizations/<organizationId>`. */
export const REBILLY_SERVERS = {
	sandbox: 'https://api-sandbox.rebilly.com',
	live: 'https://api.rebilly.com',
} as const;

export class RebillyApi implements ICredentialType {
	name = 'rebillyApi';

	displayName = 'Rebilly API';

	icon: Icon = { light: 'file:../icons/rebilly.svg', dark: 'file:../icons/rebilly.dark.svg' };

	documentationUrl = 'https://www.rebilly.com/docs/dev-docs/api-keys/';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Sandbox', value: 'sandbox', description: REBILLY_SERVERS.sandbox },
				{ name: 'Live', value: 'live', description: `${REBILLY_SERVERS.live} — real money moves` },
				{ name: 'Custom Base URL', value: 'custom', description: 'For example a local sandbox' },
			],
			default: 'sandbox',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:4010/rebilly',
			description: 'The server address without /organizations/…; the organization ID is added to it',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			default: '',
			required: true,
			description: 'Your Rebilly organization ID (Settings → Organizations)',
		},
		{
			displayName: 'Secret API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A secret API key; it is sent as the REB-APIKEY header and never shown in node output',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'REB-APIKEY': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.environment === 'custom' ? $credentials.baseUrl.replace(/\\/+$/, '') : ({ sandbox: '${REBILLY_SERVERS.sandbox}', live: '${REBILLY_SERVERS.live}' })[$credentials.environment] }}/organizations/{{ encodeURIComponent($credentials.organizationId) }}`,
			url: '/credit-memos',
			qs: { limit: 1 },
			method: 'GET',
		},
	};
}
