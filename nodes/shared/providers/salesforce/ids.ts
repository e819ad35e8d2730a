import { InputError } from '../../errors';
import { requireText, truncate } from '../../validate';

/** Key prefixes (the first three characters of an ID) of the records this package names. */
export const KEY_PREFIX = {
	orderSummary: '1Os',
	/** Change orders are Order records. */
	order: '801',
	creditMemo: '50g',
} as const;

const RECORD_NAMES: Record<string, string> = {
	[KEY_PREFIX.orderSummary]: 'an Order Summary',
	[KEY_PREFIX.order]: 'an Order (change orders are Orders)',
	[KEY_PREFIX.creditMemo]: 'a Credit Memo',
};

const ID_FORMAT = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/;
/** The 18-character form's suffix: one character per five, each bit saying whether that character is upper case. */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The canonical 18-character form of a 15- or 18-character Salesforce ID, or null when it is not one.
 * A 15-character ID is case-sensitive and gets its suffix; an 18-character ID is case-insensitive (some
 * systems lower-case it), so its letters take the case its suffix encodes. A suffix that marks a digit as
 * upper case cannot come from Salesforce: the ID was mistyped.
 */
export function toId18(id: string): string | null {
	if (!ID_FORMAT.test(id)) return null;
	const base = id.slice(0, 15);
	if (id.length === 15) {
		let suffix = '';
		for (let chunk = 0; chunk < 3; chunk++) {
			let bits = 0;
			for (let i = 0; i < 5; i++) if (/[A-Z]/.test(base[chunk * 5 + i])) bits |= 1 << i;
			suffix += SUFFIX_ALPHABET[bits];
		}
		return base + suffix;
	}
	const suffix = id.slice(15).toUpperCase();
	let canonical = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		const bits = SUFFIX_ALPHABET.indexOf(suffix[chunk]);
		for (let i = 0; i < 5; i++) {
			const char = base[chunk * 5 + i];
			const upper = (bits & (1 << i)) !== 0;
			if (/[0-9]/.test(char)) {
				if (upper) return null;
				canonical += char;
			} else {
				canonical += upper ? char.toUpperCase() : char.toLowerCase();
			}
		}
	}
	return canonical + suffix;
}

/** A required Salesforce ID of one kind of record, as its canonical 18-character form. */
export function parseRecordId(value: unknown, field: string, prefix: string): string {
	const text = requireText(value, field);
	const id = toId18(text);
	if (!id) {
		throw new InputError(
			field,
			`${field} "${truncate(text, 40)}" is not a Salesforce ID`,
			'Salesforce IDs are 15 or 18 letters and digits, copied from the record\'s URL or from a previous node.',
		);
	}
	const actual = id.slice(0, 3);
	if (actual !== prefix) {
		throw new InputError(
			field,
			`${field} ${text} is the ID of ${RECORD_NAMES[actual] ?? `another kind of record (prefix ${actual})`}, not of ${RECORD_NAMES[prefix]} (prefix ${prefix})`,
		);
	}
	return id;
}
