import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { planCreate } from './create';
import type { ErrorSummary } from './errors';
import { InputError, ProviderError, summarizeError } from './errors';
import { describeRequest, dryRunOutput, itemMapping, paramReader } from './execute';
import { AdaptivePool } from './pool';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY } from './retry';
import { REFUND_REFERENCE } from './reference';
import { enforceMaxMemos } from './safety';
import { createSessionContext } from './transport';
import type { BatchOperation, CreditMemoProvider, CreditMemoResult, ParamReader, PlannedWrite } from './types';
import { optionalText } from './validate';

export const DEFAULT_CONCURRENCY = 5;

/** A bulk run waits out rate limits rather than failing items, so it allows more attempts and more waiting. */
const BULK_RETRY_POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 10, maxTotalWaitMs: 300_000 };

interface ReadItem {
	index: number;
	input: unknown;
	/** The item's Safety Limit: Max Total Amount (a per-memo limit, so read per item as Create does). */
	maxTotalAmount: unknown;
}

interface Prepared extends ReadItem {
	plan: PlannedWrite;
}

type Outcome = { ok: true; memo: CreditMemoResult } | { ok: false; error: ErrorSummary };

const NOT_ATTEMPTED = 'Not attempted: an earlier item failed and Stop On First Failure is on';
const NO_RESULT = 'No result was recorded for this item; check the provider for its memo before running it again';

/**
 * Bulk Credit Memos: every input item comes out exactly once, on Succeeded (the memo) or Failed (the input
 * plus why), paired to its input item, in input order. Providers with native batching get their memos
 * grouped and chunked; the others get one request per item. Requests run with bounded concurrency that
 * halves on rate limits.
 */
export async function executeBulk(exec: IExecuteFunctions, provider: CreditMemoProvider): Promise<INodeExecutionData[][]> {
	const items = exec.getInputData();
	// Run-level options are read once, from the first item.
	const options = exec.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency = Math.min(provider.maxConcurrency, Math.max(1, Math.floor(Number(options.concurrency ?? DEFAULT_CONCURRENCY)) || 1));
	const stopOnFirstFailure = options.stopOnFirstFailure === true;
	const pool = new AdaptivePool(concurrency);
	const session = provider.openSession(
		createSessionContext(exec, provider.key, { policy: BULK_RETRY_POLICY, onRateLimited: () => pool.rateLimited() }),
	);
	const outcomes: Outcome[] = new Array(items.length);
	let stopped = false;
	const fail = (index: number, error: unknown) => {
		outcomes[index] = { ok: false, error: summarizeError(error, index) };
		if (stopOnFirstFailure) stopped = true;
	};

	try {
		const batch = provider.createBatch && (await provider.createBatch.available(session)) ? provider.createBatch : undefined;
		const dryRun = options.dryRun === true;
		// Chunks are sent while later items are still being read (n8n evaluating their parameters), so reading and
		// the network overlap. Not in Dry Run; not with Stop On First Failure, where every item is validated before
		// the first memo is sent; not where the provider first looks up the whole run's memos at once.
		const streaming = !dryRun && !stopOnFirstFailure && !(!batch && provider.create.prefetch);
		const held: ReadItem[][] = [];
		const inflight: Array<Promise<void>> = [];
		let requested = false;

		// Planning may read (Magento SOAP reads each order), so it runs per chunk in the pool, with what the chunk
		// needs read ahead in one request where the provider can.
		const planChunk = async (chunk: ReadItem[]): Promise<Prepared[]> => {
			await batch?.prepare?.(session, chunk.map((entry) => entry.input)).catch(() => {
				// Only an optimisation: each plan still reads for itself.
			});
			const planned: Prepared[] = [];
			for (const entry of chunk) {
				try {
					planned.push({ ...entry, plan: await planCreate(provider, session, entry.input, entry.maxTotalAmount) });
				} catch (error) {
					fail(entry.index, error);
				}
			}
			return planned;
		};
		const send = async (chunk: Prepared[]) => {
			if (stopped) {
				for (const entry of chunk) outcomes[entry.index] = notAttempted(entry.index);
				return;
			}
			if (!chunk.length) return;
			requested = true;
			try {
				const results = batch
					? await sendBatch(batch, session, chunk)
					: [await provider.create.execute(session, chunk[0].input, chunk[0].plan)];
				results.forEach((result, position) => {
					const { index } = chunk[position];
					if (result instanceof Error) fail(index, result);
					else outcomes[index] = { ok: true, memo: result };
				});
				if (results.some((result) => !(result instanceof Error))) pool.succeeded();
			} catch (error) {
				for (const entry of chunk) fail(entry.index, error);
			}
		};

		const gate = new TokenGate(pool, session.hasToken ? !(await session.hasToken()) : false, () => requested);
		const chunker = new Chunker(batch, batch ? chunkSizeOf(options, batch) : 1, (chunk) => {
			if (streaming) inflight.push(gate.run(async () => await send(await planChunk(chunk))));
			else held.push(chunk);
		});
		const seen = new Map<string, number>();
		const mapping = itemMapping(exec, provider);
		let accepted = 0;
		let lastYield = 0;
		for (let index = 0; index < items.length; index++) {
			try {
				const params = paramReader(exec, index, mapping);
				const input = provider.create.read(params);
				onePerReference(seen, index, params);
				if (!dryRun) enforceMaxMemos(accepted, options.maxMemosPerExecution);
				accepted++;
				// Reading is synchronous work: chunks just started get their turn on the network (at most every millisecond,
				// as sleep(0) waits one) before more items are read.
				if (chunker.add({ index, input, maxTotalAmount: params.get<IDataObject>('options', {}).maxTotalAmount }) && streaming && Date.now() > lastYield) {
					await sleep(0);
					lastYield = Date.now();
				}
			} catch (error) {
				fail(index, error);
			}
		}
		chunker.flush();
		if (streaming) {
			// Every task records its items' outcomes and never rejects; allSettled still waits for all before the
			// session closes, whatever happens.
			await Promise.allSettled(inflight);
			return [succeededItems(outcomes), failedItems(items, outcomes, provider)];
		}

		// Every item read and planned before anything is sent.
		const planned = (await Promise.all(held.map(async (chunk) => await gate.run(async () => await planChunk(chunk))))).filter((chunk) => chunk.length);
		// Dry Run sends nothing: the planned items are on Succeeded as requests, only the refused ones on Failed.
		if (dryRun) return [await dryRunItems(provider, batch, session, planned), failedItems(items, outcomes, provider, { planned: true })];
		if (!batch) await provider.create.prefetch?.(session, planned.flat().map((entry) => entry.input)).catch(() => {
			// Only an optimisation: each create still reads for itself when nothing was prefetched.
		});
		await Promise.allSettled(planned.map(async (chunk) => await gate.run(async () => await send(chunk))));
		return [succeededItems(outcomes), failedItems(items, outcomes, provider)];
	} finally {
		await session.close();
	}
}

function succeededItems(outcomes: Outcome[]): INodeExecutionData[] {
	const succeeded: INodeExecutionData[] = [];
	outcomes.forEach((outcome, index) => {
		if (outcome?.ok) succeeded.push({ json: outcome.memo, pairedItem: { item: index } });
	});
	return succeeded;
}

/**
 * Runs tasks in the pool. While no token is cached, tasks run one at a time until one has sent a request (which
 * fetched the token the others then reuse); a task that sent nothing (its items all failed planning) opens nothing.
 */
class TokenGate {
	private open: boolean;
	private leader: Promise<unknown> | undefined;

	constructor(
		private readonly pool: AdaptivePool,
		needsToken: boolean,
		private readonly sent: () => boolean,
	) {
		this.open = !needsToken;
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		while (!this.open && this.leader) await this.leader.catch(() => undefined);
		if (this.open) return await this.pool.run(task);
		// Taken synchronously after the check, so one waiter at a time becomes the leader.
		const running = this.pool.run(task);
		this.leader = running;
		try {
			return await running;
		} finally {
			this.leader = undefined;
			if (this.sent()) this.open = true;
		}
	}
}

/**
 * One refund, one memo: items run concurrently (and in a native batch nothing collapses two memos for the same
 * Refund Reference: Zuora's bulk has no per-memo idempotency), so two items with one reference could both find no
 * memo and both create one. A reference an earlier item of this run carries is therefore refused.
 */
function onePerReference(seen: Map<string, number>, index: number, params: ParamReader): void {
	// Already read and validated while preparing the item (the reader keeps the value).
	const reference = optionalText(params.get('refundReference', ''), REFUND_REFERENCE);
	if (reference === undefined) return;
	const earlier = seen.get(reference);
	if (earlier === undefined) {
		seen.set(reference, index);
		return;
	}
	throw new InputError(REFUND_REFERENCE, `Refund Reference "${reference}" is also on item ${earlier} of this run; a refund is sent once`, 'Remove the repeated item, or give each refund its own reference.');
}

async function sendBatch(batch: BatchOperation, session: Parameters<BatchOperation['plan']>[0], chunk: Prepared[]) {
	const inputs = chunk.map((entry) => entry.input);
	const results = await batch.execute(session, inputs, await batch.plan(session, inputs));
	if (results.length !== chunk.length) {
		// Never let a short answer lose an item silently; which of these memos exist is unknown.
		throw new ProviderError({
			provider: session.provider,
			message: `The provider answered ${results.length} results for ${chunk.length} memos`,
			hint: 'Some of these memos may exist. Check the provider before sending them again.',
			outcome: 'unknown',
		});
	}
	return results;
}

function chunkSizeOf(options: IDataObject, batch: BatchOperation): number {
	const requested = Math.floor(Number(options.chunkSize ?? batch.maxBatchSize));
	return Math.min(batch.maxBatchSize, Math.max(1, Number.isFinite(requested) ? requested : batch.maxBatchSize));
}

/**
 * Fills one chunk per group (only memos of one group share a request) and hands each on when full; `flush` hands
 * on the partly filled ones, in the order their groups first appeared. Items keep their input order in a chunk.
 */
class Chunker {
	private readonly open = new Map<string, ReadItem[]>();

	constructor(
		private readonly batch: BatchOperation | undefined,
		private readonly size: number,
		private readonly emit: (chunk: ReadItem[]) => void,
	) {}

	/** Whether this entry completed a chunk (handed on). */
	add(entry: ReadItem): boolean {
		const key = this.batch ? this.batch.group(entry.input) : '';
		const chunk = this.open.get(key) ?? [];
		chunk.push(entry);
		this.open.set(key, chunk);
		if (chunk.length < this.size) return false;
		this.open.set(key, []);
		this.emit(chunk);
		return true;
	}

	flush(): void {
		for (const chunk of this.open.values()) if (chunk.length) this.emit(chunk);
		this.open.clear();
	}
}

async function dryRunItems(
	provider: CreditMemoProvider,
	batch: BatchOperation | undefined,
	session: Parameters<BatchOperation['plan']>[0],
	chunks: Prepared[][],
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (const chunk of chunks) {
		const pairedItem = chunk.map((entry) => ({ item: entry.index }));
		if (!batch) {
			output.push({ json: dryRunOutput(provider, chunk[0].plan), pairedItem });
			continue;
		}
		const request = await batch.plan(session, chunk.map((entry) => entry.input));
		output.push({ json: { provider: provider.key, dryRun: true, memos: chunk.length, request: describeRequest(provider, request) }, pairedItem });
	}
	return output;
}

function notAttempted(index: number): Outcome {
	return { ok: false, error: summarizeError(new InputError('Stop On First Failure', NOT_ATTEMPTED), index) };
}

function failedItems(items: INodeExecutionData[], outcomes: Outcome[], provider: CreditMemoProvider, { planned = false } = {}): INodeExecutionData[] {
	const failed: INodeExecutionData[] = [];
	items.forEach((item, index) => {
		// In Dry Run an item without an outcome was planned, not sent. Otherwise a hole would be a bug; it still
		// comes out, as an unknown outcome, rather than vanish.
		if (planned && !outcomes[index]) return;
		const outcome = outcomes[index] ?? { ok: false, error: { ...summarizeError(new Error(NO_RESULT), index), outcome: 'unknown' } };
		if (outcome.ok) return;
		const { message, description, code, httpStatus, field, retryable, outcome: result } = outcome.error;
		failed.push({
			json: { ...item.json, error: { message, description, code, httpStatus, provider: provider.key, field, retryable, outcome: result } },
			pairedItem: { item: index },
		});
	});
	return failed;
}
