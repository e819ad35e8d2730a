import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';
import { Workflow, isExpression } from 'n8n-workflow';

import { credentialsHelperFor } from './runWorkflow';
import { runOAuth2CredentialTest } from './oauth2CredentialTest';
import { CREDENTIAL_TYPES } from './package';

const TEST_NODE: INode = { id: 'credential-test', name: 'Credential test', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };

/**
 * Runs a credential's `test` request the way n8n's "Test" button does: defaults applied, `={{ }}`
 * expressions resolved with `$credentials`, `preAuthentication` forced, the credential's authentication
 * applied; then sent with fetch. Returns the HTTP status and body. OAuth2 credentials go through the engine
 * (n8n-core's token handling), as in n8n.
 */
export async function runCredentialTest(type: string, data: ICredentialDataDecryptedObject): Promise<{ status: number; body: unknown; url?: string }> {
	const definition = CREDENTIAL_TYPES.find((credential) => credential.name === type);
	if (!definition?.test || !('request' in definition.test)) throw new Error(`Credential type "${type}" has no test request`);
	const store = new Map([[type, data]]);
	const helper = credentialsHelperFor(store);
	if (helper.getParentTypes(type).includes('oAuth2Api')) return await runOAuth2CredentialTest(type, store, definition.test);
	const credentials = await helper.resolveCredentialData(type, data);
	const workflow = new Workflow({ nodes: [TEST_NODE], connections: {}, active: false, nodeTypes: { getByName: () => ({}) as never, getByNameAndVersion: () => ({ description: { properties: [] } }) as never, getKnownTypes: () => ({}) } });

	const resolve = (value: unknown): unknown => {
		if (typeof value === 'string' && isExpression(value)) {
			return workflow.expression.getSimpleParameterValue(TEST_NODE, value, 'internal', { $credentials: credentials }, undefined, '');
		}
		if (value && typeof value === 'object' && !Array.isArray(value)) {
			return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolve(entry)]));
		}
		return value;
	};

	return await workflow.expression.withIsolate(async () => {
		const request = resolve(definition.test!.request) as IDataObject;
		await helper.preAuthentication({ helpers: { httpRequest: httpRequestViaFetch } }, credentials, type, TEST_NODE, true);
		const options = await helper.authenticate(
			credentials,
			type,
			{ url: String(request.url ?? ''), baseURL: request.baseURL as string | undefined, method: (request.method as IHttpRequestOptions['method']) ?? 'GET', qs: request.qs as IDataObject, headers: (request.headers as IDataObject) ?? {} },
			workflow,
			TEST_NODE,
		);
		const url = new URL(`${options.baseURL ?? ''}${options.url}`);
		for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.set(key, String(value));
		const response = await fetch(url, { method: options.method, headers: options.headers as Record<string, string> });
		const text = await response.text();
		let body: unknown = text;
		try {
			body = JSON.parse(text);
		} catch {
			// not JSON: keep the text
		}
		return { status: response.status, body, url: url.toString() };
	});
}

/** What `this.helpers.httpRequest` offers a credential's preAuthentication, over fetch. */
async function httpRequestViaFetch(options: IHttpRequestOptions): Promise<unknown> {
	const url = new URL(`${options.baseURL ?? ''}${options.url}`);
	for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.set(key, String(value));
	const headers = { ...(options.headers as Record<string, string>) };
	let body: string | undefined;
	if (options.body instanceof URLSearchParams) {
		body = options.body.toString();
		headers['content-type'] ??= 'application/x-www-form-urlencoded';
	} else if (typeof options.body === 'string') {
		body = options.body;
	} else if (options.body !== undefined) {
		const form = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] === 'application/x-www-form-urlencoded';
		body = form ? new URLSearchParams(options.body as Record<string, string>).toString() : JSON.stringify(options.body);
		if (!form) headers['content-type'] ??= 'application/json';
	}
	const response = await fetch(url, { method: options.method ?? 'GET', headers, body });
	const text = await response.text();
	// Like n8n's axios-based helper: JSON bodies arrive parsed, on errors too.
	const data = parseIfJson(text);
	if (response.status >= 400 && !options.ignoreHttpStatusErrors) throw Object.assign(new Error(`HTTP ${response.status}`), { response: { status: response.status, data } });
	return options.returnFullResponse ? { statusCode: response.status, headers: Object.fromEntries(response.headers), body: data } : data;
}

function parseIfJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}
