import { ProviderError } from '../../errors';
import { assertSameRefund } from '../../reference';
import type { CommentOperation, CreateOperation, CreditMemoProvider, CreditMemoResult, Session } from '../../types';
import type { FaultContext } from './errors';
import { faultError, faultOf, toError } from './errors';
import { commentFields, createFields, createOptions } from './fields';
import type { MagentoSoapCommentInput, MagentoSoapCreateInput, OrderSummary } from './mappers';
import {
	addCommentCall,
	asList,
	asObject,
	checkLines,
	createCall,
	fromCreditmemo,
	infoCall,
	listCall,
	markerFingerprint,
	maximumTotal,
	memoComments,
	orderInfoCall,
	readCommentInput,
	readCreateInput,
	textOf,
	toCommentResult,
	toOrderSummary,
} from './mappers';
import { CREDENTIAL_TYPE, SoapSession } from './session';

/** A memo found by the lookup, as opposed to the increment ID a create answers. */
function isResult(value: unknown): value is CreditMemoResult {
	return typeof value === 'object' && value !== null && (value as CreditMemoResult).provider === 'magentoSoap';
}

function soap(session: Session): SoapSession {
	if (!(session instanceof SoapSession)) throw new Error('The Magento SOAP provider needs its own session');
	return session;
}

/** The order as sales_order.info describes it, read once per order and execution. */
async function orderOf(session: SoapSession, orderIncrementId: string): Promise<OrderSummary> {
	const raw = await session.order(orderIncrementId, async () => await session.call(orderInfoCall(orderIncrementId), 'read', { subject: { kind: 'order', id: orderIncrementId } }));
	return toOrderSummary(raw, orderIncrementId);
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
			const existing = await findByReference(soapSession, order, input, true);
			if (existing) return existing;
		}
		const context: Omit<FaultContext, 'path' | 'write'> = { subject: { kind: 'order', id: order.incrementId } };
		const send = async () => await soapSession.call(createCall(input, order), 'write', context);
		const created = await send().catch(async (error: unknown) => {
			if (!(error instanceof ProviderError) || error.outcome !== 'unknown' || input.reference === undefined) throw error;
			const found = await findByReference(soapSession, order, input, false);
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

/** The memo just created, read back for its totals; if that read fails the memo still exists and is reported. */
async function describeCreated(session: SoapSession, incrementId: string, input: MagentoSoapCreateInput): Promise<CreditMemoResult> {
	const base = { refundReference: input.reference ?? null, replayed: false };
	try {
		const info = await session.call(infoCall(incrementId), 'read', { subject: { kind: 'creditMemo', id: incrementId } });
		return { ...fromCreditmemo(info), ...base };
	} catch {
		return { provider: 'magentoSoap', creditMemoId: incrementId, number: incrementId, status: null, totalAmount: null, currency: null, createdAt: null, ...base, raw: { increment_id: incrementId } };
	}
}

/**
 * The order's memo whose comments carry this Refund Reference, newest first. Under the same reference with a
 * different refund (other items or amounts) it is refused, never returned as if it were this refund.
 */
async function findByReference(session: SoapSession, order: OrderSummary, input: MagentoSoapCreateInput, replayed: boolean): Promise<CreditMemoResult | undefined> {
	const reference = input.reference as string;
	const memos = asList(await session.call(listCall(order.entityId), 'read', { subject: { kind: 'order', id: order.incrementId } })).map(asObject);
	const newestFirst = memos.sort((a, b) => Number(textOf(b.creditmemo_id) ?? 0) - Number(textOf(a.creditmemo_id) ?? 0));
	for (const memo of newestFirst) {
		const incrementId = textOf(memo.increment_id);
		if (!incrementId) continue;
		const info = await session.call(infoCall(incrementId), 'read', { subject: { kind: 'creditMemo', id: incrementId } });
		const found = memoComments(info)
			.map((comment) => markerFingerprint(comment, reference))
			.find((candidate) => candidate !== undefined);
		if (found === undefined) continue;
		assertSameRefund(
			'magentoSoap',
			reference,
			{ creditMemoId: incrementId, totalAmount: null, differences: found === input.refundFingerprint ? [] : [`other items or amounts (refund #${found}, this one #${input.refundFingerprint})`] },
			null,
		);
		return { ...fromCreditmemo(info), refundReference: reference, replayed };
	}
	return undefined;
}

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
};
