import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../../nodes/shared/errors';
import { MAGENTO_SOURCES } from '../../../nodes/shared/providers/magentoRest/fields';
import type { MagentoCreateInput } from '../../../nodes/shared/providers/magentoRest/mappers';
import {
	checkRefundableBalance,
	findHistoryEntry,
	fromCreditMemo,
	fromHistoryEntry,
	readCommentInput,
	readCreateInput,
	toHistoryRequest,
	toLookupRequest,
	withReference,
} from '../../../nodes/shared/providers/magentoRest/mappers';
import type { ParamReader } from '../../../nodes/shared/types';

function params(values: IDataObject, retryOnFail = false): ParamReader {
	return { itemIndex: 0, retryOnFail, get: <T>(name: string, fallback?: T) => (name in values ? values[name] : fallback) as T };
}

const SOURCE_KEYS = ['invoice_id', 'invoice_increment_id', 'order_id', 'order_increment_id'];

const hostile = fc.oneof(
	fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, -0, 0.00001, 1.5, 1e21, 1e-9, 0.1 + 0.2, 4294967296, '', ' ', 'abc', '1,5', '10 ', ' 10', '0x1A', '<x>&amp;', ']]>', '__proto__', 'constructor', 'open', '3', null, true, {}, [], '9'.repeat(40)),
	fc.double(),
	fc.integer(),
	fc.string(),
	fc.string({ unit: 'binary' }),
);

/** Hostile values mixed with valid ones, so the valid path is exercised often enough to be checked too. */
const sometimesValid = (valid: fc.Arbitrary<unknown>) => fc.oneof(valid, hostile);
const identity = fc.oneof(
	fc.record({ orderItemId: sometimesValid(fc.integer({ min: 1, max: 4294967295 })), sku: fc.constant('') }),
	fc.record({ orderItemId: fc.constant(''), sku: sometimesValid(fc.string({ minLength: 1, maxLength: 64 })) }),
	fc.record({ orderItemId: hostile, sku: hostile }),
);
const quantity = sometimesValid(fc.integer({ min: 1, max: 1_000_000 }).map((tenThousandths) => tenThousandths / 10_000));
const amount = fc.option(sometimesValid(fc.integer({ min: 0, max: 100_000_000 }).map((cents) => cents / 100)), { nil: undefined });

/** Everything a valid body must be, whatever the input was. */
function expectValidBody(input: MagentoCreateInput) {
	const { body } = input;
	expect(SOURCE_KEYS.filter((key) => key in body)).toHaveLength(1);
	expect(['offline', 'online']).toContain(body.refund_type);
	for (const item of body.items ?? []) {
		expect(('order_item_id' in item) !== ('sku' in item)).toBe(true);
		if (item.order_item_id !== undefined) expect(Number.isInteger(item.order_item_id) && item.order_item_id >= 1 && item.order_item_id <= 4294967295).toBe(true);
		expect(Number.isFinite(item.qty) && item.qty > 0).toBe(true);
		expect(Math.round(item.qty * 10000) / 10000).toBe(item.qty);
	}
	for (const amount of [body.shipping_amount, body.adjustment_positive, body.adjustment_negative]) {
		if (amount !== undefined) expect(Number.isFinite(amount) && amount >= 0).toBe(true);
	}
	expect(JSON.parse(JSON.stringify(body))).toEqual(body);
}

describe('Magento REST mapping', () => {
	it('turns any hostile item and amount values into a valid body or an InputError naming the field, never anything else', () => {
		fc.assert(
			// Mostly one identifier per item (the valid shape), sometimes both or neither.
			fc.property(identity, quantity, amount, amount, amount, ({ orderItemId, sku }, qty, shipping, adjustmentPositive, adjustmentNegative) => {
				let input: MagentoCreateInput;
				try {
					input = readCreateInput(
						params({
							magentoRestSourceType: 'invoiceIncrementId',
							invoiceIncrementId: '100000045',
							itemsInputMode: 'fields',
							magentoRestItems: { item: [{ orderItemId, sku, qty }] },
							magentoRestAdditionalFields: { shippingAmount: shipping, adjustmentPositive, adjustmentNegative },
						}),
					);
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					expect((error as InputError).field).toMatch(/^Items\[1\]|^Shipping Amount$|^Adjustment (Refund|Fee)$/);
					return;
				}
				expectValidBody(input);
			}),
			{ numRuns: 500 },
		);
	});

	it('sends exactly one source identifier whatever else the parameters hold, and validates it', () => {
		fc.assert(
			fc.property(fc.constantFrom(...MAGENTO_SOURCES), hostile, (source, id) => {
				const values: IDataObject = { invoiceId: 456, invoiceIncrementId: '100000045', orderId: 123, orderIncrementId: '100000123' };
				values[source.value] = id;
				let input: MagentoCreateInput;
				try {
					input = readCreateInput(params({ ...values, magentoRestSourceType: source.value, magentoRestRefundScope: 'everythingLeft' }));
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					expect((error as InputError).field).toBe(source.label);
					return;
				}
				expectValidBody(input);
				expect(Object.keys(input.body)[0]).toBe(source.key);
				expect(typeof input.body[source.key]).toBe(source.entityId ? 'number' : 'string');
			}),
		);
	});

	it('keeps any comment and reference intact, ending with the reference marker, or refuses an over-long one', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 12_000 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 250 }), (comment, reference) => {
				let input: MagentoCreateInput;
				try {
					input = readCreateInput(
						params({ invoiceIncrementId: '1', magentoRestRefundScope: 'everythingLeft', magentoRestAdditionalFields: { comment }, refundReference: reference }),
					);
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					expect(['Comment', 'Refund Reference']).toContain((error as InputError).field);
					return;
				}
				const expected = withReference(comment.trim() || undefined, reference.trim() || undefined);
				expect(input.body.comment).toBe(expected);
				if (reference.trim()) expect(input.body.comment!.endsWith(`[ref:${reference.trim()}]`)).toBe(true);
				expect(JSON.parse(JSON.stringify(input.body)).comment).toBe(input.body.comment);
			}),
		);
	});

	it('reads JSON items strictly: one of order_item_id or sku, no unknown keys, no repeats, not empty', () => {
		const read = (itemsJson: IDataObject['itemsJson']) => () => readCreateInput(params({ invoiceIncrementId: '1', itemsInputMode: 'json', itemsJson }));
		expect(read('[{"order_item_id": 10, "qty": 1}, {"sku": "A", "qty": 0.5}]')().body.items).toEqual([{ order_item_id: 10, qty: 1 }, { sku: 'A', qty: 0.5 }]);
		expect(read([{ order_item_id: '10', qty: '2' }])().body.items).toEqual([{ order_item_id: 10, qty: 2 }]);
		expect(read('[{"orderItemId": 10, "qty": 1}]')).toThrow('Items (JSON)[0] has unknown field orderItemId');
		expect(read('[{"qty": 1}]')).toThrow('Items[1] needs an order item ID or a SKU');
		expect(read('[{"sku": "A", "qty": 1}, {"sku": "A", "qty": 2}]')).toThrow('Items[2] repeats SKU A of Items[1]');
		expect(read('[]')).toThrow('No items to refund');
		expect(read('')).toThrow('No items to refund');
		expect(read('{"sku": "A"}')).toThrow('Items (JSON) must be a JSON list');
	});

	it('refuses Retry On Fail and unknown option values before anything else', () => {
		expect(() => readCreateInput(params({ invoiceIncrementId: '1' }, true))).toThrow('Turn off Retry On Fail for Magento REST');
		expect(() => readCreateInput(params({ invoiceIncrementId: '1', refundType: 'Online' }))).toThrow('Refund Type must be offline or online, got "Online"');
		expect(() => readCreateInput(params({ magentoRestSourceType: 'creditmemoId' }))).toThrow('Source must be one of');
	});

	it('looks the source document up by the identifier the user gave', () => {
		const lookup = (sourceType: string, id: string | number) =>
			toLookupRequest('https://shop.test', readCreateInput(params({ magentoRestSourceType: sourceType, [sourceType]: id, magentoRestRefundScope: 'everythingLeft' })));
		expect(lookup('invoiceId', '456')).toEqual({ method: 'GET', url: 'https://shop.test/api2/invoice', headers: {}, qs: { id: 456 } });
		expect(lookup('invoiceIncrementId', '100000045').qs).toEqual({ increment_id: '100000045' });
		expect(lookup('orderId', 123).url).toBe('https://shop.test/api2/order');
		expect(lookup('orderIncrementId', '100000123').qs).toEqual({ increment_id: '100000123' });
	});
});

describe('Magento REST response normalisation', () => {
	const input = { reference: 'RET-1', body: { invoice_id: 1, refund_type: 'online' as const } };

	it('reads the memo from the documented-by-example Magento 1 names, in either envelope', () => {
		const record = { entity_id: '77', increment_id: 100000077, state: '3', grand_total: 12.5, order_currency_code: 'EUR', created_at: '2026-11-23 10:00:00' };
		for (const body of [{ creditmemo: record }, record, { credit_memo: record }]) {
			expect(fromCreditMemo(body, input)).toMatchObject({
				creditMemoId: '77',
				number: '100000077',
				status: 'canceled',
				totalAmount: 12.5,
				currency: 'EUR',
				createdAt: '2026-11-23 10:00:00',
				refundReference: 'RET-1',
				refundType: 'online',
				raw: body,
			});
		}
		expect(fromCreditMemo({ creditmemo_id: 5, base_grand_total: '9.9000', base_currency_code: 'USD' }, input)).toMatchObject({ creditMemoId: '5', totalAmount: 9.9, currency: 'USD' });
	});

	it('never throws and never invents: any body gives nulls for what it does not hold', () => {
		fc.assert(
			fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (body) => {
				const result = fromCreditMemo(body, input);
				expect(result.provider).toBe('magentoRest');
				if (!body || typeof body !== 'object' || Array.isArray(body)) {
					expect(result).toMatchObject({ creditMemoId: null, number: null, status: null, totalAmount: null, currency: null, createdAt: null, raw: {} });
				}
				if (result.totalAmount !== null) expect(Number.isFinite(result.totalAmount)).toBe(true);
			}),
		);
	});
});

describe('Magento REST refundable balance check', () => {
	const input = readCreateInput(params({ invoiceIncrementId: '100000045', itemsInputMode: 'json', itemsJson: [{ order_item_id: 10, qty: 1 }] }));

	it('passes what fits and returns the base currency', () => {
		expect(
			checkRefundableBalance({ state: 2, base_grand_total: '50', base_total_refunded: '20', base_currency_code: 'USD', items: [{ order_item_id: '10', qty: 2, qty_refunded: 1 }] }, input),
		).toEqual({ currency: 'USD' });
		// Without base_* fields the order-currency pair is used.
		expect(checkRefundableBalance({ grand_total: 50, total_refunded: null, order_currency_code: 'EUR' }, input)).toEqual({ currency: 'EUR' });
	});

	it('refuses fixed amounts above what is left', () => {
		const withAmounts = readCreateInput(
			params({ invoiceIncrementId: '100000045', magentoRestRefundScope: 'everythingLeft', magentoRestAdditionalFields: { shippingAmount: 10, adjustmentPositive: 15, adjustmentNegative: 4 } }),
		);
		expect(() => checkRefundableBalance({ base_grand_total: '20.9999', base_total_refunded: 0 }, withAmounts)).toThrow(
			'Shipping Amount + Adjustment Refund - Adjustment Fee (21) is more than the 20.9999 left to refund on invoice 100000045; nothing was sent',
		);
		expect(checkRefundableBalance({ base_grand_total: '21', base_total_refunded: 0 }, withAmounts)).toEqual({ currency: null });
	});

	it('never crashes on whatever the lookup returns: it passes, or refuses with an InputError', () => {
		const line = fc.record({ order_item_id: hostile, sku: hostile, qty: hostile, qty_refunded: hostile }, { requiredKeys: [] });
		const document = fc.record(
			{ state: hostile, base_grand_total: hostile, base_total_refunded: hostile, grand_total: hostile, total_refunded: hostile, items: fc.oneof(fc.array(line), hostile) },
			{ requiredKeys: [] },
		);
		fc.assert(
			fc.property(document, (doc) => {
				try {
					checkRefundableBalance(doc as IDataObject, input);
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
				}
			}),
		);
	});
});

describe('Magento REST order-history comment', () => {
	it('turns any memo ID, order and comment into a history body naming the memo, or an InputError naming the field', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('orderId', 'orderIncrementId'),
				sometimesValid(fc.integer({ min: 1, max: 4294967295 })),
				sometimesValid(fc.constantFrom('100000501', 'CM-7', 'a_b')),
				fc.oneof(hostile, fc.string({ unit: 'binary', maxLength: 11_000 })),
				(orderType, order, creditMemoId, comment) => {
					let input;
					try {
						input = readCommentInput(params({ magentoRestSourceType: orderType, [orderType]: order, creditMemoId, comment } as IDataObject));
					} catch (error) {
						expect(error).toBeInstanceOf(InputError);
						expect(['Credit Memo ID', 'Comment', orderType === 'orderId' ? 'Order ID' : 'Order Increment ID']).toContain((error as InputError).field);
						return;
					}
					expect(Object.keys(input.body).filter((key) => key.startsWith('order_'))).toEqual([orderType === 'orderId' ? 'order_id' : 'order_increment_id']);
					expect(input.body.comment.startsWith(`Credit memo ${input.creditMemoId}: `)).toBe(true);
					expect(input.body.comment.length).toBeLessThanOrEqual(10_000);
					expect(JSON.parse(JSON.stringify(input.body))).toEqual(input.body);
				},
			),
		);
	});

	it('refuses an invoice as the order, and reads the history of the order given', () => {
		expect(() => readCommentInput(params({ magentoRestSourceType: 'invoiceId', invoiceId: 1, creditMemoId: '1', comment: 'x' }))).toThrow('Order must be one of Order ID, Order Increment ID');
		const input = readCommentInput(params({ magentoRestSourceType: 'orderId', orderId: '123', creditMemoId: '501', comment: ' Approved ' }));
		expect(input.body).toEqual({ order_id: 123, comment: 'Credit memo 501: Approved' });
		expect(toHistoryRequest('https://shop.test', input)).toEqual({ method: 'GET', url: 'https://shop.test/api2/history', headers: {}, qs: { order_id: 123 } });
	});

	it('finds an existing note in any listing shape without throwing, and normalises the entry', () => {
		fc.assert(
			fc.property(fc.oneof(fc.anything(), fc.array(fc.record({ comment: fc.anything() }, { requiredKeys: [] }))), (body) => {
				const found = findHistoryEntry(body, 'Credit memo 1: x');
				if (found) expect(found.comment).toBe('Credit memo 1: x');
			}),
		);
		const input = readCommentInput(params({ orderIncrementId: '100000123', creditMemoId: '1', comment: 'x' }));
		expect(findHistoryEntry({ items: [{ comment: ' Credit memo 1: x ' }] }, input.body.comment)).toEqual({ comment: ' Credit memo 1: x ' });
		expect(fromHistoryEntry(undefined, input, false)).toEqual({ provider: 'magentoRest', creditMemoId: '1', comment: 'Credit memo 1: x', target: 'orderHistory', replayed: false, raw: {} });
	});
});
