import { InputError } from './errors';
import { truncate } from './validate';

/**
 * An exact decimal amount or quantity: an integer count of millionths.
 * Amounts are parsed from their decimal text and summed as integers, so 0.1 + 0.2 is 0.3 here;
 * binary floats are only produced at the very end, for providers whose JSON wants a number.
 */
export interface Decimal {
	readonly micros: bigint;
}

const SCALE = 6;
const ONE = 10n ** BigInt(SCALE);
/** Far above any real refund; catches unit mistakes (cents sent as units) and overflow alike. */
const MAX_ABS = 10n ** 12n * ONE;
const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?$/;

export interface DecimalRules {
	/** `positive`: > 0; `nonNegative`: >= 0. */
	sign: 'positive' | 'nonNegative';
	/** Most digits after the point the provider keeps (amounts 4 in Magento, quantities 0 where whole). */
	maxDecimals: number;
}

export const AMOUNT: DecimalRules = { sign: 'nonNegative', maxDecimals: 4 };
export const WHOLE_QUANTITY: DecimalRules = { sign: 'positive', maxDecimals: 0 };
export const QUANTITY: DecimalRules = { sign: 'positive', maxDecimals: 4 };

/** Parses a user-supplied number or numeric text, or throws an InputError naming the field. */
export function parseDecimal(value: unknown, field: string, rules: DecimalRules): Decimal {
	const text = typeof value === 'number' ? numberText(value) : typeof value === 'string' ? value.trim() : null;
	if (text === null || text === '') {
		throw new InputError(field, `${field} must be a number, got ${describe(value)}`);
	}
	const match = DECIMAL_TEXT.exec(text);
	if (!match) {
		throw new InputError(field, `${field} must be a plain decimal number such as 12.50, got ${describe(value)}`);
	}
	const [, sign, whole, fraction = ''] = match;
	const significantFraction = fraction.replace(/0+$/, '');
	if (significantFraction.length > rules.maxDecimals) {
		throw new InputError(
			field,
			rules.maxDecimals === 0
				? `${field} must be a whole number, got ${text}`
				: `${field} has more than ${rules.maxDecimals} decimal places (${text})`,
			'Round the value before it reaches this node, for example with .toFixed(2) in the expression.',
		);
	}
	const micros =
		(BigInt(whole) * ONE + BigInt((significantFraction + '0'.repeat(SCALE)).slice(0, SCALE))) *
		(sign === '-' ? -1n : 1n);
	if (micros > MAX_ABS || micros < -MAX_ABS) {
		throw new InputError(field, `${field} is implausibly large (${text})`);
	}
	if (rules.sign === 'positive' && micros <= 0n) {
		throw new InputError(field, `${field} must be greater than 0, got ${text}`);
	}
	if (rules.sign === 'nonNegative' && micros < 0n) {
		throw new InputError(field, `${field} must not be negative, got ${text}`);
	}
	return { micros };
}

export function decimal(text: string): Decimal {
	return parseDecimal(text, 'value', { sign: 'nonNegative', maxDecimals: SCALE });
}

export const ZERO: Decimal = { micros: 0n };

export function add(...values: Decimal[]): Decimal {
	return { micros: values.reduce((sum, value) => sum + value.micros, 0n) };
}

export function subtract(a: Decimal, b: Decimal): Decimal {
	return { micros: a.micros - b.micros };
}

/** Exact product, rounded half away from zero to the 6th decimal (quantities and prices have at most 4). */
export function multiply(a: Decimal, b: Decimal): Decimal {
	const product = a.micros * b.micros;
	const half = ONE / 2n;
	const rounded = product >= 0n ? (product + half) / ONE : (product - half) / ONE;
	return { micros: rounded };
}

export function compare(a: Decimal, b: Decimal): number {
	return a.micros === b.micros ? 0 : a.micros < b.micros ? -1 : 1;
}

/** Canonical text: no trailing zeros, no exponent ("19.9", "3", "0.05"). */
export function toText(value: Decimal): string {
	const negative = value.micros < 0n;
	const abs = negative ? -value.micros : value.micros;
	const whole = abs / ONE;
	const fraction = (abs % ONE).toString().padStart(SCALE, '0').replace(/0+$/, '');
	return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** For JSON bodies: the double nearest to the exact decimal, which JSON prints back as the same text. */
export function toNumber(value: Decimal): number {
	return Number(toText(value));
}

function numberText(value: number): string | null {
	if (!Number.isFinite(value)) return null;
	const text = String(value);
	// Exponent forms (1e-7, 1e+21) are outside what any provider accepts; report them plainly.
	return /e/i.test(text) ? `${value.toFixed(20)}` : text;
}

function describe(value: unknown): string {
	if (value === undefined || value === null || value === '') return 'nothing';
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string') return `"${truncate(value, 40)}"`;
	return typeof value;
}
