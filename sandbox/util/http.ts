import type { IncomingHttpHeaders } from 'node:http';

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJson(raw: string): JsonParse {
	try {
		return { ok: true, value: JSON.parse(raw) as unknown };
	} catch (error) {
		return { ok: false, error: error instanceof Error ? error.message : String(error) };
	}
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
	const match = /^Bearer\s+(.+)$/i.exec(header(headers, 'authorization') ?? '');
	return match?.[1].trim();
}

/**
 * Matches "/credit-memos/:id/void" against a path; returns the decoded parameters or undefined.
 * A parameter never spans a "/".
 */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
	const patternParts = pattern.split('/');
	const pathParts = path.replace(/\/+$/, '').split('/');
	if (patternParts.length !== pathParts.length) return undefined;
	const params: Record<string, string> = {};
	for (let i = 0; i < patternParts.length; i++) {
		const expected = patternParts[i];
		const actual = pathParts[i];
		if (expected.startsWith(':')) {
			if (!actual) return undefined;
			try {
				params[expected.slice(1)] = decodeURIComponent(actual);
			} catch {
				return undefined;
			}
		} else if (expected !== actual) {
			return undefined;
		}
	}
	return params;
}

/** "YYYY-MM-DD HH:MM:SS" in UTC (Magento's and Zuora's date-time format). */
export function sqlDateTime(date: Date): string {
	return date.toISOString().slice(0, 19).replace('T', ' ');
}

export function isoDate(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/** True for a real calendar date "YYYY-MM-DD". */
export function isCalendarDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const parsed = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}
