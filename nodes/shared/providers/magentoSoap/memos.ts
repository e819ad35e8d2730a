import { assertSameRefund } from '../../reference';
import type { CreditMemoResult, Session } from '../../types';
import type { CreditmemoFilter, MagentoSoapCreateInput, OrderSummary } from './mappers';
import { markerFingerprint } from '../../reference';
import { asList, asObject, fromCreditmemo, infoCall, listCall, memoComments, orderInfoCall, textOf, toOrderSummary } from './mappers';
import { SoapSession } from './session';
import type { Decoded, DecodedObject, SoapFault } from './types';

export function soap(session: Session): SoapSession {
	if (!(session instanceof SoapSession)) throw new Error('The Magento SOAP provider needs its own session');
	return session;
}

/** Keys of what a session keeps (SoapSession.remember). */
export const keys = {
	order: (incrementId: string) => `order:${incrementId}`,
	memos: (orderEntityId: string) => `memos:${orderEntityId}`,
	memo: (incrementId: string) => `memo:${incrementId}`,
};

/** The order as sales_order.info describes it, read once per order and execution. */
export async function orderOf(session: SoapSession, orderIncrementId: string): Promise<OrderSummary> {
	const raw = await session.remember(
		keys.order(orderIncrementId),
		async () => await session.call(orderInfoCall(orderIncrementId), 'read', { subject: { kind: 'order', id: orderIncrementId } }),
	);
	return toOrderSummary(raw, orderIncrementId);
}

/**
 * Reads many orders ahead in one multiCall (a bulk run refunding many orders would otherwise read them one by
 * one). An order Magento could not read is left out: orderOf asks again and reports its fault.
 */
export async function prefetchOrders(session: SoapSession, orderIncrementIds: string[]): Promise<void> {
	const unread = [...new Set(orderIncrementIds)].filter((incrementId) => !session.has(keys.order(incrementId)));
	if (unread.length < 2) return;
	const infos = asList(await session.multiCall(unread.map(orderInfoCall), 'read'));
	unread.forEach((incrementId, position) => {
		const info = infos[position] ?? null;
		if (info !== null && !inBandFault(info)) session.keep(keys.order(incrementId), info);
	});
}

/**
 * sales_order_creditmemo.list: every memo matching the filter, in one answer (Magento's list has no paging).
 * The exactly-once lookup (one order's memos) and the Credit Memo node's List both read memos through it.
 */
export async function listMemos(session: SoapSession, filter: CreditmemoFilter, order?: OrderSummary): Promise<Decoded> {
	return await session.call(listCall(filter), 'read', order ? { subject: { kind: 'order', id: order.incrementId } } : {});
}

/** The memos of a list answer, oldest first: by entity ID (creditmemo_id), as Magento has no order of its own. */
export function oldestFirst(list: Decoded): DecodedObject[] {
	return asList(list)
		.map(asObject)
		.sort((a, b) => Number(textOf(a.creditmemo_id) ?? 0) - Number(textOf(b.creditmemo_id) ?? 0));
}

/** The order's memos (sales_order_creditmemo.list answer), newest first: a repeated refund is most likely the latest. */
export function newestFirst(list: Decoded): string[] {
	return oldestFirst(list)
		.reverse()
		.map((memo) => textOf(memo.increment_id))
		.filter((incrementId): incrementId is string => incrementId !== null);
}

/**
 * Whether this memo (sales_order_creditmemo.info answer) carries the input's Refund Reference. Under the same
 * reference with a different refund (other items or amounts) it is refused, never returned as if it were this refund.
 */
export function matchReference(info: Decoded, input: MagentoSoapCreateInput, replayed: boolean): CreditMemoResult | undefined {
	const reference = input.reference as string;
	const found = memoComments(info)
		.map((comment) => markerFingerprint(comment, reference))
		.find((candidate) => candidate !== undefined);
	if (found === undefined) return undefined;
	const memo = fromCreditmemo(info);
	assertSameRefund(
		'magentoSoap',
		reference,
		{ creditMemoId: memo.creditMemoId, totalAmount: null, differences: found === input.refundFingerprint ? [] : [`other items or amounts (refund #${found}, this one #${input.refundFingerprint})`] },
		null,
	);
	return { ...memo, refundReference: reference, replayed };
}

/**
 * sales_order_creditmemo.info (the memo with its items and comments), kept for the execution; `fresh` reads it
 * again (after a write that changed it). The exactly-once lookup, Get, List's details and Cancel all read memos here.
 */
export async function readMemo(session: SoapSession, incrementId: string, fresh = false): Promise<Decoded> {
	const read = async () => await session.call(infoCall(incrementId), 'read', { subject: { kind: 'creditMemo', id: incrementId } });
	if (!fresh) return await session.remember(keys.memo(incrementId), read);
	const info = await read();
	session.keep(keys.memo(incrementId), info);
	return info;
}

/** Most info calls in one V1 multiCall: each loads a memo with its items and comments. */
const INFOS_PER_MULTICALL = 50;

/**
 * Reads many memos ahead (V1: multiCalls of info; V2 and WS-I have no multiCall, so readMemo reads them one by
 * one later). A memo Magento could not read is left out: readMemo asks again and reports its fault.
 */
export async function prefetchMemos(session: SoapSession, incrementIds: string[]): Promise<void> {
	if ((await session.settings()).style !== 'v1') return;
	const unread = [...new Set(incrementIds)].filter((incrementId) => !session.has(keys.memo(incrementId)));
	for (let start = 0; start < unread.length; start += INFOS_PER_MULTICALL) {
		const chunk = unread.slice(start, start + INFOS_PER_MULTICALL);
		const infos = asList(await session.multiCall(chunk.map(infoCall), 'read'));
		chunk.forEach((incrementId, position) => {
			const info = infos[position] ?? null;
			if (info !== null && !inBandFault(info)) session.keep(keys.memo(incrementId), info);
		});
	}
}

/** A multiCall answer that is an in-band fault: `{isFault: true, faultCode, faultMessage}` (Handler_Abstract::_faultAsArray). */
export function inBandFault(answer: Decoded): SoapFault | undefined {
	const entry = asObject(answer);
	return entry.isFault === true || entry.isFault === '1' ? { code: textOf(entry.faultCode) ?? '0', message: textOf(entry.faultMessage) ?? '' } : undefined;
}

/**
 * The memos to search for a reference: the one this execution already knows for it, if any, else the order's
 * memos. The order's list is read once per execution (the memos made earlier are what a repeat must find; this
 * run's own are in `memoByReference`), or read again when `fresh` (after a lost answer, the memo may be new).
 */
export async function candidates(session: SoapSession, order: OrderSummary, input: MagentoSoapCreateInput, fresh: boolean): Promise<string[]> {
	const mine = session.memoByReference.get(input.reference as string);
	if (mine) return [mine];
	const read = async () => await listMemos(session, { orderId: order.entityId }, order);
	if (!fresh) return newestFirst(await session.remember(keys.memos(order.entityId), read));
	const list = await read();
	session.keep(keys.memos(order.entityId), list);
	return newestFirst(list);
}

/** The order's memo whose comments carry this Refund Reference (list by order, then each memo's comments). */
export async function findByReference(session: SoapSession, order: OrderSummary, input: MagentoSoapCreateInput, replayed: boolean, fresh: boolean): Promise<CreditMemoResult | undefined> {
	for (const incrementId of await candidates(session, order, input, fresh)) {
		const match = matchReference(await readMemo(session, incrementId), input, replayed);
		if (match) {
			rememberReference(session, incrementId, input);
			return match;
		}
	}
	return undefined;
}

/** A memo known only by its number (reading it failed): every other value null, never invented. */
export function numberOnly(incrementId: string): CreditMemoResult {
	return { provider: 'magentoSoap', creditMemoId: incrementId, number: incrementId, status: null, totalAmount: null, currency: null, createdAt: null, raw: { increment_id: incrementId } };
}

/** A memo just created, as far as it is known when reading it back failed: it exists, so it is still the result. */
export function createdWithoutDetails(incrementId: string, input: MagentoSoapCreateInput): CreditMemoResult {
	return { ...numberOnly(incrementId), refundReference: input.reference ?? null, replayed: false };
}

/** Records the memo of a reference (created or found), so a repeat later in the run finds it without a list. */
export function rememberReference(session: SoapSession, incrementId: string, input: MagentoSoapCreateInput): void {
	if (input.reference !== undefined) session.memoByReference.set(input.reference, incrementId);
}

/** The memo just created, read back for its totals. */
export async function describeCreated(session: SoapSession, incrementId: string, input: MagentoSoapCreateInput): Promise<CreditMemoResult> {
	rememberReference(session, incrementId, input);
	return await readMemo(session, incrementId)
		.then((info): CreditMemoResult => ({ ...fromCreditmemo(info), refundReference: input.reference ?? null, replayed: false }))
		.catch(() => createdWithoutDetails(incrementId, input));
}
