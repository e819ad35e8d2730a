import { randomUUID } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { ZUORA_ENVIRONMENTS } from '../../../../credentials/ZuoraOAuth2Api.credentials';
import type { Outcome } from '../../errors';
import { InputError, ProviderError } from '../../errors';
import { assertSameRefund, fingerprint } from '../../reference';
import { openRestSession, trimSlashes } from '../../session';
import type { CommentOperation, CreateOperation, CreditMemoProvider, HttpResponse, PreparedRequest, Session, SessionContext } from '../../types';
import { classify, isCreditMemo, toError } from './errors';
import { commentFields, createFields } from './fields';
import type { ZuoraCommentInput, ZuoraCreateInput } from './mappers';
import { fromCreditMemo, markerFingerprint, nextComment, readCommentInput, readCreateInput } from './mappers';
import type { ZuoraVersion } from './versions';
import { readZuoraVersion, toVersionedBody } from './versions';

const CREDENTIAL_TYPE = 'zuoraOAuth2Api';

/** What every Zuora request of one execution shares, read once from the credential. */
export interface ZuoraSettings {
	baseUrl: string;
	version: ZuoraVersion;
	/** Zuora-Version, plus Zuora-Entity-Ids / Zuora-Org-Ids only when set. */
	headers: Record<string, string>;
	/** The server and entity: idempotency keys are scoped to them. */
	tenant: string;
}

interface ZuoraSession extends Session {
	settings(): Promise<ZuoraSettings>;
}

/** Header values must be printable US-ASCII: a pasted line break would otherwise fail only at send time. */
const HEADER_VALUE = /^[\x20-\x7e]+$/;

export function readSettings(credentials: IDataObject): ZuoraSettings {
	const environment = String(credentials.environment ?? '');
	const baseUrl =
		environment === 'custom'
			? trimSlashes(String(credentials.baseUrl ?? ''))
			: ZUORA_ENVIRONMENTS[environment as keyof typeof ZUORA_ENVIRONMENTS]?.url;
	if (!baseUrl) throw new InputError('Base URL (credential)', 'The Zuora credential has no server: choose an environment or enter a Base URL');
	const version = readZuoraVersion(credentials.zuoraVersion);
	const headers: Record<string, string> = { 'Zuora-Version': version.header };
	const entityIds = headerValue(credentials.entityIds, 'Entity IDs (credential)');
	const orgIds = headerValue(credentials.orgIds, 'Org IDs (credential)');
	if (entityIds) headers['Zuora-Entity-Ids'] = entityIds;
	if (orgIds) headers['Zuora-Org-Ids'] = orgIds;
	return { baseUrl, version, headers, tenant: `${baseUrl}|${entityIds ?? ''}` };
}

function headerValue(value: unknown, field: string): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (!HEADER_VALUE.test(text)) throw new InputError(field, `${field} may only hold printable ASCII characters`);
	return text;
}

function openZuoraSession(context: SessionContext): ZuoraSession {
	let settings: Promise<ZuoraSettings> | undefined;
	return {
		...openRestSession(context, { provider: 'zuora', credentialType: CREDENTIAL_TYPE, toError, baseUrl: (credentials) => readSettings(credentials).baseUrl }),
		settings: async () => await (settings ??= context.getCredentials(CREDENTIAL_TYPE).then(readSettings)),
	};
}

async function settingsOf(session: Session): Promise<ZuoraSettings> {
	if (!('settings' in session)) throw new Error('Zuora operations need a session opened by the Zuora provider');
	return await (session as ZuoraSession).settings();
}

/**
 * The same refund (reference) in the same tenant always gets the same key, so Zuora answers a retry, a re-run or
 * a second webhook with the memo it already created. The key deliberately leaves out the payload and the invoice:
 * Zuora refuses a reused key on another URL (422), and a changed payload on the same URL is caught by the marker
 * (see execute). A key that hashed the payload would let a changed payload create a second memo for one refund.
 */
export function idempotencyKey(tenant: string, reference: string): string {
	return `credit-memo-${fingerprint(['zuora', 'createCreditMemo', tenant, reference]).slice(0, 48)}`;
}

/** Headers every Zuora POST of this node carries; the Track-Id is new per planned request. */
function postHeaders(settings: ZuoraSettings, key: string): Record<string, string> {
	return {
		'Content-Type': 'application/json',
		...settings.headers,
		'Idempotency-Key': key,
		// Zuora stores the whole answer under the key, echoed Track-Id included: an echo that is not ours is a replay.
		'Zuora-Track-Id': `n8n-${randomUUID()}`,
	};
}

/** An answer Zuora replayed from an earlier request under the same Idempotency-Key. */
function isReplay(response: HttpResponse, request: PreparedRequest): boolean {
	const echoed = response.headers['zuora-track-id'];
	return response.statusCode === 409 || (echoed !== undefined && echoed !== request.headers['Zuora-Track-Id']);
}

/** Zuora's error guide: a replay may come back as 409 carrying the stored result; that memo is the answer. */
function storedMemoOnConflict(error: unknown): HttpResponse {
	if (error instanceof ProviderError && error.httpStatus === 409 && isCreditMemo(error.details)) {
		return { statusCode: 409, headers: {}, body: error.details };
	}
	throw error;
}

/**
 * The memo in Zuora's answer, or the failure it reported, also on a 200 (`success: false`). An answer with
 * neither leaves a write's outcome unknown.
 */
function memoFrom(response: HttpResponse, outcome: Outcome) {
	if (isCreditMemo(response.body)) return response.body;
	if (response.body && typeof response.body === 'object' && (response.body as { success?: unknown }).success === false) throw toError(response);
	throw new ProviderError({
		provider: 'zuora',
		message: 'Zuora answered without a credit memo',
		httpStatus: response.statusCode,
		hint: outcome === 'unknown' ? 'Check the memo in Zuora before running the node again.' : undefined,
		outcome,
		details: response.body,
	});
}

const create: CreateOperation<ZuoraCreateInput> = {
	fields: createFields,
	read: readCreateInput,
	async plan(session, input) {
		const settings = await settingsOf(session);
		return {
			request: {
				method: 'POST',
				url: `${settings.baseUrl}${input.path}`,
				headers: postHeaders(settings, idempotencyKey(settings.tenant, input.reference)),
				body: toVersionedBody(input.body, settings.version),
			},
			totalAmount: input.total,
			currency: input.currency,
		};
	},
	// The Idempotency-Key makes the POST safe to repeat, so the transport may resend it after a lost answer.
	async execute(session, input, plan) {
		const response = await session.send(plan.request, { safety: 'idempotent', classify }).catch(storedMemoOnConflict);
		const memo = memoFrom(response, 'unknown');
		// A replay of another payload under this reference carries that payload's marker: refuse it, like Stripe.
		const found = markerFingerprint(memo.comment, input.reference);
		if (found !== undefined && found !== input.fingerprint) {
			assertSameRefund(
				'zuora',
				input.reference,
				{ creditMemoId: memo.number ?? memo.id ?? null, totalAmount: null, differences: [`created from different data (marker #${found}, this request #${input.fingerprint})`] },
				null,
			);
		}
		return { ...fromCreditMemo(memo), refundReference: input.reference, replayed: isReplay(response, plan.request) };
	},
};

/** Zuora keeps one comment per memo (PUT /v1/credit-memos/{creditMemoKey}); Append reads it first. */
const comment: CommentOperation<ZuoraCommentInput> = {
	fields: commentFields,
	read: readCommentInput,
	async plan(session, input) {
		const settings = await settingsOf(session);
		const url = `${settings.baseUrl}/v1/credit-memos/${encodeURIComponent(input.creditMemoKey)}`;
		const current = memoFrom(await session.send({ method: 'GET', url, headers: { ...settings.headers } }, { safety: 'read', classify }), 'failed');
		return {
			request: { method: 'PUT', url, headers: { 'Content-Type': 'application/json', ...settings.headers }, body: { comment: nextComment(current.comment, input) } },
			totalAmount: null,
			currency: null,
		};
	},
	// The PUT carries the whole resulting comment, so sending it twice leaves the same comment: safe to repeat.
	async execute(session, _input, plan) {
		const memo = memoFrom(await session.send(plan.request, { safety: 'idempotent', classify }), 'unknown');
		const written = (plan.request.body as { comment: string }).comment;
		return { provider: 'zuora', creditMemoId: memo.id, comment: memo.comment ?? written, target: 'creditMemo', raw: memo as unknown as IDataObject };
	},
};

export const zuora: CreditMemoProvider = {
	key: 'zuora',
	displayName: 'Zuora',
	credentialType: CREDENTIAL_TYPE,
	authHeaders: ['Authorization'],
	// Zuora's "Default" concurrency limit per tenant (Rate limits guide); the token request is exempt from it.
	maxConcurrency: 40,
	toError,
	openSession: openZuoraSession,
	create: create as CreateOperation<unknown>,
	comment: comment as CommentOperation<unknown>,
};
