import { randomUUID } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { ZUORA_ENVIRONMENTS } from '../../../../credentials/ZuoraOAuth2Api.credentials';
import type { Outcome } from '../../errors';
import { InputError, ProviderError } from '../../errors';
import { assertSameRefund, fingerprint } from '../../reference';
import { openRestSession, trimSlashes } from '../../session';
import type { BatchOperation, CommentOperation, CreateOperation, CreditMemoProvider, CreditMemoResult, HttpResponse, PreparedRequest, Session, SessionContext } from '../../types';
import { classify, isCreditMemo, isStoredResult, toError } from './errors';
import { commentFields, createFields } from './fields';
import type { ZuoraCommentInput, ZuoraCreateInput, ZuoraSourceType } from './mappers';
import { fromCreditMemo, markerFingerprint, markerReference, nextComment, readCommentInput, readCreateInput } from './mappers';
import type { ZuoraCreditMemo } from './types';
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
 * (see resultFor). A key that hashed the payload would let a changed payload create a second memo for one refund.
 * A bulk request's key is derived the same way from the references it carries, in order.
 */
export function idempotencyKey(operation: 'createCreditMemo' | 'bulkCreate', tenant: string, references: string | string[]): string {
	return `credit-memo-${fingerprint(['zuora', operation, tenant, references]).slice(0, 48)}`;
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

/** Zuora's error guide: a replay may come back as 409 carrying the stored result; that result is the answer. */
function storedResultOnConflict(error: unknown): HttpResponse {
	if (error instanceof ProviderError && error.httpStatus === 409 && isStoredResult(error.details)) {
		return { statusCode: 409, headers: {}, body: error.details };
	}
	throw error;
}

/** A write whose answer did not say what happened: the memo may exist. */
function unknownOutcome(message: string, httpStatus?: number, details?: unknown): ProviderError {
	return new ProviderError({
		provider: 'zuora',
		message,
		httpStatus,
		hint: 'Look for the memo in Zuora (its comment carries the Refund Reference as [ref:…]) before sending this refund again.',
		outcome: 'unknown',
		details,
	});
}

/**
 * The memo in Zuora's answer, or the failure it reported, also on a 200 (`success: false`). An answer with
 * neither leaves a write's outcome unknown.
 */
function memoFrom(response: HttpResponse, outcome: Outcome) {
	if (isCreditMemo(response.body)) return response.body;
	if (response.body && typeof response.body === 'object' && (response.body as { success?: unknown }).success === false) throw toError(response);
	if (outcome === 'unknown') throw unknownOutcome('Zuora answered without a credit memo', response.statusCode, response.body);
	throw new ProviderError({ provider: 'zuora', message: 'Zuora answered without a credit memo', httpStatus: response.statusCode, details: response.body });
}

/** The node's result for the memo Zuora created (or replayed) for this input; a replay of other data is refused. */
function resultFor(memo: ZuoraCreditMemo, input: ZuoraCreateInput, replayed: boolean): CreditMemoResult {
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
	return { ...fromCreditMemo(memo), refundReference: input.reference, replayed };
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
				headers: postHeaders(settings, idempotencyKey('createCreditMemo', settings.tenant, input.reference)),
				body: toVersionedBody(input.body, settings.version),
			},
			totalAmount: input.total,
			currency: input.currency,
		};
	},
	// The Idempotency-Key makes the POST safe to repeat, so the transport may resend it after a lost answer.
	async execute(session, input, plan) {
		const response = await session.send(plan.request, { safety: 'idempotent', classify }).catch(storedResultOnConflict);
		return resultFor(memoFrom(response, 'unknown'), input, isReplay(response, plan.request));
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

const SOURCE_TYPES: Record<ZuoraSourceType, string> = { invoice: 'Invoice', standalone: 'Standalone' };
/** POST /v1/credit-memos/bulk: "a maximum of 50 credit memos in one single request". */
const MAX_BULK_MEMOS = 50;

/**
 * Zuora's bulk create: memos of one sourceType, each in its own transaction, with the bodies of the single
 * create. Its answer lists a memo or a failure per memo (see placeAnswers for how each finds its item).
 */
const createBatch: BatchOperation<ZuoraCreateInput> = {
	maxBatchSize: MAX_BULK_MEMOS,
	available: async () => true,
	group: (input) => input.sourceType,
	async plan(session, inputs) {
		const settings = await settingsOf(session);
		return {
			method: 'POST',
			url: `${settings.baseUrl}/v1/credit-memos/bulk`,
			headers: postHeaders(settings, idempotencyKey('bulkCreate', settings.tenant, inputs.map((input) => input.reference))),
			body: { sourceType: SOURCE_TYPES[inputs[0].sourceType], memos: inputs.map((input) => toVersionedBody(input.body, settings.version)) },
		};
	},
	async execute(session, inputs, request) {
		const response = await session.send(request, { safety: 'idempotent', classify }).catch(storedResultOnConflict);
		const body = response.body as { memos?: unknown; success?: unknown } | undefined;
		// A refused request (`success: false`) fails every memo it carried, with Zuora's reasons.
		if (body?.success === false) throw toError(response);
		if (!Array.isArray(body?.memos)) throw unknownOutcome('Zuora answered the bulk request without a list of memos', response.statusCode, response.body);
		const placed = placeAnswers(body.memos, inputs);
		const replayed = isReplay(response, request);
		return inputs.map((input, index) => bulkOutcome(placed[index], input, response, replayed));
	},
};

/**
 * Each answer at its input: a failure by its `objectIndex`, a memo by the Refund Reference in its marker, and
 * either by its position only when the answer lists exactly one entry per memo. An input claimed twice, or by
 * nothing, stays empty: its outcome is unknown, never guessed.
 */
function placeAnswers(answers: unknown[], inputs: ZuoraCreateInput[]): unknown[] {
	const claims: unknown[][] = inputs.map(() => []);
	const byReference = new Map(inputs.map((input, index) => [input.reference, index]));
	answers.forEach((answer, position) => {
		const objectIndex = (answer as { objectIndex?: unknown } | null)?.objectIndex;
		const named = isCreditMemo(answer) ? byReference.get(markerReference(answer.comment) ?? '') : undefined;
		const index = typeof objectIndex === 'number' ? objectIndex : (named ?? (answers.length === inputs.length ? position : undefined));
		if (index !== undefined && Number.isInteger(index) && index >= 0 && index < inputs.length) claims[index].push(answer);
	});
	return claims.map((claim) => (claim.length === 1 ? claim[0] : undefined));
}

function bulkOutcome(answer: unknown, input: ZuoraCreateInput, response: HttpResponse, replayed: boolean): CreditMemoResult | ProviderError {
	if (isCreditMemo(answer)) {
		// Placed by position, a memo must also carry this refund's marker before it is reported as this refund's.
		if (markerFingerprint(answer.comment, input.reference) === undefined) {
			return unknownOutcome(`Zuora's answer for this memo (${answer.number ?? answer.id}) does not carry Refund Reference "${input.reference}"`, response.statusCode, answer);
		}
		try {
			return resultFor(answer, input, replayed);
		} catch (reused) {
			// resultFor only throws the refusal of a reused reference: that memo's outcome, not the request's.
			return reused as ProviderError;
		}
	}
	if ((answer as { success?: unknown } | undefined)?.success === false) return toError({ ...response, body: answer });
	return unknownOutcome('Zuora\'s answer has no result for this memo', response.statusCode, response.body);
}

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
	createBatch: createBatch as BatchOperation<unknown>,
};
