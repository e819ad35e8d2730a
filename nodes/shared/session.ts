import type { IDataObject } from 'n8n-workflow';

import type { ProviderError } from './errors';
import type { HttpResponse, ProviderKey, Session, SessionContext } from './types';

export interface RestSessionSpec {
	provider: ProviderKey;
	credentialType: string;
	toError(response: HttpResponse): ProviderError;
	/** The API base from the credential's non-secret fields. */
	baseUrl(credentials: IDataObject): string;
	/** Whether the credential already holds a token; default: an OAuth2 client-credentials token. */
	hasToken?(credentials: IDataObject): boolean;
}

/** n8n keeps an OAuth2 token in the credential's `oauthTokenData`; client credentials start without one. */
export function hasOAuth2Token(credentials: IDataObject): boolean {
	return credentials.grantType !== 'clientCredentials' || !!(credentials.oauthTokenData as IDataObject | undefined)?.access_token;
}

/** A stateless HTTP session: the base URL is read from the credential once per execution. */
export function openRestSession(context: SessionContext, spec: RestSessionSpec): Session {
	let base: Promise<string> | undefined;
	return {
		provider: spec.provider,
		baseUrl: async () => await (base ??= context.getCredentials(spec.credentialType).then(spec.baseUrl)),
		send: async (request, options) => await context.send(spec.credentialType, request, options, spec.toError),
		hasToken: async () => (spec.hasToken ?? hasOAuth2Token)(await context.getCredentials(spec.credentialType)),
		close: async () => {},
	};
}

export function trimSlashes(url: string): string {
	return url.trim().replace(/\/+$/, '');
}
