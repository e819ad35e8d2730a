/**
 * The store's database: orders with items, invoiced and refunded quantities, and credit memos with items and
 * comments; plus Magento 1's refund rules (Mage_Sales_Model_Service_Order::prepareCreditmemo, the Creditmemo
 * total collectors, Creditmemo::refund(), Creditmemo_Item::setQty, Order::canCreditmemo, Creditmemo::cancel).
 *
 * Amounts are integer ten-thousandths (Magento's DECIMAL(12,4)); rounding to cents happens where Magento calls
 * roundPrice(). Failures are thrown as the exception class Magento would throw, so each protocol can turn them
 * into its own fault (see creditmemoApi.ts).
 */
import { formatMinor, toMinor } from '../../util/money';

const SCALE = 4;

/** Amount in ten-thousandths from fixture text or a request number (float noise rounded away). */
export function toUnits(value: string | number): number {
	const number = typeof value === 'number' ? value : Number(value);
	return toMinor(number, SCALE) ?? Math.round(number * 10 ** SCALE);
}

/** "12.5000": how Magento's DECIMAL(12,4) columns come back from the database. */
export function decimalText(units: number): string {
	return formatMinor(units, SCALE);
}

/** Mage_Core_Model_Store::roundPrice: to cents, half away from zero. */
export function roundPrice(units: number): number {
	const sign = units < 0 ? -1 : 1;
	return sign * Math.round(Math.abs(units) / 100) * 100;
}

/** Mage_Directory_Model_Currency::formatPrecision with its container, as Order::formatBasePrice returns it. */
export function formatBasePrice(units: number, currency: string): string {
	return `<span class="price">${formatPrice(units, currency)}</span>`;
}

/** Currency::format(..., includeContainer=false): "$1,234.50". */
export function formatPrice(units: number, currency: string): string {
	return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(units / 10 ** SCALE);
}

/** Mage_Core_Exception (and any other Exception) raised by the sales models. */
export class SalesException extends Error {}

export const CREDITMEMO_STATE = { open: 1, refunded: 2, canceled: 3 } as const;

export interface OrderItemFixture {
	item_id: number;
	product_id: number;
	sku: string;
	name: string;
	price: string;
	/** Tax and discount for the whole ordered quantity; a memo takes its share. */
	tax_amount?: string;
	discount_amount?: string;
	qty_ordered: number;
	qty_invoiced: number;
	is_qty_decimal?: boolean;
}

export interface OrderFixture {
	entity_id: number;
	increment_id: string;
	store_id: number;
	/** processing, complete, closed, canceled, holded, payment_review. */
	state: string;
	currency: string;
	customer_id: number | null;
	customer_is_guest: boolean;
	customer_email: string;
	billing_address_id: number;
	shipping_address_id: number;
	created_at: string;
	shipping_amount: string;
	items: OrderItemFixture[];
}

export interface CreditmemoFixture {
	entity_id: number;
	increment_id: string;
	order_increment_id: string;
	/** 1 open (a gateway refund pending: can still be canceled), 2 refunded, 3 canceled. */
	state: number;
	created_at: string;
	shipping_amount?: string;
	adjustment_positive?: string;
	adjustment_negative?: string;
	email_sent?: boolean;
	items: Array<{ item_id: number; order_item_id: number; qty: number }>;
	comments?: Array<{ comment_id: number; comment: string; is_customer_notified: boolean; created_at: string }>;
}

export interface MagentoSoapFixture {
	sessionTimeoutSeconds: number;
	users: Array<{ username: string; apiKey: string; acl: 'all' | string[] }>;
	orders: OrderFixture[];
	creditmemos: CreditmemoFixture[];
	/** Orders made from the template: `count` of them, increment IDs and entity IDs counting up from the template's. */
	generated?: { count: number; template: OrderFixture };
}

export interface OrderItem extends Omit<OrderItemFixture, 'price' | 'tax_amount' | 'discount_amount'> {
	price: number;
	taxAmount: number;
	discountAmount: number;
	qty_refunded: number;
}

export interface Order extends Omit<OrderFixture, 'shipping_amount' | 'items'> {
	shippingAmount: number;
	shippingRefunded: number;
	/** What the invoices captured: the refund ceiling (Order::getBaseTotalPaid). */
	totalPaid: number;
	totalRefunded: number;
	subtotalRefunded: number;
	taxRefunded: number;
	discountRefunded: number;
	adjustmentPositive: number;
	adjustmentNegative: number;
	items: OrderItem[];
	updated_at: string;
}

export interface CreditmemoItem {
	item_id: number;
	order_item_id: number;
	product_id: number;
	sku: string;
	name: string;
	qty: number;
	price: number;
	rowTotal: number;
	taxAmount: number;
	discountAmount: number;
}

export interface CreditmemoComment {
	comment_id: number;
	comment: string;
	is_customer_notified: boolean;
	created_at: string;
}

export interface Creditmemo {
	entity_id: number;
	increment_id: string;
	order_id: number;
	store_id: number;
	state: number;
	created_at: string;
	updated_at: string;
	email_sent: boolean;
	subtotal: number;
	taxAmount: number;
	discountAmount: number;
	shippingAmount: number;
	adjustmentPositive: number;
	adjustmentNegative: number;
	grandTotal: number;
	items: CreditmemoItem[];
	comments: CreditmemoComment[];
}

export interface CreditmemoRequest {
	/** order_item_id -> requested qty; empty = every refundable item in full. */
	qtys: Map<number, number>;
	shippingAmount?: number;
	adjustmentPositive?: number;
	adjustmentNegative?: number;
}

/** Many one-line orders, for bulk runs that refund many orders (each order's item IDs count up by 10). */
function generatedOrders(spec: MagentoSoapFixture['generated']): OrderFixture[] {
	if (!spec) return [];
	const { template } = spec;
	return Array.from({ length: spec.count }, (_, offset) => ({
		...template,
		entity_id: template.entity_id + offset,
		increment_id: String(Number(template.increment_id) + offset),
		customer_email: template.customer_email.replace('@', `+${offset}@`),
		items: template.items.map((item) => ({ ...item, item_id: item.item_id + offset * 10 })),
	}));
}

export class MagentoStore {
	readonly orders: Order[] = [];
	readonly creditmemos: Creditmemo[] = [];
	private nextCreditmemoId = 1;
	private nextItemId = 1;
	private nextCommentId = 1;

	constructor(fixture: MagentoSoapFixture) {
		for (const order of [...fixture.orders, ...generatedOrders(fixture.generated)]) this.orders.push(loadOrder(order));
		for (const seeded of fixture.creditmemos) this.loadCreditmemo(seeded);
		this.nextCreditmemoId = Math.max(0, ...this.creditmemos.map((memo) => memo.entity_id)) + 1;
		this.nextItemId = Math.max(0, ...this.creditmemos.flatMap((memo) => memo.items.map((item) => item.item_id))) + 1;
		this.nextCommentId = Math.max(0, ...this.creditmemos.flatMap((memo) => memo.comments.map((comment) => comment.comment_id))) + 1;
	}

	orderByIncrementId(incrementId: string): Order | undefined {
		return this.orders.find((order) => order.increment_id === incrementId);
	}

	orderById(entityId: number): Order {
		const order = this.orders.find((candidate) => candidate.entity_id === entityId);
		if (!order) throw new Error(`credit memo points at missing order ${entityId}`);
		return order;
	}

	creditmemoByIncrementId(incrementId: string): Creditmemo | undefined {
		return this.creditmemos.find((memo) => memo.increment_id === incrementId);
	}

	/** Order::canCreditmemo(). */
	canCreditmemo(order: Order): boolean {
		if (['canceled', 'closed', 'holded', 'payment_review'].includes(order.state)) return false;
		return Math.abs(roundPrice(order.totalPaid) - order.totalRefunded) >= 1;
	}

	/**
	 * Service_Order::prepareCreditmemo + the total collectors + register()/refund(), without saving.
	 * Throws SalesException with Magento's messages ("Invalid qty to refund item ...", "Maximum ...").
	 */
	prepare(order: Order, request: CreditmemoRequest): Omit<Creditmemo, 'entity_id' | 'increment_id' | 'created_at' | 'updated_at' | 'comments' | 'email_sent'> {
		const items: CreditmemoItem[] = [];
		for (const orderItem of order.items) {
			const qtyToRefund = Math.max(orderItem.qty_invoiced - orderItem.qty_refunded, 0);
			let requested: number;
			if (request.qtys.has(orderItem.item_id)) requested = request.qtys.get(orderItem.item_id) as number;
			else if (request.qtys.size === 0) requested = qtyToRefund;
			else continue;
			// Creditmemo_Item::setQty: int unless the item has decimal quantities; negatives become 0.
			let qty = orderItem.is_qty_decimal ? requested : Math.trunc(requested);
			qty = qty > 0 ? qty : 0;
			if (qty > qtyToRefund + 1e-9) throw new SalesException(`Invalid qty to refund item "${orderItem.name}"`);
			if (qty === 0) continue;
			const share = qty / orderItem.qty_ordered;
			items.push({
				item_id: 0,
				order_item_id: orderItem.item_id,
				product_id: orderItem.product_id,
				sku: orderItem.sku,
				name: orderItem.name,
				qty,
				price: orderItem.price,
				rowTotal: roundPrice(orderItem.price * qty),
				taxAmount: roundPrice(orderItem.taxAmount * share),
				discountAmount: roundPrice(orderItem.discountAmount * share),
			});
		}
		const subtotal = items.reduce((sum, item) => sum + item.rowTotal, 0);
		const taxAmount = items.reduce((sum, item) => sum + item.taxAmount, 0);
		const discountAmount = items.reduce((sum, item) => sum + item.discountAmount, 0);

		// Creditmemo_Total_Shipping: the rest of the order's shipping unless an amount was given.
		const allowedShipping = order.shippingAmount - order.shippingRefunded;
		let shippingAmount = allowedShipping;
		if (request.shippingAmount !== undefined) {
			const requestedShipping = roundPrice(request.shippingAmount);
			if (requestedShipping > allowedShipping) {
				throw new SalesException(`Maximum shipping amount allowed to refund is: ${formatPrice(allowedShipping, order.currency)}`);
			}
			shippingAmount = requestedShipping;
		}
		const adjustmentPositive = request.adjustmentPositive ?? 0;
		const adjustmentNegative = request.adjustmentNegative ?? 0;
		const grandTotal = subtotal + taxAmount + shippingAmount - discountAmount + adjustmentPositive - adjustmentNegative;
		// The admin panel's rule, applied to the API too (sandbox strictness): Magento's API would save an empty memo.
		if (grandTotal <= 0) throw new SalesException("Credit memo's total must be positive.");

		// Creditmemo::refund(): never more than was paid and not yet refunded.
		if (roundPrice(order.totalRefunded + grandTotal) > roundPrice(order.totalPaid)) {
			throw new SalesException(`Maximum amount available to refund is ${formatBasePrice(order.totalPaid - order.totalRefunded, order.currency)}`);
		}
		return {
			order_id: order.entity_id,
			store_id: order.store_id,
			state: CREDITMEMO_STATE.refunded,
			subtotal,
			taxAmount,
			discountAmount,
			shippingAmount,
			adjustmentPositive,
			adjustmentNegative,
			grandTotal,
			items,
		};
	}

	/** Saves a prepared memo: the order's refunded quantities and totals move; a fully refunded order closes. */
	commit(order: Order, prepared: ReturnType<MagentoStore['prepare']>, createdAt: string): Creditmemo {
		const memo: Creditmemo = {
			...prepared,
			entity_id: this.nextCreditmemoId++,
			increment_id: this.nextIncrementId(order.store_id),
			created_at: createdAt,
			updated_at: createdAt,
			email_sent: false,
			items: prepared.items.map((item) => ({ ...item, item_id: this.nextItemId++ })),
			comments: [],
		};
		this.applyToOrder(order, memo, 1);
		if (!this.canCreditmemo(order)) order.state = 'closed';
		order.updated_at = createdAt;
		this.creditmemos.push(memo);
		return memo;
	}

	addComment(memo: Creditmemo, comment: string, notify: boolean, createdAt: string): CreditmemoComment {
		const entry = { comment_id: this.nextCommentId++, comment, is_customer_notified: notify, created_at: createdAt };
		memo.comments.push(entry);
		memo.updated_at = createdAt;
		return entry;
	}

	/** Creditmemo::canCancel(): only an open memo (a refund still pending at the gateway). */
	canCancel(memo: Creditmemo): boolean {
		return memo.state === CREDITMEMO_STATE.open;
	}

	/** Creditmemo::cancel(): the order gets its quantities and amounts back. */
	cancel(memo: Creditmemo, at: string): void {
		const order = this.orderById(memo.order_id);
		memo.state = CREDITMEMO_STATE.canceled;
		memo.updated_at = at;
		this.applyToOrder(order, memo, -1);
		if (order.state === 'closed' && this.canCreditmemo({ ...order, state: 'complete' })) order.state = 'complete';
		order.updated_at = at;
	}

	private applyToOrder(order: Order, memo: Creditmemo, sign: 1 | -1): void {
		for (const item of memo.items) {
			const orderItem = order.items.find((candidate) => candidate.item_id === item.order_item_id);
			if (orderItem) orderItem.qty_refunded += sign * item.qty;
		}
		order.totalRefunded += sign * memo.grandTotal;
		order.subtotalRefunded += sign * memo.subtotal;
		order.taxRefunded += sign * memo.taxAmount;
		order.discountRefunded += sign * memo.discountAmount;
		order.shippingRefunded += sign * memo.shippingAmount;
		order.adjustmentPositive += sign * memo.adjustmentPositive;
		order.adjustmentNegative += sign * memo.adjustmentNegative;
	}

	/** The store's next credit-memo increment ID: its prefix digit, then a zero-padded sequence (100000685). */
	private nextIncrementId(storeId: number): string {
		const prefix = String(storeId);
		const sequence = Math.max(
			0,
			...this.creditmemos.filter((memo) => memo.increment_id.startsWith(prefix) && memo.store_id === storeId).map((memo) => Number(memo.increment_id.slice(prefix.length))),
		);
		return `${prefix}${String(sequence + 1).padStart(8, '0')}`;
	}

	private loadCreditmemo(seeded: CreditmemoFixture): void {
		const order = this.orderByIncrementId(seeded.order_increment_id);
		if (!order) throw new Error(`fixture credit memo ${seeded.increment_id}: unknown order ${seeded.order_increment_id}`);
		const qtys = new Map(seeded.items.map((item) => [item.order_item_id, item.qty]));
		const prepared = this.prepare(order, {
			qtys,
			shippingAmount: seeded.shipping_amount === undefined ? 0 : toUnits(seeded.shipping_amount),
			adjustmentPositive: seeded.adjustment_positive === undefined ? undefined : toUnits(seeded.adjustment_positive),
			adjustmentNegative: seeded.adjustment_negative === undefined ? undefined : toUnits(seeded.adjustment_negative),
		});
		const itemIds = new Map(seeded.items.map((item) => [item.order_item_id, item.item_id]));
		const memo: Creditmemo = {
			...prepared,
			state: seeded.state,
			entity_id: seeded.entity_id,
			increment_id: seeded.increment_id,
			created_at: seeded.created_at,
			updated_at: seeded.created_at,
			email_sent: seeded.email_sent ?? false,
			items: prepared.items.map((item) => ({ ...item, item_id: itemIds.get(item.order_item_id) as number })),
			comments: (seeded.comments ?? []).map((comment) => ({ ...comment })),
		};
		if (memo.state !== CREDITMEMO_STATE.canceled) this.applyToOrder(order, memo, 1);
		this.creditmemos.push(memo);
	}
}

function loadOrder(fixture: OrderFixture): Order {
	const { items: fixtureItems, shipping_amount: shippingText, ...order } = fixture;
	const items: OrderItem[] = fixtureItems.map((item) => ({
		item_id: item.item_id,
		product_id: item.product_id,
		sku: item.sku,
		name: item.name,
		qty_ordered: item.qty_ordered,
		qty_invoiced: item.qty_invoiced,
		is_qty_decimal: item.is_qty_decimal ?? false,
		price: toUnits(item.price),
		taxAmount: toUnits(item.tax_amount ?? '0'),
		discountAmount: toUnits(item.discount_amount ?? '0'),
		qty_refunded: 0,
	}));
	const shippingAmount = toUnits(shippingText);
	// What the invoices captured: invoiced rows with their tax and discount share, and shipping once anything is invoiced.
	const invoicedItems = items.reduce((sum, item) => {
		const share = item.qty_invoiced / item.qty_ordered;
		return sum + roundPrice(item.price * item.qty_invoiced) + roundPrice(item.taxAmount * share) - roundPrice(item.discountAmount * share);
	}, 0);
	const anythingInvoiced = items.some((item) => item.qty_invoiced > 0);
	return {
		...order,
		items,
		shippingAmount,
		shippingRefunded: 0,
		totalPaid: anythingInvoiced ? invoicedItems + shippingAmount : 0,
		totalRefunded: 0,
		subtotalRefunded: 0,
		taxRefunded: 0,
		discountRefunded: 0,
		adjustmentPositive: 0,
		adjustmentNegative: 0,
		updated_at: fixture.created_at,
	};
}
