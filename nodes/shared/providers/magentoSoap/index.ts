import { ProviderError } from '../../errors';
import type { BatchOperation, CommentOperation, CreateOperation, CreditMemoProvider, CreditMemoResult, GetOperation, ListOperation, WriteOperation } from '../../types';
import type { FaultContext } from './errors';
import { faultError, faultOf, toError } from './errors';
import { createBatch } from './batch';
import { cancel } from './cancel';
import { commentFields, createFields, createOptions, getFields, listFields } from './fields';
import type { MagentoSoapCommentInput, MagentoSoapCreateInput, MagentoSoapListInput } from './mappers';
import {
	addCommentCall,
	checkLines,
	createCall,
	describeMemo,
	fromCreditmemo,
	maximumTotal,
	readCommentInput,
	readCreateInput,
	readCreditmemoIncrementId,
	readListInput,
	textOf,
	toCommentResult,
} from './mappers';
import { describeCreated, findByReference, listMemos, oldestFirst, orderOf, prefetchMemos, readMemo, soap } from './memos';
import { CREDENTIAL_TYPE, SoapSession } from './session';

/** A memo found by the lookup, as opposed to the increment ID a create answers. */
function isResult(value: unknown): value is CreditMemoResult {
	return typeof value === 'object' && value !== null && (value as CreditMemoResult).provider === 'magentoSoap';
}

const create: CreateOperation<MagentoSoapCreateInput> = {
	fields: createFields,
	options: createOptions,
	read: readCreateInput,
	// The order is read first: it checks the listed items, gives the entity ID the lookup needs, and the ceiling
	// the safety limit is checked against (the SOAP create takes no prices: Magento computes the total).
	async plan(session, input) {
		const soapSession = soap(session);
		const order = await orderOf(soapSession, input.orderIncrementId);
		checkLines(input, order);
		return { request: await soapSession.prepare(createCall(input, order)), totalAmount: maximumTotal(input, order), currency: order.currency };
	},
	/**
	 * Exactly once without an idempotency key: the Refund Reference goes into the memo's comment; before creating,
	 * the order's memos are searched for it (and an existing memo is returned); after an unknown outcome the same
	 * search decides: found, the memo is the result; not found, nothing was saved and the create is sent once more.
	 */
	async execute(session, input) {
		const soapSession = soap(session);
		const order = await orderOf(soapSession, input.orderIncrementId);
		if (input.checkForExistingMemo) {
			const existing = await findByReference(soapSession, order, input, true, false);
			if (existing) return existing;
		}
		const context: Omit<FaultContext, 'path' | 'write'> = { subject: { kind: 'order', id: order.incrementId } };
		const send = async () => await soapSession.call(createCall(input, order), 'write', context);
		const created = await send().catch(async (error: unknown) => {
			if (!(error instanceof ProviderError) || error.outcome !== 'unknown' || input.reference === undefined) throw error;
			// If the lookup itself fails, the outcome stays unknown: the original error, never a second send.
			const found = await findByReference(soapSession, order, input, false, true).catch(() => {
				throw error;
			});
			if (found) return found;
			// Not saved. A fault was Magento's real refusal; a lost answer means the request never took effect.
			const fault = faultOf(error);
			if (fault) throw faultError(fault, { ...context, path: 'sales_order_creditmemo.create', write: false }, error.httpStatus);
			return await send();
		});
		if (isResult(created)) return created;
		const incrementId = textOf(created);
		if (!incrementId) {
			throw new ProviderError({
				provider: 'magentoSoap',
				message: 'Magento answered the create without a credit memo number',
				hint: `The memo may exist: check order ${order.incrementId}'s credit memos in the Magento admin before sending it again.`,
				outcome: 'unknown',
			});
		}
		return await describeCreated(soapSession, incrementId, input);
	},
};

const comment: CommentOperation<MagentoSoapCommentInput> = {
	fields: commentFields,
	read: readCommentInput,
	async plan(session, input) {
		return { request: await soap(session).prepare(addCommentCall(input)), totalAmount: null, currency: null };
	},
	// A comment is not idempotent (a resend adds it twice): a lost answer is reported as unknown, never resent.
	async execute(session, input) {
		const raw = await soap(session).call(addCommentCall(input), 'write', { subject: { kind: 'creditMemo', id: input.creditmemoIncrementId } });
		return toCommentResult(input, raw);
	},
};

/** sales_order_creditmemo.info: the memo with its items and comments, and the Refund Reference it was made under. */
const get: GetOperation<string> = {
	fields: getFields,
	read: readCreditmemoIncrementId,
	execute: async (session, incrementId) => describeMemo(await readMemo(soap(session), incrementId)),
};

/**
 * sales_order_creditmemo.list through the same list function as the exactly-once lookup. Magento's list has no
 * paging (every match comes in one answer), so the Limit is applied here, to the oldest memos first.
 */
const list: ListOperation<MagentoSoapListInput> = {
	fields: listFields,
	read: readListInput,
	async execute(session, input, limit) {
		const soapSession = soap(session);
		const order = input.orderIncrementId === undefined ? undefined : await orderOf(soapSession, input.orderIncrementId);
		const listed = oldestFirst(await listMemos(soapSession, { ...input.filter, orderId: order?.entityId }, order));
		const memos = limit === undefined ? listed : listed.slice(0, limit);
		if (!input.includeDetails) return memos.map(fromCreditmemo);
		const incrementIds = memos.map((memo) => textOf(memo.increment_id));
		await prefetchMemos(soapSession, incrementIds.filter((incrementId): incrementId is string => incrementId !== null));
		const detailed: CreditMemoResult[] = [];
		for (const [position, incrementId] of incrementIds.entries()) {
			detailed.push(incrementId === null ? fromCreditmemo(memos[position]) : describeMemo(await readMemo(soapSession, incrementId)));
		}
		return detailed;
	},
};

export const magentoSoap: CreditMemoProvider = {
	key: 'magentoSoap',
	displayName: 'Magento 1 / OpenMage (SOAP)',
	credentialType: CREDENTIAL_TYPE,
	// The API key travels only inside the login envelope; no request carries a credential header.
	authHeaders: [],
	// One PHP process per request on the store: a few at a time keeps a shop responsive.
	maxConcurrency: 4,
	toError,
	openSession: (context) =>
		new SoapSession({
			credentials: async () => await context.getCredentials(CREDENTIAL_TYPE),
			send: async (request, options, toError) => await context.send(CREDENTIAL_TYPE, request, options, toError),
		}),
	create: create as CreateOperation<unknown>,
	comment: comment as CommentOperation<unknown>,
	createBatch: createBatch as BatchOperation<unknown>,
	get: get as GetOperation<unknown>,
	list: list as ListOperation<unknown>,
	cancel: cancel as WriteOperation<unknown, CreditMemoResult>,
};
