import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import bulkMagentoRest from '../test/workflows/bulk-magentoRest.workflow.json';
import bulkMagentoSoap from '../test/workflows/bulk-magentoSoap.workflow.json';
import bulkRebilly from '../test/workflows/bulk-rebilly.workflow.json';
import bulkZuora from '../test/workflows/bulk-zuora.workflow.json';
import { MAGENTO_REST_DEMO, REBILLY_DEMO, ZUORA_DEMO } from '../sandbox/demoCredentials';
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
	// 1000 memos from the seeded bulk invoice, one unit each: 20 bulk requests of 50. Fields mapped automatically
	// (each item carries the memo's fields by name) at the node's default concurrency and at Zuora's own limit,
	// and with an expression per field as in the test workflow.
	...(
		[
			[5, 'Map Automatically'],
			[40, 'Map Automatically'],
			[5, 'an expression per field'],
		] as const
	).map(
		([concurrency, fields]): BenchScenario => ({
			provider: 'zuora',
			label: `zuora (bulk of 50, concurrency ${concurrency}, ${fields})`,
			memos: 1000,
			concurrency,
			workflow: withNodeParameters(bulkZuora as unknown as WorkflowJson, 'Bulk Credit Memos', { fieldMapping: fields === 'Map Automatically' ? 'autoMapInputData' : 'defineBelow' }),
			node: 'Bulk Credit Memos',
			credentials: (sandbox) => ({
				zuoraOAuth2Api: { environment: 'custom', baseUrl: sandbox.providerUrl('zuora'), clientId: ZUORA_DEMO.clientId, clientSecret: ZUORA_DEMO.clientSecret },
			}),
			inputs: (prefix, count) =>
				Array.from({ length: count }, (_, index) =>
					fields === 'Map Automatically'
						? {
								sourceType: 'invoice',
								invoiceId: '8a90d7a892d82d920192dbcbb0c00001',
								items: [{ invoiceItemId: '8a90d7a892d82d920192dbcbb0c00002', amount: 1, skuName: 'SKU-BULK-UNITS' }],
								comment: `Return bench-${prefix}-${index}`,
								reasonCode: 'Return',
								refundReference: `bench-${prefix}-${index}`,
							}
						: {
								returnId: `bench-${prefix}-${index}`,
								source: 'invoice',
								invoiceId: '8a90d7a892d82d920192dbcbb0c00001',
								invoiceItemId: '8a90d7a892d82d920192dbcbb0c00002',
								amount: 1,
							},
				),
		}),
	),
	{
		provider: 'magentoRest',
		memos: 200,
		concurrency: 4,
		workflow: bulkMagentoRest as unknown as WorkflowJson,
		node: 'Bulk Credit Memos',
		credentials: (sandbox) => ({
			magentoRestApi: { baseUrl: sandbox.providerUrl('magentoRest'), authentication: 'clientCredentials', clientId: MAGENTO_REST_DEMO.clientId, clientSecret: MAGENTO_REST_DEMO.clientSecret },
		}),
		// One unit of the bulk invoice's first item per memo.
		inputs: (prefix, count) => Array.from({ length: count }, (_, index) => ({ returnId: `bench-${prefix}-${index}`, invoice: '100000900', items: [{ order_item_id: 900, qty: 1 }] })),
	},
	{
		provider: 'rebilly',
		memos: 200,
		concurrency: 10,
		workflow: withNodeParameters(bulkRebilly as unknown as WorkflowJson, 'Bulk Credit Memos', {
			rebillyAdditionalFields: { reason: 'return', invoiceId: '={{ $json.invoiceId }}' },
		}),
		node: 'Bulk Credit Memos',
		credentials: (sandbox) => ({
			rebillyApi: { environment: 'custom', baseUrl: sandbox.providerUrl('rebilly'), organizationId: REBILLY_DEMO.organizationId, apiKey: REBILLY_DEMO.apiKey },
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
			// A refund run refunds many orders: the sandbox's generated one-line orders (100010001 + n, item
			// 100010 + 10n, 10 units each), one unit of each; every run starts from a reset sandbox.
			inputs: (prefix, count) =>
				Array.from({ length: count }, (_, index) => ({ order: String(100010001 + index), items: [{ order_item_id: 100010 + 10 * index, qty: 1 }], returnId: `bench-${prefix}-${index}` })),
		}),
	),
];
