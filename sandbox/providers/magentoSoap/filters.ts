/**
 * Magento collection filters, as `sales_order_creditmemo.list` applies them: Mage_Api_Helper_Data::parseFilters
 * (V2/WS-I `filter` and `complex_filter`, V1 associative arrays) and the condition language of
 * Varien_Db_Adapter_Pdo_Mysql::prepareSqlCondition (eq, neq, like, in, from/to, ..., and "anything else is an
 * OR of the nested conditions", which is how the seeds' `'or' => [[from, to], ...]` works).
 */
import { PhpArray, PhpObject, phpString, type PhpValue } from './php';

/** An SQL error, which `items()` turns into fault 101 with the database's message. */
export class FilterError extends Error {}

export type Row = Readonly<Record<string, string | null>>;

const CONDITION_KEYS = ['eq', 'neq', 'like', 'nlike', 'in', 'nin', 'is', 'notnull', 'null', 'gt', 'lt', 'gteq', 'lteq', 'moreq', 'finset', 'regexp', 'from', 'to', 'seq', 'sneq'];

/** Mage_Api_Helper_Data::parseFilters with the credit-memo field map (creditmemo_id -> entity_id). */
export function parseFilters(filters: PhpValue | undefined): Array<[string, PhpValue]> {
	let parsed: Array<[string, PhpValue]> = [];
	if (filters instanceof PhpObject) {
		const simple = filters.props.get('filter');
		if (simple instanceof PhpArray) {
			for (const [field, value] of simple.entries) {
				if (value instanceof PhpObject && value.isset('key') && value.isset('value')) {
					parsed.push([phpString(value.props.get('key') ?? null), value.props.get('value') ?? null]);
				} else {
					parsed.push([String(field), value]);
				}
			}
		}
		const complex = filters.props.get('complex_filter');
		if (complex instanceof PhpArray) {
			const byField = new Map<string, PhpArray>();
			for (const entry of complex.values()) {
				if (!(entry instanceof PhpObject) || !entry.isset('key') || !entry.isset('value')) continue;
				const field = phpString(entry.props.get('key') ?? null);
				const condition = entry.props.get('value');
				const operator = condition instanceof PhpObject ? phpString(condition.props.get('key') ?? null) : '';
				let operand: PhpValue = condition instanceof PhpObject ? (condition.props.get('value') ?? null) : null;
				if (['in', 'nin', 'finset'].includes(operator) && typeof operand === 'string') operand = PhpArray.list(operand.split(','));
				const existing = byField.get(field) ?? new PhpArray();
				// `$parsedFilters[$field] += [$op => $value]`: the first condition per operator wins.
				if (existing.get(operator) === undefined) existing.set(operator, operand);
				byField.set(field, existing);
			}
			// `$parsedFilters += ...`: a simple filter on the same field is kept.
			for (const [field, condition] of byField) if (!parsed.some(([name]) => name === field)) parsed.push([field, condition]);
		}
	} else if (filters instanceof PhpArray) {
		parsed = [...filters.entries].map(([field, value]) => [String(field), value]);
	}
	return parsed.map(([field, value]) => [field === 'creditmemo_id' ? 'entity_id' : field, value]);
}

export interface ColumnInfo {
	/** Known columns of the table; anything else is MySQL's "Unknown column". */
	columns: ReadonlySet<string>;
	/** Columns compared as text (everything else compares as a number, like MySQL's numeric columns). */
	textColumns: ReadonlySet<string>;
	/** Datetime columns (values like "2024-05-01" compare as "2024-05-01 00:00:00"). */
	dateColumns: ReadonlySet<string>;
}

export function matchesAll(row: Row, filters: Array<[string, PhpValue]>, info: ColumnInfo): boolean {
	for (const [field] of filters) {
		if (!info.columns.has(field)) throw new FilterError(`SQLSTATE[42S22]: Column not found: 1054 Unknown column '${field}' in 'where clause'`);
	}
	return filters.every(([field, condition]) => matches(row[field] ?? null, condition, field, info));
}

function matches(value: string | null, condition: PhpValue, field: string, info: ColumnInfo): boolean {
	if (condition instanceof PhpObject) throw new FilterError('Object of class stdClass could not be converted to string');
	if (!(condition instanceof PhpArray)) return compare(value, phpString(condition), field, info) === 0;
	const from = condition.get('from');
	const to = condition.get('to');
	if (condition.isset('from') || condition.isset('to')) {
		if (condition.isset('from') && !greaterOrEqual(value, from ?? null, field, info)) return false;
		if (condition.isset('to') && !lessOrEqual(value, to ?? null, field, info)) return false;
		return true;
	}
	const key = [...condition.entries.keys()].find((candidate) => typeof candidate === 'string' && CONDITION_KEYS.includes(candidate));
	if (key === undefined) {
		// No operator: every nested value is a condition, OR-ed.
		return condition.values().some((nested) => matches(value, nested, field, info));
	}
	const operand = condition.get(key) ?? null;
	switch (key) {
		case 'eq':
			return operandValues(operand).some((item) => compare(value, item, field, info) === 0);
		case 'neq':
			return value !== null && operandValues(operand).every((item) => compare(value, item, field, info) !== 0);
		case 'like':
			return value !== null && like(value, phpString(scalar(operand)));
		case 'nlike':
			return value !== null && !like(value, phpString(scalar(operand)));
		case 'in':
		case 'nin': {
			const list = operandValues(operand);
			if (list.length === 0) throw new FilterError("SQLSTATE[42000]: Syntax error or access violation: 1064 You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near ')' at line 1");
			if (value === null) return false;
			const found = list.some((item) => compare(value, item, field, info) === 0);
			return key === 'in' ? found : !found;
		}
		case 'null':
			return value === null;
		case 'notnull':
			return value !== null;
		case 'is': {
			const text = phpString(scalar(operand)).toUpperCase();
			return text === 'NOT NULL' ? value !== null : value === null;
		}
		case 'gt':
			return value !== null && compare(value, phpString(scalar(operand)), field, info) > 0;
		case 'lt':
			return value !== null && compare(value, phpString(scalar(operand)), field, info) < 0;
		case 'gteq':
		case 'moreq':
		case 'from':
			return operand !== null && greaterOrEqual(value, operand, field, info);
		case 'lteq':
		case 'to':
			return operand !== null && lessOrEqual(value, operand, field, info);
		case 'finset':
			return value !== null && value.split(',').includes(phpString(scalar(operand)));
		case 'regexp':
			return value !== null && regexp(phpString(scalar(operand))).test(value);
		case 'seq':
		case 'sneq': {
			const text = phpString(scalar(operand));
			const equal = text === '' ? value === null : value !== null && compare(value, text, field, info) === 0;
			return key === 'seq' ? equal : !equal;
		}
		default:
			return false;
	}
}

function scalar(value: PhpValue): PhpValue {
	return value instanceof PhpArray ? (value.values()[0] ?? null) : value;
}

function operandValues(value: PhpValue): string[] {
	if (value instanceof PhpArray) return value.values().map((item) => phpString(scalar(item)));
	return [phpString(value)];
}

function greaterOrEqual(value: string | null, bound: PhpValue, field: string, info: ColumnInfo): boolean {
	return value !== null && compare(value, phpString(scalar(bound)), field, info) >= 0;
}

function lessOrEqual(value: string | null, bound: PhpValue, field: string, info: ColumnInfo): boolean {
	return value !== null && compare(value, phpString(scalar(bound)), field, info) <= 0;
}

/** MySQL comparison: numbers for numeric columns, case-insensitive text otherwise; NULL never compares. */
function compare(value: string | null, operand: string, field: string, info: ColumnInfo): number {
	if (value === null) return Number.NaN;
	if (info.dateColumns.has(field)) return textCompare(value, normaliseDate(operand));
	if (info.textColumns.has(field)) return textCompare(value, operand);
	const left = Number(value);
	const right = mysqlNumber(operand);
	return left === right ? 0 : left < right ? -1 : 1;
}

function textCompare(left: string, right: string): number {
	const a = left.toLowerCase();
	const b = right.toLowerCase();
	return a === b ? 0 : a < b ? -1 : 1;
}

/** MySQL reads the leading number of a string ("12abc" -> 12, "abc" -> 0). */
function mysqlNumber(text: string): number {
	const match = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text);
	return match ? Number(match[0]) : 0;
}

function normaliseDate(text: string): string {
	const trimmed = text.trim().replace('T', ' ').replace(/(Z|[+-]00:?00)$/, '');
	return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed} 00:00:00` : trimmed;
}

function like(value: string, pattern: string): boolean {
	let source = '';
	for (let index = 0; index < pattern.length; index++) {
		const char = pattern[index];
		if (char === '\\' && index + 1 < pattern.length) source += escapeRegExp(pattern[++index]);
		else if (char === '%') source += '.*';
		else if (char === '_') source += '.';
		else source += escapeRegExp(char);
	}
	return new RegExp(`^${source}$`, 'is').test(value);
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function regexp(pattern: string): RegExp {
	try {
		return new RegExp(pattern, 'i');
	} catch {
		throw new FilterError(`SQLSTATE[HY000]: General error: 3692 Incorrect regular expression`);
	}
}
