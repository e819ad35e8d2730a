import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { itemMapping, runWrites } from './execute';
import { enforceMaxMemos, enforceMaxTotal } from './safety';
import type { CreditMemoProvider, ParamReader, PlannedWrite, Session } from './types';

export interface PreparedCreate {
	input: unknown;
	plan: PlannedWrite;
}

/** Plans one memo (this may read, e.g. the order) and applies the per-memo safety limit; nothing is sent. */
export async function planCreate(provider: CreditMemoProvider, session: Session, input: unknown, maxTotalAmount: unknown): Promise<PlannedWrite> {
	const plan = await provider.create.plan(session, input);
	enforceMaxTotal(plan, maxTotalAmount);
	return plan;
}

/** Reads, validates and plans one item's memo; nothing is sent. */
async function prepareCreate(provider: CreditMemoProvider, session: Session, params: ParamReader): Promise<PreparedCreate> {
	const input = provider.create.read(params);
	return { input, plan: await planCreate(provider, session, input, params.get<IDataObject>('options', {}).maxTotalAmount) };
}

/** Create Credit Memo: one memo per input item, through the selected provider. */
export async function executeCreate(exec: IExecuteFunctions, provider: CreditMemoProvider): Promise<INodeExecutionData[]> {
	let sent = 0;
	return await runWrites(exec, provider, provider.create, {
		mapping: itemMapping(exec, provider),
		prepare: async (session, params) => await prepareCreate(provider, session, params),
		beforeSend: (params) => {
			enforceMaxMemos(sent, params.get<IDataObject>('options', {}).maxMemosPerExecution);
			sent++;
		},
	});
}
