import { DateTime } from 'luxon';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import bulkJson from '../workflows/bulk-zuora.workflow.json';
import createJson from '../workflows/create-zuora.workflow.json';
import workflowJson from '../workflows/credit-memo-zuora.workflow.json';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { ZUORA_DEMO } from '../../sandbox/demoCredentials';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const NODE = 'Credit Memo';
const workflow = workflowJson as unknown as WorkflowJson;
/** The sandbox's seeded memo (Draft, from INV00000002), from Zuora's doc examples. */
const SEEDED = { id: '8a8082e65b27f6c3015ba45ff82c7172', number: 'CM00000001' };
const BULK_INVOICE = '8a90d7a892d82d920192dbcbb0c00001';
let sandbox: Sandbox;
let credentials: Record<string, ICredentialDataDecryptedObject>;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	// The sandbox writes its date-times in UTC: its tenant's time zone.
	credentials = {
		zuoraOAuth2Api: { environment: 'custom', baseUrl: sandbox.providerUrl('zuora'), clientId: ZUORA_DEMO.clientId, clientSecret: ZUORA_DEMO.clientSecret, tenantTimeZone: 'UTC' },
	};
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

const run = async (parameters: IDataObject, input: IDataObject[] = [{}], base: WorkflowJson = workflow) =>
	await runWorkflow(withNodeParameters(base, NODE, parameters), { input, credentials });

const ids = (result: Awaited<ReturnType<typeof run>>) => result.output(NODE).map((item) => String(item.json.creditMemoId));

/** Draft memos of one unit each on the seeded bulk invoice, created by Bulk Credit Memos at `at` (sandbox clock). */
async function draftMemos(count: number, at?: DateTime, from = 0): Promise<string[]> {
	if (at) sandbox.clock.set(at.toJSDate());
	const refunds = Array.from({ length: count }, (_, index) => ({
		returnId: `RET-ZL-${from + index}`,
		source: 'invoice',
		invoiceId: BULK_INVOICE,
		invoiceItemId: '8a90d7a892d82d920192dbcbb0c00002',
		amount: 1,
	}));
	const result = await runWorkflow(bulkJson as unknown as WorkflowJson, { input: refunds, credentials });
	expect(result.output('Bulk Credit Memos', 1)).toEqual([]);
	return result.output('Bulk Credit Memos', 0).map((item) => String(item.json.creditMemoId));
}

/** A Posted memo (Create Credit Memo with Auto Post) for Refund Reference `returnId`. */
async function postedMemo(returnId: string): Promise<IDataObject> {
	const result = await runWorkflow(createJson as unknown as WorkflowJson, {
		input: [{ returnId, invoiceId: '8a90d7a892d82d920192dbcb314501c7', invoiceItemId: '8a90d7a892d82d920192dbcb31f401c8', amount: 10 }],
		credentials,
	});
	expect(result.error()).toBeUndefined();
	return result.output('Create Credit Memo')[0].json;
}

describe('Credit Memo node, Zuora, against the sandbox: Get', () => {
	it('gets a memo by ID and by number, normalised with its Refund Reference, or raw', async () => {
		const created = await postedMemo('RET-ZCM-1');

		const byId = await run({ operation: 'get' }, [{ creditMemoId: created.creditMemoId }]);
		const byNumber = await run({ operation: 'get' }, [{ creditMemoId: created.number }]);

		expect(byId.error()).toBeUndefined();
		const memo = byId.output(NODE)[0];
		expect(memo).toEqual({
			json: {
				provider: 'zuora',
				creditMemoId: created.creditMemoId,
				number: created.number,
				status: 'Posted',
				totalAmount: 10,
				currency: 'USD',
				createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/),
				refundReference: 'RET-ZCM-1',
				raw: expect.objectContaining({ id: created.creditMemoId, comment: expect.stringMatching(/\[ref:RET-ZCM-1 #[0-9a-f]{8}\]$/) }),
			},
			pairedItem: { item: 0 },
		});
		// Zuora's "YYYY-MM-DD HH:MM:SS" in the tenant's zone (UTC here) becomes the same moment in ISO 8601.
		expect((memo.json.createdAt as string).slice(0, 19)).toBe(((memo.json.raw as IDataObject).createdDate as string).replace(' ', 'T'));
		expect(byNumber.output(NODE)[0].json).toEqual(memo.json);

		const raw = await run({ operation: 'get', simplify: false }, [{ creditMemoId: SEEDED.number }]);
		expect(raw.output(NODE)[0].json).toMatchObject({ id: SEEDED.id, number: SEEDED.number, status: 'Draft', createdDate: '2024-08-15 09:30:00' });
		expect(raw.output(NODE)[0].json).not.toHaveProperty('provider');
	});

	it('reports an unknown memo as not found with Zuora\'s code; under Continue On Fail the next item is still read', async () => {
		const stopped = await run({ operation: 'get' }, [{ creditMemoId: 'CM99999999' }]);
		expect(stopped.error()?.message).toBe('Zuora has no credit memo CM99999999');
		expect(stopped.error()?.context).toMatchObject({ provider: 'zuora', code: '50000040', itemIndex: 0 });

		const continued = await runWorkflow(withNodeSettings(withNodeParameters(workflow, NODE, { operation: 'get' }), NODE, { onError: 'continueRegularOutput' }), {
			input: [{ creditMemoId: 'CM99999999' }, { creditMemoId: SEEDED.id }],
			credentials,
		});
		const items = continued.output(NODE);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json).toMatchObject({ error: 'Zuora has no credit memo CM99999999', details: { code: '50000040', provider: 'zuora' } });
		expect(items[1].json).toMatchObject({ creditMemoId: SEEDED.id, refundReference: null, createdAt: '2024-08-15T09:30:00.000Z' });
	});
});

describe('Credit Memo node, Zuora, against the sandbox: List', () => {
	it('pages past Zuora\'s 40 per page with Return All, stops at the Limit (default 50), newest first, with exact-value filters', async () => {
		const created = await draftMemos(95);
		expect(created).toHaveLength(95);
		const posted = await postedMemo('RET-ZCM-2');

		const all = await run({ operation: 'list', returnAll: true, zuoraListFilters: { referredInvoiceId: BULK_INVOICE } });
		expect(all.error()).toBeUndefined();
		// Bulk memos of one request share a creation second; within it, the higher number is the newer memo.
		const newestFirst = all.output(NODE).map((item) => item.json);
		expect(new Set(newestFirst.map((memo) => memo.creditMemoId))).toEqual(new Set(created));
		expect(newestFirst).toHaveLength(95);
		const order = newestFirst.map((memo) => [memo.createdAt, memo.number] as [string, string]);
		expect(order).toEqual([...order].sort((a, b) => (a[0] === b[0] ? b[1].localeCompare(a[1]) : b[0].localeCompare(a[0]))));
		expect(newestFirst.every((memo) => /^RET-ZL-\d+$/.test(String(memo.refundReference)))).toBe(true);
		expect(all.output(NODE).every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);

		const byDefault = await run({ operation: 'list' });
		expect(ids(byDefault)).toHaveLength(50);
		expect(ids(byDefault)[0]).toBe(posted.creditMemoId);

		const limited = await run({ operation: 'list', limit: 45, simplify: false, zuoraListFilters: { referredInvoiceId: BULK_INVOICE, status: 'draft' } });
		expect(limited.output(NODE).map((item) => item.json.id)).toEqual(ids(all).slice(0, 45));
		expect(limited.output(NODE)[0].json).not.toHaveProperty('provider');

		const postedOnly = await run({ operation: 'list', returnAll: true, zuoraListFilters: { status: 'posted', accountNumber: 'A00000370', currency: 'usd' } });
		expect(postedOnly.error()).toBeUndefined();
		expect(ids(postedOnly)).toEqual([posted.creditMemoId]);

		const canceled = await run({ operation: 'list', returnAll: true, zuoraListFilters: { status: 'canceled' } });
		expect(ids(canceled)).toEqual([]);
	});

	it('lists a created window exactly: after included, before excluded; back-to-back days share no memo and miss none', async () => {
		const day = DateTime.fromISO('2030-05-02T00:00:00Z', { zone: 'utc' });
		const before = await draftMemos(1, day.minus({ seconds: 5 }), 0);
		const first = await draftMemos(2, day, 1);
		const last = await draftMemos(1, day.plus({ days: 1 }).minus({ seconds: 5 }), 3);
		// 45 newer memos: the day's memos are on Zuora's second page.
		const next = await draftMemos(45, day.plus({ days: 1 }), 4);

		const window = async (from: DateTime, to: DateTime) => {
			const result = await run({ operation: 'list', returnAll: true, zuoraListFilters: { createdAfter: from.toISO(), createdBefore: to.toISO() } });
			expect(result.error()).toBeUndefined();
			return ids(result);
		};
		const previousDay = await window(day.minus({ days: 1 }), day);
		const theDay = await window(day, day.plus({ days: 1 }));
		const nextDay = await window(day.plus({ days: 1 }), day.plus({ days: 2 }));

		expect(previousDay).toEqual(before);
		expect(new Set(theDay)).toEqual(new Set([...first, ...last]));
		expect(theDay[0]).toBe(last[0]);
		expect(new Set(nextDay)).toEqual(new Set(next));
		expect([...previousDay, ...theDay, ...nextDay]).toHaveLength(49);

		// Only After: everything from the day on; only Before: everything before it, the seeded memo of 2024 too.
		expect(new Set(ids(await run({ operation: 'list', returnAll: true, zuoraListFilters: { createdAfter: day.toISO() } })))).toEqual(new Set([...first, ...last, ...next]));
		expect(ids(await run({ operation: 'list', returnAll: true, zuoraListFilters: { createdBefore: day.toISO() } }))).toEqual([...before, SEEDED.id]);
	});

	it('lists yesterday\'s memos with {{ $today }} expressions in the workflow\'s time zone, as the reconciliation example does', async () => {
		const zone = 'America/New_York';
		const today = DateTime.now().setZone(zone).startOf('day');
		await draftMemos(1, today.minus({ days: 1, seconds: 5 }), 0);
		const yesterday = [...(await draftMemos(2, today.minus({ days: 1 }), 1)), ...(await draftMemos(1, today.minus({ seconds: 5 }), 3))];
		await draftMemos(1, today, 4);

		const zoned = { ...workflow, settings: { ...workflow.settings, timezone: zone } };
		const result = await run(
			{ operation: 'list', returnAll: true, zuoraListFilters: { createdAfter: '={{ $today.minus({ days: 1 }) }}', createdBefore: '={{ $today }}' } },
			[{}],
			zoned,
		);

		expect(result.error()).toBeUndefined();
		expect(new Set(ids(result))).toEqual(new Set(yesterday));
		expect(ids(result)).toHaveLength(3);
	});

	it('refuses a created window without the credential\'s Tenant Time Zone, naming it', async () => {
		const withoutZone = { ...credentials.zuoraOAuth2Api, tenantTimeZone: '' };
		const result = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'list', zuoraListFilters: { createdAfter: '2030-05-02T00:00:00Z' } }), {
			credentials: { zuoraOAuth2Api: withoutZone },
		});

		expect(result.error()?.message).toMatch(/^Created After \/ Created Before need the Zuora tenant's time zone/);
		expect(result.error()?.description).toMatch(/Set Tenant Time Zone in the Zuora credential/);
	});
});

describe('Credit Memo node, Zuora, against the sandbox: Cancel', () => {
	it('cancels a Draft memo; canceling it again returns it as canceled, not as a failure', async () => {
		const [memo] = await draftMemos(1);

		const canceled = await run({ operation: 'cancel' }, [{ creditMemoId: memo }]);
		expect(canceled.error()).toBeUndefined();
		expect(canceled.output(NODE)).toEqual([
			{ json: expect.objectContaining({ provider: 'zuora', creditMemoId: memo, status: 'Canceled', refundReference: 'RET-ZL-0', replayed: false }), pairedItem: { item: 0 } },
		]);
		expect((canceled.output(NODE)[0].json.raw as IDataObject).cancelledOn).toEqual(expect.any(String));

		const again = await run({ operation: 'cancel' }, [{ creditMemoId: memo }]);
		expect(again.error()).toBeUndefined();
		expect(again.output(NODE)[0].json).toMatchObject({ creditMemoId: memo, status: 'Canceled', replayed: true });
	});

	it('reports a Posted memo Zuora refuses to cancel with Zuora\'s reason code and message, and what to do instead', async () => {
		const posted = await postedMemo('RET-ZCM-3');

		const result = await run({ operation: 'cancel' }, [{ creditMemoId: posted.number }]);

		const error = result.error();
		expect(error?.message).toBe(`Zuora: Only credit memos in Draft status can be canceled; ${posted.number} is Posted.`);
		expect(error?.context).toMatchObject({ provider: 'zuora', code: '53501030', httpStatus: 200, itemIndex: 0, outcome: 'failed' });
		expect(error?.description).toContain(`Credit memo ${posted.number} is Posted in Zuora.`);
		expect(error?.description).toContain('reversing it');
		const after = await run({ operation: 'get' }, [{ creditMemoId: posted.creditMemoId }]);
		expect(after.output(NODE)[0].json.status).toBe('Posted');
	});

	it('reports an unknown memo as not found', async () => {
		const result = await run({ operation: 'cancel' }, [{ creditMemoId: 'CM99999999' }]);

		expect(result.error()?.message).toBe('Zuora has no credit memo CM99999999');
		expect(result.error()?.context).toMatchObject({ code: '50000040' });
	});

	it('Dry Run shows the cancel request and changes nothing', async () => {
		const result = await run({ operation: 'cancel', options: { dryRun: true } }, [{ creditMemoId: SEEDED.number }]);

		expect(result.output(NODE)[0].json).toEqual({
			provider: 'zuora',
			dryRun: true,
			request: {
				method: 'PUT',
				url: `${sandbox.providerUrl('zuora')}/v1/credit-memos/${SEEDED.number}/cancel`,
				headers: { 'Zuora-Version': '2025-08-12', Authorization: '[redacted: added by the credential]' },
				body: null,
			},
			totalAmount: null,
			currency: null,
		});
		const after = await run({ operation: 'get' }, [{ creditMemoId: SEEDED.number }]);
		expect(after.output(NODE)[0].json.status).toBe('Draft');
	});

	it('sends the cancel again after Zuora\'s 5xx, and cancels once', async () => {
		sandbox.setFaults([{ provider: 'zuora', operation: 'cancelCreditMemo', kind: 'serverError', count: 1 }]);

		const result = await run({ operation: 'cancel' }, [{ creditMemoId: SEEDED.id }]);

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ creditMemoId: SEEDED.id, status: 'Canceled', replayed: false });
	});
});
