/**
 * Salesforce record IDs: a 3-character key prefix, then 12 more case-sensitive characters (15), plus the
 * 3-character case-insensitive checksum that makes the 18-character form (`801R0000000EAAk` -> `...IAO`).
 */

/** Key prefixes used by the emulator. CreditMemo 50g, Order 801, OrderSummary 1Os and OrderItemSummary 10u are
 * Salesforce's own (the docs' example IDs start with them); BackgroundOperation 0Bo is a plausible stand-in. */
export const KEY_PREFIX = {
	account: '001',
	user: '005',
	organization: '00D',
	creditMemo: '50g',
	order: '801',
	orderSummary: '1Os',
	orderItemSummary: '10u',
	/** OrderItem (an order product of a change order) is Salesforce's 802; CreditMemoLine 50h is a stand-in. */
	orderItem: '802',
	creditMemoLine: '50h',
	backgroundOperation: '0Bo',
	queryLocator: '01g',
} as const;

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Emulator-made IDs carry "SB" (sandbox) where real ones carry the pod, then a reserved "0". */
const POD = 'SB0';

/** The 3-character suffix of an 18-character ID: one character per 5, flagging its upper-case letters. */
export function checksum(id15: string): string {
	let suffix = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let flags = 0;
		for (let position = 0; position < 5; position++) {
			const char = id15.charAt(chunk * 5 + position);
			if (char >= 'A' && char <= 'Z') flags |= 1 << position;
		}
		suffix += CHECKSUM_ALPHABET.charAt(flags);
	}
	return suffix;
}

export function to18(id15: string): string {
	return id15 + checksum(id15);
}

/** A new ID: prefix + pod + a base-62 sequence number, in the 18-character form. */
export function makeId(prefix: string, sequence: number): string {
	let body = '';
	let rest = sequence;
	for (let index = 0; index < 9; index++) {
		body = BASE62.charAt(rest % 62) + body;
		rest = Math.floor(rest / 62);
	}
	return to18(`${prefix}${POD}${body}`);
}

/**
 * The canonical 18-character form of what a client sent (15 or 18 characters, alphanumeric), or undefined when
 * it cannot be an ID. An 18-character ID with a wrong checksum is invalid, as in Salesforce.
 */
export function normaliseId(value: unknown): string | undefined {
	if (typeof value !== 'string' || !/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value)) return undefined;
	const id15 = value.slice(0, 15);
	if (value.length === 18 && value.slice(15).toUpperCase() !== checksum(id15)) return undefined;
	return to18(id15);
}
