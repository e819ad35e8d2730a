import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { ProviderError } from '../../errors';
import { trimSlashes } from '../../session';
import { errorText } from './errors';
import type { MagentoTokenResponse } from './types';

/** A token request that hangs longer than this fails the item (nothing was sent yet, so it is safe to re-run). */
const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

/** The store's root: users paste the shop URL, sometimes with `/api2` already on it. */
export function magentoApiRoot(baseUrl: unknown): string {
	return trimSlashes(String(baseUrl ?? '')).replace(/\/api2$/i, '');
}

interface HttpFailure {
	code?: string;
	message?: string;
	response?: { status?: number; data?: unknown };
}

/**
 * Client credentials grant against `/api2/oauth/token` (form-encoded, as the vendor documents). The response
 * is not documented: an OAuth 2 body with `access_token` (and `token_type` Bearer, if present) is assumed.
 * `expires_in` is not needed: n8n keeps the token until a request answers 401, then calls this again and
 * repeats that request once, which is safe because a 401 means Magento refused it before doing anything.
 * The refresh_token grant is not used either: a new client-credentials token is as cheap as a refresh.
 * Every failure is a ProviderError, so the node reports "no token" and never "the credit memo may exist".
 */
export async function requestAccessToken(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<string> {
	const url = `${magentoApiRoot(credentials.baseUrl)}/api2/oauth/token`;
	let response: unknown;
	try {
		response = await helper.helpers.httpRequest({
			method: 'POST',
			url,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: String(credentials.clientId ?? ''),
				client_secret: String(credentials.clientSecret ?? ''),
			}).toString(),
			timeout: TOKEN_REQUEST_TIMEOUT_MS,
		});
	} catch (error) {
		throw tokenRequestFailed(url, error as HttpFailure);
	}
	return accessTokenFrom(typeof response === 'string' ? parseJsonText(response) : response);
}

/** Reads the token out of the (undocumented) response; the body itself never goes into an error, it holds secrets. */
export function accessTokenFrom(body: unknown): string {
	const { access_token: token, token_type: type } = (body && typeof body === 'object' ? body : {}) as MagentoTokenResponse;
	if (typeof token !== 'string' || !token.trim()) {
		throw new ProviderError({
			provider: 'magentoRest',
			message: 'Magento REST: the token endpoint answered without an access_token',
			code: 'NO_ACCESS_TOKEN',
			hint: 'Check that the Base URL points at the store (the node calls <Base URL>/api2/oauth/token), or use a fixed access token.',
			requestSent: false,
		});
	}
	if (type !== undefined && type !== null && String(type).toLowerCase() !== 'bearer') {
		throw new ProviderError({
			provider: 'magentoRest',
			message: `Magento REST: the token endpoint issued a "${String(type)}" token; only Bearer tokens are supported`,
			code: 'UNSUPPORTED_TOKEN_TYPE',
			requestSent: false,
		});
	}
	return token.trim();
}

function tokenRequestFailed(url: string, error: HttpFailure): ProviderError {
	const status = error.response?.status;
	if (status === undefined) {
		return new ProviderError({
			provider: 'magentoRest',
			message: `Magento REST: could not get an access token from ${url}`,
			code: error.code,
			description: error.message,
			hint: 'Check the Base URL in the credential and that the store is reachable. Nothing was sent for this item.',
			retryable: true,
			requestSent: false,
		});
	}
	const text = errorText(error.response?.data);
	return new ProviderError({
		provider: 'magentoRest',
		message: `Magento REST: the token request was refused (HTTP ${status}${text ? `: ${text}` : ''})`,
		code: text,
		httpStatus: status,
		hint:
			status === 400 || status === 401 || status === 403
				? 'Check the client ID and secret in the Magento REST credential (the secret is shown once, when the integration is created). Nothing was sent for this item.'
				: 'The store could not issue a token right now. Nothing was sent for this item; run it again later.',
		retryable: status === 429 || status >= 500,
		requestSent: false,
	});
}

function parseJsonText(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
