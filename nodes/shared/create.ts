import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { dryRunOutput, paramReader, runPerItem } from './execute';
import { enforceMaxMemos, enforceMaxTotal } from './safety';
import { createSessionContext } from './transport';
import type { CreditMemoProvider, ParamReader, PlannedWrite, Session } from './types';

export interface PreparedCreate {
	input: unknown;
	plan: PlannedWrite;
	dryRun: boolean;
	maxMemosPerExecution: unknown;
}

/** Reads, validates and plans one item's memo; nothing is sent. Shared by Create and Bulk. */
export async function prepareCreate(provider: CreditMemoProvider, session: Session, params: ParamReader): Promise<PreparedCreate> {
	const input = provider.create.read(params);
	const options = params.get<IDataObject>('options', {});
	const plan = await provider.create.plan(session, input);
	enforceMaxTotal(plan, options.maxTotalAmount);
	return { input, plan, dryRun: options.dryRun === true, maxMemosPerExecution: options.maxMemosPerExecution };
}

/** Create Credit Memo: one memo per input item, through the selected provider. */
export async function executeCreate(exec: IExecuteFunctions, provider: CreditMemoProvider): Promise<INodeExecutionData[]> {
	const session = provider.openSession(createSessionContext(exec, provider.key));
	let sent = 0;
	try {
		return await runPerItem(exec, async (itemIndex) => {
			const prepared = await prepareCreate(provider, session, paramReader(exec, itemIndex));
			if (prepared.dryRun) return dryRunOutput(provider, prepared.plan);
			enforceMaxMemos(sent, prepared.maxMemosPerExecution);
			sent++;
			return await provider.create.execute(session, prepared.input, prepared.plan);
		});
	} finally {
		await session.close();
	}
}
