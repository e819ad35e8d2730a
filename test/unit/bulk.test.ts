import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { executeBulk } from '../../nodes/shared/bulk';
import { ProviderError } from '../../nodes/shared/errors';
import type { BatchOperation, CreditMemoProvider, CreditMemoResult, PreparedRequest, Session } from '../../nodes/shared/types';

interface FakeInput {
	ref: string;
	source: string;
}

/** A provider with native batching whose "server" is a function of the chunk it receives. */
function batchingProvider(answer: (inputs: FakeInput[]) => Array<CreditMemoResult | ProviderError> | Error, hasToken?: () => Promise<boolean>) {
	const requests: FakeInput[][] = [];
	const events: string[] = [];
	const session: Session = { provider: 'zuora', baseUrl: async () => 'https://fake', send: async () => ({ statusCode: 200, headers: {}, body: {} }), close: async () => {}, hasToken };
	const memo = (input: FakeInput): CreditMemoResult => ({ provider: 'zuora', creditMemoId: `CM-${input.ref}`, number: null, status: 'Draft', totalAmount: 1, currency: 'USD', createdAt: null, raw: {} });
	const createBatch: BatchOperation<FakeInput> = {
		maxBatchSize: 3,
		available: async () => true,
		group: (input) => input.source,
		plan: async (_session, inputs): Promise<PreparedRequest> => ({ method: 'POST', url: 'https://fake/bulk', headers: {}, body: { sourceType: inputs[0].source, refs: inputs.map((input) => input.ref) } }),
		execute: async (_session, inputs) => {
			requests.push(inputs);
			events.push(`start ${inputs[0].ref}`);
			// Longer than the node's pause between chunks, so requests overlap as they would on a network.
			await new Promise((resolve) => setTimeout(resolve, 20));
			events.push(`end ${inputs[0].ref}`);
			const result = answer(inputs);
			if (result instanceof Error) throw result;
			return result;
		},
	};
	const provider: CreditMemoProvider = {
		key: 'zuora',
		displayName: 'Fake',
		credentialType: 'fake',
		authHeaders: [],
		maxConcurrency: 2,
		toError: () => new ProviderError({ provider: 'zuora', message: 'x' }),
		openSession: () => session,
		create: {
			fields: [],
			read: (params) => ({ ref: params.get<string>('ref'), source: params.get<string>('source') }),
			plan: async () => ({ request: { method: 'POST', url: 'https://fake/one', headers: {} }, totalAmount: null, currency: null }),
			execute: async () => {
				throw new Error('single create must not be used when batching');
			},
		},
		createBatch: createBatch as BatchOperation<unknown>,
	};
	return { provider, requests, memo, events };
}

function fakeExec(items: IDataObject[], options: IDataObject = {}): IExecuteFunctions {
	return {
		getInputData: () => items.map((json) => ({ json })),
		getNodeParameter: (name: string, index: number, fallback?: unknown) => (name === 'options' ? options : (items[index][name] ?? fallback)),
		continueOnFail: () => false,
		getNode: () => ({ name: 'Bulk', type: 'bulk', typeVersion: 1, position: [0, 0], parameters: {}, id: '1' }),
		getExecutionCancelSignal: () => undefined,
		helpers: {},
	} as unknown as IExecuteFunctions;
}

const refs = (items: INodeExecutionData[]) => items.map((item) => [item.pairedItem, (item.json.creditMemoId as string) ?? (item.json.error as IDataObject).message]);

describe('Bulk with native batching', () => {
	const items = [
		{ ref: 'a', source: 'Invoice' },
		{ ref: 'b', source: 'Standalone' },
		{ ref: 'c', source: 'Invoice' },
		{ ref: 'd', source: 'Invoice' },
		{ ref: 'e', source: 'Invoice' },
		{ ref: 'f', source: 'Standalone' },
	];

	it('groups by source, chunks within each group in input order, and maps results back to their items', async () => {
		const fake = batchingProvider((inputs) => inputs.map((input) => (input.ref === 'd' ? new ProviderError({ provider: 'zuora', message: 'Cannot find invoice', code: '50000040' }) : fake.memo(input))));

		const [succeeded, failed] = await executeBulk(fakeExec(items), fake.provider);

		expect(fake.requests.map((chunk) => chunk.map((input) => input.ref))).toEqual([['a', 'c', 'd'], ['e'], ['b', 'f']]);
		expect(refs(succeeded)).toEqual([
			[{ item: 0 }, 'CM-a'],
			[{ item: 1 }, 'CM-b'],
			[{ item: 2 }, 'CM-c'],
			[{ item: 4 }, 'CM-e'],
			[{ item: 5 }, 'CM-f'],
		]);
		expect(failed).toEqual([{ json: { ...items[3], error: expect.objectContaining({ message: 'Cannot find invoice', code: '50000040', provider: 'zuora' }) }, pairedItem: { item: 3 } }]);
	});

	it('sends every item of a request that failed as a whole to Failed with the reason', async () => {
		const fake = batchingProvider((inputs) => (inputs[0].source === 'Standalone' ? new ProviderError({ provider: 'zuora', message: 'Service unavailable', httpStatus: 503, retryable: true }) : inputs.map(fake.memo)));

		const [succeeded, failed] = await executeBulk(fakeExec(items), fake.provider);

		expect(succeeded).toHaveLength(4);
		expect(refs(failed)).toEqual([
			[{ item: 1 }, 'Service unavailable'],
			[{ item: 5 }, 'Service unavailable'],
		]);
		expect(failed[0].json.error).toMatchObject({ httpStatus: 503, retryable: true });
	});

	it('never loses an item when a provider answers fewer results than memos', async () => {
		const fake = batchingProvider((inputs) => inputs.slice(1).map(fake.memo));

		const [succeeded, failed] = await executeBulk(fakeExec(items.slice(0, 3)), fake.provider);

		expect(succeeded).toEqual([]);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(failed.map((item) => (item.json.error as IDataObject).outcome)).toEqual(['unknown', 'unknown', 'unknown']);
	});

	it('sends the first request alone when no token is cached yet, so concurrent requests share one token', async () => {
		const cold = batchingProvider((inputs) => inputs.map(cold.memo), async () => false);
		await executeBulk(fakeExec(items), cold.provider);
		expect(cold.events.slice(0, 3)).toEqual(['start a', 'end a', 'start e']);

		const warm = batchingProvider((inputs) => inputs.map(warm.memo), async () => true);
		await executeBulk(fakeExec(items), warm.provider);
		expect(warm.events.slice(0, 2)).toEqual(['start a', 'start e']);
	});

	it('keeps sending one request at a time until one was sent: a first chunk whose items all fail planning fetches no token', async () => {
		const cold = batchingProvider((inputs) => inputs.map(cold.memo), async () => false);
		const { plan } = cold.provider.create;
		const provider: CreditMemoProvider = {
			...cold.provider,
			create: {
				...cold.provider.create,
				plan: async (session, input) => {
					if (['a', 'c', 'd'].includes((input as FakeInput).ref)) throw new ProviderError({ provider: 'zuora', message: 'Cannot find invoice' });
					return await plan(session, input);
				},
			},
		};

		const [succeeded, failed] = await executeBulk(fakeExec(items), provider);

		expect(cold.events.slice(0, 3)).toEqual(['start e', 'end e', 'start b']);
		expect(refs(succeeded).map(([, id]) => id)).toEqual(['CM-b', 'CM-e', 'CM-f']);
		expect(refs(failed)).toEqual([
			[{ item: 0 }, 'Cannot find invoice'],
			[{ item: 2 }, 'Cannot find invoice'],
			[{ item: 3 }, 'Cannot find invoice'],
		]);
	});

	it('sends a full chunk while later items are still being read; with Stop On First Failure, only after all are read', async () => {
		const readsAtFirstSend = async (options: IDataObject) => {
			const fake = batchingProvider((inputs) => inputs.map(fake.memo), async () => true);
			let reads = 0;
			let atFirstSend: number | undefined;
			const { read } = fake.provider.create;
			const { execute } = fake.provider.createBatch!;
			const provider: CreditMemoProvider = {
				...fake.provider,
				create: { ...fake.provider.create, read: (params) => (reads++, read(params)) },
				createBatch: { ...fake.provider.createBatch!, execute: async (...args) => ((atFirstSend ??= reads), await execute(...args)) },
			};
			const many = Array.from({ length: 30 }, (_, index) => ({ ref: `r${index}`, source: 'Invoice' }));
			const [succeeded] = await executeBulk(fakeExec(many, options), provider);
			expect(succeeded).toHaveLength(30);
			return atFirstSend;
		};

		// Chunks of 3: the first is sent once it is full, long before the 30th item is read.
		expect(await readsAtFirstSend({})).toBeLessThan(10);
		// Every item validated first, so an invalid one stops the run before anything is sent.
		expect(await readsAtFirstSend({ stopOnFirstFailure: true })).toBe(30);
	});

	it('honours a smaller Chunk Size and Dry Run shows the chunked requests', async () => {
		const fake = batchingProvider((inputs) => inputs.map(fake.memo));

		const [planned, failed] = await executeBulk(fakeExec(items, { chunkSize: 2, dryRun: true }), fake.provider);

		expect(fake.requests).toEqual([]);
		expect(failed).toEqual([]);
		expect(planned.map((item) => [(item.json.request as IDataObject).body, item.pairedItem])).toEqual([
			[{ sourceType: 'Invoice', refs: ['a', 'c'] }, [{ item: 0 }, { item: 2 }]],
			[{ sourceType: 'Invoice', refs: ['d', 'e'] }, [{ item: 3 }, { item: 4 }]],
			[{ sourceType: 'Standalone', refs: ['b', 'f'] }, [{ item: 1 }, { item: 5 }]],
		]);
	});
});

describe('Bulk without native batching', () => {
	it('sends a Refund Reference once per run: concurrent items could otherwise both find no memo and both create one', async () => {
		const fake = batchingProvider(() => []);
		const sent: string[] = [];
		const provider: CreditMemoProvider = {
			...fake.provider,
			createBatch: undefined,
			create: {
				...fake.provider.create,
				execute: async (_session, input) => {
					sent.push((input as FakeInput).ref);
					return fake.memo(input as FakeInput);
				},
			},
		};
		const items = [
			{ ref: 'a', source: 'Invoice', refundReference: 'RET-1' },
			{ ref: 'b', source: 'Invoice', refundReference: 'RET-2' },
			{ ref: 'c', source: 'Invoice', refundReference: ' RET-1 ' },
		];

		const [succeeded, failed] = await executeBulk(fakeExec(items), provider);

		expect(sent.sort()).toEqual(['a', 'b']);
		expect(refs(succeeded)).toEqual([
			[{ item: 0 }, 'CM-a'],
			[{ item: 1 }, 'CM-b'],
		]);
		expect(refs(failed)).toEqual([[{ item: 2 }, 'Refund Reference "RET-1" is also on item 0 of this run; a refund is sent once']]);
	});
});
