/**
 * Rebilly's credit memos, customers and invoices, and the rules that keep a memo from crediting more than was
 * invoiced. Amounts are integer micro-units (6 decimals) so every sum is exact.
 */
import { formatAmount, fromMinor, toMinor } from '../../util/money';
import { base32Id, type Random } from '../../util/random';
import type { InvalidField } from './validation';

/** Amounts keep up to 6 decimals (unit prices such as 0.0125 exist); messages show 2. */
const DECIMALS = 6;

export interface RebillyFixture {
	organizations: string[];
	apiKeys: Record<string, string[]>;
	rateLimit: { limit: number; windowSeconds: number };
	customers: Array<{ id: string; firstName?: string; lastName?: string; email?: string }>;
	invoices: Array<{
		id: string;
		customerId: string;
		currency: string;
		status: string;
		shippingAmount: number;
		items: Array<{ id: string; description?: string; unitPrice: number; quantity: number; productId?: string | null; planId?: string | null; taxAmount?: number }>;
	}>;
	creditMemos: Array<Record<string, unknown> & { id: string; createdTime: string }>;
}

interface MemoItem {
	id: string;
	invoiceItemId: string | null;
	description?: string;
	unitPrice: number;
	quantity: number;
	productId: string | null;
	planId: string | null;
	tax: (Record<string, unknown> & { amount: number }) | null;
}

interface Allocation {
	id: string;
	amount: number;
	createdTime: string;
	updatedTime: string;
}

export interface Memo {
	seq: number;
	id: string;
	number: number;
	customerId: string;
	currency: string;
	invoiceId: string | null;
	reason?: string;
	description?: string;
	shippingAmount: number;
	items: MemoItem[];
	allocations: { transactions: Allocation[]; invoices: Allocation[] };
	status: 'issued' | 'applied' | 'partially-applied' | 'voided';
	revision: number;
	createdTime: string;
	updatedTime: string;
	timeline: TimelineMessage[];
}

export interface TimelineMessage {
	id: string;
	type?: 'credit-memo-created' | 'credit-memo-voided';
	triggeredBy: 'rebilly' | 'direct-api';
	message: string;
	occurredTime: string;
}

function totals(memo: Pick<Memo, 'items' | 'shippingAmount' | 'allocations' | 'status'>) {
	const itemsTotal = memo.items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
	const taxAmount = memo.items.reduce((sum, item) => sum + (item.tax?.amount ?? 0), 0);
	const totalAmount = itemsTotal + taxAmount + memo.shippingAmount;
	const allocated = [...memo.allocations.transactions, ...memo.allocations.invoices].reduce((sum, allocation) => sum + allocation.amount, 0);
	const unusedAmount = memo.status === 'voided' ? 0 : Math.max(0, totalAmount - allocated);
	return { taxAmount, totalAmount, unusedAmount };
}

/** `{ ... }` of the spec's CreditMemo (readOnly fields included), as the API returns it. */
export function renderMemo(memo: Memo, selfUrl: string, organizationUrl: string): Record<string, unknown> {
	const { taxAmount, totalAmount, unusedAmount } = totals(memo);
	const money = (minor: number) => fromMinor(minor, DECIMALS);
	const links = [
		{ href: selfUrl, rel: 'self' },
		{ href: `${organizationUrl}/customers/${memo.customerId}`, rel: 'customer' },
	];
	if (memo.invoiceId) links.push({ href: `${organizationUrl}/invoices/${memo.invoiceId}`, rel: 'invoice' });
	const allocation = (entry: Allocation, key: 'transactionId' | 'invoiceId') => ({
		[key]: entry.id,
		amount: money(entry.amount),
		currency: memo.currency,
		createdTime: entry.createdTime,
		updatedTime: entry.updatedTime,
	});
	return {
		id: memo.id,
		number: memo.number,
		customerId: memo.customerId,
		currency: memo.currency,
		invoiceId: memo.invoiceId,
		quoteId: null,
		status: memo.status,
		...(memo.reason !== undefined ? { reason: memo.reason } : {}),
		...(memo.description !== undefined ? { description: memo.description } : {}),
		items: memo.items.map((item) => ({
			id: item.id,
			invoiceItemId: item.invoiceItemId,
			...(item.description !== undefined ? { description: item.description } : {}),
			unitPrice: money(item.unitPrice),
			quantity: item.quantity,
			price: money(item.unitPrice * item.quantity),
			productId: item.productId,
			planId: item.planId,
			tax: item.tax ? { ...item.tax, amount: money(item.tax.amount) } : null,
		})),
		shippingAmount: money(memo.shippingAmount),
		taxAmount: money(taxAmount),
		totalAmount: money(totalAmount),
		unusedAmount: money(unusedAmount),
		allocations: {
			transactions: memo.allocations.transactions.map((entry) => allocation(entry, 'transactionId')),
			invoices: memo.allocations.invoices.map((entry) => allocation(entry, 'invoiceId')),
		},
		revision: memo.revision,
		createdTime: memo.createdTime,
		updatedTime: memo.updatedTime,
		_links: links,
	};
}

/** The writable fields of a stored memo, as a request body (PATCH merges into this). */
export function writableBody(memo: Memo): Record<string, unknown> {
	return {
		customerId: memo.customerId,
		currency: memo.currency,
		invoiceId: memo.invoiceId,
		...(memo.reason !== undefined ? { reason: memo.reason } : {}),
		...(memo.description !== undefined ? { description: memo.description } : {}),
		shippingAmount: fromMinor(memo.shippingAmount, DECIMALS),
		items: memo.items.map((item) => ({
			invoiceItemId: item.invoiceItemId,
			...(item.description !== undefined ? { description: item.description } : {}),
			unitPrice: fromMinor(item.unitPrice, DECIMALS),
			quantity: item.quantity,
			productId: item.productId,
			planId: item.planId,
			tax: item.tax ? { ...item.tax, amount: fromMinor(item.tax.amount, DECIMALS) } : null,
		})),
		allocations: {
			transactions: memo.allocations.transactions.map((entry) => ({ transactionId: entry.id, amount: fromMinor(entry.amount, DECIMALS) })),
			invoices: memo.allocations.invoices.map((entry) => ({ invoiceId: entry.id, amount: fromMinor(entry.amount, DECIMALS) })),
		},
	};
}

export function rebillyTime(date: Date): string {
	return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export class RebillyState {
	memos = new Map<string, Memo>();
	private seq = 0;

	constructor(
		readonly fixture: RebillyFixture,
		private readonly random: Random,
	) {
		for (const seeded of fixture.creditMemos) {
			const built = this.build(seeded, undefined, seeded.id, new Date(seeded.createdTime));
			if ('invalidFields' in built) throw new Error(`rebilly.json: seeded memo ${seeded.id} is invalid: ${JSON.stringify(built.invalidFields)}`);
			this.store(built.memo);
		}
	}

	newId(prefix: string): string {
		return `${prefix}${base32Id(this.random, 26)}`;
	}

	customer(id: string) {
		return this.fixture.customers.find((customer) => customer.id === id);
	}

	invoice(id: string) {
		return this.fixture.invoices.find((invoice) => invoice.id === id);
	}

	store(memo: Memo): void {
		this.memos.set(memo.id, memo);
	}

	/**
	 * Builds a memo from a validated body (readOnly fields already dropped), enforcing the business rules:
	 * known customer and invoice, same currency, invoice items of that invoice, and never more credited than invoiced.
	 * `existing` is the memo an upsert/patch replaces (its own amounts do not count against the invoice).
	 */
	build(body: Record<string, unknown>, existing: Memo | undefined, id: string, now: Date): { memo: Memo } | { invalidFields: InvalidField[] } {
		const invalid: InvalidField[] = [];
		const customerId = String(body.customerId);
		const currency = String(body.currency);
		if (!this.customer(customerId)) invalid.push({ field: 'customerId', message: `Customer ${customerId} not found.` });
		if (!/^[A-Z]{3}$/.test(currency)) invalid.push({ field: 'currency', message: 'This value is not a valid currency.' });

		const invoiceId = (body.invoiceId as string | null | undefined) ?? null;
		const invoice = invoiceId === null ? undefined : this.invoice(invoiceId);
		if (invoiceId !== null && !invoice) invalid.push({ field: 'invoiceId', message: `Invoice ${invoiceId} not found.` });
		if (invoice && invoice.customerId !== customerId) {
			invalid.push({ field: 'invoiceId', message: `Invoice ${invoiceId} belongs to another customer.` });
		}
		if (invoice && invoice.currency !== currency) {
			invalid.push({ field: 'currency', message: `The currency must be the invoice currency (${invoice.currency}).` });
		}

		const amount = (value: unknown, field: string, allowNegative = false): number => {
			const minor = typeof value === 'number' ? toMinor(value, DECIMALS) : undefined;
			if (minor === undefined) invalid.push({ field, message: 'This value is not valid.' });
			else if (!allowNegative && minor < 0) invalid.push({ field, message: 'This value should be either positive or zero.' });
			return minor ?? 0;
		};

		const shippingAmount = body.shippingAmount === undefined ? 0 : amount(body.shippingAmount, 'shippingAmount');
		const rawItems = (body.items as Array<Record<string, unknown>> | undefined) ?? [];
		const items: MemoItem[] = rawItems.map((raw, index) => {
			const at = `items.${index}`;
			const quantity = raw.quantity as number;
			if (!(quantity > 0)) invalid.push({ field: `${at}.quantity`, message: 'This value should be positive.' });
			const invoiceItemId = (raw.invoiceItemId as string | null | undefined) ?? null;
			if (invoiceItemId !== null) {
				if (!invoice) {
					if (invoiceId === null) invalid.push({ field: `${at}.invoiceItemId`, message: 'An invoice item needs the invoiceId of its invoice.' });
				} else if (!invoice.items.some((item) => item.id === invoiceItemId)) {
					invalid.push({ field: `${at}.invoiceItemId`, message: `Invoice item ${invoiceItemId} is not an item of invoice ${invoice.id}.` });
				}
			}
			const rawTax = raw.tax as Record<string, unknown> | null | undefined;
			return {
				id: existing?.items[index]?.id ?? this.newId('crmm_itm_'),
				invoiceItemId,
				...(raw.description !== undefined ? { description: String(raw.description) } : {}),
				unitPrice: amount(raw.unitPrice, `${at}.unitPrice`),
				quantity,
				productId: (raw.productId as string | null | undefined) ?? null,
				planId: (raw.planId as string | null | undefined) ?? null,
				tax: rawTax ? { ...rawTax, amount: amount(rawTax.amount, `${at}.tax.amount`) } : null,
			};
		});

		const allocationsBody = (body.allocations as Record<string, Array<Record<string, unknown>>> | undefined) ?? {};
		const stamp = rebillyTime(now);
		const allocations = {
			transactions: (allocationsBody.transactions ?? []).map((entry, index) => ({
				id: String(entry.transactionId ?? ''),
				amount: amount(entry.amount ?? 0, `allocations.transactions.${index}.amount`),
				createdTime: stamp,
				updatedTime: stamp,
			})),
			invoices: (allocationsBody.invoices ?? []).map((entry, index) => {
				const target = this.invoice(String(entry.invoiceId ?? ''));
				if (!target || target.customerId !== customerId) {
					invalid.push({ field: `allocations.invoices.${index}.invoiceId`, message: `Invoice ${String(entry.invoiceId)} not found for this customer.` });
				}
				return { id: String(entry.invoiceId ?? ''), amount: amount(entry.amount ?? 0, `allocations.invoices.${index}.amount`), createdTime: stamp, updatedTime: stamp };
			}),
		};
		allocations.transactions.forEach((entry, index) => {
			if (!entry.id) invalid.push({ field: `allocations.transactions.${index}.transactionId`, message: 'This value should not be blank.' });
		});

		if (invalid.length === 0 && invoice) this.checkInvoiceLimits(invoice, items, shippingAmount, existing?.id, invalid);
		if (invalid.length) return { invalidFields: invalid };

		const draft = { items, shippingAmount, allocations, status: 'issued' as Memo['status'] };
		const { totalAmount, unusedAmount } = totals(draft);
		const allocated = totalAmount - unusedAmount;
		const status: Memo['status'] = allocated <= 0 ? 'issued' : unusedAmount === 0 ? 'applied' : 'partially-applied';
		const stampNow = rebillyTime(now);
		return {
			memo: {
				seq: existing?.seq ?? ++this.seq,
				id,
				number: existing?.number ?? this.nextNumber(customerId),
				customerId,
				currency,
				invoiceId,
				...(body.reason !== undefined ? { reason: String(body.reason) } : {}),
				...(body.description !== undefined ? { description: String(body.description) } : {}),
				shippingAmount,
				items,
				allocations,
				status,
				revision: existing ? existing.revision + 1 : 1,
				createdTime: existing?.createdTime ?? stampNow,
				updatedTime: stampNow,
				timeline: existing?.timeline ?? [
					{ id: this.newId('tmln_'), type: 'credit-memo-created', triggeredBy: 'direct-api', message: 'Credit memo created.', occurredTime: stampNow },
				],
			},
		};
	}

	/** What is still creditable on an invoice: per item quantity, shipping and money (non-voided memos count). */
	private checkInvoiceLimits(
		invoice: RebillyFixture['invoices'][number],
		items: MemoItem[],
		shippingAmount: number,
		excludeId: string | undefined,
		invalid: InvalidField[],
	): void {
		const others = [...this.memos.values()].filter((memo) => memo.invoiceId === invoice.id && memo.status !== 'voided' && memo.id !== excludeId);
		items.forEach((item, index) => {
			if (!item.invoiceItemId) return;
			const invoiced = invoice.items.find((candidate) => candidate.id === item.invoiceItemId)!;
			const credited = others
				.flatMap((memo) => memo.items)
				.concat(items.slice(0, index))
				.filter((other) => other.invoiceItemId === item.invoiceItemId)
				.reduce((sum, other) => sum + other.quantity, 0);
			const left = invoiced.quantity - credited;
			if (item.quantity > left) {
				invalid.push({
					field: `items.${index}.quantity`,
					message: `Invalid quantity: ${left} of invoice item ${invoiced.id} can still be credited, ${item.quantity} requested.`,
				});
			}
		});
		const invoiceShipping = toMinor(invoice.shippingAmount, DECIMALS) ?? 0;
		const shippingCredited = others.reduce((sum, memo) => sum + memo.shippingAmount, 0);
		if (shippingAmount > invoiceShipping - shippingCredited) {
			invalid.push({
				field: 'shippingAmount',
				message: `The most shipping available to credit on invoice ${invoice.id} is ${formatAmount(invoiceShipping - shippingCredited, DECIMALS)}.`,
			});
		}
		const invoiceTotal =
			invoice.items.reduce((sum, item) => sum + (toMinor(item.unitPrice, DECIMALS) ?? 0) * item.quantity + (toMinor(item.taxAmount ?? 0, DECIMALS) ?? 0), 0) +
			invoiceShipping;
		const creditedTotal = others.reduce((sum, memo) => sum + totals(memo).totalAmount, 0);
		const thisTotal = totals({ items, shippingAmount, allocations: { transactions: [], invoices: [] }, status: 'issued' }).totalAmount;
		if (thisTotal > invoiceTotal - creditedTotal) {
			invalid.push({
				field: 'invoiceId',
				message: `The most money available to credit on invoice ${invoice.id} is ${formatAmount(invoiceTotal - creditedTotal, DECIMALS)} ${invoice.currency}.`,
			});
		}
	}

	private nextNumber(customerId: string): number {
		return [...this.memos.values()].filter((memo) => memo.customerId === customerId).length + 1;
	}
}
