import type { DateTime } from 'luxon';

/** A SOQL string literal: quotes and backslashes escaped, so a value can never change the query. */
export function soqlString(value: string): string {
	return `'${value.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}

/**
 * A SOQL dateTime literal in UTC, to the second: SOQL's literal formats have no fractional seconds. Record
 * times (CreatedDate) are whole seconds, so rounding up keeps both `>=` and `<` exact: a record is at or
 * after 10:00:00.5 exactly when it is at or after 10:00:01.
 */
export function soqlDateTime(value: DateTime): string {
	const utc = value.toUTC();
	const second = utc.millisecond ? utc.startOf('second').plus({ seconds: 1 }) : utc;
	return second.toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
}

/** One condition; values are always literals built here, never text from a user. */
export type SoqlCondition =
	| { field: string; operator: '=' | '>=' | '<'; value: string | DateTime }
	| { field: string; operator: 'IN'; value: readonly string[] };

export interface SoqlSelect {
	fields: readonly string[];
	from: string;
	/** Joined with AND. */
	where?: SoqlCondition[];
	orderBy?: readonly string[];
	limit?: number;
}

function literal(value: string | DateTime): string {
	return typeof value === 'string' ? soqlString(value) : soqlDateTime(value);
}

/** `SELECT … FROM … [WHERE … AND …] [ORDER BY …] [LIMIT n]`: every query this package sends. */
export function select(query: SoqlSelect): string {
	const where = (query.where ?? []).map((condition) =>
		condition.operator === 'IN' ? `${condition.field} IN (${condition.value.map(soqlString).join(', ')})` : `${condition.field} ${condition.operator} ${literal(condition.value)}`,
	);
	return [
		`SELECT ${query.fields.join(', ')} FROM ${query.from}`,
		where.length ? `WHERE ${where.join(' AND ')}` : '',
		query.orderBy?.length ? `ORDER BY ${query.orderBy.join(', ')}` : '',
		query.limit === undefined ? '' : `LIMIT ${query.limit}`,
	]
		.filter(Boolean)
		.join(' ');
}
