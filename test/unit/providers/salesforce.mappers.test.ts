import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../../nodes/shared/errors';
import { KEY_PREFIX, parseRecordId, toId18 } from '../../../nodes/shared/providers/salesforce/ids';
import { apiBaseUrl } from '../../../nodes/shared/providers/salesforce';
import {
	appendLine,
	assertFits,
	defaultReference,
	describedWith,
	descriptionLength,
	queryableFields,
	readChangeOrderIds,
	readCommentInput,
	readCreateInput,
	readListFilter,
	referenceLine,
	referencesIn,
	toListQuery,
} from '../../../nodes/shared/providers/salesforce/mappers';
import { select, soqlDateTime, soqlString } from '../../../nodes/shared/providers/salesforce/soql';
import type { ParamReader } from '../../../nodes/shared/types';

function params(values: IDataObject): ParamReader {
	return { itemIndex: 0, get: <T>(name: string, fallback?: T) => (name in values ? values[name] : fallback) as T };
}

const ALNUM = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
const id15 = (prefix: string) => fc.array(fc.constantFrom(...ALNUM), { minLength: 12, maxLength: 12 }).map((rest) => prefix + rest.join(''));

const hostile = fc.oneof(
	fc.constantFrom(NaN, Infinity, -1, 0, 1e21, '', ' ', ',', '[]', '[1,2]', '["801R0000000EAAkIAO", {}]', '<x>&amp;', "'; DELETE", null, true, {}, [], [null], '9'.repeat(400)),
	fc.string(),
	fc.string({ unit: 'binary' }),
	fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null))),
	id15('801'),
	id15('1Os'),
);

describe('Salesforce IDs', () => {
	it('computes the 18-character form of the documented example IDs', () => {
		expect(toId18('801R0000000EAAk')).toBe('801R0000000EAAkIAO');
		expect(toId18('50gR000000000JN')).toBe('50gR000000000JNIAY');
		expect(toId18('801R0000000EAAkIAO')).toBe('801R0000000EAAkIAO');
	});

	it('restores the case of an 18-character ID that another system lower- or upper-cased', () => {
		expect(toId18('801r0000000eaakiao')).toBe('801R0000000EAAkIAO');
		expect(toId18('801R0000000EAAKIAO')).toBe('801R0000000EAAkIAO');
	});

	it('round-trips every 15-character ID, case-insensitively in its 18-character form', () => {
		fc.assert(
			fc.property(id15('801'), (id) => {
				const long = toId18(id)!;
				expect(long).toHaveLength(18);
				expect(long.slice(0, 15)).toBe(id);
				expect(toId18(long)).toBe(long);
				expect(toId18(long.toLowerCase())).toBe(long);
				expect(toId18(long.toUpperCase())).toBe(long);
			}),
		);
	});

	it('rejects a suffix that marks a digit as upper case, and anything that is not 15 or 18 letters and digits', () => {
		expect(toId18('801R0000000EAAk5AO')).toBeNull();
		for (const bad of ['801R0000000EAA', '801R0000000EAAkI', '801R0000000EAAk-AO', '801R0000000EAAkIAOX', '801R0000000EAAkIA9']) expect(toId18(bad)).toBeNull();
	});

	it('names the kind of record when an ID of another object is given', () => {
		expect(() => parseRecordId('50gR000000000JNIAY', 'Order Summary ID', KEY_PREFIX.orderSummary)).toThrow(
			'Order Summary ID 50gR000000000JNIAY is the ID of a Credit Memo, not of an Order Summary (prefix 1Os)',
		);
		expect(() => parseRecordId('001R0000000EAAkIAO', 'Order Summary ID', KEY_PREFIX.orderSummary)).toThrow('another kind of record (prefix 001)');
	});
});

describe('Salesforce create mapping', () => {
	it('accepts one ID, a separated list, a JSON list or a list from an expression, in 15 or 18 characters', () => {
		const both = ['801R0000000EAAkIAO', '801R0000000EAAlIAO'];
		expect(readChangeOrderIds('801R0000000EAAk')).toEqual([both[0]]);
		expect(readChangeOrderIds(' 801R0000000EAAkIAO,801R0000000EAAl ; ')).toEqual(both);
		expect(readChangeOrderIds('801R0000000EAAkIAO\n801R0000000EAAlIAO')).toEqual(both);
		expect(readChangeOrderIds('["801R0000000EAAkIAO", "801R0000000EAAlIAO"]')).toEqual(both);
		expect(readChangeOrderIds(both)).toEqual(both);
	});

	it('derives the same reference from the same change orders in any order, and writes only a given one', () => {
		const a = readCreateInput(params({ orderSummaryId: '1OsR0000000EAAkKAO', changeOrderIds: '801R0000000EAAkIAO, 801R0000000EAAlIAO' }));
		const b = readCreateInput(params({ orderSummaryId: '1OsR0000000EAAkKAO', changeOrderIds: ['801R0000000EAAl', '801R0000000EAAk'], refundReference: '' }));
		expect(a.reference).toBe('801R0000000EAAkIAO,801R0000000EAAlIAO');
		expect(b.reference).toBe(a.reference);
		expect(a.writeReference).toBe(false);
		expect(defaultReference(['b', 'a'])).toBe('a,b');
		const given = readCreateInput(params({ orderSummaryId: '1OsR0000000EAAkKAO', changeOrderIds: '801R0000000EAAkIAO', refundReference: ' RET-1 ', options: { ensureRefunds: true } }));
		expect(given).toEqual({ orderSummaryId: '1OsR0000000EAAkKAO', changeOrderIds: ['801R0000000EAAkIAO'], reference: 'RET-1', writeReference: true, ensureRefunds: true });
	});

	it('refuses a reference on more than one line: it is one line of the Description', () => {
		expect(() => readCreateInput(params({ orderSummaryId: '1OsR0000000EAAkKAO', changeOrderIds: '801R0000000EAAkIAO', refundReference: 'RET-1\nRET-2' }))).toThrow(
			'Refund Reference must be one line',
		);
	});

	it('turns any hostile input into a valid create input or an InputError naming the field, never anything else', () => {
		fc.assert(
			fc.property(hostile, hostile, hostile, (orderSummaryId, changeOrderIds, refundReference) => {
				let input;
				try {
					input = readCreateInput(params({ orderSummaryId, changeOrderIds, refundReference }));
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					expect((error as InputError).field).toMatch(/^(Order Summary ID|Change Order IDs(\[\d+\])?|Refund Reference)$/);
					return;
				}
				expect(input.orderSummaryId).toMatch(/^1Os[a-zA-Z0-9]{12}[A-Z0-5]{3}$/);
				expect(input.changeOrderIds.length).toBeGreaterThan(0);
				for (const id of input.changeOrderIds) expect(id).toMatch(/^801[a-zA-Z0-9]{12}[A-Z0-5]{3}$/);
				expect(new Set(input.changeOrderIds).size).toBe(input.changeOrderIds.length);
				expect(input.reference).not.toMatch(/[\r\n]/);
			}),
		);
	});

	it('finds the references written into a Description among its other lines', () => {
		const description = appendLine(appendLine(null, referenceLine('RET-1')), 'Customer called');
		expect(description).toBe('Refund Reference: RET-1\nCustomer called');
		expect(referencesIn(description)).toEqual(['RET-1']);
		expect(referencesIn('Customer called\nRefund Reference: RET-2')).toEqual(['RET-2']);
		expect(referencesIn(null)).toEqual([]);
	});
});

describe('Salesforce comment mapping', () => {
	const input = (comment: string, mode: 'append' | 'replace' = 'append') => ({ creditMemoId: '50gR000000000JNIAY', comment, mode });

	it('appends a line, replaces, and never appends the same comment twice in a row', () => {
		expect(describedWith('Refund Reference: RET-1', input('Called'))).toBe('Refund Reference: RET-1\nCalled');
		expect(describedWith(null, input('Called'))).toBe('Called');
		expect(describedWith('Refund Reference: RET-1\nCalled', input('Called'))).toBe('Refund Reference: RET-1\nCalled');
		expect(describedWith('Called\nLater', input('Called'))).toBe('Called\nLater\nCalled');
		expect(describedWith('Anything', input('New', 'replace'))).toBe('New');
	});

	it('keeps every character of the current text and the comment, and refuses rather than cuts an over-long result', () => {
		fc.assert(
			fc.property(fc.option(fc.string({ unit: 'binary', maxLength: 300 })), fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 700 }), (current, comment, max) => {
				const result = describedWith(current, input(comment));
				expect(result.endsWith(comment)).toBe(true);
				if (current) expect(result.startsWith(current)).toBe(true);
				let refused = false;
				try {
					assertFits(result, max, input(comment));
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					expect((error as InputError).field).toBe('Comment');
					refused = true;
				}
				expect(refused).toBe(result.length > max);
			}),
		);
		expect(() => assertFits('x'.repeat(10), undefined, input('x'))).not.toThrow();
	});

	it('reads the Description length from describe, if it says', () => {
		expect(descriptionLength({ fields: [{ name: 'Id', length: 18 }, { name: 'Description', length: 32000 }] })).toBe(32000);
		expect(descriptionLength({ fields: [{ name: 'Id', length: 18 }] })).toBeUndefined();
		expect(descriptionLength({})).toBeUndefined();
	});

	it('turns any hostile comment input into a valid input or an InputError naming the field', () => {
		fc.assert(
			fc.property(hostile, hostile, fc.oneof(fc.constantFrom('append', 'replace'), fc.string()), (creditMemoId, comment, descriptionMode) => {
				try {
					const read = readCommentInput(params({ creditMemoId, comment, descriptionMode }));
					expect(read.creditMemoId).toMatch(/^50g/);
					expect(read.comment.length).toBeGreaterThan(0);
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					expect((error as InputError).field).toMatch(/^(Credit Memo ID|Comment|Write Mode)$/);
				}
			}),
		);
	});
});

describe('SOQL', () => {
	it('escapes every string literal so a value can never end it', () => {
		expect(soqlString("O'Brien \\ x")).toBe("'O\\'Brien \\\\ x'");
		fc.assert(
			fc.property(fc.string({ unit: 'binary' }), (value) => {
				const literal = soqlString(value);
				const inner = literal.slice(1, -1);
				// No quote that is not escaped, and unescaping gives the value back.
				expect(inner.replace(/\\./g, '')).not.toContain("'");
				expect(inner.replace(/\\(.)/g, '$1')).toBe(value);
			}),
		);
		expect(select({ fields: ['Id', 'OrderId'], from: 'OrderItem', where: [{ field: 'OrderId', operator: 'IN', value: ['a', "b'"] }] })).toBe(
			"SELECT Id, OrderId FROM OrderItem WHERE OrderId IN ('a', 'b\\'')",
		);
	});
});

describe('List (SOQL on CreditMemo)', () => {
	const FIELDS = ['Id', 'DocumentNumber', 'CreatedDate'];

	it('writes dateTime literals in UTC, to the second, rounding fractions up so >= and < stay exact', () => {
		expect(soqlDateTime(DateTime.fromISO('2026-03-09T00:00:00+01:00'))).toBe('2026-03-08T23:00:00Z');
		expect(soqlDateTime(DateTime.fromISO('2026-03-09T10:00:00.001Z'))).toBe('2026-03-09T10:00:01Z');
		expect(soqlDateTime(DateTime.fromISO('2026-12-31T23:59:59.999Z'))).toBe('2027-01-01T00:00:00Z');
	});

	it('filters by order summary and a half-open created range, oldest first, with a LIMIT only when one is set', () => {
		const filter = readListFilter(
			params({ salesforceListFilters: { orderSummaryId: '1OsR0000000EAAk', createdAfter: '2026-03-08T00:00:00', createdBefore: DateTime.fromISO('2026-03-09T00:00:00', { zone: 'Europe/Berlin' }) } }),
		);
		expect(filter.orderSummaryId).toBe('1OsR0000000EAAkKAO');
		expect(toListQuery(FIELDS, filter, 50)).toBe(
			"SELECT Id, DocumentNumber, CreatedDate FROM CreditMemo WHERE ReferenceEntityId = '1OsR0000000EAAkKAO' AND CreatedDate >= 2026-03-08T00:00:00Z AND CreatedDate < 2026-03-08T23:00:00Z ORDER BY CreatedDate, Id LIMIT 50",
		);
		expect(toListQuery(FIELDS, readListFilter(params({})), undefined)).toBe('SELECT Id, DocumentNumber, CreatedDate FROM CreditMemo ORDER BY CreatedDate, Id');
		expect(toListQuery(FIELDS, readListFilter(params({ salesforceListFilters: { createdAfter: '', orderSummaryId: ' ' } })), 1)).toBe(
			'SELECT Id, DocumentNumber, CreatedDate FROM CreditMemo ORDER BY CreatedDate, Id LIMIT 1',
		);
	});

	it('refuses a range that cannot match and IDs of other records, naming the field', () => {
		const read = (filters: IDataObject) => () => readListFilter(params({ salesforceListFilters: filters }));
		expect(read({ createdAfter: '2026-03-09T00:00:00Z', createdBefore: '2026-03-09T00:00:00Z' })).toThrow('is not earlier than Created Before');
		expect(read({ createdAfter: 'yesterday' })).toThrow('Created After is not a valid date and time, got "yesterday"');
		expect(read({ orderSummaryId: '801R0000000EAAkIAO' })).toThrow('Order Summary ID 801R0000000EAAkIAO is the ID of an Order (change orders are Orders), not of an Order Summary (prefix 1Os)');
	});

	it('turns any hostile filter into a query whose only literals are an order summary ID and UTC times, or an InputError naming the field', () => {
		const date = fc.date({ noInvalidDate: true, min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z') });
		const when = fc.oneof(hostile, date, date.map((value) => value.toISOString()), date.map((value) => DateTime.fromJSDate(value).setZone('Asia/Kolkata')));
		const condition = "(ReferenceEntityId = '1Os[A-Za-z0-9]{15}'|CreatedDate (>=|<) \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ)";
		const shape = new RegExp(`^SELECT Id, DocumentNumber, CreatedDate FROM CreditMemo (WHERE ${condition}( AND ${condition})* )?ORDER BY CreatedDate, Id( LIMIT \\d+)?$`);
		let queries = 0;
		fc.assert(
			fc.property(fc.oneof(hostile, id15('1Os')), when, when, fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }), (orderSummaryId, createdAfter, createdBefore, limit) => {
				try {
					const soql = toListQuery(FIELDS, readListFilter(params({ salesforceListFilters: { orderSummaryId, createdAfter, createdBefore } })), limit);
					expect(soql).toMatch(shape);
					queries += 1;
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					expect((error as InputError).field).toMatch(/^(Order Summary ID|Created After|Created Before)$/);
				}
			}),
			{ numRuns: 500 },
		);
		// The property saw real queries, not only refusals.
		expect(queries).toBeGreaterThan(20);
	});

	it('selects every readable field describe lists, except base64, and always Id', () => {
		expect(queryableFields({ fields: [{ name: 'Id', type: 'id' }, { name: 'Status', type: 'picklist' }, { name: 'Pdf__c', type: 'base64' }, { name: 'Bad Name; x', type: 'string' }] })).toEqual(['Id', 'Status']);
		expect(queryableFields({})).toEqual(['Id']);
	});
});

describe('Salesforce API base URL', () => {
	it('uses the token\'s instance URL, else the My Domain URL, with the API version', () => {
		expect(apiBaseUrl({ myDomainUrl: 'https://acme.my.salesforce.com/', apiVersion: '66.0', oauthTokenData: { instance_url: 'https://acme.my.salesforce.com' } })).toBe(
			'https://acme.my.salesforce.com/services/data/v66.0',
		);
		expect(apiBaseUrl({ myDomainUrl: 'https://acme.my.salesforce.com/ ', apiVersion: 'v60.0' })).toBe('https://acme.my.salesforce.com/services/data/v60.0');
		expect(apiBaseUrl({ oauthTokenData: { instance_url: 'http://127.0.0.1:4010/salesforce' } })).toBe('http://127.0.0.1:4010/salesforce/services/data/v66.0');
	});

	it('names the credential field when the address or version is unusable', () => {
		expect(() => apiBaseUrl({ grantType: 'authorizationCode' })).toThrow('The Salesforce credential has no instance address yet');
		expect(() => apiBaseUrl({ myDomainUrl: 'acme.my.salesforce.com' })).toThrow('is not a URL');
		expect(() => apiBaseUrl({ myDomainUrl: 'https://acme.my.salesforce.com', apiVersion: '66' })).toThrow('API Version "66" in the Salesforce credential is not a version such as 66.0');
	});
});
