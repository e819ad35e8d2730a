import { ProviderError } from '../../errors';
import type { BatchOperation, CreditMemoResult } from '../../types';
import type { FaultContext } from './errors';
import { faultError } from './errors';
import type { MagentoSoapCreateInput, OrderSummary } from './mappers';
import { asList, createCall, fromCreditmemo, infoCall, listCall } from './mappers';
import { candidates, createdWithoutDetails, inBandFault, keys, matchReference, orderOf, prefetchMemos, prefetchOrders, readMemo, rememberReference, soap } from './memos';
import type { SoapSession } from './session';
import type { SoapFault } from './types';

type Outcome = CreditMemoResult | ProviderError;

interface Entry {
	index: number;
	input: MagentoSoapCreateInput;
	order: OrderSummary;
}

const createContext = (entry: Entry, write: boolean): FaultContext => ({
	path: 'sales_order_creditmemo.create',
	subject: { kind: 'order', id: entry.order.incrementId },
	write,
	inMultiCall: true,
});

/**
 * Memos whose comments carry their entry's Refund Reference, for many entries at once: one multiCall lists the
 * orders' memos not read yet in this execution (all of them when `fresh`), one reads the memos not read yet.
 * An entry without a match is absent from the answer.
 */
async function lookUp(session: SoapSession, entries: Entry[], replayed: boolean, fresh: boolean): Promise<Map<number, Outcome>> {
	const found = new Map<number, Outcome>();
	const searching = entries.filter((entry) => !session.memoByReference.has(entry.input.reference as string));
	const orderIds = [...new Set(searching.map((entry) => entry.order.entityId))].filter((orderId) => fresh || !session.has(keys.memos(orderId)));
	const lists = orderIds.length ? asList(await session.multiCall(orderIds.map((orderId) => listCall({ orderId })), 'read')) : [];
	orderIds.forEach((orderId, position) => {
		if (!inBandFault(lists[position] ?? null)) session.keep(keys.memos(orderId), lists[position] ?? null);
	});
	const candidatesOf = new Map<number, string[] | undefined>();
	for (const entry of entries) {
		const listed = session.has(keys.memos(entry.order.entityId)) || session.memoByReference.has(entry.input.reference as string);
		candidatesOf.set(entry.index, listed ? await candidates(session, entry.order, entry.input, false) : undefined);
	}
	await prefetchMemos(session, [...candidatesOf.values()].flatMap((ids) => ids ?? []));
	for (const entry of entries) {
		const memoIds = candidatesOf.get(entry.index);
		if (!memoIds) {
			found.set(entry.index, new ProviderError({ provider: 'magentoSoap', message: `Magento did not list the credit memos of order ${entry.order.incrementId}`, hint: 'Nothing was created for this item; run it again.' }));
			continue;
		}
		const outcome = await firstMatch(session, memoIds, entry.input, replayed);
		if (outcome) found.set(entry.index, outcome);
	}
	return found;
}

/** The first of these memos that carries the input's reference (or the refusal of a reused one). */
async function firstMatch(session: SoapSession, memoIds: string[], input: MagentoSoapCreateInput, replayed: boolean): Promise<Outcome | undefined> {
	for (const memoId of memoIds) {
		// A memo the prefetch could not read is read again here: skipped, it could hide the memo already created.
		try {
			const match = matchReference(await readMemo(session, memoId), input, replayed);
			if (match) {
				rememberReference(session, memoId, input);
				return match;
			}
		} catch (error) {
			return error as ProviderError;
		}
	}
	return undefined;
}

/**
 * SOAP V1 multiCall: up to `maxBatchSize` creates in one request, each answered in band. Exactly once as for
 * single creates: references are looked up first (existing memos returned), and after an unknown outcome, of the
 * whole request or of one create, the same lookup decides. V2 and WS-I have no multiCall: Bulk sends those one by one.
 */
export const createBatch: BatchOperation<MagentoSoapCreateInput> = {
	// Each create runs Magento's full refund (totals, inventory, emails): 20 keep a request well inside PHP's time limit.
	maxBatchSize: 20,
	available: async (session) => (await soap(session).settings()).style === 'v1',
	group: () => 'creditmemo',
	prepare: async (session, inputs) => await prefetchOrders(soap(session), inputs.map((input) => input.orderIncrementId)),
	async plan(session, inputs) {
		const soapSession = soap(session);
		const orders = await Promise.all(inputs.map(async (input) => await orderOf(soapSession, input.orderIncrementId)));
		return await soapSession.prepareMultiCall(inputs.map((input, position) => createCall(input, orders[position])));
	},
	async execute(session, inputs) {
		const soapSession = soap(session);
		const entries: Entry[] = await Promise.all(inputs.map(async (input, index) => ({ index, input, order: await orderOf(soapSession, input.orderIncrementId) })));
		const outcomes = await lookUp(
			soapSession,
			entries.filter((entry) => entry.input.checkForExistingMemo),
			true,
			false,
		);
		const created: Array<[Entry, string]> = [];
		let pending = entries.filter((entry) => !outcomes.has(entry.index));
		// A second round only for creates whose answer was lost and whose memo the lookup did not find.
		for (let round = 1; pending.length && round <= 2; round++) {
			const answers = await soapSession.multiCall(pending.map((entry) => createCall(entry.input, entry.order)), 'write').then(asList, (error: unknown) => error);
			if (!Array.isArray(answers) || answers.length !== pending.length) {
				const error = Array.isArray(answers)
					? new ProviderError({ provider: 'magentoSoap', message: `Magento answered ${answers.length} results for ${pending.length} credit memos`, outcome: 'unknown' })
					: answers;
				pending = await afterLostAnswers(soapSession, pending, error, outcomes, round === 2);
				continue;
			}
			const uncertain: Array<[Entry, SoapFault]> = [];
			pending.forEach((entry, position) => {
				const answer = answers[position] ?? null;
				const fault = inBandFault(answer);
				const incrementId = typeof answer === 'string' && answer !== '' ? answer : undefined;
				if (incrementId) created.push([entry, incrementId]);
				else if (!fault) outcomes.set(entry.index, noNumber(entry));
				else {
					const error = faultError(fault, createContext(entry, true));
					if (error.outcome === 'unknown' && entry.input.reference !== undefined) uncertain.push([entry, fault]);
					else outcomes.set(entry.index, error);
				}
			});
			// Faults Magento also gives after saving: the lookup tells whether the memo exists (if it cannot, still unknown).
			const decided = await lookUp(
				soapSession,
				uncertain.map(([entry]) => entry),
				false,
				true,
			).catch(() => undefined);
			for (const [entry, fault] of uncertain) {
				outcomes.set(entry.index, decided ? (decided.get(entry.index) ?? faultError(fault, createContext(entry, false))) : faultError(fault, createContext(entry, true)));
			}
			pending = [];
		}
		for (const [entry, memo] of await readBack(soapSession, created)) outcomes.set(entry.index, memo);
		return entries.map((entry) => outcomes.get(entry.index) ?? noNumber(entry));
	},
};

/**
 * The whole multiCall failed. A definite failure fails every memo; an unknown outcome is settled per memo by its
 * reference (found: the memo; not found: sent once more, unless this was already the second round). Returns the
 * memos to send again.
 */
async function afterLostAnswers(session: SoapSession, pending: Entry[], error: unknown, outcomes: Map<number, Outcome>, lastRound: boolean): Promise<Entry[]> {
	const unknown = error instanceof ProviderError && error.outcome === 'unknown';
	const failure = error instanceof ProviderError ? error : new ProviderError({ provider: 'magentoSoap', message: String((error as Error)?.message ?? error), outcome: 'unknown' });
	const traceable = unknown ? pending.filter((entry) => entry.input.reference !== undefined) : [];
	for (const entry of pending) if (!traceable.includes(entry)) outcomes.set(entry.index, failure);
	// If even the lookup fails, which memos exist stays unknown: nothing is sent again.
	const found = await lookUp(session, traceable, false, true).catch(() => undefined);
	const again: Entry[] = [];
	for (const entry of traceable) {
		const memo = found?.get(entry.index);
		if (memo) outcomes.set(entry.index, memo);
		else if (lastRound || !found) outcomes.set(entry.index, failure);
		else again.push(entry);
	}
	return again;
}

/** The memos just created, read back in one multiCall; one that cannot be read is still reported, by its number. */
async function readBack(session: SoapSession, created: Array<[Entry, string]>): Promise<Array<[Entry, CreditMemoResult]>> {
	if (!created.length) return [];
	const infos = await session.multiCall(created.map(([, incrementId]) => infoCall(incrementId)), 'read').then(asList, () => []);
	return created.map(([entry, incrementId], position) => {
		const info = infos[position] ?? null;
		rememberReference(session, incrementId, entry.input);
		if (info !== null && !inBandFault(info)) session.keep(keys.memo(incrementId), info);
		const memo = info === null || inBandFault(info) ? createdWithoutDetails(incrementId, entry.input) : { ...fromCreditmemo(info), refundReference: entry.input.reference ?? null, replayed: false };
		return [entry, memo];
	});
}

function noNumber(entry: Entry): ProviderError {
	return new ProviderError({
		provider: 'magentoSoap',
		message: 'Magento answered the create without a credit memo number',
		hint: `The memo may exist: check order ${entry.order.incrementId}'s credit memos in the Magento admin before sending it again.`,
		outcome: 'unknown',
	});
}
