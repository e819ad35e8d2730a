import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { InputError, ProviderError } from '../../errors';
import type { Decimal } from '../../money';
import { AMOUNT, QUANTITY, WHOLE_QUANTITY, ZERO, add, compare, multiply, parseDecimal, subtract, toNumber, toText } from '../../money';
import { REFUND_MARKER, fingerprint, readRefundReference, refundMarker } from '../../reference';
import type { CommentResult, CreditMemoResult, ParamReader } from '../../types';
import { optionalBoolean, optionalText, readItemLines, requireText } from '../../validate';
import { optionalDateTime } from '../../dates';
import type { ItemsToRefund } from './fields';
import { ITEMS_TO_REFUND, ITEM_KEYS } from './fields';
import type { Decoded, DecodedObject, SoapCall, SoapValue } from './types';

/** Magento's increment_id columns are VARCHAR(50). */
const INCREMENT_ID = { maxLength: 50 };
/** Comments are TEXT (64 KB): this many characters fit even when each takes four bytes in UTF-8. */
const MAX_COMMENT_CHARS = 16_000;

export interface RefundLine {
	orderItemId: string;
	qty: Decimal;
	/** "Items[2]", for errors found once the order is known. */
	label: string;
}

export interface MagentoSoapCreateInput {
	orderIncrementId: string;
	itemsToRefund: ItemsToRefund;
	lines: RefundLine[];
	shippingAmount?: Decimal;
	adjustmentPositive?: Decimal;
	adjustmentNegative?: Decimal;
	refundToStoreCreditAmount?: Decimal;
	/** The user's comment; the reference line is added by `memoComment`. */
	comment?: string;
	notifyCustomer: boolean;
	includeComment: boolean;
	reference?: string;
	checkForExistingMemo: boolean;
	/** The refund's content (order, items, amounts), for recognising the same refund under the same reference. */
	refundFingerprint: string;
}

export function readCreateInput(params: ParamReader): MagentoSoapCreateInput {
	const reference = readRefundReference(params, { required: false, providerName: 'Magento SOAP' });
	// The reference is searched for later exactly as written: one line, characters XML carries unchanged.
	if (reference !== undefined && /[\r\n]/.test(reference)) throw new InputError('Refund Reference', 'Refund Reference must be a single line');
	if (reference !== undefined) xmlSafe(reference, 'Refund Reference');
	// Retry On Fail sends every item again: only a reference lets the lookup return the memos already created.
	if (params.retryOnFail && (reference === undefined || params.get<IDataObject>('options', {}).checkForExistingMemo === false)) {
		throw new InputError(
			'Retry On Fail',
			'Retry On Fail with Magento SOAP needs a Refund Reference and Check for Existing Memo: after a failure n8n sends every item again, and only the reference shows which memos were already created',
			'Map a Refund Reference (e.g. {{ $json.returnId }}), or turn off Retry On Fail and use Settings > On Error > Continue (using error output).',
		);
	}
	const orderIncrementId = xmlSafe(requireText(params.get('orderIncrementId'), 'Order Increment ID', INCREMENT_ID), 'Order Increment ID');
	const selected = params.get<string>('magentoSoapItemsToRefund', 'listed');
	const itemsToRefund = ITEMS_TO_REFUND.find((candidate) => candidate === selected);
	if (!itemsToRefund) throw new InputError('Items to Refund', `Items to Refund "${selected}" is not one of ${ITEMS_TO_REFUND.join(', ')}`);
	const lines = itemsToRefund === 'listed' ? readLines(params) : [];
	if (itemsToRefund === 'listed' && lines.length === 0) {
		throw new InputError(
			'Items',
			'No items to refund are listed',
			'List the order items to refund, or choose "All Remaining Items" or "No Items" (shipping and adjustments only) in Items to Refund.',
		);
	}

	const extra = params.get<IDataObject>('magentoSoapAdditionalFields', {});
	const amount = (key: string, field: string) => (extra[key] === undefined || extra[key] === null || extra[key] === '' ? undefined : parseDecimal(extra[key], field, AMOUNT));
	const storeCredit = amount('refundToStoreCreditAmount', 'Refund To Store Credit Amount');
	const comment = optionalText(extra.comment, 'Comment', { maxLength: MAX_COMMENT_CHARS });
	const input: Omit<MagentoSoapCreateInput, 'refundFingerprint'> = {
		orderIncrementId,
		itemsToRefund,
		lines,
		shippingAmount: amount('shippingAmount', 'Shipping Amount'),
		adjustmentPositive: amount('adjustmentPositive', 'Adjustment Refund'),
		adjustmentNegative: amount('adjustmentNegative', 'Adjustment Fee'),
		// 0 means none: Magento ignores a falsy amount (`if ($refundToStoreCreditAmount)`).
		refundToStoreCreditAmount: storeCredit && storeCredit.micros > 0n ? storeCredit : undefined,
		comment: comment === undefined ? undefined : xmlSafe(comment, 'Comment'),
		notifyCustomer: optionalBoolean(extra.notifyCustomer, 'Notify Customer') ?? false,
		includeComment: optionalBoolean(extra.includeComment, 'Include Comment In Email') ?? false,
		reference,
		checkForExistingMemo: reference !== undefined && params.get<IDataObject>('options', {}).checkForExistingMemo !== false,
	};
	return { ...input, refundFingerprint: refundFingerprint(input) };
}

function readLines(params: ParamReader): RefundLine[] {
	const raw = readItemLines(params, {
		collection: 'magentoSoapItems',
		jsonKeys: ITEM_KEYS,
		fromFields: (item) => ({ order_item_id: item.orderItemId, qty: item.qty }),
	});
	const seen = new Set<string>();
	return raw.map((entry, index) => {
		const label = `Items[${index + 1}]`;
		const orderItemId = toText(parseDecimal(entry.order_item_id, `${label} Order Item ID`, WHOLE_QUANTITY));
		if (seen.has(orderItemId)) throw new InputError(`${label} Order Item ID`, `Order item ${orderItemId} is listed twice`, 'List each order item once, with the total quantity to refund.');
		seen.add(orderItemId);
		return { orderItemId, qty: parseDecimal(entry.qty, `${label} Quantity`, QUANTITY), label };
	});
}

/** The same refund always hashes the same: the comment and the email flags are not part of what is refunded. */
function refundFingerprint(input: Omit<MagentoSoapCreateInput, 'refundFingerprint'>): string {
	const text = (value: Decimal | undefined) => (value === undefined ? undefined : toText(value));
	return fingerprint({
		order: input.orderIncrementId,
		items: input.itemsToRefund,
		lines: input.lines.map((line) => [line.orderItemId, toText(line.qty)]).sort(([a], [b]) => Number(a) - Number(b)),
		shipping: text(input.shippingAmount),
		adjustmentPositive: text(input.adjustmentPositive),
		adjustmentNegative: text(input.adjustmentNegative),
		storeCredit: text(input.refundToStoreCreditAmount),
	}).slice(0, 8);
}

/** The comment sent with the memo: the user's text, then the reference line. */
export function memoComment(input: MagentoSoapCreateInput): string | undefined {
	const marker = input.reference === undefined ? undefined : refundMarker(input.reference, input.refundFingerprint);
	return [input.comment, marker].filter((part) => part !== undefined).join('\n') || undefined;
}


/**
 * Text as it will arrive through XML. XML 1.0 cannot carry most control characters (not even escaped) nor
 * unpaired surrogates: such text could never arrive as written, so it is refused before anything is sent. Line
 * breaks are sent as LF, which is what any XML parser makes of CR LF and CR anyway.
 */
export function xmlSafe(text: string, field: string): string {
	for (const char of text) {
		const code = char.codePointAt(0) as number;
		const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
		if (!allowed) {
			throw new InputError(field, `${field} contains a character XML cannot carry (U+${code.toString(16).toUpperCase().padStart(4, '0')})`, 'Remove control characters from the text, e.g. with .replace(/[\\u0000-\\u0008]/g, \'\') in the expression.');
		}
	}
	return text.replace(/\r\n?/g, '\n');
}

const text = (value: string): SoapValue => ({ kind: 'string', value });
const int = (value: string): SoapValue => ({ kind: 'int', value });
const double = (value: Decimal): SoapValue => ({ kind: 'double', value: toText(value) });
const flag = (value: boolean): SoapValue => int(value ? '1' : '0');
const NIL: SoapValue = { kind: 'nil' };

/** sales_order.info: the order's entity ID, currency, totals and items. */
export function orderInfoCall(orderIncrementId: string): SoapCall {
	return { path: 'sales_order.info', operation: 'salesOrderInfo', params: [{ name: 'orderIncrementId', value: text(orderIncrementId) }] };
}

/** sales_order_creditmemo.create with the WSDL's parameters (Creditmemo/Api.php create()). */
export function createCall(input: MagentoSoapCreateInput, order: OrderSummary): SoapCall {
	const qtys =
		input.itemsToRefund === 'allRemaining'
			? undefined
			: (input.itemsToRefund === 'none' ? order.items.map((item) => ({ orderItemId: item.itemId, qty: ZERO })) : input.lines).map(
					(line): SoapValue => ({ kind: 'struct', type: 'orderItemIdQty', fields: [['order_item_id', int(line.orderItemId)], ['qty', double(line.qty)]] }),
				);
	const data: Array<[string, SoapValue]> = [];
	if (qtys) data.push(['qtys', { kind: 'array', type: 'orderItemIdQtyArray', itemType: 'orderItemIdQty', items: qtys }]);
	if (input.shippingAmount) data.push(['shipping_amount', double(input.shippingAmount)]);
	if (input.adjustmentPositive) data.push(['adjustment_positive', double(input.adjustmentPositive)]);
	if (input.adjustmentNegative) data.push(['adjustment_negative', double(input.adjustmentNegative)]);
	const comment = memoComment(input);
	return {
		path: 'sales_order_creditmemo.create',
		operation: 'salesOrderCreditmemoCreate',
		params: [
			{ name: 'orderIncrementId', value: text(input.orderIncrementId) },
			{ name: 'creditmemoData', value: { kind: 'struct', type: 'salesOrderCreditmemoData', fields: data } },
			{ name: 'comment', value: comment === undefined ? NIL : text(comment) },
			{ name: 'notifyCustomer', value: flag(input.notifyCustomer) },
			{ name: 'includeComment', value: flag(input.includeComment) },
			{ name: 'refundToStoreCreditAmount', value: input.refundToStoreCreditAmount ? text(toText(input.refundToStoreCreditAmount)) : NIL },
		],
	};
}

/**
 * What sales_order_creditmemo.list filters on, in Magento's columns. Ranges are inclusive at both ends (Magento's
 * `from`/`to`); dates are the store's UTC text, `YYYY-MM-DD HH:MM:SS`.
 */
export interface CreditmemoFilter {
	/** The order's entity ID (`order_id`), not its increment ID. */
	orderId?: string;
	incrementId?: Range;
	/** Magento's state codes (1 open, 2 refunded, 3 canceled). */
	states?: string[];
	createdAt?: Range;
}

export interface Range {
	from?: string;
	to?: string;
}

/**
 * sales_order_creditmemo.list. Equality goes in the simple `filter`; ranges and state lists in `complex_filter`,
 * one entry per condition (Mage_Api_Helper_Data::_parseComplexFilter merges a field's conditions into one
 * `[from => …, to => …]`, which prepareSqlCondition applies as `>= … AND <= …`; `gteq` with `lt` would keep only
 * the first). V1 takes the same conditions as a plain associative array (parseFilters passes arrays through).
 */
export function listCall(filter: CreditmemoFilter): SoapCall {
	const conditions: Condition[] = [
		...rangeConditions('increment_id', filter.incrementId),
		...(filter.states?.length ? [{ field: 'state', operator: 'in' as const, values: filter.states }] : []),
		...rangeConditions('created_at', filter.createdAt),
	];
	const entity = (key: string, value: string): SoapValue => ({ kind: 'struct', type: 'associativeEntity', fields: [['key', text(key)], ['value', text(value)]] });
	const filters: Array<[string, SoapValue]> = [];
	if (filter.orderId !== undefined) {
		filters.push(['filter', { kind: 'array', type: 'associativeArray', itemType: 'associativeEntity', items: [entity('order_id', filter.orderId)] }]);
	}
	if (conditions.length) {
		// The V2 parser splits an `in` value on commas (formatFilterConditionValue); state codes have none.
		const items = conditions.map(({ field, operator, values }): SoapValue => ({ kind: 'struct', type: 'complexFilter', fields: [['key', text(field)], ['value', entity(operator, values.join(','))]] }));
		filters.push(['complex_filter', { kind: 'array', type: 'complexFilterArray', itemType: 'complexFilter', items }]);
	}
	// V1: field => value, or field => [operator => value, …] with a PHP list for `in`.
	const v1Filter: Array<[string, SoapValue]> = filter.orderId === undefined ? [] : [['order_id', text(filter.orderId)]];
	for (const field of new Set(conditions.map((condition) => condition.field))) {
		const fields = conditions
			.filter((condition) => condition.field === field)
			.map(({ operator, values }): [string, SoapValue] => [operator, operator === 'in' ? phpList(values.map(text)) : text(values[0])]);
		v1Filter.push([field, { kind: 'struct', fields }]);
	}
	return {
		path: 'sales_order_creditmemo.list',
		operation: 'salesOrderCreditmemoList',
		params: [{ name: 'filters', value: { kind: 'struct', type: 'filters', fields: filters } }],
		v1Args: [{ kind: 'struct', fields: v1Filter }],
	};
}

interface Condition {
	field: string;
	operator: 'from' | 'to' | 'in';
	values: string[];
}

function rangeConditions(field: string, range: Range | undefined): Condition[] {
	return (['from', 'to'] as const).flatMap((operator) => {
		const bound = range?.[operator];
		return bound === undefined ? [] : [{ field, operator, values: [bound] }];
	});
}

/** A PHP list (positional), as V1 arguments need it. */
const phpList = (items: SoapValue[]): SoapValue => ({ kind: 'array', type: 'SOAP-ENC:Array', itemType: 'xsd:ur-type', items });

export function infoCall(creditmemoIncrementId: string): SoapCall {
	return { path: 'sales_order_creditmemo.info', operation: 'salesOrderCreditmemoInfo', params: [{ name: 'creditmemoIncrementId', value: text(creditmemoIncrementId) }] };
}

export interface OrderItemSummary {
	itemId: string;
	name: string;
	productType: string | null;
	isQtyDecimal: boolean;
	qtyInvoiced: Decimal | null;
	qtyRefunded: Decimal | null;
	/** Unit price and fixed product tax per unit, in base currency. */
	price: Decimal | null;
	weeePerUnit: Decimal;
	taxInvoiced: Decimal | null;
	/** The line's invoiced row not refunded yet, plus its invoiced tax and fixed product tax: the most it can still credit. */
	remaining: Decimal | null;
	taxAmount: Decimal | null;
}

export interface OrderSummary {
	incrementId: string;
	entityId: string;
	currency: string | null;
	/** base_total_paid - base_total_refunded: Magento's own ceiling for any memo (Creditmemo::refund()). */
	remaining: Decimal | null;
	shippingAmount: Decimal | null;
	/** V1 only (salesOrderEntity in the V2 WSDL does not have it). */
	shippingRefunded: Decimal | null;
	taxAmount: Decimal | null;
	items: OrderItemSummary[];
}

/** Reads sales_order.info's answer (V1 map, V2 entity, WS-I element alike). Amounts stay exact decimals. */
export function toOrderSummary(raw: Decoded, orderIncrementId: string): OrderSummary {
	const order = asObject(raw);
	const entityId = textOf(order.order_id) ?? textOf(order.entity_id);
	if (!entityId) {
		throw new ProviderError({ provider: 'magentoSoap', message: `Magento's answer for order ${orderIncrementId} has no order_id`, hint: 'Check that the store\'s sales_order.info is not customised to leave it out.' });
	}
	const paid = amountOf(order.base_total_paid);
	return {
		incrementId: textOf(order.increment_id) ?? orderIncrementId,
		entityId,
		currency: textOf(order.base_currency_code),
		remaining: paid === null ? null : subtract(paid, amountOf(order.base_total_refunded) ?? ZERO),
		shippingAmount: amountOf(order.base_shipping_amount),
		shippingRefunded: amountOf(order.base_shipping_refunded),
		taxAmount: amountOf(order.base_tax_amount),
		items: asList(order.items).map((entry) => {
			const item = asObject(entry);
			const row = amountOf(item.base_row_invoiced);
			const taxInvoiced = amountOf(item.base_tax_invoiced);
			return {
				itemId: textOf(item.item_id) ?? '',
				name: textOf(item.name) ?? textOf(item.sku) ?? '',
				productType: textOf(item.product_type),
				isQtyDecimal: textOf(item.is_qty_decimal) === '1',
				qtyInvoiced: amountOf(item.qty_invoiced),
				qtyRefunded: amountOf(item.qty_refunded),
				price: amountOf(item.base_price),
				weeePerUnit: amountOf(item.base_weee_tax_applied_amount) ?? ZERO,
				taxInvoiced,
				remaining:
					row === null ? null : add(subtract(row, amountOf(item.base_amount_refunded) ?? ZERO), taxInvoiced ?? ZERO, amountOf(item.base_weee_tax_applied_row_amount) ?? ZERO),
				taxAmount: amountOf(item.base_tax_amount),
			};
		}),
	};
}

/** Product types whose order line carries its own price and quantity (no parent/child split to account for). */
const PRICED_LINE_TYPES = new Set(['simple', 'virtual', 'downloadable', 'configurable']);

const left = (item: OrderItemSummary) => (item.qtyInvoiced === null ? null : subtract(item.qtyInvoiced, item.qtyRefunded ?? ZERO));

/**
 * Checks the listed items against the order before anything is sent: unknown item IDs, fractions of whole-unit
 * items (Magento would silently cut them to whole units) and more than is left to refund are refused, naming the field.
 */
export function checkLines(input: MagentoSoapCreateInput, order: OrderSummary): void {
	for (const line of input.lines) {
		const item = order.items.find((candidate) => candidate.itemId === line.orderItemId);
		if (!item) {
			throw new InputError(
				`${line.label} Order Item ID`,
				`Order ${order.incrementId} has no item ${line.orderItemId}`,
				`Its order item IDs are ${order.items.map((candidate) => candidate.itemId).join(', ') || 'none'} (the order line's item_id, not a product ID).`,
			);
		}
		if (!item.isQtyDecimal && toText(line.qty).includes('.')) {
			throw new InputError(`${line.label} Quantity`, `${item.name || `Order item ${item.itemId}`} is refunded in whole units, got ${toText(line.qty)}`);
		}
		const remaining = left(item);
		if (item.productType && PRICED_LINE_TYPES.has(item.productType) && remaining !== null && compare(line.qty, remaining) > 0) {
			throw new InputError(`${line.label} Quantity`, `${toText(line.qty)} of ${item.name || `order item ${item.itemId}`} is more than is left to refund (${toText(remaining)})`);
		}
	}
}

/**
 * The most this memo can credit, in the store's base currency. The SOAP create takes no prices: Magento computes
 * the total itself (Creditmemo total collectors). The ceiling follows the same rules and never underestimates:
 * each line's price x quantity and its share of the invoiced tax, rounded up to the cent, plus fixed product tax;
 * shipping (as given, or all that is left) with its share of the shipping tax; the adjustments. Discounts are left
 * out (they only lower it). Lines whose price sits on parent or child items (bundles), or an order whose answer
 * lacks these figures, fall back to what the order has paid and not refunded, Magento's own limit for any memo.
 */
export function maximumTotal(input: MagentoSoapCreateInput, order: OrderSummary): Decimal | null {
	if (order.remaining === null) return null;
	const refunded: Array<[OrderItemSummary | undefined, Decimal | null]> =
		input.itemsToRefund === 'listed'
			? input.lines.map((line) => [order.items.find((item) => item.itemId === line.orderItemId), line.qty])
			: input.itemsToRefund === 'allRemaining'
				? order.items.map((item) => [item, left(item)])
				: [];
	const lines = refunded.map(([item, qty]) => (item && qty ? lineCeiling(item, qty) : null));
	const shipping = shippingCeiling(input, order);
	if (lines.some((line) => line === null) || shipping === null) return order.remaining;
	const bound = subtract(add(...(lines as Decimal[]), shipping, input.adjustmentPositive ?? ZERO), input.adjustmentNegative ?? ZERO);
	return minOf(order.remaining, maxOf(ZERO, bound));
}

/** Creditmemo_Item::calcRowTotal (price x qty, rounded) and Creditmemo_Total_Tax (the remaining tax's share). */
function lineCeiling(item: OrderItemSummary, qty: Decimal): Decimal | null {
	// A bundle's money sits on its parent or its children, so no line alone bounds what it refunds.
	if (!item.productType || !PRICED_LINE_TYPES.has(item.productType)) return null;
	const remainingQty = left(item);
	if (item.price === null || item.taxInvoiced === null || remainingQty === null) return item.remaining;
	if (remainingQty.micros <= 0n) return ZERO;
	const ceiling = add(ceilCents(multiply(item.price, qty)), ceilCents(share(item.taxInvoiced, qty, remainingQty)), multiply(item.weeePerUnit, qty));
	return item.remaining === null ? ceiling : minOf(ceiling, item.remaining);
}

/** Creditmemo_Total_Shipping and the shipping part of Creditmemo_Total_Tax. */
function shippingCeiling(input: MagentoSoapCreateInput, order: OrderSummary): Decimal | null {
	if (order.shippingAmount === null || order.taxAmount === null) return null;
	const shipping = input.shippingAmount ?? maxOf(ZERO, subtract(order.shippingAmount, order.shippingRefunded ?? ZERO));
	if (shipping.micros === 0n || order.shippingAmount.micros === 0n) return shipping;
	const itemsTax = order.items.reduce((sum, item) => add(sum, item.taxAmount ?? ZERO), ZERO);
	const shippingTax = maxOf(ZERO, subtract(order.taxAmount, itemsTax));
	return add(shipping, ceilCents(share(shippingTax, shipping, order.shippingAmount)));
}

const CENT_MICROS = 10_000n;

/** Rounded up to the cent: never below Magento's roundPrice() of the same amount. */
function ceilCents(value: Decimal): Decimal {
	const remainder = value.micros % CENT_MICROS;
	return { micros: value.micros - remainder + (remainder > 0n ? CENT_MICROS : 0n) };
}

/** amount x part / whole, rounded up. */
function share(amount: Decimal, part: Decimal, whole: Decimal): Decimal {
	const numerator = amount.micros * part.micros;
	return { micros: numerator / whole.micros + (numerator % whole.micros > 0n ? 1n : 0n) };
}

const maxOf = (a: Decimal, b: Decimal) => (compare(a, b) >= 0 ? a : b);
const minOf = (a: Decimal, b: Decimal) => (compare(a, b) <= 0 ? a : b);

/** Magento's credit memo states (Mage_Sales_Model_Order_Creditmemo::STATE_*), by the names the output uses. */
export const MEMO_STATES = { open: '1', refunded: '2', canceled: '3' } as const;
export type MemoState = keyof typeof MEMO_STATES;

const STATE_NAMES: Record<string, string> = Object.fromEntries(Object.entries(MEMO_STATES).map(([name, code]) => [code, name]));

/** A credit memo from sales_order_creditmemo.info (or .list) as the normalised result. Amounts in base currency. */
export function fromCreditmemo(raw: Decoded): CreditMemoResult {
	const memo = asObject(raw);
	const total = amountOf(memo.base_grand_total) ?? amountOf(memo.grand_total);
	const state = textOf(memo.state);
	return {
		provider: 'magentoSoap',
		creditMemoId: textOf(memo.increment_id),
		number: textOf(memo.increment_id),
		status: state === null ? null : (STATE_NAMES[state] ?? state),
		totalAmount: total === null ? null : toNumber(total),
		currency: textOf(memo.base_currency_code) ?? textOf(memo.order_currency_code),
		createdAt: isoDate(textOf(memo.created_at)),
		raw: memo as IDataObject,
	};
}

/** Magento 1 stores dates in UTC as "YYYY-MM-DD HH:MM:SS". */
function isoDate(value: string | null): string | null {
	if (!value) return null;
	const date = DateTime.fromSQL(value, { zone: 'utc' });
	return date.isValid ? date.toISO() : value;
}

export function memoComments(raw: Decoded): string[] {
	return asList(asObject(raw).comments).map((entry) => textOf(asObject(entry).comment) ?? '');
}

export interface MagentoSoapCommentInput {
	creditmemoIncrementId: string;
	comment: string;
	notifyCustomer: boolean;
	includeComment: boolean;
}

export function readCommentInput(params: ParamReader): MagentoSoapCommentInput {
	return {
		creditmemoIncrementId: readCreditmemoIncrementId(params),
		comment: xmlSafe(requireText(params.get('comment'), 'Comment', { maxLength: MAX_COMMENT_CHARS }), 'Comment'),
		notifyCustomer: optionalBoolean(params.get('notifyCustomer', false), 'Notify Customer') ?? false,
		includeComment: optionalBoolean(params.get('includeComment', false), 'Include Comment In Email') ?? false,
	};
}

/** Add Memo Comment, Get and Cancel: the memo's increment ID, the number the admin shows. */
export function readCreditmemoIncrementId(params: ParamReader): string {
	return xmlSafe(requireText(params.get('creditMemoId'), 'Credit Memo ID', INCREMENT_ID), 'Credit Memo ID');
}

export interface MagentoSoapListInput {
	/** The order's increment ID; the list filters on its entity ID, read with sales_order.info when sending. */
	orderIncrementId?: string;
	filter: Omit<CreditmemoFilter, 'orderId'>;
	/** Read each memo (info): its items, comments and Refund Reference (V1 also the order's increment ID). */
	includeDetails: boolean;
}

export function readListInput(params: ParamReader): MagentoSoapListInput {
	const filters = params.get<IDataObject | null>('magentoSoapListFilters', {}) ?? {};
	const orderIncrementId = optionalIncrementId(filters.orderIncrementId, 'Order Increment ID');
	const from = optionalIncrementId(filters.incrementIdFrom, 'Increment ID From');
	const to = optionalIncrementId(filters.incrementIdTo, 'Increment ID To');
	// Magento compares increment IDs as text (a VARCHAR column, case-insensitive).
	if (from !== undefined && to !== undefined && from.toLowerCase() > to.toLowerCase()) {
		throw new InputError('Increment ID From', `Increment ID From (${from}) comes after Increment ID To (${to}), so no memo could match`);
	}
	const after = optionalDateTime(filters.createdAfter, 'Created After');
	const before = optionalDateTime(filters.createdBefore, 'Created Before');
	if (after && before && after >= before) {
		throw new InputError('Created After', `Created After (${after.toISO()}) is not earlier than Created Before (${before.toISO()}), so no memo could match`);
	}
	const filter: MagentoSoapListInput['filter'] = {};
	if (from !== undefined || to !== undefined) filter.incrementId = { from, to };
	const states = readStates(filters.state);
	if (states.length) filter.states = states;
	// Magento's `to` includes its moment and created_at has whole seconds: the last second before Created Before.
	if (after || before) {
		filter.createdAt = {
			from: after && storeTime(wholeSecondFrom(after), 'Created After'),
			to: before && storeTime(wholeSecondFrom(before).minus({ seconds: 1 }), 'Created Before'),
		};
	}
	return { orderIncrementId, filter, includeDetails: optionalBoolean(params.get('magentoSoapIncludeDetails', false), 'Include Items and Comments') ?? false };
}

function optionalIncrementId(value: unknown, field: string): string | undefined {
	const text = optionalText(value, field, INCREMENT_ID);
	return text === undefined ? undefined : xmlSafe(text, field);
}

/** The State filter: names from the multi-select, or a comma-separated text from an expression. */
function readStates(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const names = typeof value === 'string' ? value.split(',').map((name) => name.trim()) : value;
	if (!Array.isArray(names)) throw new InputError('State', `State must be a list of ${Object.keys(MEMO_STATES).join(', ')}`);
	return [
		...new Set(
			names.map((name: unknown) => {
				if (typeof name !== 'string' || !Object.keys(MEMO_STATES).includes(name)) throw new InputError('State', `State "${String(name)}" is not one of ${Object.keys(MEMO_STATES).join(', ')}`);
				return MEMO_STATES[name as MemoState];
			}),
		),
	];
}

/** The first whole second at or after this moment: Magento's created_at has no fractions. */
function wholeSecondFrom(moment: DateTime): DateTime {
	const second = moment.startOf('second');
	return second < moment ? second.plus({ seconds: 1 }) : second;
}

/** A moment as the store keeps created_at: UTC, `YYYY-MM-DD HH:MM:SS` (compared as text by MySQL). */
export function storeTime(moment: DateTime, field: string): string {
	const utc = moment.toUTC();
	if (utc.year < 1000 || utc.year > 9999) throw new InputError(field, `${field} must be between the years 1000 and 9999, got ${utc.toISO()}`);
	return utc.toFormat('yyyy-MM-dd HH:mm:ss');
}

/** The Refund Reference a memo was created under: its comments' `[ref:<reference> #<fingerprint>]` line, or null. */
export function referenceOf(info: Decoded): string | null {
	for (const comment of memoComments(info)) {
		// The node writes the line last; a user's comment above it could quote another one.
		for (const line of comment.split('\n').reverse()) {
			const marker = REFUND_MARKER.exec(line);
			if (marker) return marker[1];
		}
	}
	return null;
}

/** A memo read with sales_order_creditmemo.info (which has its comments), normalised with its Refund Reference. */
export function describeMemo(info: Decoded): CreditMemoResult {
	return { ...fromCreditmemo(info), refundReference: referenceOf(info) };
}

/** sales_order_creditmemo.cancel: Magento cancels only an open memo (Creditmemo::canCancel()). */
export function cancelCall(creditmemoIncrementId: string): SoapCall {
	return { path: 'sales_order_creditmemo.cancel', operation: 'salesOrderCreditmemoCancel', params: [{ name: 'creditmemoIncrementId', value: text(creditmemoIncrementId) }] };
}

export function addCommentCall(input: MagentoSoapCommentInput): SoapCall {
	return {
		path: 'sales_order_creditmemo.addComment',
		operation: 'salesOrderCreditmemoAddComment',
		params: [
			{ name: 'creditmemoIncrementId', value: text(input.creditmemoIncrementId) },
			{ name: 'comment', value: text(input.comment) },
			{ name: 'notifyCustomer', value: flag(input.notifyCustomer) },
			{ name: 'includeComment', value: flag(input.includeComment) },
		],
	};
}

export function toCommentResult(input: MagentoSoapCommentInput, raw: Decoded): CommentResult {
	return { provider: 'magentoSoap', creditMemoId: input.creditmemoIncrementId, comment: input.comment, target: 'creditMemo', raw: { result: raw } };
}

export function asObject(value: Decoded | undefined): DecodedObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** A list of any style: an array, or nothing (WS-I writes an empty list as an empty element). */
export function asList(value: Decoded | undefined): Decoded[] {
	if (Array.isArray(value)) return value;
	return value !== null && typeof value === 'object' ? [value] : [];
}

export function textOf(value: Decoded | undefined): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/** Magento's DECIMAL(12,4) text as an exact Decimal; anything else (missing, NULL) as null. */
export function amountOf(value: Decoded | undefined): Decimal | null {
	const raw = textOf(value)?.trim();
	if (!raw) return null;
	const negative = raw.startsWith('-');
	try {
		const parsed = parseDecimal(negative ? raw.slice(1) : raw, 'amount', { sign: 'nonNegative', maxDecimals: 6 });
		return negative ? subtract(ZERO, parsed) : parsed;
	} catch {
		return null;
	}
}
