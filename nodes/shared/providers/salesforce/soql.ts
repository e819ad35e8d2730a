/** A SOQL string literal: quotes and backslashes escaped, so a value can never change the query. */
export function soqlString(value: string): string {
	return `'${value.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}

/** `SELECT <fields> FROM <object> WHERE <field> IN (<values>)`: the one query shape this package needs. */
export function selectWhereIn(fields: readonly string[], object: string, field: string, values: readonly string[]): string {
	return `SELECT ${fields.join(', ')} FROM ${object} WHERE ${field} IN (${values.map(soqlString).join(', ')})`;
}
