/**
 * A Magento 1 store as the Yep REST extension sees it: orders with items (invoiced and refunded quantities),
 * invoices, payment methods, credit memos and order history. Refund rules follow Magento 1's credit memo service:
 * quantities per item, remaining shipping by default, adjustments, a positive total, never more than was paid.
 * Amounts are integer cents.
 */
import { sqlDateTime } from '../../util/http';
import { formatMinor, fromMinor, toMinor } from '../../util/money';

export interface MagentoRestFixture {
	clients: Array<{ clientId: string; clientSecret: string }>;
	staticTokens: string[];
	tokenTtlSeconds: number;
	currency: string;
	paymentMethods: Record<string, { title: string; canRefundOnline: boolean; gatewayError?: boolean }>;
	orderStatuses: string[];
	creditmemoStart: { entityId: number; incrementId: number };
	orders: Array<{
		entity_id: number;
		increment_id: string;
		state: string;
		status: string;
		customer_email: string;
		payment_method: string;
		shipping_amount: number;
		shipping_refunded?: number;
		items: Array<{ item_id: number; sku: string; name: string; price: number; qty_ordered: number; qty_invoiced: number; qty_refunded: number }>;
	}>;
	invoices: Array<{
		entity_id: number;
		increment_id: string;
		order_id: number;
		state: string;
		shipping_amount: number;
		shipping_refunded?: number;
		items: Array<{ order_item_id: number; qty: number; qty_refunded?: number }>;
	}>;
}

type Order = MagentoRestFixture['orders'][number];
type Invoice = MagentoRestFixture['invoices'][number];

/** A failure in the extension's `{ "error": "..." }` shape. */
export class MagentoError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

export interface CreditMemoRequest {
	source: { kind: 'invoice'; invoice: Invoice } | { kind: 'order'; order: Order };
	refundType: 'online' | 'offline';
	/** Lines by order item; undefined = every refundable quantity. */
	items?: Array<{ orderItemId?: number; sku?: string; qty: number }>;
	shippingAmount?: number;
	adjustmentPositive: number;
	adjustmentNegative: number;
	sendEmail: boolean;
	comment?: string;
}

export interface CreditMemo {
	entityId: number;
	incrementId: string;
	order: Order;
	invoice?: Invoice;
	refundType: 'online' | 'offline';
	lines: Array<{ orderItemId: number; sku: string; name: string; qty: number; price: number; rowTotal: number }>;
	subtotal: number;
	shippingAmount: number;
	adjustmentPositive: number;
	adjustmentNegative: number;
	grandTotal: number;
	emailSent: boolean;
	comment?: string;
	createdAt: string;
}

export interface HistoryEntry {
	entityId: number;
	order: Order;
	comment: string;
	status: string;
	isCustomerNotified: boolean;
	isVisibleOnFront: boolean;
	createdAt: string;
}

const cents = (amount: number) => toMinor(amount, 2)!;

export class MagentoRestState {
	memos: CreditMemo[] = [];
	history: HistoryEntry[] = [];
	private nextEntityId: number;
	private nextIncrementId: number;
	private nextHistoryId = 1;
	/** Refunds that happened before the sandbox started (seeded qty_refunded / shipping_refunded), in cents. */
	private readonly seededRefunds = new Map<object, number>();

	constructor(readonly fixture: MagentoRestFixture) {
		this.nextEntityId = fixture.creditmemoStart.entityId;
		this.nextIncrementId = fixture.creditmemoStart.incrementId;
		for (const order of fixture.orders) {
			this.seededRefunds.set(order, order.items.reduce((sum, item) => sum + cents(item.price) * item.qty_refunded, 0) + cents(order.shipping_refunded ?? 0));
		}
		for (const invoice of fixture.invoices) {
			const order = this.orderOf(invoice);
			const items = invoice.items.reduce((sum, line) => sum + cents(this.orderItem(order, line.order_item_id).price) * (line.qty_refunded ?? 0), 0);
			this.seededRefunds.set(invoice, items + cents(invoice.shipping_refunded ?? 0));
		}
	}

	order(key: { entityId?: number; incrementId?: string }): Order | undefined {
		return this.fixture.orders.find((order) => order.entity_id === key.entityId || order.increment_id === key.incrementId);
	}

	invoice(key: { entityId?: number; incrementId?: string }): Invoice | undefined {
		return this.fixture.invoices.find((invoice) => invoice.entity_id === key.entityId || invoice.increment_id === key.incrementId);
	}

	orderOf(invoice: Invoice): Order {
		return this.fixture.orders.find((order) => order.entity_id === invoice.order_id)!;
	}

	invoiceGrandTotal(invoice: Invoice): number {
		const order = this.orderOf(invoice);
		return invoice.items.reduce((sum, line) => sum + cents(this.orderItem(order, line.order_item_id).price) * line.qty, 0) + cents(invoice.shipping_amount);
	}

	invoiceRefunded(invoice: Invoice): number {
		return (this.seededRefunds.get(invoice) ?? 0) + this.memos.filter((memo) => memo.invoice === invoice).reduce((sum, memo) => sum + memo.grandTotal, 0);
	}

	/** Paid = the order's invoices; refunded = seeded refunds plus every memo of the order. */
	orderTotals(order: Order) {
		const invoices = this.fixture.invoices.filter((invoice) => invoice.order_id === order.entity_id);
		const paid = invoices.reduce((sum, invoice) => sum + this.invoiceGrandTotal(invoice), 0);
		const refunded = (this.seededRefunds.get(order) ?? 0) + this.memos.filter((memo) => memo.order === order).reduce((sum, memo) => sum + memo.grandTotal, 0);
		return { paid, refunded };
	}

	/** Quantity still refundable for an order item (qty_invoiced - qty_refunded), within the invoice when given. */
	qtyToRefund(order: Order, orderItemId: number, invoice?: Invoice): number {
		const item = this.orderItem(order, orderItemId);
		const orderLeft = item.qty_invoiced - item.qty_refunded;
		if (!invoice) return orderLeft;
		const line = invoice.items.find((candidate) => candidate.order_item_id === orderItemId);
		if (!line) return 0;
		return Math.min(orderLeft, line.qty - (line.qty_refunded ?? 0));
	}

	shippingToRefund(order: Order, invoice?: Invoice): number {
		const orderLeft = cents(order.shipping_amount) - cents(order.shipping_refunded ?? 0);
		if (!invoice) return orderLeft;
		return Math.min(orderLeft, cents(invoice.shipping_amount) - cents(invoice.shipping_refunded ?? 0));
	}

	/** Validates against the refund rules and, only if everything holds, commits the memo. */
	createCreditMemo(request: CreditMemoRequest, now: Date): CreditMemo {
		const order = request.source.kind === 'order' ? request.source.order : this.orderOf(request.source.invoice);
		const invoice = request.source.kind === 'invoice' ? request.source.invoice : undefined;
		const method = this.fixture.paymentMethods[order.payment_method];

		const refundableLines = (invoice ? invoice.items.map((line) => line.order_item_id) : order.items.map((item) => item.item_id))
			.map((orderItemId) => ({ orderItemId, left: this.qtyToRefund(order, orderItemId, invoice) }))
			.filter(({ left }) => left > 0);
		const shippingLeft = this.shippingToRefund(order, invoice);
		// Magento's canCreditmemo(): nothing left to refund, or the order is canceled/closed.
		if (order.state === 'canceled' || order.state === 'closed' || (refundableLines.length === 0 && shippingLeft <= 0)) {
			throw new MagentoError(400, 'Cannot create credit memo');
		}
		if (request.refundType === 'online' && !method?.canRefundOnline) throw new MagentoError(400, 'Online refund not supported');

		const quantities = new Map<number, number>();
		if (request.items === undefined) {
			for (const { orderItemId, left } of refundableLines) quantities.set(orderItemId, left);
		} else {
			for (const line of request.items) {
				const item =
					line.orderItemId !== undefined ? order.items.find((candidate) => candidate.item_id === line.orderItemId) : order.items.find((candidate) => candidate.sku === line.sku);
				if (!item || (invoice && !invoice.items.some((invoiceLine) => invoiceLine.order_item_id === item.item_id))) throw new MagentoError(400, 'Invalid item');
				quantities.set(item.item_id, (quantities.get(item.item_id) ?? 0) + line.qty);
			}
		}
		const lines = [...quantities].map(([orderItemId, qty]) => {
			const item = this.orderItem(order, orderItemId);
			// Magento 1's Creditmemo_Item::setQty() message.
			if (qty > this.qtyToRefund(order, orderItemId, invoice)) throw new MagentoError(400, `Invalid qty to refund item "${item.name}"`);
			return { orderItemId, sku: item.sku, name: item.name, qty, price: cents(item.price), rowTotal: cents(item.price) * qty };
		});

		const shippingAmount = request.shippingAmount === undefined ? shippingLeft : cents(request.shippingAmount);
		if (shippingAmount > shippingLeft) {
			// Magento 1's text, typo included ("refound").
			throw new MagentoError(400, `Maximum shipping amount allowed to refound is: ${formatMinor(Math.max(0, shippingLeft))}`);
		}
		const subtotal = lines.reduce((sum, line) => sum + line.rowTotal, 0);
		const adjustmentPositive = cents(request.adjustmentPositive);
		const adjustmentNegative = cents(request.adjustmentNegative);
		const grandTotal = subtotal + shippingAmount + adjustmentPositive - adjustmentNegative;
		if (grandTotal <= 0) throw new MagentoError(400, "Credit memo's total must be positive.");
		const { paid, refunded } = this.orderTotals(order);
		if (grandTotal > paid - refunded) {
			// The issue names Magento's "The most money available to refund is ..." (Yep does not document its text).
			throw new MagentoError(400, `The most money available to refund is ${formatMinor(paid - refunded)}.`);
		}
		if (request.refundType === 'online' && method?.gatewayError) throw new MagentoError(500, 'Payment gateway error');

		// Commit: memo, refunded quantities and shipping on the order (and the invoice), order state.
		for (const line of lines) {
			this.orderItem(order, line.orderItemId).qty_refunded += line.qty;
			const invoiceLine = invoice?.items.find((candidate) => candidate.order_item_id === line.orderItemId);
			if (invoiceLine) invoiceLine.qty_refunded = (invoiceLine.qty_refunded ?? 0) + line.qty;
		}
		order.shipping_refunded = fromMinor(cents(order.shipping_refunded ?? 0) + shippingAmount);
		if (invoice) invoice.shipping_refunded = fromMinor(cents(invoice.shipping_refunded ?? 0) + shippingAmount);
		const memo: CreditMemo = {
			entityId: this.nextEntityId++,
			incrementId: String(this.nextIncrementId++),
			order,
			invoice,
			refundType: request.refundType,
			lines,
			subtotal,
			shippingAmount,
			adjustmentPositive,
			adjustmentNegative,
			grandTotal,
			emailSent: request.sendEmail,
			comment: request.comment,
			createdAt: sqlDateTime(now),
		};
		this.memos.push(memo);
		const fullyRefunded = order.items.every((item) => item.qty_refunded >= item.qty_invoiced) && this.shippingToRefund(order) <= 0;
		if (fullyRefunded) {
			order.state = 'closed';
			order.status = 'closed';
		}
		return memo;
	}

	addHistory(order: Order, entry: { comment: string; status?: string; isCustomerNotified: boolean; isVisibleOnFront: boolean }, now: Date): HistoryEntry {
		if (entry.status !== undefined) order.status = entry.status;
		const history: HistoryEntry = {
			entityId: this.nextHistoryId++,
			order,
			comment: entry.comment,
			status: order.status,
			isCustomerNotified: entry.isCustomerNotified,
			isVisibleOnFront: entry.isVisibleOnFront,
			createdAt: sqlDateTime(now),
		};
		this.history.push(history);
		return history;
	}

	renderMemo(memo: CreditMemo): Record<string, unknown> {
		return {
			creditmemo_id: memo.entityId,
			increment_id: memo.incrementId,
			order_id: memo.order.entity_id,
			order_increment_id: memo.order.increment_id,
			invoice_id: memo.invoice?.entity_id ?? null,
			invoice_increment_id: memo.invoice?.increment_id ?? null,
			state: 'refunded',
			refund_type: memo.refundType,
			order_currency_code: this.fixture.currency,
			subtotal: fromMinor(memo.subtotal),
			shipping_amount: fromMinor(memo.shippingAmount),
			adjustment_positive: fromMinor(memo.adjustmentPositive),
			adjustment_negative: fromMinor(memo.adjustmentNegative),
			grand_total: fromMinor(memo.grandTotal),
			email_sent: memo.emailSent,
			items: memo.lines.map((line) => ({
				order_item_id: line.orderItemId,
				sku: line.sku,
				name: line.name,
				qty: line.qty,
				price: fromMinor(line.price),
				row_total: fromMinor(line.rowTotal),
			})),
			...(memo.comment !== undefined ? { comment: memo.comment } : {}),
			created_at: memo.createdAt,
		};
	}

	renderInvoice(invoice: Invoice): Record<string, unknown> {
		const order = this.orderOf(invoice);
		const grandTotal = this.invoiceGrandTotal(invoice);
		const refunded = this.invoiceRefunded(invoice);
		const orderTotals = this.orderTotals(order);
		return {
			entity_id: invoice.entity_id,
			increment_id: invoice.increment_id,
			order_id: order.entity_id,
			order_increment_id: order.increment_id,
			state: invoice.state,
			order_currency_code: this.fixture.currency,
			payment_method: order.payment_method,
			can_refund_online: this.fixture.paymentMethods[order.payment_method]?.canRefundOnline ?? false,
			subtotal: fromMinor(grandTotal - cents(invoice.shipping_amount)),
			shipping_amount: fromMinor(cents(invoice.shipping_amount)),
			grand_total: fromMinor(grandTotal),
			total_refunded: fromMinor(refunded),
			order_total_paid: fromMinor(orderTotals.paid),
			order_total_refunded: fromMinor(orderTotals.refunded),
			items: invoice.items.map((line) => {
				const item = this.orderItem(order, line.order_item_id);
				return {
					order_item_id: line.order_item_id,
					sku: item.sku,
					name: item.name,
					price: item.price,
					qty: line.qty,
					qty_refunded: line.qty_refunded ?? 0,
					row_total: fromMinor(cents(item.price) * line.qty),
				};
			}),
		};
	}

	/** Our assumption of the order lookup (undocumented): Magento 1 field names, totals in the order currency. */
	renderOrder(order: Order): Record<string, unknown> {
		const { paid, refunded } = this.orderTotals(order);
		const subtotal = order.items.reduce((sum, item) => sum + cents(item.price) * item.qty_ordered, 0);
		return {
			entity_id: order.entity_id,
			increment_id: order.increment_id,
			state: order.state,
			status: order.status,
			order_currency_code: this.fixture.currency,
			payment_method: order.payment_method,
			can_refund_online: this.fixture.paymentMethods[order.payment_method]?.canRefundOnline ?? false,
			subtotal: fromMinor(subtotal),
			shipping_amount: fromMinor(cents(order.shipping_amount)),
			shipping_refunded: fromMinor(cents(order.shipping_refunded ?? 0)),
			grand_total: fromMinor(subtotal + cents(order.shipping_amount)),
			total_paid: fromMinor(paid),
			total_refunded: fromMinor(refunded),
			items: order.items.map((item) => ({
				item_id: item.item_id,
				sku: item.sku,
				name: item.name,
				price: item.price,
				qty_ordered: item.qty_ordered,
				qty_invoiced: item.qty_invoiced,
				qty_refunded: item.qty_refunded,
			})),
		};
	}

	renderHistory(entry: HistoryEntry): Record<string, unknown> {
		return {
			entity_id: entry.entityId,
			parent_id: entry.order.entity_id,
			order_increment_id: entry.order.increment_id,
			comment: entry.comment,
			status: entry.status,
			is_customer_notified: entry.isCustomerNotified ? 1 : 0,
			is_visible_on_front: entry.isVisibleOnFront ? 1 : 0,
			created_at: entry.createdAt,
		};
	}

	private orderItem(order: Order, orderItemId: number) {
		const item = order.items.find((candidate) => candidate.item_id === orderItemId);
		if (!item) throw new Error(`magentoRest.json: order ${order.increment_id} has no item ${orderItemId}`);
		return item;
	}
}
