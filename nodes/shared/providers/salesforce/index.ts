import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_API_VERSION } from '../../../../credentials/SalesforceOmOAuth2Api.credentials';
import type { Outcome } from '../../errors';
import { InputError, ProviderError } from '../../errors';
import { openRestSession, trimSlashes } from '../../session';
import type { CommentOperation, CreateOperation, CreditMemoProvider, GetOperation, ListOperation, PlannedWrite, Session } from '../../types';
import { classify, toError } from './errors';
import { commentFields, createFields, createOptions, getFields, listFields } from './fields';
import type { ExistingCreditMemo } from './lookup';
import { findCreditMemos, query } from './lookup';
import type { SalesforceCommentInput, SalesforceCreateInput, SalesforceListFilter } from './mappers';
import {
	appendLine,
	assertFits,
	creditMemoUrl,
	describedWith,
	descriptionLength,
	fromCreditMemo,
	queryableFields,
	readCommentInput,
	readCreateInput,
	readCreditMemoId,
	readListFilter,
	referenceLine,
	referencesIn,
	toCreateRequest,
	toDescriptionRequest,
	toEnsureRefundsRequest,
	toListQuery,
} from './mappers';
import type { CreateCreditMemoOutput, CreditMemoRecord, EnsureRefundsAsyncOutput, SObjectDescribe } from './types';

const CREDENTIAL_TYPE = 'salesforceOmOAuth2Api';

const create: CreateOperation<SalesforceCreateInput> = {
	fields: createFields,
	options: createOptions,
	read: readCreateInput,
	// Salesforce computes the memo from the change orders (products, delivery, adjustments, tax): a total
	// estimated here could differ from what it credits, so it stays unknown (a Max Total Amount refuses it).
	async plan(session, input) {
		return { request: toCreateRequest(await session.baseUrl(), input), totalAmount: null, currency: null };
	},
	async execute(session, input, plan) {
		const { creditMemoId, replayed } = await createOrFindExisting(session, input, plan);
		const memo = { creditMemoId, replayed };
		const record = await afterMemo(memo, 'reading it back', async () => await readCreditMemo(session, creditMemoId));
		if (replayed) assertSameReference(input, record);
		const written = await afterMemo(memo, 'writing the Refund Reference into its Description', async () => await writeReference(session, input, record));
		const result = { ...fromCreditMemo(written), refundReference: input.reference, replayed };
		if (!input.ensureRefunds) return result;
		return {
			...result,
			ensureRefunds: replayed
				? { started: false, reason: 'The credit memo already existed, so its refund was not started again. Check its refunds in Salesforce.' }
				: await afterMemo(
						memo,
						'starting its refund (Ensure Refunds)',
						async () => await ensureRefunds(session, input.orderSummaryId, creditMemoId),
						'Start the refund in Salesforce (Ensure Refunds on the order summary). Running this node again returns the memo but does not start refunds again.',
					),
		};
	},
};

/** The comment goes into the memo's Description (the one text field of a CreditMemo that can be updated). */
const comment: CommentOperation<SalesforceCommentInput> = {
	fields: commentFields,
	read: readCommentInput,
	// Reads the memo (Append needs its text; an unknown memo is reported before anything is written) and the
	// field's length in this org, so a Description that would be too long is refused here, in Dry Run too.
	async plan(session, input) {
		const [record, describe] = await Promise.all([readCreditMemo(session, input.creditMemoId, ['Id', 'Description']), describeCreditMemo(session)]);
		const description = describedWith(record.Description, input);
		assertFits(description, descriptionLength(describe), input);
		return { request: toDescriptionRequest(await session.baseUrl(), input.creditMemoId, description), totalAmount: null, currency: null };
	},
	// The PATCH carries the whole new text, so sending it again leaves the same Description.
	async execute(session, input, plan) {
		await session.send(plan.request, { safety: 'idempotent', classify });
		const written = (plan.request.body ?? {}) as { Description: string };
		return { provider: 'salesforce', creditMemoId: input.creditMemoId, comment: input.comment, target: 'creditMemo', raw: { Id: input.creditMemoId, Description: written.Description } };
	},
};

/** Describe is read once per execution (per session): the org's fields do not change between items. */
const describes = new WeakMap<Session, Promise<SObjectDescribe>>();

async function describeCreditMemo(session: Session): Promise<SObjectDescribe> {
	let describe = describes.get(session);
	if (!describe) {
		describe = readDescribe(session);
		describes.set(session, describe);
		// A failed describe is not remembered: the next item asks again.
		describe.catch(() => describes.delete(session));
	}
	return await describe;
}

async function readDescribe(session: Session): Promise<SObjectDescribe> {
	const response = await session.send({ method: 'GET', url: `${await session.baseUrl()}/sobjects/CreditMemo/describe`, headers: {} }, { safety: 'read', classify });
	return (response.body ?? {}) as SObjectDescribe;
}

/** The record, read as Create reads back the memo it made. */
const get: GetOperation<string> = {
	fields: getFields,
	read: readCreditMemoId,
	async execute(session, creditMemoId) {
		const record = await readCreditMemo(session, creditMemoId).catch((error: unknown) => {
			throw error instanceof ProviderError && error.httpStatus === 404 ? notFound(creditMemoId, error) : error;
		});
		return fromCreditMemo(record);
	},
};

/** One SOQL query through the `query` resource, paged by `nextRecordsUrl` like the exactly-once lookup's queries. */
const list: ListOperation<SalesforceListFilter> = {
	fields: listFields,
	read: readListFilter,
	async execute(session, filter, limit) {
		const fields = queryableFields(await describeCreditMemo(session));
		const records = await query<CreditMemoRecord>(session, toListQuery(fields, filter, limit));
		return records.map(fromCreditMemo);
	},
};

function notFound(creditMemoId: string, error: ProviderError): ProviderError {
	return new ProviderError({
		provider: 'salesforce',
		message: `Salesforce has no credit memo ${creditMemoId}`,
		code: error.code,
		httpStatus: error.httpStatus,
		hint: 'Check the ID, and that the credential points at the org it belongs to (production, sandbox or My Domain).',
		details: error.details,
	});
}

/**
 * Salesforce credits a change order only once, so sending the create again (after a lost answer, a 5xx, or
 * a re-run of the workflow) cannot credit twice: it is refused. Any refusal that could mean "already
 * credited" is answered by looking the memo up; one that credits exactly these change orders is the result.
 */
async function createOrFindExisting(session: Session, input: SalesforceCreateInput, plan: PlannedWrite): Promise<{ creditMemoId: string; replayed: boolean }> {
	let refusal: ProviderError;
	try {
		const response = await session.send(plan.request, { safety: 'idempotent', classify });
		const output = (response.body ?? {}) as CreateCreditMemoOutput;
		if (output.success === true && typeof output.creditMemoId === 'string' && output.creditMemoId) {
			return { creditMemoId: output.creditMemoId, replayed: false };
		}
		// "The response body can still indicate processing errors" on a 2xx.
		refusal = toError(response);
	} catch (error) {
		refusal = refusalThatMayHaveCredited(error);
	}

	let existing: ExistingCreditMemo[];
	try {
		existing = await findCreditMemos(session, input.changeOrderIds);
	} catch (lookupError) {
		// Unknown: the refusal may have been "already credited", by a memo this lookup could not see.
		throw withContext(refusal, 'unknown', {
			description: `Checking whether these change orders were already credited failed too: ${(lookupError as Error).message}.`,
			hint: 'Look at the order summary\'s credit memos in Salesforce. Running the node again is safe: Salesforce credits a change order only once.',
		});
	}
	const match = existing.find((memo) => !memo.coversOthers && memo.changeOrderIds.length === input.changeOrderIds.length);
	if (match && existing.length === 1) return { creditMemoId: match.creditMemoId, replayed: true };
	if (existing.length) throw alreadyCredited(existing, refusal);
	if (!outcomeUncertain(refusal)) throw refusal;
	throw withContext(refusal, 'failed', {
		description: 'No credit memo exists for these change orders, so nothing was credited.',
		hint: 'Running the node again is safe: Salesforce credits a change order only once.',
	});
}

/**
 * The failure, when a memo may exist after it; anything else (auth, permission, rate limit, not found, a
 * request that never left) is thrown on as it is.
 */
function refusalThatMayHaveCredited(error: unknown): ProviderError {
	if (!(error instanceof ProviderError)) throw error;
	const mayHaveCredited = error.httpStatus === undefined ? error.requestSent !== false : ![401, 403, 404, 429].includes(error.httpStatus);
	if (!mayHaveCredited) throw error;
	return error;
}

function outcomeUncertain(error: ProviderError): boolean {
	return error.httpStatus === undefined || error.httpStatus >= 500;
}

function withContext(error: ProviderError, outcome: Outcome, extra: { description: string; hint: string }): ProviderError {
	return new ProviderError({
		provider: 'salesforce',
		message: error.message,
		code: error.code,
		httpStatus: error.httpStatus,
		description: [error.description, extra.description].filter(Boolean).join(' '),
		hint: extra.hint,
		retryable: error.retryable,
		outcome,
		details: error.details,
	});
}

function alreadyCredited(existing: ExistingCreditMemo[], refusal: ProviderError): ProviderError {
	const memos = existing.map((memo) => `${memo.creditMemoId} (${[...memo.changeOrderIds, ...(memo.coversOthers ? ['other change orders'] : [])].join(', ')})`);
	return new ProviderError({
		provider: 'salesforce',
		message: `These change orders were already credited, in a different combination: credit memo ${memos.join('; ')}. Nothing was created.`,
		code: 'ALREADY_CREDITED',
		httpStatus: refusal.httpStatus,
		description: `Salesforce said: ${refusal.message}`,
		hint: 'Send only change orders that have not been credited yet, or use the existing credit memo.',
		details: refusal.details,
	});
}

/** A memo found for these change orders must not carry another refund's reference (a reused business key). */
function assertSameReference(input: SalesforceCreateInput, record: CreditMemoRecord): void {
	const recorded = referencesIn(record.Description);
	if (!input.writeReference || !recorded.length || recorded.includes(input.reference)) return;
	throw new ProviderError({
		provider: 'salesforce',
		message: `These change orders were already credited under Refund Reference "${recorded[0]}" (credit memo ${record.Id}), not "${input.reference}"`,
		code: 'REFERENCE_REUSED',
		hint: 'Nothing was created. A change order is credited once: if this is the same refund, use its original reference; if not, submit a new return or cancel for it.',
	});
}

/**
 * Steps after the memo exists fail with its ID, so nobody goes looking for a memo that was not created; the
 * outcome is "unknown" (not "failed"), so nothing treats the refund as not made.
 */
async function afterMemo<T>(memo: { creditMemoId: string; replayed: boolean }, what: string, run: () => Promise<T>, hint?: string): Promise<T> {
	try {
		return await run();
	} catch (error) {
		throw memoStepFailed(memo, what, error, hint);
	}
}

function memoStepFailed(memo: { creditMemoId: string; replayed: boolean }, what: string, error: unknown, hint?: string): unknown {
	if (!(error instanceof ProviderError)) return error;
	return new ProviderError({
		provider: 'salesforce',
		message: `Credit memo ${memo.creditMemoId} ${memo.replayed ? 'already existed' : 'was created'}, but ${what} failed. ${error.message}`,
		code: error.code,
		httpStatus: error.httpStatus,
		description: error.description,
		hint: hint ?? `${error.hint ? `${error.hint} ` : ''}Running the node again finds this memo (a change order is credited once) and completes this step.`,
		retryable: error.retryable,
		outcome: 'unknown',
		details: error.details,
	});
}

/** The memo's record: every field, or only those named (`?fields=`). */
async function readCreditMemo(session: Session, creditMemoId: string, fields?: string[]): Promise<CreditMemoRecord> {
	const request = { method: 'GET' as const, url: creditMemoUrl(await session.baseUrl(), creditMemoId), headers: {}, ...(fields ? { qs: { fields: fields.join(',') } } : {}) };
	const response = await session.send(request, { safety: 'read', classify });
	return (response.body ?? {}) as CreditMemoRecord;
}

/** Adds the reference as a line of the Description (keeping what is there); setting a value is safe to repeat. */
async function writeReference(session: Session, input: SalesforceCreateInput, record: CreditMemoRecord): Promise<CreditMemoRecord> {
	if (!input.writeReference || referencesIn(record.Description).includes(input.reference)) return record;
	const description = appendLine(record.Description, referenceLine(input.reference));
	await session.send(toDescriptionRequest(await session.baseUrl(), String(record.Id), description), { safety: 'idempotent', classify });
	return { ...record, Description: description };
}

/** Starts the refund; a lost answer is reported, never sent again blindly (a second refund could move money twice). */
async function ensureRefunds(session: Session, orderSummaryId: string, creditMemoId: string): Promise<IDataObject> {
	const response = await session.send(toEnsureRefundsRequest(await session.baseUrl(), orderSummaryId, creditMemoId), { safety: 'write', classify });
	const output = (response.body ?? {}) as EnsureRefundsAsyncOutput;
	if (output.success !== true) throw toError(response);
	return { started: true, backgroundOperationId: output.backgroundOperationId ?? null };
}

/** The REST base: the token's instance URL when n8n has one, else the My Domain URL; then the API version. */
export function apiBaseUrl(credentials: IDataObject): string {
	const token = (credentials.oauthTokenData ?? {}) as IDataObject;
	const host = trimSlashes(String(token.instance_url || credentials.myDomainUrl || ''));
	if (!/^https?:\/\/[^\s/]+/.test(host)) {
		throw new InputError(
			'Salesforce credential',
			host ? `The Salesforce address "${host}" in the credential is not a URL` : 'The Salesforce credential has no instance address yet',
			'Connect the credential (authorization code), or set its My Domain URL, starting with https:// (client credentials).',
		);
	}
	const version = String(credentials.apiVersion || DEFAULT_API_VERSION).trim().replace(/^v/i, '');
	if (!/^\d{2,3}\.0$/.test(version)) {
		throw new InputError('API Version', `API Version "${version}" in the Salesforce credential is not a version such as ${DEFAULT_API_VERSION}`);
	}
	return `${host}/services/data/v${version}`;
}

export const salesforce: CreditMemoProvider = {
	key: 'salesforce',
	displayName: 'Salesforce Order Management',
	credentialType: CREDENTIAL_TYPE,
	authHeaders: ['Authorization'],
	// Salesforce limits concurrent long-running requests per org (25); short API calls are not limited.
	maxConcurrency: 10,
	toError,
	openSession: (context) => openRestSession(context, { provider: 'salesforce', credentialType: CREDENTIAL_TYPE, toError, baseUrl: apiBaseUrl }),
	create: create as CreateOperation<unknown>,
	comment: comment as CommentOperation<unknown>,
	get: get as GetOperation<unknown>,
	list: list as ListOperation<unknown>,
	unsupported: {
		cancel: 'Salesforce Order Management has no way to cancel or void a credit memo through its API: once created, it stays posted. Correct a mistaken credit in Salesforce itself.',
	},
};
