import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../../nodes/shared/errors';
import { toText } from '../../../nodes/shared/money';
import { idempotencyKey, readSettings } from '../../../nodes/shared/providers/zuora';
import { nextComment, readCreateInput, splitMarker } from '../../../nodes/shared/providers/zuora/mappers';
import { markerFingerprint, refundMarker } from '../../../nodes/shared/reference';
import type { ZuoraInvoiceMemoBody, ZuoraStandaloneMemoBody } from '../../../nodes/shared/providers/zuora/types';
import { SUPPORTED_ZUORA_VERSIONS, readZuoraVersion, toVersionedBody } from '../../../nodes/shared/providers/zuora/versions';
import type { ParamReader } from '../../../nodes/shared/types';

function params(values: IDataObject): ParamReader {
	return { itemIndex: 0, get: <T>(name: string, fallback?: T) => (name in values ? values[name] : fallback) as T };
}

const invoiceParams = (item: IDataObject, extra: IDataObject = {}, reference: string | number = 'RET-1') =>
	params({ refundReference: reference, sourceType: 'invoice', invoiceId: 'inv-1', itemsInputMode: 'fields', zuoraInvoiceItems: { item: [item] }, zuoraAdditionalFields: extra });

const hostile = fc.oneof(
	fc.constantFrom(NaN, Infinity, -1, 0, -0.01, 1e21, 1e-9, 0.1 + 0.2, '', ' ', 'abc', '1,5', '<x>&amp;', '"]}', null, true, {}, [], '9'.repeat(40), '١٢'),
	fc.double(),
	fc.integer(),
	fc.string(),
	fc.string({ unit: 'binary' }),
);

/** Any outcome of reading hostile input must be a usable body or an InputError naming a field, never a crash. */
function readOrInputError(build: () => ParamReader) {
	try {
		return readCreateInput(build());
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		expect((error as InputError).field).not.toBe('');
		return undefined;
	}
}

describe('Zuora mapping', () => {
	it('turns hostile invoice item values into a valid body or an InputError naming the field', () => {
		fc.assert(
			fc.property(hostile, hostile, hostile, hostile, hostile, (amount, taxAmount, invoiceItemId, skuName, description) => {
				let result;
				try {
					result = readCreateInput(invoiceParams({ invoiceItemId, amount, skuName, description, taxAmount, sourceTaxItemId: 'tx-1' }));
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					expect((error as InputError).field).toMatch(/^Invoice Items\[1\]/);
					return;
				}
				const body = result.body as ZuoraInvoiceMemoBody;
				const item = body.items[0];
				expect(Number.isFinite(item.amount) && item.amount >= 0).toBe(true);
				expect(typeof item.invoiceItemId === 'string' && item.invoiceItemId.trim()).toBeTruthy();
				for (const tax of item.taxItems ?? []) expect(Number.isFinite(tax.amount) && tax.amount >= 0).toBe(true);
				expect(JSON.parse(JSON.stringify(body))).toEqual(body);
			}),
		);
	});

	it('turns hostile standalone values (account, charges, currency, number, dates) into a valid body or an InputError', () => {
		fc.assert(
			fc.property(hostile, hostile, hostile, hostile, hostile, hostile, (accountId, accountNumber, amount, currency, number, effectiveDate) => {
				const result = readOrInputError(() =>
					params({
						refundReference: 'RET-2',
						sourceType: 'standalone',
						accountId,
						accountNumber,
						zuoraCharges: { charge: [{ productRatePlanChargeId: 'prpc-1', amount }] },
						zuoraAdditionalFields: { currency, number, effectiveDate },
					}),
				);
				if (!result) return;
				const body = result.body as ZuoraStandaloneMemoBody;
				expect([body.accountId, body.accountNumber].filter((value) => value !== undefined)).toHaveLength(1);
				expect(Number.isFinite(body.charges[0].amount) && body.charges[0].amount >= 0).toBe(true);
				if (body.currency !== undefined) expect(body.currency).toMatch(/^[A-Z]{3}$/);
				if (body.number !== undefined) expect(body.number).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
				if (body.effectiveDate !== undefined) expect(DateTime.fromISO(body.effectiveDate).isValid).toBe(true);
			}),
		);
	});

	it('keeps the comment with its marker within Zuora\'s 255 characters whatever the comment and reference', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 120 }), (comment, reference) => {
				const result = readOrInputError(() => invoiceParams({ invoiceItemId: 'ii-1', amount: 1, skuName: 'S' }, { comment }, reference));
				if (!result) return;
				const text = result.body.comment!;
				expect([...text].length).toBeLessThanOrEqual(255);
				expect(markerFingerprint(text, result.reference)).toBe(result.fingerprint);
			}),
		);
	});

	it('names the field when Account ID and Account Number are both given, or neither', () => {
		const standalone = (account: IDataObject) => () =>
			readCreateInput(params({ refundReference: 'R', sourceType: 'standalone', ...account, zuoraCharges: { charge: [{ productRatePlanChargeId: 'p', amount: 1 }] } }));
		expect(standalone({ accountId: 'a', accountNumber: 'A-1' })).toThrow(expect.objectContaining({ field: 'Account Number', message: 'Give either the Account ID or the Account Number, not both' }));
		expect(standalone({})).toThrow(expect.objectContaining({ field: 'Account ID' }));
	});

	it('rejects unknown keys in JSON items and tax items, so a typo never drops a value silently', () => {
		const json = (itemsJson: IDataObject[string]) => () => readCreateInput(params({ refundReference: 'R', sourceType: 'invoice', invoiceId: 'i', itemsInputMode: 'json', itemsJson }));
		expect(json('[{"invoiceItemId":"a","amount":1,"skuName":"s","ammount":2}]')).toThrow('Items (JSON)[0] has unknown field ammount');
		expect(json([{ invoiceItemId: 'a', amount: 1, skuName: 's', taxItems: [{ amount: 1, taxrate: 0.2 }] }])).toThrow('Invoice Items[1] Tax Items[0] has unknown field taxrate');
		expect(json([])).toThrow('Give at least one line in Invoice Items');
	});

	it('gives the same fingerprint for the same refund, another for other data, and ignores the comment', () => {
		const read = (amount: IDataObject[string], comment?: string) => readCreateInput(invoiceParams({ invoiceItemId: 'ii-1', amount, skuName: 'S' }, comment ? { comment } : {}));
		expect(read(10).fingerprint).toBe(read('10.00').fingerprint);
		expect(read(10, 'first note').fingerprint).toBe(read(10, 'second note').fingerprint);
		expect(read(10).fingerprint).not.toBe(read(10.01).fingerprint);
	});

	it('knows the total only when Zuora does not calculate tax itself', () => {
		const item = { invoiceItemId: 'ii-1', amount: '0.1', skuName: 'S', taxAmount: '0.2', sourceTaxItemId: 't' };
		expect(readCreateInput(invoiceParams(item)).total).toBeNull();
		expect(toText(readCreateInput(invoiceParams(item, { taxAutoCalculation: false })).total!)).toBe('0.3');
		const inclusive = readCreateInput(
			params({ refundReference: 'R', sourceType: 'invoice', invoiceId: 'i', itemsInputMode: 'json', itemsJson: [{ invoiceItemId: 'ii-1', amount: '0.1', skuName: 'S', taxMode: 'TaxInclusive', taxItems: [{ amount: 0.2 }] }], zuoraAdditionalFields: { taxAutoCalculation: false } }),
		);
		expect(toText(inclusive.total!)).toBe('0.1');
	});

	it('finds the marker of its own reference only', () => {
		expect(markerFingerprint(`Note ${refundMarker('RET-1', 'a1b2c3d4')}`, 'RET-1')).toBe('a1b2c3d4');
		expect(markerFingerprint(refundMarker('RET-10', 'a1b2c3d4'), 'RET-1')).toBeUndefined();
		expect(markerFingerprint(null, 'RET-1')).toBeUndefined();
		expect(markerFingerprint('[ref:RET-1 #zzzzzzzz]', 'RET-1')).toBeUndefined();
	});
});

describe('Zuora memo comments', () => {
	// Texts and references reach these functions trimmed and non-empty (requireText, readRefundReference).
	const trimmed = (maxLength: number) => fc.string({ unit: 'binary', minLength: 1, maxLength }).map((text) => text.trim()).filter((text) => text !== '');
	const existing = fc.oneof(
		fc.constant(null),
		fc.string({ unit: 'binary', maxLength: 260 }),
		fc.tuple(fc.string({ maxLength: 200 }), trimmed(30)).map(([note, reference]) => `${note} ${refundMarker(reference, 'a1b2c3d4')}`),
	);

	it('appends or replaces within 255 characters, keeps the marker last, and a repeated append changes nothing', () => {
		fc.assert(
			fc.property(existing, trimmed(255), fc.constantFrom('append' as const, 'replace' as const), (current, text, mode) => {
				let next: string;
				try {
					next = nextComment(current, { creditMemoKey: 'CM1', text, mode });
				} catch (error) {
					expect(error).toBeInstanceOf(InputError);
					expect((error as InputError).field).toBe('Comment');
					return;
				}
				expect([...next].length).toBeLessThanOrEqual(255);
				expect(splitMarker(next).marker).toBe(splitMarker(current ?? '').marker);
				if (mode === 'append') expect(nextComment(next, { creditMemoKey: 'CM1', text, mode })).toBe(next);
				else expect(splitMarker(next).note).toBe(text);
			}),
		);
	});
});

describe('Zuora versions', () => {
	it('maps the field names that changed at 224.0 and 257.0, for every version Zuora lists', () => {
		for (const text of SUPPORTED_ZUORA_VERSIONS) {
			const { header, fields } = readZuoraVersion(text);
			const number = text.includes('-') ? Infinity : Number(text);
			expect(header).toBe(text);
			expect(fields.chargeAmount).toBe(number < 224 ? 'memoItemAmount' : 'amount');
			expect(fields.chargeId).toBe(number < 257 ? 'chargeId' : 'productRatePlanChargeId');
			expect(fields.lineDescription).toBe(number < 257 ? 'comment' : 'description');
		}
	});

	it('refuses versions it cannot map, naming the credential field', () => {
		for (const wrong of ['', '185.0', '231.0', '2026-01-01', 'latest', '257', undefined]) {
			expect(() => readZuoraVersion(wrong)).toThrow(expect.objectContaining({ field: 'Zuora Version (credential)' }));
		}
	});

	it('renames invoice item descriptions before 257.0 and leaves the rest of the body as it is', () => {
		const body: ZuoraInvoiceMemoBody = { invoiceId: 'i', items: [{ invoiceItemId: 'a', amount: 1, skuName: 's', description: 'd' }], autoPost: false, comment: 'c' };
		expect(toVersionedBody(body, readZuoraVersion('256.0'))).toEqual({ ...body, items: [{ invoiceItemId: 'a', amount: 1, skuName: 's', comment: 'd' }] });
		expect(toVersionedBody(body, readZuoraVersion('2025-08-12'))).toEqual(body);
	});
});

describe('Zuora settings and keys', () => {
	it('reads the server, version and optional entity/org headers from the credential', () => {
		expect(readSettings({ environment: 'euProduction', zuoraVersion: '2025-08-12', entityIds: ' ', orgIds: '' })).toMatchObject({
			baseUrl: 'https://rest.eu.zuora.com',
			headers: { 'Zuora-Version': '2025-08-12' },
		});
		expect(readSettings({ environment: 'custom', baseUrl: 'http://127.0.0.1:4010/zuora//', zuoraVersion: '230.0', entityIds: 'e-1', orgIds: 'o-1,o-2' })).toMatchObject({
			baseUrl: 'http://127.0.0.1:4010/zuora',
			headers: { 'Zuora-Version': '230.0', 'Zuora-Entity-Ids': 'e-1', 'Zuora-Org-Ids': 'o-1,o-2' },
		});
		expect(() => readSettings({ environment: 'custom', baseUrl: '', zuoraVersion: '2025-08-12' })).toThrow(InputError);
		expect(() => readSettings({ environment: 'usProductionCloud1', zuoraVersion: '2025-08-12', entityIds: 'e-1\r\nX-Evil: 1' })).toThrow('Entity IDs (credential) may only hold printable ASCII characters');
	});

	it('derives one stable, header-safe idempotency key per reference and tenant', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'binary', minLength: 1 }), (a, b) => {
				const key = idempotencyKey('createCreditMemo', 'https://rest.zuora.com|', a);
				expect(key).toMatch(/^credit-memo-[0-9a-f]{48}$/);
				expect(idempotencyKey('createCreditMemo', 'https://rest.zuora.com|', a)).toBe(key);
				expect(idempotencyKey('createCreditMemo', 'https://rest.eu.zuora.com|', a)).not.toBe(key);
				expect(idempotencyKey('bulkCreate', 'https://rest.zuora.com|', [a])).not.toBe(key);
				if (a !== b) expect(idempotencyKey('createCreditMemo', 'https://rest.zuora.com|', b)).not.toBe(key);
			}),
		);
	});
});
