import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../../nodes/shared/errors';
import { callEnvelope, decode } from '../../../nodes/shared/providers/magentoSoap/envelopes';
import type { CreditmemoFilter } from '../../../nodes/shared/providers/magentoSoap/mappers';
import { cancelCall, listCall, readListInput, referenceOf } from '../../../nodes/shared/providers/magentoSoap/mappers';
import { refundMarker } from '../../../nodes/shared/reference';
import type { ApiStyle, Decoded } from '../../../nodes/shared/providers/magentoSoap/types';
import { child, parseXml } from '../../../nodes/shared/providers/magentoSoap/xml';
import type { ParamReader } from '../../../nodes/shared/types';

const STYLES: ApiStyle[] = ['v1', 'v2', 'wsi'];
const settings = (style: ApiStyle) => ({ style, endpoint: 'https://shop.example.com/api/v2_soap/', namespace: 'urn:OpenMage' });
const STORE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function reader(filters: unknown, extra: IDataObject = {}): ParamReader {
	const values: IDataObject = { magentoSoapListFilters: filters as IDataObject, ...extra };
	return { itemIndex: 0, get: <T>(name: string, fallback?: T) => (name in values ? values[name] : fallback) as T };
}

const filterOf = (filters: IDataObject) => readListInput(reader(filters)).filter;

/** Magento's `from`/`to`: both ends included, compared as text (the store's format sorts as time does). */
const inWindow = (window: CreditmemoFilter['createdAt'], createdAt: string) => (window?.from === undefined || createdAt >= window.from) && (window?.to === undefined || createdAt <= window.to);
const storeText = (moment: DateTime) => moment.toUTC().toFormat('yyyy-MM-dd HH:mm:ss');

/** Instants in the store's range of 4-digit years: with milliseconds, or on a whole second (as n8n's date picker gives). */
const anyInstant = fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }).map((ms) => DateTime.fromMillis(ms, { zone: 'utc' }));
const instant = fc.oneof(anyInstant, anyInstant.map((moment) => moment.startOf('second')));
/** A whole second near a boundary, or anywhere: where a window could go wrong. */
const secondNear = (moments: DateTime[]) =>
	fc.oneof(
		fc.constantFrom(...moments).chain((moment) => fc.integer({ min: -2, max: 2 }).map((offset) => moment.startOf('second').plus({ seconds: offset }))),
		instant.map((moment) => moment.startOf('second')),
	);

describe('List filters: the created range in the store\'s format', () => {
	it('selects exactly the memos created at or after Created After and before Created Before (property)', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(instant, { minLength: 2, maxLength: 2, selector: (moment) => moment.toMillis() }).chain((pair) => {
					const [after, before] = pair.sort((a, b) => a.toMillis() - b.toMillis());
					return fc.tuple(fc.constant(after), fc.constant(before), fc.array(secondNear([after, before]), { minLength: 1, maxLength: 8 }));
				}),
				([after, before, createdTimes]) => {
					const window = filterOf({ createdAfter: after.toISO(), createdBefore: before.toISO() }).createdAt;
					expect(window?.from).toMatch(STORE_TIME);
					expect(window?.to).toMatch(STORE_TIME);
					for (const created of createdTimes) {
						expect(inWindow(window, storeText(created))).toBe(created >= after && created < before);
					}
				},
			),
		);
	});

	it('back-to-back ranges never list a memo twice and leave none out (property)', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(instant, { minLength: 3, maxLength: 3, selector: (moment) => moment.toMillis() }).chain((moments) => {
					const [a, b, c] = moments.sort((x, y) => x.toMillis() - y.toMillis());
					return fc.tuple(fc.constant([a, b, c]), fc.array(secondNear([a, b, c]), { minLength: 1, maxLength: 8 }));
				}),
				([[a, b, c], createdTimes]) => {
					const first = filterOf({ createdAfter: a.toISO(), createdBefore: b.toISO() }).createdAt;
					const second = filterOf({ createdAfter: b.toISO(), createdBefore: c.toISO() }).createdAt;
					for (const created of createdTimes) {
						const listed = [first, second].filter((window) => inWindow(window, storeText(created))).length;
						expect(listed).toBe(created >= a && created < c ? 1 : 0);
					}
				},
			),
		);
	});

	it('the same moment in any time zone or form is the same UTC bound (property)', () => {
		fc.assert(
			fc.property(instant, fc.integer({ min: -14 * 60, max: 14 * 60 }), (moment, offsetMinutes) => {
				const zoned = moment.setZone(`UTC${offsetMinutes < 0 ? '-' : '+'}${Math.floor(Math.abs(offsetMinutes) / 60)}:${String(Math.abs(offsetMinutes) % 60).padStart(2, '0')}`);
				const expected = filterOf({ createdAfter: moment.toISO() }).createdAt;
				expect(filterOf({ createdAfter: zoned.toISO() }).createdAt).toEqual(expected);
				expect(filterOf({ createdAfter: zoned }).createdAt).toEqual(expected);
				expect(filterOf({ createdAfter: moment.toJSDate() }).createdAt).toEqual(expected);
			}),
		);
	});

	it('examples: whole seconds, fractions, n8n\'s picker text (UTC), the edges', () => {
		expect(filterOf({ createdAfter: '2026-03-09T00:00:00', createdBefore: '2026-03-10T00:00:00' }).createdAt).toEqual({ from: '2026-03-09 00:00:00', to: '2026-03-09 23:59:59' });
		expect(filterOf({ createdAfter: '2026-03-09T00:00:00.001Z', createdBefore: '2026-03-09T10:00:00.500Z' }).createdAt).toEqual({ from: '2026-03-09 00:00:01', to: '2026-03-09 10:00:00' });
		expect(filterOf({ createdAfter: '2026-03-09T00:00:00-05:00' }).createdAt).toEqual({ from: '2026-03-09 05:00:00', to: undefined });
		expect(filterOf({ createdBefore: '2026-01-01T00:00:00Z' }).createdAt).toEqual({ from: undefined, to: '2025-12-31 23:59:59' });
		expect(() => filterOf({ createdAfter: '0999-12-31T23:59:59Z' })).toThrow('Created After must be between the years 1000 and 9999');
		expect(() => filterOf({ createdAfter: '2026-03-09T10:00:00Z', createdBefore: '2026-03-09T10:00:00Z' })).toThrow('is not earlier than Created Before');
	});
});

/** The list's conditions as Magento's parseFilters would see them, read back from each style's envelope. */
function conditionsSent(style: ApiStyle, filter: CreditmemoFilter): Record<string, unknown> {
	const body = callEnvelope(settings(style), listCall(filter), 'session');
	const operation = child(parseXml(body), 'Body')?.children[0];
	if (!operation) throw new Error('no operation');
	if (style === 'v1') {
		const args = decode(child(operation, 'args')!) as Decoded[];
		expect(args).toHaveLength(1);
		// An empty PHP array comes back as an empty list.
		return Array.isArray(args[0]) ? {} : (args[0] as Record<string, unknown>);
	}
	const filters = decode(child(operation, 'filters')!) as Record<string, Decoded> | string;
	const conditions: Record<string, Record<string, unknown> | unknown> = {};
	if (typeof filters === 'string') return conditions;
	for (const entry of (filters.filter as Array<Record<string, string>> | undefined) ?? []) conditions[entry.key] = entry.value;
	for (const entry of (filters.complex_filter as Array<{ key: string; value: { key: string; value: string } }> | undefined) ?? []) {
		const operators = (conditions[entry.key] ?? {}) as Record<string, unknown>;
		// formatFilterConditionValue splits `in` on commas.
		operators[entry.value.key] = entry.value.key === 'in' ? entry.value.value.split(',') : entry.value.value;
		conditions[entry.key] = operators;
	}
	return conditions;
}

const xmlChars = (value: string) => [...value].every((char) => /[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(char));
const FILTER_FIELDS = ['Order Increment ID', 'Increment ID From', 'Increment ID To', 'State', 'Created After', 'Created Before', 'Include Items and Comments'];

describe('List filters on the wire', () => {
	it('every filter reaches Magento unchanged in all three styles, XML metacharacters included (property)', () => {
		const id = fc.string({ unit: 'binary', minLength: 1, maxLength: 50 }).filter((value) => value.trim() !== '' && xmlChars(value) && !/[\r]/.test(value));
		const moment = fc.constantFrom('2011-05-20 00:00:00', '2026-12-31 23:59:59');
		fc.assert(
			fc.property(
				fc.record(
					{
						orderId: id,
						incrementId: fc.record({ from: id, to: id }, { requiredKeys: [] }),
						states: fc.subarray(['1', '2', '3'], { minLength: 1 }),
						createdAt: fc.record({ from: moment, to: moment }, { requiredKeys: [] }),
					},
					{ requiredKeys: [] },
				),
				fc.constantFrom(...STYLES),
				(filter, style) => {
					const expected: Record<string, unknown> = {};
					if (filter.orderId !== undefined) expected.order_id = filter.orderId;
					const range = (value: { from?: string; to?: string } | undefined) => (value && Object.keys(value).length ? value : undefined);
					if (range(filter.incrementId)) expected.increment_id = filter.incrementId;
					if (filter.states) expected.state = { in: filter.states };
					if (range(filter.createdAt)) expected.created_at = filter.createdAt;
					expect(conditionsSent(style, filter)).toEqual(expected);
				},
			),
		);
	});

	it('hostile filter values give an input error naming the filter, or filters that are sent unchanged (property)', () => {
		const hostile = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.anything(), fc.constant('<![CDATA[x]]>&amp;'), fc.constantFrom(['open'], ['refunded', 'bogus'], 'open, canceled'));
		fc.assert(
			fc.property(
				fc.record({ orderIncrementId: hostile, incrementIdFrom: hostile, incrementIdTo: hostile, state: hostile, createdAfter: hostile, createdBefore: hostile }, { requiredKeys: [] }),
				hostile,
				(filters, details) => {
					let input;
					try {
						input = readListInput(reader(filters, { magentoSoapIncludeDetails: details as IDataObject }));
					} catch (error) {
						expect(error).toBeInstanceOf(InputError);
						expect(FILTER_FIELDS).toContain((error as InputError).field);
						return;
					}
					for (const style of STYLES) {
						const sent = conditionsSent(style, { ...input.filter, orderId: input.orderIncrementId });
						if (input.orderIncrementId !== undefined) expect(sent.order_id).toBe(input.orderIncrementId);
						if (input.filter.incrementId) expect(sent.increment_id).toEqual(JSON.parse(JSON.stringify(input.filter.incrementId)));
						if (input.filter.createdAt) expect(Object.values(sent.created_at as object).every((value) => STORE_TIME.test(String(value)))).toBe(true);
					}
				},
			),
		);
	});

	it('states are Magento\'s codes; the multi-select, or text from an expression', () => {
		expect(filterOf({ state: ['canceled', 'open', 'open'] }).states).toEqual(['3', '1']);
		expect(filterOf({ state: 'refunded, canceled' }).states).toEqual(['2', '3']);
		expect(filterOf({ state: [] }).states).toBeUndefined();
		expect(() => filterOf({ state: ['toString'] })).toThrow('State "toString" is not one of open, refunded, canceled');
	});

	it('no filter at all lists every memo: an empty filters element in every style', () => {
		for (const style of STYLES) expect(conditionsSent(style, {})).toEqual({});
		expect(callEnvelope(settings('v2'), listCall({}), 's')).toContain('<filters xsi:type="ns1:filters"/>');
	});

	it('a cancel names only the memo', () => {
		expect(callEnvelope(settings('wsi'), cancelCall('1000<&>'), 's')).toContain('<creditmemoIncrementId>1000&lt;&amp;&gt;</creditmemoIncrementId>');
	});
});

describe('the Refund Reference of a memo, from its comments', () => {
	it('is the reference of the line the node writes, whatever the reference and the comment above it (property)', () => {
		const line = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((value) => value.trim() !== '' && xmlChars(value) && !/[\r\n]/.test(value));
		const comment = fc.string({ unit: 'binary', maxLength: 80 }).filter(xmlChars);
		fc.assert(
			fc.property(line, comment, fc.stringMatching(/^[0-9a-f]{8}$/), (reference, userComment, fingerprint) => {
				const text = [userComment.replace(/\r\n?/g, '\n'), refundMarker(reference, fingerprint)].filter(Boolean).join('\n');
				expect(referenceOf({ comments: [{ comment: 'Refund sent' }, { comment: text }] })).toBe(reference);
			}),
		);
	});

	it('is null without such a line', () => {
		expect(referenceOf({ comments: [{ comment: 'Test CreditMemo successfully created' }, { comment: '[ref:RET-1]' }] })).toBeNull();
		expect(referenceOf({})).toBeNull();
	});
});
