import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { SALESFORCE_DEMO } from '../../sandbox/providers/salesforce';

/**
 * The Salesforce credential against the sandbox: client credentials on its org, whose instance URL serves as
 * the My Domain URL. A new store each call: n8n-core writes the token it fetches into it.
 */
export function salesforceSandboxCredentials(sandbox: Sandbox): Map<string, ICredentialDataDecryptedObject> {
	return new Map([
		[
			'salesforceOmOAuth2Api',
			{ grantType: 'clientCredentials', myDomainUrl: sandbox.providerUrl('salesforce'), clientId: SALESFORCE_DEMO.clientId, clientSecret: SALESFORCE_DEMO.clientSecret },
		],
	]);
}

/** A connected authorization code credential (n8n holds a token for this instance), for tests with nock. */
export function salesforceConnectedCredentials(instanceUrl: string, accessToken = 'tok-secret-1'): Record<string, ICredentialDataDecryptedObject> {
	return {
		salesforceOmOAuth2Api: {
			grantType: 'authorizationCode',
			environment: 'production',
			clientId: 'cid',
			clientSecret: 'csecret',
			oauthTokenData: { access_token: accessToken, refresh_token: 'r-1', instance_url: instanceUrl, token_type: 'Bearer' },
		},
	};
}
