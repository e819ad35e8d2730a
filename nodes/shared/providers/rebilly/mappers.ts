import type { IDataObject } from 'n8n-workflow';

import { optionalDateTime } from '../../dates';
import { InputError } from '../../errors';
import { fingerprint, readRefundReference } from '../../reference';
import type { Decimal } from '../../money';
import { AMOUNT, WHOLE_QUANTITY, add, multiply, parseDecimal, toNumber, ZERO } from '../../money';
import type { CreditMemoResult, ParamReader } from '../../types';
import { optionalText, readItemLines, requireText } from '../../validate';
import { ITEM_KEYS, REBILLY_REASONS, REBILLY_STATUSES } from './fields';
import type { RebillyCreditMemo, RebillyCreditMemoBody, RebillyItem, RebillyTax } from './types';

/** Rebilly IDs: at most 50 characters (CustomerId.yaml, resourceId.yaml). */
const ID_RULES = { maxLength: 50 };
const CURRENCY_RULES = { pattern: /^[A-Za-z]{3}$/, patternHint: 'use a three-letter ISO 4217 code such as USD' };
const TAX_KEYS = [
	'amount',
	'description',
	'rate',
	'stateAmount',
	'countyAmount',
	'cityAmount',
	'specialDistrictAmount',
	'stateRate',
	'countyRate',
	'cityRate',
	'specialDistrictRate',
	'jurisdictions',
] as const;
const TAX_RATE = { sign: 'nonNegative', maxDecimals: 6 } as const;

export interface RebillyCreateInput {
	reference: string;
	/** The memo ID derived from the reference: Rebilly's upsert by ID is what makes the create idempotent. */
	creditMemoId: string;
	body: RebillyCreditMemoBody;
	/** Items + item taxes + shipping: Rebilly's `totalAmount` for this memo. */
	total: Decimal;
}

/** Rebilly resource IDs: `^[@~\-\.\w]+$`, at most 50 characters (components/parameters/resourceId.yaml). */
const RESOURCE_ID = /^[@~\-.\w]+$/;

/**
 * A readable ID when the reference is already a valid one ("cm-RET-1001"), a hash otherwise; either way the
 * same reference always gives the same ID, and no other reference gives it.
 */
export function creditMemoIdFor(reference: string): string {
	const readable = `cm-${reference}`;
	if (RESOURCE_ID.test(reference) && readable.length <= 50 && !reference.startsWith('h-')) return readable;
	return `cm-h-${fingerprint(reference).slice(0, 40)}`;
}

export function readCreateInput(params: ParamReader): RebillyCreateInput {
	const reference = readRefundReference(params, { required: true, providerName: 'Rebilly' })!;
	const customerId = requireText(params.get('customerId'), 'Customer ID', ID_RULES);
	const currency = requireText(params.get('currency'), 'Currency', CURRENCY_RULES).toUpperCase();
	const rawItems = readItemLines(params, { collection: 'rebillyItems', jsonKeys: ITEM_KEYS, fromFields: fromItemFields });
	const items = rawItems.map((item, index) => toItem(item, `Items[${index + 1}]`));

	const extra = params.get<IDataObject>('rebillyAdditionalFields', {});
	const reason = optionalText(extra.reason, 'Reason');
	if (reason !== undefined && !(REBILLY_REASONS as readonly string[]).includes(reason)) {
		throw new InputError('Reason', `Reason "${reason}" is not one of Rebilly's reasons`, `Use one of: ${REBILLY_REASONS.join(', ')}.`);
	}
	const shipping = extra.shippingAmount === undefined ? undefined : parseDecimal(extra.shippingAmount, 'Shipping Amount', AMOUNT);

	const body: RebillyCreditMemoBody = { customerId, currency };
	if (items.length) body.items = items.map((entry) => entry.item);
	const invoiceId = optionalText(extra.invoiceId, 'Invoice ID', ID_RULES);
	if (invoiceId) body.invoiceId = invoiceId;
	if (reason) body.reason = reason;
	const description = optionalText(extra.description, 'Description');
	if (description) body.description = description;
	if (shipping !== undefined) body.shippingAmount = toNumber(shipping);

	return { reference, creditMemoId: creditMemoIdFor(reference), body, total: add(...items.map((entry) => entry.total), shipping ?? ZERO) };
}

/** The form's flat tax fields become Rebilly's tax object. */
function fromItemFields(fields: IDataObject): IDataObject {
	const { taxAmount, taxDescription, taxRate, ...item } = fields;
	const hasTax = [taxAmount, taxDescription, taxRate].some((value) => value !== undefined && value !== '');
	return hasTax ? { ...item, tax: { amount: taxAmount, description: taxDescription, rate: taxRate } } : item;
}

function toItem(raw: IDataObject, label: string): { item: RebillyItem; total: Decimal } {
	const quantity = parseDecimal(raw.quantity, `${label} Quantity`, WHOLE_QUANTITY);
	const unitPrice = parseDecimal(raw.unitPrice, `${label} Unit Price`, AMOUNT);
	const item: RebillyItem = { quantity: toNumber(quantity), unitPrice: toNumber(unitPrice) };
	for (const key of ['description', 'invoiceItemId', 'productId', 'planId'] as const) {
		const value = optionalText(raw[key], `${label} ${key}`, key === 'description' ? {} : ID_RULES);
		if (value) item[key] = value;
	}
	let total = multiply(quantity, unitPrice);
	if (raw.tax !== undefined && raw.tax !== null) {
		const tax = toTax(raw.tax, `${label} Tax`);
		item.tax = tax.tax;
		total = add(total, tax.amount);
	}
	return { item, total };
}

function toTax(raw: unknown, label: string): { tax: RebillyTax; amount: Decimal } {
	if (typeof raw !== 'object' || Array.isArray(raw) || raw === null) {
		throw new InputError(label, `${label} must be an object with amount and description`);
	}
	const source = raw as IDataObject;
	const unknown = Object.keys(source).filter((key) => !(TAX_KEYS as readonly string[]).includes(key));
	if (unknown.length) throw new InputError(label, `${label} has unknown field(s) ${unknown.join(', ')}`, `Allowed: ${TAX_KEYS.join(', ')}.`);
	const amount = parseDecimal(source.amount, `${label} Amount`, AMOUNT);
	const tax: RebillyTax = {
		amount: toNumber(amount),
		description: requireText(source.description, `${label} Description`),
	};
	for (const key of TAX_KEYS) {
		if (key === 'amount' || key === 'description' || key === 'jurisdictions') continue;
		const value = source[key];
		if (value === undefined || value === null || value === '') continue;
		tax[key] = toNumber(parseDecimal(value, `${label} ${key}`, key.endsWith('Rate') || key === 'rate' ? TAX_RATE : AMOUNT));
	}
	if (source.jurisdictions !== undefined && source.jurisdictions !== null) {
		tax.jurisdictions = toJurisdictions(source.jurisdictions, `${label} jurisdictions`);
	}
	return { tax, amount };
}

function toJurisdictions(raw: unknown, label: string): Record<string, string | null> {
	if (typeof raw !== 'object' || Array.isArray(raw) || raw === null) throw new InputError(label, `${label} must be an object`);
	const result: Record<string, string | null> = {};
	for (const [key, value] of Object.entries(raw)) {
		if (!['country', 'state', 'county', 'city'].includes(key)) throw new InputError(label, `${label} has unknown field ${key}`);
		result[key] = value === null ? null : requireText(value, `${label} ${key}`);
	}
	return result;
}

export function fromCreditMemo(raw: RebillyCreditMemo): CreditMemoResult {
	return {
		provider: 'rebilly',
		creditMemoId: raw.id ?? null,
		number: raw.number === undefined || raw.number === null ? null : String(raw.number),
		status: raw.status ?? null,
		totalAmount: typeof raw.totalAmount === 'number' ? raw.totalAmount : null,
		currency: raw.currency ?? null,
		createdAt: raw.createdTime ?? null,
		raw: raw as unknown as IDataObject,
	};
}

export interface RebillyCommentInput {
	creditMemoId: string;
	message: string;
}

export function readCommentInput(params: ParamReader): RebillyCommentInput {
	return { creditMemoId: readMemoId(params), message: requireText(params.get('comment'), 'Comment') };
}

const MEMO_ID_RULES = { ...ID_RULES, pattern: RESOURCE_ID, patternHint: 'letters, digits and @ ~ - . _ only' };

export function readMemoId(params: ParamReader): string {
	return requireText(params.get('creditMemoId'), 'Credit Memo ID', MEMO_ID_RULES);
}

/** Rebilly's collection filter: `field:value;field:value`, ranges as `from..to`. */
export function readListFilter(params: ParamReader): string | undefined {
	const filters = params.get<IDataObject>('rebillyListFilters', {});
	const parts: string[] = [];
	for (const key of ['customerId', 'invoiceId'] as const) {
		const value = optionalText(filters[key], key === 'customerId' ? 'Customer ID' : 'Invoice ID', MEMO_ID_RULES);
		if (value) parts.push(`${key}:${value}`);
	}
	const status = optionalText(filters.status, 'Status');
	if (status !== undefined) {
		if (!(REBILLY_STATUSES as readonly string[]).includes(status)) throw new InputError('Status', `Status "${status}" is not one of Rebilly's: ${REBILLY_STATUSES.join(', ')}`);
		parts.push(`status:${status}`);
	}
	const after = optionalDateTime(filters.createdAfter, 'Created After');
	const before = optionalDateTime(filters.createdBefore, 'Created Before');
	if (after && before && after > before) throw new InputError('Created After', 'Created After is later than Created Before');
	// Rebilly's range includes both ends and its times are whole seconds; "before" excludes its moment, so that
	// back-to-back daily runs never list a memo twice.
	const lastIncluded = before?.minus({ seconds: 1 });
	if (after || before) parts.push(`createdTime:${after?.toISO({ suppressMilliseconds: true }) ?? ''}..${lastIncluded?.toISO({ suppressMilliseconds: true }) ?? ''}`);
	return parts.length ? parts.join(';') : undefined;
}
