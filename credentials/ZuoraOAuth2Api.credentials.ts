import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Zuora's REST servers (official OpenAPI `servers`); the token URL is `<base>/oauth/token`. */
export const ZUORA_ENVIRONMENTS = {
	usDeveloperSandbox: { name: 'US Developer & Central Sandbox', url: 'https://rest.test.zuora.com' },
	usApiSandboxCloud1: { name: 'US API Sandbox (Cloud 1)', url: 'https://rest.sandbox.na.zuora.com' },
	usApiSandboxCloud2: { name: 'US API Sandbox (Cloud 2)', url: 'https://rest.apisandbox.zuora.com' },
	usProductionCloud1: { name: 'US Production (Cloud 1)', url: 'https://rest.na.zuora.com' },
	usProductionCloud2: { name: 'US Production (Cloud 2)', url: 'https://rest.zuora.com' },
	euDeveloperSandbox: { name: 'EU Developer & Central Sandbox', url: 'https://rest.test.eu.zuora.com' },
	euApiSandbox: { name: 'EU API Sandbox', url: 'https://rest.sandbox.eu.zuora.com' },
	euProduction: { name: 'EU Production', url: 'https://rest.eu.zuora.com' },
	apacDeveloperSandbox: { name: 'APAC Developer & Central Sandbox', url: 'https://rest.test.ap.zuora.com' },
	apacProduction: { name: 'APAC Production', url: 'https://rest.ap.zuora.com' },
} as const;

/** The newest minor version (API upgrades page); its field names are the ones the official spec documents. */
export const DEFAULT_ZUORA_VERSION = '2025-08-12';

const URLS = Object.fromEntries(Object.entries(ZUORA_ENVIRONMENTS).map(([key, { url }]) => [key, url]));

/** The server chosen in the credential, as an n8n expression over the credential's own fields. */
function baseUrlExpression(self: '$self' | '$credentials'): string {
	return `(${self}.environment === 'custom' ? String(${self}.baseUrl).trim().replace(/\\/+$/, '') : (${JSON.stringify(URLS)})[${self}.environment])`;
}

export class ZuoraOAuth2Api implements ICredentialType {
	name = 'zuoraOAuth2Api';

	// n8n-core's OAuth2 client fetches the client-credentials token, keeps it in the credential and fetches a new
	// one when Zuora answers 401 (tokens last an hour).
	extends = ['oAuth2Api'];

	displayName = 'Zuora OAuth2 API';

	icon: Icon = { light: 'file:../icons/zuora.svg', dark: 'file:../icons/zuora.dark.svg' };

	documentationUrl = 'https://developer.zuora.com/docs/guides/authentication/';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				...Object.entries(ZUORA_ENVIRONMENTS).map(([value, { name, url }]) => ({
					name,
					value,
					description: value.includes('Production') ? `${url}: real money moves` : url,
				})),
				{ name: 'Custom Base URL', value: 'custom', description: 'For example a local sandbox' },
			],
			default: 'usDeveloperSandbox',
			description: 'The Zuora data center and tenant type your OAuth client was created in',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:4010/zuora',
			description: 'The REST server address without /v1; the token is requested from <Base URL>/oauth/token',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The ID (36 characters) of an OAuth client created in Zuora for an API user',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Shown once when the OAuth client was created; never shown in node output',
		},
		{
			displayName: 'Entity IDs',
			name: 'entityIds',
			type: 'string',
			default: '',
			placeholder: '11e643f4-a3ee-8bad-b061-0025904c756d',
			description: 'Only with Zuora Multi-entity, when the OAuth client can act in more than one entity: the entity to act in. Sent as the Zuora-Entity-Ids header; leave empty otherwise.',
		},
		{
			displayName: 'Org IDs',
			name: 'orgIds',
			type: 'string',
			default: '',
			placeholder: 'org-1,org-2',
			description: 'Only with Zuora Multi-Org: comma-separated org IDs to act in. Sent as the Zuora-Org-Ids header; leave empty otherwise.',
		},
		{
			displayName: 'Zuora Version',
			name: 'zuoraVersion',
			type: 'string',
			default: DEFAULT_ZUORA_VERSION,
			description:
				'The API minor version sent as the Zuora-Version header (YYYY-MM-DD, or a legacy one such as 230.0). Field names are mapped for it: before 224.0 a charge amount is memoItemAmount, before 257.0 a charge is chargeId and a line description is comment.',
		},
		{
			displayName: 'Tenant Time Zone',
			name: 'tenantTimeZone',
			type: 'string',
			default: '',
			placeholder: 'America/Los_Angeles',
			description:
				"The time zone of your Zuora tenant (Zuora: Manage Tenant Profile; Zuora's default is Pacific Time, America/Los_Angeles), as an IANA name such as Europe/Paris or UTC. Zuora's REST API gives times such as a memo's created date in this zone without saying so: the node needs it for the Created After / Created Before filters, and to give createdAt as an exact time. Empty: createdAt is passed on as Zuora wrote it.",
		},
		// Client credentials are all n8n needs: no consent screen, no refresh token.
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'clientCredentials' },
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${baseUrlExpression('$self')} + '/oauth/token' }}`,
		},
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: '' },
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: '' },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		// Zuora reads client_id and client_secret from the form body of POST /oauth/token.
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
	];

	// Lists one credit memo: proves the token, the server and the Invoice Settlement feature credit memos need.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ${baseUrlExpression('$credentials')} }}`,
			url: '/v1/credit-memos',
			qs: { page: 1, pageSize: 1 },
			method: 'GET',
		},
	};
}
