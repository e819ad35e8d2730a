import nock from 'nock';

import workflowJson from '../workflows/create-rebilly.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const REBILLY = 'https://api-sandbox.rebilly.com';
const ORG = '/organizations/test-org';
const credentials = {
	rebillyApi: { environment: 'sandbox', organizationId: 'test-org', apiKey: 'sk_test_secret_1' },
};
const workflow = workflowJson as unknown as WorkflowJson;
const input = [
	{ returnId: 'RET-1', customerId: 'cus_A', quantity: 2, invoiceId: 'in_A', invoiceItemId: 'ii_A' },
	{ returnId: 'RET-2', customerId: 'cus_B', quantity: 1, invoiceId: 'in_B', invoiceItemId: 'ii_B' },
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

const notFound = { title: 'Not Found', status: 404, detail: 'Credit memo not found' };

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Create Credit Memo, Rebilly (engine + nock)', () => {
	it('reads first, then upserts each memo by an ID derived from the Refund Reference, with the credential header', async () => {
		const received: Array<{ method: string; path: string; body: unknown; apiKey: unknown }> = [];
		const scope = nock(REBILLY)
			.get(/\/credit-memos\/cm-RET-\d$/)
			.times(2)
			.reply(function (uri) {
				received.push({ method: 'GET', path: uri, body: undefined, apiKey: this.req.headers['reb-apikey'] });
				return [404, notFound];
			})
			.put(/\/credit-memos\/cm-RET-\d$/)
			.times(2)
			.reply(function (uri, body) {
				received.push({ method: 'PUT', path: uri, body, apiKey: this.req.headers['reb-apikey'] });
				const customer = (body as { customerId: string }).customerId;
				return [201, memo(uri.split('/').pop()!, body as object, customer === 'cus_A' ? 44.75 : 24.85)];
			});

		const result = await runWorkflow(workflow, { input, credentials });

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(received).toEqual([
			{ method: 'GET', path: `${ORG}/credit-memos/cm-RET-1`, body: undefined, apiKey: 'sk_test_secret_1' },
			{ method: 'PUT', path: `${ORG}/credit-memos/cm-RET-1`, body: expectedBody('cus_A', 2, 'in_A', 'ii_A'), apiKey: 'sk_test_secret_1' },
			{ method: 'GET', path: `${ORG}/credit-memos/cm-RET-2`, body: undefined, apiKey: 'sk_test_secret_1' },
			{ method: 'PUT', path: `${ORG}/credit-memos/cm-RET-2`, body: expectedBody('cus_B', 1, 'in_B', 'ii_B'), apiKey: 'sk_test_secret_1' },
		]);
		const output = result.output('Create Credit Memo');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toEqual({
			provider: 'rebilly',
			creditMemoId: 'cm-RET-1',
			number: '7',
			status: 'issued',
			totalAmount: 44.75,
			currency: 'USD',
			createdAt: '2026-11-23T10:00:00Z',
			refundReference: 'RET-1',
			replayed: false,
			raw: memo('cm-RET-1', expectedBody('cus_A', 2, 'in_A', 'ii_A'), 44.75),
		});
		expect(JSON.stringify(output)).not.toContain('sk_test_secret_1');
	});

	it('returns the memo that already exists for the reference and sends no write', async () => {
		const scope = nock(REBILLY)
			.get(`${ORG}/credit-memos/cm-RET-1`)
			.reply(200, memo('cm-RET-1', expectedBody('cus_A', 2, 'in_A', 'ii_A'), 44.75));

		const result = await runWorkflow(workflow, { input: [input[0]], credentials });

		expect(scope.isDone()).toBe(true);
		expect(result.output('Create Credit Memo')[0].json).toMatchObject({ creditMemoId: 'cm-RET-1', replayed: true, refundReference: 'RET-1' });
	});

	it('refuses a reference already used for a different refund, creating nothing', async () => {
		nock(REBILLY).get(`${ORG}/credit-memos/cm-RET-1`).reply(200, memo('cm-RET-1', expectedBody('cus_Z', 1, 'in_Z', 'ii_Z'), 24.85));

		const result = await runWorkflow(workflow, { input: [input[0]], credentials });

		expect(result.error()?.message).toBe(
			'Refund Reference "RET-1" was already used for a different credit memo (cm-RET-1: customer cus_Z instead of cus_A; total 24.85 instead of 44.75)',
		);
		expect(result.error()?.context).toMatchObject({ code: 'REFERENCE_REUSED', itemIndex: 0 });
	});

	it('turns a 422 into a node error that names the invalid fields and the item', async () => {
		nock(REBILLY)
			.get(`${ORG}/credit-memos/cm-RET-1`)
			.reply(404, notFound)
			.put(`${ORG}/credit-memos/cm-RET-1`)
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
			.get(/cm-RET-\d$/)
			.times(2)
			.reply(404, notFound)
			.put(`${ORG}/credit-memos/cm-RET-1`)
			.reply(422, { title: 'Invalid data was sent.', status: 422, invalidFields: [{ field: 'invoiceId', message: 'Invoice not found' }] })
			.put(`${ORG}/credit-memos/cm-RET-2`)
			.reply(201, memo('cm-RET-2', expectedBody('cus_B', 1, 'in_B', 'ii_B'), 24.85));

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
		expect(output[1]).toMatchObject({ json: { creditMemoId: 'cm-RET-2' }, pairedItem: { item: 1 } });
	});

	it('rejects invalid input before sending anything, naming the field and item', async () => {
		const result = await runWorkflow(workflow, { input: [{ ...input[0], quantity: 1.5 }], credentials });

		expect(result.error()?.message).toBe('Items[1] Quantity must be a whole number, got 1.5');
		expect(result.error()?.context).toMatchObject({ itemIndex: 0 });
	});

	it('requires a Refund Reference, since the upsert ID is derived from it', async () => {
		const result = await runWorkflow(workflow, { input: [{ ...input[0], returnId: '' }], credentials });

		expect(result.error()?.message).toBe('Refund Reference is required for Rebilly');
	});

	it('Dry Run outputs the exact request with the API key redacted and sends nothing', async () => {
		const dryRun = withNodeParameters(workflow, 'Create Credit Memo', { options: { dryRun: true } });

		const result = await runWorkflow(dryRun, { input: [input[0]], credentials });

		expect(result.error()).toBeUndefined();
		expect(result.output('Create Credit Memo')[0].json).toEqual({
			provider: 'rebilly',
			dryRun: true,
			request: {
				method: 'PUT',
				url: `${REBILLY}${ORG}/credit-memos/cm-RET-1`,
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

	it('refuses items beyond the maximum memos per execution', async () => {
		nock(REBILLY).get(`${ORG}/credit-memos/cm-RET-1`).reply(404, notFound).put(`${ORG}/credit-memos/cm-RET-1`).reply(201, memo('cm-RET-1', {}, 44.75));
		const limited = withNodeSettings(withNodeParameters(workflow, 'Create Credit Memo', { options: { maxMemosPerExecution: 1 } }), 'Create Credit Memo', {
			onError: 'continueRegularOutput',
		});

		const result = await runWorkflow(limited, { input, credentials });

		const output = result.output('Create Credit Memo');
		expect(output[0].json).toMatchObject({ creditMemoId: 'cm-RET-1' });
		expect(output[1].json).toMatchObject({ error: 'This execution reached its safety limit of 1 credit memo; this one was not sent' });
	});
});
