import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters } from '../harness/workflows';
import { SCENARIOS } from '../faults/scenarios';
import { PROVIDERS } from '../../nodes/shared/registry';
import { autoMapNotice, autoMapping } from '../../nodes/shared/autoMap';
import type { ProviderKey } from '../../sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

const AUTO = { fieldMapping: 'autoMapInputData' };

/**
 * What a user's item looks like in Map Automatically mode: the same refund as the per-field workflows of the fault
 * scenarios map with expressions, under the field names the node lists.
 */
const NAMED: Record<ProviderKey, (item: IDataObject) => IDataObject> = {
	rebilly: (item) => ({
		customerId: item.customerId,
		currency: 'USD',
		items: [{ quantity: item.quantity, unitPrice: 19.9, description: 'Returned item', invoiceItemId: item.invoiceItemId }],
		reason: 'return',
		invoiceId: item.invoiceId,
		refundReference: item.returnId,
	}),
	salesforce: (item) => ({ orderSummaryId: item.orderSummaryId, changeOrderIds: [item.changeOrderIds], refundReference: item.returnId }),
	magentoRest: (item) => ({ sourceType: 'invoiceIncrementId', invoiceIncrementId: item.invoice, items: item.items, refundReference: item.returnId }),
	magentoSoap: (item) => ({ orderIncrementId: item.order, items: item.items, shippingAmount: item.shipping, notifyCustomer: true, refundReference: item.returnId }),
	zuora: (item) => ({
		sourceType: item.source,
		invoiceId: item.invoiceId,
		accountNumber: item.account,
		items: item.source === 'invoice' ? [{ invoiceItemId: item.invoiceItemId, amount: item.amount, skuName: 'SKU-BULK-UNITS' }] : [{ productRatePlanChargeId: item.charge, amount: item.amount }],
		comment: `Return ${item.returnId as string}`,
		reasonCode: 'Return',
		refundReference: item.returnId,
	}),
};

/** A Dry Run request without what differs on every run (Zuora's per-request track ID). */
function request(json: IDataObject): IDataObject {
	const { headers, ...rest } = json.request as IDataObject;
	return { ...rest, headers: Object.fromEntries(Object.entries(headers as IDataObject).filter(([name]) => name !== 'Zuora-Track-Id')) };
}

describe('Fields: Map Automatically', () => {
	it.each(SCENARIOS.map((scenario) => [scenario.provider, scenario] as const))('%s: plans exactly the requests the per-field mapping plans', async (_provider, scenario) => {
		const credentials = scenario.credentials(sandbox);
		const input = scenario.inputs('auto-dry', 4);
		const { workflow, node } = scenario.createWorkflow;
		const dryRun = { options: { dryRun: true } };

		const perField = await runWorkflow(withNodeParameters(workflow, node, dryRun), { input, credentials });
		const named = await runWorkflow(withNodeParameters(workflow, node, { ...dryRun, ...AUTO }), { input: input.map(NAMED[scenario.provider]), credentials });

		expect(named.error()).toBeUndefined();
		const planned = perField.output(node, 0).map((item) => request(item.json));
		expect(planned).toHaveLength(4);
		expect(named.output(node, 0).map((item) => request(item.json))).toEqual(planned);
	});

	it.each(SCENARIOS.map((scenario) => [scenario.provider, scenario] as const))('%s: Bulk creates one memo per item, each with its reference', async (_provider, scenario) => {
		const input = scenario.inputs('auto-bulk', 6).map(NAMED[scenario.provider]);
		const { workflow, node } = scenario.bulkWorkflow;

		const result = await runWorkflow(withNodeParameters(workflow, node, AUTO), { input, credentials: scenario.credentials(sandbox) });

		expect(result.output(node, 1)).toEqual([]);
		expect(result.output(node, 0).map((item) => [item.pairedItem, item.json.refundReference])).toEqual(input.map((item, index) => [{ item: index }, item.refundReference]));
		expect(sandbox.ledger(scenario.provider)).toHaveLength(6);
	});

	it('reads an item without a field as the field left empty, and says which field is missing', async () => {
		const scenario = SCENARIOS.find((entry) => entry.provider === 'zuora')!;
		const { workflow, node } = scenario.bulkWorkflow;
		const [item] = scenario.inputs('auto-missing', 1).map(NAMED.zuora);
		delete item.invoiceId;

		const result = await runWorkflow(withNodeParameters(workflow, node, AUTO), { input: [item], credentials: scenario.credentials(sandbox) });

		expect(result.output(node, 1)).toMatchObject([{ json: { error: { message: 'Invoice ID is required', outcome: 'failed' } }, pairedItem: { item: 0 } }]);
		expect(sandbox.ledger('zuora')).toEqual([]);
	});

	it('never applies a default the item did not give: Rebilly without currency is refused, not created in USD', async () => {
		const scenario = SCENARIOS.find((entry) => entry.provider === 'rebilly')!;
		const { workflow, node } = scenario.bulkWorkflow;
		const [item] = scenario.inputs('auto-currency', 1).map(NAMED.rebilly);
		delete item.currency;

		const result = await runWorkflow(withNodeParameters(workflow, node, AUTO), { input: [item], credentials: scenario.credentials(sandbox) });

		expect(result.output(node, 1)).toMatchObject([{ json: { error: { message: 'Currency is required', field: 'Currency' } }, pairedItem: { item: 0 } }]);
		expect(sandbox.ledger('rebilly')).toEqual([]);
	});

	it("lists each provider's field names in the notice, prefixes dropped, Items (JSON) as items", () => {
		const keys = Object.fromEntries(PROVIDERS.map((provider) => [provider.key, autoMapping(provider).keys]));

		expect(keys.magentoRest).toEqual(expect.arrayContaining(['sourceType', 'invoiceIncrementId', 'orderIncrementId', 'refundType', 'refundScope', 'items', 'comment', 'refundReference']));
		expect(keys.magentoRest).not.toContain('magentoRestSourceType');
		expect(keys.zuora).toEqual(expect.arrayContaining(['sourceType', 'invoiceId', 'accountNumber', 'items', 'comment', 'reasonCode', 'effectiveDate', 'refundReference']));
		expect(keys.salesforce).toEqual(['orderSummaryId', 'changeOrderIds', 'refundReference']);
		for (const provider of PROVIDERS) {
			expect(keys[provider.key]).not.toContain('itemsInputMode');
			for (const key of keys[provider.key]) expect(autoMapNotice(provider).displayName).toContain(key);
		}
		expect(autoMapNotice(PROVIDERS.find((provider) => provider.key === 'zuora')!).displayName).toContain('sourceType (invoice | standalone; if absent: invoice)');
	});
});
