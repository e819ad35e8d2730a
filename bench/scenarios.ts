import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import bulkMagentoSoap from '../test/workflows/bulk-magentoSoap.workflow.json';
import bulkRebilly from '../test/workflows/bulk-rebilly.workflow.json';
import type { ProviderKey } from '../sandbox';
import type { RemoteSandbox } from './remoteSandbox';
import type { WorkflowJson } from '../test/harness/runWorkflow';
import { withNodeParameters } from '../test/harness/workflows';

export interface BenchScenario {
	provider: ProviderKey;
	/** Tells apart several scenarios of one provider (e.g. an API style). */
	label?: string;
	memos: number;
	/** The node's Concurrency option for the run. */
	concurrency: number;
	workflow: WorkflowJson;
	node: string;
	credentials(sandbox: RemoteSandbox): Record<string, ICredentialDataDecryptedObject>;
	inputs(prefix: string, count: number): IDataObject[];
}

export const BENCH_SCENARIOS: BenchScenario[] = [
	{
		provider: 'rebilly',
		memos: 200,
		concurrency: 10,
		workflow: withNodeParameters(bulkRebilly as unknown as WorkflowJson, 'Bulk Credit Memos', {
			rebillyAdditionalFields: { reason: 'return', invoiceId: '={{ $json.invoiceId }}' },
		}),
		node: 'Bulk Credit Memos',
		credentials: (sandbox) => ({
			rebillyApi: { environment: 'custom', baseUrl: sandbox.providerUrl('rebilly'), organizationId: 'demo-org', apiKey: 'sk_sandbox_demo_key' },
		}),
		inputs: (prefix, count) =>
			Array.from({ length: count }, (_, index) => ({
				returnId: `bench-${prefix}-${index}`,
				customerId: 'cus_bulk_refunds',
				quantity: 1,
				invoiceId: 'in_bulk_refunds_0001',
				invoiceItemId: 'ii_bulk_refunds_widgets',
			})),
	},
	...(['v1', 'v2'] as const).map(
		(apiStyle): BenchScenario => ({
			provider: 'magentoSoap',
			label: `magentoSoap ${apiStyle === 'v1' ? 'V1 (multiCall of 20)' : 'V2 (one create per memo)'}`,
			memos: 200,
			concurrency: 4,
			workflow: withNodeParameters(bulkMagentoSoap as unknown as WorkflowJson, 'Bulk Credit Memos', { magentoSoapAdditionalFields: { shippingAmount: 0 } }),
			node: 'Bulk Credit Memos',
			credentials: (sandbox) => ({
				magentoSoapApi: { storeUrl: sandbox.providerUrl('magentoSoap'), apiUser: 'n8n', apiKey: 'magento-soap-key', apiStyle },
			}),
			// The sandbox's bulk order: 1,000 units of item 9001, one refunded per memo.
			inputs: (prefix, count) =>
				Array.from({ length: count }, (_, index) => ({ order: '100000900', items: [{ order_item_id: 9001, qty: 1 }], returnId: `bench-${prefix}-${index}` })),
		}),
	),
];
