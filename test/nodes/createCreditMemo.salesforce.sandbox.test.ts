import workflowJson from '../workflows/create-salesforce.workflow.json';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { makeId } from '../../sandbox/providers/salesforce/ids';
import { runCredentialTest } from '../harness/credentialTest';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { salesforceSandboxCredentials } from '../harness/salesforce';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const NODE = 'Create Credit Memo';
const SUMMARY = '1OsSB00000000010AA';
const SEED_CHANGE_ORDER = '801R0000000EAAkIAO';
const SEED_REFUND = { orderSummaryId: SUMMARY, changeOrderIds: SEED_CHANGE_ORDER, returnId: 'RMA-2001' };
const workflow = workflowJson as unknown as WorkflowJson;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

describe('Create Credit Memo, Salesforce Order Management, against the sandbox', () => {
	it('passes the credential test with the client credentials grant', async () => {
		const result = await runCredentialTest('salesforceOmOAuth2Api', salesforceSandboxCredentials(sandbox).get('salesforceOmOAuth2Api')!);

		expect(result.status).toBe(200);
		expect(result.body).toMatchObject({ done: true, records: [{ Id: '50gSB0000000001YAA' }] });
	});

	it('credits the seed\'s change order, writes the reference, and a second run returns the same memo', async () => {
		const first = await runWorkflow(workflow, { input: [SEED_REFUND], credentials: salesforceSandboxCredentials(sandbox) });

		expect(first.error()).toBeUndefined();
		const memo = first.output(NODE)[0].json;
		expect(memo).toMatchObject({
			provider: 'salesforce',
			creditMemoId: expect.stringMatching(/^50g[A-Za-z0-9]{15}$/),
			number: 'CM-00000002',
			status: 'Posted',
			totalAmount: 142.28,
			currency: 'USD',
			refundReference: 'RMA-2001',
			replayed: false,
			raw: { Description: 'Refund Reference: RMA-2001', ReferenceEntityId: SUMMARY },
		});
		expect(sandbox.ledger('salesforce')).toHaveLength(1);

		const second = await runWorkflow(workflow, { input: [SEED_REFUND], credentials: salesforceSandboxCredentials(sandbox) });

		expect(second.output(NODE)[0].json).toMatchObject({ creditMemoId: memo.creditMemoId, replayed: true, totalAmount: 142.28 });
		expect(sandbox.ledger('salesforce')).toHaveLength(1);
	});

	it('survives an answer lost after Salesforce committed the memo: one memo, returned as the result', async () => {
		sandbox.setFaults([{ provider: 'salesforce', operation: 'createCreditMemo', kind: 'dropAfterCommit', count: 1 }]);

		const result = await runWorkflow(workflow, { input: [SEED_REFUND], credentials: salesforceSandboxCredentials(sandbox) });

		expect(result.error()).toBeUndefined();
		const ledger = sandbox.ledger('salesforce');
		expect(ledger).toHaveLength(1);
		expect(ledger[0].responseDropped).toBe(true);
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: ledger[0].creditMemoId, replayed: true, raw: { Description: 'Refund Reference: RMA-2001' } });
	});

	it('rides out REQUEST_LIMIT_EXCEEDED and an expired token (n8n fetches a new client credentials token)', async () => {
		sandbox.setFaults([
			{ provider: 'salesforce', operation: 'createCreditMemo', kind: 'rateLimited', count: 1 },
			{ provider: 'salesforce', operation: 'getCreditMemo', kind: 'expiredSession', count: 1 },
		]);

		const result = await runWorkflow(workflow, { input: [SEED_REFUND], credentials: salesforceSandboxCredentials(sandbox) });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ replayed: false, totalAmount: 142.28 });
		expect(sandbox.ledger('salesforce')).toHaveLength(1);
		expect(sandbox.faults().map((rule) => rule.fired)).toEqual([1, 1]);
	});

	it('with Ensure Refunds starts the refund, once: a re-run does not start it again', async () => {
		const ensuring = withNodeParameters(workflow, NODE, { options: { ensureRefunds: true } });

		const first = await runWorkflow(ensuring, { input: [SEED_REFUND], credentials: salesforceSandboxCredentials(sandbox) });
		const second = await runWorkflow(ensuring, { input: [SEED_REFUND], credentials: salesforceSandboxCredentials(sandbox) });

		expect(first.output(NODE)[0].json.ensureRefunds).toEqual({ started: true, backgroundOperationId: expect.stringMatching(/^0Bo/) });
		expect(second.output(NODE)[0].json).toMatchObject({ replayed: true, ensureRefunds: { started: false } });
	});

	it('reports the sandbox\'s errors readably: a change order of another order summary (2xx, success: false) and an unknown order summary', async () => {
		const result = await runWorkflow(withNodeSettings(workflow, NODE, { onError: 'continueRegularOutput' }), {
			input: [
				{ orderSummaryId: '1OsSB00000000020AA', changeOrderIds: SEED_CHANGE_ORDER, returnId: 'RMA-X' },
				{ orderSummaryId: makeId('1Os', 999), changeOrderIds: SEED_CHANGE_ORDER, returnId: 'RMA-Y' },
			],
			credentials: salesforceSandboxCredentials(sandbox),
		});

		const output = result.output(NODE);
		expect(output[0].json).toMatchObject({
			error: `Salesforce: The change order ${SEED_CHANGE_ORDER} doesn't belong to the order summary 1OsSB00000000020AA.`,
			details: { code: 'FIELD_INTEGRITY_EXCEPTION', httpStatus: 201, outcome: 'failed' },
		});
		expect(output[1].json).toMatchObject({ error: 'Salesforce: The requested resource does not exist', details: { code: 'NOT_FOUND', httpStatus: 404 } });
		expect(sandbox.ledger('salesforce')).toHaveLength(0);
	});
});
