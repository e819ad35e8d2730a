import type { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { optionalDateTime } from '../../dates';
import { InputError } from '../../errors';
import { REFUND_REFERENCE, readRefundReference } from '../../reference';
import type { CreditMemoResult, ParamReader, PreparedRequest } from '../../types';
import { optionalBoolean, optionalText, parseJson, requireText } from '../../validate';
import { KEY_PREFIX, parseRecordId } from './ids';
import type { SoqlCondition } from './soql';
import { select } from './soql';
import type { CreditMemoRecord, SObjectDescribe } from './types';

export const CHANGE_ORDER_IDS = 'Change Order IDs';
/** More change orders than any one refund has; keeps the request and the lookup queries small. */
const MAX_CHANGE_ORDERS = 100;
/** How the Refund Reference is written into the memo's Description: one line, readable by a person. */
const REFERENCE_LABEL = 'Refund Reference: ';
/** Lines of the Description: Append (Add Memo Comment) adds a line; the reference is one line of its own. */
export const DESCRIPTION_SEPARATOR = '\n';

export interface SalesforceCreateInput {
	orderSummaryId: string;
	/** Canonical 18-character IDs, in the order given. */
	changeOrderIds: string[];
	/** The reference given, or one derived from the change orders (the natural key of this refund). */
	reference: string;
	/** Only a reference the user gave is written into the memo; a derived one adds nothing to it. */
	writeReference: boolean;
	ensureRefunds: boolean;
}

export function readCreateInput(params: ParamReader): SalesforceCreateInput {
	const orderSummaryId = parseRecordId(params.get('orderSummaryId'), 'Order Summary ID', KEY_PREFIX.orderSummary);
	const changeOrderIds = readChangeOrderIds(params.get('changeOrderIds'));
	const given = readRefundReference(params, { required: false, providerName: 'Salesforce Order Management' });
	if (given !== undefined && /[\r\n]/.test(given)) {
		throw new InputError(REFUND_REFERENCE, `${REFUND_REFERENCE} must be one line: it is written as a line of the memo's Description`);
	}
	return {
		orderSummaryId,
		changeOrderIds,
		reference: given ?? defaultReference(changeOrderIds),
		writeReference: given !== undefined,
		ensureRefunds: optionalBoolean(params.get<IDataObject>('options', {}).ensureRefunds, 'Ensure Refunds') ?? false,
	};
}

/**
 * One ID, several separated by commas, semicolons or white space, a JSON list, or a list from an expression. Each must be
 * an Order (change order) ID; a repeated change order is refused as the typo it almost certainly is.
 */
export function readChangeOrderIds(value: unknown): string[] {
	const list = typeof value === 'string' && value.trim().startsWith('[') ? parseJson(value, CHANGE_ORDER_IDS) : value;
	const entries = Array.isArray(list) ? list : typeof list === 'string' ? list.split(/[\s,;]+/) : [list];
	const texts = entries.filter((entry) => !(entry === undefined || entry === null || (typeof entry === 'string' && entry.trim() === '')));
	if (!texts.length) throw new InputError(CHANGE_ORDER_IDS, `${CHANGE_ORDER_IDS} is required`, 'Map the change order IDs from Submit Return or Submit Cancel, e.g. {{ $json.changeOrderId }}.');
	if (texts.length > MAX_CHANGE_ORDERS) throw new InputError(CHANGE_ORDER_IDS, `${CHANGE_ORDER_IDS} lists ${texts.length} change orders; at most ${MAX_CHANGE_ORDERS} per credit memo`);
	const ids = texts.map((entry, index) => parseRecordId(entry, texts.length > 1 ? `${CHANGE_ORDER_IDS}[${index + 1}]` : CHANGE_ORDER_IDS, KEY_PREFIX.order));
	const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
	if (repeated) throw new InputError(CHANGE_ORDER_IDS, `${CHANGE_ORDER_IDS} lists change order ${repeated} twice`);
	return ids;
}

/** The change orders, sorted: the same set of change orders is the same refund, whatever the order given. */
export function defaultReference(changeOrderIds: readonly string[]): string {
	return [...changeOrderIds].sort().join(',');
}

function actionUrl(baseUrl: string, orderSummaryId: string, action: string): string {
	return `${baseUrl}/commerce/order-management/order-summaries/${orderSummaryId}/${action}`;
}

export function toCreateRequest(baseUrl: string, input: SalesforceCreateInput): PreparedRequest {
	return {
		method: 'POST',
		url: actionUrl(baseUrl, input.orderSummaryId, 'actions/create-credit-memo'),
		headers: { 'Content-Type': 'application/json' },
		body: { changeOrderIds: input.changeOrderIds },
	};
}

export function toEnsureRefundsRequest(baseUrl: string, orderSummaryId: string, creditMemoId: string): PreparedRequest {
	return {
		method: 'POST',
		url: actionUrl(baseUrl, orderSummaryId, 'async-actions/ensure-refunds-async'),
		headers: { 'Content-Type': 'application/json' },
		body: { creditMemoId },
	};
}

export function creditMemoUrl(baseUrl: string, creditMemoId: string): string {
	return `${baseUrl}/sobjects/CreditMemo/${creditMemoId}`;
}

export function toDescriptionRequest(baseUrl: string, creditMemoId: string, description: string): PreparedRequest {
	return { method: 'PATCH', url: creditMemoUrl(baseUrl, creditMemoId), headers: { 'Content-Type': 'application/json' }, body: { Description: description } };
}

export function referenceLine(reference: string): string {
	return `${REFERENCE_LABEL}${reference}`;
}

/** The Refund References written into a Description, one per line that carries one. */
export function referencesIn(description: string | null | undefined): string[] {
	return (description ?? '')
		.split(DESCRIPTION_SEPARATOR)
		.filter((line) => line.startsWith(REFERENCE_LABEL))
		.map((line) => line.slice(REFERENCE_LABEL.length).trim());
}

/** The Description with one more line (or that line alone when it was empty). */
export function appendLine(description: string | null | undefined, line: string): string {
	return description ? `${description}${DESCRIPTION_SEPARATOR}${line}` : line;
}

export function fromCreditMemo(record: CreditMemoRecord): CreditMemoResult {
	const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
	return {
		provider: 'salesforce',
		creditMemoId: text(record.Id),
		// CreditMemoNumber is the org's optional numbering; DocumentNumber is always there.
		number: text(record.CreditMemoNumber) ?? text(record.DocumentNumber),
		status: text(record.Status),
		totalAmount: typeof record.TotalAmountWithTax === 'number' ? record.TotalAmountWithTax : null,
		currency: text(record.CurrencyIsoCode),
		createdAt: text(record.CreatedDate),
		raw: record as IDataObject,
	};
}

/** Get and Add Memo Comment: the memo, as its canonical 18-character ID. */
export function readCreditMemoId(params: ParamReader): string {
	return parseRecordId(params.get('creditMemoId'), 'Credit Memo ID', KEY_PREFIX.creditMemo);
}

export interface SalesforceListFilter {
	orderSummaryId?: string;
	/** Inclusive. */
	createdAfter?: DateTime;
	/** Exclusive, so consecutive ranges (one day after another) never list a memo twice. */
	createdBefore?: DateTime;
}

export function readListFilter(params: ParamReader): SalesforceListFilter {
	const filters = params.get<IDataObject | null>('salesforceListFilters', {}) ?? {};
	const summary = optionalText(filters.orderSummaryId, 'Order Summary ID');
	const createdAfter = optionalDateTime(filters.createdAfter, 'Created After');
	const createdBefore = optionalDateTime(filters.createdBefore, 'Created Before');
	if (createdAfter && createdBefore && createdAfter >= createdBefore) {
		throw new InputError('Created After', `Created After (${createdAfter.toISO()}) is not earlier than Created Before (${createdBefore.toISO()}), so no memo could match`);
	}
	return {
		orderSummaryId: summary === undefined ? undefined : parseRecordId(summary, 'Order Summary ID', KEY_PREFIX.orderSummary),
		createdAfter,
		createdBefore,
	};
}

/**
 * The List query: the memos' fields, the filters, oldest first (Id breaks ties, so a run lists in the same
 * order every time), and a LIMIT only when the node has one. A credit memo's ReferenceEntityId is its order
 * summary.
 */
export function toListQuery(fields: readonly string[], filter: SalesforceListFilter, limit: number | undefined): string {
	const where: SoqlCondition[] = [];
	if (filter.orderSummaryId) where.push({ field: 'ReferenceEntityId', operator: '=', value: filter.orderSummaryId });
	if (filter.createdAfter) where.push({ field: 'CreatedDate', operator: '>=', value: filter.createdAfter });
	if (filter.createdBefore) where.push({ field: 'CreatedDate', operator: '<', value: filter.createdBefore });
	return select({ fields, from: 'CreditMemo', where, orderBy: ['CreatedDate', 'Id'], limit });
}

/**
 * Every CreditMemo field this org has and the user may read (describe), so List returns the record Get
 * returns; SOQL has no `SELECT *`. Base64 fields can only be queried one record at a time.
 */
export function queryableFields(describe: SObjectDescribe): string[] {
	const names = (describe.fields ?? []).filter((field) => field.type !== 'base64').map((field) => field.name);
	const valid = names.filter((name): name is string => typeof name === 'string' && /^[A-Za-z][A-Za-z0-9_]*$/.test(name));
	return valid.includes('Id') ? valid : ['Id', ...valid];
}

export type DescriptionMode = 'append' | 'replace';

export interface SalesforceCommentInput {
	creditMemoId: string;
	comment: string;
	mode: DescriptionMode;
}

export function readCommentInput(params: ParamReader): SalesforceCommentInput {
	const mode = params.get<string>('descriptionMode', 'append');
	if (mode !== 'append' && mode !== 'replace') throw new InputError('Write Mode', `Write Mode "${String(mode)}" is not Append or Replace`);
	return {
		creditMemoId: readCreditMemoId(params),
		comment: requireText(params.get('comment'), 'Comment'),
		mode,
	};
}

/**
 * The Description after the comment: the comment alone (Replace), or the current text with the comment as a new
 * line (Append). The same comment is not appended twice in a row, so a retried run adds it once.
 */
export function describedWith(current: string | null | undefined, input: SalesforceCommentInput): string {
	if (input.mode === 'replace' || !current) return input.comment;
	if (current === input.comment || current.endsWith(`${DESCRIPTION_SEPARATOR}${input.comment}`)) return current;
	return appendLine(current, input.comment);
}

/** The Description field's length in this org (describe), or undefined when describe does not say. */
export function descriptionLength(describe: SObjectDescribe): number | undefined {
	const length = describe.fields?.find((field) => field.name === 'Description')?.length;
	return typeof length === 'number' && length > 0 ? length : undefined;
}

/** Refuses, rather than cuts, a Description longer than the field (Salesforce counts UTF-16 units, as JavaScript). */
export function assertFits(description: string, maxLength: number | undefined, input: SalesforceCommentInput): void {
	if (maxLength === undefined || description.length <= maxLength) return;
	throw new InputError(
		'Comment',
		input.mode === 'append'
			? `Appending this comment would make the credit memo's Description ${description.length} characters long; Salesforce allows ${maxLength}. Nothing was written.`
			: `The comment is ${description.length} characters long; the credit memo's Description allows ${maxLength}. Nothing was written.`,
		input.mode === 'append' ? 'Shorten the comment, or use Write Mode "Replace" to start the Description over.' : 'Shorten the comment.',
	);
}
