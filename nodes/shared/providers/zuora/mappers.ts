import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { optionalDate, optionalDateTime } from '../../dates';
import { InputError } from '../../errors';
import type { Decimal } from '../../money';
import { AMOUNT, QUANTITY, ZERO, add, parseDecimal, toNumber } from '../../money';
import { REFUND_MARKER, fingerprint, readRefundReference, refundMarker } from '../../reference';
import type { CreditMemoResult, ParamReader } from '../../types';
import { optionalBoolean, optionalText, parseObjectList, readItemLines, requireText } from '../../validate';
import { CHARGE_KEYS, COMMENT_SEPARATOR, INVOICE_ITEM_KEYS, TAX_ITEM_KEYS } from './fields';
import type {
	ZuoraCharge,
	ZuoraCreditMemo,
	ZuoraInvoiceItem,
	ZuoraInvoiceMemoBody,
	ZuoraMemoBody,
	ZuoraStandaloneMemoBody,
	ZuoraTaxItem,
	ZuoraTaxMode,
	ZuoraTaxRateType,
} from './types';

/** Zuora's memo comment (CreditMemoFromInvoiceRequest.comment, PUTCreditMemoType.comment): 0..255 characters. */
export const COMMENT_MAX_LENGTH = 255;
/** Short enough that the marker always leaves room in the 255-character comment. */
const REFERENCE_MAX_LENGTH = 100;
/** Zuora IDs are 32 characters and numbers shorter; this only stops pasted text from reaching the URL or body. */
const ID_RULES = { maxLength: 64 };
const CURRENCY_RULES = { pattern: /^[A-Za-z]{3}$/, patternHint: 'use a three-letter ISO 4217 code such as USD' };
/** CreditMemoFromChargeRequest.number: at most 32 characters, a-z A-Z 0-9 - _. */
const NUMBER_RULES = { maxLength: 32, pattern: /^[A-Za-z0-9_-]+$/, patternHint: 'letters, digits, - and _ only' };
const TAX_RATE = { sign: 'nonNegative', maxDecimals: 6 } as const;
/** CreditMemoFromInvoiceRequest.items / CreditMemoFromChargeRequest.charges: maxItems 1000. */
const MAX_LINES = 1000;
const TAX_MODES: readonly ZuoraTaxMode[] = ['TaxExclusive', 'TaxInclusive'];
const TAX_RATE_TYPES: readonly ZuoraTaxRateType[] = ['Percentage', 'FlatFee'];

export type ZuoraSourceType = 'invoice' | 'standalone';

export interface ZuoraCreateInput {
	reference: string;
	sourceType: ZuoraSourceType;
	/** The create endpoint, relative to the base URL. */
	path: string;
	/** With the newest field names; the comment ends with the refund marker. */
	body: ZuoraMemoBody;
	/** The memo total when Zuora cannot add tax of its own (see totals below), else null. */
	total: Decimal | null;
	currency: string | null;
	/** First 8 hex digits of the SHA-256 of path + body (comment aside): what the memo's marker carries. */
	fingerprint: string;
}

export function readCreateInput(params: ParamReader): ZuoraCreateInput {
	const reference = readRefundReference(params, { required: true, providerName: 'Zuora', maxLength: REFERENCE_MAX_LENGTH })!;
	const sourceType = params.get<string>('sourceType', 'invoice');
	const extra = params.get<IDataObject>('zuoraAdditionalFields', {});
	const memo = {
		...optionalEntry('reasonCode', optionalText(extra.reasonCode, 'Reason Code')),
		...optionalEntry('effectiveDate', optionalDate(extra.effectiveDate, 'Effective Date')),
		autoPost: optionalBoolean(extra.autoPost, 'Auto Post') ?? false,
	};
	let source: { path: string; body: ZuoraMemoBody; total: Decimal | null; currency: string | null };
	if (sourceType === 'invoice') source = readInvoiceSource(params, extra, memo);
	else if (sourceType === 'standalone') source = readStandaloneSource(params, extra, memo);
	else throw new InputError('Source', `Source must be invoice or standalone, got ${JSON.stringify(sourceType)}`);

	// The comment is a note, not part of the refund: changing it alone does not make it another refund.
	const memoFingerprint = fingerprint({ path: source.path, body: source.body }).slice(0, 8);
	const comment = memoComment(optionalText(extra.comment, 'Comment'), refundMarker(reference, memoFingerprint));
	return { reference, sourceType, ...source, body: { ...source.body, comment }, fingerprint: memoFingerprint };
}

function memoComment(comment: string | undefined, marker: string): string {
	const text = withMarker(comment ?? '', marker);
	const length = [...text].length;
	if (length > COMMENT_MAX_LENGTH) {
		throw new InputError(
			'Comment',
			`Comment is too long for Zuora: with the refund marker ${marker} it has ${length} characters, Zuora keeps ${COMMENT_MAX_LENGTH}`,
			`Shorten the comment to ${COMMENT_MAX_LENGTH - [...marker].length - 1} characters; the marker is what ties the memo to its Refund Reference.`,
		);
	}
	return text;
}

function withMarker(note: string, marker: string | undefined): string {
	return [note, marker].filter((part) => part).join(' ');
}

/** The Refund Reference named by the marker at the end of a memo comment, if it carries one. */
export function markerReference(comment: unknown): string | undefined {
	const { marker } = splitMarker(typeof comment === 'string' ? comment : '');
	return marker && REFUND_MARKER.exec(marker)?.[1];
}

/** A memo comment as the note people wrote, and the refund marker the node keeps at its end (if any). */
export function splitMarker(comment: string): { note: string; marker?: string } {
	const at = comment.lastIndexOf('[ref:');
	if (at >= 0 && REFUND_MARKER.test(comment.slice(at))) return { note: comment.slice(0, at).trimEnd(), marker: comment.slice(at) };
	return { note: comment.trimEnd() };
}

export type ZuoraCommentMode = 'append' | 'replace';

export interface ZuoraCommentInput {
	/** The memo's ID or number: Zuora's creditMemoKey. */
	creditMemoKey: string;
	text: string;
	mode: ZuoraCommentMode;
}

export function readCommentInput(params: ParamReader): ZuoraCommentInput {
	const mode = params.get<string>('commentMode', 'append');
	if (mode !== 'append' && mode !== 'replace') throw new InputError('Mode', `Mode must be append or replace, got ${JSON.stringify(mode)}`);
	return {
		creditMemoKey: readCreditMemoKey(params),
		text: requireText(params.get('comment'), 'Comment', { maxLength: COMMENT_MAX_LENGTH }),
		mode,
	};
}

/** Zuora's creditMemoKey: the memo's ID or its number, as Get, Cancel and Add Memo Comment take it. */
export function readCreditMemoKey(params: ParamReader): string {
	return requireText(params.get('creditMemoId'), 'Credit Memo ID', ID_RULES);
}

/**
 * The comment after this change. Append keeps the refund marker last and does not repeat text the comment
 * already ends with (a re-run adds nothing); a result longer than Zuora keeps is refused, never cut.
 */
export function nextComment(existing: string | null | undefined, input: ZuoraCommentInput): string {
	const { note, marker } = splitMarker(existing ?? '');
	const text = input.mode === 'replace' || note === '' ? input.text : note.endsWith(input.text) ? note : `${note}${COMMENT_SEPARATOR}${input.text}`;
	const comment = withMarker(text, marker);
	const length = [...comment].length;
	if (length > COMMENT_MAX_LENGTH) {
		throw new InputError(
			'Comment',
			`The memo comment would have ${length} characters after this ${input.mode === 'append' ? 'append' : 'replacement'}, Zuora keeps ${COMMENT_MAX_LENGTH}; nothing was changed`,
			input.mode === 'append' ? 'Shorten the text, or use Replace to write a new comment.' : 'Shorten the text; the refund marker at the end is kept.',
		);
	}
	return comment;
}

type MemoFields = Pick<ZuoraInvoiceMemoBody, 'reasonCode' | 'effectiveDate' | 'autoPost'>;

function readInvoiceSource(params: ParamReader, extra: IDataObject, memo: MemoFields) {
	const invoiceId = requireText(params.get('invoiceId'), 'Invoice ID', ID_RULES);
	const rawItems = readItemLines(params, { collection: 'zuoraInvoiceItems', jsonKeys: INVOICE_ITEM_KEYS, fromFields: fromInvoiceItemFields });
	const lines = checkLineCount(rawItems, 'Invoice Items').map((raw, index) => toInvoiceItem(raw, `Invoice Items[${index + 1}]`));
	const taxAutoCalculation = optionalBoolean(extra.taxAutoCalculation, 'Tax Auto Calculation');
	const body: ZuoraInvoiceMemoBody = {
		invoiceId,
		items: lines.map((line) => line.item),
		...memo,
		...optionalEntry('taxAutoCalculation', taxAutoCalculation),
	};
	return {
		path: `/v1/credit-memos/invoice/${encodeURIComponent(invoiceId)}`,
		body,
		// Zuora calculates tax itself unless told not to, so only then is the total known before sending.
		total: taxAutoCalculation === false ? add(...lines.map((line) => line.total)) : null,
		// The memo takes the invoice's currency, which only Zuora knows here.
		currency: null,
	};
}

function readStandaloneSource(params: ParamReader, extra: IDataObject, memo: MemoFields) {
	const accountId = optionalText(params.get('accountId'), 'Account ID', ID_RULES);
	const accountNumber = optionalText(params.get('accountNumber'), 'Account Number', ID_RULES);
	if (accountId === undefined && accountNumber === undefined) {
		throw new InputError('Account ID', 'Give the Account ID or the Account Number of the customer to credit');
	}
	if (accountId !== undefined && accountNumber !== undefined) {
		throw new InputError('Account Number', 'Give either the Account ID or the Account Number, not both', 'One identifies the account; Zuora refuses the memo when the two name different accounts.');
	}
	const rawCharges = readItemLines(params, { collection: 'zuoraCharges', entry: 'charge', jsonKeys: CHARGE_KEYS });
	const charges = checkLineCount(rawCharges, 'Charges').map((raw, index) => toCharge(raw, `Charges[${index + 1}]`));
	const currency = optionalText(extra.currency, 'Currency', CURRENCY_RULES)?.toUpperCase();
	const body: ZuoraStandaloneMemoBody = {
		...optionalEntry('accountId', accountId),
		...optionalEntry('accountNumber', accountNumber),
		charges,
		...optionalEntry('currency', currency),
		...optionalEntry('number', optionalText(extra.number, 'Credit Memo Number', NUMBER_RULES)),
		...memo,
	};
	// Zuora may add tax on charges (Zuora Tax, Avalara), so the total is only known after creation.
	return { path: '/v1/credit-memos', body, total: null, currency: currency ?? null };
}


function checkLineCount(lines: IDataObject[], label: string): IDataObject[] {
	if (!lines.length) throw new InputError(label, `Give at least one line in ${label}: Zuora credits only what is listed`);
	if (lines.length > MAX_LINES) throw new InputError(label, `${label} has ${lines.length} lines; Zuora takes at most ${MAX_LINES} in one memo`);
	return lines;
}

/** The form's one tax line per item becomes Zuora's taxItems list. */
function fromInvoiceItemFields(fields: IDataObject): IDataObject {
	const { taxAmount, sourceTaxItemId, ...item } = fields;
	const hasTax = [taxAmount, sourceTaxItemId].some((value) => value !== undefined && value !== '');
	return hasTax ? { ...item, taxItems: [{ amount: taxAmount, sourceTaxItemId }] } : item;
}

function toInvoiceItem(raw: IDataObject, label: string): { item: ZuoraInvoiceItem; total: Decimal } {
	const amount = parseDecimal(raw.amount, `${label} Amount`, AMOUNT);
	const item: ZuoraInvoiceItem = {
		invoiceItemId: requireText(raw.invoiceItemId, `${label} Invoice Item ID`, ID_RULES),
		amount: toNumber(amount),
		skuName: requireText(raw.skuName, `${label} SKU Name`),
		...lineDetails(raw, label),
	};
	const taxMode = optionalChoice(raw.taxMode, `${label} Tax Mode`, TAX_MODES);
	if (taxMode) item.taxMode = taxMode;
	const unitOfMeasure = optionalText(raw.unitOfMeasure, `${label} Unit of Measure`);
	if (unitOfMeasure) item.unitOfMeasure = unitOfMeasure;
	let tax = ZERO;
	if (raw.taxItems !== undefined && raw.taxItems !== null) {
		const taxItems = parseObjectList(raw.taxItems, `${label} Tax Items`, TAX_ITEM_KEYS).map((entry, index) => toTaxItem(entry, `${label} Tax Items[${index + 1}]`));
		if (taxItems.length) item.taxItems = taxItems.map((entry) => entry.taxItem);
		tax = add(...taxItems.map((entry) => entry.amount));
	}
	// A tax-inclusive amount already contains its tax.
	return { item, total: taxMode === 'TaxInclusive' ? amount : add(amount, tax) };
}

function toCharge(raw: IDataObject, label: string): ZuoraCharge {
	return {
		productRatePlanChargeId: requireText(raw.productRatePlanChargeId, `${label} Product Rate Plan Charge ID`, ID_RULES),
		amount: toNumber(parseDecimal(raw.amount, `${label} Amount`, AMOUNT)),
		...lineDetails(raw, label),
	};
}

/** Optional fields invoice items and charges share. */
function lineDetails(raw: IDataObject, label: string): Pick<ZuoraCharge, 'quantity' | 'description' | 'serviceStartDate' | 'serviceEndDate'> {
	const quantity = raw.quantity === undefined || raw.quantity === null || raw.quantity === '' ? undefined : parseDecimal(raw.quantity, `${label} Quantity`, QUANTITY);
	return {
		...optionalEntry('quantity', quantity === undefined ? undefined : toNumber(quantity)),
		...optionalEntry('description', optionalText(raw.description, `${label} Description`)),
		...optionalEntry('serviceStartDate', optionalDate(raw.serviceStartDate, `${label} Service Start Date`)),
		...optionalEntry('serviceEndDate', optionalDate(raw.serviceEndDate, `${label} Service End Date`)),
	};
}

function toTaxItem(raw: IDataObject, label: string): { taxItem: ZuoraTaxItem; amount: Decimal } {
	const amount = parseDecimal(raw.amount, `${label} Amount`, AMOUNT);
	const taxItem: ZuoraTaxItem = { amount: toNumber(amount) };
	for (const key of ['sourceTaxItemId', 'jurisdiction', 'locationCode', 'taxCode', 'taxCodeDescription', 'taxName', 'taxRateDescription'] as const) {
		const value = optionalText(raw[key], `${label} ${key}`);
		if (value !== undefined) taxItem[key] = value;
	}
	const taxDate = optionalDate(raw.taxDate, `${label} taxDate`);
	if (taxDate) taxItem.taxDate = taxDate;
	if (raw.taxExemptAmount !== undefined && raw.taxExemptAmount !== null && raw.taxExemptAmount !== '') {
		taxItem.taxExemptAmount = toNumber(parseDecimal(raw.taxExemptAmount, `${label} taxExemptAmount`, AMOUNT));
	}
	if (raw.taxRate !== undefined && raw.taxRate !== null && raw.taxRate !== '') {
		taxItem.taxRate = toNumber(parseDecimal(raw.taxRate, `${label} taxRate`, TAX_RATE));
	}
	const taxRateType = optionalChoice(raw.taxRateType, `${label} taxRateType`, TAX_RATE_TYPES);
	if (taxRateType) taxItem.taxRateType = taxRateType;
	return { taxItem, amount };
}

function optionalChoice<T extends string>(value: unknown, field: string, choices: readonly T[]): T | undefined {
	const text = optionalText(value, field);
	if (text === undefined) return undefined;
	if (!(choices as readonly string[]).includes(text)) throw new InputError(field, `${field} must be one of ${choices.join(', ')}, got "${text}"`);
	return text as T;
}

/** `{ key: value }` when there is a value, `{}` otherwise: keeps absent fields out of the body. */
function optionalEntry<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
	return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * The normalised memo. Zuora writes date-times in the tenant's time zone without naming it: with the credential's
 * Tenant Time Zone, createdAt is the exact time in ISO 8601 (UTC); without it, Zuora's text as sent.
 */
export function fromCreditMemo(raw: ZuoraCreditMemo, timeZone?: string): CreditMemoResult {
	const created = timeZone === undefined ? undefined : tenantDateTime(raw.createdDate, timeZone);
	return {
		provider: 'zuora',
		creditMemoId: raw.id ?? null,
		number: raw.number ?? null,
		status: raw.status ?? null,
		totalAmount: typeof raw.amount === 'number' ? raw.amount : null,
		currency: raw.currency ?? null,
		createdAt: created?.toUTC().toISO() ?? raw.createdDate ?? null,
		raw: raw as unknown as IDataObject,
	};
}

/** Get and List: the memo with the Refund Reference its comment's marker names (null when it has none). */
export function describeMemo(raw: ZuoraCreditMemo, timeZone?: string): CreditMemoResult {
	return { ...fromCreditMemo(raw, timeZone), refundReference: markerReference(raw.comment) ?? null };
}

/**
 * A Zuora date-time as an exact time: "2017-05-05 01:39:30" (the v1 responses) or ISO 8601 without an offset are
 * read in the tenant's zone; a value that carries an offset keeps it. In the hour a zone's clocks go back, a
 * local time names two moments and Zuora's text cannot tell them apart: one of them is taken (luxon's choice),
 * so only a window bound inside that hour can place such a memo on the wrong side.
 */
export function tenantDateTime(value: unknown, timeZone: string): DateTime | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	const parsed = DateTime.fromSQL(text, { zone: timeZone });
	const date = parsed.isValid ? parsed : DateTime.fromISO(text, { zone: timeZone });
	return date.isValid ? date : undefined;
}

/** GET_CreditMemos `status` (GETCreditMemoType.status), by the camelCase option values the node offers. */
export const ZUORA_MEMO_STATUSES = {
	draft: 'Draft',
	posted: 'Posted',
	canceled: 'Canceled',
	error: 'Error',
	pendingForTax: 'PendingForTax',
	generating: 'Generating',
	cancelInProgress: 'CancelInProgress',
} as const;

/** The List filters that are GET_CreditMemos query parameters (exact values), by field label. */
const LIST_TEXT_FILTERS = [
	{ key: 'accountId', label: 'Account ID' },
	{ key: 'accountNumber', label: 'Account Number' },
	{ key: 'referredInvoiceId', label: 'Invoice ID' },
] as const;

export interface ZuoraListInput {
	/** GET_CreditMemos filters, exactly as they go in the query (Zuora matches exact values only). */
	filters: Record<string, string>;
	/** Created at or after (included). */
	createdAfter?: DateTime;
	/** Created before (excluded), so back-to-back windows never list a memo twice. */
	createdBefore?: DateTime;
}

export function readListInput(params: ParamReader): ZuoraListInput {
	const raw = params.get<IDataObject>('zuoraListFilters', {}) ?? {};
	const filters: Record<string, string> = {};
	for (const { key, label } of LIST_TEXT_FILTERS) {
		const value = optionalText(raw[key], label, ID_RULES);
		if (value !== undefined) filters[key] = value;
	}
	const status = optionalChoice(raw.status, 'Status', Object.keys(ZUORA_MEMO_STATUSES) as Array<keyof typeof ZUORA_MEMO_STATUSES>);
	if (status) filters.status = ZUORA_MEMO_STATUSES[status];
	const currency = optionalText(raw.currency, 'Currency', CURRENCY_RULES);
	if (currency) filters.currency = currency.toUpperCase();
	const creditMemoDate = optionalDate(raw.creditMemoDate, 'Credit Memo Date');
	if (creditMemoDate) filters.creditMemoDate = creditMemoDate;
	const createdAfter = optionalDateTime(raw.createdAfter, 'Created After');
	const createdBefore = optionalDateTime(raw.createdBefore, 'Created Before');
	if (createdAfter && createdBefore && createdAfter > createdBefore) throw new InputError('Created After', 'Created After is later than Created Before');
	return { filters, ...optionalEntry('createdAfter', createdAfter), ...optionalEntry('createdBefore', createdBefore) };
}

/**
 * Newest first (no operator is descending in Zuora's `sort`), by creation and then number, so that the order is
 * total and a created window can stop paging at its start. The reference documents "-" as ascending and "+" as
 * descending; leaving the operator out avoids both that and a "+" read as a space in a query string.
 */
export const LIST_SORT = 'createdDate,number';
/** GET_CreditMemos: "pageSize integer <= 40". */
export const MAX_PAGE_SIZE = 40;

/** One GET_CreditMemos page request's query. */
export function listQuery(filters: Record<string, string>, page: number, pageSize: number): Record<string, string | number> {
	return { ...filters, sort: LIST_SORT, page, pageSize };
}

/** Whether a memo created at this time is in the window: after included, before excluded. */
export function inCreatedWindow(created: DateTime, input: Pick<ZuoraListInput, 'createdAfter' | 'createdBefore'>): boolean {
	return (!input.createdAfter || created >= input.createdAfter) && (!input.createdBefore || created < input.createdBefore);
}
