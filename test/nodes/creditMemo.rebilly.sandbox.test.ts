import type { IDataObject } from 'n8n-workflow';

import bulkJson from '../workflows/bulk-rebilly.workflow.json';
import workflowJson from '../workflows/credit-memo-rebilly.workflow.json';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters } from '../harness/workflows';

const workflow = workflowJson as unknown as WorkflowJson;
const NODE = 'Credit Memo';
const SEEDED = 'crmm_0YVCNN22TWC3G8H82QNPNVZCHG';
let sandbox: Sandbox;
let credentials: Record<string, Record<string, string>>;

const run = async (parameters: IDataObject, input: IDataObject[] = [{}]) =>
	await runWorkflow(withNodeParameters(workflow, NODE, parameters), { input, credentials });

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	credentials = { rebillyApi: { environment: 'custom', baseUrl: sandbox.providerUrl('rebilly'), organizationId: 'demo-org', apiKey: 'sk_sandbox_demo_key' } };
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

describe('Credit Memo node, Rebilly, against the sandbox', () => {
	it('gets a memo, normalised or raw', async () => {
		const simplified = await run({ operation: 'get' }, [{ creditMemoId: SEEDED }]);
		expect(simplified.output(NODE)).toEqual([
			{ json: expect.objectContaining({ provider: 'rebilly', creditMemoId: SEEDED, currency: expect.any(String), raw: expect.any(Object) }), pairedItem: { item: 0 } },
		]);

		const raw = await run({ operation: 'get', simplify: false }, [{ creditMemoId: SEEDED }]);
		expect(raw.output(NODE)[0].json).toMatchObject({ id: SEEDED, customerId: expect.any(String) });
	});

	it('reports an unknown memo as not found', async () => {
		const result = await run({ operation: 'get' }, [{ creditMemoId: 'cm-does-not-exist' }]);
		expect(result.error()?.message).toBe('Rebilly has no credit memo cm-does-not-exist');
		expect(result.error()?.context).toMatchObject({ httpStatus: 404, itemIndex: 0 });
	});

	it('lists past one page with Return All, and stops at the Limit otherwise, with filters', async () => {
		const bulk = withNodeParameters(bulkJson as unknown as WorkflowJson, 'Bulk Credit Memos', {
			rebillyAdditionalFields: { reason: 'return', invoiceId: '={{ $json.invoiceId }}' },
			options: { concurrency: 10 },
		});
		const refunds = Array.from({ length: 130 }, (_, index) => ({ returnId: `LIST-${index}`, customerId: 'cus_bulk_refunds', quantity: 1, invoiceId: 'in_bulk_refunds_0001', invoiceItemId: 'ii_bulk_refunds_widgets' }));
		const created = await runWorkflow(bulk, { input: refunds, credentials });
		expect(created.output('Bulk Credit Memos', 0)).toHaveLength(130);

		const all = await run({ operation: 'list', returnAll: true, rebillyListFilters: { customerId: 'cus_bulk_refunds' } });
		const ids = all.output(NODE).map((item) => item.json.creditMemoId);
		expect(ids).toHaveLength(130);
		expect(new Set(ids).size).toBe(130);
		expect(all.output(NODE).every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);

		const limited = await run({ operation: 'list', returnAll: false, limit: 120, rebillyListFilters: { customerId: 'cus_bulk_refunds', status: 'issued' } });
		expect(limited.output(NODE)).toHaveLength(120);

		const none = await run({ operation: 'list', returnAll: true, rebillyListFilters: { customerId: 'cus_bulk_refunds', createdBefore: '2000-01-01T00:00:00Z' } });
		expect(none.output(NODE)).toEqual([]);
	});

	it('voids a memo; voiding it again returns the voided memo; an unknown memo is refused', async () => {
		const voided = await run({ operation: 'cancel' }, [{ creditMemoId: SEEDED }]);
		expect(voided.output(NODE)[0].json).toMatchObject({ creditMemoId: SEEDED, status: 'voided' });

		const again = await run({ operation: 'cancel' }, [{ creditMemoId: SEEDED }]);
		expect(again.output(NODE)[0].json).toMatchObject({ creditMemoId: SEEDED, status: 'voided' });

		const unknown = await run({ operation: 'cancel' }, [{ creditMemoId: 'cm-nope' }]);
		expect(unknown.error()?.context).toMatchObject({ httpStatus: 404, provider: 'rebilly' });
	});

	it('Dry Run shows the void request and changes nothing', async () => {
		const result = await run({ operation: 'cancel', options: { dryRun: true } }, [{ creditMemoId: SEEDED }]);
		expect(result.output(NODE)[0].json).toMatchObject({ dryRun: true, request: { method: 'POST', url: `${sandbox.providerUrl('rebilly')}/organizations/demo-org/credit-memos/${SEEDED}/void` } });
		const after = await run({ operation: 'get' }, [{ creditMemoId: SEEDED }]);
		expect(after.output(NODE)[0].json.status).not.toBe('voided');
	});
});
