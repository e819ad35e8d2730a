/**
 * Mage_Sales_Model_Order_Creditmemo_Api (V1) and its _V2 subclass (V2 and WS-I): list, info, create,
 * addComment, cancel, with the same arguments, PHP semantics and faults.
 *
 * Faults: `ApiFault` is Mage_Api_Exception (a named resource fault, 100-106, optionally with a custom message);
 * `SalesException` (store.ts) is any other Exception, which the SOAP handler turns into fault 1 "internal" with
 * the exception's text (qty and amount errors arrive that way, as in Magento); `PhpError` is a PHP Error that
 * no handler catches (ext/soap answers SOAP-ENV:Server).
 *
 * Sandbox strictness beyond Magento (production silently ignores these; here they are fault 102 so a wrong
 * payload fails in tests): unknown creditmemoData keys, qtys keyed by anything but an order_item_id of the
 * order, non-numeric quantities or amounts, V2 qtys entries without order_item_id/qty, a comment that is not text.
 */
import { FilterError, matchesAll, parseFilters, type ColumnInfo } from './filters';
import { PhpArray, PhpObject, arrayAccess, phpBool, phpEmpty, phpFloat, phpKey, phpString, type PhpValue } from './php';
import {
	decimalText,
	toUnits,
	type Creditmemo,
	type CreditmemoRequest,
	type MagentoStore,
	type Order,
} from './store';

/** Mage_Api_Exception: a fault by name (resolved against the resource's, then the global, faults). */
export class ApiFault extends Error {
	constructor(
		readonly faultName: string,
		readonly customMessage?: string,
	) {
		super(customMessage ?? faultName);
	}
}

export type CreditmemoMethod = 'list' | 'info' | 'create' | 'addComment' | 'cancel';

export interface MethodParam {
	name: string;
	optional: boolean;
}

/** The PHP signatures (named arguments and ArgumentCountError depend on them). */
export const CREDITMEMO_METHODS: Record<CreditmemoMethod, { phpMethod: string; params: MethodParam[]; acl: string }> = {
	list: { phpMethod: 'items', params: [{ name: 'filters', optional: true }], acl: 'sales/order/creditmemo/list' },
	info: { phpMethod: 'info', params: [{ name: 'creditmemoIncrementId', optional: false }], acl: 'sales/order/creditmemo/info' },
	create: {
		phpMethod: 'create',
		params: [
			{ name: 'orderIncrementId', optional: false },
			{ name: 'creditmemoData', optional: true },
			{ name: 'comment', optional: true },
			{ name: 'notifyCustomer', optional: true },
			{ name: 'includeComment', optional: true },
			{ name: 'refundToStoreCreditAmount', optional: true },
		],
		acl: 'sales/order/creditmemo/create',
	},
	addComment: {
		phpMethod: 'addComment',
		params: [
			{ name: 'creditmemoIncrementId', optional: false },
			{ name: 'comment', optional: false },
			{ name: 'notifyCustomer', optional: true },
			{ name: 'includeComment', optional: true },
		],
		acl: 'sales/order/creditmemo/comment',
	},
	cancel: { phpMethod: 'cancel', params: [{ name: 'creditmemoIncrementId', optional: false }], acl: 'sales/order/creditmemo/cancel' },
};

/** Columns of sales_flat_creditmemo as `list` returns them (the WSDL's salesOrderCreditmemoEntity, in the seed's order). */
export const CREDITMEMO_COLUMNS = [
	'store_id', 'adjustment_positive', 'base_shipping_tax_amount', 'store_to_order_rate', 'base_discount_amount', 'base_to_order_rate',
	'grand_total', 'base_adjustment_negative', 'base_subtotal_incl_tax', 'shipping_amount', 'subtotal_incl_tax', 'adjustment_negative',
	'base_shipping_amount', 'store_to_base_rate', 'base_to_global_rate', 'base_adjustment', 'base_subtotal', 'discount_amount', 'subtotal',
	'adjustment', 'base_grand_total', 'base_adjustment_positive', 'base_tax_amount', 'shipping_tax_amount', 'tax_amount', 'order_id',
	'email_sent', 'creditmemo_status', 'state', 'shipping_address_id', 'billing_address_id', 'invoice_id', 'cybersource_token',
	'store_currency_code', 'order_currency_code', 'base_currency_code', 'global_currency_code', 'transaction_id', 'increment_id',
	'created_at', 'updated_at', 'hidden_tax_amount', 'base_hidden_tax_amount', 'shipping_hidden_tax_amount', 'base_shipping_hidden_tax_amnt',
	'shipping_incl_tax', 'base_shipping_incl_tax', 'base_customer_balance_amount', 'customer_balance_amount', 'bs_customer_bal_total_refunded',
	'customer_bal_total_refunded', 'base_gift_cards_amount', 'gift_cards_amount', 'gw_base_price', 'gw_price', 'gw_items_base_price',
	'gw_items_price', 'gw_card_base_price', 'gw_card_price', 'gw_base_tax_amount', 'gw_tax_amount', 'gw_items_base_tax_amount',
	'gw_items_tax_amount', 'gw_card_base_tax_amount', 'gw_card_tax_amount', 'base_reward_currency_amount', 'reward_currency_amount',
	'reward_points_balance', 'reward_points_balance_refund', 'creditmemo_id',
] as const;

const TEXT_COLUMNS = new Set(['increment_id', 'created_at', 'updated_at', 'store_currency_code', 'order_currency_code', 'base_currency_code', 'global_currency_code', 'transaction_id', 'cybersource_token']);
const COLUMN_INFO: ColumnInfo = {
	columns: new Set([...CREDITMEMO_COLUMNS.filter((column) => column !== 'creditmemo_id'), 'entity_id']),
	textColumns: TEXT_COLUMNS,
	dateColumns: new Set(['created_at', 'updated_at']),
};

const CREATE_DATA_KEYS = ['qtys', 'shipping_amount', 'adjustment_positive', 'adjustment_negative'];
const NUMBER_TEXT = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;

export interface CreditmemoApiHooks {
	/** "YYYY-MM-DD HH:MM:SS" on the sandbox clock. */
	now(): string;
	/** A memo was created (the ledger). */
	created(memo: Creditmemo, order: Order, comment: string | undefined): void;
}

export class CreditmemoApi {
	constructor(
		private readonly store: MagentoStore,
		private readonly hooks: CreditmemoApiHooks,
	) {}

	/** Calls a method with bound PHP arguments; `v2` selects the _V2 model (V2 and WS-I). */
	invoke(method: CreditmemoMethod, args: PhpValue[], v2: boolean): PhpValue {
		switch (method) {
			case 'list':
				return this.items(args[0] ?? null);
			case 'info':
				return this.info(args[0]);
			case 'create':
				return this.create(args[0], args[1] ?? null, args[2] ?? null, args[3] ?? false, args[5] ?? null, v2);
			case 'addComment':
				return this.addComment(args[0], args[1], args[2] ?? false);
			case 'cancel':
				return this.cancel(args[0]);
		}
	}

	items(filters: PhpValue): PhpArray {
		const parsed = parseFilters(filters);
		const result = new PhpArray();
		try {
			for (const memo of this.store.creditmemos) {
				const row = this.attributes(memo);
				if (matchesAll({ ...row, entity_id: String(memo.entity_id) }, parsed, COLUMN_INFO)) result.push(PhpArray.assoc(row));
			}
		} catch (error) {
			if (error instanceof FilterError) throw new ApiFault('invalid_filter', error.message);
			throw error;
		}
		return result;
	}

	info(incrementId: PhpValue | undefined): PhpArray {
		const memo = this.creditmemo(incrementId);
		const order = this.store.orderById(memo.order_id);
		const result = PhpArray.assoc(this.attributes(memo));
		result.set('order_increment_id', order.increment_id);
		result.set('items', PhpArray.list(memo.items.map((item) => PhpArray.assoc(itemAttributes(memo, item)))));
		result.set('comments', PhpArray.list(memo.comments.map((comment) => PhpArray.assoc(commentAttributes(memo, comment)))));
		return result;
	}

	create(
		orderIncrementId: PhpValue | undefined,
		creditmemoData: PhpValue,
		comment: PhpValue,
		notifyCustomer: PhpValue,
		refundToStoreCreditAmount: PhpValue,
		v2: boolean,
	): string {
		const order = typeof orderIncrementId === 'string' || typeof orderIncrementId === 'number' ? this.store.orderByIncrementId(String(orderIncrementId)) : undefined;
		if (!order) throw new ApiFault('order_not_exists');
		if (!this.store.canCreditmemo(order)) throw new ApiFault('cannot_create_creditmemo');
		const request = v2 ? prepareCreateDataV2(creditmemoData, order) : prepareCreateDataV1(creditmemoData, order);
		const prepared = this.store.prepare(order, request);
		// Store credit exists only with a customer-balance module; core OpenMage clamps the amount to 0, but the
		// guest check (fault 105) always runs. `if ($refundToStoreCreditAmount)`: "0" and "" do not count.
		if (phpBool(refundToStoreCreditAmount) && order.customer_is_guest) throw new ApiFault('cannot_refund_to_storecredit');
		const now = this.hooks.now();
		const memo = this.store.commit(order, prepared, now);
		const text = phpEmpty(comment) ? undefined : phpString(comment);
		if (text !== undefined) this.store.addComment(memo, text, phpBool(notifyCustomer), now);
		memo.email_sent = phpBool(notifyCustomer);
		this.hooks.created(memo, order, text);
		return memo.increment_id;
	}

	addComment(incrementId: PhpValue | undefined, comment: PhpValue | undefined, notifyCustomer: PhpValue): boolean {
		const memo = this.creditmemo(incrementId);
		// Magento saves an empty comment (the seed's V2 example sends none); an array or object is refused.
		if (comment instanceof PhpArray || comment instanceof PhpObject) throw new ApiFault('data_invalid', 'The comment must be text.');
		this.store.addComment(memo, phpString(comment ?? null), phpBool(notifyCustomer), this.hooks.now());
		return true;
	}

	cancel(incrementId: PhpValue | undefined): boolean {
		const memo = this.creditmemo(incrementId);
		if (!this.store.canCancel(memo)) throw new ApiFault('status_not_changed', 'Credit memo cannot be canceled.');
		this.store.cancel(memo, this.hooks.now());
		return true;
	}

	private creditmemo(incrementId: PhpValue | undefined): Creditmemo {
		const memo = typeof incrementId === 'string' || typeof incrementId === 'number' ? this.store.creditmemoByIncrementId(String(incrementId)) : undefined;
		if (!memo) throw new ApiFault('not_exists');
		return memo;
	}

	/** _getAttributes($creditmemo, 'creditmemo'): every column as the database returns it. */
	private attributes(memo: Creditmemo): Record<(typeof CREDITMEMO_COLUMNS)[number], string | null> {
		const order = this.store.orderById(memo.order_id);
		const amount = (units: number) => decimalText(units);
		const optional = (units: number) => (units === 0 ? null : decimalText(units));
		const adjustment = memo.adjustmentPositive - memo.adjustmentNegative;
		const values: Partial<Record<(typeof CREDITMEMO_COLUMNS)[number], string | null>> = {
			store_id: String(memo.store_id),
			adjustment_positive: optional(memo.adjustmentPositive),
			base_shipping_tax_amount: amount(0),
			store_to_order_rate: '1.0000',
			base_discount_amount: amount(-memo.discountAmount),
			base_to_order_rate: '1.0000',
			grand_total: amount(memo.grandTotal),
			base_adjustment_negative: optional(memo.adjustmentNegative),
			base_subtotal_incl_tax: amount(memo.subtotal + memo.taxAmount),
			shipping_amount: amount(memo.shippingAmount),
			subtotal_incl_tax: amount(memo.subtotal + memo.taxAmount),
			adjustment_negative: optional(memo.adjustmentNegative),
			base_shipping_amount: amount(memo.shippingAmount),
			store_to_base_rate: '1.0000',
			base_to_global_rate: '1.0000',
			base_adjustment: amount(adjustment),
			base_subtotal: amount(memo.subtotal),
			discount_amount: amount(-memo.discountAmount),
			subtotal: amount(memo.subtotal),
			adjustment: amount(adjustment),
			base_grand_total: amount(memo.grandTotal),
			base_adjustment_positive: optional(memo.adjustmentPositive),
			base_tax_amount: amount(memo.taxAmount),
			shipping_tax_amount: amount(0),
			tax_amount: amount(memo.taxAmount),
			order_id: String(memo.order_id),
			email_sent: memo.email_sent ? '1' : null,
			creditmemo_status: null,
			state: String(memo.state),
			shipping_address_id: String(order.shipping_address_id),
			billing_address_id: String(order.billing_address_id),
			invoice_id: null,
			cybersource_token: null,
			store_currency_code: order.currency,
			order_currency_code: order.currency,
			base_currency_code: order.currency,
			global_currency_code: order.currency,
			transaction_id: null,
			increment_id: memo.increment_id,
			created_at: memo.created_at,
			updated_at: memo.updated_at,
			hidden_tax_amount: amount(0),
			base_hidden_tax_amount: amount(0),
			shipping_incl_tax: amount(memo.shippingAmount),
			base_shipping_incl_tax: amount(memo.shippingAmount),
			bs_customer_bal_total_refunded: amount(0),
			customer_bal_total_refunded: amount(0),
			creditmemo_id: String(memo.entity_id),
		};
		const row = {} as Record<(typeof CREDITMEMO_COLUMNS)[number], string | null>;
		for (const column of CREDITMEMO_COLUMNS) row[column] = values[column] ?? null;
		return row;
	}
}

function itemAttributes(memo: Creditmemo, item: Creditmemo['items'][number]): Record<string, string | null> {
	const unitTax = item.qty > 0 ? Math.round(item.taxAmount / item.qty) : 0;
	return {
		parent_id: String(memo.entity_id),
		weee_tax_applied_row_amount: '0.0000',
		base_price: decimalText(item.price),
		base_weee_tax_row_disposition: '0.0000',
		tax_amount: decimalText(item.taxAmount),
		base_weee_tax_applied_amount: '0.0000',
		weee_tax_row_disposition: '0.0000',
		base_row_total: decimalText(item.rowTotal),
		discount_amount: item.discountAmount === 0 ? null : decimalText(item.discountAmount),
		row_total: decimalText(item.rowTotal),
		weee_tax_applied_amount: '0.0000',
		base_discount_amount: item.discountAmount === 0 ? null : decimalText(item.discountAmount),
		base_weee_tax_disposition: '0.0000',
		price_incl_tax: decimalText(item.price + unitTax),
		base_tax_amount: decimalText(item.taxAmount),
		weee_tax_disposition: '0.0000',
		base_price_incl_tax: decimalText(item.price + unitTax),
		qty: decimalText(Math.round(item.qty * 10000)),
		base_cost: null,
		base_weee_tax_applied_row_amnt: null,
		price: decimalText(item.price),
		base_row_total_incl_tax: decimalText(item.rowTotal + item.taxAmount),
		row_total_incl_tax: decimalText(item.rowTotal + item.taxAmount),
		product_id: String(item.product_id),
		order_item_id: String(item.order_item_id),
		additional_data: null,
		description: null,
		weee_tax_applied: 'a:0:{}',
		sku: item.sku,
		name: item.name,
		hidden_tax_amount: '0.0000',
		base_hidden_tax_amount: '0.0000',
		item_id: String(item.item_id),
	};
}

function commentAttributes(memo: Creditmemo, comment: Creditmemo['comments'][number]): Record<string, string | null> {
	return {
		parent_id: String(memo.entity_id),
		is_customer_notified: comment.is_customer_notified ? '1' : '0',
		is_visible_on_front: '0',
		comment: comment.comment,
		created_at: comment.created_at,
		comment_id: String(comment.comment_id),
	};
}

function invalid(message: string): ApiFault {
	return new ApiFault('data_invalid', message);
}

function number(value: PhpValue | undefined, field: string): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && NUMBER_TEXT.test(value)) return phpFloat(value);
	throw invalid(`${field} must be a number, got ${describe(value)}.`);
}

function describe(value: PhpValue | undefined): string {
	if (value instanceof PhpArray) return 'an array';
	if (value instanceof PhpObject) return 'an object';
	return value === null || value === undefined ? 'nothing' : JSON.stringify(value);
}

function orderItemId(key: PhpValue, order: Order): number {
	const id = typeof key === 'number' ? key : typeof key === 'string' ? phpKey(key) : undefined;
	if (typeof id !== 'number' || !Number.isInteger(id)) {
		throw invalid(`qtys must be keyed by order_item_id (an integer), got ${describe(key)}.`);
	}
	if (!order.items.some((item) => item.item_id === id)) {
		throw invalid(`Order item ${id} does not belong to order ${order.increment_id}.`);
	}
	return id;
}

function amounts(read: (key: string) => PhpValue | undefined): Omit<CreditmemoRequest, 'qtys'> {
	const amount = (key: string) => {
		const value = read(key);
		return value === undefined || value === null ? undefined : toUnits(number(value, key));
	};
	return { shippingAmount: amount('shipping_amount'), adjustmentPositive: amount('adjustment_positive'), adjustmentNegative: amount('adjustment_negative') };
}

/** Creditmemo_Api::_prepareCreateData (V1): `qtys` as a map {order_item_id: qty} or a list of {order_item_id, qty}. */
function prepareCreateDataV1(data: PhpValue, order: Order): CreditmemoRequest {
	if (data === null) return { qtys: new Map() };
	// `$data['qtys']` on a stdClass is a fatal Error in PHP 8: V1 wants an associative array (ns2:Map).
	arrayAccess(data, 'qtys');
	if (!(data instanceof PhpArray)) throw invalid(`creditmemoData must be an associative array (ns2:Map), got ${describe(data)}.`);
	for (const key of data.entries.keys()) {
		if (!CREATE_DATA_KEYS.includes(String(key))) throw invalid(`Unknown creditmemoData field "${key}"; expected ${CREATE_DATA_KEYS.join(', ')}.`);
	}
	const qtys = new Map<number, number>();
	const given = data.get('qtys');
	if (given !== undefined && given !== null) {
		if (!(given instanceof PhpArray)) throw invalid(`qtys must be an array, got ${describe(given)}.`);
		for (const [key, value] of given.entries) {
			if (value instanceof PhpArray) {
				// "Save backward compatibility": [{order_item_id, qty}, ...].
				if (!value.isset('order_item_id') || !value.isset('qty')) throw invalid('Each qtys entry needs order_item_id and qty.');
				qtys.set(orderItemId(value.get('order_item_id') as PhpValue, order), number(value.get('qty'), 'qty'));
			} else {
				qtys.set(orderItemId(key, order), number(value, 'qty'));
			}
		}
	}
	return { qtys, ...amounts((key) => data.get(key)) };
}

/** Creditmemo_Api_V2::_prepareCreateData: a salesOrderCreditmemoData object, qtys as orderItemIdQty objects. */
function prepareCreateDataV2(data: PhpValue, order: Order): CreditmemoRequest {
	if (!(data instanceof PhpObject)) return { qtys: new Map() };
	const qtys = new Map<number, number>();
	const given = data.props.get('qtys');
	if (given instanceof PhpArray) {
		for (const entry of given.values()) {
			if (!(entry instanceof PhpObject) || !entry.isset('order_item_id') || !entry.isset('qty')) throw invalid('Each qtys entry needs order_item_id and qty.');
			qtys.set(orderItemId(entry.props.get('order_item_id') as PhpValue, order), number(entry.props.get('qty'), 'qty'));
		}
	}
	return { qtys, ...amounts((key) => data.props.get(key)) };
}

