import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { InputError } from './errors';
import { paramReader, runPerItem, runWrites } from './execute';
import { parseDecimal } from './money';
import { createSessionContext } from './transport';
import type { CreditMemoProvider, CreditMemoResult } from './types';

export type MemoOperation = 'cancel' | 'get' | 'list';

export const DEFAULT_LIST_LIMIT = 50;

/** Credit Memo node: Get, List or Cancel through the selected provider, or a plain "not available" error. */
export async function executeMemoOperation(exec: IExecuteFunctions, provider: CreditMemoProvider, operation: MemoOperation): Promise<INodeExecutionData[]> {
	const supported = provider[operation];
	if (!supported) {
		throw new InputError('Operation', provider.unsupported?.[operation] ?? `${provider.displayName} does not offer ${operation} for credit memos`);
	}
	if (operation === 'cancel') return await runWrites(exec, provider, provider.cancel!);

	const session = provider.openSession(createSessionContext(exec, provider.key));
	try {
		return await runPerItem(exec, async (itemIndex) => {
			const params = paramReader(exec, itemIndex);
			const simplify = params.get<boolean>('simplify', true);
			const shape = (memo: CreditMemoResult): IDataObject => (simplify ? memo : memo.raw);
			if (operation === 'get') {
				const get = provider.get!;
				return shape(await get.execute(session, get.read(params)));
			}
			const list = provider.list!;
			const limit = params.get<boolean>('returnAll', false)
				? undefined
				: Number(parseDecimal(params.get('limit', DEFAULT_LIST_LIMIT), 'Limit', { sign: 'positive', maxDecimals: 0 }).micros / 1_000_000n);
			return (await list.execute(session, list.read(params), limit)).map(shape);
		});
	} finally {
		await session.close();
	}
}
