import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import createRebilly from '../workflows/create-rebilly.workflow.json';
import bulkRebilly from '../workflows/bulk-rebilly.workflow.json';
import createMagentoRest from '../workflows/create-magentoRest.workflow.json';
import bulkMagentoRest from '../workflows/bulk-magentoRest.workflow.json';
import createMagentoSoap from '../workflows/create-magentoSoap.workflow.json';
import bulkMagentoSoap from '../workflows/bulk-magentoSoap.workflow.json';
import createSalesforce from '../workflows/create-salesforce.workflow.json';
import bulkSalesforce from '../workflows/bulk-salesforce.workflow.json';
import createZuora from '../workflows/create-zuora.workflow.json';
import bulkZuora from '../workflows/bulk-zuora.workflow.json';
import { markerReference } from '../../nodes/shared/providers/zuora/mappers';
import { SALESFORCE_DEMO } from '../../sandbox/providers/salesforce';
import { makeId } from '../../sandbox/providers/salesforce/ids';
import { salesforceSandboxCredentials } from '../harness/salesforce';
import type { FaultRuleInput, LedgerEntry, ProviderKey, Sandbox } from '../../sandbox';
import { MAGENTO_REST_DEMO, ZUORA_DEMO } from '../../sandbox/demoCredentials';
import { MAGENTO_SOAP_DEMO } from '../../sandbox/providers/magentoSoap';
import type { WorkflowJson } from '../harness/runWorkflow';
import { withNodeParameters } from '../harness/workflows';

/** What the exactly-once suite needs to know about one provider. */
export interface FaultScenario {
	provider: ProviderKey;
	/** The node under test in each workflow. */
	createWorkflow: { workflow: WorkflowJson; node: string };
	bulkWorkflow: { workflow: WorkflowJson; node: string };
	credentials(sandbox: Sandbox): Record<string, ICredentialDataDecryptedObject>;
	/** The secrets no output may contain. */
	secrets(sandbox: Sandbox): string[];
	/** Input items, each carrying a distinct Refund Reference. */
	inputs(prefix: string, count: number): IDataObject[];
	/** The Refund Reference a created memo carries in the sandbox's ledger. */
	referenceOf(entry: LedgerEntry): string | undefined;
	faults: FaultRuleInput[];
	/**
	 * Whether n8n's Retry On Fail may be switched on. False where the provider offers no way to recognise a
	 * memo already created (Magento REST): the node refuses Retry On Fail there, and re-runs resend only
	 * items whose outcome is known to be "failed".
	 */
	retryOnFail: boolean;
}

/**
 * Mixed faults on the operations that create memos: 5xx before commit, answers lost after commit, 429 bursts,
 * connections reset before commit, expired tokens and sessions.
 */
export function mixedFaults(provider: ProviderKey, operations: string[], rateLimitWaitSeconds = 0): FaultRuleInput[] {
	return operations.flatMap((operation) => [
		{ provider, operation, kind: 'dropAfterCommit' as const, probability: 0.05 },
		{ provider, operation, kind: 'serverError' as const, probability: 0.04, status: 500 },
		{ provider, operation, kind: 'unavailable' as const, probability: 0.02 },
		{ provider, operation, kind: 'rateLimited' as const, probability: 0.04, retryAfterSeconds: rateLimitWaitSeconds },
		{ provider, operation, kind: 'resetBeforeCommit' as const, probability: 0.02 },
		{ provider, operation, kind: 'expiredSession' as const, probability: 0.01 },
	]);
}

export const SCENARIOS: FaultScenario[] = [
	{
		provider: 'rebilly',
		// The bulk refunds invoice has no shipping to credit, so the memos credit one widget each.
		createWorkflow: { workflow: withoutShipping(createRebilly, 'Create Credit Memo'), node: 'Create Credit Memo' },
		bulkWorkflow: { workflow: withoutShipping(bulkRebilly, 'Bulk Credit Memos'), node: 'Bulk Credit Memos' },
		credentials: (sandbox) => ({
			rebillyApi: { environment: 'custom', baseUrl: sandbox.providerUrl('rebilly'), organizationId: 'demo-org', apiKey: 'sk_sandbox_demo_key' },
		}),
		secrets: () => ['sk_sandbox_demo_key'],
		inputs: (prefix, count) =>
			Array.from({ length: count }, (_, index) => ({
				returnId: `${prefix}-${index}`,
				customerId: 'cus_bulk_refunds',
				quantity: 1,
				invoiceId: 'in_bulk_refunds_0001',
				invoiceItemId: 'ii_bulk_refunds_widgets',
			})),
		referenceOf: (entry) => entry.creditMemoId.replace(/^cm-/, ''),
		faults: mixedFaults('rebilly', ['upsertCreditMemo']),
		retryOnFail: true,
	},
	{
		provider: 'salesforce',
		createWorkflow: { workflow: createSalesforce as unknown as WorkflowJson, node: 'Create Credit Memo' },
		bulkWorkflow: { workflow: bulkSalesforce as unknown as WorkflowJson, node: 'Bulk Credit Memos' },
		credentials: (sandbox) => Object.fromEntries(salesforceSandboxCredentials(sandbox)),
		secrets: () => [SALESFORCE_DEMO.clientSecret],
		// One of the sandbox's uncredited one-sticker change orders per refund, never the same one twice.
		inputs: (prefix, count) => {
			const first = salesforceBlock(prefix, count);
			return Array.from({ length: count }, (_, index) => {
				const sequence = first + index;
				const changeOrderId = makeId('801', 900_000 + sequence);
				const returnId = `${prefix}-${index}`;
				salesforceRefunds.set(changeOrderId, returnId);
				return { returnId, changeOrderIds: changeOrderId, orderSummaryId: makeId('1Os', 900 + ((sequence - 1) % SALESFORCE_BULK_SUMMARIES) + 1) };
			});
		},
		// The ledger's reference is the credited change order: a change order is the refund's natural key.
		referenceOf: (entry) => (entry.reference ? salesforceRefunds.get(entry.reference) : undefined),
		faults: mixedFaults('salesforce', ['createCreditMemo']),
		retryOnFail: true,
	},
	{
		provider: 'magentoRest',
		createWorkflow: { workflow: createMagentoRest as unknown as WorkflowJson, node: 'Create Credit Memo' },
		bulkWorkflow: { workflow: bulkMagentoRest as unknown as WorkflowJson, node: 'Bulk Credit Memos' },
		// Client credentials, so expired tokens are renewed on the way.
		credentials: (sandbox) => ({
			magentoRestApi: {
				baseUrl: sandbox.providerUrl('magentoRest'),
				authentication: 'clientCredentials',
				clientId: MAGENTO_REST_DEMO.clientId,
				clientSecret: MAGENTO_REST_DEMO.clientSecret,
			},
		}),
		secrets: () => [MAGENTO_REST_DEMO.clientSecret],
		// One unit of the bulk invoice's first item per refund.
		inputs: (prefix, count) =>
			Array.from({ length: count }, (_, index) => ({ returnId: `${prefix}-${index}`, invoice: '100000900', items: [{ order_item_id: 900, qty: 1 }] })),
		// The node writes the reference into the memo comment; the ledger keeps the comment.
		referenceOf: (entry) => /\[ref:([^\]]+)\]$/.exec(entry.reference ?? '')?.[1],
		faults: mixedFaults('magentoRest', ['createCreditMemo']),
		retryOnFail: false,
	},
	{
		provider: 'magentoSoap',
		// SOAP V1: Create sends one `call` per memo, Bulk a multiCall per 20.
		createWorkflow: { workflow: createMagentoSoap as unknown as WorkflowJson, node: 'Create Credit Memo' },
		bulkWorkflow: { workflow: bulkMagentoSoap as unknown as WorkflowJson, node: 'Bulk Credit Memos' },
		credentials: (sandbox) => ({
			magentoSoapApi: { storeUrl: sandbox.providerUrl('magentoSoap'), apiUser: MAGENTO_SOAP_DEMO.apiUser, apiKey: MAGENTO_SOAP_DEMO.apiKey, apiStyle: 'v1' },
		}),
		secrets: () => [MAGENTO_SOAP_DEMO.apiKey],
		// One unit of the bulk order's first item per refund, no shipping.
		inputs: (prefix, count) =>
			Array.from({ length: count }, (_, index) => ({ returnId: `${prefix}-${index}`, order: '100000901', items: [{ order_item_id: 9011, qty: 1 }], shipping: 0 })),
		// The node writes `[ref:<reference> #<fingerprint>]` into the memo comment; the ledger keeps the comment.
		referenceOf: (entry) => /\[ref:(.+) #[0-9a-f]{8}\]$/.exec(entry.reference ?? '')?.[1],
		faults: mixedFaults('magentoSoap', ['createCreditMemo', 'multiCall']),
		retryOnFail: true,
	},
	{
		provider: 'zuora',
		createWorkflow: { workflow: zuoraCreateLikeBulk(), node: 'Create Credit Memo' },
		bulkWorkflow: { workflow: bulkZuora as unknown as WorkflowJson, node: 'Bulk Credit Memos' },
		credentials: (sandbox) => ({
			zuoraOAuth2Api: { environment: 'custom', baseUrl: sandbox.providerUrl('zuora'), clientId: ZUORA_DEMO.clientId, clientSecret: ZUORA_DEMO.clientSecret },
		}),
		secrets: () => [ZUORA_DEMO.clientSecret],
		// Every other refund credits a unit of the seeded bulk invoice; the others credit the bulk account's goodwill charge.
		inputs: (prefix, count) =>
			Array.from({ length: count }, (_, index) =>
				index % 2 === 0
					? { returnId: `${prefix}-${index}`, source: 'invoice', invoiceId: '8a90d7a892d82d920192dbcbb0c00001', invoiceItemId: '8a90d7a892d82d920192dbcbb0c00002', amount: 1 }
					: { returnId: `${prefix}-${index}`, source: 'standalone', account: 'A-BULK-0001', charge: '8a90e4a792d82d8c0192dbdab0c00001', amount: 1 },
			),
		// The node writes the reference into the memo comment as [ref:<reference> #<check>].
		referenceOf: (entry) => markerReference(entry.reference),
		faults: mixedFaults('zuora', ['createFromInvoice', 'createFromCharge', 'bulkCreate']),
		retryOnFail: true,
	},
];

/** The Create node with the bulk workflow's parameters, so both nodes credit the same seeded bulk invoice and charge. */
function zuoraCreateLikeBulk(): WorkflowJson {
	const parameters = Object.entries((bulkZuora as unknown as WorkflowJson).nodes[1].parameters).filter(([name]) => name !== 'options');
	return withNodeParameters(createZuora as unknown as WorkflowJson, 'Create Credit Memo', Object.fromEntries(parameters));
}

/** sandbox/fixtures/salesforce.json `generated`: 600 uncredited change orders over 5 bulk order summaries. */
const SALESFORCE_UNCREDITED_CHANGE_ORDERS = 600;
const SALESFORCE_BULK_SUMMARIES = 5;
const salesforceRefunds = new Map<string, string>();
const salesforceBlocks = new Map<string, number>();
let salesforceNextFree = 1;

/** The first change order (1-based among the generated ones) of this input set; each set gets its own block. */
function salesforceBlock(prefix: string, count: number): number {
	let first = salesforceBlocks.get(prefix);
	if (first === undefined) {
		first = salesforceNextFree;
		salesforceBlocks.set(prefix, first);
		salesforceNextFree += count;
	}
	if (first + count - 1 > SALESFORCE_UNCREDITED_CHANGE_ORDERS) {
		throw new Error(`The Salesforce sandbox has ${SALESFORCE_UNCREDITED_CHANGE_ORDERS} uncredited change orders; ${first + count - 1} needed`);
	}
	return first;
}
function withoutShipping(workflow: unknown, node: string): WorkflowJson {
	return withNodeParameters(workflow as WorkflowJson, node, { rebillyAdditionalFields: { reason: 'return', invoiceId: '={{ $json.invoiceId }}' } });
}
