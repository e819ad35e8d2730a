import { InputError } from '../../nodes/shared/errors';
import { AMOUNT, WHOLE_QUANTITY, add, compare, decimal, multiply, parseDecimal, subtract, toNumber, toText } from '../../nodes/shared/money';

describe('money', () => {
	it('adds decimal amounts exactly, where binary floats would not', () => {
		expect(0.1 + 0.2).not.toBe(0.3);
		expect(toText(add(decimal('0.1'), decimal('0.2')))).toBe('0.3');
		expect(toText(add(...Array.from({ length: 10 }, () => decimal('0.1'))))).toBe('1');
		expect(toText(subtract(decimal('100'), decimal('99.99')))).toBe('0.01');
	});

	it('multiplies quantity by price exactly and prints canonical text', () => {
		expect(toText(multiply(decimal('3'), decimal('19.99')))).toBe('59.97');
		expect(toText(multiply(decimal('0.5'), decimal('0.0001')))).toBe('0.00005');
		expect(toNumber(multiply(decimal('3'), decimal('19.99')))).toBe(59.97);
	});

	it('accepts numbers and numeric text, and compares', () => {
		expect(toText(parseDecimal(19.9, 'Amount', AMOUNT))).toBe('19.9');
		expect(toText(parseDecimal(' 19.900 ', 'Amount', AMOUNT))).toBe('19.9');
		expect(compare(decimal('10.5'), decimal('10.50'))).toBe(0);
		expect(compare(decimal('10.49'), decimal('10.5'))).toBe(-1);
	});

	it.each([
		[NaN, 'Amount must be a number, got NaN'],
		[Infinity, 'Amount must be a number, got Infinity'],
		['12,50', 'Amount must be a plain decimal number such as 12.50, got "12,50"'],
		['abc', 'Amount must be a plain decimal number such as 12.50, got "abc"'],
		['', 'Amount must be a number, got nothing'],
		[null, 'Amount must be a number, got nothing'],
		[{}, 'Amount must be a number, got object'],
		[-1, 'Amount must not be negative, got -1'],
		[0.1 + 0.2, 'Amount has more than 4 decimal places (0.30000000000000004)'],
		['1e3', 'Amount must be a plain decimal number such as 12.50, got "1e3"'],
		[1e13, 'Amount is implausibly large (10000000000000)'],
	])('rejects %p with a message naming the field', (value, message) => {
		expect(() => parseDecimal(value, 'Amount', AMOUNT)).toThrow(new InputError('Amount', message));
	});

	it('applies the sign and whole-number rules', () => {
		expect(() => parseDecimal(0, 'Quantity', WHOLE_QUANTITY)).toThrow('Quantity must be greater than 0, got 0');
		expect(() => parseDecimal('1.5', 'Quantity', WHOLE_QUANTITY)).toThrow('Quantity must be a whole number, got 1.5');
		expect(toText(parseDecimal('2.000', 'Quantity', WHOLE_QUANTITY))).toBe('2');
		expect(() => parseDecimal('0', 'Fee', { ...AMOUNT, sign: 'positive' })).toThrow('Fee must be greater than 0, got 0');
	});
});
