/**
 * The org's OAuth 2.0 endpoints: `/services/oauth2/token` (client_credentials, authorization_code with optional
 * PKCE, refresh_token), `/services/oauth2/authorize` (auto-approves and redirects back with a code, so n8n's
 * OAuth2 "Connect" button can be shown working), and `/services/oauth2/revoke`.
 *
 * Access tokens live `accessTokenTtlSeconds` (default 2 h) from issue on the sandbox clock; expireAll() (the
 * core's expired-session fault) drops every access token but keeps refresh tokens, so the refresh flow recovers.
 */
import { createHash, createHmac } from 'node:crypto';

import type { IncomingHttpHeaders } from 'node:http';

import type { SandboxRequest, SandboxResponse } from '../../types';
import { header } from '../../util/http';
import { json, oauthError } from './responses';

export interface ConnectedApp {
	clientId: string;
	clientSecret: string;
	redirectUris: string[];
}

interface AccessToken {
	clientId: string;
	expiresAt: number;
}

interface AuthorizationCode {
	clientId: string;
	redirectUri: string;
	scope: string;
	expiresAt: number;
	challenge?: { method: string; value: string };
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CODE_LIFETIME_MS = 15 * 60_000;

export interface OAuthOptions {
	apps: ConnectedApp[];
	organizationId: string;
	userId: string;
	accessTokenTtlSeconds: number;
	now: () => Date;
	random: () => number;
	/** The org's URL (instance_url): the sandbox base URL + "/salesforce". */
	instanceUrl: () => string;
}

export class OAuthServer {
	private readonly accessTokens = new Map<string, AccessToken>();
	private readonly refreshTokens = new Map<string, { clientId: string; scope: string }>();
	private readonly codes = new Map<string, AuthorizationCode>();

	constructor(private readonly options: OAuthOptions) {}

	/** The access token of a data API request, if it is valid now. */
	authenticate(headers: IncomingHttpHeaders): boolean {
		const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header(headers, 'authorization') ?? '');
		const token = match ? this.accessTokens.get(match[1]) : undefined;
		if (!token) return false;
		if (token.expiresAt <= this.options.now().getTime()) {
			this.accessTokens.delete(match?.[1] as string);
			return false;
		}
		return true;
	}

	expireAll(): void {
		this.accessTokens.clear();
	}

	token(request: SandboxRequest): SandboxResponse {
		const params = formParams(request);
		const grantType = params.get('grant_type');
		if (grantType !== 'client_credentials' && grantType !== 'authorization_code' && grantType !== 'refresh_token') {
			return oauthError('unsupported_grant_type', 'grant type not supported');
		}
		const client = this.client(request, params);
		if ('error' in client) return client.error;
		const app = client.app;
		if (grantType === 'client_credentials') return this.issue(app, 'api', false);
		if (grantType === 'refresh_token') {
			const refresh = this.refreshTokens.get(params.get('refresh_token') ?? '');
			if (!refresh || refresh.clientId !== app.clientId) return oauthError('invalid_grant', 'expired access/refresh token');
			return this.issue(app, refresh.scope, false);
		}
		const code = params.get('code') ?? '';
		const grant = this.codes.get(code);
		this.codes.delete(code);
		if (!grant || grant.clientId !== app.clientId || grant.expiresAt <= this.options.now().getTime()) {
			return oauthError('invalid_grant', 'invalid authorization code');
		}
		if (params.get('redirect_uri') !== grant.redirectUri) return oauthError('invalid_grant', 'redirect_uri must match configuration');
		if (grant.challenge && !verifierMatches(grant.challenge, params.get('code_verifier'))) return oauthError('invalid_grant', 'invalid code verifier');
		return this.issue(app, grant.scope, true);
	}

	authorize(request: SandboxRequest): SandboxResponse {
		const params = formParams(request);
		const app = this.options.apps.find((candidate) => candidate.clientId === params.get('client_id'));
		if (!app) return oauthError('invalid_client_id', 'client identifier invalid');
		const redirectUri = params.get('redirect_uri');
		if (!redirectUri) return oauthError('redirect_uri_missing', 'redirect_uri must be provided');
		if (!redirectAllowed(app, redirectUri)) return oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
		const state = params.get('state');
		const back = (values: Record<string, string>) => {
			const url = new URL(redirectUri);
			for (const [key, value] of Object.entries(values)) url.searchParams.set(key, value);
			if (state !== null) url.searchParams.set('state', state);
			return { status: 302, headers: { Location: url.toString() }, body: '' };
		};
		if (params.get('response_type') !== 'code') {
			return back({ error: 'unsupported_response_type', error_description: 'response type not supported' });
		}
		const challenge = params.get('code_challenge');
		const method = params.get('code_challenge_method') ?? 'plain';
		if (challenge && method !== 'S256' && method !== 'plain') return back({ error: 'invalid_request', error_description: 'invalid code_challenge_method' });
		const code = `aPrx${this.randomText(60)}`;
		this.codes.set(code, {
			clientId: app.clientId,
			redirectUri,
			scope: params.get('scope') ?? 'api refresh_token',
			expiresAt: this.options.now().getTime() + CODE_LIFETIME_MS,
			challenge: challenge ? { method, value: challenge } : undefined,
		});
		return back({ code });
	}

	revoke(request: SandboxRequest): SandboxResponse {
		const token = formParams(request).get('token') ?? '';
		const known = this.accessTokens.delete(token) || this.refreshTokens.delete(token);
		return known ? { status: 200, body: '' } : oauthError('unsupported_token_type', 'this token type is not supported');
	}

	private client(request: SandboxRequest, params: URLSearchParams): { app: ConnectedApp } | { error: SandboxResponse } {
		let clientId = params.get('client_id');
		let clientSecret = params.get('client_secret');
		const basic = /^Basic\s+(\S+)$/i.exec(header(request.headers, 'authorization') ?? '');
		if (basic) {
			const [id, secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
			clientId = decodeURIComponent(id);
			clientSecret = decodeURIComponent(secret);
		}
		const app = this.options.apps.find((candidate) => candidate.clientId === clientId);
		if (!app) return { error: oauthError('invalid_client_id', 'client identifier invalid') };
		if (app.clientSecret !== clientSecret) return { error: oauthError('invalid_client', 'invalid client credentials') };
		return { app };
	}

	private issue(app: ConnectedApp, scope: string, withRefreshToken: boolean): SandboxResponse {
		const issuedAt = String(this.options.now().getTime());
		const accessToken = `${this.options.organizationId.slice(0, 15)}!${this.randomText(96)}`;
		this.accessTokens.set(accessToken, { clientId: app.clientId, expiresAt: Number(issuedAt) + this.options.accessTokenTtlSeconds * 1000 });
		const instanceUrl = this.options.instanceUrl();
		const id = `${instanceUrl}/id/${this.options.organizationId}/${this.options.userId}`;
		const body: Record<string, string> = {
			access_token: accessToken,
			signature: createHmac('sha256', app.clientSecret).update(id + issuedAt).digest('base64'),
			scope,
			instance_url: instanceUrl,
			id,
			token_type: 'Bearer',
			issued_at: issuedAt,
		};
		if (withRefreshToken) {
			const refreshToken = `5Aep861${this.randomText(80)}`;
			this.refreshTokens.set(refreshToken, { clientId: app.clientId, scope });
			body.refresh_token = refreshToken;
		}
		return json(200, body, { 'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private' });
	}

	private randomText(length: number): string {
		let text = '';
		for (let index = 0; index < length; index++) text += TOKEN_ALPHABET.charAt(Math.floor(this.options.random() * TOKEN_ALPHABET.length));
		return text;
	}
}

/** Token and authorize parameters: the form body (or, as Salesforce also accepts, the query string). */
function formParams(request: SandboxRequest): URLSearchParams {
	const params = new URLSearchParams(request.query);
	const contentType = header(request.headers, 'content-type') ?? '';
	if (request.rawBody && contentType.includes('application/x-www-form-urlencoded')) {
		for (const [key, value] of new URLSearchParams(request.rawBody)) params.set(key, value);
	}
	return params;
}

/** A registered callback, or any loopback URL (a local n8n's /rest/oauth2-credential/callback). */
function redirectAllowed(app: ConnectedApp, redirectUri: string): boolean {
	if (app.redirectUris.includes(redirectUri)) return true;
	try {
		const url = new URL(redirectUri);
		return (url.protocol === 'http:' || url.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
	} catch {
		return false;
	}
}

function verifierMatches(challenge: { method: string; value: string }, verifier: string | null): boolean {
	if (!verifier) return false;
	const computed = challenge.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
	return computed === challenge.value;
}
