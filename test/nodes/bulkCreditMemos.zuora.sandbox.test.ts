import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import workflowJson from '../workflows/bulk-zuora.workflow.json';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { ZUORA_DEMO } from '../../sandbox/demoCredentials';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters } from '../harness/workflows';

const NODE = 'Bulk Credit Memos';
const workflow = workflowJson as unknown as WorkflowJson;
let sandbox: Sandbox;
let credentials: Record<string, ICredentialDataDecryptedObject>;

/** Half the refunds credit a unit of the seeded bulk invoice, half the bulk account's goodwill charge. */
const refunds: IDataObject[] = Array.from({ length: 120 }, (_, index) =>
	index % 2 === 0
		? { returnId: `RET-ZB-${index}`, source: 'invoice', invoiceId: '8a90d7a892d82d920192dbcbb0c00001', invoiceItemId: '8a90d7a892d82d920192dbcbb0c00002', amount: 1 }
		: { returnId: `RET-ZB-${index}`, source: 'standalone', account: 'A-BULK-0001', charge: '8a90e4a792d82d8c0192dbdab0c00001', amount: 2 },
);

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	credentials = { zuoraOAuth2Api: { environment: 'custom', baseUrl: sandbox.providerUrl('zuora'), clientId: ZUORA_DEMO.clientId, clientSecret: ZUORA_DEMO.clientSecret } };
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

const bulkRequests = () => sandbox.ledger('zuora').map((entry) => entry.requestId);

describe('Bulk Credit Memos, Zuora, against the sandbox', () => {
	it('creates 120 memos in four bulk requests, and a second run of the same refunds creates nothing', async () => {
		const first = await runWorkflow(workflow, { input: refunds, credentials });

		expect(first.error()).toBeUndefined();
		expect(first.output(NODE, 1)).toEqual([]);
		const succeeded = first.output(NODE, 0);
		expect(succeeded.map((item) => [item.pairedItem, item.json.refundReference])).toEqual(refunds.map((refund, index) => [{ item: index }, refund.returnId]));
		expect(succeeded.map((item) => item.json.totalAmount)).toEqual(refunds.map((refund) => refund.amount));
		const ledger = sandbox.ledger('zuora');
		expect(ledger).toHaveLength(120);
		expect(new Set(ledger.map((entry) => entry.operation))).toEqual(new Set(['bulkCreate']));
		expect(new Set(bulkRequests()).size).toBe(4);

		const second = await runWorkflow(workflow, { input: refunds, credentials });

		expect(second.output(NODE, 0).map((item) => [item.json.creditMemoId, item.json.replayed])).toEqual(succeeded.map((item) => [item.json.creditMemoId, true]));
		expect(sandbox.ledger('zuora')).toHaveLength(120);
	});

	it('a re-run with another mix of refunds (an invalid one fixed) returns the memos already made and creates only the new one', async () => {
		const input = refunds.slice(0, 10);
		const broken = input.map((refund, index) => (index === 3 ? { ...refund, amount: -1 } : refund));

		const first = await runWorkflow(workflow, { input: broken, credentials });
		expect(first.output(NODE, 0)).toHaveLength(9);
		expect(first.output(NODE, 1).map((item) => item.pairedItem)).toEqual([{ item: 3 }]);

		// Item 3 now joins its chunk: the chunk's Idempotency-Key differs from the first run's.
		const second = await runWorkflow(workflow, { input, credentials });

		expect(second.output(NODE, 1)).toEqual([]);
		expect(second.output(NODE, 0).map((item) => [item.json.refundReference, item.json.replayed])).toEqual(input.map((refund, index) => [refund.returnId, index !== 3]));
		expect(sandbox.ledger('zuora')).toHaveLength(10);
	});

	it('fails only the memos Zuora refuses, with its reason, and creates their siblings', async () => {
		const input = refunds.slice(0, 10).map((refund, index) => (index === 2 || index === 5 ? { ...refund, invoiceItemId: '8a90d7a892d82d920192dbcbbfffffff', charge: '8a90e4a792d82d8c0192dbdabfffffff' } : refund));

		const result = await runWorkflow(workflow, { input, credentials });

		const failed = result.output(NODE, 1);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 2 }, { item: 5 }]);
		for (const item of failed) expect(item.json.error).toMatchObject({ provider: 'zuora', httpStatus: 200, code: expect.stringMatching(/^\d{8}$/), outcome: 'failed' });
		expect(result.output(NODE, 0)).toHaveLength(8);
		expect(sandbox.ledger('zuora')).toHaveLength(8);
	});

	it('creates exactly one memo per refund when a bulk answer is lost after Zuora committed it', async () => {
		sandbox.setFaults([{ provider: 'zuora', operation: 'bulkCreate', kind: 'dropAfterCommit', count: 1 }]);

		const result = await runWorkflow(workflow, { input: refunds.slice(0, 30), credentials });

		expect(result.output(NODE, 0)).toHaveLength(30);
		expect(sandbox.ledger('zuora')).toHaveLength(30);
	});

	it('rides out the concurrency limit (429, category 70) and creates every memo once', async () => {
		sandbox.setConcurrencyLimit('zuora', 1, 0.05);
		sandbox.setLatency('zuora', { fixedMs: 20, jitterMs: 0 });

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { concurrency: 4, chunkSize: 5 } }), { input: refunds.slice(0, 40), credentials });

		expect(result.output(NODE, 1)).toEqual([]);
		expect(result.output(NODE, 0)).toHaveLength(40);
		expect(sandbox.ledger('zuora')).toHaveLength(40);
	});

	it('sends the charge fields a tenant on Zuora-Version 223.0 expects', async () => {
		const result = await runWorkflow(workflow, { input: refunds.slice(0, 6), credentials: { zuoraOAuth2Api: { ...credentials.zuoraOAuth2Api, zuoraVersion: '223.0' } } });

		expect(result.output(NODE, 1)).toEqual([]);
		expect(sandbox.ledger('zuora')).toHaveLength(6);
	});
});
