/**
 * Units of the Salesforce emulator: the 18-character ID checksum and the SOQL subset's parser and evaluator.
 */
import { checksum, makeId, normaliseId } from '../../sandbox/providers/salesforce/ids';
import { SoqlError, executeSoql, parseSoql, type SObjectTable } from '../../sandbox/providers/salesforce/soql';

describe('IDs', () => {
	it('computes the checksum of the documented examples', () => {
		expect(checksum('801R0000000EAAk')).toBe('IAO');
		expect(checksum('50gR000000000JN')).toBe('IAY');
		expect(checksum('10uxx0000004FYD')).toBe('AA2');
	});

	it('normalises 15- and 18-character IDs; refuses a wrong checksum or other text', () => {
		expect(normaliseId('801R0000000EAAk')).toBe('801R0000000EAAkIAO');
		expect(normaliseId('801R0000000EAAkiao')).toBe('801R0000000EAAkIAO');
		expect(normaliseId('801R0000000EAAkAAA')).toBeUndefined();
		expect(normaliseId('801R0000000EAA')).toBeUndefined();
		expect(normaliseId(42)).toBeUndefined();
		expect(makeId('50g', 1)).toBe('50gSB0000000001YAA');
		expect(normaliseId(makeId('1Os', 901))).toBe(makeId('1Os', 901));
	});
});

describe('SOQL subset', () => {
	const table: SObjectTable = {
		name: 'CreditMemo',
		fields: [
			{ name: 'Id', type: 'id' },
			{ name: 'Description', type: 'textarea' },
			{ name: 'TotalAmount', type: 'currency' },
			{ name: 'CreatedDate', type: 'datetime' },
			{ name: 'EffectiveDate', type: 'date' },
		],
		rows: () => [
			{ Id: '50gSB0000000001YAA', Description: "Bob's refund", TotalAmount: 10.5, CreatedDate: '2024-05-01T10:00:00.000+0000', EffectiveDate: '2024-05-01' },
			{ Id: '50gSB0000000002YAA', Description: null, TotalAmount: 99, CreatedDate: '2024-05-02T10:00:00.000+0000', EffectiveDate: '2024-05-02' },
			{ Id: '50gSB0000000003YAA', Description: 'RMA-7', TotalAmount: 42, CreatedDate: '2024-05-03T10:00:00.000+0000', EffectiveDate: '2024-05-03' },
		],
	};
	const run = (soql: string) => executeSoql(parseSoql(soql, [table]));
	const ids = (soql: string) => run(soql).records.map((record) => record.Id);

	it('escaped quotes, LIKE, NOT IN, != null, date and datetime literals', () => {
		expect(ids("SELECT Id FROM CreditMemo WHERE Description = 'bob\\'s REFUND'")).toEqual(['50gSB0000000001YAA']);
		expect(ids("SELECT Id FROM CreditMemo WHERE Description LIKE 'rma-%'")).toEqual(['50gSB0000000003YAA']);
		expect(ids("SELECT Id FROM CreditMemo WHERE Id NOT IN ('50gSB0000000001', '50gSB0000000003YAA')")).toEqual(['50gSB0000000002YAA']);
		expect(ids('SELECT Id FROM CreditMemo WHERE Description != null')).toHaveLength(2);
		expect(ids('SELECT Id FROM CreditMemo WHERE EffectiveDate >= 2024-05-02 AND CreatedDate < 2024-05-03T00:00:00Z')).toEqual(['50gSB0000000002YAA']);
	});

	it('ORDER BY with NULLS LAST, LIMIT and OFFSET; COUNT() counts', () => {
		expect(run('SELECT Description FROM CreditMemo ORDER BY Description NULLS LAST').records.map((record) => record.Description)).toEqual(["Bob's refund", 'RMA-7', null]);
		expect(ids('SELECT Id FROM CreditMemo ORDER BY TotalAmount DESC LIMIT 1 OFFSET 1')).toEqual(['50gSB0000000003YAA']);
		expect(run('SELECT COUNT() FROM CreditMemo WHERE TotalAmount > 20')).toEqual({ totalSize: 2, records: [] });
	});

	it('refuses OR, a LIKE on a number, an unquoted text and junk with Salesforce error codes', () => {
		const code = (soql: string) => {
			try {
				parseSoql(soql, [table]);
			} catch (error) {
				return error instanceof SoqlError ? error.errorCode : 'other';
			}
			return 'none';
		};
		expect(code("SELECT Id FROM CreditMemo WHERE Description = 'a' OR Description = 'b'")).toBe('MALFORMED_QUERY');
		expect(code("SELECT Id FROM CreditMemo WHERE TotalAmount LIKE '1%'")).toBe('INVALID_QUERY_FILTER_OPERATOR');
		expect(code('SELECT Id FROM CreditMemo WHERE Description = RMA')).toBe('MALFORMED_QUERY');
		expect(code("SELECT Id FROM CreditMemo WHERE Id = 5")).toBe('INVALID_QUERY_FILTER_OPERATOR');
		expect(code('SELECT Id FROM CreditMemo LIMIT x')).toBe('MALFORMED_QUERY');
		expect(code('SELECT Id FROM CreditMemo WHERE Id = $')).toBe('MALFORMED_QUERY');
		expect(code('DELETE FROM CreditMemo')).toBe('MALFORMED_QUERY');
	});
});
