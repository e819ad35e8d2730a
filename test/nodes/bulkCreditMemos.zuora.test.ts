import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import workflowJson from '../workflows/bulk-zuora.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters } from '../harness/workflows';

const ZUORA = 'https://rest.test.zuora.com';
const NODE = 'Bulk Credit Memos';
const BULK_INVOICE = '8a90d7a892d82d920192dbcbb0c00001';
const BULK_ITEM = '8a90d7a892d82d920192dbcbb0c00002';
const PRPC = '8a90e4a792d82d8c0192dbdab0c00001';
const workflow = workflowJson as unknown as WorkflowJson;
const credentials = { zuoraOAuth2Api: { environment: 'usDeveloperSandbox', clientId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', clientSecret: 'bulk-secret' } };
const MARKER = /\[ref:(\S+) #([0-9a-f]{8})\]$/;

/** 70 refunds: 8 in 10 credit an invoice line (56), 2 in 10 are standalone charges (14), interleaved. */
const inputs: IDataObject[] = Array.from({ length: 70 }, (_, index) =>
	index % 10 < 8
		? { returnId: `RET-${index}`, source: 'invoice', invoiceId: BULK_INVOICE, invoiceItemId: BULK_ITEM, amount: `${(index % 5) + 1}.25` }
		: { returnId: `RET-${index}`, source: 'standalone', account: 'A-BULK-0001', charge: PRPC, amount: `${(index % 5) + 1}.25` },
);

interface Sent {
	headers: Record<string, unknown>;
	body: { sourceType: string; memos: IDataObject[] };
}

const referenceOf = (memo: IDataObject) => MARKER.exec(String(memo.comment))![1];

interface Behaviour {
	/** References whose memo Zuora refuses (objectIndex + reasons, success false). */
	failing?: string[];
	/** Leave objectIndex out of failures: the answer is then placed by position. */
	positional?: boolean;
	/** Refuse whole requests of this sourceType (HTTP 200, success false). */
	refuse?: string;
	/** Answer 429 to the first N requests. */
	rateLimited?: number;
	/** Leave these references out of the answer. */
	missing?: string[];
}

/** Zuora's bulk endpoint as documented: one answer per memo, failures with objectIndex, top-level success true. */
function zuora(behaviour: Behaviour = {}) {
	const sent: Sent[] = [];
	let limited = behaviour.rateLimited ?? 0;
	nock(ZUORA).post('/oauth/token').reply(200, { access_token: 'bulk-token', expires_in: 3599, token_type: 'bearer' });
	// The look-up of memos already made under the references: none yet.
	nock(ZUORA).persist().get('/v1/credit-memos').query(true).reply(200, { creditmemos: [], success: true });
	nock(ZUORA)
		.persist()
		.post('/v1/credit-memos/bulk')
		.reply(function (_uri, raw) {
			const body = raw as Sent['body'];
			sent.push({ headers: this.req.headers, body });
			if (limited-- > 0) return [429, { success: false, reasons: [{ code: '50000070', message: 'Too many requests' }] }, { 'ratelimit-remaining': '0', 'ratelimit-reset': '0' }];
			if (behaviour.refuse === body.sourceType) return [200, { success: false, processId: 'P-REFUSED', reasons: [{ code: 53000021, message: "Unknown field 'memos[0].bogus'" }] }];
			const memos = body.memos
				.map((memo, index) => {
					const reference = referenceOf(memo);
					if (behaviour.failing?.includes(reference)) {
						return { ...(behaviour.positional ? {} : { objectIndex: index }), processId: `P-${reference}`, reasons: [{ code: 53000030, message: `Cannot credit ${reference}` }], success: false };
					}
					const lines = (memo.items ?? memo.charges) as Array<{ amount: number }>;
					return { id: `cm-${reference}`, number: `CM-${reference}`, status: 'Draft', amount: lines[0].amount, currency: 'USD', comment: memo.comment, success: true };
				})
				.filter((answer) => !behaviour.missing?.includes(String(answer.id ?? '').replace(/^cm-/, '')));
			return [200, { memos, success: true }, { 'Zuora-Track-Id': String(this.req.headers['zuora-track-id']) }];
		});
	return { sent };
}

const paired = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});

describe('Bulk Credit Memos, Zuora native bulk (engine + nock)', () => {
	it('groups by source, sends up to 50 memos a request with their own Idempotency-Key, and maps every memo back to its item', async () => {
		const api = zuora();

		const result = await runWorkflow(workflow, { input: inputs, credentials });

		expect(result.error()).toBeUndefined();
		const requests = api.sent.map((request) => `${request.body.sourceType}:${request.body.memos.length}`).sort();
		expect(requests).toEqual(['Invoice:50', 'Invoice:6', 'Standalone:14']);
		for (const { headers } of api.sent) {
			expect(headers).toMatchObject({ authorization: 'Bearer bulk-token', 'zuora-version': '2025-08-12', 'idempotency-key': expect.stringMatching(/^credit-memo-[0-9a-f]{48}$/) });
		}
		expect(new Set(api.sent.map((request) => request.headers['idempotency-key'])).size).toBe(3);
		// Input order within each source, so the same input always makes the same requests.
		const invoiceReferences = api.sent.filter((request) => request.body.sourceType === 'Invoice').flatMap((request) => request.body.memos.map(referenceOf));
		expect([...invoiceReferences].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))).toEqual(inputs.filter((input) => input.source === 'invoice').map((input) => input.returnId));

		const succeeded = result.output(NODE, 0);
		expect(result.output(NODE, 1)).toEqual([]);
		expect(succeeded.map(paired)).toEqual(inputs.map((_, index) => index));
		succeeded.forEach((item, index) => expect(item.json).toMatchObject({ provider: 'zuora', creditMemoId: `cm-RET-${index}`, refundReference: `RET-${index}`, replayed: false }));
	});

	it('builds each memo exactly as Create Credit Memo would send it alone', async () => {
		const api = zuora();
		await runWorkflow(workflow, { input: inputs.slice(0, 10), credentials });
		const create: WorkflowJson = {
			...workflow,
			nodes: workflow.nodes.map((node) =>
				node.name === NODE ? { ...node, name: 'Create', type: 'n8n-nodes-credit-memos.createCreditMemo', parameters: { ...node.parameters, options: { dryRun: true } } } : node,
			),
			connections: { [workflow.nodes[0].name]: { main: [[{ node: 'Create', type: 'main', index: 0 }]] } },
		};

		const single = await runWorkflow(create, { input: inputs.slice(0, 10), credentials });

		const bulkMemos = new Map(api.sent.flatMap((request) => request.body.memos.map((memo) => [referenceOf(memo), memo] as const)));
		const singleBodies = single.output('Create').map((item) => (item.json.request as IDataObject).body as IDataObject);
		expect(singleBodies).toHaveLength(10);
		for (const body of singleBodies) expect(bulkMemos.get(referenceOf(body))).toEqual(body);
	});

	it('sends the same requests with the same keys when the same input runs again', async () => {
		const first = zuora();
		const chunked = withNodeParameters(workflow, NODE, { options: { chunkSize: 5 } });
		await runWorkflow(chunked, { input: inputs.slice(0, 20), credentials });
		const keys = (sent: Sent[]) => sent.map((request) => `${request.body.memos.map(referenceOf).join(',')}=${String(request.headers['idempotency-key'])}`).sort();
		const firstKeys = keys(first.sent);
		nock.cleanAll();
		nock.disableNetConnect();

		const second = zuora();
		await runWorkflow(chunked, { input: inputs.slice(0, 20), credentials });

		expect(first.sent).toHaveLength(5);
		expect(keys(second.sent)).toEqual(firstKeys);
	});

	it('sends a memo Zuora refused to Failed with its reasons, its siblings to Succeeded', async () => {
		zuora({ failing: ['RET-3', 'RET-8'] });

		const result = await runWorkflow(workflow, { input: inputs.slice(0, 20), credentials });

		const failed = result.output(NODE, 1);
		expect(failed.map(paired)).toEqual([3, 8]);
		expect(failed[0].json).toMatchObject({
			returnId: 'RET-3',
			error: { message: 'Zuora: Cannot credit RET-3', code: '53000030', httpStatus: 200, provider: 'zuora', retryable: false, outcome: 'failed' },
		});
		expect((failed[0].json.error as IDataObject).description).toContain('process ID P-RET-3');
		expect(result.output(NODE, 0)).toHaveLength(18);
	});

	it('places failures without objectIndex by their position', async () => {
		zuora({ failing: ['RET-12'], positional: true });

		const result = await runWorkflow(workflow, { input: inputs.slice(0, 20), credentials });

		expect(result.output(NODE, 1).map(paired)).toEqual([12]);
		expect(result.output(NODE, 0).find((item) => paired(item) === 13)?.json).toMatchObject({ refundReference: 'RET-13' });
	});

	it('sends every item of a refused request to Failed with the reason, the other requests unaffected', async () => {
		zuora({ refuse: 'Standalone' });

		const result = await runWorkflow(workflow, { input: inputs.slice(0, 20), credentials });

		const failed = result.output(NODE, 1);
		expect(failed.map(paired)).toEqual([8, 9, 18, 19]);
		expect(failed[0].json.error).toMatchObject({ message: "Zuora: Unknown field 'memos[0].bogus'", code: '53000021' });
		expect(result.output(NODE, 0)).toHaveLength(16);
	});

	it('reports a memo missing from Zuora\'s answer as unknown, and still places the others by their marker', async () => {
		zuora({ missing: ['RET-20'] });

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { chunkSize: 5 } }), { input: inputs.slice(20, 24), credentials });

		expect(result.output(NODE, 1)).toEqual([expect.objectContaining({ pairedItem: { item: 0 }, json: expect.objectContaining({ error: expect.objectContaining({ outcome: 'unknown' }) }) })]);
		expect(result.output(NODE, 0).map((item) => [paired(item), item.json.refundReference])).toEqual([
			[1, 'RET-21'],
			[2, 'RET-22'],
			[3, 'RET-23'],
		]);
	});

	it('refuses, per memo, a replayed memo made from different data under the same reference', async () => {
		const first = zuora();
		await runWorkflow(workflow, { input: inputs.slice(0, 2), credentials });
		const stored = first.sent[0].body.memos.map((memo) => ({ id: `cm-${referenceOf(memo)}`, number: `CM-${referenceOf(memo)}`, comment: memo.comment, amount: 1, success: true }));
		nock.cleanAll();
		nock.disableNetConnect();
		// RET-1's amount changed; the references, hence the key, did not: Zuora replays the stored answer (the
		// memos are not listed yet, so the look-up before sending finds nothing).
		nock(ZUORA).get('/v1/credit-memos').query(true).reply(200, { creditmemos: [], success: true });
		nock(ZUORA).post('/oauth/token').reply(200, { access_token: 't', expires_in: 3599, token_type: 'bearer' }).post('/v1/credit-memos/bulk').reply(200, { memos: stored, success: true }, { 'Zuora-Track-Id': 'n8n-earlier' });

		const result = await runWorkflow(workflow, { input: [inputs[0], { ...inputs[1], amount: '99' }], credentials });

		expect(result.output(NODE, 0).map((item) => item.json)).toEqual([expect.objectContaining({ refundReference: 'RET-0', replayed: true })]);
		expect(result.output(NODE, 1)[0].json.error).toMatchObject({ code: 'REFERENCE_REUSED', message: expect.stringMatching(/^Refund Reference "RET-1" was already used for a different credit memo/) });
	});

	it('sends nothing for refunds whose earlier memos it cannot list, and says so per item', async () => {
		nock(ZUORA).post('/oauth/token').reply(200, { access_token: 't', expires_in: 3599, token_type: 'bearer' });
		nock(ZUORA).persist().get('/v1/credit-memos').query(true).reply(403, { success: false, reasons: [{ code: 50000010, message: 'You do not have permission' }] });
		const bulk = nock(ZUORA).post('/v1/credit-memos/bulk').reply(200, { memos: [], success: true });

		const result = await runWorkflow(workflow, { input: inputs.slice(0, 3), credentials });

		expect(bulk.isDone()).toBe(false);
		expect(result.output(NODE, 0)).toEqual([]);
		expect(result.output(NODE, 1).map((item) => [paired(item), (item.json.error as IDataObject).httpStatus])).toEqual([
			[0, 403],
			[1, 403],
			[2, 403],
		]);
	});

	it('waits out a 429 (ratelimit-reset) and sends the same request again', async () => {
		const api = zuora({ rateLimited: 1 });

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { concurrency: 1 } }), { input: inputs.slice(0, 8), credentials });

		expect(result.output(NODE, 0)).toHaveLength(8);
		expect(api.sent).toHaveLength(2);
		expect(api.sent[1].headers['idempotency-key']).toBe(api.sent[0].headers['idempotency-key']);
	});

	it('honours the Chunk Size option', async () => {
		const api = zuora();

		await runWorkflow(withNodeParameters(workflow, NODE, { options: { chunkSize: 7 } }), { input: inputs.slice(0, 20), credentials });

		expect(api.sent.map((request) => `${request.body.sourceType}:${request.body.memos.length}`).sort()).toEqual(['Invoice:2', 'Invoice:7', 'Invoice:7', 'Standalone:4']);
	});

	it('sends a Refund Reference that appears twice in one run only once', async () => {
		const api = zuora();

		const result = await runWorkflow(workflow, { input: [inputs[0], inputs[1], { ...inputs[0], amount: '9.25' }], credentials });

		expect(api.sent.flatMap((request) => request.body.memos.map(referenceOf))).toEqual(['RET-0', 'RET-1']);
		expect(result.output(NODE, 1)).toEqual([
			expect.objectContaining({ json: expect.objectContaining({ error: expect.objectContaining({ message: 'Refund Reference "RET-0" is also on item 0 of this run; a refund is sent once', field: 'Refund Reference' }) }), pairedItem: { item: 2 } }),
		]);
	});

	it('Dry Run shows each bulk request with the token redacted and sends nothing', async () => {
		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { dryRun: true, chunkSize: 50 } }), { input: inputs.slice(0, 10), credentials });

		const output = result.output(NODE, 0);
		expect(output.map((item) => item.json.memos)).toEqual([8, 2]);
		expect(output[0].pairedItem).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((item) => ({ item })));
		expect(output[1].json.request).toMatchObject({
			method: 'POST',
			url: `${ZUORA}/v1/credit-memos/bulk`,
			headers: { Authorization: '[redacted: added by the credential]', 'Idempotency-Key': expect.stringMatching(/^credit-memo-/), 'Zuora-Version': '2025-08-12' },
			body: { sourceType: 'Standalone', memos: expect.arrayContaining([expect.objectContaining({ accountNumber: 'A-BULK-0001', charges: [{ productRatePlanChargeId: PRPC, amount: 4.25 }] })]) },
		});
	});
});
