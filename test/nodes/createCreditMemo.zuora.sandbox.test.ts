import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import workflowJson from '../workflows/create-zuora.workflow.json';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { ZUORA_DEMO } from '../../sandbox/demoCredentials';
import { runCredentialTest } from '../harness/credentialTest';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters } from '../harness/workflows';

const NODE = 'Create Credit Memo';
const workflow = workflowJson as unknown as WorkflowJson;
let sandbox: Sandbox;
let credentials: Record<string, ICredentialDataDecryptedObject>;

/** The sandbox's seeded invoice from Zuora's own doc example (INV00000618, SKU-00000707). */
const refund = { returnId: 'RET-ZSBX-1', invoiceId: '8a90d7a892d82d920192dbcb314501c7', invoiceItemId: '8a90d7a892d82d920192dbcb31f401c8', amount: 10 };

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	credentials = {
		zuoraOAuth2Api: { environment: 'custom', baseUrl: sandbox.providerUrl('zuora'), clientId: ZUORA_DEMO.clientId, clientSecret: ZUORA_DEMO.clientSecret },
	};
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

const run = async (input: object[], extra: { workflow?: WorkflowJson; credentials?: Record<string, ICredentialDataDecryptedObject> } = {}) =>
	await runWorkflow(extra.workflow ?? workflow, { input: input as never, credentials: extra.credentials ?? credentials });

describe('Create Credit Memo, Zuora, against the sandbox', () => {
	it('creates the memo from the invoice; running the same refund again replays it and creates nothing', async () => {
		const first = await run([refund]);

		expect(first.error()).toBeUndefined();
		const memo = first.output(NODE)[0].json;
		expect(memo).toMatchObject({ provider: 'zuora', status: 'Posted', totalAmount: 10, currency: 'USD', refundReference: 'RET-ZSBX-1', replayed: false });
		expect(memo.raw).toMatchObject({ referredInvoiceId: refund.invoiceId, reasonCode: 'Correcting invoice error', comment: expect.stringMatching(/^Return RET-ZSBX-1 \[ref:RET-ZSBX-1 #[0-9a-f]{8}\]$/) });
		const ledger = sandbox.ledger('zuora');
		expect(ledger).toHaveLength(1);
		expect(ledger[0].request.headers.authorization).toBe('[redacted]');

		const second = await run([refund]);

		expect(second.output(NODE)[0].json).toMatchObject({ creditMemoId: memo.creditMemoId, replayed: true });
		expect(sandbox.ledger('zuora')).toHaveLength(1);
		expect(JSON.stringify([first.run.data, second.run.data])).not.toContain(ZUORA_DEMO.clientSecret);
	});

	it('refuses the same reference with a changed amount, creating nothing more', async () => {
		await run([refund]);

		const changed = await run([{ ...refund, amount: 12 }]);

		expect(changed.error()?.context).toMatchObject({ code: 'REFERENCE_REUSED', provider: 'zuora' });
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});

	it('refuses the same reference on another invoice (Zuora: 422), creating nothing more', async () => {
		await run([refund]);

		const elsewhere = await run([{ ...refund, invoiceId: '2c93808457d787030157e030d10f3f64', invoiceItemId: '2c93808457d787030157e030d1103f65' }]);

		expect(elsewhere.error()?.context).toMatchObject({ httpStatus: 422, retryable: false });
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});

	// The transport resends the POST with the same Idempotency-Key; a second memo would show in the ledger.
	it('creates exactly one memo when the answer is lost after Zuora committed it', async () => {
		sandbox.setFaults([{ provider: 'zuora', operation: 'createFromInvoice', kind: 'dropAfterCommit', count: 1 }]);

		const result = await run([refund]);

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ refundReference: 'RET-ZSBX-1', replayed: false });
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});

	it('fetches a new token when the sandbox expired it, and creates one memo', async () => {
		sandbox.setFaults([{ provider: 'zuora', operation: 'createFromInvoice', kind: 'expiredSession', count: 1 }]);

		const result = await run([refund]);

		expect(result.error()).toBeUndefined();
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});

	it('reports Zuora\'s business failure (200, success: false) with its reason code', async () => {
		const result = await run([{ ...refund, invoiceItemId: '8a90d7a892d82d920192dbcb31f4ffff' }]);

		expect(result.error()?.message).toMatch(/^Zuora: /);
		expect(result.error()?.context).toMatchObject({ provider: 'zuora', httpStatus: 200, code: expect.stringMatching(/^\d{8}$/) });
		expect(sandbox.ledger('zuora')).toHaveLength(0);
	});

	it.each(['2025-08-12', '230.0', '223.0', '186.0'])('creates a standalone memo with Zuora-Version %s', async (zuoraVersion) => {
		const standalone = withNodeParameters(workflow, NODE, {
			sourceType: 'standalone',
			accountNumber: 'A00000097',
			zuoraCharges: { charge: [{ productRatePlanChargeId: '8ad097b4909708e001909b41bb085d38', amount: 10, description: 'Support credit' }] },
			zuoraAdditionalFields: { reasonCode: 'Goodwill', comment: 'Goodwill credit' },
		});

		const result = await run([{ returnId: `RET-ZSBX-${zuoraVersion}` }], { workflow: standalone, credentials: { zuoraOAuth2Api: { ...credentials.zuoraOAuth2Api, zuoraVersion } } });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ totalAmount: 10, currency: 'USD', raw: { accountNumber: 'A00000097', sourceType: 'Standalone' } });
		expect(sandbox.ledger('zuora')).toHaveLength(1);
	});

	it('passes the credential test against the sandbox and fails it with a wrong secret', async () => {
		expect((await runCredentialTest('zuoraOAuth2Api', credentials.zuoraOAuth2Api)).status).toBe(200);
		expect((await runCredentialTest('zuoraOAuth2Api', { ...credentials.zuoraOAuth2Api, clientSecret: 'wrong' })).status).not.toBe(200);
	});
});
