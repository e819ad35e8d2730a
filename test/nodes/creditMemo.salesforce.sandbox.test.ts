import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import workflowJson from '../workflows/credit-memo-salesforce.workflow.json';
import { CreditMemo } from '../../nodes/CreditMemo/CreditMemo.node';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { SALESFORCE_DEMO } from '../../sandbox/providers/salesforce';
import { makeId } from '../../sandbox/providers/salesforce/ids';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { salesforceSandboxCredentials } from '../harness/salesforce';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const workflow = workflowJson as unknown as WorkflowJson;
const NODE = 'Credit Memo';
const SEEDED = '50gSB0000000001YAA';
/** Pages of three records: List must follow nextRecordsUrl for anything more. */
const PAGE = 3;
const CANCEL_NOTICE =
	'Salesforce Order Management has no way to cancel or void a credit memo through its API: once created, it stays posted. Correct a mistaken credit in Salesforce itself.';

let sandbox: Sandbox;
let fixtures: string;

const run = async (parameters: IDataObject, input: IDataObject[] = [{}], flow = workflow) =>
	await runWorkflow(withNodeParameters(flow, NODE, parameters), { input, credentials: salesforceSandboxCredentials(sandbox) });

/** The Nth of the sandbox's uncredited one-unit change orders, and its bulk order summary (they take turns over five). */
const changeOrder = (n: number) => makeId('801', 900_000 + n);
const summaryOf = (n: number) => makeId('1Os', 900 + ((n - 1) % 5) + 1);

/** Credits change orders straight through the sandbox's API, with the sandbox clock at `at`: memos made "then". */
async function creditAt(at: DateTime, ns: number[]): Promise<string[]> {
	sandbox.clock.set(at.toJSDate());
	const base = `${sandbox.providerUrl('salesforce')}/services`;
	const token = await fetch(`${base}/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SALESFORCE_DEMO.clientId, client_secret: SALESFORCE_DEMO.clientSecret }).toString(),
	}).then(async (response) => ((await response.json()) as { access_token: string }).access_token);
	const ids: string[] = [];
	for (const n of ns) {
		const response = await fetch(`${base}/data/v66.0/commerce/order-management/order-summaries/${summaryOf(n)}/actions/create-credit-memo`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ changeOrderIds: [changeOrder(n)] }),
		});
		const body = (await response.json()) as { creditMemoId: string };
		expect(response.status).toBe(201);
		ids.push(body.creditMemoId);
	}
	return ids;
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);

beforeAll(async () => {
	fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'salesforce-list-'));
	const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'sandbox', 'fixtures', 'salesforce.json'), 'utf8')) as IDataObject;
	fs.writeFileSync(path.join(fixtures, 'salesforce.json'), JSON.stringify({ ...fixture, queryBatchSize: PAGE }));
	sandbox = await startSandbox({ port: 0, fixturesDir: fixtures });
});
afterAll(async () => {
	await sandbox.stop();
	fs.rmSync(fixtures, { recursive: true, force: true });
});
beforeEach(() => sandbox.reset());

describe('Credit Memo node, Salesforce Order Management, against the sandbox', () => {
	it('gets a memo normalised (a 15-character ID works too), or as Salesforce\'s record', async () => {
		const simplified = await run({ operation: 'get' }, [{ creditMemoId: SEEDED }, { creditMemoId: SEEDED.slice(0, 15) }]);

		expect(simplified.error()).toBeUndefined();
		const memo = {
			provider: 'salesforce',
			creditMemoId: SEEDED,
			number: 'CM-00000001',
			status: 'Posted',
			totalAmount: expect.any(Number),
			currency: 'USD',
			createdAt: '2024-04-12T09:00:00.000+0000',
			raw: expect.objectContaining({ Id: SEEDED, Description: 'Return RMA-1001 approved', ReferenceEntityId: '1OsSB00000000020AA' }),
		};
		expect(simplified.output(NODE)).toEqual([
			{ json: memo, pairedItem: { item: 0 } },
			{ json: memo, pairedItem: { item: 1 } },
		]);

		const raw = await run({ operation: 'get', simplify: false }, [{ creditMemoId: SEEDED }]);
		expect(raw.output(NODE)[0].json).toMatchObject({
			attributes: { type: 'CreditMemo' },
			Id: SEEDED,
			DocumentNumber: 'CM-00000001',
			TotalAmountWithTax: simplified.output(NODE)[0].json.totalAmount,
		});
		expect(raw.output(NODE)[0].json).not.toHaveProperty('provider');
	});

	it('reports an unknown memo as not found with Salesforce\'s code; Continue On Fail goes on with the next item', async () => {
		const unknown = makeId('50g', 999);
		const failed = await run({ operation: 'get' }, [{ creditMemoId: unknown }]);
		expect(failed.error()?.message).toBe(`Salesforce has no credit memo ${unknown}`);
		expect(failed.error()?.context).toMatchObject({ httpStatus: 404, code: 'NOT_FOUND', provider: 'salesforce', itemIndex: 0 });

		const continued = await runWorkflow(withNodeSettings(withNodeParameters(workflow, NODE, { operation: 'get' }), NODE, { onError: 'continueRegularOutput' }), {
			input: [{ creditMemoId: unknown }, { creditMemoId: '801R0000000EAAkIAO' }, { creditMemoId: SEEDED }],
			credentials: salesforceSandboxCredentials(sandbox),
		});
		const items = continued.output(NODE);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.error).toBe(`Salesforce has no credit memo ${unknown}`);
		expect(items[1].json.error).toMatch(/^Credit Memo ID 801R0000000EAAkIAO is the ID of an Order/);
		expect(items[2].json).toMatchObject({ creditMemoId: SEEDED });
	});

	it('lists an order summary\'s memos past one page with Return All, oldest first, and stops at the Limit', async () => {
		const day = DateTime.fromISO('2026-03-09T10:00:00Z');
		// Change orders 1, 6, 11, … are on the first bulk order summary: 8 of its memos, over three pages.
		const ofSummary = await creditAt(day, range(0, 8).map((index) => 1 + index * 5));
		await creditAt(day.plus({ minutes: 1 }), [2, 3, 4]);

		const all = await run({ operation: 'list', returnAll: true, salesforceListFilters: { orderSummaryId: summaryOf(1) } });

		expect(all.error()).toBeUndefined();
		expect(all.output(NODE).map((item) => item.json.creditMemoId)).toEqual(ofSummary);
		expect(all.output(NODE).every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(all.output(NODE)[0].json).toMatchObject({ provider: 'salesforce', status: 'Posted', totalAmount: 1.08, currency: 'USD', raw: { ReferenceEntityId: summaryOf(1) } });

		const everything = await run({ operation: 'list', returnAll: true });
		expect(everything.output(NODE)).toHaveLength(1 + 8 + 3);
		expect(everything.output(NODE)[0].json.creditMemoId).toBe(SEEDED);

		const limited = await run({ operation: 'list', returnAll: false, limit: 5, salesforceListFilters: { orderSummaryId: summaryOf(1) } });
		expect(limited.output(NODE).map((item) => item.json.creditMemoId)).toEqual(ofSummary.slice(0, 5));

		const raw = await run({ operation: 'list', returnAll: false, limit: 4, simplify: false, salesforceListFilters: { orderSummaryId: summaryOf(1) } });
		expect(raw.output(NODE).map((item) => item.json)).toEqual(ofSummary.slice(0, 4).map((Id) => expect.objectContaining({ attributes: expect.objectContaining({ type: 'CreditMemo' }), Id, ReferenceEntityId: summaryOf(1) })));
	});

	it('lists by created date: at or after Created After, before Created Before', async () => {
		const before = await creditAt(DateTime.fromISO('2026-03-08T23:59:58Z'), [1]);
		const onTheDay = [...(await creditAt(DateTime.fromISO('2026-03-09T00:00:00Z'), [2, 3])), ...(await creditAt(DateTime.fromISO('2026-03-09T23:59:58Z'), [4, 5]))];
		await creditAt(DateTime.fromISO('2026-03-10T00:00:00Z'), [6]);

		const day = await run({ operation: 'list', returnAll: true, salesforceListFilters: { createdAfter: '2026-03-09T00:00:00', createdBefore: '2026-03-10T00:00:00' } });
		expect(day.output(NODE).map((item) => item.json.creditMemoId)).toEqual(onTheDay);

		const since = await run({ operation: 'list', returnAll: true, salesforceListFilters: { createdAfter: '2026-03-08T00:00:00Z' } });
		expect(since.output(NODE)).toHaveLength(6);
		expect(since.output(NODE)[0].json.creditMemoId).toBe(before[0]);

		const none = await run({ operation: 'list', returnAll: true, salesforceListFilters: { createdBefore: '2024-01-01T00:00:00Z' } });
		expect(none.error()).toBeUndefined();
		expect(none.output(NODE)).toEqual([]);
	});

	it('lists yesterday\'s memos in the workflow\'s time zone with {{ $today }} expressions, as a reconciliation run does', async () => {
		const zone = 'Pacific/Auckland';
		const today = DateTime.now().setZone(zone).startOf('day');
		await creditAt(today.minus({ days: 1, seconds: 2 }), [1]);
		const yesterday = [...(await creditAt(today.minus({ days: 1 }), [2])), ...(await creditAt(today.minus({ seconds: 2 }), [3]))];
		await creditAt(today, [4]);

		const zoned = { ...workflow, settings: { ...workflow.settings, timezone: zone } };
		const result = await run(
			{ operation: 'list', returnAll: true, salesforceListFilters: { createdAfter: '={{ $today.minus({ days: 1 }) }}', createdBefore: '={{ $today }}' } },
			[{}],
			zoned,
		);

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE).map((item) => item.json.creditMemoId)).toEqual(yesterday);
	});

	it('refuses Cancel with the notice the editor shows, and offers only Get and List', async () => {
		const result = await run({ operation: 'cancel' }, [{ creditMemoId: SEEDED }]);
		expect(result.error()?.message).toBe(CANCEL_NOTICE);

		const properties = new CreditMemo().description.properties.filter((property) => property.displayOptions?.show?.provider?.includes('salesforce'));
		const operation = properties.find((property) => property.name === 'operation');
		expect(operation?.options?.map((option) => (option as { value: string }).value)).toEqual(['get', 'list']);
		expect(properties.find((property) => property.type === 'notice')?.displayName).toBe(`Cancel: ${CANCEL_NOTICE}`);
	});
});
