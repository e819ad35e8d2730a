import type { IExecuteFunctions } from 'n8n-workflow';

import { paramReader } from '../../nodes/shared/execute';

/** A stand-in execute context that counts n8n parameter reads (each may be an expression evaluation). */
function context(values: Record<string, unknown>) {
	const reads: string[] = [];
	const exec = {
		getNode: () => ({ retryOnFail: false }),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			reads.push(`${name}#${itemIndex}`);
			const value = values[name];
			// As n8n does: a fresh object per read.
			if (value === undefined) return fallback;
			return typeof value === 'object' ? structuredClone(value) : value;
		},
	} as unknown as IExecuteFunctions;
	return { exec, reads };
}

describe('paramReader', () => {
	it('reads a text, number or boolean parameter from n8n once per item', () => {
		const { exec, reads } = context({ refundReference: 'RET-1', limit: 50, dryRun: true });
		const params = paramReader(exec, 3);
		for (let round = 0; round < 3; round++) {
			expect(params.get('refundReference', '')).toBe('RET-1');
			expect(params.get('limit', 0)).toBe(50);
			expect(params.get('dryRun', false)).toBe(true);
		}
		expect(reads).toEqual(['refundReference#3', 'limit#3', 'dryRun#3']);
	});

	it('keeps items apart: another item reads its own value', () => {
		const { exec, reads } = context({ refundReference: 'RET-1' });
		paramReader(exec, 0).get('refundReference', '');
		paramReader(exec, 1).get('refundReference', '');
		expect(reads).toEqual(['refundReference#0', 'refundReference#1']);
	});

	it('reads objects afresh, so a caller that changes one cannot change what the next caller gets', () => {
		const { exec, reads } = context({ zuoraInvoiceItems: { item: [{ amount: 1 }] } });
		const params = paramReader(exec, 0);
		const first = params.get<{ item: Array<{ amount: number }> }>('zuoraInvoiceItems', {} as never);
		first.item[0].amount = 999;
		expect(params.get('zuoraInvoiceItems', {} as never)).toEqual({ item: [{ amount: 1 }] });
		expect(reads).toEqual(['zuoraInvoiceItems#0', 'zuoraInvoiceItems#0']);
	});

	it('does not let one fallback answer for another when the parameter is missing', () => {
		const { exec } = context({});
		const params = paramReader(exec, 0);
		expect(params.get('comment', 'a')).toBe('a');
		expect(params.get('comment', 'b')).toBe('b');
		expect(params.get('comment')).toBeUndefined();
		expect(params.get('comment', false)).toBe(false);
		expect(params.get('comment', 'false')).toBe('false');
	});
});
