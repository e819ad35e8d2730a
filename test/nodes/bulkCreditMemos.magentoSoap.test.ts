import nock from 'nock';

import workflowJson from '../workflows/bulk-magentoSoap.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters } from '../harness/workflows';
import { GATEWAY_TIMEOUT, credentialsFor, fixture, mockStore } from './magentoSoap.store';

const workflow = workflowJson as unknown as WorkflowJson;
const NODE = 'Bulk Credit Memos';
const refunds = [
	{ order: '100000683', items: [{ order_item_id: 712, qty: 1 }], shipping: 0, comment: 'Tee', returnId: '' },
	{ order: '100000683', items: [{ order_item_id: 713, qty: 1 }], shipping: 0, comment: 'Tote', returnId: '' },
];

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Bulk Credit Memos, Magento SOAP V1 multiCall (engine + nock)', () => {
	it('Dry Run shows the one multiCall a chunk sends: positional [path, args] pairs, no break option', async () => {
		mockStore('v1', { login: [fixture('v1', 'login')], 'sales_order.info': [fixture('v1', 'order-683')], endSession: [fixture('v1', 'end-session')] });

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { options: { dryRun: true } }), { input: refunds, credentials: credentialsFor('v1') });

		expect(result.error()).toBeUndefined();
		const [chunk] = result.output(NODE, 0);
		expect(chunk.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(chunk.json).toMatchObject({ provider: 'magentoSoap', dryRun: true, memos: 2, request: { method: 'POST', url: 'https://shop.example.com/api/soap/' } });
		const body = (chunk.json.request as { body: string }).body;
		expect(body).toContain(
			[
				'<ns1:multiCall><sessionId xsi:type="xsd:string">[session ID: from the login at send time]</sessionId>',
				'<calls xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="xsd:ur-type[2]">',
				'<item xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="xsd:ur-type[2]"><item xsi:type="xsd:string">sales_order_creditmemo.create</item>',
				'<item xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="xsd:ur-type[6]"><item xsi:type="xsd:string">100000683</item>',
			].join(''),
		);
		expect(body).toContain('<item xsi:type="xsd:string">Tote</item>');
		expect(body).toContain('</calls><options xsi:type="ns2:Map"/></ns1:multiCall>');
	});

	it('answers in band: the memo number, or {isFault, faultCode, faultMessage} for that memo alone', async () => {
		const store = mockStore('v1', {
			login: [fixture('v1', 'login')],
			'sales_order.info': [fixture('v1', 'order-683')],
			multiCall: [fixture('v1', 'multicall-create'), fixture('v1', 'multicall-info')],
			endSession: [fixture('v1', 'end-session')],
		});

		const result = await runWorkflow(workflow, { input: refunds, credentials: credentialsFor('v1') });

		expect(store.operations()).toEqual(['login', 'sales_order.info', 'multiCall', 'multiCall', 'endSession']);
		expect(result.output(NODE, 0).map((item) => [item.json.creditMemoId, item.pairedItem])).toEqual([['100000685', { item: 0 }]]);
		expect(result.output(NODE, 1)).toEqual([
			{
				json: { ...refunds[1], error: expect.objectContaining({ message: 'Magento cannot create a credit memo for order 100000683', code: '106', outcome: 'failed', provider: 'magentoSoap' }) },
				pairedItem: { item: 1 },
			},
		]);
	});

	it('a lost multiCall answer without references: every memo of it is an unknown outcome, nothing is sent twice', async () => {
		const store = mockStore('v1', {
			login: [fixture('v1', 'login')],
			'sales_order.info': [fixture('v1', 'order-683')],
			multiCall: [GATEWAY_TIMEOUT],
			endSession: [fixture('v1', 'end-session')],
		});

		const result = await runWorkflow(workflow, { input: refunds, credentials: credentialsFor('v1') });

		expect(result.output(NODE, 0)).toEqual([]);
		expect(result.output(NODE, 1).map((item) => [item.pairedItem, (item.json.error as { outcome: string }).outcome])).toEqual([
			[{ item: 0 }, 'unknown'],
			[{ item: 1 }, 'unknown'],
		]);
		expect(store.operations().filter((operation) => operation === 'multiCall')).toHaveLength(1);
	});
});
