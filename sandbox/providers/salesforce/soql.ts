/**
 * A small SOQL subset over the sandbox's objects:
 *   SELECT field, ... | COUNT() FROM Object
 *   [WHERE condition AND condition ...]      condition: field (=|!=|<>|<|>|<=|>=) literal
 *                                                      | field [NOT] IN (literal, ...) | field [NOT] LIKE 'text'
 *   [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]
 * Literals: 'text' (\' escapes), numbers, true/false, null, 2024-05-01, 2024-05-01T10:00:00Z.
 * Keywords and field names are case-insensitive, text comparisons too (as in SOQL); IDs compare on their
 * 15-character case-sensitive form. Errors are Salesforce's MALFORMED_QUERY / INVALID_FIELD / INVALID_TYPE.
 */

export type FieldType = 'id' | 'reference' | 'string' | 'textarea' | 'picklist' | 'currency' | 'date' | 'datetime';
export type FieldValue = string | number | boolean | null;

export interface FieldDef {
	name: string;
	type: FieldType;
}

export interface SObjectTable {
	name: string;
	fields: FieldDef[];
	rows(): Array<Record<string, FieldValue>>;
}

export class SoqlError extends Error {
	constructor(
		readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE' | 'INVALID_QUERY_FILTER_OPERATOR',
		message: string,
	) {
		super(message);
	}
}

type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null' } | { kind: 'date'; value: string } | { kind: 'datetime'; value: number };

interface Condition {
	field: FieldDef;
	operator: '=' | '!=' | '<' | '>' | '<=' | '>=' | 'IN' | 'NOT IN' | 'LIKE' | 'NOT LIKE';
	values: Literal[];
}

export interface ParsedQuery {
	table: SObjectTable;
	count: boolean;
	fields: FieldDef[];
	where: Condition[];
	/** Sort keys, most significant first. */
	orderBy: Array<{ field: FieldDef; descending: boolean; nullsLast: boolean }>;
	limit?: number;
	offset?: number;
}

interface Token {
	type: 'word' | 'string' | 'number' | 'date' | 'datetime' | 'symbol' | 'end';
	text: string;
	column: number;
}

const TOKEN = /\s*(?:(?<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2}))|(?<date>\d{4}-\d{2}-\d{2})(?![\dT])|(?<number>-?\d+(?:\.\d+)?)|(?<word>[A-Za-z_][A-Za-z0-9_]*(?:\(\))?)|(?<string>'(?:\\.|[^'\\])*')|(?<symbol><=|>=|!=|<>|[=<>(),]))/y;

function tokenize(query: string): Token[] {
	const tokens: Token[] = [];
	TOKEN.lastIndex = 0;
	let position = 0;
	while (position < query.length) {
		if (/^\s*$/.test(query.slice(position))) break;
		TOKEN.lastIndex = position;
		const match = TOKEN.exec(query);
		if (!match || !match.groups) {
			const column = position + (query.slice(position).length - query.slice(position).trimStart().length) + 1;
			throw malformed(query, column, `unexpected token: '${query.slice(column - 1).split(/\s/)[0]}'`);
		}
		const type = (Object.keys(match.groups) as Array<Token['type']>).find((key) => match.groups?.[key] !== undefined) as Token['type'];
		const text = match.groups[type] as string;
		tokens.push({ type, text, column: match.index + match[0].length - text.length + 1 });
		position = TOKEN.lastIndex;
	}
	tokens.push({ type: 'end', text: '<EOF>', column: query.length + 1 });
	return tokens;
}

function malformed(query: string, column: number, message: string): SoqlError {
	return new SoqlError('MALFORMED_QUERY', `\n${query}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:1:Column:${column}\n${message}`);
}

export function parseSoql(query: string, tables: SObjectTable[]): ParsedQuery {
	const tokens = tokenize(query);
	let index = 0;
	const peek = () => tokens[index];
	const next = () => tokens[index++];
	const keyword = (word: string) => peek().type === 'word' && peek().text.toUpperCase() === word;
	const expectKeyword = (word: string) => {
		if (!keyword(word)) throw malformed(query, peek().column, `unexpected token: ${peek().text}`);
		next();
	};
	const expectSymbol = (symbol: string) => {
		if (peek().type !== 'symbol' || peek().text !== symbol) throw malformed(query, peek().column, `unexpected token: ${peek().text}`);
		next();
	};

	expectKeyword('SELECT');
	const selected: Token[] = [];
	let count = false;
	if (peek().type === 'word' && peek().text.toUpperCase() === 'COUNT()') {
		count = true;
		next();
	} else {
		do {
			if (selected.length > 0) next();
			if (peek().type !== 'word' || ['FROM'].includes(peek().text.toUpperCase())) throw malformed(query, peek().column, `unexpected token: ${peek().text}`);
			selected.push(next());
		} while (peek().type === 'symbol' && peek().text === ',');
	}
	expectKeyword('FROM');
	const objectToken = next();
	const table = tables.find((candidate) => candidate.name.toLowerCase() === objectToken.text.toLowerCase());
	if (objectToken.type !== 'word' || !table) {
		throw new SoqlError(
			'INVALID_TYPE',
			`\n${query}\n${' '.repeat(objectToken.column - 1)}^\nERROR at Row:1:Column:${objectToken.column}\nsObject type '${objectToken.text}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
		);
	}
	const field = (token: Token): FieldDef => {
		if (token.type !== 'word') throw malformed(query, token.column, `unexpected token: ${token.text}`);
		const found = table.fields.find((candidate) => candidate.name.toLowerCase() === token.text.toLowerCase());
		if (!found) {
			throw new SoqlError(
				'INVALID_FIELD',
				`\n${query}\n${' '.repeat(token.column - 1)}^\nERROR at Row:1:Column:${token.column}\nNo such column '${token.text}' on entity '${table.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
			);
		}
		return found;
	};
	const fields = selected.map(field);

	const where: Condition[] = [];
	if (keyword('WHERE')) {
		next();
		do {
			if (where.length > 0) next();
			where.push(condition(query, field(next()), peek, next, expectSymbol));
		} while (keyword('AND'));
		if (keyword('OR')) throw malformed(query, peek().column, 'unexpected token: OR (the sandbox supports AND only)');
	}
	const orderBy: ParsedQuery['orderBy'] = [];
	if (keyword('ORDER')) {
		next();
		expectKeyword('BY');
		do {
			if (orderBy.length > 0) next();
			const sortField = field(next());
			let descending = false;
			if (keyword('ASC') || keyword('DESC')) descending = next().text.toUpperCase() === 'DESC';
			let nullsLast = descending;
			if (keyword('NULLS')) {
				next();
				if (!keyword('FIRST') && !keyword('LAST')) throw malformed(query, peek().column, `unexpected token: ${peek().text}`);
				nullsLast = next().text.toUpperCase() === 'LAST';
			}
			orderBy.push({ field: sortField, descending, nullsLast });
		} while (peek().type === 'symbol' && peek().text === ',');
	}
	const integer = () => {
		const token = next();
		if (token.type !== 'number' || !/^\d+$/.test(token.text)) throw malformed(query, token.column, `unexpected token: ${token.text}`);
		return Number(token.text);
	};
	let limit: number | undefined;
	let offset: number | undefined;
	if (keyword('LIMIT')) {
		next();
		limit = integer();
	}
	if (keyword('OFFSET')) {
		next();
		offset = integer();
		if (offset > 2000) throw new SoqlError('MALFORMED_QUERY', 'Maximum SOQL offset allowed is 2000');
	}
	if (peek().type !== 'end') throw malformed(query, peek().column, `unexpected token: ${peek().text}`);
	return { table, count, fields, where, orderBy, limit, offset };
}

function condition(query: string, field: FieldDef, peek: () => Token, next: () => Token, expectSymbol: (symbol: string) => void): Condition {
	const token = next();
	let operator: Condition['operator'];
	if (token.type === 'symbol' && ['=', '!=', '<>', '<', '>', '<=', '>='].includes(token.text)) operator = (token.text === '<>' ? '!=' : token.text) as Condition['operator'];
	else if (token.type === 'word' && ['IN', 'LIKE'].includes(token.text.toUpperCase())) operator = token.text.toUpperCase() as Condition['operator'];
	else if (token.type === 'word' && token.text.toUpperCase() === 'NOT' && peek().type === 'word' && ['IN', 'LIKE'].includes(peek().text.toUpperCase())) operator = `NOT ${next().text.toUpperCase()}` as Condition['operator'];
	else throw malformed(query, token.column, `unexpected token: ${token.text}`);

	const values: Literal[] = [];
	if (operator === 'IN' || operator === 'NOT IN') {
		expectSymbol('(');
		do {
			if (values.length > 0) next();
			values.push(literal(query, next()));
		} while (peek().type === 'symbol' && peek().text === ',');
		expectSymbol(')');
	} else {
		values.push(literal(query, next()));
	}
	for (const value of values) checkLiteral(field, operator, value);
	return { field, operator, values };
}

function literal(query: string, token: Token): Literal {
	switch (token.type) {
		case 'string':
			return { kind: 'string', value: token.text.slice(1, -1).replace(/\\(.)/g, (_all, char: string) => ({ n: '\n', t: '\t', r: '\r' })[char] ?? char) };
		case 'number':
			return { kind: 'number', value: Number(token.text) };
		case 'date':
			return { kind: 'date', value: token.text };
		case 'datetime':
			return { kind: 'datetime', value: Date.parse(token.text) };
		case 'word': {
			const upper = token.text.toUpperCase();
			if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
			if (upper === 'NULL') return { kind: 'null' };
		}
	}
	throw malformed(query, token.column, `unexpected token: ${token.text}`);
}

/** Salesforce checks literal types against the field: numbers unquoted, dates unquoted, text quoted. */
function checkLiteral(field: FieldDef, operator: Condition['operator'], value: Literal): void {
	if (value.kind === 'null') {
		if (operator === '=' || operator === '!=' || operator === 'IN' || operator === 'NOT IN') return;
	}
	const wanted: Record<FieldType, { kind: Literal['kind']; label: string }> = {
		id: { kind: 'string', label: 'id' },
		reference: { kind: 'string', label: 'id' },
		string: { kind: 'string', label: 'string' },
		textarea: { kind: 'string', label: 'string' },
		picklist: { kind: 'string', label: 'string' },
		currency: { kind: 'number', label: 'double' },
		date: { kind: 'date', label: 'date' },
		datetime: { kind: 'datetime', label: 'dateTime' },
	};
	const expected = wanted[field.type];
	if (value.kind !== expected.kind) {
		const quoting = expected.kind === 'string' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
		throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', `value of filter criterion for field '${field.name}' must be of type ${expected.label} and ${quoting}`);
	}
	if ((operator === 'LIKE' || operator === 'NOT LIKE') && expected.kind !== 'string') {
		throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', `invalid operator on ${field.type} field: LIKE`);
	}
}

function comparable(field: FieldDef, value: FieldValue | Literal): string | number | boolean | null {
	if (value !== null && typeof value === 'object') {
		if (value.kind === 'null') return null;
		if (value.kind === 'datetime' || value.kind === 'number' || value.kind === 'boolean') return value.value;
		return comparable(field, value.value);
	}
	if (value === null) return null;
	if (field.type === 'datetime' && typeof value === 'string') return Date.parse(value.replace('+0000', 'Z'));
	if ((field.type === 'id' || field.type === 'reference') && typeof value === 'string') return value.slice(0, 15);
	if (typeof value === 'string' && field.type !== 'date') return value.toLowerCase();
	return value;
}

function like(value: string, pattern: string): boolean {
	let source = '';
	for (const char of pattern) source += char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^${source}$`, 'is').test(value);
}

function matches(row: Record<string, FieldValue>, condition: Condition): boolean {
	const actual = comparable(condition.field, row[condition.field.name]);
	const values = condition.values.map((value) => comparable(condition.field, value));
	switch (condition.operator) {
		case '=':
			return actual === values[0];
		case '!=':
			return actual !== values[0];
		case 'IN':
			return values.includes(actual);
		case 'NOT IN':
			return !values.includes(actual);
		case 'LIKE':
			return typeof actual === 'string' && like(actual, String(values[0]));
		case 'NOT LIKE':
			return typeof actual === 'string' && !like(actual, String(values[0]));
		default: {
			if (actual === null || values[0] === null) return false;
			const [left, right] = [actual, values[0]];
			if (condition.operator === '<') return left < right;
			if (condition.operator === '>') return left > right;
			if (condition.operator === '<=') return left <= right;
			return left >= right;
		}
	}
}

/** Runs a parsed query: the matching rows, projected onto the selected fields (or only counted). */
export function executeSoql(query: ParsedQuery): { totalSize: number; records: Array<Record<string, FieldValue>> } {
	let rows = query.table.rows().filter((row) => query.where.every((condition) => matches(row, condition)));
	if (query.orderBy.length) {
		rows = [...rows].sort((a, b) => {
			for (const { field, descending, nullsLast } of query.orderBy) {
				const left = comparable(field, a[field.name]);
				const right = comparable(field, b[field.name]);
				if (left === right) continue;
				if (left === null) return nullsLast ? 1 : -1;
				if (right === null) return nullsLast ? -1 : 1;
				return (left < right ? -1 : 1) * (descending ? -1 : 1);
			}
			return 0;
		});
	}
	rows = rows.slice(query.offset ?? 0, query.limit === undefined ? undefined : (query.offset ?? 0) + query.limit);
	if (query.count) return { totalSize: rows.length, records: [] };
	return {
		totalSize: rows.length,
		records: rows.map((row) => Object.fromEntries(query.fields.map((field) => [field.name, row[field.name] ?? null]))),
	};
}
