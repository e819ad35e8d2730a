import { randomUUID } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { ProviderError } from '../../errors';
import { assertSameRefund, fingerprint } from '../../reference';
import type {
	BatchOperation,
	CommentOperation,
	CreateOperation,
	CreditMemoProvider,
	CreditMemoResult,
	GetOperation,
	HttpResponse,
	ListOperation,
	PreparedRequest,
	Session,
	WriteOperation,
} from '../../types';
import { classify, isCreditMemo, isStoredResult, memoFrom, toError, unknownOutcome } from './errors';
import { commentFields, createFields } from './fields';
import type { ZuoraCommentInput, ZuoraCreateInput, ZuoraSourceType } from './mappers';
import { markerFingerprint } from '../../reference';
import { fromCreditMemo, markerReference, nextComment, readCommentInput, readCreateInput } from './mappers';
import { cancel, get, list, listedUnder, memosByReference, readMemo } from './memos';
import type { ZuoraSettings } from './session';
import { CREDENTIAL_TYPE, openZuoraSession, settingsOf } from './session';
import type { ZuoraCreditMemo } from './types';
import { toVersionedBody } from './versions';

export { readSettings } from './session';

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

/** The node's result for the memo Zuora created (or replayed) for this input; a replay of other data is refused. */
function resultFor(memo: ZuoraCreditMemo, input: ZuoraCreateInput, replayed: boolean, settings: ZuoraSettings): CreditMemoResult {
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
	return { ...fromCreditMemo(memo, settings.timeZone), refundReference: input.reference, replayed };
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
		return resultFor(memoFrom(response, 'unknown'), input, isReplay(response, plan.request), await settingsOf(session));
	},
};

/** Zuora keeps one comment per memo (PUT /v1/credit-memos/{creditMemoKey}); Append reads it first. */
const comment: CommentOperation<ZuoraCommentInput> = {
	fields: commentFields,
	read: readCommentInput,
	async plan(session, input) {
		const settings = await settingsOf(session);
		const current = await readMemo(session, input.creditMemoKey);
		return {
			request: { method: 'PUT', url: `${settings.baseUrl}/v1/credit-memos/${encodeURIComponent(input.creditMemoKey)}`, headers: { 'Content-Type': 'application/json', ...settings.headers }, body: { comment: nextComment(current.comment, input) } },
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
	/**
	 * A bulk request's Idempotency-Key covers its exact mix of refunds, and which refunds share a chunk changes
	 * between runs (an item fixed, a chunk size changed); so the memos already made under these references are
	 * looked up first and returned as they are, and only the other refunds are sent.
	 */
	async execute(session, inputs, request) {
		const settings = await settingsOf(session);
		const known = new Map<string, ZuoraCreditMemo>();
		for (const filters of uniqueListings(inputs)) {
			for (const [reference, memo] of await memosByReference(session, filters)) known.set(reference, memo);
		}
		const toSend = inputs.filter((input) => !known.has(input.reference));
		const sent =
			toSend.length === 0
				? []
				: await sendBulk(session, toSend, toSend.length === inputs.length ? request : await createBatch.plan(session, toSend)).catch((error: unknown) => {
						// The refunds found above keep their memos; the ones sent share the request's failure.
						if (!(error instanceof ProviderError) || known.size === 0) throw error;
						return toSend.map(() => error);
					});
		return inputs.map((input) => {
			const memo = known.get(input.reference);
			if (!memo) return sent[toSend.indexOf(input)];
			try {
				return resultFor(memo, input, true, settings);
			} catch (reused) {
				return reused as ProviderError;
			}
		});
	},
};

function uniqueListings(inputs: ZuoraCreateInput[]): Array<Record<string, string>> {
	return [...new Map(inputs.map((input) => listedUnder(input.body)).map((filters) => [JSON.stringify(filters), filters])).values()];
}

/** One bulk request: a result or an error per input, in input order. */
async function sendBulk(session: Session, inputs: ZuoraCreateInput[], request: PreparedRequest): Promise<Array<CreditMemoResult | ProviderError>> {
	const response = await session.send(request, { safety: 'idempotent', classify }).catch(storedResultOnConflict);
	const body = response.body as { memos?: unknown; success?: unknown } | undefined;
	// A refused request (`success: false`) fails every memo it carried, with Zuora's reasons.
	if (body?.success === false) throw toError(response);
	if (!Array.isArray(body?.memos)) throw unknownOutcome('Zuora answered the bulk request without a list of memos', response.statusCode, response.body);
	const placed = placeAnswers(body.memos, inputs);
	const replayed = isReplay(response, request);
	const settings = await settingsOf(session);
	return inputs.map((input, index) => bulkOutcome(placed[index], input, response, replayed, settings));
}

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

function bulkOutcome(answer: unknown, input: ZuoraCreateInput, response: HttpResponse, replayed: boolean, settings: ZuoraSettings): CreditMemoResult | ProviderError {
	if (isCreditMemo(answer)) {
		// Placed by position, a memo must also carry this refund's marker before it is reported as this refund's.
		if (markerFingerprint(answer.comment, input.reference) === undefined) {
			return unknownOutcome(`Zuora's answer for this memo (${answer.number ?? answer.id}) does not carry Refund Reference "${input.reference}"`, response.statusCode, answer);
		}
		try {
			return resultFor(answer, input, replayed, settings);
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
	get: get as GetOperation<unknown>,
	list: list as ListOperation<unknown>,
	cancel: cancel as WriteOperation<unknown, CreditMemoResult>,
};
