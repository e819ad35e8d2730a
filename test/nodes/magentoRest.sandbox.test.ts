import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import bulkWorkflowJson from '../workflows/bulk-magentoRest.workflow.json';
import commentWorkflowJson from '../workflows/create-and-comment-magentoRest.workflow.json';
import workflowJson from '../workflows/create-magentoRest.workflow.json';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { MAGENTO_REST_DEMO } from '../../sandbox/demoCredentials';
import { runCredentialTest } from '../harness/credentialTest';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const NODE = 'Create Credit Memo';
const workflow = workflowJson as unknown as WorkflowJson;
let sandbox: Sandbox;
let clientCredentials: ICredentialDataDecryptedObject;
let fixedToken: ICredentialDataDecryptedObject;

/** One credential store across runs, as n8n's: the token fetched by the first run is reused by the next. */
const store = (data: ICredentialDataDecryptedObject) => new Map([['magentoRestApi', { ...data }]]);
const continueOnFail = (wf: WorkflowJson) => withNodeSettings(wf, NODE, { onError: 'continueRegularOutput' });

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	const baseUrl = sandbox.providerUrl('magentoRest');
	clientCredentials = { baseUrl, authentication: 'clientCredentials', clientId: MAGENTO_REST_DEMO.clientId, clientSecret: MAGENTO_REST_DEMO.clientSecret };
	fixedToken = { baseUrl, authentication: 'fixedToken', accessToken: MAGENTO_REST_DEMO.staticToken };
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

describe('Create Credit Memo, Magento REST, against the sandbox', () => {
	it('runs the vendor\'s three examples with one client-credentials token, creating one memo each', async () => {
		const credentials = store(clientCredentials);
		const byInvoice = withNodeParameters(workflow, NODE, {
			magentoRestSourceType: 'invoiceId',
			invoiceId: '={{ $json.invoice }}',
			magentoRestRefundScope: 'everythingLeft',
			magentoRestAdditionalFields: { sendEmail: true, comment: 'Refund created by integration.' },
		});
		const byOrder = withNodeParameters(workflow, NODE, {
			magentoRestSourceType: 'orderIncrementId',
			orderIncrementId: '={{ $json.order }}',
			magentoRestAdditionalFields: { shippingAmount: 0, adjustmentPositive: 0, adjustmentNegative: 0 },
		});
		const online = withNodeParameters(workflow, NODE, {
			refundType: 'online',
			magentoRestAdditionalFields: { shippingAmount: 19.9, adjustmentNegative: 5, sendEmail: true, comment: '={{ $json.note }}' },
		});

		const first = await runWorkflow(byInvoice, { input: [{ invoice: 456 }], credentials: credentials as never });
		const second = await runWorkflow(byOrder, { input: [{ order: '100000123', items: [{ order_item_id: 10, qty: 1 }] }], credentials: credentials as never });
		const third = await runWorkflow(online, {
			input: [{ invoice: '100000045', items: [{ sku: 'PRODUCT-001', qty: 1 }], note: 'Partial refund after return.', returnId: 'RMA-3' }],
			credentials: credentials as never,
		});

		expect([first, second, third].map((run) => run.error())).toEqual([undefined, undefined, undefined]);
		expect(first.output(NODE)[0].json).toMatchObject({
			provider: 'magentoRest',
			creditMemoId: '501',
			number: '100000501',
			status: 'refunded',
			totalAmount: 359.7,
			currency: 'BRL',
			refundType: 'offline',
			replayed: false,
		});
		expect(second.output(NODE)[0].json).toMatchObject({ creditMemoId: '502', totalAmount: 59.9 });
		expect(third.output(NODE)[0].json).toMatchObject({ creditMemoId: '503', totalAmount: 264.8, refundType: 'online', refundReference: 'RMA-3' });
		const ledger = sandbox.ledger('magentoRest');
		expect(ledger.map((entry) => [entry.creditMemoId, entry.source, entry.totalAmount])).toEqual([
			['100000501', 'invoice 100000046', 359.7],
			['100000502', 'order 100000123', 59.9],
			['100000503', 'invoice 100000045', 264.8],
		]);
		// The Refund Reference is in the memo's comment, where the admin shows it.
		expect(ledger[2].reference).toBe('Partial refund after return. [ref:RMA-3]');
		expect(JSON.stringify(ledger)).not.toContain(credentials.get('magentoRestApi')!.oauthToken as string);
		// preAuthentication ran once in three executions: the token is kept with the credential.
		expect(first.credentials.preAuthentications.length + second.credentials.preAuthentications.length + third.credentials.preAuthentications.length).toBe(1);
	});

	it('gets a new token when the store expired the old one, and the refund is still created once', async () => {
		const credentials = store(clientCredentials);
		const input = [{ invoice: '100000045', items: [{ order_item_id: 30, qty: 1 }], returnId: 'RMA-4' }];
		await runWorkflow(workflow, { input, credentials: credentials as never });
		const firstToken = credentials.get('magentoRestApi')!.oauthToken;
		sandbox.expireSessions('magentoRest');

		const result = await runWorkflow(workflow, { input: [{ ...input[0], items: [{ order_item_id: 31, qty: 1 }], returnId: 'RMA-5' }], credentials: credentials as never });

		expect(result.error()).toBeUndefined();
		expect(result.credentials.preAuthentications).toEqual([{ type: 'magentoRestApi', expired: true }]);
		expect(credentials.get('magentoRestApi')!.oauthToken).not.toBe(firstToken);
		expect(sandbox.ledger('magentoRest')).toHaveLength(2);
	});

	it('a response lost after Magento saved the memo is an unknown outcome: never sent twice, and says where to look', async () => {
		sandbox.setFaults([{ provider: 'magentoRest', operation: 'createCreditMemo', kind: 'dropAfterCommit', count: 1 }]);

		const result = await runWorkflow(continueOnFail(workflow), {
			input: [{ invoice: '100000045', items: [{ sku: 'PRODUCT-001', qty: 1 }], returnId: 'RMA-6' }],
			credentials: { magentoRestApi: fixedToken },
		});

		const [item] = result.output(NODE);
		expect(item.json).toMatchObject({ details: { provider: 'magentoRest', outcome: 'unknown', retryable: false } });
		expect((item.json.details as IDataObject).description).toContain('open invoice 100000045 in the Magento admin and check its credit memos for one whose comment contains [ref:RMA-6]');
		const ledger = sandbox.ledger('magentoRest');
		expect(ledger).toHaveLength(1);
		expect(ledger[0]).toMatchObject({ responseDropped: true, reference: '[ref:RMA-6]' });
	});

	it('409 "Conflict on save" is never retried; 503 lock waits are, and create one memo', async () => {
		const input = [{ invoice: '100000045', items: [{ sku: 'PRODUCT-001', qty: 1 }], returnId: 'RMA-7' }];
		sandbox.setFaults([{ provider: 'magentoRest', operation: 'createCreditMemo', kind: 'serverError', status: 409, count: 1 }]);

		const conflict = await runWorkflow(workflow, { input, credentials: { magentoRestApi: fixedToken } });

		expect(conflict.error()?.message).toBe('Magento REST: Conflict on save');
		expect(conflict.error()?.context).toMatchObject({ httpStatus: 409, outcome: 'unknown', retryable: false });
		expect(sandbox.faults()[0]).toMatchObject({ fired: 1 });

		sandbox.setFaults([{ provider: 'magentoRest', operation: 'createCreditMemo', kind: 'unavailable', count: 2 }]);
		const busy = await runWorkflow(workflow, { input, credentials: { magentoRestApi: fixedToken } });

		expect(busy.error()).toBeUndefined();
		expect(sandbox.ledger('magentoRest')).toHaveLength(1);
	});

	it.each([
		['an online refund on a check / money order', { refundType: 'online', magentoRestSourceType: 'orderIncrementId', orderIncrementId: '100000123' }, 'Magento REST: Online refund not supported', 'failed'],
		['a failing payment gateway', { refundType: 'online', magentoRestSourceType: 'orderIncrementId', orderIncrementId: '100000127' }, 'Magento REST: Payment gateway error', 'unknown'],
		['an order already fully refunded', { magentoRestSourceType: 'orderIncrementId', orderIncrementId: '100000128' }, 'Magento REST: Cannot create credit memo', 'failed'],
	])('reports the store\'s refusal of %s', async (_case, parameters, message, outcome) => {
		const everything = withNodeParameters(workflow, NODE, { ...parameters, magentoRestRefundScope: 'everythingLeft' });

		const result = await runWorkflow(everything, { input: [{ returnId: 'RMA-8' }], credentials: { magentoRestApi: fixedToken } });

		expect(result.error()?.message).toBe(message);
		expect(result.error()?.context).toMatchObject({ provider: 'magentoRest', outcome });
		expect(sandbox.ledger('magentoRest')).toHaveLength(0);
	});

	it('Check Refundable Balance First refuses what the invoice or order no longer has, before sending', async () => {
		const checked = withNodeParameters(workflow, NODE, { options: { checkRefundableBalance: true } });
		const input = { invoice: '100000045', items: [{ sku: 'PRODUCT-001', qty: 2 }], returnId: 'RMA-9' };

		const fits = await runWorkflow(checked, { input: [input], credentials: { magentoRestApi: fixedToken } });
		const again = await runWorkflow(checked, { input: [{ ...input, returnId: 'RMA-10' }], credentials: { magentoRestApi: fixedToken } });
		const closedOrder = await runWorkflow(
			withNodeParameters(checked, NODE, { magentoRestSourceType: 'orderIncrementId', orderIncrementId: '100000128', magentoRestRefundScope: 'everythingLeft' }),
			{ input: [{}], credentials: { magentoRestApi: fixedToken } },
		);

		expect(fits.error()).toBeUndefined();
		expect(again.error()?.message).toBe('Items[1] Quantity 2 is more than the 0 still refundable for SKU PRODUCT-001 on invoice 100000045; nothing was sent');
		expect(closedOrder.error()?.message).toBe('Nothing is left to refund on order 100000128: 89.9 BRL paid, 89.9 BRL already refunded; nothing was sent');
		expect(sandbox.ledger('magentoRest')).toHaveLength(1);
	});

	it('the credential test passes with the demo client and the static token, and fails with a wrong secret', async () => {
		expect((await runCredentialTest('magentoRestApi', clientCredentials)).status).toBe(200);
		expect((await runCredentialTest('magentoRestApi', fixedToken)).status).toBe(200);
		await expect(runCredentialTest('magentoRestApi', { ...clientCredentials, clientSecret: 'wrong' })).rejects.toMatchObject({
			message: 'Magento REST: the token request was refused (HTTP 401: Invalid client credentials)',
		});
	});
});

describe('Bulk Credit Memos, Magento REST, against the sandbox', () => {
	it('sends concurrent refunds once each; a reference repeated in the run is refused, whatever its data', async () => {
		const refund = (returnId: string, qty = 1) => ({ invoice: '100000900', items: [{ order_item_id: 900, qty }], returnId });
		const input = [...Array.from({ length: 6 }, (_, index) => refund(`BULK-${index}`)), refund('BULK-2'), refund('BULK-3', 2)];

		const result = await runWorkflow(bulkWorkflowJson as unknown as WorkflowJson, { input, credentials: { magentoRestApi: fixedToken } });

		expect(result.error()).toBeUndefined();
		const succeeded = result.output('Bulk Credit Memos', 0);
		const failed = result.output('Bulk Credit Memos', 1);
		expect(succeeded.map((item) => [item.pairedItem, item.json.refundReference, item.json.replayed])).toEqual(
			Array.from({ length: 6 }, (_, index) => [{ item: index }, `BULK-${index}`, false]),
		);
		expect(failed.map((item) => [item.pairedItem, item.json.returnId, (item.json.error as IDataObject).message])).toEqual([
			[{ item: 6 }, 'BULK-2', 'Refund Reference "BULK-2" is also on item 2 of this run; a refund is sent once'],
			[{ item: 7 }, 'BULK-3', 'Refund Reference "BULK-3" is also on item 3 of this run; a refund is sent once'],
		]);
		expect(sandbox.ledger('magentoRest')).toHaveLength(6);
	});
});

/** The same workflow without its Create node: the trigger's items go straight to Add Memo Comment. */
function commentOnly(workflow: WorkflowJson): WorkflowJson {
	const trigger = workflow.nodes[0].name;
	return {
		...workflow,
		nodes: workflow.nodes.filter((node) => node.name !== NODE),
		connections: { [trigger]: { main: [[{ node: 'Add Memo Comment', type: NodeConnectionTypes.Main, index: 0 }]] } },
	};
}

describe('Add Memo Comment, Magento REST, against the sandbox', () => {
	it('notes the new memo in the order\'s history once; a re-run returns the note already there', async () => {
		const workflow = commentWorkflowJson as unknown as WorkflowJson;
		const input = [{ order: '100000123', items: [{ order_item_id: 10, qty: 1 }], returnId: 'RMA-20' }];

		const result = await runWorkflow(workflow, { input, credentials: { magentoRestApi: fixedToken } });
		// Only the comment runs again (the memo exists; re-running the create would make a second one, see above).
		const again = await runWorkflow(commentOnly(workflow), { input: [{ ...input[0], number: '100000501' }], credentials: { magentoRestApi: fixedToken } });

		expect(result.error()).toBeUndefined();
		expect(result.output('Add Memo Comment')[0].json).toMatchObject({
			provider: 'magentoRest',
			creditMemoId: '100000501',
			comment: 'Credit memo 100000501: Refund for return RMA-20 approved',
			target: 'orderHistory',
			replayed: false,
			raw: { order_increment_id: '100000123', comment: 'Credit memo 100000501: Refund for return RMA-20 approved' },
		});
		expect(again.output('Add Memo Comment')[0].json).toMatchObject({ creditMemoId: '100000501', target: 'orderHistory', replayed: true });
		const history = await fetch(`${sandbox.providerUrl('magentoRest')}/api2/history?order_increment_id=100000123`, {
			headers: { Authorization: `Bearer ${MAGENTO_REST_DEMO.staticToken}` },
		}).then(async (response) => (await response.json()) as Array<{ comment: string }>);
		expect(history.map((entry) => entry.comment)).toEqual(['Credit memo 100000501: Refund for return RMA-20 approved']);
	});
});
