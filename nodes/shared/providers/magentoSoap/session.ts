import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { ProviderError } from '../../errors';
import { trimSlashes } from '../../session';
import type { HttpResponse, PreparedRequest, RequestSafety, SendOptions, Session } from '../../types';
import type { SoapAnswer } from './envelopes';
import { callEnvelope, endSessionEnvelope, loginEnvelope, multiCallEnvelope, readAnswer, readFault, readWsdl, soapHeaders } from './envelopes';
import type { FaultContext } from './errors';
import { classify, faultError, notSoapError, toError } from './errors';
import type { ApiStyle, Decoded, SoapCall, SoapFault, SoapSettings } from './types';

export const CREDENTIAL_TYPE = 'magentoSoapApi';

/** Dry Run shows this where the envelope will carry the session ID of this execution's login. */
export const SESSION_PLACEHOLDER = '[session ID: from the login at send time]';

const SESSION_EXPIRED = '5';

/** How the session reaches the store: n8n's transport in a node, the credential test's helper in a test. */
export interface SoapTransport {
	credentials(): Promise<IDataObject>;
	send(request: PreparedRequest, options: SendOptions, toError: (response: HttpResponse) => ProviderError): Promise<HttpResponse>;
}

const API_STYLES: readonly ApiStyle[] = ['v1', 'v2', 'wsi'];

/**
 * One SOAP session per node execution: settings (and the WSDL's namespace) read once, a login on first use,
 * reused by every item (and by concurrent Bulk requests), one new login when Magento answers fault 5,
 * `endSession` in close(). The API key appears only in the login envelope, which is never output.
 */
export class SoapSession implements Session {
	readonly provider = 'magentoSoap' as const;
	private settingsPromise?: Promise<SoapSettings>;
	private login?: Promise<string>;
	private readonly cache = new Map<string, Promise<unknown>>();
	/** The memo of each Refund Reference this execution created or found (its increment ID). */
	readonly memoByReference = new Map<string, string>();

	constructor(private readonly transport: SoapTransport) {}

	async baseUrl(): Promise<string> {
		return (await this.settings()).endpoint;
	}

	async send(request: PreparedRequest, options: SendOptions): Promise<HttpResponse> {
		return await this.transport.send(request, { ...options, classify }, toError);
	}

	settings(): Promise<SoapSettings> {
		return (this.settingsPromise ??= this.readSettings());
	}

	/** The request for a call exactly as it will be sent, with the session ID as a placeholder (Dry Run). */
	async prepare(call: SoapCall): Promise<PreparedRequest> {
		const settings = await this.settings();
		return this.request(settings, callEnvelope(settings, call, SESSION_PLACEHOLDER));
	}

	async prepareMultiCall(calls: SoapCall[]): Promise<PreparedRequest> {
		const settings = await this.settings();
		return this.request(settings, multiCallEnvelope(settings, calls, SESSION_PLACEHOLDER));
	}

	/** Sends one call with this execution's session; a fault becomes a ProviderError explained by `context`. */
	async call(call: SoapCall, safety: RequestSafety, context: Omit<FaultContext, 'path' | 'write'>): Promise<Decoded> {
		const settings = await this.settings();
		const faultContext = { ...context, path: call.path, write: safety === 'write' };
		const answer = await this.withSession(async (sessionId) => await this.exchange(this.request(settings, callEnvelope(settings, call, sessionId)), safety, faultContext));
		if ('fault' in answer) throw faultError(answer.fault, faultContext, answer.httpStatus);
		return answer.value;
	}

	/** V1 multiCall: one answer per call, a fault only for that call (`isFault` in band). */
	async multiCall(calls: SoapCall[], safety: RequestSafety): Promise<Decoded> {
		const settings = await this.settings();
		const faultContext = { path: 'multiCall', write: safety === 'write' };
		const answer = await this.withSession(async (sessionId) => await this.exchange(this.request(settings, multiCallEnvelope(settings, calls, sessionId)), safety, faultContext));
		if ('fault' in answer) throw faultError(answer.fault, faultContext, answer.httpStatus);
		return answer.value;
	}

	/**
	 * A read kept for this execution (an order's entity ID and items, an order's memo list, a memo's comments),
	 * so a run of many memos does not read the same thing again per item. A failed read is not kept.
	 */
	remember<T>(key: string, read: () => Promise<T>): Promise<T> {
		let value = this.cache.get(key) as Promise<T> | undefined;
		if (!value) {
			value = read();
			this.cache.set(key, value);
			value.catch(() => this.cache.delete(key));
		}
		return value;
	}

	/** Whether `remember` already keeps something under this key. */
	has(key: string): boolean {
		return this.cache.has(key);
	}

	/** Replaces what `remember` keeps under this key (a fresher read). */
	keep<T>(key: string, value: T): void {
		this.cache.set(key, Promise.resolve(value));
	}

	/** Logs in now (the credential test): a wrong API user or key fails here with Magento's fault 2. */
	async logInNow(): Promise<void> {
		await this.sessionId();
	}

	/** Ends the store's session if one was opened; never throws (the items' results are already decided). */
	async close(): Promise<void> {
		const login = this.login;
		this.login = undefined;
		if (!login) return;
		try {
			const settings = await this.settings();
			const sessionId = await login;
			await this.exchange(this.request(settings, endSessionEnvelope(settings, sessionId)), 'idempotent', { path: 'endSession', write: false });
		} catch {
			// Magento expires an abandoned session after its timeout anyway.
		}
	}

	/** Runs `send` with the session ID; on fault 5 (session expired) logs in once more and sends again. */
	private async withSession(send: (sessionId: string) => Promise<SoapAnswer>): Promise<SoapAnswer> {
		const sessionId = await this.sessionId();
		const answer = await send(sessionId);
		if (!('fault' in answer) || answer.fault.code !== SESSION_EXPIRED) return answer;
		// Magento checks the session before doing anything, so the request was not processed: safe to send again.
		this.expire(sessionId);
		return await send(await this.sessionId());
	}

	private sessionId(): Promise<string> {
		return (this.login ??= this.logIn());
	}

	/**
	 * Logs in again only if the session is still the expired one: concurrent requests that all saw fault 5 for it
	 * chain onto the same new login instead of each making their own.
	 */
	private expire(sessionId: string): void {
		const current = this.sessionId();
		this.login = current.then(async (id) => (id === sessionId ? await this.logIn() : id));
	}

	private async logIn(): Promise<string> {
		const settings = await this.settings();
		const credentials = await this.transport.credentials();
		const envelope = loginEnvelope(settings, String(credentials.apiUser ?? ''), String(credentials.apiKey ?? ''));
		const context: FaultContext = { path: 'login', write: false };
		const answer = await this.exchange(this.request(settings, envelope), 'idempotent', context);
		if ('fault' in answer) throw faultError(answer.fault, context, answer.httpStatus);
		if (typeof answer.value !== 'string' || answer.value === '') {
			throw new ProviderError({ provider: 'magentoSoap', message: 'Magento answered the login without a session ID', hint: 'Check the store URL and the API style in the credential.' });
		}
		return answer.value;
	}

	private async readSettings(): Promise<SoapSettings> {
		const credentials = await this.transport.credentials();
		const style = API_STYLES.find((candidate) => candidate === credentials.apiStyle) ?? 'v2';
		const store = trimSlashes(String(credentials.storeUrl ?? ''));
		const endpoint = `${store}/api/${style === 'v1' ? 'soap' : 'v2_soap'}/`;
		const override = String(credentials.namespace ?? '').trim();
		if (override) return { style, endpoint, namespace: override };
		return { style, endpoint, namespace: await this.namespaceFromWsdl(style, endpoint) };
	}

	/** The WSDL says which namespace the store speaks (urn:OpenMage or urn:Magento) and whether V2 is WS-I. */
	private async namespaceFromWsdl(style: ApiStyle, endpoint: string): Promise<string> {
		const request: PreparedRequest = { method: 'GET', url: endpoint, qs: { wsdl: 1 }, headers: { Accept: 'text/xml' } };
		const response = await this.send(request, { safety: 'read' });
		let facts;
		try {
			facts = readWsdl(response.body);
		} catch (error) {
			throw notSoapError(response, { path: 'the WSDL', write: false }, (error as Error).message);
		}
		const wsi = facts.bodyUse === 'literal';
		if (style !== 'v1' && wsi !== (style === 'wsi')) {
			throw new ProviderError({
				provider: 'magentoSoap',
				message: wsi ? 'This store runs its V2 API in WS-I compliance mode' : 'This store does not run its V2 API in WS-I compliance mode',
				code: 'API_STYLE_MISMATCH',
				hint: `Choose "${wsi ? 'V2 (WS-I Compliance)' : 'V2'}" as the API style in the credential.`,
			});
		}
		return facts.namespace;
	}

	private request(settings: SoapSettings, body: string): PreparedRequest {
		return { method: 'POST', url: settings.endpoint, headers: soapHeaders(settings.style), body };
	}

	/**
	 * One request and its answer. A fault comes back as data (the caller decides: a new login on 5, an error
	 * otherwise), whether Magento sent it with HTTP 500 (ext/soap's usual) or 200.
	 */
	private async exchange(request: PreparedRequest, safety: RequestSafety, context: FaultContext): Promise<SoapAnswer> {
		let faulted: { fault: SoapFault; httpStatus: number } | undefined;
		const sent = await this.transport
			.send(request, { safety, classify }, (failed) => {
				const fault = readFault(failed.body);
				faulted = fault && { fault, httpStatus: failed.statusCode };
				return fault ? faultError(fault, context, failed.statusCode) : notSoapError(failed, context, `HTTP ${failed.statusCode}`);
			})
			.catch((error: unknown) => {
				// The transport judges a write's 5xx as an unknown outcome; a fault is Magento's definite answer instead.
				if (faulted) return faulted;
				throw error;
			});
		if ('fault' in sent) return sent;
		const answer = readAnswer(sent.body);
		if ('problem' in answer) throw notSoapError(sent, context, answer.problem);
		return 'fault' in answer ? { ...answer, httpStatus: sent.statusCode } : answer;
	}
}

/**
 * The credential test: reads the WSDL, logs in with the API user and key, and ends the session, through the
 * helper n8n gives a credential. The envelopes are the node's own (built with the XML builder, every value escaped).
 */
export async function verifyLogin(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<void> {
	const session = new SoapSession({
		credentials: async () => credentials,
		async send(request, _options, toError) {
			const raw = (await helper.helpers.httpRequest({
				method: request.method,
				url: request.url,
				qs: request.qs,
				headers: request.headers,
				body: request.body as string | undefined,
				json: false,
				ignoreHttpStatusErrors: true,
				returnFullResponse: true,
			})) as { statusCode: number; body: unknown };
			const response: HttpResponse = { statusCode: raw.statusCode, headers: {}, body: raw.body };
			// As the node's transport does: only a 2xx answer comes back, anything else as the provider's error.
			if (raw.statusCode < 200 || raw.statusCode >= 300) throw toError(response);
			return response;
		},
	});
	try {
		await session.logInNow();
	} finally {
		await session.close();
	}
}
