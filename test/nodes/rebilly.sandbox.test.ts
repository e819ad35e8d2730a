import workflowJson from '../workflows/create-and-comment-rebilly.workflow.json';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';

const workflow = workflowJson as unknown as WorkflowJson;
let sandbox: Sandbox;
let credentials: Record<string, Record<string, string>>;

const refund = {
	returnId: 'RET-SBX-1',
	customerId: 'cus_0YV7DDSDD1C8DA64KHH2W33CPF',
	quantity: 1,
	invoiceId: 'in_0YVF9605RKC62BP14NE2R7V2XT',
	invoiceItemId: 'ii_0YVFDEQS2KCFTBN9HXWJFY55GV',
};

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	credentials = { rebillyApi: { environment: 'custom', baseUrl: sandbox.providerUrl('rebilly'), organizationId: 'demo-org', apiKey: 'sk_sandbox_demo_key' } };
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

describe('Rebilly nodes against the sandbox', () => {
	it('creates the memo, comments on it, and a second run of the same refund creates nothing new', async () => {
		const first = await runWorkflow(workflow, { input: [refund], credentials });

		expect(first.error()).toBeUndefined();
		expect(first.output('Create Credit Memo')[0].json).toMatchObject({
			provider: 'rebilly',
			creditMemoId: 'cm-RET-SBX-1',
			currency: 'USD',
			totalAmount: 24.85,
			refundReference: 'RET-SBX-1',
			replayed: false,
		});
		expect(first.output('Add Memo Comment')[0].json).toMatchObject({ creditMemoId: 'cm-RET-SBX-1', comment: 'Refund for return RET-SBX-1 approved', target: 'creditMemo' });
		const ledger = sandbox.ledger('rebilly');
		expect(ledger).toHaveLength(1);
		expect(ledger[0]).toMatchObject({ creditMemoId: 'cm-RET-SBX-1' });
		expect(ledger[0].request.headers['reb-apikey']).toBe('[redacted]');

		const second = await runWorkflow(workflow, { input: [refund], credentials });

		expect(second.output('Create Credit Memo')[0].json).toMatchObject({ creditMemoId: 'cm-RET-SBX-1', replayed: true });
		expect(sandbox.ledger('rebilly')).toHaveLength(1);
	});

	it('waits out the sandbox\'s 429 (epoch X-RateLimit-Retry-After) and creates exactly one memo', async () => {
		sandbox.setFaults([{ provider: 'rebilly', operation: '*', kind: 'rateLimited', count: 2, retryAfterSeconds: 1 }]);

		const result = await runWorkflow(workflow, { input: [refund], credentials });

		expect(result.error()).toBeUndefined();
		expect(sandbox.ledger('rebilly')).toHaveLength(1);
	});

	it('fails with the sandbox\'s 401 problem on a wrong API key, naming the credential to check', async () => {
		const result = await runWorkflow(workflow, { input: [refund], credentials: { rebillyApi: { ...credentials.rebillyApi, apiKey: 'wrong' } } });

		expect(result.error()?.context).toMatchObject({ httpStatus: 401, provider: 'rebilly' });
		expect(result.error()?.description).toContain('Check the secret API key');
	});
});
