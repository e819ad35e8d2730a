import nock from 'nock';

import workflowJson from '../workflows/bulk-rebilly.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters } from '../harness/workflows';

const REBILLY = 'https://api-sandbox.rebilly.com';
const credentials = { rebillyApi: { environment: 'sandbox', organizationId: 'test-org', apiKey: 'sk_test_secret_1' } };
const workflow = workflowJson as unknown as WorkflowJson;
const NODE = 'Bulk Credit Memos';

const inputs = Array.from({ length: 12 }, (_, index) => ({
	returnId: `RET-${index}`,
	customerId: `cus_${index}`,
	quantity: 1,
	invoiceId: `in_${index}`,
	invoiceItemId: `ii_${index}`,
}));

/** A Rebilly stand-in: nothing exists yet (list and GET), PUT creates; the listed references fail with 422. */
function rebilly({ failing = [] as string[], rateLimitFirst = 0, existing = [] as string[] } = {}) {
	const created: string[] = [];
	const lookups: string[] = [];
	let limited = rateLimitFirst;
	let inFlight = 0;
	let peak = 0;
	nock(REBILLY)
		.persist()
		.get('/organizations/test-org/credit-memos')
		.query(true)
		.reply((uri) => {
			const ids = new URL(uri, REBILLY).searchParams.get('filter')!.replace(/^id:/, '').split(',');
			lookups.push(...ids);
			return [200, ids.filter((id) => existing.includes(id)).map((id) => ({ id, customerId: `cus_${id.split('-').pop()}`, currency: 'USD', totalAmount: 24.85, status: 'issued' }))];
		})
		.get(/\/credit-memos\/cm-RET-\d+$/)
		.reply(404, { title: 'Not Found', status: 404 })
		.put(/\/credit-memos\/cm-RET-\d+$/)
		.reply(async function (uri, body) {
			inFlight++;
			peak = Math.max(peak, inFlight);
			await new Promise((resolve) => setImmediate(resolve));
			inFlight--;
			const id = uri.split('/').pop()!;
			if (limited > 0) {
				limited--;
				return [429, { title: 'Rate Limit Exceeded', status: 429 }, { 'X-RateLimit-Retry-After': String(Math.floor(Date.now() / 1000)) }];
			}
			if (failing.includes(id)) return [422, { title: 'Invalid data was sent.', status: 422, invalidFields: [{ field: 'invoiceId', message: 'Invoice is voided' }] }];
			created.push(id);
			return [201, { id, ...(body as object), totalAmount: 24.85, status: 'issued' }];
		});
	return { created, lookups, peak: () => peak };
}

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Bulk Credit Memos, Rebilly (one call per item)', () => {
	it('puts every item on exactly one output, paired and in input order, with one failing item among many', async () => {
		const server = rebilly({ failing: ['cm-RET-4'] });

		const result = await runWorkflow(workflow, { input: inputs, credentials });

		expect(result.error()).toBeUndefined();
		const succeeded = result.output(NODE, 0);
		const failed = result.output(NODE, 1);
		expect(succeeded.map((item) => item.pairedItem)).toEqual(inputs.map((_, index) => ({ item: index })).filter((_, index) => index !== 4));
		expect(succeeded.map((item) => item.json.creditMemoId)).toEqual(inputs.map((input) => `cm-${input.returnId}`).filter((id) => id !== 'cm-RET-4'));
		expect(failed).toEqual([
			{
				json: {
					...inputs[4],
					error: {
						message: 'Rebilly rejected the credit memo: invoiceId: Invoice is voided',
						description: null,
						code: 'Invalid data was sent.',
						httpStatus: 422,
						provider: 'rebilly',
						field: null,
						retryable: false,
						outcome: 'failed',
					},
				},
				pairedItem: { item: 4 },
			},
		]);
		expect(server.created).toHaveLength(11);
		expect(server.peak()).toBeLessThanOrEqual(3);
	});

	it('looks up which memos exist with one list request, returns those, and creates only the others', async () => {
		const server = rebilly({ existing: ['cm-RET-1', 'cm-RET-3'] });
		const perItemReads = nock(REBILLY).get(/\/credit-memos\/cm-RET-\d+$/).reply(500);

		const result = await runWorkflow(workflow, { input: inputs.slice(0, 5), credentials });

		expect(server.lookups).toEqual(['cm-RET-0', 'cm-RET-1', 'cm-RET-2', 'cm-RET-3', 'cm-RET-4']);
		expect(perItemReads.isDone()).toBe(false);
		expect(server.created.sort()).toEqual(['cm-RET-0', 'cm-RET-2', 'cm-RET-4']);
		expect(result.output(NODE, 0).map((item) => [item.json.creditMemoId, item.json.replayed])).toEqual([
			['cm-RET-0', false],
			['cm-RET-1', true],
			['cm-RET-2', false],
			['cm-RET-3', true],
			['cm-RET-4', false],
		]);
	});

	it('trusts the list only when it answers a list: otherwise each create reads its memo first and never overwrites one', async () => {
		const list = nock(REBILLY).get('/organizations/test-org/credit-memos').query(true).reply(200, { unexpected: 'shape' });
		const existing = nock(REBILLY)
			.get('/organizations/test-org/credit-memos/cm-RET-1')
			.reply(200, { id: 'cm-RET-1', customerId: 'cus_1', currency: 'USD', totalAmount: 24.85, status: 'issued' });
		const server = rebilly();

		const result = await runWorkflow(workflow, { input: inputs.slice(0, 2), credentials });

		expect(list.isDone()).toBe(true);
		expect(existing.isDone()).toBe(true);
		expect(server.created).toEqual(['cm-RET-0']);
		expect(result.output(NODE, 0).map((item) => [item.json.creditMemoId, item.json.replayed])).toEqual([
			['cm-RET-0', false],
			['cm-RET-1', true],
		]);
	});

	it('waits out a burst of 429s without failing or duplicating items', async () => {
		const server = rebilly({ rateLimitFirst: 4 });

		const result = await runWorkflow(workflow, { input: inputs.slice(0, 6), credentials });

		expect(result.output(NODE, 1)).toEqual([]);
		expect(result.output(NODE, 0)).toHaveLength(6);
		expect([...server.created].sort()).toEqual(inputs.slice(0, 6).map((input) => `cm-${input.returnId}`).sort());
	});

	it('with Stop On First Failure sends nothing more and reports the rest as not attempted', async () => {
		const server = rebilly({ failing: ['cm-RET-0'] });
		const stopping = withNodeParameters(workflow, NODE, { options: { concurrency: 1, stopOnFirstFailure: true } });

		const result = await runWorkflow(stopping, { input: inputs.slice(0, 4), credentials });

		expect(server.created).toEqual([]);
		expect(result.output(NODE, 0)).toEqual([]);
		const failed = result.output(NODE, 1);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(failed.slice(1).map((item) => (item.json.error as { message: string }).message)).toEqual(
			Array(3).fill('Not attempted: an earlier item failed and Stop On First Failure is on'),
		);
	});

	it('applies each item\'s own Max Total Amount (a per-memo limit, as Create Credit Memo does)', async () => {
		const server = rebilly();
		const limited = withNodeParameters(workflow, NODE, { options: { maxTotalAmount: '={{ $json.limit }}' } });
		// Each memo credits 24.85 (19.90 + 4.95 shipping); item 1's limit is below it.
		const input = inputs.slice(0, 3).map((refund, index) => ({ ...refund, limit: index === 1 ? 20 : 30 }));

		const result = await runWorkflow(limited, { input, credentials });

		expect(server.created.sort()).toEqual(['cm-RET-0', 'cm-RET-2']);
		expect(result.output(NODE, 1).map((item) => [item.pairedItem, (item.json.error as { field: string }).field])).toEqual([[{ item: 1 }, 'Safety Limit: Max Total Amount']]);
	});

	it('sends invalid items to Failed without sending them, and the others on', async () => {
		const server = rebilly();

		const result = await runWorkflow(workflow, { input: [inputs[0], { ...inputs[1], quantity: -2 }, inputs[2]], credentials });

		expect(server.created).toEqual(['cm-RET-0', 'cm-RET-2']);
		expect(result.output(NODE, 1)).toMatchObject([
			{ json: { error: { message: 'Items[1] Quantity must be greater than 0, got -2', field: 'Items[1] Quantity', outcome: 'failed' } }, pairedItem: { item: 1 } },
		]);
	});

	it('Dry Run outputs one request per memo and sends nothing', async () => {
		const dryRun = withNodeParameters(workflow, NODE, { options: { dryRun: true } });

		const result = await runWorkflow(dryRun, { input: inputs.slice(0, 2), credentials });

		expect(result.output(NODE, 0).map((item) => [item.json.request, item.pairedItem])).toEqual([
			[expect.objectContaining({ method: 'PUT', url: `${REBILLY}/organizations/test-org/credit-memos/cm-RET-0` }), [{ item: 0 }]],
			[expect.objectContaining({ method: 'PUT', url: `${REBILLY}/organizations/test-org/credit-memos/cm-RET-1` }), [{ item: 1 }]],
		]);
	});
});
