import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../../nodes/shared/errors';
import { decimal, toText } from '../../../nodes/shared/money';
import { callEnvelope, readAnswer } from '../../../nodes/shared/providers/magentoSoap/envelopes';
import { parseXml } from '../../../nodes/shared/providers/magentoSoap/xml';
import type { MagentoSoapCreateInput, OrderSummary } from '../../../nodes/shared/providers/magentoSoap/mappers';
import { markerFingerprint, refundMarker } from '../../../nodes/shared/reference';
import {
	checkLines,
	createCall,
	fromCreditmemo,
	maximumTotal,
	memoComment,
	readCommentInput,
	readCreateInput,
	toOrderSummary,
} from '../../../nodes/shared/providers/magentoSoap/mappers';
import type { ApiStyle, Decoded } from '../../../nodes/shared/providers/magentoSoap/types';
import type { ParamReader } from '../../../nodes/shared/types';
import { MEMO_685, fixture } from '../../nodes/magentoSoap.store';

function reader(values: IDataObject): ParamReader {
	return { itemIndex: 0, get: <T>(name: string, fallback?: T) => (name in values ? values[name] : fallback) as T };
}

const base: IDataObject = {
	orderIncrementId: '100000683',
	magentoSoapItemsToRefund: 'listed',
	itemsInputMode: 'json',
	itemsJson: [{ order_item_id: 712, qty: 1 }],
	magentoSoapAdditionalFields: { shippingAmount: 0, comment: 'Returned tee', notifyCustomer: true },
	refundReference: 'RET-1',
	options: {},
};

const value = (style: ApiStyle, name: string) => (readAnswer(fixture(style, name)) as { value: Decoded }).value;
const order683 = (style: ApiStyle = 'v2') => toOrderSummary(value(style, 'order-683'), '100000683');

describe('reading Create Credit Memo\'s parameters', () => {
	it('reads the fields UI and the JSON list alike', () => {
		const json = readCreateInput(reader(base));
		const fields = readCreateInput(reader({ ...base, itemsInputMode: 'fields', magentoSoapItems: { item: [{ orderItemId: 712, qty: 1 }] } }));
		expect(fields).toEqual(json);
		expect(json).toMatchObject({
			orderIncrementId: '100000683',
			itemsToRefund: 'listed',
			lines: [{ orderItemId: '712', label: 'Items[1]' }],
			comment: 'Returned tee',
			notifyCustomer: true,
			includeComment: false,
			reference: 'RET-1',
			checkForExistingMemo: true,
			refundFingerprint: '9b739f93',
		});
		expect(toText(json.shippingAmount!)).toBe('0');
	});

	it('the fingerprint is the refund (order, items, amounts), not its comment or email flags', () => {
		const fingerprintOf = (changes: IDataObject) => readCreateInput(reader({ ...base, ...changes })).refundFingerprint;
		expect(fingerprintOf({ magentoSoapAdditionalFields: { shippingAmount: 0, comment: 'Another text', includeComment: true } })).toBe('9b739f93');
		expect(fingerprintOf({ itemsJson: [{ order_item_id: 712, qty: '1.0000' }] })).toBe('9b739f93');
		expect(fingerprintOf({ itemsJson: [{ order_item_id: 712, qty: 2 }] })).not.toBe('9b739f93');
		expect(fingerprintOf({ magentoSoapAdditionalFields: { shippingAmount: 1 } })).not.toBe('9b739f93');
		expect(fingerprintOf({ orderIncrementId: '100000684' })).not.toBe('9b739f93');
	});

	it.each([
		['Order Increment ID', { orderIncrementId: '' }, 'Order Increment ID is required'],
		['Items', { itemsJson: [] }, 'No items to refund are listed'],
		['Items[1] Quantity', { itemsJson: [{ order_item_id: 712, qty: 0 }] }, 'Items[1] Quantity must be greater than 0, got 0'],
		['Items[1] Quantity', { itemsJson: [{ order_item_id: 712, qty: -1 }] }, 'Items[1] Quantity must be greater than 0, got -1'],
		['Items[1] Order Item ID', { itemsJson: [{ order_item_id: 'TEE-M', qty: 1 }] }, 'Items[1] Order Item ID must be a plain decimal number such as 12.50, got "TEE-M"'],
		['Items[2] Order Item ID', { itemsJson: [{ order_item_id: 712, qty: 1 }, { order_item_id: 712, qty: 2 }] }, 'Order item 712 is listed twice'],
		['Items (JSON)[0]', { itemsJson: [{ sku: 'TEE', qty: 1 }] }, 'Items (JSON)[0] has unknown field sku'],
		['Items (JSON)', { itemsJson: '[{"order_item_id": 712' }, expect.stringMatching(/^Items \(JSON\) is not valid JSON/)],
		['Shipping Amount', { magentoSoapAdditionalFields: { shippingAmount: 'free' } }, 'Shipping Amount must be a plain decimal number such as 12.50, got "free"'],
		['Adjustment Fee', { magentoSoapAdditionalFields: { adjustmentNegative: 1.23456 } }, 'Adjustment Fee has more than 4 decimal places (1.23456)'],
		['Comment', { magentoSoapAdditionalFields: { comment: 'a\u0001b' } }, 'Comment contains a character XML cannot carry (U+0001)'],
		['Comment', { magentoSoapAdditionalFields: { comment: 'x'.repeat(16_001) } }, 'Comment is longer than 16000 characters (16001)'],
		['Refund Reference', { refundReference: 'RET-1\nRET-2' }, 'Refund Reference must be a single line'],
		['Refund Reference', { refundReference: 'RET\uD800' }, 'Refund Reference contains a character XML cannot carry (U+D800)'],
		['Items to Refund', { magentoSoapItemsToRefund: 'some' }, 'Items to Refund "some" is not one of listed, allRemaining, none'],
	])('refuses a bad %s', (field, changes, message) => {
		expect(() => readCreateInput(reader({ ...base, ...changes }))).toThrow(expect.objectContaining({ field, message }));
	});

	it('Retry On Fail only with a reference the lookup can use (n8n sends every item again after a failure)', () => {
		const retrying = (values: IDataObject) => ({ ...reader({ ...base, ...values }), retryOnFail: true });
		expect(readCreateInput(retrying({})).reference).toBe('RET-1');
		expect(() => readCreateInput(retrying({ refundReference: '' }))).toThrow(expect.objectContaining({ field: 'Retry On Fail' }));
		expect(() => readCreateInput(retrying({ options: { checkForExistingMemo: false } }))).toThrow(expect.objectContaining({ field: 'Retry On Fail' }));
	});

	it('hostile input of any shape gives an input error that names a field, or an input whose texts XML can carry (property)', () => {
		const anything = fc.oneof(
			fc.string({ unit: 'binary', maxLength: 40 }),
			fc.double(),
			fc.integer(),
			fc.constantFrom(undefined, null, '', '  ', '1e5', 'NaN', '12,50', '<x>&amp;</x>', '9'.repeat(30)),
			fc.array(fc.anything(), { maxLength: 3 }),
			fc.object(),
		);
		fc.assert(
			fc.property(
				fc.record({
					orderIncrementId: anything,
					magentoSoapItemsToRefund: fc.constantFrom('listed', 'allRemaining', 'none', 'other'),
					itemsJson: fc.oneof(anything, fc.array(fc.record({ order_item_id: anything, qty: anything }), { maxLength: 4 })),
					magentoSoapAdditionalFields: fc.record({ shippingAmount: anything, adjustmentPositive: anything, comment: anything, refundToStoreCreditAmount: anything, notifyCustomer: anything }, { requiredKeys: [] }),
					refundReference: anything,
				}),
				(values) => {
					let input: MagentoSoapCreateInput;
					try {
						input = readCreateInput(reader({ ...base, ...(values as IDataObject) }));
					} catch (error) {
						expect(error).toBeInstanceOf(InputError);
						expect((error as InputError).field.length).toBeGreaterThan(0);
						return;
					}
					const order = syntheticOrder(input);
					for (const style of ['v1', 'v2', 'wsi'] as const) {
						const body = callEnvelope({ style, endpoint: 'x', namespace: 'urn:OpenMage' }, createCall(input, order), 's');
						// Well-formed, and the order and the comment arrive exactly as sent.
						const operation = parseXml(body).children[0].children[0];
						const params = style === 'v1' ? (operation.children.find((element) => element.local === 'args')?.children ?? []) : operation.children.slice(1);
						const text = (name: string, position: number) => (style === 'v1' ? params[position]?.text : params.find((element) => element.local === name)?.text);
						expect(text('orderIncrementId', 0)).toBe(input.orderIncrementId);
						expect(text('comment', 2) ?? '').toBe(memoComment(input) ?? '');
					}
				},
			),
			{ numRuns: 300 },
		);
	});

	it('reads Add Memo Comment\'s parameters', () => {
		expect(readCommentInput(reader({ creditMemoId: 100000685, comment: ' Sent ', notifyCustomer: true }))).toEqual({
			creditmemoIncrementId: '100000685',
			comment: 'Sent',
			notifyCustomer: true,
			includeComment: false,
		});
		expect(() => readCommentInput(reader({ creditMemoId: '', comment: 'x' }))).toThrow('Credit Memo ID is required');
	});
});

describe('the reference line in the memo\'s comment', () => {
	it('is found in any comment around it, for any single-line reference (property)', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1, maxLength: 40 }).filter((text) => !/[\r\n]/.test(text) && text.trim() === text), fc.stringMatching(/^[0-9a-f]{8}$/), fc.string(), fc.string(), (reference, fingerprint, before, after) => {
				expect(markerFingerprint(`${before}${refundMarker(reference, fingerprint)}${after}`, reference)).toBe(fingerprint);
			}),
		);
	});

	it('does not match another reference that starts the same way', () => {
		expect(markerFingerprint('[ref:RET-10 #9b739f93]', 'RET-1')).toBeUndefined();
		expect(markerFingerprint('[ref:RET-1 B #9b739f93]', 'RET-1')).toBeUndefined();
		expect(markerFingerprint('[ref:RET-1 #9b739f9]', 'RET-1')).toBeUndefined();
		expect(markerFingerprint('x [ref:RET-1 #zz] [ref:RET-1 #00aa11bb]', 'RET-1')).toBe('00aa11bb');
	});

	it('is added after the user\'s comment, or alone', () => {
		const input = readCreateInput(reader(base));
		expect(memoComment(input)).toBe('Returned tee\n[ref:RET-1 #9b739f93]');
		expect(memoComment({ ...input, comment: undefined })).toBe('[ref:RET-1 #9b739f93]');
		expect(memoComment({ ...input, reference: undefined })).toBe('Returned tee');
	});
});

describe('the order, as sales_order.info answers it', () => {
	it('reads the same summary from the three API styles', () => {
		const [v1, v2, wsi] = (['v1', 'v2', 'wsi'] as const).map(order683);
		expect(v2).toEqual({ ...v1, shippingRefunded: null });
		expect(wsi).toEqual(v2);
		expect(v1).toMatchObject({ incrementId: '100000683', entityId: '683', currency: 'USD' });
		expect(toText(v1.remaining!)).toBe('100');
		expect(v1.items.map((item) => [item.itemId, item.name, toText(item.qtyInvoiced!), toText(item.price!)])).toEqual([
			['712', 'Classic Tee', '3', '25'],
			['713', 'Canvas Tote', '1', '15'],
		]);
	});

	it('checks listed items: unknown, fractions of whole units, more than is left', () => {
		const order = order683();
		const input = (lines: Array<[string, string]>) => ({ ...readCreateInput(reader(base)), lines: lines.map(([orderItemId, qty], index) => ({ orderItemId, qty: decimal(qty), label: `Items[${index + 1}]` })) });
		expect(() => checkLines(input([['712', '3']]), order)).not.toThrow();
		expect(() => checkLines(input([['714', '1']]), order)).toThrow(expect.objectContaining({ field: 'Items[1] Order Item ID', message: 'Order 100000683 has no item 714' }));
		expect(() => checkLines(input([['712', '1.5']]), order)).toThrow(expect.objectContaining({ field: 'Items[1] Quantity', message: 'Classic Tee is refunded in whole units, got 1.5' }));
		expect(() => checkLines(input([['713', '2']]), order)).toThrow('2 of Canvas Tote is more than is left to refund (1)');
	});
});

describe('the most a memo can credit (Dry Run and the safety limit)', () => {
	const order = (overrides: Partial<OrderSummary> = {}): OrderSummary => ({ ...order683(), ...overrides });
	const total = (changes: IDataObject, summary = order()) => {
		const value = maximumTotal(readCreateInput(reader({ ...base, ...changes })), summary);
		return value === null ? null : toText(value);
	};

	it('listed items: price x quantity and their tax share, rounded up to the cent, plus shipping and adjustments', () => {
		expect(total({})).toBe('25');
		expect(total({ itemsJson: [{ order_item_id: 712, qty: 2 }, { order_item_id: 713, qty: 1 }] })).toBe('65');
		expect(total({ magentoSoapAdditionalFields: { shippingAmount: 4, adjustmentPositive: 2.5, adjustmentNegative: 1 } })).toBe('30.5');
		// Shipping not given: Magento refunds all that is left of it.
		expect(total({ magentoSoapAdditionalFields: {} })).toBe('35');
	});

	it('tax: each line\'s share of its invoiced tax, and the shipping tax\'s share of the shipping', () => {
		const taxed = order({
			taxAmount: decimal('8.03'),
			items: order().items.map((item) => (item.itemId === '712' ? { ...item, taxInvoiced: decimal('6.19'), taxAmount: decimal('6.19') } : item)),
		});
		// 25 + 6.19 / 3 = 2.0633.. -> 2.07; shipping 5 of 10 with 1.84 tax -> 0.92.
		expect(total({ magentoSoapAdditionalFields: { shippingAmount: 5 } }, taxed)).toBe('32.99');
	});

	it('never more than the order has paid and not refunded; bundles and missing figures fall back to that', () => {
		expect(total({ magentoSoapAdditionalFields: { shippingAmount: 0, adjustmentPositive: 500 } })).toBe('100');
		const bundle = order({ items: order().items.map((item) => ({ ...item, productType: 'bundle' })) });
		expect(total({}, bundle)).toBe('100');
		expect(total({}, order({ taxAmount: null }))).toBe('100');
		expect(total({}, order({ remaining: null }))).toBeNull();
	});

	it('"All Remaining Items" and "No Items"', () => {
		expect(total({ magentoSoapItemsToRefund: 'allRemaining', magentoSoapAdditionalFields: {} })).toBe('100');
		expect(total({ magentoSoapItemsToRefund: 'none', magentoSoapAdditionalFields: { shippingAmount: 0, adjustmentPositive: 5 } })).toBe('5');
	});
});

describe('the memo, as sales_order_creditmemo.info answers it', () => {
	it.each(['v1', 'v2', 'wsi'] as const)('%s', (style) => {
		expect(fromCreditmemo(value(style, 'info-685'))).toMatchObject(MEMO_685);
	});

	it('missing values are null, never invented', () => {
		expect(fromCreditmemo({})).toEqual({ provider: 'magentoSoap', creditMemoId: null, number: null, status: null, totalAmount: null, currency: null, createdAt: null, raw: {} });
	});
});

/** An order that has every listed item, so any valid input can be built into an envelope. */
function syntheticOrder(input: MagentoSoapCreateInput): OrderSummary {
	return {
		...order683(),
		items: input.lines.map((line) => ({ ...order683().items[0], itemId: line.orderItemId })),
	};
}
