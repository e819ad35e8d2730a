import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import createJson from '../workflows/create-zuora.workflow.json';
import commentJson from '../workflows/comment-zuora.workflow.json';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { ZUORA_DEMO } from '../../sandbox/demoCredentials';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters } from '../harness/workflows';

const NODE = 'Add Memo Comment';
let sandbox: Sandbox;
let credentials: Record<string, ICredentialDataDecryptedObject>;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	credentials = { zuoraOAuth2Api: { environment: 'custom', baseUrl: sandbox.providerUrl('zuora'), clientId: ZUORA_DEMO.clientId, clientSecret: ZUORA_DEMO.clientSecret } };
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

/** Creates a memo for RET-ZC-1 on the seeded doc-example invoice and returns its ID. */
async function createdMemo(): Promise<string> {
	const run = await runWorkflow(createJson as unknown as WorkflowJson, {
		input: [{ returnId: 'RET-ZC-1', invoiceId: '8a90d7a892d82d920192dbcb314501c7', invoiceItemId: '8a90d7a892d82d920192dbcb31f401c8', amount: 10 }],
		credentials,
	});
	expect(run.error()).toBeUndefined();
	return String(run.output('Create Credit Memo')[0].json.creditMemoId);
}

const comment = async (input: object, mode: 'append' | 'replace' = 'append') =>
	await runWorkflow(withNodeParameters(commentJson as unknown as WorkflowJson, NODE, { commentMode: mode }), { input: [input as never], credentials });

describe('Add Memo Comment, Zuora, against the sandbox', () => {
	it('appends to the comment written on creation, then replaces it, keeping the refund marker', async () => {
		const id = await createdMemo();

		const appended = await comment({ creditMemoId: id, note: 'Refund approved' });

		expect(appended.error()).toBeUndefined();
		expect(appended.output(NODE)[0].json).toMatchObject({
			provider: 'zuora',
			creditMemoId: id,
			comment: expect.stringMatching(/^Return RET-ZC-1 \| Refund approved \[ref:RET-ZC-1 #[0-9a-f]{8}\]$/),
			target: 'creditMemo',
		});

		const replaced = await comment({ creditMemoId: id, note: 'Paid back to card' }, 'replace');

		expect(replaced.output(NODE)[0].json.comment).toMatch(/^Paid back to card \[ref:RET-ZC-1 #[0-9a-f]{8}\]$/);
	});

	it('takes the memo number as well as its ID', async () => {
		await createdMemo();
		const number = String(sandbox.ledger('zuora')[0].number);

		const result = await comment({ creditMemoId: number, note: 'By number' });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json.comment).toMatch(/By number/);
	});

	it('refuses an append past 255 characters and leaves the comment as it was', async () => {
		const id = await createdMemo();

		const result = await comment({ creditMemoId: id, note: 'n'.repeat(240) });

		expect(result.error()?.message).toMatch(/^The memo comment would have \d+ characters after this append, Zuora keeps 255; nothing was changed$/);
		const after = await comment({ creditMemoId: id, note: 'Return RET-ZC-1' });
		expect(after.output(NODE)[0].json.comment).toMatch(/^Return RET-ZC-1 \[ref:/);
	});

	it('reports an unknown memo as Zuora\'s not-found error', async () => {
		const result = await comment({ creditMemoId: 'CM99999999', note: 'x' });

		expect(result.error()?.message).toBe('Zuora: Cannot find a CreditMemo instance with id CM99999999.');
		expect(result.error()?.context).toMatchObject({ provider: 'zuora', code: expect.stringMatching(/40$/) });
	});
});
