import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../errors';
import type { Decimal } from '../../money';
import { AMOUNT, QUANTITY, add, compare, parseDecimal, subtract, toNumber, toText, ZERO } from '../../money';
import { fingerprint, readRefundReference } from '../../reference';
import type { CommentResult, CreditMemoResult, ParamReader, PreparedRequest } from '../../types';
import { optionalBoolean, optionalText, readItemLines, requireText, truncate } from '../../validate';
import type { MagentoSource } from './fields';
import { ITEM_KEYS, MAGENTO_SOURCES } from './fields';
import type { MagentoCreditMemoBody, MagentoHistoryBody, MagentoItem, MagentoRecord, MagentoRefundType } from './types';

/** Magento 1 entity IDs are `int(10) unsigned`. */
const MAX_ENTITY_ID = 4_294_967_295;
/** Magento increment IDs: `varchar(50)`, a store prefix and digits (e.g. 100000045). */
const INCREMENT_ID_RULES = { maxLength: 50, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, patternHint: 'use letters, digits, - and _ only, as in 100000045' };
/** `catalog_product_entity.sku` is `varchar(64)`. */
const SKU_RULES = { maxLength: 64 };
/** The comment column is TEXT (64 KB); 10,000 characters fit in it whatever the script. */
export const MAX_COMMENT_CHARS = 10_000;

export interface MagentoCreateInput {
	reference?: string;
	source: MagentoSource;
	/** The identifier as sent: a number for entity IDs, text for increment IDs. */
	sourceId: number | string;
	body: MagentoCreditMemoBody;
	checkRefundableBalance: boolean;
	/** Of the body: a second item with the same reference in one run must be the same refund. */
	fingerprint: string;
}

export function readCreateInput(params: ParamReader): MagentoCreateInput {
	if (params.retryOnFail) {
		throw new InputError(
			'Retry On Fail',
			'Turn off Retry On Fail for Magento REST: after a failure n8n sends every item again, and Magento REST cannot tell which refunds it already created',
			'The node already waits and retries when Magento is busy. To keep going past a failed item, use Settings › On Error › Continue (using error output).',
		);
	}
	const reference = readRefundReference(params, { required: false, providerName: 'Magento REST' });
	const source = sourceOf(params.get('magentoRestSourceType', 'invoiceIncrementId'));
	const sourceId = readSourceId(params.get(source.value), source);
	const refundType = params.get<string>('refundType', 'offline');
	if (refundType !== 'offline' && refundType !== 'online') {
		throw new InputError('Refund Type', `Refund Type must be offline or online, got ${JSON.stringify(refundType)}`);
	}
	const scope = params.get<string>('magentoRestRefundScope', 'selectedItems');
	const items = scope === 'everythingLeft' ? undefined : readItems(params);

	const extra = params.get<IDataObject>('magentoRestAdditionalFields', {});
	const shipping = optionalAmount(extra.shippingAmount, 'Shipping Amount');
	const adjustmentPositive = optionalAmount(extra.adjustmentPositive, 'Adjustment Refund');
	const adjustmentNegative = optionalAmount(extra.adjustmentNegative, 'Adjustment Fee');
	const sendEmail = optionalBoolean(extra.sendEmail, 'Send Email');
	const comment = withReference(optionalText(extra.comment, 'Comment', { maxLength: MAX_COMMENT_CHARS }), reference);

	// Keys in the order of the vendor's examples; refund_type is always explicit, even for the default.
	const body: MagentoCreditMemoBody = { [source.key]: sourceId, refund_type: refundType as MagentoRefundType };
	if (shipping !== undefined) body.shipping_amount = toNumber(shipping);
	if (adjustmentPositive !== undefined) body.adjustment_positive = toNumber(adjustmentPositive);
	if (adjustmentNegative !== undefined) body.adjustment_negative = toNumber(adjustmentNegative);
	if (items) body.items = items;
	if (sendEmail !== undefined) body.send_email = sendEmail;
	if (comment !== undefined) body.comment = comment;

	const options = params.get<IDataObject>('options', {});
	return {
		reference,
		source,
		sourceId,
		body,
		checkRefundableBalance: options.checkRefundableBalance === true,
		fingerprint: fingerprint(body),
	};
}

/** The seed's financial policy: the source ledger reference goes into the memo comment, for reconciliation. */
export function withReference(comment: string | undefined, reference: string | undefined): string | undefined {
	if (reference === undefined) return comment;
	const marker = `[ref:${reference}]`;
	return comment === undefined ? marker : `${comment} ${marker}`;
}

function sourceOf(value: unknown, sources = MAGENTO_SOURCES, field = 'Source'): MagentoSource {
	const source = sources.find((candidate) => candidate.value === value);
	if (!source) {
		throw new InputError(field, `${field} must be one of ${sources.map((candidate) => candidate.label).join(', ')}, got ${JSON.stringify(value)}`);
	}
	return source;
}

function readSourceId(value: unknown, source: MagentoSource): number | string {
	return source.entityId ? readEntityId(value, source.label, true)! : requireText(value, source.label, INCREMENT_ID_RULES);
}

/** A positive whole number within Magento's ID range, from a number or its digits. */
function readEntityId(value: unknown, field: string, required: boolean): number | undefined {
	const text = required ? requireText(value, field) : optionalText(value, field);
	if (text === undefined) return undefined;
	const id = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
	if (!(id >= 1 && id <= MAX_ENTITY_ID)) {
		throw new InputError(field, `${field} must be a whole number from 1 to ${MAX_ENTITY_ID}, got ${JSON.stringify(truncate(text, 40))}`);
	}
	return id;
}

function readItems(params: ParamReader): MagentoItem[] {
	const raw = readItemLines(params, {
		collection: 'magentoRestItems',
		jsonKeys: ITEM_KEYS,
		fromFields: (fields) => ({ order_item_id: fields.orderItemId, sku: fields.sku, qty: fields.qty }),
	});
	if (!raw.length) {
		// An empty list must never become Magento's "no items = refund everything".
		throw new InputError(
			'Items',
			'No items to refund',
			'Add the items to refund, or set What to Refund to "Everything Not Yet Refunded" for a full refund.',
		);
	}
	const items = raw.map((entry, index) => toItem(entry, `Items[${index + 1}]`));
	items.forEach((item, index) => {
		const earlier = items.findIndex((other) => (item.sku !== undefined ? other.sku === item.sku : other.order_item_id === item.order_item_id));
		if (earlier !== index) {
			const what = item.sku !== undefined ? `SKU ${item.sku}` : `order item ${item.order_item_id}`;
			throw new InputError(`Items[${index + 1}]`, `Items[${index + 1}] repeats ${what} of Items[${earlier + 1}]`, 'List each item once, with the total quantity to refund.');
		}
	});
	return items;
}

function toItem(raw: IDataObject, label: string): MagentoItem {
	const orderItemId = readEntityId(raw.order_item_id, `${label} Order Item ID`, false);
	const sku = optionalText(raw.sku, `${label} SKU`, SKU_RULES);
	if ((orderItemId === undefined) === (sku === undefined)) {
		throw new InputError(
			label,
			orderItemId === undefined ? `${label} needs an order item ID or a SKU` : `${label} has both an order item ID and a SKU; give one`,
			'The order item ID is recommended: a SKU can match several lines of an order.',
		);
	}
	const qty = toNumber(parseDecimal(raw.qty, `${label} Quantity`, QUANTITY));
	return orderItemId !== undefined ? { order_item_id: orderItemId, qty } : { sku, qty };
}

function optionalAmount(value: unknown, field: string): Decimal | undefined {
	return value === undefined || value === null || value === '' ? undefined : parseDecimal(value, field, AMOUNT);
}

/** GET /api2/invoice or /api2/order by `id` or `increment_id`: the document the balance check reads. */
export function toLookupRequest(apiRoot: string, input: Pick<MagentoCreateInput, 'source' | 'sourceId'>): PreparedRequest {
	return {
		method: 'GET',
		url: `${apiRoot}/api2/${input.source.document}`,
		headers: {},
		qs: { [input.source.entityId ? 'id' : 'increment_id']: input.sourceId },
	};
}

/** How people name the source: "invoice 100000045", "order with ID 123". */
export function describeSource(input: Pick<MagentoCreateInput, 'source' | 'sourceId'>): string {
	return `${input.source.document} ${input.source.entityId ? 'with ID ' : ''}${input.sourceId}`;
}

const INVOICE_STATES = new Map([
	['1', 'not paid yet'],
	['open', 'not paid yet'],
	['3', 'canceled'],
	['canceled', 'canceled'],
	['cancelled', 'canceled'],
]);

/**
 * The seed's recommendation, from the invoice or order as the lookup returns it (undocumented: Magento 1
 * field names assumed). Refuses, before anything is sent, a refund Magento would refuse: nothing left to
 * refund, an invoice that is not paid, fixed amounts above what is left, an item that is not on the document
 * or a quantity above what is still refundable. Returns the document's currency (base, like the amounts).
 * Fails closed: a document without the totals it needs cannot pass the check the user asked for.
 */
export function checkRefundableBalance(document: MagentoRecord, input: MagentoCreateInput): { currency: string | null } {
	const kind = input.source.document;
	const label = describeSource(input);
	// Magento 1 refunds paid invoices only; states are 1 open, 2 paid, 3 canceled (the API lists the numbers, some stores send names).
	const state = kind === 'invoice' ? INVOICE_STATES.get(String(document.state ?? '').toLowerCase()) : undefined;
	if (state) throw new InputError(input.source.label, `${capitalize(label)} is ${state}, so Magento cannot refund it; nothing was sent`);
	// Magento 1 keeps refunds in base currency (invoices have only base_total_refunded); the amounts we send are base too.
	const base = document.base_grand_total !== undefined || document.base_total_paid !== undefined;
	const totalField = `${base ? 'base_' : ''}${kind === 'invoice' ? 'grand_total' : 'total_paid'}`;
	const refundedField = `${base ? 'base_' : ''}total_refunded`;
	const total = amountOf(document[totalField]);
	const refunded = document[refundedField] === undefined || document[refundedField] === null ? ZERO : amountOf(document[refundedField]);
	if (!total || !refunded) {
		throw new InputError(
			'Check Refundable Balance First',
			`Cannot check the refundable balance: ${label} as Magento returned it has no readable ${total ? refundedField : totalField}; nothing was sent`,
			'Turn off Check Refundable Balance First for this store (Magento still refuses refunds above the balance itself).',
		);
	}
	const currency = textOf(document[base ? 'base_currency_code' : 'order_currency_code']);
	const money = (value: Decimal) => `${toText(value)}${currency ? ` ${currency}` : ''}`;
	const left = subtract(total, refunded);
	if (compare(left, ZERO) <= 0) {
		throw new InputError(
			input.source.label,
			`Nothing is left to refund on ${label}: ${money(total)} ${kind === 'invoice' ? 'invoiced' : 'paid'}, ${money(refunded)} already refunded; nothing was sent`,
			'If this refund was already made, there is nothing to do; its credit memo is listed on the order in the Magento admin.',
		);
	}
	const body = input.body;
	const fixed = subtract(add(decimalOf(body.shipping_amount), decimalOf(body.adjustment_positive)), decimalOf(body.adjustment_negative));
	if (compare(fixed, left) > 0) {
		throw new InputError(
			body.adjustment_positive ? 'Adjustment Refund' : 'Shipping Amount',
			`Shipping Amount + Adjustment Refund - Adjustment Fee (${money(fixed)}) is more than the ${money(left)} left to refund on ${label}; nothing was sent`,
		);
	}
	if (kind === 'order' && body.shipping_amount !== undefined) checkShipping(document, decimalOf(body.shipping_amount), base, label, money);
	if (Array.isArray(document.items) && body.items) checkItems(document.items as unknown[], body.items, kind, label);
	return { currency };
}

/** Magento 1 refunds shipping against the order; invoices do not say how much of it is left, so only orders are checked. */
function checkShipping(document: MagentoRecord, requested: Decimal, base: boolean, label: string, money: (value: Decimal) => string): void {
	const prefix = base ? 'base_' : '';
	const charged = amountOf(document[`${prefix}shipping_amount`]);
	const refundedRaw = document[`${prefix}shipping_refunded`];
	const refunded = refundedRaw === undefined || refundedRaw === null ? ZERO : amountOf(refundedRaw);
	if (!charged || !refunded) return;
	const left = subtract(charged, refunded);
	if (compare(requested, left) > 0) {
		throw new InputError('Shipping Amount', `Shipping Amount ${money(requested)} is more than the ${money(left)} shipping left to refund on ${label}; nothing was sent`);
	}
}

function checkItems(lines: unknown[], items: MagentoItem[], kind: 'invoice' | 'order', label: string): void {
	const records = lines.filter((line): line is MagentoRecord => !!line && typeof line === 'object');
	items.forEach((item, index) => {
		const field = `Items[${index + 1}]`;
		const matches = records.filter((line) =>
			item.sku !== undefined
				? line.sku === item.sku
				: // Invoice lines point at their order line; order lines are the order line.
					Number(kind === 'invoice' ? line.order_item_id : (line.item_id ?? line.order_item_id)) === item.order_item_id,
		);
		const what = item.sku !== undefined ? `SKU ${item.sku}` : `order item ${item.order_item_id}`;
		if (!matches.length) throw new InputError(field, `${field}: ${what} is not on ${label}; nothing was sent`);
		// A SKU can match a configurable product's parent and child lines: Magento decides which, we cannot.
		if (matches.length > 1) return;
		const line = matches[0];
		const billed = amountOf(kind === 'invoice' ? line.qty : line.qty_invoiced);
		const refunded = line.qty_refunded === undefined || line.qty_refunded === null ? ZERO : amountOf(line.qty_refunded);
		if (!billed || !refunded) return;
		const refundable = subtract(billed, refunded);
		const requested = decimalOf(item.qty);
		if (compare(requested, refundable) > 0) {
			throw new InputError(
				`${field} Quantity`,
				`${field} Quantity ${toText(requested)} is more than the ${toText(refundable)} still refundable for ${what} on ${label}; nothing was sent`,
			);
		}
	});
}

/** Magento 1 credit memo states (Mage_Sales_Model_Order_Creditmemo::STATE_*). */
const CREDIT_MEMO_STATES = new Map([
	['1', 'open'],
	['2', 'refunded'],
	['3', 'canceled'],
]);

/**
 * The create response is undocumented: the memo is read from `creditmemo` (or the body itself) under
 * Magento 1 names, and anything absent stays null.
 */
export function fromCreditMemo(body: unknown, input: Pick<MagentoCreateInput, 'reference' | 'body'>): CreditMemoResult {
	const raw = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as IDataObject;
	const nested = raw.creditmemo ?? raw.credit_memo;
	const memo = (nested && typeof nested === 'object' && !Array.isArray(nested) ? nested : raw) as MagentoRecord;
	const base = memo.grand_total === undefined && memo.base_grand_total !== undefined;
	const total = amountOf(memo[base ? 'base_grand_total' : 'grand_total']);
	const state = textOf(memo.state ?? memo.status);
	return {
		provider: 'magentoRest',
		creditMemoId: idOf(memo.entity_id ?? memo.creditmemo_id ?? memo.id),
		number: textOf(memo.increment_id ?? memo.creditmemo_increment_id),
		status: state === null ? null : (CREDIT_MEMO_STATES.get(state) ?? state),
		totalAmount: total ? toNumber(total) : null,
		currency: textOf(base ? memo.base_currency_code : (memo.order_currency_code ?? memo.currency_code ?? memo.currency)),
		createdAt: textOf(memo.created_at),
		refundReference: input.reference ?? null,
		replayed: false,
		refundType: input.body.refund_type,
		raw,
	};
}

/** Magento sends decimals as numbers or as text ("19.9000"); anything else is unreadable (null). */
function amountOf(value: unknown): Decimal | null {
	if (typeof value !== 'number' && typeof value !== 'string') return null;
	try {
		return parseDecimal(value, 'amount', { sign: 'nonNegative', maxDecimals: 6 });
	} catch {
		return null;
	}
}

function decimalOf(value: number | undefined): Decimal {
	return value === undefined ? ZERO : parseDecimal(value, 'amount', { sign: 'nonNegative', maxDecimals: 6 });
}

function idOf(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return textOf(value);
}

function textOf(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value.trim() ? value.trim() : null;
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface MagentoCommentInput {
	creditMemoId: string;
	order: MagentoSource;
	orderId: number | string;
	body: MagentoHistoryBody;
}

const ORDER_SOURCES = MAGENTO_SOURCES.filter((source) => source.document === 'order');

/** Add Memo Comment: the note goes to the order's history and names the memo, since the API has no memo comments. */
export function readCommentInput(params: ParamReader): MagentoCommentInput {
	const creditMemoId = requireText(params.get('creditMemoId'), 'Credit Memo ID', INCREMENT_ID_RULES);
	const order = sourceOf(params.get('magentoRestSourceType', 'orderIncrementId'), ORDER_SOURCES, 'Order');
	const orderId = readSourceId(params.get(order.value), order);
	const prefix = `Credit memo ${creditMemoId}: `;
	const text = requireText(params.get('comment'), 'Comment', { maxLength: MAX_COMMENT_CHARS - prefix.length });
	const extra = params.get<IDataObject>('magentoRestHistoryFields', {});
	const body: MagentoHistoryBody = { [order.key]: orderId, comment: `${prefix}${text}` };
	const notified = optionalBoolean(extra.isCustomerNotified, 'Mark as Customer Notified');
	if (notified !== undefined) body.is_customer_notified = notified;
	const visible = optionalBoolean(extra.isVisibleOnFront, 'Visible on Storefront');
	if (visible !== undefined) body.is_visible_on_front = visible;
	return { creditMemoId, order, orderId, body };
}

/** GET /api2/history for the order: the entries a re-run checks before adding the same note again. */
export function toHistoryRequest(apiRoot: string, input: MagentoCommentInput): PreparedRequest {
	return { method: 'GET', url: `${apiRoot}/api2/history`, headers: {}, qs: { [input.order.key]: input.orderId } };
}

/** The listing's shape is undocumented: a plain list, or one under a `history`/`items` key, is read; anything else finds nothing. */
export function findHistoryEntry(body: unknown, comment: string): MagentoRecord | undefined {
	const wrapped = body && typeof body === 'object' && !Array.isArray(body) ? ((body as IDataObject).history ?? (body as IDataObject).items) : body;
	if (!Array.isArray(wrapped)) return undefined;
	return wrapped.find(
		(entry): entry is MagentoRecord => !!entry && typeof entry === 'object' && typeof (entry as MagentoRecord).comment === 'string' && ((entry as MagentoRecord).comment as string).trim() === comment,
	);
}

export function fromHistoryEntry(body: unknown, input: MagentoCommentInput, replayed: boolean): CommentResult {
	const raw = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as IDataObject;
	return {
		provider: 'magentoRest',
		creditMemoId: input.creditMemoId,
		comment: textOf(raw.comment) ?? input.body.comment,
		// Said in the output too: the note is on the order, not on the credit memo.
		target: 'orderHistory',
		replayed,
		raw,
	};
}
