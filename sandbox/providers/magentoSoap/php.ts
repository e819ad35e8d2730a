/**
 * PHP values as ext/soap hands them to Magento's API models, and the few PHP semantics the credit-memo API
 * depends on (array keys, casts, empty()). Keeping them explicit is what makes the emulator fail where PHP
 * fails: a struct where an array is expected, a string-keyed map as positional arguments, and so on.
 */

export type PhpValue = null | string | number | boolean | PhpArray | PhpObject;
export type PhpKey = string | number;

/** An ordered PHP array (list or associative). */
export class PhpArray {
	readonly entries = new Map<PhpKey, PhpValue>();

	static list(values: PhpValue[]): PhpArray {
		const array = new PhpArray();
		values.forEach((value, index) => array.entries.set(index, value));
		return array;
	}

	static assoc(record: Record<string, PhpValue>): PhpArray {
		const array = new PhpArray();
		for (const [key, value] of Object.entries(record)) array.set(key, value);
		return array;
	}

	set(key: PhpKey, value: PhpValue): void {
		this.entries.set(phpKey(key), value);
	}

	/** `$array[] = $value`. */
	push(value: PhpValue): void {
		let next = 0;
		for (const key of this.entries.keys()) if (typeof key === 'number' && key >= next) next = key + 1;
		this.entries.set(next, value);
	}

	get(key: PhpKey): PhpValue | undefined {
		return this.entries.get(phpKey(key));
	}

	/** `isset($array[$key])`: present and not null. */
	isset(key: PhpKey): boolean {
		const value = this.get(key);
		return value !== undefined && value !== null;
	}

	get size(): number {
		return this.entries.size;
	}

	values(): PhpValue[] {
		return [...this.entries.values()];
	}

	/** Keys 0..n-1 in order: what ext/soap encodes as a SOAP-ENC:Array rather than an apache Map. */
	isList(): boolean {
		let expected = 0;
		for (const key of this.entries.keys()) if (key !== expected++) return false;
		return true;
	}
}

/** A stdClass object (what ext/soap makes of a struct). */
export class PhpObject {
	readonly props = new Map<string, PhpValue>();

	static of(record: Record<string, PhpValue>): PhpObject {
		const object = new PhpObject();
		for (const [key, value] of Object.entries(record)) object.props.set(key, value);
		return object;
	}

	isset(name: string): boolean {
		const value = this.props.get(name);
		return value !== undefined && value !== null;
	}
}

/** A PHP Error (TypeError, ArgumentCountError, ...): not an Exception, so Magento's handlers do not catch it. */
export class PhpError extends Error {}

/** PHP turns decimal integer strings ("712", "-3", not "0712") into integer keys. */
export function phpKey(key: PhpKey): PhpKey {
	if (typeof key === 'number') return Math.trunc(key);
	if (/^(0|-?[1-9]\d{0,17})$/.test(key)) {
		const number = Number(key);
		if (Number.isSafeInteger(number)) return number;
	}
	return key;
}

/** `(float) $value`. */
export function phpFloat(value: PhpValue | undefined): number {
	if (value === null || value === undefined || value === false) return 0;
	if (value === true) return 1;
	if (typeof value === 'number') return value;
	if (typeof value === 'string') {
		const match = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(value);
		return match ? Number(match[0]) : 0;
	}
	return value instanceof PhpArray ? (value.size > 0 ? 1 : 0) : 1;
}

/** `empty($value)`. */
export function phpEmpty(value: PhpValue | undefined): boolean {
	if (value === undefined || value === null || value === false || value === '' || value === '0') return true;
	if (typeof value === 'number') return value === 0;
	if (value instanceof PhpArray) return value.size === 0;
	return false;
}

/** `(bool) $value`. */
export function phpBool(value: PhpValue | undefined): boolean {
	return !phpEmpty(value);
}

/** `(string) $value` for scalars; arrays and objects are PHP errors/warnings we treat as errors. */
export function phpString(value: PhpValue | undefined): string {
	if (value === undefined || value === null || value === false) return '';
	if (value === true) return '1';
	if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
	if (typeof value === 'string') return value;
	if (value instanceof PhpArray) return 'Array';
	throw new PhpError('Object of class stdClass could not be converted to string');
}

/** `$value['key']` on something that must be an array: a stdClass here is a fatal Error in PHP 8. */
export function arrayAccess(value: PhpValue, key: PhpKey): PhpValue | undefined {
	if (value instanceof PhpObject) throw new PhpError('Cannot use object of type stdClass as array');
	return value instanceof PhpArray ? value.get(key) : undefined;
}
