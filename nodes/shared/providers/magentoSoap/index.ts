import { ProviderError } from '../../errors';
import type { BatchOperation, CommentOperation, CreateOperation, CreditMemoProvider, CreditMemoResult } from '../../types';
import type { FaultContext } from './errors';
import { faultError, faultOf, toError } from './errors';
import { createBatch } from './batch';
import { commentFields, createFields, createOptions } from './fields';
import type { MagentoSoapCommentInput, MagentoSoapCreateInput } from './mappers';
import { addCommentCall, checkLines, createCall, maximumTotal, readCommentInput, readCreateInput, textOf, toCommentResult } from './mappers';
import { describeCreated, findByReference, orderOf, soap } from './memos';
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
};
