import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { summarizeError, toNodeError } from './errors';
import { toNumber } from './money';
import type { CreditMemoProvider, ParamReader, PlannedWrite } from './types';

export function paramReader(exec: IExecuteFunctions, itemIndex: number): ParamReader {
	return {
		itemIndex,
		get: <T>(name: string, fallback?: T) => exec.getNodeParameter(name, itemIndex, fallback as never) as T,
	};
}

/**
 * The one per-item loop: every output item is paired to its input item; a failure either stops the node
 * (as a NodeApiError / NodeOperationError carrying the item index) or, under Continue On Fail, becomes an
 * error item shaped so n8n's error output can route it, and the next items are still processed.
 */
export async function runPerItem(
	exec: IExecuteFunctions,
	handle: (itemIndex: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	const items = exec.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			output.push({ json: await handle(itemIndex), pairedItem: { item: itemIndex } });
		} catch (error) {
			if (!exec.continueOnFail()) throw toNodeError(exec.getNode(), error, itemIndex);
			const summary = summarizeError(error, itemIndex);
			output.push({ json: { error: summary.message, details: summary }, pairedItem: { item: itemIndex } });
		}
	}
	return output;
}

/** What Dry Run outputs: the exact request, with the credential's headers present but redacted. */
export function dryRunOutput(provider: CreditMemoProvider, plan: PlannedWrite): IDataObject {
	const redacted = Object.fromEntries(provider.authHeaders.map((name) => [name, '[redacted: added by the credential]']));
	return {
		provider: provider.key,
		dryRun: true,
		request: {
			method: plan.request.method,
			url: plan.request.url,
			headers: { ...plan.request.headers, ...redacted },
			...(plan.request.qs ? { qs: plan.request.qs } : {}),
			body: (plan.request.body ?? null) as IDataObject,
		},
		totalAmount: plan.totalAmount === null ? null : toNumber(plan.totalAmount),
		currency: plan.currency,
	};
}
