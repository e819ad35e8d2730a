/**
 * The data API resources under `/services/data/vXX.X/`: the Order Management actions (create-credit-memo,
 * submit-return, ensure-refunds-async), `sobjects/CreditMemo/{id}` (GET, PATCH Description),
 * `sobjects/CreditMemo/describe` and `query` (CreditMemo, CreditMemoLine, OrderItem).
 *
 * Error forms chosen where the docs leave a choice (sandbox/README.md, "Salesforce"):
 * - create-credit-memo: an unknown or malformed change order ID -> 400 Error with Output, errorCode
 *   INVALID_ID_FIELD; a change order already credited -> 400 Error with Output, errorCode INVALID_INPUT (the only
 *   use of INVALID_INPUT by this action, so a client can match on it); a change order of another order summary
 *   -> 201 with success:false, errorCode FIELD_INTEGRITY_EXCEPTION; the same ID twice -> 400 Error with Output,
 *   DUPLICATE_VALUE. All change orders are checked before anything is created (all or nothing).
 * - a missing required input -> 400 `[{errorCode: INVALID_API_INPUT}]`; an undeclared field or wrong JSON type
 *   -> 400 `[{errorCode: JSON_PARSER_ERROR}]`; an unknown order summary -> 404 `[{errorCode: NOT_FOUND}]`.
 */
import type { SandboxRequest, SandboxResponse } from '../../types';
import { KEY_PREFIX, normaliseId } from './ids';
import { NOT_FOUND, errorWithOutput, json, methodNotAllowed, parseObjectBody, restError, unrecognizedField, wrongType, type SalesforceError } from './responses';
import { SoqlError, executeSoql, parseSoql, type FieldDef, type FieldValue, type SObjectTable } from './soql';
import { RETURN_REASONS, changeTotal, money, sfDateTime, type ChangeOrder, type CreditMemo, type OrderItemSummary, type OrderSummary, type SalesforceState } from './state';

export interface ApiContext {
	state: SalesforceState;
	now(): Date;
	/** A credit memo was created (the ledger). */
	created(memo: CreditMemo, request: SandboxRequest): void;
	userId: string;
}

/** CreditMemo fields (API 48.0+), plus the sandbox-only ChangeOrderIds__c. */
export const CREDIT_MEMO_FIELDS: FieldDef[] = [
	{ name: 'Id', type: 'id' },
	{ name: 'DocumentNumber', type: 'string' },
	{ name: 'AccountId', type: 'reference' },
	{ name: 'ReferenceEntityId', type: 'reference' },
	{ name: 'Status', type: 'picklist' },
	{ name: 'CurrencyIsoCode', type: 'picklist' },
	{ name: 'EffectiveDate', type: 'date' },
	{ name: 'TotalChargeAmount', type: 'currency' },
	{ name: 'TotalAdjustmentAmount', type: 'currency' },
	{ name: 'TotalAmount', type: 'currency' },
	{ name: 'TotalTaxAmount', type: 'currency' },
	{ name: 'TotalAmountWithTax', type: 'currency' },
	{ name: 'Description', type: 'textarea' },
	{ name: 'CreatedDate', type: 'datetime' },
	{ name: 'CreatedById', type: 'reference' },
	{ name: 'LastModifiedDate', type: 'datetime' },
	{ name: 'LastModifiedById', type: 'reference' },
	{ name: 'SystemModstamp', type: 'datetime' },
	{ name: 'ChangeOrderIds__c', type: 'textarea' },
];

const UPDATEABLE = ['Description'];
const DESCRIPTION_MAX = 32000;

/** The change orders' order products: what a credit memo line credits (CreditMemoLine.ReferenceEntityItemId). */
export const ORDER_ITEM_FIELDS: FieldDef[] = [
	{ name: 'Id', type: 'id' },
	{ name: 'OrderId', type: 'reference' },
	{ name: 'OrderItemSummaryId', type: 'reference' },
	{ name: 'Type', type: 'picklist' },
	{ name: 'TotalPrice', type: 'currency' },
];

export const CREDIT_MEMO_LINE_FIELDS: FieldDef[] = [
	{ name: 'Id', type: 'id' },
	{ name: 'CreditMemoId', type: 'reference' },
	{ name: 'ReferenceEntityItemId', type: 'reference' },
	{ name: 'ReferenceEntityItemType', type: 'picklist' },
	{ name: 'ChargeAmount', type: 'currency' },
	{ name: 'TaxAmount', type: 'currency' },
];

function orderItemRows(state: SalesforceState): Array<Record<string, FieldValue>> {
	return [...state.changeOrders.values()].flatMap((change) => [
		...change.lines.map((line) => ({ Id: line.orderItemId, OrderId: change.id, OrderItemSummaryId: line.orderItemSummaryId, Type: 'Order Product', TotalPrice: -money(line.productAmount) })),
		...(change.deliveryOrderItemId ? [{ Id: change.deliveryOrderItemId, OrderId: change.id, OrderItemSummaryId: null, Type: 'Delivery Charge', TotalPrice: -money(change.deliveryAmount) }] : []),
	]);
}

function creditMemoLineRows(state: SalesforceState): Array<Record<string, FieldValue>> {
	return [...state.creditMemos.values()].flatMap((memo) =>
		memo.lines.map((line) => ({
			Id: line.Id,
			CreditMemoId: memo.Id,
			ReferenceEntityItemId: line.ReferenceEntityItemId,
			ReferenceEntityItemType: line.type,
			ChargeAmount: money(line.chargeAmount),
			TaxAmount: money(line.taxAmount),
		})),
	);
}

/** Field lengths `describe` reports (Salesforce's for the types; Description as this org has it). */
const FIELD_LENGTHS: Partial<Record<FieldDef['type'], number>> = { id: 18, reference: 18, string: 255, picklist: 255, textarea: 32000 };

/** `GET sobjects/CreditMemo/describe`: the fields with their type, length and whether they can be updated. */
export function describeCreditMemo(request: SandboxRequest): SandboxResponse {
	if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed(request.method, ['GET', 'HEAD']);
	return json(200, {
		name: 'CreditMemo',
		label: 'Credit Memo',
		keyPrefix: KEY_PREFIX.creditMemo,
		updateable: true,
		createable: false,
		fields: CREDIT_MEMO_FIELDS.map((field) => ({
			name: field.name,
			type: field.type,
			length: field.name === 'Description' ? DESCRIPTION_MAX : (FIELD_LENGTHS[field.type] ?? 0),
			updateable: UPDATEABLE.includes(field.name),
			nillable: field.type !== 'id',
		})),
	});
}

export function creditMemoRecord(memo: CreditMemo): Record<string, FieldValue> {
	return {
		Id: memo.Id,
		DocumentNumber: memo.DocumentNumber,
		AccountId: memo.AccountId,
		ReferenceEntityId: memo.ReferenceEntityId,
		Status: memo.Status,
		CurrencyIsoCode: memo.CurrencyIsoCode,
		EffectiveDate: memo.EffectiveDate,
		TotalChargeAmount: money(memo.chargeAmount),
		TotalAdjustmentAmount: 0,
		TotalAmount: money(memo.chargeAmount),
		TotalTaxAmount: money(memo.taxAmount),
		TotalAmountWithTax: money(memo.chargeAmount + memo.taxAmount),
		Description: memo.Description,
		CreatedDate: memo.CreatedDate,
		CreatedById: memo.CreatedById,
		LastModifiedDate: memo.LastModifiedDate,
		LastModifiedById: memo.LastModifiedById,
		SystemModstamp: memo.LastModifiedDate,
		ChangeOrderIds__c: memo.changeOrderIds.join(','),
	};
}

function attributes(version: string, id: string, type = 'CreditMemo') {
	return { type, url: `/services/data/${version}/sobjects/${type}/${id}` };
}

function summaryOf(context: ApiContext, rawId: string): OrderSummary | undefined {
	const id = normaliseId(rawId);
	return id ? context.state.orderSummaries.get(id) : undefined;
}

function failure(errors: SalesforceError[], extra: Record<string, unknown>): Record<string, unknown> {
	return { ...extra, errors, success: false };
}

// ---------------------------------------------------------------- create-credit-memo

export function createCreditMemo(context: ApiContext, request: SandboxRequest, summaryId: string): SandboxResponse {
	const summary = summaryOf(context, summaryId);
	if (!summary) return NOT_FOUND();
	const body = parseObjectBody(request.rawBody, ['changeOrderIds']);
	if (!body.ok) return body.response;
	const ids = body.value.changeOrderIds;
	if (ids === undefined || ids === null || (Array.isArray(ids) && ids.length === 0)) {
		return restError(400, 'INVALID_API_INPUT', 'Missing required input parameter: changeOrderIds');
	}
	if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) return wrongType(request.rawBody, 'changeOrderIds', 'java.util.List<java.lang.String>', ids);

	const refuse = (status: number, error: SalesforceError) =>
		status < 300 ? json(status, failure([error], { creditMemoId: null })) : errorWithOutput(status, error.message, failure([error], { creditMemoId: null }));
	const changes: ChangeOrder[] = [];
	for (const raw of ids as string[]) {
		const id = normaliseId(raw);
		const change = id && id.startsWith(KEY_PREFIX.order) ? context.state.changeOrders.get(id) : undefined;
		if (!change) return refuse(400, { errorCode: 'INVALID_ID_FIELD', message: `The change order ID ${raw} isn't valid.` });
		if (changes.includes(change)) return refuse(400, { errorCode: 'DUPLICATE_VALUE', message: `The change order ${change.id} is listed more than once.` });
		if (change.orderSummaryId !== summary.id) {
			return refuse(201, { errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: `The change order ${change.id} doesn't belong to the order summary ${summary.id}.` });
		}
		if (change.creditMemoId) {
			return refuse(400, { errorCode: 'INVALID_INPUT', message: `The change order ${change.id} has already been used to create a credit memo.` });
		}
		changes.push(change);
	}
	const memo = context.state.createCreditMemo(summary, changes, sfDateTime(context.now()), context.userId);
	context.created(memo, request);
	return json(201, { creditMemoId: memo.Id, errors: [], success: true });
}

// ---------------------------------------------------------------- submit-return

const CHANGE_ITEM_FIELDS = ['orderItemSummaryId', 'quantity', 'reason', 'shippingReductionFlag'];

export function submitReturn(context: ApiContext, request: SandboxRequest, summaryId: string): SandboxResponse {
	const summary = summaryOf(context, summaryId);
	if (!summary) return NOT_FOUND();
	const body = parseObjectBody(request.rawBody, ['changeItems']);
	if (!body.ok) return body.response;
	const items = body.value.changeItems;
	if (items === undefined || items === null || (Array.isArray(items) && items.length === 0)) {
		return restError(400, 'INVALID_API_INPUT', 'Missing required input parameter: changeItems');
	}
	if (!Array.isArray(items)) return wrongType(request.rawBody, 'changeItems', 'java.util.List<ChangeItemInput>', items);
	const refuse = (error: SalesforceError) => errorWithOutput(400, error.message, failure([error], { changeOrderId: null, changeBalances: null }));

	const changes: Array<{ item: OrderItemSummary; quantity: number }> = [];
	let shippingReduction = false;
	for (const entry of items as unknown[]) {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return wrongType(request.rawBody, 'changeItems', 'ChangeItemInput', entry);
		const change = entry as Record<string, unknown>;
		const unknown = Object.keys(change).find((key) => !CHANGE_ITEM_FIELDS.includes(key));
		if (unknown) return unrecognizedField(request.rawBody, unknown);
		for (const field of CHANGE_ITEM_FIELDS) {
			if (change[field] === undefined || change[field] === null) return restError(400, 'INVALID_API_INPUT', `Missing required input parameter: ${field}`);
		}
		if (typeof change.orderItemSummaryId !== 'string') return wrongType(request.rawBody, 'orderItemSummaryId', 'java.lang.String', change.orderItemSummaryId);
		if (typeof change.quantity !== 'number') return wrongType(request.rawBody, 'quantity', 'java.lang.Double', change.quantity);
		if (typeof change.reason !== 'string') return wrongType(request.rawBody, 'reason', 'java.lang.String', change.reason);
		if (typeof change.shippingReductionFlag !== 'boolean') return wrongType(request.rawBody, 'shippingReductionFlag', 'java.lang.Boolean', change.shippingReductionFlag);
		const itemId = normaliseId(change.orderItemSummaryId);
		const item = summary.items.find((candidate) => candidate.id === itemId);
		if (!item) return refuse({ errorCode: 'INVALID_ID_FIELD', message: `The order item summary ${change.orderItemSummaryId} doesn't belong to the order summary ${summary.id}.` });
		if (!RETURN_REASONS.includes(change.reason)) {
			return refuse({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: `Reason: bad value for restricted picklist field: ${change.reason}` });
		}
		const alreadyListed = changes.filter((other) => other.item === item).reduce((sum, other) => sum + other.quantity, 0);
		const available = item.quantity - item.quantityReturned - alreadyListed;
		if (!(change.quantity > 0) || !Number.isInteger(change.quantity)) {
			return refuse({ errorCode: 'INVALID_INPUT', message: `The quantity for order item summary ${item.id} must be a positive whole number.` });
		}
		if (change.quantity > available) {
			return refuse({ errorCode: 'INVALID_INPUT', message: `The quantity to return for order item summary ${item.id} (${change.quantity}) exceeds the quantity available to return (${available}).` });
		}
		changes.push({ item, quantity: change.quantity });
		shippingReduction ||= change.shippingReductionFlag;
	}
	const change = context.state.submitReturn(summary, changes, shippingReduction, sfDateTime(context.now()));
	const products = change.lines.reduce((sum, line) => sum + line.productAmount, 0);
	const productTax = change.lines.reduce((sum, line) => sum + line.taxAmount, 0);
	const refundable = context.state.refundable(summary);
	return json(201, {
		changeBalances: {
			grandTotalAmount: money(changeTotal(change)),
			totalAdjDeliveryAmtWithTax: 0,
			totalAdjDistAmountWithTax: 0,
			totalAdjProductAmtWithTax: 0,
			totalAdjustedDeliveryAmount: money(change.deliveryAmount),
			totalAdjustedDeliveryTaxAmount: money(change.deliveryTax),
			totalAdjustedProductAmount: money(products),
			totalAdjustedProductTaxAmount: money(productTax),
			totalAdjustmentDistributedAmount: 0,
			totalAdjustmentDistributedTaxAmount: 0,
			totalAmount: money(products + change.deliveryAmount),
			totalExcessFundsAmount: money(summary.excessFunds),
			totalRefundableAmount: money(refundable),
			totalTaxAmount: money(productTax + change.deliveryTax),
		},
		changeOrderId: change.id,
		errors: [],
		success: true,
	});
}

// ---------------------------------------------------------------- ensure-refunds-async

export function ensureRefundsAsync(context: ApiContext, request: SandboxRequest, summaryId: string): SandboxResponse {
	const summary = summaryOf(context, summaryId);
	if (!summary) return NOT_FOUND();
	const body = parseObjectBody(request.rawBody, ['creditMemoId', 'excessFundsAmount']);
	if (!body.ok) return body.response;
	const { creditMemoId, excessFundsAmount } = body.value;
	if ((creditMemoId === undefined || creditMemoId === null) && (excessFundsAmount === undefined || excessFundsAmount === null)) {
		return restError(400, 'INVALID_API_INPUT', 'Provide a creditMemoId, an excessFundsAmount, or both.');
	}
	if (creditMemoId !== undefined && creditMemoId !== null && typeof creditMemoId !== 'string') return wrongType(request.rawBody, 'creditMemoId', 'java.lang.String', creditMemoId);
	if (excessFundsAmount !== undefined && excessFundsAmount !== null && typeof excessFundsAmount !== 'number') return wrongType(request.rawBody, 'excessFundsAmount', 'java.lang.Double', excessFundsAmount);
	const refuse = (error: SalesforceError) => errorWithOutput(400, error.message, failure([error], { backgroundOperationId: null }));

	let memo: CreditMemo | undefined;
	if (typeof creditMemoId === 'string') {
		const id = normaliseId(creditMemoId);
		memo = id ? context.state.creditMemos.get(id) : undefined;
		if (!memo || memo.ReferenceEntityId !== summary.id) return refuse({ errorCode: 'INVALID_ID_FIELD', message: `The credit memo ${creditMemoId} isn't valid for the order summary ${summary.id}.` });
		const id18 = memo.Id;
		if ([...context.state.backgroundOperations.values()].some((operation) => operation.creditMemoId === id18)) {
			return refuse({ errorCode: 'INVALID_INPUT', message: `Refunds have already been ensured for the credit memo ${id18}.` });
		}
	}
	let excessCents: number | undefined;
	if (typeof excessFundsAmount === 'number') {
		excessCents = Math.round(excessFundsAmount * 100);
		if (!(excessCents > 0) || excessCents > summary.excessFunds) {
			return refuse({ errorCode: 'INVALID_INPUT', message: `The excess funds amount must be greater than 0 and at most ${money(summary.excessFunds).toFixed(2)}.` });
		}
		summary.excessFunds -= excessCents;
	}
	const operation = { id: context.state.nextId(KEY_PREFIX.backgroundOperation), orderSummaryId: summary.id, creditMemoId: memo?.Id, excessFundsAmount: excessCents, createdDate: sfDateTime(context.now()) };
	context.state.backgroundOperations.set(operation.id, operation);
	return json(201, { backgroundOperationId: operation.id, errors: [], success: true });
}

// ---------------------------------------------------------------- sobjects/CreditMemo/{id}

export function creditMemoResource(context: ApiContext, request: SandboxRequest, version: string, rawId: string): SandboxResponse {
	const id = normaliseId(rawId);
	const memo = id && id.startsWith(KEY_PREFIX.creditMemo) ? context.state.creditMemos.get(id) : undefined;
	if (request.method !== 'GET' && request.method !== 'PATCH' && request.method !== 'HEAD') return methodNotAllowed(request.method, ['GET', 'PATCH', 'HEAD']);
	if (!memo) return NOT_FOUND();
	if (request.method === 'PATCH') return updateCreditMemo(context, request, memo);
	const record = creditMemoRecord(memo);
	const requested = request.query.get('fields');
	let selected = CREDIT_MEMO_FIELDS;
	if (requested) {
		const names = requested.split(',').map((name) => name.trim());
		const unknown = names.find((name) => !CREDIT_MEMO_FIELDS.some((field) => field.name.toLowerCase() === name.toLowerCase()));
		if (unknown) return restError(400, 'INVALID_FIELD', `No such column '${unknown}' on sobject of type CreditMemo`);
		selected = CREDIT_MEMO_FIELDS.filter((field) => names.some((name) => name.toLowerCase() === field.name.toLowerCase()));
	}
	return json(200, { attributes: attributes(version, memo.Id), ...Object.fromEntries(selected.map((field) => [field.name, record[field.name]])) });
}

function updateCreditMemo(context: ApiContext, request: SandboxRequest, memo: CreditMemo): SandboxResponse {
	const body = parseObjectBody(request.rawBody, CREDIT_MEMO_FIELDS.map((field) => field.name));
	if (!body.ok) {
		// An sObject body with a field the object does not have is INVALID_FIELD, not a parser error.
		const unknown = parseUnknownField(request.rawBody);
		return unknown ? restError(400, 'INVALID_FIELD', `No such column '${unknown}' on sobject of type CreditMemo`, [unknown]) : body.response;
	}
	const readOnly = Object.keys(body.value).filter((key) => !UPDATEABLE.includes(key));
	if (readOnly.length > 0) {
		return restError(
			400,
			'INVALID_FIELD_FOR_INSERT_UPDATE',
			`Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
			readOnly,
		);
	}
	const description = body.value.Description;
	if (description !== undefined && description !== null && typeof description !== 'string') return wrongType(request.rawBody, 'Description', 'java.lang.String', description);
	if (typeof description === 'string' && description.length > DESCRIPTION_MAX) {
		return restError(400, 'STRING_TOO_LONG', `Description: data value too large: ${description.slice(0, 20)}... (max length=${DESCRIPTION_MAX})`, ['Description']);
	}
	if (description !== undefined) memo.Description = description === '' ? null : (description as string | null);
	memo.LastModifiedDate = sfDateTime(context.now());
	memo.LastModifiedById = context.userId;
	return { status: 204 };
}

function parseUnknownField(raw: string): string | undefined {
	try {
		const value = JSON.parse(raw) as unknown;
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
		return Object.keys(value).find((key) => !CREDIT_MEMO_FIELDS.some((field) => field.name === key));
	} catch {
		return undefined;
	}
}

// ---------------------------------------------------------------- query

export interface QueryCursor {
	version: string;
	records: Array<Record<string, unknown>>;
	totalSize: number;
}

const DEFAULT_BATCH = 2000;

export class QueryService {
	private readonly cursors = new Map<string, QueryCursor>();

	constructor(private readonly context: ApiContext) {}

	private tables(): SObjectTable[] {
		return [
			{ name: 'CreditMemo', fields: CREDIT_MEMO_FIELDS, rows: () => [...this.context.state.creditMemos.values()].map(creditMemoRecord) },
			{ name: 'CreditMemoLine', fields: CREDIT_MEMO_LINE_FIELDS, rows: () => creditMemoLineRows(this.context.state) },
			{ name: 'OrderItem', fields: ORDER_ITEM_FIELDS, rows: () => orderItemRows(this.context.state) },
		];
	}

	query(request: SandboxRequest, version: string): SandboxResponse {
		const soql = request.query.get('q');
		if (!soql || soql.trim() === '') return restError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
		let result;
		let count: boolean;
		let type: string;
		try {
			const parsed = parseSoql(soql, this.tables());
			count = parsed.count;
			type = parsed.table.name;
			result = executeSoql(parsed);
		} catch (error) {
			if (error instanceof SoqlError) return restError(400, error.errorCode, error.message);
			throw error;
		}
		if (count) return json(200, { totalSize: result.totalSize, done: true, records: [] });
		const records = result.records.map((record) => ({ attributes: attributes(version, String(record.Id ?? ''), type), ...record }));
		return this.page({ version, records, totalSize: result.totalSize }, 0, this.batchSize(request));
	}

	more(request: SandboxRequest, version: string, locator: string): SandboxResponse {
		const match = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(locator);
		const cursor = match ? this.cursors.get(match[1]) : undefined;
		if (!match || !cursor) return restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
		return this.page({ ...cursor, version }, Number(match[2]), this.batchSize(request), match[1]);
	}

	private page(cursor: QueryCursor, offset: number, size: number, existing?: string): SandboxResponse {
		const records = cursor.records.slice(offset, offset + size);
		const done = offset + size >= cursor.records.length;
		const body: Record<string, unknown> = { totalSize: cursor.totalSize, done, records };
		if (!done) {
			const locator = existing ?? this.context.state.nextId(KEY_PREFIX.queryLocator);
			this.cursors.set(locator, cursor);
			body.nextRecordsUrl = `/services/data/${cursor.version}/query/${locator}-${offset + size}`;
		} else if (existing) {
			this.cursors.delete(existing);
		}
		return json(200, body);
	}

	/** `Sforce-Query-Options: batchSize=N` (200..2000; default 2000), at most the fixture's queryBatchSize. */
	private batchSize(request: SandboxRequest): number {
		const header = request.headers['sforce-query-options'];
		const match = /batchSize=(\d+)/i.exec(Array.isArray(header) ? header[0] : (header ?? ''));
		const asked = match ? Math.min(DEFAULT_BATCH, Math.max(200, Number(match[1]))) : DEFAULT_BATCH;
		return Math.min(asked, this.context.state.fixture.queryBatchSize ?? DEFAULT_BATCH);
	}
}
