import type { DateTime } from 'luxon';

import { InputError, ProviderError } from '../../errors';
import type { CreditMemoResult, GetOperation, ListOperation, Session, WriteOperation } from '../../types';
import { classify, isNotFound, memoFrom, notFound, reasonCategory, toError } from './errors';
import { cancelFields, getFields, listFields } from './fields';
import type { ZuoraListInput } from './mappers';
import { MAX_PAGE_SIZE, describeMemo, inCreatedWindow, listQuery, markerReference, readCreditMemoKey, readListInput, tenantDateTime } from './mappers';
import type { ZuoraSettings } from './session';
import { TENANT_TIME_ZONE_FIELD, settingsOf } from './session';
import type { ZuoraCreditMemo, ZuoraMemoBody } from './types';

function memoUrl(settings: ZuoraSettings, creditMemoKey: string): string {
	return `${settings.baseUrl}/v1/credit-memos/${encodeURIComponent(creditMemoKey)}`;
}

/** GET /v1/credit-memos/{creditMemoKey} (ID or number): Get, Cancel and Add Memo Comment read memos here. */
export async function readMemo(session: Session, creditMemoKey: string): Promise<ZuoraCreditMemo & { id: string }> {
	const settings = await settingsOf(session);
	const response = await session.send({ method: 'GET', url: memoUrl(settings, creditMemoKey), headers: { ...settings.headers } }, { safety: 'read', classify });
	return memoFrom(response, 'failed');
}

/** GET_CreditMemos' answer (GETCreditMemoCollectionType). */
interface ZuoraMemoPage {
	creditmemos?: unknown;
	nextPage?: string;
	success?: boolean;
}

/**
 * GET /v1/credit-memos, one page at a time, newest first, while Zuora says there is a next page. The next page is
 * asked for by number with the same query rather than by following `nextPage`, so the token only ever goes to
 * the credential's server.
 */
export async function* memoPages(session: Session, filters: Record<string, string>, pageSize: number): AsyncGenerator<ZuoraCreditMemo[]> {
	const settings = await settingsOf(session);
	for (let page = 1; ; page++) {
		const response = await session.send(
			{ method: 'GET', url: `${settings.baseUrl}/v1/credit-memos`, headers: { ...settings.headers }, qs: listQuery(filters, page, pageSize) },
			{ safety: 'read', classify },
		);
		const body = (response.body ?? {}) as ZuoraMemoPage;
		if (body.success === false) throw toError(response);
		if (!Array.isArray(body.creditmemos)) {
			throw new ProviderError({ provider: 'zuora', message: 'Zuora answered the list without credit memos', httpStatus: response.statusCode, details: response.body });
		}
		const memos = body.creditmemos.filter((memo): memo is ZuoraCreditMemo => !!memo && typeof memo === 'object');
		yield memos;
		if (!body.nextPage || memos.length === 0) return;
	}
}

/** Where a memo of this body is listed: its invoice's memos (From Invoice), its account's (Standalone). */
export function listedUnder(body: ZuoraMemoBody): Record<string, string> {
	if ('invoiceId' in body) return { referredInvoiceId: body.invoiceId };
	return body.accountId ? { accountId: body.accountId } : { accountNumber: body.accountNumber ?? '' };
}

const existing = new WeakMap<Session, Map<string, Promise<Map<string, ZuoraCreditMemo>>>>();

/**
 * The memos already made under a Refund Reference, by reference, among the memos listed under these filters
 * (read once per filter per execution; the run's own memos are never looked up again, as Bulk refuses a
 * reference twice in one run). A failure to list is the caller's: nothing may be sent without knowing.
 */
export async function memosByReference(session: Session, filters: Record<string, string>): Promise<Map<string, ZuoraCreditMemo>> {
	const cache = existing.get(session) ?? new Map<string, Promise<Map<string, ZuoraCreditMemo>>>();
	existing.set(session, cache);
	const key = JSON.stringify(filters);
	let found = cache.get(key);
	if (!found) {
		found = (async () => {
			const byReference = new Map<string, ZuoraCreditMemo>();
			for await (const page of memoPages(session, filters, MAX_PAGE_SIZE)) {
				for (const memo of page) {
					const reference = markerReference(memo.comment);
					if (reference !== undefined && !byReference.has(reference)) byReference.set(reference, memo);
				}
			}
			return byReference;
		})();
		// A failed read is not kept: the next chunk asks again.
		found.catch(() => cache.delete(key));
		cache.set(key, found);
	}
	return await found;
}

export const get: GetOperation<string> = {
	fields: getFields,
	read: readCreditMemoKey,
	async execute(session, creditMemoKey) {
		const settings = await settingsOf(session);
		const memo = await readMemo(session, creditMemoKey).catch((error: unknown) => {
			throw isNotFound(error) ? notFound(creditMemoKey, error) : error;
		});
		return describeMemo(memo, settings.timeZone);
	},
};

/**
 * Zuora's list filters take exact values only (the v1 reference documents no range on createdDate), so a created
 * window is applied here, to the memos Zuora lists newest first: the first memo older than the window's start
 * ends the paging. That stop relies on the order, so it is checked as pages arrive; if Zuora's order ever is not
 * newest first, every page is read (slower, never wrong). A memo seen twice (a new memo shifted the pages while
 * paging) is listed once.
 */
export const list: ListOperation<ZuoraListInput> = {
	fields: listFields,
	read: readListInput,
	async execute(session, input, limit) {
		const { timeZone } = await settingsOf(session);
		const windowed = input.createdAfter !== undefined || input.createdBefore !== undefined;
		if (windowed && timeZone === undefined) {
			throw new InputError(
				TENANT_TIME_ZONE_FIELD,
				"Created After / Created Before need the Zuora tenant's time zone: Zuora gives memo creation times in it without saying which it is",
				"Set Tenant Time Zone in the Zuora credential (Zuora: Manage Tenant Profile; Zuora's default is America/Los_Angeles).",
			);
		}
		// Without a window every listed memo counts, so a small Limit needs only a small page.
		const pageSize = !windowed && limit !== undefined ? Math.min(limit, MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
		const memos: CreditMemoResult[] = [];
		const seen = new Set<string>();
		let oldest: DateTime | undefined;
		let newestFirst = true;
		for await (const page of memoPages(session, input.filters, pageSize)) {
			for (const memo of page) {
				const key = memo.id ?? memo.number;
				if (key !== undefined) {
					if (seen.has(key)) continue;
					seen.add(key);
				}
				if (windowed) {
					const created = tenantDateTime(memo.createdDate, timeZone!);
					// Without a creation time a memo cannot be placed in the window, nor vouch for the order.
					if (!created || (oldest && created > oldest)) newestFirst = false;
					if (created) oldest = created;
					if (!created || !inCreatedWindow(created, input)) continue;
				}
				memos.push(describeMemo(memo, timeZone));
				if (limit !== undefined && memos.length >= limit) return memos;
			}
			if (newestFirst && input.createdAfter && oldest && oldest < input.createdAfter) break;
		}
		return memos;
	},
};

/**
 * PUT /v1/credit-memos/{creditMemoKey}/cancel. Zuora cancels only Draft memos and refuses every other, an already
 * canceled one too. Canceling twice leaves the memo as canceling once does, so the request is sent as idempotent
 * (the transport may send it again after a lost answer); after a refusal or an answer that never came, the memo is
 * read, and canceled is the result asked for: a retried or repeated cancel is a success, never a failure
 * (`replayed: true` when Zuora said it was canceled already).
 */
export const cancel: WriteOperation<string, CreditMemoResult> = {
	fields: cancelFields,
	read: readCreditMemoKey,
	async plan(session, creditMemoKey) {
		const settings = await settingsOf(session);
		return { request: { method: 'PUT', url: `${memoUrl(settings, creditMemoKey)}/cancel`, headers: { ...settings.headers } }, totalAmount: null, currency: null };
	},
	async execute(session, creditMemoKey, plan) {
		const { timeZone } = await settingsOf(session);
		let memo: ZuoraCreditMemo;
		try {
			// A refusal may come as a 200 with `success: false`: memoFrom turns it into the error.
			memo = memoFrom(await session.send(plan.request, { safety: 'idempotent', classify }), 'unknown');
		} catch (error) {
			return await afterRefusal(session, creditMemoKey, error, timeZone);
		}
		return { ...describeMemo(memo, timeZone), replayed: false };
	},
};

/**
 * A refusal that may mean "this memo is not Draft" (invalid value or business rule: Zuora's categories 20 and 30),
 * or a cancel whose answer did not come or said nothing: the memo's status decides. Permission, not-found, rate
 * and other refusals are reported as they are.
 */
function memoDecides(error: ProviderError): boolean {
	if (error.requestSent === false) return false;
	if (error.httpStatus === undefined || error.httpStatus >= 500 || error.httpStatus === 409 || error.outcome === 'unknown') return true;
	const category = reasonCategory(error.code);
	return category === 20 || category === 30;
}

/** Whether Zuora answered the cancel (and refused it), rather than the answer being lost. */
function answered(error: ProviderError): boolean {
	return error.httpStatus !== undefined && error.httpStatus < 500 && error.outcome !== 'unknown';
}

async function afterRefusal(session: Session, creditMemoKey: string, error: unknown, timeZone: string | undefined): Promise<CreditMemoResult> {
	if (isNotFound(error)) throw notFound(creditMemoKey, error);
	if (!(error instanceof ProviderError) || !memoDecides(error)) throw error;
	// If the memo cannot be read either, the cancel's own error says more.
	const memo = await readMemo(session, creditMemoKey).catch(() => undefined);
	if (!memo) throw error;
	if (memo.status === 'Canceled') return { ...describeMemo(memo, timeZone), replayed: answered(error) };
	throw cancelRefused(memo, error);
}

const CANCEL_HINTS: Record<string, string> = {
	Posted:
		'Zuora cancels only Draft credit memos. A posted memo is undone in Zuora by unapplying it and then reversing it (Reverse a credit memo); to be able to cancel memos, create them without Auto Post and post them after review.',
	CancelInProgress: 'Zuora is already canceling this memo; read it again in a moment (Get).',
};

function cancelRefused(memo: ZuoraCreditMemo, error: ProviderError): ProviderError {
	const name = memo.number ?? memo.id;
	const status = memo.status ?? 'in an unknown status';
	return new ProviderError({
		provider: 'zuora',
		message: error.message,
		code: error.code,
		httpStatus: error.httpStatus,
		description: [
			answered(error) ? `Credit memo ${name} is ${status} in Zuora.` : `Credit memo ${name} is still ${status}: it was not canceled. Running the node again is safe.`,
			error.description,
		]
			.filter(Boolean)
			.join(' '),
		hint: CANCEL_HINTS[status] ?? `Zuora cancels only Draft credit memos; this one is ${status}. Wait until Zuora has finished with it, or settle it in Zuora.`,
		retryable: !answered(error) && error.retryable,
		outcome: 'failed',
		details: error.details,
	});
}
