/**
 * The org's Order Management data: order summaries with their item summaries, change orders (from returns),
 * credit memos and background operations; and the rules: a change order is credited at most once, a return never
 * exceeds what is left to return, amounts are integer cents.
 */
import { fromMinor, toMinor } from '../../util/money';
import { KEY_PREFIX, makeId } from './ids';

export interface OrderItemSummaryFixture {
	id: string;
	name: string;
	productCode: string;
	quantity: number;
	unitPrice: string;
	/** Tax per unit. */
	unitTax?: string;
}

export interface OrderSummaryFixture {
	id: string;
	orderNumber: string;
	accountId: string;
	currency: string;
	status: string;
	deliveryCharge: string;
	deliveryTax?: string;
	/** Captured but not owed (OrderPaymentSummary excess funds), what ensure-refunds-async can refund without a memo. */
	excessFunds?: string;
	createdDate: string;
	items: OrderItemSummaryFixture[];
}

export interface ChangeOrderFixture {
	id: string;
	orderSummaryId: string;
	items: Array<{ orderItemSummaryId: string; quantity: number }>;
	/** Prorate the delivery charge, as submit-return's shippingReductionFlag. */
	shippingReduction: boolean;
	createdDate: string;
}

export interface CreditMemoFixture {
	id: string;
	documentNumber: string;
	changeOrderIds: string[];
	description?: string;
	createdDate: string;
}

export interface SalesforceFixture {
	organizationId: string;
	userId: string;
	accessTokenTtlSeconds: number;
	connectedApps: Array<{ clientId: string; clientSecret: string; redirectUris: string[] }>;
	orderSummaries: OrderSummaryFixture[];
	changeOrders: ChangeOrderFixture[];
	creditMemos: CreditMemoFixture[];
	/**
	 * Most records one query page carries when the client asks for more (default 2000, Salesforce's default and
	 * maximum). Salesforce may return smaller batches than asked; a low value lets tests page through a few records.
	 */
	queryBatchSize?: number;
	/** Generated at load: bulk order summaries with many units, and uncredited one-unit change orders on them. */
	generated: { bulkOrderSummaries: number; unitsPerItem: number; uncreditedChangeOrders: number; createdDate: string };
}

export interface OrderItemSummary {
	id: string;
	name: string;
	productCode: string;
	quantity: number;
	quantityReturned: number;
	unitPrice: number;
	unitTax: number;
}

export interface OrderSummary {
	id: string;
	orderNumber: string;
	accountId: string;
	currency: string;
	status: string;
	deliveryCharge: number;
	deliveryTax: number;
	deliveryReturned: number;
	deliveryTaxReturned: number;
	excessFunds: number;
	createdDate: string;
	items: OrderItemSummary[];
}

export interface ChangeOrderLine {
	/** The change order's own order product (OrderItem) for this line. */
	orderItemId: string;
	orderItemSummaryId: string;
	quantity: number;
	productAmount: number;
	taxAmount: number;
}

export interface ChangeOrder {
	id: string;
	orderSummaryId: string;
	lines: ChangeOrderLine[];
	deliveryAmount: number;
	deliveryTax: number;
	/** The order product (OrderItem, type Delivery Charge) carrying the prorated delivery charge, when there is one. */
	deliveryOrderItemId?: string;
	createdDate: string;
	/** The credit memo that credited it, once one did. */
	creditMemoId?: string;
}

export interface CreditMemo {
	Id: string;
	DocumentNumber: string;
	AccountId: string;
	ReferenceEntityId: string;
	Status: string;
	CurrencyIsoCode: string;
	EffectiveDate: string;
	/** Cents. */
	chargeAmount: number;
	taxAmount: number;
	Description: string | null;
	CreatedDate: string;
	LastModifiedDate: string;
	CreatedById: string;
	LastModifiedById: string;
	/** Sandbox-only aid: the change orders this memo credited, comma-separated. */
	changeOrderIds: string[];
	/** CreditMemoLine records: one per change order product credited (ReferenceEntityItemId = that OrderItem). */
	lines: CreditMemoLine[];
}

export interface CreditMemoLine {
	Id: string;
	ReferenceEntityItemId: string;
	/** 'Charge' for a product, 'Delivery Charge' for delivery (ReferenceEntityItemType: OrderProduct / DeliveryCharge). */
	type: 'OrderProduct' | 'DeliveryCharge';
	/** Cents. */
	chargeAmount: number;
	taxAmount: number;
}

export interface BackgroundOperation {
	id: string;
	orderSummaryId: string;
	creditMemoId?: string;
	excessFundsAmount?: number;
	createdDate: string;
}

/** Salesforce's JSON date-time: 2024-05-01T10:00:00.000+0000. Record date-times are kept to the second. */
export function sfDateTime(date: Date): string {
	return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('Z', '+0000');
}

export function cents(text: string | undefined): number {
	if (text === undefined) return 0;
	const value = toMinor(Number(text), 2);
	if (value === undefined) throw new Error(`fixture amount ${text} has more than 2 decimals`);
	return value;
}

export const money = (minor: number): number => fromMinor(minor, 2);

/** The reasons of OrderItemSummaryChange.Reason (a restricted picklist) the sandbox org has. */
export const RETURN_REASONS = ['Damaged', 'Defective', 'Duplicate Order', 'Not Satisfied', 'Wrong Item', 'Unknown', 'Other'];

export class SalesforceState {
	readonly orderSummaries = new Map<string, OrderSummary>();
	readonly changeOrders = new Map<string, ChangeOrder>();
	readonly creditMemos = new Map<string, CreditMemo>();
	readonly backgroundOperations = new Map<string, BackgroundOperation>();
	private readonly sequences = new Map<string, number>();
	private documentNumber = 0;

	constructor(readonly fixture: SalesforceFixture) {
		// Seeded and generated records use sequence numbers below 1000 (and 900001+ for generated change orders).
		for (const prefix of Object.values(KEY_PREFIX)) this.sequences.set(prefix, 1000);
		for (const summary of fixture.orderSummaries) this.addOrderSummary(summary);
		this.generateBulk(fixture.generated);
		for (const change of fixture.changeOrders) this.addSeededChangeOrder(change);
		for (const memo of fixture.creditMemos) this.addSeededCreditMemo(memo);
		this.generateUncreditedChangeOrders(fixture.generated);
	}

	nextId(prefix: string): string {
		const next = (this.sequences.get(prefix) ?? 0) + 1;
		this.sequences.set(prefix, next);
		return makeId(prefix, next);
	}

	/** Returns one or more units of item summaries and makes the change order (submit-return). */
	submitReturn(summary: OrderSummary, changes: Array<{ item: OrderItemSummary; quantity: number }>, shippingReduction: boolean, createdDate: string, id?: string): ChangeOrder {
		const lines = changes.map(({ item, quantity }) => {
			item.quantityReturned += quantity;
			return {
				orderItemId: this.nextId(KEY_PREFIX.orderItem),
				orderItemSummaryId: item.id,
				quantity,
				productAmount: Math.round(item.unitPrice * quantity),
				taxAmount: Math.round(item.unitTax * quantity),
			};
		});
		let deliveryAmount = 0;
		let deliveryTax = 0;
		if (shippingReduction) {
			// The delivery charge is prorated by the share of the products' value returned.
			const productTotal = summary.items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
			const returned = lines.reduce((sum, line) => sum + line.productAmount, 0);
			const share = productTotal > 0 ? returned / productTotal : 0;
			deliveryAmount = Math.min(Math.round(summary.deliveryCharge * share), summary.deliveryCharge - summary.deliveryReturned);
			deliveryTax = Math.min(Math.round(summary.deliveryTax * share), summary.deliveryTax - summary.deliveryTaxReturned);
			summary.deliveryReturned += deliveryAmount;
			summary.deliveryTaxReturned += deliveryTax;
		}
		const change: ChangeOrder = { id: id ?? this.nextId(KEY_PREFIX.order), orderSummaryId: summary.id, lines, deliveryAmount, deliveryTax, createdDate };
		if (deliveryAmount || deliveryTax) change.deliveryOrderItemId = this.nextId(KEY_PREFIX.orderItem);
		this.changeOrders.set(change.id, change);
		return change;
	}

	/** create-credit-memo after validation: one memo over the given change orders, each marked as credited. */
	createCreditMemo(summary: OrderSummary, changes: ChangeOrder[], createdDate: string, userId: string, id?: string, documentNumber?: string): CreditMemo {
		const memo: CreditMemo = {
			Id: id ?? this.nextId(KEY_PREFIX.creditMemo),
			DocumentNumber: documentNumber ?? this.nextDocumentNumber(),
			AccountId: summary.accountId,
			ReferenceEntityId: summary.id,
			Status: 'Posted',
			CurrencyIsoCode: summary.currency,
			EffectiveDate: createdDate.slice(0, 10),
			chargeAmount: changes.reduce((sum, change) => sum + change.deliveryAmount + change.lines.reduce((lines, line) => lines + line.productAmount, 0), 0),
			taxAmount: changes.reduce((sum, change) => sum + change.deliveryTax + change.lines.reduce((lines, line) => lines + line.taxAmount, 0), 0),
			Description: null,
			CreatedDate: createdDate,
			LastModifiedDate: createdDate,
			CreatedById: userId,
			LastModifiedById: userId,
			changeOrderIds: changes.map((change) => change.id),
			lines: changes.flatMap((change) => [
				...change.lines.map((line) => this.creditMemoLine(line.orderItemId, 'OrderProduct', line.productAmount, line.taxAmount)),
				...(change.deliveryOrderItemId ? [this.creditMemoLine(change.deliveryOrderItemId, 'DeliveryCharge', change.deliveryAmount, change.deliveryTax)] : []),
			]),
		};
		for (const change of changes) change.creditMemoId = memo.Id;
		this.creditMemos.set(memo.Id, memo);
		return memo;
	}

	/** What the order summary can still refund: uncredited change orders plus excess funds (totalRefundableAmount). */
	refundable(summary: OrderSummary): number {
		let total = summary.excessFunds;
		for (const change of this.changeOrders.values()) {
			if (change.orderSummaryId === summary.id && !change.creditMemoId) total += changeTotal(change);
		}
		return total;
	}

	private creditMemoLine(orderItemId: string, type: CreditMemoLine['type'], chargeAmount: number, taxAmount: number): CreditMemoLine {
		return { Id: this.nextId(KEY_PREFIX.creditMemoLine), ReferenceEntityItemId: orderItemId, type, chargeAmount, taxAmount };
	}

	private nextDocumentNumber(): string {
		this.documentNumber += 1;
		return `CM-${String(this.documentNumber).padStart(8, '0')}`;
	}

	private addOrderSummary(fixture: OrderSummaryFixture): OrderSummary {
		const summary: OrderSummary = {
			id: fixture.id,
			orderNumber: fixture.orderNumber,
			accountId: fixture.accountId,
			currency: fixture.currency,
			status: fixture.status,
			deliveryCharge: cents(fixture.deliveryCharge),
			deliveryTax: cents(fixture.deliveryTax),
			deliveryReturned: 0,
			deliveryTaxReturned: 0,
			excessFunds: cents(fixture.excessFunds),
			createdDate: fixture.createdDate,
			items: fixture.items.map((item) => ({
				id: item.id,
				name: item.name,
				productCode: item.productCode,
				quantity: item.quantity,
				quantityReturned: 0,
				unitPrice: cents(item.unitPrice),
				unitTax: cents(item.unitTax),
			})),
		};
		this.orderSummaries.set(summary.id, summary);
		return summary;
	}

	private addSeededChangeOrder(fixture: ChangeOrderFixture): void {
		const summary = this.orderSummaries.get(fixture.orderSummaryId);
		if (!summary) throw new Error(`fixture change order ${fixture.id}: unknown order summary ${fixture.orderSummaryId}`);
		const changes = fixture.items.map(({ orderItemSummaryId, quantity }) => {
			const item = summary.items.find((candidate) => candidate.id === orderItemSummaryId);
			if (!item || item.quantity - item.quantityReturned < quantity) throw new Error(`fixture change order ${fixture.id}: bad item ${orderItemSummaryId}`);
			return { item, quantity };
		});
		this.submitReturn(summary, changes, fixture.shippingReduction, fixture.createdDate, fixture.id);
	}

	private addSeededCreditMemo(fixture: CreditMemoFixture): void {
		const changes = fixture.changeOrderIds.map((id) => {
			const change = this.changeOrders.get(id);
			if (!change || change.creditMemoId) throw new Error(`fixture credit memo ${fixture.id}: change order ${id} unknown or already credited`);
			return change;
		});
		const summary = this.orderSummaries.get(changes[0].orderSummaryId) as OrderSummary;
		const memo = this.createCreditMemo(summary, changes, fixture.createdDate, this.fixture.userId, fixture.id, fixture.documentNumber);
		memo.Description = fixture.description ?? null;
		this.documentNumber = Math.max(this.documentNumber, Number(fixture.documentNumber.replace(/\D/g, '')));
	}

	/** Bulk order summaries for fault-injection runs: two items of `unitsPerItem` units each, no delivery charge. */
	private generateBulk(spec: SalesforceFixture['generated']): void {
		for (let index = 1; index <= spec.bulkOrderSummaries; index++) {
			const number = String(900 + index);
			this.addOrderSummary({
				id: makeId(KEY_PREFIX.orderSummary, 900 + index),
				orderNumber: `00000${number}`,
				accountId: makeId(KEY_PREFIX.account, 900 + index),
				currency: 'USD',
				status: 'Fulfilled',
				deliveryCharge: '0',
				createdDate: spec.createdDate,
				items: [
					{ id: makeId(KEY_PREFIX.orderItemSummary, 9000 + index * 10 + 1), name: 'Sandbox Sticker', productCode: 'STICKER-SANDBOX', quantity: spec.unitsPerItem, unitPrice: '1.00', unitTax: '0.08' },
					{ id: makeId(KEY_PREFIX.orderItemSummary, 9000 + index * 10 + 2), name: 'Sandbox Pin', productCode: 'PIN-SANDBOX', quantity: spec.unitsPerItem, unitPrice: '2.50' },
				],
			});
		}
	}

	/** One-unit change orders spread over the bulk summaries' stickers, ready for create-credit-memo. */
	private generateUncreditedChangeOrders(spec: SalesforceFixture['generated']): void {
		for (let index = 1; index <= spec.uncreditedChangeOrders; index++) {
			const summary = this.orderSummaries.get(makeId(KEY_PREFIX.orderSummary, 900 + ((index - 1) % spec.bulkOrderSummaries) + 1)) as OrderSummary;
			this.submitReturn(summary, [{ item: summary.items[0], quantity: 1 }], false, spec.createdDate, makeId(KEY_PREFIX.order, 900_000 + index));
		}
	}
}

export function changeTotal(change: ChangeOrder): number {
	return change.deliveryAmount + change.deliveryTax + change.lines.reduce((sum, line) => sum + line.productAmount + line.taxAmount, 0);
}
