import type { IDataObject } from 'n8n-workflow';

import type { ProviderError } from './errors';
import type { HttpResponse, ProviderKey, Session, SessionContext } from './types';

export interface RestSessionSpec {
	provider: ProviderKey;
	credentialType: string;
	toError(response: HttpResponse): ProviderError;
	/** The API base from the credential's non-secret fields. */
	baseUrl(credentials: IDataObject): string;
}

/** A stateless HTTP session: the base URL is read from the credential once per execution. */
export function openRestSession(context: SessionContext, spec: RestSessionSpec): Session {
	let base: Promise<string> | undefined;
	return {
		provider: spec.provider,
		baseUrl: async () => await (base ??= context.getCredentials(spec.credentialType).then(spec.baseUrl)),
		send: async (request, options) => await context.send(spec.credentialType, request, options, spec.toError),
		close: async () => {},
	};
}

export function trimSlashes(url: string): string {
	return url.trim().replace(/\/+$/, '');
}
