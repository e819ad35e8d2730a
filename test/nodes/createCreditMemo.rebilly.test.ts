import nock from 'nock';

import workflowJson from '../workflows/create-rebilly.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const REBILLY = 'https://api-sandbox.rebilly.com';
const credentials = {
	rebillyApi: { environment: 'sandbox', organizationId: 'test-org', apiKey: 'sk_test_secret_1' },
};
const workflow = workflowJson as unknown as WorkflowJson;
const input = [
	{ customerId: 'cus_A', quantity: 2, invoiceId: 'in_A', invoiceItemId: 'ii_A' },
	{ customerId: 'cus_B', quantity: 1, invoiceId: 'in_B', invoiceItemId: 'ii_B' },
];

function expectedBody(customerId: string, quantity: number, invoiceId: string, invoiceItemId: string) {
	return {
		customerId,
		currency: 'USD',
		items: [{ quantity, unitPrice: 19.9, description: 'Returned item', invoiceItemId }],
		invoiceId,
		reason: 'return',
		shippingAmount: 4.95,
	};
}

function memo(id: string, body: object, totalAmount: number) {
	return { id, number: 7, status: 'issued', totalAmount, createdTime: '2026-11-23T10:00:00Z', ...body };
}

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Create Credit Memo, Rebilly (engine + nock)', () => {
	it('sends one POST per item with the credential header and outputs the normalised memo, paired', async () => {
		const received: Array<{ body: unknown; apiKey: unknown }> = [];
		const scope = nock(REBILLY)
			.post('/organizations/test-org/credit-memos')
			.times(2)
			.reply(function (_uri, body) {
				received.push({ body, apiKey: this.req.headers['reb-apikey'] });
				const customer = (body as { customerId: string }).customerId;
				return [201, memo(`crmm_${customer}`, body as object, customer === 'cus_A' ? 44.75 : 24.85), { Location: `${REBILLY}/organizations/test-org/credit-memos/crmm_${customer}` }];
			});

		const result = await runWorkflow(workflow, { input, credentials });

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(received).toEqual([
			{ body: expectedBody('cus_A', 2, 'in_A', 'ii_A'), apiKey: 'sk_test_secret_1' },
			{ body: expectedBody('cus_B', 1, 'in_B', 'ii_B'), apiKey: 'sk_test_secret_1' },
		]);
		const output = result.output('Create Credit Memo');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toEqual({
			provider: 'rebilly',
			creditMemoId: 'crmm_cus_A',
			number: '7',
			status: 'issued',
			totalAmount: 44.75,
			currency: 'USD',
			createdAt: '2026-11-23T10:00:00Z',
			raw: memo('crmm_cus_A', expectedBody('cus_A', 2, 'in_A', 'ii_A'), 44.75),
		});
		expect(JSON.stringify(output)).not.toContain('sk_test_secret_1');
	});

	it('turns a 422 into a node error that names the invalid fields and the item', async () => {
		nock(REBILLY)
			.post('/organizations/test-org/credit-memos')
			.reply(422, {
				type: 'https://api.rebilly.com/errors/validation',
				title: 'Invalid data was sent.',
				status: 422,
				detail: 'The request body is not valid.',
				invalidFields: [
					{ field: 'customerId', message: 'Customer not found' },
					{ field: 'items.0.quantity', message: 'Must be greater than 0' },
				],
			});

		const result = await runWorkflow(workflow, { input: [input[0]], credentials });

		const error = result.error();
		expect(error?.message).toBe('Rebilly rejected the credit memo: customerId: Customer not found; items.0.quantity: Must be greater than 0');
		expect(error?.context).toMatchObject({ itemIndex: 0, provider: 'rebilly', code: 'Invalid data was sent.', httpStatus: 422 });
		expect(error?.httpCode).toBe('422');
	});

	it('under Continue On Fail emits an error item for the failing item and still processes the next', async () => {
		nock(REBILLY)
			.post('/organizations/test-org/credit-memos', (body) => body.customerId === 'cus_A')
			.reply(422, { title: 'Invalid data was sent.', status: 422, invalidFields: [{ field: 'invoiceId', message: 'Invoice not found' }] })
			.post('/organizations/test-org/credit-memos', (body) => body.customerId === 'cus_B')
			.reply(201, memo('crmm_B', expectedBody('cus_B', 1, 'in_B', 'ii_B'), 24.85));

		const result = await runWorkflow(withNodeSettings(workflow, 'Create Credit Memo', { onError: 'continueRegularOutput' }), { input, credentials });

		expect(result.error()).toBeUndefined();
		const output = result.output('Create Credit Memo');
		expect(output).toHaveLength(2);
		expect(output[0]).toMatchObject({
			json: {
				error: 'Rebilly rejected the credit memo: invoiceId: Invoice not found',
				details: { provider: 'rebilly', httpStatus: 422, retryable: false, outcome: 'failed', itemIndex: 0 },
			},
			pairedItem: { item: 0 },
		});
		expect(output[1]).toMatchObject({ json: { creditMemoId: 'crmm_B' }, pairedItem: { item: 1 } });
	});

	it('rejects invalid input before sending anything, naming the field and item', async () => {
		const result = await runWorkflow(workflow, { input: [{ ...input[0], quantity: 1.5 }], credentials });

		expect(result.error()?.message).toBe('Items[1] Quantity must be a whole number, got 1.5');
		expect(result.error()?.context).toMatchObject({ itemIndex: 0 });
	});

	it('Dry Run outputs the exact request with the API key redacted and sends nothing', async () => {
		const dryRun = withNodeParameters(workflow, 'Create Credit Memo', { options: { dryRun: true } });

		const result = await runWorkflow(dryRun, { input: [input[0]], credentials });

		expect(result.error()).toBeUndefined();
		expect(result.output('Create Credit Memo')[0].json).toEqual({
			provider: 'rebilly',
			dryRun: true,
			request: {
				method: 'POST',
				url: `${REBILLY}/organizations/test-org/credit-memos`,
				headers: { 'Content-Type': 'application/json', 'REB-APIKEY': '[redacted: added by the credential]' },
				body: expectedBody('cus_A', 2, 'in_A', 'ii_A'),
			},
			totalAmount: 44.75,
			currency: 'USD',
		});
	});

	it('refuses a memo above the safety limit without sending it', async () => {
		const limited = withNodeParameters(workflow, 'Create Credit Memo', { options: { maxTotalAmount: 30 } });

		const result = await runWorkflow(limited, { input: [input[0]], credentials });

		expect(result.error()?.message).toBe('The credit memo total 44.75 USD is above the safety limit of 30; nothing was sent');
	});
});
