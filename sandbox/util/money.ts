/**
 * Money in the emulators is kept in integer minor units (cents), so that refund limits are compared exactly:
 * 0.1 + 0.2 must not let a client refund a cent more than was invoiced.
 */

/** Amount with at most `decimals` decimals -> integer minor units; undefined when it has more decimals than that. */
export function toMinor(amount: number, decimals = 2): number | undefined {
	const factor = 10 ** decimals;
	const scaled = amount * factor;
	const rounded = Math.round(scaled);
	// Accept binary-float noise (19.9 * 100 = 1989.9999999999998) but not a real third decimal.
	if (Math.abs(scaled - rounded) > 1e-6 * Math.max(1, Math.abs(scaled))) return undefined;
	return rounded;
}

export function fromMinor(minor: number, decimals = 2): number {
	return Number((minor / 10 ** decimals).toFixed(decimals));
}

/** "12.50" style formatting for messages. */
export function formatMinor(minor: number, decimals = 2): string {
	return (minor / 10 ** decimals).toFixed(decimals);
}

/** At least two decimals, more only when they are not zero: 98 -> "98.00", 0.0125 -> "0.0125". */
export function formatAmount(minor: number, decimals = 2): string {
	const text = formatMinor(minor, decimals);
	const [whole, fraction = ''] = text.split('.');
	const trimmed = fraction.replace(/0+$/, '').padEnd(2, '0');
	return `${whole}.${trimmed}`;
}
