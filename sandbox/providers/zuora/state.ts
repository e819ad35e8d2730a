/**
 * One Zuora tenant: accounts, invoices with items, product rate plan charges and credit memos, with the rules that
 * keep a memo from crediting more than an invoice item (amount, tax, quantity) still has. Amounts are integer cents.
 */
import { isoDate, sqlDateTime } from '../../util/http';
import { formatMinor, fromMinor, toMinor } from '../../util/money';
import { hexId, type Random } from '../../util/random';
import type { VersionBand } from './validation';

export interface ZuoraFixture {
	tenantId: string;
	userId: string;
	clients: Array<{ clientId: string; clientSecret: string }>;
	tokenTtlSeconds: number;
	tenantDefaultVersion: string;
	reasonCodes: string[];
	defaultReasonCode: string;
	customFields: { creditMemo: string[]; creditMemoItem: string[] };
	memoNumberStart: number;
	accounts: Array<{ id: string; accountNumber: string; name: string; currency: string }>;
	productRatePlanCharges: Array<{ id: string; name: string; price: number; uom?: string }>;
	invoices: Array<{
		id: string;
		invoiceNumber: string;
		accountId: string;
		status: 'Posted' | 'Draft' | 'Canceled';
		currency: string;
		invoiceDate: string;
		items: Array<{
			id: string;
			skuName: string;
			chargeName: string;
			amount: number;
			quantity: number;
			taxAmount: number;
			unitOfMeasure?: string;
			serviceStartDate?: string;
			serviceEndDate?: string;
		}>;
	}>;
	creditMemos: Array<{
		id: string;
		number: string;
		invoiceId: string;
		items: Array<Record<string, unknown>>;
		comment?: string;
		createdDate: string;
	}>;
}

type Invoice = ZuoraFixture['invoices'][number];
type InvoiceItem = Invoice['items'][number];

/** Zuora error codes: 6-digit resource code + 2-digit category (docs: error handling). Resource codes are ours. */
export const ZUORA_CODES = {
	invalidValue: 53501020,
	unknownField: 53501021,
	missingField: 53501022,
	invalidQueryParameter: 53501027,
	businessRule: 53501030,
	notFound: 50000040,
	unsupportedMethod: 50000045,
	lockingContention: 50000050,
	internal: 50000060,
	temporary: 50000061,
	concurrencyLimit: 50000070,
	malformedJson: 50000090,
	authentication: 90000011,
} as const;

export interface Reason {
	code: number;
	message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; reasons: Reason[] };

const fail = (code: number, message: string): { ok: false; reasons: Reason[] } => ({ ok: false, reasons: [{ code, message }] });

interface MemoItem {
	id: string;
	invoiceItemId?: string;
	productRatePlanChargeId?: string;
	skuName?: string;
	amount: number;
	taxAmount: number;
	quantity?: number;
	text?: string;
	serviceStartDate?: string;
	serviceEndDate?: string;
}

export interface Memo {
	seq: number;
	id: string;
	number: string;
	accountId: string;
	currency: string;
	status: 'Draft' | 'Posted' | 'Canceled';
	comment: string | null;
	reasonCode: string;
	referredInvoiceId: string | null;
	source: 'AdhocFromInvoice' | 'AdhocFromPrpc';
	sourceType: 'Invoice' | 'Standalone';
	creditMemoDate: string;
	createdDate: string;
	updatedDate: string;
	postedOn: string | null;
	postedById: string | null;
	cancelledOn: string | null;
	cancelledById: string | null;
	excludeFromAutoApplyRules: boolean;
	autoApplyUponPosting: boolean;
	transferredToAccounting: 'Processing' | 'Yes' | 'No' | 'Error' | 'Ignore';
	customFields: Record<string, unknown>;
	/** Set when the client chose the number (standalone `number`): the business key the ledger shows. */
	customNumber: boolean;
	items: MemoItem[];
}

const money = (minor: number) => fromMinor(minor, 2);

export class ZuoraState {
	memos: Memo[] = [];
	private seq = 0;
	private nextNumber: number;

	constructor(
		readonly fixture: ZuoraFixture,
		private readonly random: Random,
	) {
		this.nextNumber = fixture.memoNumberStart;
		for (const seeded of fixture.creditMemos) {
			const created = new Date(`${seeded.createdDate.replace(' ', 'T')}Z`);
			const result = this.createFromInvoice(
				{ invoiceId: seeded.invoiceId, items: seeded.items, comment: seeded.comment },
				{ band: 'current', now: created, id: seeded.id, number: seeded.number },
			);
			if (!result.ok) throw new Error(`zuora.json: seeded memo ${seeded.id} is invalid: ${JSON.stringify(result.reasons)}`);
		}
	}

	newId(): string {
		return hexId(this.random, 32);
	}

	processId(): string {
		return hexId(this.random, 16).toUpperCase();
	}

	account(key: string) {
		return this.fixture.accounts.find((account) => account.id === key || account.accountNumber === key);
	}

	invoice(key: string) {
		return this.fixture.invoices.find((invoice) => invoice.id === key || invoice.invoiceNumber === key);
	}

	memo(key: string) {
		return this.memos.find((memo) => memo.id === key || memo.number === key);
	}

	/** What is still creditable on an invoice item: amount, tax and quantity (canceled memos do not count). */
	available(item: InvoiceItem, pending: MemoItem[] = []) {
		const credited = this.memos
			.filter((memo) => memo.status !== 'Canceled')
			.flatMap((memo) => memo.items)
			.concat(pending)
			.filter((memoItem) => memoItem.invoiceItemId === item.id);
		return {
			amount: toMinor(item.amount)! - credited.reduce((sum, memoItem) => sum + memoItem.amount, 0),
			taxAmount: toMinor(item.taxAmount)! - credited.reduce((sum, memoItem) => sum + memoItem.taxAmount, 0),
			quantity: item.quantity - credited.reduce((sum, memoItem) => sum + (memoItem.quantity ?? 0), 0),
		};
	}

	/**
	 * POST /v1/credit-memos/invoice/{invoiceKey} and bulk `sourceType: Invoice`. `body` passed schema validation.
	 * `pathInvoice` is the invoice named by the path (single create).
	 */
	createFromInvoice(
		body: Record<string, unknown>,
		options: { band: VersionBand; now: Date; pathInvoice?: Invoice; id?: string; number?: string },
	): Result<Memo> {
		const invoiceId = String(body.invoiceId);
		const invoice = this.fixture.invoices.find((candidate) => candidate.id === invoiceId);
		if (!invoice) return fail(ZUORA_CODES.notFound, `Cannot find a Invoice instance with id ${invoiceId}.`);
		if (options.pathInvoice && options.pathInvoice.id !== invoice.id) {
			return fail(ZUORA_CODES.invalidValue, `Invalid value for field invoiceId: ${invoiceId} is not the invoice ${options.pathInvoice.invoiceNumber} of the request path.`);
		}
		if (invoice.status !== 'Posted') {
			return fail(ZUORA_CODES.businessRule, `The invoice ${invoice.invoiceNumber} is in ${invoice.status} status. Credit memos can only be created from posted invoices.`);
		}
		const common = this.commonFields(body);
		if (!common.ok) return common;

		const textField = options.band === 'current' ? 'description' : 'comment';
		const requested = (body.items as Array<Record<string, unknown>> | undefined) ?? [];
		const items: MemoItem[] = [];
		if (requested.length === 0) {
			// No items: everything still creditable on the invoice.
			for (const invoiceItem of invoice.items) {
				const left = this.available(invoiceItem);
				if (left.amount > 0 || left.taxAmount > 0) {
					items.push({ id: this.newId(), invoiceItemId: invoiceItem.id, skuName: invoiceItem.skuName, amount: left.amount, taxAmount: left.taxAmount, quantity: left.quantity });
				}
			}
			if (items.length === 0) return fail(ZUORA_CODES.businessRule, `The invoice ${invoice.invoiceNumber} has no balance left to credit.`);
		}
		for (const [index, raw] of requested.entries()) {
			const at = `items[${index}]`;
			const invoiceItem = invoice.items.find((candidate) => candidate.id === raw.invoiceItemId);
			if (!invoiceItem) return fail(ZUORA_CODES.notFound, `Cannot find a InvoiceItem instance with id ${String(raw.invoiceItemId)}.`);
			if (raw.skuName !== invoiceItem.skuName) {
				return fail(ZUORA_CODES.invalidValue, `Invalid value for field ${at}.skuName: ${String(raw.skuName)} is not the SKU of invoice item ${invoiceItem.id} (${invoiceItem.skuName}).`);
			}
			const amount = this.amount(raw.amount as number, `${at}.amount`, invoice.currency);
			if (!amount.ok) return amount;
			if (amount.value < 0) return fail(ZUORA_CODES.invalidValue, `Invalid value for field ${at}.amount: must not be negative.`);
			const taxItems = (raw.taxItems as Array<Record<string, unknown>> | undefined) ?? [];
			let taxAmount = 0;
			for (const [taxIndex, tax] of taxItems.entries()) {
				if (tax.amount === undefined) continue;
				const parsed = this.amount(tax.amount as number, `${at}.taxItems[${taxIndex}].amount`, invoice.currency);
				if (!parsed.ok) return parsed;
				taxAmount += parsed.value;
			}
			const quantity = raw.quantity as number | undefined;
			if (quantity !== undefined && !(quantity > 0)) return fail(ZUORA_CODES.invalidValue, `Invalid value for field ${at}.quantity: must be greater than 0.`);
			const left = this.available(invoiceItem, items);
			if (amount.value > left.amount) {
				return fail(
					ZUORA_CODES.businessRule,
					`The credit memo item amount ${formatMinor(amount.value)} exceeds the available amount ${formatMinor(Math.max(0, left.amount))} of invoice item ${invoiceItem.id}.`,
				);
			}
			if (taxAmount > left.taxAmount) {
				return fail(
					ZUORA_CODES.businessRule,
					`The credit taxation amount ${formatMinor(taxAmount)} exceeds the available tax amount ${formatMinor(Math.max(0, left.taxAmount))} of invoice item ${invoiceItem.id}.`,
				);
			}
			if (quantity !== undefined && quantity > left.quantity) {
				return fail(ZUORA_CODES.businessRule, `The quantity ${quantity} exceeds the available quantity ${left.quantity} of invoice item ${invoiceItem.id}.`);
			}
			items.push({
				id: this.newId(),
				invoiceItemId: invoiceItem.id,
				skuName: invoiceItem.skuName,
				amount: amount.value,
				taxAmount,
				quantity,
				text: raw[textField] as string | undefined,
				serviceStartDate: (raw.serviceStartDate as string | undefined) ?? invoiceItem.serviceStartDate,
				serviceEndDate: (raw.serviceEndDate as string | undefined) ?? invoiceItem.serviceEndDate,
			});
		}
		if (options.number !== undefined && this.memo(options.number)) return fail(ZUORA_CODES.businessRule, `The credit memo number ${options.number} already exists.`);
		return {
			ok: true,
			value: this.commit({
				...common.value,
				id: options.id,
				number: options.number,
				accountId: invoice.accountId,
				currency: invoice.currency,
				referredInvoiceId: invoice.id,
				source: 'AdhocFromInvoice',
				sourceType: 'Invoice',
				items,
				now: options.now,
				effectiveDate: body.effectiveDate as string | undefined,
				autoPost: body.autoPost === true,
			}),
		};
	}

	/** POST /v1/credit-memos and bulk `sourceType: Standalone`: from product rate plan charges. */
	createFromCharges(body: Record<string, unknown>, options: { band: VersionBand; now: Date }): Result<Memo> {
		const byId = body.accountId === undefined ? undefined : this.fixture.accounts.find((account) => account.id === body.accountId);
		const byNumber = body.accountNumber === undefined ? undefined : this.fixture.accounts.find((account) => account.accountNumber === body.accountNumber);
		if (body.accountId === undefined && body.accountNumber === undefined) {
			return fail(ZUORA_CODES.missingField, "Required field 'accountId' is missing: specify accountId, accountNumber, or both.");
		}
		if (body.accountId !== undefined && !byId) return fail(ZUORA_CODES.notFound, `Cannot find a Account instance with id ${String(body.accountId)}.`);
		if (body.accountNumber !== undefined && !byNumber) return fail(ZUORA_CODES.notFound, `Cannot find a Account instance with number ${String(body.accountNumber)}.`);
		if (byId && byNumber && byId !== byNumber) {
			return fail(ZUORA_CODES.invalidValue, `Invalid value for field accountNumber: ${byNumber.accountNumber} is not the number of account ${byId.id}.`);
		}
		const account = (byId ?? byNumber)!;
		if (body.currency !== undefined && body.currency !== account.currency) {
			return fail(ZUORA_CODES.invalidValue, `Invalid value for field currency: ${String(body.currency)} is not the currency of account ${account.accountNumber} (${account.currency}).`);
		}
		const number = body.number as string | undefined;
		if (number !== undefined) {
			if (!/^[A-Za-z0-9_-]{1,32}$/.test(number)) {
				return fail(ZUORA_CODES.invalidValue, 'Invalid value for field number: use at most 32 characters of a-z, A-Z, 0-9, - and _.');
			}
			if (this.memo(number)) return fail(ZUORA_CODES.businessRule, `The credit memo number ${number} already exists.`);
		}
		const common = this.commonFields(body);
		if (!common.ok) return common;

		const chargeField = options.band === 'current' ? 'productRatePlanChargeId' : 'chargeId';
		const amountField = options.band === 'before224' ? 'memoItemAmount' : 'amount';
		const textField = options.band === 'current' ? 'description' : 'comment';
		const charges = (body.charges as Array<Record<string, unknown>> | undefined) ?? [];
		if (charges.length === 0) return fail(ZUORA_CODES.missingField, "Required field 'charges' is missing: a credit memo from charges needs at least one charge.");
		const items: MemoItem[] = [];
		for (const [index, charge] of charges.entries()) {
			const at = `charges[${index}]`;
			const prpc = this.fixture.productRatePlanCharges.find((candidate) => candidate.id === charge[chargeField]);
			if (!prpc) return fail(ZUORA_CODES.notFound, `Cannot find a ProductRatePlanCharge instance with id ${String(charge[chargeField])}.`);
			const quantity = charge.quantity as number | undefined;
			if (quantity !== undefined && !(quantity > 0)) return fail(ZUORA_CODES.invalidValue, `Invalid value for field ${at}.quantity: must be greater than 0.`);
			const given = charge[amountField] as number | undefined;
			const amount = given === undefined ? { ok: true as const, value: Math.round(toMinor(prpc.price)! * (quantity ?? 1)) } : this.amount(given, `${at}.${amountField}`, account.currency);
			if (!amount.ok) return amount;
			if (amount.value < 0) return fail(ZUORA_CODES.invalidValue, `Invalid value for field ${at}.${amountField}: must not be negative.`);
			items.push({
				id: this.newId(),
				productRatePlanChargeId: prpc.id,
				skuName: prpc.name,
				amount: amount.value,
				taxAmount: 0,
				quantity,
				text: charge[textField] as string | undefined,
				serviceStartDate: charge.serviceStartDate as string | undefined,
				serviceEndDate: charge.serviceEndDate as string | undefined,
			});
		}
		return {
			ok: true,
			value: this.commit({
				...common.value,
				number,
				accountId: account.id,
				currency: account.currency,
				referredInvoiceId: null,
				source: 'AdhocFromPrpc',
				sourceType: 'Standalone',
				items,
				now: options.now,
				effectiveDate: body.effectiveDate as string | undefined,
				autoPost: body.autoPost === true,
			}),
		};
	}

	/** PUT /v1/credit-memos/{key}: comment, custom fields and transferredToAccounting any time; the rest only in Draft. */
	update(memo: Memo, body: Record<string, unknown>, now: Date, band: VersionBand): Result<Memo> {
		if (memo.status === 'Canceled') return fail(ZUORA_CODES.businessRule, `The credit memo ${memo.number} is canceled and cannot be updated.`);
		const draftOnly = ['reasonCode', 'effectiveDate', 'items', 'autoApplyUponPosting', 'excludeFromAutoApplyRules'].filter((field) => body[field] !== undefined);
		if (draftOnly.length && memo.status !== 'Draft') {
			return fail(ZUORA_CODES.businessRule, `Only credit memos in Draft status can be updated with ${draftOnly.join(', ')}; ${memo.number} is ${memo.status}.`);
		}
		if (body.reasonCode !== undefined && !this.fixture.reasonCodes.includes(String(body.reasonCode))) {
			return fail(ZUORA_CODES.invalidValue, `Invalid value for field reasonCode: ${String(body.reasonCode)} is not a reason code of the tenant.`);
		}
		const itemUpdates = (body.items as Array<Record<string, unknown>> | undefined) ?? [];
		for (const [index, update] of itemUpdates.entries()) {
			const target = memo.items.find((item) => item.id === update.id);
			if (!target) return fail(ZUORA_CODES.notFound, `Cannot find a CreditMemoItem instance with id ${String(update.id)}.`);
			// The sandbox changes item text only; amounts, quantities and deletions would need a full re-rating.
			const unsupported = ['amount', 'quantity', 'delete', 'taxItems'].filter((field) => update[field] !== undefined);
			if (unsupported.length) {
				return fail(ZUORA_CODES.businessRule, `Updating items[${index}].${unsupported.join(', ')} is not supported by the sandbox.`);
			}
		}
		for (const update of itemUpdates) {
			const target = memo.items.find((item) => item.id === update.id)!;
			const text = update[band === 'current' ? 'description' : 'comment'] ?? update.comment;
			if (text !== undefined) target.text = String(text);
		}
		if (body.comment !== undefined) memo.comment = String(body.comment);
		if (body.reasonCode !== undefined) memo.reasonCode = String(body.reasonCode);
		if (body.effectiveDate !== undefined) memo.creditMemoDate = String(body.effectiveDate);
		if (body.autoApplyUponPosting !== undefined) memo.autoApplyUponPosting = Boolean(body.autoApplyUponPosting);
		if (body.excludeFromAutoApplyRules !== undefined) memo.excludeFromAutoApplyRules = Boolean(body.excludeFromAutoApplyRules);
		if (body.transferredToAccounting !== undefined) memo.transferredToAccounting = body.transferredToAccounting as Memo['transferredToAccounting'];
		for (const field of this.fixture.customFields.creditMemo) if (body[field] !== undefined) memo.customFields[field] = body[field];
		memo.updatedDate = sqlDateTime(now);
		return { ok: true, value: memo };
	}

	cancel(memo: Memo, now: Date): Result<Memo> {
		if (memo.status !== 'Draft') {
			return fail(ZUORA_CODES.businessRule, `Only credit memos in Draft status can be canceled; ${memo.number} is ${memo.status}.`);
		}
		memo.status = 'Canceled';
		memo.cancelledOn = sqlDateTime(now);
		memo.cancelledById = this.fixture.userId;
		memo.updatedDate = sqlDateTime(now);
		return { ok: true, value: memo };
	}

	post(memo: Memo, now: Date): Result<Memo> {
		if (memo.status !== 'Draft') return fail(ZUORA_CODES.businessRule, `Only credit memos in Draft status can be posted; ${memo.number} is ${memo.status}.`);
		memo.status = 'Posted';
		memo.postedOn = sqlDateTime(now);
		memo.postedById = this.fixture.userId;
		memo.updatedDate = sqlDateTime(now);
		return { ok: true, value: memo };
	}

	/** GETCreditMemoType, plus the memo's custom fields, as the API returns it. */
	render(memo: Memo): Record<string, unknown> {
		const taxAmount = memo.items.reduce((sum, item) => sum + item.taxAmount, 0);
		const amount = memo.items.reduce((sum, item) => sum + item.amount, 0) + taxAmount;
		const account = this.account(memo.accountId)!;
		return {
			id: memo.id,
			number: memo.number,
			accountId: memo.accountId,
			accountNumber: account.accountNumber,
			currency: memo.currency,
			creditMemoDate: memo.creditMemoDate,
			targetDate: null,
			postedById: memo.postedById,
			postedOn: memo.postedOn,
			status: memo.status,
			amount: money(amount),
			taxAmount: money(taxAmount),
			totalTaxExemptAmount: 0,
			unappliedAmount: memo.status === 'Canceled' ? 0 : money(amount),
			refundAmount: 0,
			appliedAmount: 0,
			comment: memo.comment,
			source: memo.source,
			sourceId: null,
			referredInvoiceId: memo.referredInvoiceId,
			reasonCode: memo.reasonCode,
			createdDate: memo.createdDate,
			createdById: this.fixture.userId,
			updatedDate: memo.updatedDate,
			updatedById: this.fixture.userId,
			cancelledOn: memo.cancelledOn,
			cancelledById: memo.cancelledById,
			latestPDFFileId: null,
			transferredToAccounting: memo.transferredToAccounting,
			excludeFromAutoApplyRules: memo.excludeFromAutoApplyRules,
			autoApplyUponPosting: memo.autoApplyUponPosting,
			reversed: false,
			taxStatus: 'Complete',
			sourceType: memo.sourceType,
			// einvoiceStatus is left out: the spec's enum has no null, and there is no e-invoicing here.
			einvoiceErrorCode: null,
			einvoiceErrorMessage: null,
			einvoiceFileId: null,
			taxMessage: null,
			billToContactId: null,
			billToContactSnapshotId: null,
			sequenceSetId: null,
			invoiceGroupNumber: null,
			revenueImpacting: 'Yes',
			...memo.customFields,
			success: true,
		};
	}

	/** Custom fields, reason code, comment: shared by both sources. */
	private commonFields(body: Record<string, unknown>): Result<{ comment: string | null; reasonCode: string; customFields: Record<string, unknown>; excludeFromAutoApplyRules: boolean; autoApplyUponPosting: boolean }> {
		const reasonCode = body.reasonCode === undefined || body.reasonCode === '' ? this.fixture.defaultReasonCode : String(body.reasonCode);
		if (!this.fixture.reasonCodes.includes(reasonCode)) {
			return fail(ZUORA_CODES.invalidValue, `Invalid value for field reasonCode: ${reasonCode} is not a reason code of the tenant.`);
		}
		const customFields: Record<string, unknown> = {};
		for (const field of this.fixture.customFields.creditMemo) if (body[field] !== undefined) customFields[field] = body[field];
		return {
			ok: true,
			value: {
				comment: (body.comment as string | undefined) ?? null,
				reasonCode,
				customFields,
				excludeFromAutoApplyRules: body.excludeFromAutoApplyRules === true,
				autoApplyUponPosting: body.autoApplyToInvoiceUponPosting === true,
			},
		};
	}

	/** "the specified amount with decimal places is validated based on the decimal places supported by each currency" */
	private amount(value: number, field: string, currency: string): Result<number> {
		const minor = toMinor(value, 2);
		if (minor === undefined) return fail(ZUORA_CODES.invalidValue, `Invalid value for field ${field}: ${value} has more decimal places than the currency ${currency} allows (2).`);
		return { ok: true, value: minor };
	}

	private commit(draft: {
		id?: string;
		number?: string;
		accountId: string;
		currency: string;
		referredInvoiceId: string | null;
		source: Memo['source'];
		sourceType: Memo['sourceType'];
		items: MemoItem[];
		now: Date;
		effectiveDate?: string;
		autoPost: boolean;
		comment: string | null;
		reasonCode: string;
		customFields: Record<string, unknown>;
		excludeFromAutoApplyRules: boolean;
		autoApplyUponPosting: boolean;
	}): Memo {
		const stamp = sqlDateTime(draft.now);
		const memo: Memo = {
			seq: ++this.seq,
			id: draft.id ?? this.newId(),
			number: draft.number ?? this.generateNumber(),
			accountId: draft.accountId,
			currency: draft.currency,
			status: draft.autoPost ? 'Posted' : 'Draft',
			comment: draft.comment,
			reasonCode: draft.reasonCode,
			referredInvoiceId: draft.referredInvoiceId,
			source: draft.source,
			sourceType: draft.sourceType,
			creditMemoDate: draft.effectiveDate ?? isoDate(draft.now),
			createdDate: stamp,
			updatedDate: stamp,
			postedOn: draft.autoPost ? stamp : null,
			postedById: draft.autoPost ? this.fixture.userId : null,
			cancelledOn: null,
			cancelledById: null,
			excludeFromAutoApplyRules: draft.excludeFromAutoApplyRules,
			autoApplyUponPosting: draft.autoApplyUponPosting,
			transferredToAccounting: 'No',
			customFields: draft.customFields,
			customNumber: draft.number !== undefined,
			items: draft.items,
		};
		this.memos.push(memo);
		return memo;
	}

	private generateNumber(): string {
		let number: string;
		do number = `CM${String(this.nextNumber++).padStart(8, '0')}`;
		while (this.memo(number));
		return number;
	}
}
