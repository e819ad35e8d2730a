import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../../nodes/shared/errors';
import type { ZuoraListInput } from '../../../nodes/shared/providers/zuora/mappers';
import { LIST_SORT, MAX_PAGE_SIZE, inCreatedWindow, listQuery, readListInput, tenantDateTime } from '../../../nodes/shared/providers/zuora/mappers';
import { list } from '../../../nodes/shared/providers/zuora/memos';
import { readSettings } from '../../../nodes/shared/providers/zuora/session';
import type { ZuoraCreditMemo } from '../../../nodes/shared/providers/zuora/types';
import type { HttpResponse, ParamReader, PreparedRequest, Session } from '../../../nodes/shared/types';

/** Zones with daylight saving (one at midnight, one by 30 minutes), half-hour and quarter-hour offsets. */
const ZONES = ['UTC', 'America/Los_Angeles', 'Europe/Paris', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago', 'Pacific/Chatham'];
/** GET_CreditMemos query parameters (v1 reference) the node may send. */
const DOCUMENTED = ['accountId', 'accountNumber', 'referredInvoiceId', 'status', 'currency', 'creditMemoDate'];
const LABELS = ['Account ID', 'Account Number', 'Invoice ID', 'Status', 'Currency', 'Credit Memo Date', 'Created After', 'Created Before'];
const FILTER_NAMES = ['accountId', 'accountNumber', 'referredInvoiceId', 'status', 'currency', 'creditMemoDate', 'createdAfter', 'createdBefore'];

function reader(filters: unknown): ParamReader {
	const values: IDataObject = { zuoraListFilters: filters as IDataObject };
	return { itemIndex: 0, get: <T>(name: string, fallback?: T) => (name in values ? values[name] : fallback) as T };
}

/** How Zuora's v1 API writes a date-time: "YYYY-MM-DD HH:MM:SS" in the tenant's zone, no offset. */
const zuoraText = (moment: DateTime, zone: string) => moment.setZone(zone).toFormat('yyyy-MM-dd HH:mm:ss');

const hostile = fc.oneof(
	fc.string({ unit: 'binary' }),
	fc.string({ unit: 'grapheme', maxLength: 80 }),
	fc.constantFrom('', '   ', 'null', 'Posted', 'posted', 'usd', 'EUR', '2026-11-22', '2026-11-22T00:00:00Z', 'a&page=9', 'x'.repeat(65), '<a>&"\''),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.string(), { maxLength: 2 }),
	fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);

describe('Zuora List: filters and query', () => {
	it('any filter values give an input error naming the filter, or only documented exact-value filters (property)', () => {
		fc.assert(
			fc.property(fc.dictionary(fc.constantFrom(...FILTER_NAMES), hostile), (filters) => {
				let input: ZuoraListInput;
				try {
					input = readListInput(reader(filters));
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					expect(LABELS).toContain((error as InputError).field);
					return;
				}
				for (const [key, value] of Object.entries(input.filters)) {
					expect(DOCUMENTED).toContain(key);
					expect(typeof value).toBe('string');
					expect(value).not.toBe('');
				}
				for (const key of ['accountId', 'accountNumber', 'referredInvoiceId'] as const) {
					if (key in input.filters) expect(input.filters[key]).toBe(String(filters[key]).trim());
				}
				if ('status' in input.filters) expect(['Draft', 'Posted', 'Canceled', 'Error', 'PendingForTax', 'Generating', 'CancelInProgress']).toContain(input.filters.status);
				if ('currency' in input.filters) expect(input.filters.currency).toMatch(/^[A-Z]{3}$/);
				if ('creditMemoDate' in input.filters) expect(input.filters.creditMemoDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
				if (input.createdAfter && input.createdBefore) expect(input.createdAfter <= input.createdBefore).toBe(true);
			}),
		);
	});

	it('every query keeps its filters, sorts newest first and names its page; it survives URL encoding (property)', () => {
		fc.assert(
			fc.property(
				fc.dictionary(fc.constantFrom('accountId', 'accountNumber', 'referredInvoiceId'), fc.string({ unit: 'binary', minLength: 1, maxLength: 64 })),
				fc.integer({ min: 1, max: 10_000 }),
				fc.integer({ min: 1, max: MAX_PAGE_SIZE }),
				(raw, page, pageSize) => {
					let filters: Record<string, string>;
					try {
						filters = readListInput(reader(raw)).filters;
					} catch (error) {
						expect(error).toBeInstanceOf(InputError);
						return;
					}
					const query = listQuery(filters, page, pageSize);
					expect(query).toEqual({ ...filters, sort: LIST_SORT, page, pageSize });
					const asStrings: Record<string, string> = Object.fromEntries(
						Object.entries(query).map(([key, value]) => [key, String(value)]),
					);
					const decoded = Object.fromEntries(new URLSearchParams(new URLSearchParams(asStrings).toString()));
					expect(decoded).toEqual(asStrings);
				},
			),
		);
	});
});

/** Whole-second instants in 2026, some near the year's daylight-saving changes. */
const instant = fc.oneof(
	fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }).map((ms) => DateTime.fromMillis(ms, { zone: 'utc' }).startOf('second')),
	fc
		.constantFrom('2026-03-08T10:00:00Z', '2026-11-01T09:00:00Z', '2026-10-25T01:00:00Z', '2026-04-04T15:00:00Z', '2026-04-05T03:00:00Z', '2026-09-06T04:00:00Z')
		.chain((at) => fc.integer({ min: -7200, max: 7200 }).map((seconds) => DateTime.fromISO(at, { zone: 'utc' }).plus({ seconds }))),
);

describe('Zuora List: created times and windows', () => {
	it('a Zuora date-time read in the tenant\'s zone is the same moment, unless the local time names two (property)', () => {
		fc.assert(
			fc.property(instant, fc.constantFrom(...ZONES), (moment, zone) => {
				const text = zuoraText(moment, zone);
				const read = tenantDateTime(text, zone)!;
				expect(zuoraText(read, zone)).toBe(text);
				if (read.toMillis() !== moment.toMillis()) expect(read.getPossibleOffsets().length).toBe(2);
			}),
		);
	});

	it('back-to-back windows list each memo once and leave none out (property)', () => {
		fc.assert(
			fc.property(fc.uniqueArray(instant, { minLength: 3, maxLength: 3, selector: (moment) => moment.toMillis() }), fc.array(instant, { maxLength: 10 }), (bounds, created) => {
				const [a, b, c] = bounds.sort((x, y) => x.toMillis() - y.toMillis());
				for (const moment of [...created, a, b, c, b.minus({ seconds: 1 })]) {
					const listed = [inCreatedWindow(moment, { createdAfter: a, createdBefore: b }), inCreatedWindow(moment, { createdAfter: b, createdBefore: c })].filter(Boolean).length;
					expect(listed).toBe(moment >= a && moment < c ? 1 : 0);
				}
			}),
		);
	});
});

interface SimulatedMemo {
	id: string;
	number: string;
	created: DateTime;
}

/** Zuora's list as the v1 reference documents it: `sort=createdDate,number` newest first, `page` / `pageSize`, `nextPage`. */
function simulatedZuora(memos: SimulatedMemo[], zone: string) {
	const ordered = [...memos].sort((a, b) => b.created.toMillis() - a.created.toMillis() || b.number.localeCompare(a.number));
	const pages: number[] = [];
	const session = {
		provider: 'zuora' as const,
		settings: async () => readSettings({ environment: 'custom', baseUrl: 'https://zuora.test', zuoraVersion: '2025-08-12', tenantTimeZone: zone }),
		baseUrl: async () => 'https://zuora.test',
		close: async () => {},
		async send(request: PreparedRequest): Promise<HttpResponse> {
			const { page, pageSize, sort } = request.qs as { page: number; pageSize: number; sort: string };
			expect(sort).toBe(LIST_SORT);
			expect(pageSize).toBeLessThanOrEqual(MAX_PAGE_SIZE);
			pages.push(page);
			const slice = ordered.slice((page - 1) * pageSize, page * pageSize);
			const creditmemos: ZuoraCreditMemo[] = slice.map((memo) => ({ id: memo.id, number: memo.number, createdDate: zuoraText(memo.created, zone), status: 'Posted' }));
			return { statusCode: 200, headers: {}, body: { creditmemos, ...(page * pageSize < ordered.length ? { nextPage: `https://zuora.test/v1/credit-memos?page=${page + 1}` } : {}), success: true } };
		},
	};
	return { session: session as Session, ordered, pages };
}

describe('Zuora List: paging with a created window against a simulated Zuora', () => {
	it('lists exactly the window\'s memos newest first, up to the Limit, and reads no page past the window\'s start (property)', async () => {
		const scenario = fc
			.record({
				zone: fc.constantFrom(...ZONES),
				// Up to four pages of memos, within days of each other so that windows and pages meet.
				created: fc
					.tuple(instant, fc.integer({ min: 0, max: 130 }))
					.chain(([center, count]) => fc.array(fc.integer({ min: -3 * 86_400, max: 3 * 86_400 }).map((seconds) => center.plus({ seconds })), { minLength: count, maxLength: count })),
				limit: fc.option(fc.integer({ min: 1, max: 150 }), { nil: undefined }),
			})
			.chain(({ zone, created, limit }) => {
				// Only local times that name one moment: Zuora's text for the others cannot be read back exactly.
				const memos = created
					.filter((moment) => tenantDateTime(zuoraText(moment, zone), zone)!.toMillis() === moment.toMillis())
					.map((moment, index) => ({ id: `id-${index}`, number: `CM${String(index).padStart(8, '0')}`, created: moment }));
				const bound = fc.option(
					memos.length ? fc.oneof(instant, fc.constantFrom(...memos.map((memo) => memo.created))) : instant,
					{ nil: undefined },
				);
				return fc.record({ zone: fc.constant(zone), memos: fc.constant(memos), limit: fc.constant(limit), after: bound, before: bound });
			});

		await fc.assert(
			fc.asyncProperty(scenario, async ({ zone, memos, limit, after, before }) => {
				const [createdAfter, createdBefore] = after && before && after > before ? [before, after] : [after, before];
				const zuora = simulatedZuora(memos, zone);
				const input: ZuoraListInput = { filters: {}, ...(createdAfter ? { createdAfter } : {}), ...(createdBefore ? { createdBefore } : {}) };

				const listed = await list.execute(zuora.session, input, limit);

				const inWindow = zuora.ordered.filter((memo) => inCreatedWindow(memo.created, input));
				expect(listed.map((memo) => memo.creditMemoId)).toEqual(inWindow.slice(0, limit).map((memo) => memo.id));
				for (const memo of listed) expect(memo.createdAt).toBe(memos.find((entry) => entry.id === memo.creditMemoId)!.created.toUTC().toISO());

				// The pages needed: until the Limit is reached, the window's start is passed, or Zuora has no more.
				const windowed = createdAfter !== undefined || createdBefore !== undefined;
				const pageSize = !windowed && limit !== undefined ? Math.min(limit, MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
				let needed = 0;
				for (let found = 0; ; ) {
					needed++;
					const page = zuora.ordered.slice((needed - 1) * pageSize, needed * pageSize);
					found += page.filter((memo) => inCreatedWindow(memo.created, input)).length;
					if (limit !== undefined && found >= limit) break;
					if (createdAfter && page.length && page[page.length - 1].created < createdAfter) break;
					if (needed * pageSize >= zuora.ordered.length) break;
				}
				expect(zuora.pages).toEqual(Array.from({ length: needed }, (_, index) => index + 1));
			}),
			{ numRuns: 300 },
		);
	});
});
