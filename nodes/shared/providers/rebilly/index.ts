import type { IDataObject } from 'n8n-workflow';

import { REBILLY_SERVERS } from '../../../../credentials/RebillyApi.credentials';
import { AMOUNT, parseDecimal } from '../../money';
import { assertSameRefund } from '../../reference';
import { openRestSession, trimSlashes } from '../../session';
import { ProviderError } from '../../errors';
import type { CommentOperation, CreateOperation, CreditMemoProvider, CreditMemoResult, GetOperation, ListOperation, Session, WriteOperation } from '../../types';
import { classify, toError } from './errors';
import { cancelFields, commentFields, createFields, getFields, listFields } from './fields';
import type { RebillyCommentInput, RebillyCreateInput } from './mappers';
import { fromCreditMemo, readCommentInput, readCreateInput, readListFilter, readMemoId } from './mappers';
import type { RebillyCreditMemo } from './types';

const create: CreateOperation<RebillyCreateInput> = {
	fields: createFields,
	read: readCreateInput,
	prefetch: async (session, inputs) => await prefetch(session, inputs),
	// Create is PUT /credit-memos/{id} with an ID derived from the Refund Reference: an upsert, so sending it
	// twice cannot make two memos (the official spec has no Idempotency-Key header for Rebilly).
	async plan(session, input) {
		return {
			request: {
				method: 'PUT',
				url: `${await session.baseUrl()}/credit-memos/${encodeURIComponent(input.creditMemoId)}`,
				headers: { 'Content-Type': 'application/json' },
				body: input.body,
			},
			totalAmount: input.total,
			currency: input.body.currency,
		};
	},
	// Read first: a memo already under this ID is returned as it is, never overwritten by the PUT.
	async execute(session, input, plan) {
		const prefetched = known.get(session)?.get(input.creditMemoId);
		const existing = prefetched === undefined ? await getMemo(session, input.creditMemoId) : (prefetched ?? undefined);
		if (existing) {
			assertSameRefund('rebilly', input.reference, describe(existing, input), input.total);
			return { ...fromCreditMemo(existing), refundReference: input.reference, replayed: true };
		}
		const response = await session.send(plan.request, { safety: 'idempotent', classify: (r) => classify(r) });
		return { ...fromCreditMemo(response.body as RebillyCreditMemo), refundReference: input.reference, replayed: false };
	},
};

/** Bulk: which memos already exist, per session, from one list request per 100 IDs instead of a read per memo. */
const known = new WeakMap<Session, Map<string, RebillyCreditMemo | null>>();
const IDS_PER_LOOKUP = 100;

async function prefetch(session: Session, inputs: RebillyCreateInput[]): Promise<void> {
	const found = known.get(session) ?? new Map<string, RebillyCreditMemo | null>();
	known.set(session, found);
	const ids = [...new Set(inputs.map((input) => input.creditMemoId))];
	for (let start = 0; start < ids.length; start += IDS_PER_LOOKUP) {
		const chunk = ids.slice(start, start + IDS_PER_LOOKUP);
		// Rebilly's collection filter takes comma-separated values: `id:a,b,c`.
		const response = await session.send(
			{ method: 'GET', url: `${await session.baseUrl()}/credit-memos`, headers: {}, qs: { filter: `id:${chunk.join(',')}`, limit: chunk.length } },
			{ safety: 'read', classify: (r) => classify(r) },
		);
		// Only a list answer may say "no memo": anything else leaves these IDs to each create's own read, since a
		// wrong "no memo" would let the PUT overwrite a memo that exists.
		if (!Array.isArray(response.body)) continue;
		const memos = response.body as RebillyCreditMemo[];
		for (const id of chunk) found.set(id, memos.find((memo) => memo.id === id) ?? null);
	}
}

const comment: CommentOperation<RebillyCommentInput> = {
	fields: commentFields,
	read: readCommentInput,
	async plan(session, input) {
		return {
			request: {
				method: 'POST',
				url: `${await session.baseUrl()}/credit-memos/${encodeURIComponent(input.creditMemoId)}/timeline`,
				headers: { 'Content-Type': 'application/json' },
				body: { message: input.message },
			},
			totalAmount: null,
			currency: null,
		};
	},
	// A timeline message is not idempotent: a lost answer is reported as unknown, never sent twice blindly.
	async execute(session, input, plan) {
		const response = await session.send(plan.request, { safety: 'write', classify: (r) => classify(r) });
		const body = (response.body ?? {}) as { message?: string };
		return { provider: 'rebilly', creditMemoId: input.creditMemoId, comment: body.message ?? input.message, target: 'creditMemo', raw: response.body as IDataObject };
	},
};

/** The memo under this ID, or undefined when Rebilly has none (404). Used by the exactly-once read and by Get. */
async function getMemo(session: Session, id: string): Promise<RebillyCreditMemo | undefined> {
	const response = await session
		.send({ method: 'GET', url: await memoUrl(session, id), headers: {} }, { safety: 'read', classify: (r) => classify(r) })
		.catch((error: { httpStatus?: number }) => {
			if (error.httpStatus === 404) return undefined;
			throw error;
		});
	return response?.body as RebillyCreditMemo | undefined;
}

async function memoUrl(session: Session, id: string): Promise<string> {
	return `${await session.baseUrl()}/credit-memos/${encodeURIComponent(id)}`;
}

const get: GetOperation<string> = {
	fields: getFields,
	read: readMemoId,
	async execute(session, id) {
		const memo = await getMemo(session, id);
		if (!memo) throw notFound(id);
		return fromCreditMemo(memo);
	},
};

/** Rebilly's collection limit is at most 1000 per page; Pagination-Total says how many there are. */
const PAGE_SIZE = 100;

const list: ListOperation<string | undefined> = {
	fields: listFields,
	read: readListFilter,
	async execute(session, filter, limit) {
		const memos: CreditMemoResult[] = [];
		for (let offset = 0; limit === undefined || memos.length < limit; offset += PAGE_SIZE) {
			const pageSize = limit === undefined ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - memos.length);
			const qs: Record<string, string | number> = { limit: pageSize, offset, sort: 'createdTime' };
			if (filter) qs.filter = filter;
			const response = await session.send(
				{ method: 'GET', url: `${await session.baseUrl()}/credit-memos`, headers: {}, qs },
				{ safety: 'read', classify: (r) => classify(r) },
			);
			const page = Array.isArray(response.body) ? (response.body as RebillyCreditMemo[]) : [];
			memos.push(...page.map(fromCreditMemo));
			const total = Number(response.headers['pagination-total']);
			if (page.length < pageSize || (Number.isFinite(total) && offset + page.length >= total)) break;
		}
		return memos;
	},
};

const cancel: WriteOperation<string, CreditMemoResult> = {
	fields: cancelFields,
	read: readMemoId,
	async plan(session, id) {
		return { request: { method: 'POST', url: `${await memoUrl(session, id)}/void`, headers: {} }, totalAmount: null, currency: null };
	},
	// Voiding twice is refused with 409; when the memo is already voided (a retried or repeated void), that is
	// the result asked for, so it is returned rather than reported as a failure.
	async execute(session, id, plan) {
		const response = await session.send(plan.request, { safety: 'idempotent', classify: (r) => classify(r) }).catch(async (error: { httpStatus?: number }) => {
			if (error.httpStatus !== 409) throw error;
			const memo = await getMemo(session, id);
			if (memo?.status !== 'voided') throw error;
			return { statusCode: 200, headers: {}, body: memo };
		});
		return fromCreditMemo(response.body as RebillyCreditMemo);
	},
};

function notFound(id: string): ProviderError {
	return new ProviderError({
		provider: 'rebilly',
		message: `Rebilly has no credit memo ${id}`,
		code: 'Not Found',
		httpStatus: 404,
		hint: 'Check the ID and that the credential points at the right organization and environment.',
	});
}

function describe(existing: RebillyCreditMemo, input: RebillyCreateInput) {
	const differences: string[] = [];
	if (existing.customerId !== input.body.customerId) differences.push(`customer ${existing.customerId} instead of ${input.body.customerId}`);
	if (existing.currency !== input.body.currency) differences.push(`currency ${existing.currency} instead of ${input.body.currency}`);
	return {
		creditMemoId: existing.id ?? null,
		totalAmount: typeof existing.totalAmount === 'number' ? parseDecimal(existing.totalAmount, 'totalAmount', { ...AMOUNT, maxDecimals: 6 }) : null,
		differences,
	};
}

export const rebilly: CreditMemoProvider = {
	key: 'rebilly',
	displayName: 'Rebilly',
	credentialType: 'rebillyApi',
	authHeaders: ['REB-APIKEY'],
	// Rebilly publishes no concurrency limit; its sandbox allows 3000 writes per 10 minutes per organization.
	maxConcurrency: 10,
	toError,
	openSession: (context) =>
		openRestSession(context, {
			provider: 'rebilly',
			credentialType: 'rebillyApi',
			toError,
			baseUrl: (credentials) => {
				const server =
					credentials.environment === 'custom'
						? trimSlashes(String(credentials.baseUrl ?? ''))
						: REBILLY_SERVERS[credentials.environment as keyof typeof REBILLY_SERVERS];
				return `${server}/organizations/${encodeURIComponent(String(credentials.organizationId ?? '').trim())}`;
			},
		}),
	create: create as CreateOperation<unknown>,
	comment: comment as CommentOperation<unknown>,
	get: get as GetOperation<unknown>,
	list: list as ListOperation<unknown>,
	cancel: cancel as WriteOperation<unknown, CreditMemoResult>,
};
