import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { AutoMapping } from './autoMap';
import { AUTO_MAP, FIELD_MAPPING, autoMapping, readFromItem } from './autoMap';
import { summarizeError, toNodeError } from './errors';
import { toNumber } from './money';
import { createSessionContext } from './transport';
import type { CreditMemoProvider, ParamReader, PlannedWrite, PreparedRequest, Session, WriteOperation } from './types';

/**
 * Each read of a parameter that holds an expression is evaluated by n8n again (in n8n 2.x, inside its expression
 * isolate: about half a millisecond each, the largest per-item cost of a bulk run), so a text, number or boolean
 * read twice for one item is evaluated once. Objects are read afresh each time, so no caller can change what
 * another one reads.
 */
export function paramReader(exec: IExecuteFunctions, itemIndex: number, mapping?: AutoMapping): ParamReader {
	const primitives = new Map<string, unknown>();
	const json = mapping ? exec.getInputData()[itemIndex]?.json ?? {} : undefined;
	return {
		itemIndex,
		retryOnFail: exec.getNode().retryOnFail === true,
		get: <T>(name: string, fallback?: T) => {
			if (mapping && json) {
				const fromItem = readFromItem(mapping, name, json);
				if (fromItem.found) return (fromItem.value ?? fallback) as T;
			}
			const key = fallback === undefined || fallback === null || typeof fallback !== 'object' ? `${name}\u0000${typeof fallback}:${String(fallback)}` : undefined;
			if (key !== undefined && primitives.has(key)) return primitives.get(key) as T;
			const value = exec.getNodeParameter(name, itemIndex, fallback as never) as T;
			if (key !== undefined && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) primitives.set(key, value);
			return value;
		},
	};
}

/**
 * The one per-item loop: every output item is paired to its input item; a failure either stops the node
 * (as a NodeApiError / NodeOperationError carrying the item index) or, under Continue On Fail, becomes an
 * error item shaped so n8n's error output can route it, and the next items are still processed.
 */
export async function runPerItem(
	exec: IExecuteFunctions,
	handle: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const items = exec.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await handle(itemIndex);
			for (const json of Array.isArray(result) ? result : [result]) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (!exec.continueOnFail()) throw toNodeError(exec.getNode(), error, itemIndex);
			const summary = summarizeError(error, itemIndex);
			output.push({ json: { error: summary.message, details: summary }, pairedItem: { item: itemIndex } });
		}
	}
	return output;
}

export interface WriteHooks {
	/** Read + plan (+ checks); defaults to the operation's own read and plan. */
	prepare?: (session: Session, params: ParamReader) => Promise<{ input: unknown; plan: PlannedWrite }>;
	/** Last check before a real send (not called in Dry Run). */
	beforeSend?: (params: ParamReader) => void;
	/** Map Automatically: the fields read from each input item. */
	mapping?: AutoMapping;
}

/** The item mapping when the node's Fields parameter says Map Automatically (read once, from the first item). */
export function itemMapping(exec: IExecuteFunctions, provider: CreditMemoProvider): AutoMapping | undefined {
	return exec.getNodeParameter(FIELD_MAPPING, 0, 'defineBelow') === AUTO_MAP ? autoMapping(provider) : undefined;
}

/**
 * One write per input item through one provider session (opened once, closed at the end): Create Credit Memo
 * and Add Memo Comment. Dry Run outputs the planned request instead of sending it.
 */
export async function runWrites<TResult extends IDataObject>(
	exec: IExecuteFunctions,
	provider: CreditMemoProvider,
	operation: WriteOperation<unknown, TResult>,
	hooks: WriteHooks = {},
): Promise<INodeExecutionData[]> {
	const session = provider.openSession(createSessionContext(exec, provider.key));
	try {
		return await runPerItem(exec, async (itemIndex) => {
			const params = paramReader(exec, itemIndex, hooks.mapping);
			const { input, plan } = hooks.prepare
				? await hooks.prepare(session, params)
				: await (async () => {
						const read = operation.read(params);
						return { input: read, plan: await operation.plan(session, read) };
					})();
			if (params.get<IDataObject>('options', {}).dryRun === true) return dryRunOutput(provider, plan);
			hooks.beforeSend?.(params);
			return await operation.execute(session, input, plan);
		});
	} finally {
		await session.close();
	}
}

/** A request as Dry Run shows it: exact, with the credential's headers present but redacted. */
export function describeRequest(provider: CreditMemoProvider, request: PreparedRequest): IDataObject {
	const redacted = Object.fromEntries(provider.authHeaders.map((name) => [name, '[redacted: added by the credential]']));
	return {
		method: request.method,
		url: request.url,
		headers: { ...request.headers, ...redacted },
		...(request.qs ? { qs: request.qs } : {}),
		body: (request.body ?? null) as IDataObject,
	};
}

export function dryRunOutput(provider: CreditMemoProvider, plan: PlannedWrite): IDataObject {
	return {
		provider: provider.key,
		dryRun: true,
		request: describeRequest(provider, plan.request),
		totalAmount: plan.totalAmount === null ? null : toNumber(plan.totalAmount),
		currency: plan.currency,
	};
}
