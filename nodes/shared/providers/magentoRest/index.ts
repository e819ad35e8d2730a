import { ProviderError } from '../../errors';
import { assertSameRefund } from '../../reference';
import { openRestSession } from '../../session';
import type { CommentOperation, CreateOperation, CreditMemoProvider, CreditMemoResult, Session } from '../../types';
import { classify, toError } from './errors';
import { commentFields, createFields, createOptions } from './fields';
import type { MagentoCommentInput, MagentoCreateInput } from './mappers';
import {
	checkRefundableBalance,
	describeSource,
	findHistoryEntry,
	fromCreditMemo,
	fromHistoryEntry,
	readCommentInput,
	readCreateInput,
	toHistoryRequest,
	toLookupRequest,
} from './mappers';
import { magentoApiRoot } from './token';
import type { MagentoRecord } from './types';

interface SentInRun {
	fingerprint: string;
	result: Promise<CreditMemoResult>;
}

/**
 * Memos sent in this node run, by Refund Reference. Magento REST has no way to look a memo up, so this is
 * the only duplicate it can catch: the same refund twice in one run (a webhook delivered twice into one batch).
 */
const sentInRun = new WeakMap<Session, Map<string, SentInRun>>();

const create: CreateOperation<MagentoCreateInput> = {
	fields: createFields,
	options: createOptions,
	read: readCreateInput,
	// Only reads here (the balance check): Dry Run shows exactly what execute sends. The memo total is not
	// returned: Magento computes it from item prices, tax, discounts and its shipping default, and stores
	// are known to relax its "Maximum amount available to refund" cap, so neither a total nor a sound upper
	// bound exists before sending. A safety limit therefore refuses Magento REST memos (shared rule for null).
	async plan(session, input) {
		const root = await session.baseUrl();
		const checked = input.checkRefundableBalance ? await readAndCheckBalance(session, root, input) : { currency: null };
		return {
			request: { method: 'POST', url: `${root}/api2/creditmemo`, headers: { 'Content-Type': 'application/json' }, body: input.body },
			totalAmount: null,
			currency: checked.currency,
		};
	},
	async execute(session, input, plan) {
		if (input.reference === undefined) return await send(session, input, plan.request);
		const runs = sentInRun.get(session) ?? new Map<string, SentInRun>();
		sentInRun.set(session, runs);
		const earlier = runs.get(input.reference);
		if (earlier) return await repeatOf(earlier, input);
		// Registered before the first await, so concurrent items (Bulk) with this reference wait for this one.
		const result = send(session, input, plan.request);
		runs.set(input.reference, { fingerprint: input.fingerprint, result });
		return await result;
	},
};

const comment: CommentOperation<MagentoCommentInput> = {
	fields: commentFields,
	read: readCommentInput,
	async plan(session, input) {
		return {
			request: { method: 'POST', url: `${await session.baseUrl()}/api2/history`, headers: { 'Content-Type': 'application/json' }, body: input.body },
			totalAmount: null,
			currency: null,
		};
	},
	// A history entry has no idempotency key either. Reading the order's history first makes a re-run (or
	// Retry On Fail) return the note already there instead of adding it twice; a lost answer is not repeated.
	async execute(session, input, plan) {
		const history = await session.send(toHistoryRequest(await session.baseUrl(), input), { safety: 'read' });
		const existing = findHistoryEntry(history.body, input.body.comment);
		if (existing) return fromHistoryEntry(existing, input, true);
		const response = await session.send(plan.request, { safety: 'write', classify }).catch((error: unknown) => {
			throw withWhereToLook(error, `Magento may have added this note. Check the Comments History of ${describeSource({ source: input.order, sourceId: input.orderId })} in the Magento admin before running this item again.`);
		});
		return fromHistoryEntry(response.body, input, false);
	},
};

async function readAndCheckBalance(session: Session, root: string, input: MagentoCreateInput) {
	const response = await session.send(toLookupRequest(root, input), { safety: 'read' });
	const body = (response.body ?? {}) as MagentoRecord;
	// "Lookup by ID or single increment_id uses the invoice key" (orders: assumed `order`).
	const document = body[input.source.document];
	return checkRefundableBalance((document && typeof document === 'object' ? document : body) as MagentoRecord, input);
}

/**
 * No idempotency key and no lookup: the create is a plain write. The transport never repeats it after it may
 * have reached Magento (timeout, reset, 5xx other than Magento's own 503), and such an unknown outcome says what to check.
 */
async function send(session: Session, input: MagentoCreateInput, request: Parameters<Session['send']>[0]): Promise<CreditMemoResult> {
	const response = await session.send(request, { safety: 'write', classify }).catch((error: unknown) => {
		throw withWhereToLook(
			error,
			`Magento may have created this credit memo, and Magento REST cannot look it up, so the node does not send it again. Before running this item again, open ${describeSource(input)} in the Magento admin and check its credit memos${input.reference ? ` for one whose comment contains [ref:${input.reference}]` : ''}.`,
		);
	});
	return fromCreditMemo(response.body, input);
}

/** An unknown outcome gets the one thing that settles it: where to look in the Magento admin. */
function withWhereToLook(error: unknown, hint: string): unknown {
	if (!(error instanceof ProviderError) || error.outcome !== 'unknown') return error;
	return new ProviderError({
		provider: error.provider,
		message: error.message,
		code: error.code,
		httpStatus: error.httpStatus,
		description: error.description,
		hint,
		retryable: false,
		outcome: 'unknown',
		requestSent: error.requestSent,
		details: error.details,
	});
}

async function repeatOf(earlier: SentInRun, input: MagentoCreateInput): Promise<CreditMemoResult> {
	const reference = input.reference!;
	const first = await earlier.result.catch((error: Error) => {
		throw new ProviderError({
			provider: 'magentoRest',
			message: `An earlier item of this run with Refund Reference "${reference}" failed, so this one was not sent`,
			code: 'REFERENCE_REPEATED',
			description: error.message,
			hint: 'The same reference means the same refund: fix the earlier item and run it once.',
		});
	});
	assertSameRefund(
		'magentoRest',
		reference,
		{ creditMemoId: first.creditMemoId, totalAmount: null, differences: earlier.fingerprint === input.fingerprint ? [] : ['another source, items or amounts'] },
		null,
	);
	return { ...first, replayed: true };
}

export const magentoRest: CreditMemoProvider = {
	key: 'magentoRest',
	displayName: 'Magento 1 REST (/api2)',
	credentialType: 'magentoRestApi',
	authHeaders: ['Authorization'],
	// No published limit. A Magento 1 store answers from a small PHP pool it shares with shoppers, and
	// concurrent memos contend for the same sales tables (the documented 503 lock waits and 409 deadlocks).
	maxConcurrency: 4,
	toError,
	openSession: (context) =>
		openRestSession(context, {
			provider: 'magentoRest',
			credentialType: 'magentoRestApi',
			toError,
			baseUrl: (credentials) => magentoApiRoot(credentials.baseUrl),
			// The client-credentials token lives in the credential's expirable `oauthToken` field.
			hasToken: (credentials) => credentials.authentication !== 'clientCredentials' || !!credentials.oauthToken,
		}),
	create: create as CreateOperation<unknown>,
	comment: comment as CommentOperation<unknown>,
	// The API documents none of these; listing and lookup are on the vendor's roadmap.
	unsupported: {
		get: 'Magento REST (/api2) cannot read credit memos yet (the vendor lists it on its roadmap). Open the order in the Magento admin to see its credit memos.',
		list: 'Magento REST (/api2) cannot list credit memos yet (the vendor lists it on its roadmap). Open the order in the Magento admin to see its credit memos.',
		cancel: 'Magento REST (/api2) cannot cancel credit memos, and Magento credit memos cannot be reverted once created.',
	},
};
