import { DateTime } from 'luxon';

import { InputError } from './errors';

/**
 * A point in time from a node parameter: n8n's date picker text ("2026-11-22T00:00:00", read as UTC unless
 * it carries an offset), ISO 8601, a luxon DateTime from an expression ($now), or a JS Date.
 */
export function optionalDateTime(value: unknown, field: string): DateTime | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const parsed =
		value instanceof Date
			? DateTime.fromJSDate(value, { zone: 'utc' })
			: DateTime.isDateTime(value)
				? value.toUTC()
				: typeof value === 'string'
					? DateTime.fromISO(value.trim(), { zone: 'utc' })
					: DateTime.invalid('not a date');
	if (!parsed.isValid) {
		throw new InputError(field, `${field} is not a valid date and time, got ${JSON.stringify(value)}`, 'Use ISO 8601, for example 2026-11-22T00:00:00Z.');
	}
	return parsed.toUTC();
}

/** A calendar date (YYYY-MM-DD), as providers take effective dates. */
export function optionalDate(value: unknown, field: string): string | undefined {
	return optionalDateTime(value, field)?.toISODate() ?? undefined;
}
