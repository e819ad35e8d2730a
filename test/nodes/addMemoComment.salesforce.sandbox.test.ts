import workflowJson from '../workflows/comment-salesforce.workflow.json';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { SALESFORCE_DEMO } from '../../sandbox/providers/salesforce';
import { makeId } from '../../sandbox/providers/salesforce/ids';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { salesforceSandboxCredentials } from '../harness/salesforce';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const NODE = 'Add Memo Comment';
const SEEDED_MEMO = '50gSB0000000001YAA';
const workflow = workflowJson as unknown as WorkflowJson;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

/** The memo's Description as the sandbox has it now (read with a token of its own). */
async function descriptionOf(memo: string): Promise<unknown> {
	const base = sandbox.providerUrl('salesforce');
	const token = await fetch(`${base}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SALESFORCE_DEMO.clientId, client_secret: SALESFORCE_DEMO.clientSecret }).toString(),
	}).then(async (response) => ((await response.json()) as { access_token: string }).access_token);
	const record = await fetch(`${base}/services/data/v66.0/sobjects/CreditMemo/${memo}?fields=Description`, { headers: { Authorization: `Bearer ${token}` } });
	return ((await record.json()) as { Description: unknown }).Description;
}

describe('Add Memo Comment, Salesforce Order Management, against the sandbox', () => {
	it('appends to the seeded memo\'s Description, once even when the run is repeated', async () => {
		const input = [{ creditMemoId: SEEDED_MEMO, comment: 'Customer confirmed the return label' }];

		const first = await runWorkflow(workflow, { input, credentials: salesforceSandboxCredentials(sandbox) });
		await runWorkflow(workflow, { input, credentials: salesforceSandboxCredentials(sandbox) });

		expect(first.error()).toBeUndefined();
		expect(first.output(NODE)[0].json).toEqual({
			provider: 'salesforce',
			creditMemoId: SEEDED_MEMO,
			comment: 'Customer confirmed the return label',
			target: 'creditMemo',
			raw: { Id: SEEDED_MEMO, Description: 'Return RMA-1001 approved\nCustomer confirmed the return label' },
		});
		expect(await descriptionOf(SEEDED_MEMO)).toBe('Return RMA-1001 approved\nCustomer confirmed the return label');
	});

	it('replaces the Description', async () => {
		const result = await runWorkflow(withNodeParameters(workflow, NODE, { descriptionMode: 'replace' }), {
			input: [{ creditMemoId: SEEDED_MEMO, comment: 'Refund Reference: RMA-1001' }],
			credentials: salesforceSandboxCredentials(sandbox),
		});

		expect(result.error()).toBeUndefined();
		expect(await descriptionOf(SEEDED_MEMO)).toBe('Refund Reference: RMA-1001');
	});

	it('refuses an Append beyond the org\'s Description length (describe), and reports an unknown memo as not found', async () => {
		const result = await runWorkflow(withNodeSettings(workflow, NODE, { onError: 'continueRegularOutput' }), {
			input: [
				{ creditMemoId: SEEDED_MEMO, comment: 'x'.repeat(32000) },
				{ creditMemoId: makeId('50g', 999), comment: 'Hello' },
			],
			credentials: salesforceSandboxCredentials(sandbox),
		});

		const output = result.output(NODE);
		expect(output[0].json).toMatchObject({
			error: "Appending this comment would make the credit memo's Description 32025 characters long; Salesforce allows 32000. Nothing was written.",
			details: { field: 'Comment' },
		});
		expect(output[1].json).toMatchObject({ error: 'Salesforce: The requested resource does not exist', details: { code: 'NOT_FOUND', httpStatus: 404 } });
		expect(await descriptionOf(SEEDED_MEMO)).toBe('Return RMA-1001 approved');
	});
});
