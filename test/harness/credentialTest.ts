import type { ICredentialDataDecryptedObject, ICredentialTestRequest, IDataObject, IHttpRequestOptions, INode, INodeType } from 'n8n-workflow';
import { Workflow, isExpression } from 'n8n-workflow';

import { credentialsHelperFor, runWorkflow } from './runWorkflow';
import { CREDENTIAL_TYPES } from './package';

const TEST_NODE: INode = { id: 'credential-test', name: 'Credential test', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };

/**
 * Runs a credential's `test` request the way n8n's "Test" button does: defaults applied, `={{ }}`
 * expressions resolved with `$credentials`, `preAuthentication` forced, the credential's authentication
 * applied; then sent with fetch. Returns the HTTP status and body.
 */
export async function runCredentialTest(type: string, data: ICredentialDataDecryptedObject): Promise<{ status: number; body: unknown; url: string }> {
	const definition = CREDENTIAL_TYPES.find((credential) => credential.name === type);
	if (!definition?.test || !('request' in definition.test)) throw new Error(`Credential type "${type}" has no test request`);
	const helper = credentialsHelperFor({ [type]: data });
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
		if (helper.getParentTypes(type).includes('oAuth2Api')) return await runThroughEngine(type, definition.test!.request, data, requestUrl(request));
		await helper.preAuthentication({ helpers: { httpRequest: httpRequestViaFetch } }, credentials, type, TEST_NODE, true);
		const options = await helper.authenticate(
			credentials,
			type,
			{ url: String(request.url ?? ''), baseURL: request.baseURL as string | undefined, method: (request.method as IHttpRequestOptions['method']) ?? 'GET', qs: request.qs as IDataObject, headers: (request.headers as IDataObject) ?? {} },
			workflow,
			TEST_NODE,
		);
		const url = requestUrl({ baseURL: options.baseURL, url: options.url, qs: options.qs as IDataObject });
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

function requestUrl(request: IDataObject): URL {
	const url = new URL(`${(request.baseURL as string | undefined) ?? ''}${String(request.url ?? '')}`);
	for (const [key, value] of Object.entries((request.qs as IDataObject | undefined) ?? {})) url.searchParams.set(key, String(value));
	return url;
}

/**
 * OAuth2 credentials are tested as n8n's CredentialsTester tests them: the test request becomes the routing of a
 * throw-away declarative node run by the engine, so n8n-core's own OAuth2 code fetches the token and signs it.
 */
async function runThroughEngine(type: string, request: ICredentialTestRequest['request'], data: ICredentialDataDecryptedObject, url: URL) {
	const tester: INodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: 'Runs a credential test request',
			defaults: { name: 'Credential test' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request } }],
		},
	};
	const node: INode = { ...TEST_NODE, type: 'credentialTest', credentials: { [type]: { id: 'credential-test', name: 'Credential under test' } } };
	const run = await runWorkflow({ nodes: [node], connections: {} }, { credentials: { [type]: data }, nodeTypes: { credentialTest: tester } });
	const error = run.error();
	if (error) return { status: Number(error.httpCode) || 0, body: { message: error.message, description: error.description ?? null }, url: url.toString() };
	return { status: 200, body: run.output(TEST_NODE.name)[0]?.json, url: url.toString() };
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
	if (response.status >= 400 && !options.ignoreHttpStatusErrors) throw Object.assign(new Error(`HTTP ${response.status}`), { response: { status: response.status, data: text } });
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}
