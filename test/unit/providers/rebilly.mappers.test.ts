import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../../nodes/shared/errors';
import { creditMemoIdFor, readCreateInput } from '../../../nodes/shared/providers/rebilly/mappers';
import type { ParamReader } from '../../../nodes/shared/types';

function params(values: IDataObject): ParamReader {
	return { itemIndex: 0, get: <T>(name: string, fallback?: T) => (name in values ? values[name] : fallback) as T };
}

const hostile = fc.oneof(
	fc.constantFrom(NaN, Infinity, -1, 0, -0.01, 1e21, 1e-9, 0.1 + 0.2, '', ' ', 'abc', '1,5', '<x>&amp;', null, true, {}, [], '9'.repeat(40)),
	fc.double(),
	fc.integer(),
	fc.string(),
	fc.string({ unit: 'binary' }),
);

describe('Rebilly mapping', () => {
	it('derives a stable, valid memo ID from any reference, distinct per reference', () => {
		expect(creditMemoIdFor('RET-1001')).toBe('cm-RET-1001');
		expect(creditMemoIdFor('order 42 / line 3')).toMatch(/^cm-h-[0-9a-f]{40}$/);
		fc.assert(
			fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), (a, b) => {
				const id = creditMemoIdFor(a);
				expect(id).toMatch(/^[@~\-.\w]{1,50}$/);
				expect(creditMemoIdFor(a)).toBe(id);
				if (a !== b) expect(creditMemoIdFor(b)).not.toBe(id);
			}),
		);
	});

	it('turns any hostile item values into a valid body or an InputError naming the field, never anything else', () => {
		fc.assert(
			fc.property(hostile, hostile, hostile, hostile, (quantity, unitPrice, taxAmount, shippingAmount) => {
				let result;
				try {
					result = readCreateInput(
						params({
							refundReference: 'RET-1',
							customerId: 'cus_1',
							currency: 'usd',
							itemsInputMode: 'fields',
							rebillyItems: { item: [{ quantity, unitPrice, taxAmount, taxDescription: 'VAT' }] },
							rebillyAdditionalFields: { shippingAmount },
						}),
					);
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					expect((error as InputError).field).toMatch(/Items\[1\]|Shipping Amount/);
					return;
				}
				const item = result.body.items![0];
				expect(Number.isInteger(item.quantity) && item.quantity > 0).toBe(true);
				expect(Number.isFinite(item.unitPrice) && item.unitPrice >= 0).toBe(true);
				expect(result.body.currency).toBe('USD');
				expect(JSON.parse(JSON.stringify(result.body))).toEqual(result.body);
			}),
		);
	});

	it('rejects unknown keys in JSON items so a typo never drops a value silently', () => {
		expect(() =>
			readCreateInput(params({ refundReference: 'R', customerId: 'c', currency: 'USD', itemsInputMode: 'json', itemsJson: '[{"quantity":1,"unitprice":5}]' })),
		).toThrow('Items (JSON)[0] has unknown field unitprice');
	});
});
