import nock from 'nock';

import workflowJson from '../workflows/credit-memo-salesforce.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { salesforceConnectedCredentials } from '../harness/salesforce';
import { withNodeParameters } from '../harness/workflows';

const INSTANCE = 'https://acme.my.salesforce.com';
const API = '/services/data/v66.0';
const MEMO = '50gR000000000JNIAY';
const SUMMARY = '1OsR0000000EAAkKAO';
const NODE = 'Credit Memo';
const workflow = workflowJson as unknown as WorkflowJson;
const credentials = salesforceConnectedCredentials(INSTANCE);
const AUTH = 'Bearer tok-secret-1';

const record = (Id: string, CreatedDate: string) => ({
	attributes: { type: 'CreditMemo', url: `${API}/sobjects/CreditMemo/${Id}` },
	Id,
	DocumentNumber: `CM-${Id.slice(-4)}`,
	Status: 'Posted',
	TotalAmountWithTax: 142.28,
	CurrencyIsoCode: 'USD',
	CreatedDate,
	ReferenceEntityId: SUMMARY,
});

/** The org's CreditMemo fields; List selects the readable ones. */
const DESCRIBE = {
	name: 'CreditMemo',
	fields: [
		{ name: 'Id', type: 'id' },
		{ name: 'DocumentNumber', type: 'string' },
		{ name: 'Status', type: 'picklist' },
		{ name: 'TotalAmountWithTax', type: 'currency' },
		{ name: 'CurrencyIsoCode', type: 'picklist' },
		{ name: 'CreatedDate', type: 'datetime' },
		{ name: 'ReferenceEntityId', type: 'reference' },
		{ name: 'Scan__c', type: 'base64' },
	],
};
const SELECT = 'SELECT Id, DocumentNumber, Status, TotalAmountWithTax, CurrencyIsoCode, CreatedDate, ReferenceEntityId FROM CreditMemo';

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});
afterAll(() => nock.enableNetConnect());

describe('Credit Memo node, Salesforce Order Management (engine + nock)', () => {
	it('Get reads the CreditMemo record with the credential\'s token and normalises it', async () => {
		const scope = nock(INSTANCE).get(`${API}/sobjects/CreditMemo/${MEMO}`).matchHeader('authorization', AUTH).reply(200, record(MEMO, '2026-03-09T10:00:00.000+0000'));

		const result = await runWorkflow(workflow, { input: [{ creditMemoId: '50gR000000000JN' }], credentials });

		expect(scope.isDone()).toBe(true);
		expect(result.output(NODE)).toEqual([
			{
				json: {
					provider: 'salesforce',
					creditMemoId: MEMO,
					number: `CM-${MEMO.slice(-4)}`,
					status: 'Posted',
					totalAmount: 142.28,
					currency: 'USD',
					createdAt: '2026-03-09T10:00:00.000+0000',
					raw: record(MEMO, '2026-03-09T10:00:00.000+0000'),
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('List reads describe once, sends one SOQL query per item and follows nextRecordsUrl', async () => {
		const second = '50gR000000000JOIAY';
		const third = '50gR000000000JPIAY';
		const scope = nock(INSTANCE)
			.get(`${API}/sobjects/CreditMemo/describe`)
			.once()
			.matchHeader('authorization', AUTH)
			.reply(200, DESCRIBE)
			.get(`${API}/query`)
			.query({ q: `${SELECT} WHERE ReferenceEntityId = '${SUMMARY}' AND CreatedDate >= 2026-03-08T23:00:00Z AND CreatedDate < 2026-03-09T23:00:00Z ORDER BY CreatedDate, Id` })
			.matchHeader('authorization', AUTH)
			.reply(200, { totalSize: 3, done: false, records: [record(MEMO, '2026-03-09T01:00:00.000+0000'), record(second, '2026-03-09T02:00:00.000+0000')], nextRecordsUrl: `${API}/query/01gR0000000abcdIAA-2000` })
			.get(`${API}/query/01gR0000000abcdIAA-2000`)
			.matchHeader('authorization', AUTH)
			.reply(200, { totalSize: 3, done: true, records: [record(third, '2026-03-09T03:00:00.000+0000')] })
			.get(`${API}/query`)
			.query({ q: `${SELECT} ORDER BY CreatedDate, Id LIMIT 2` })
			.reply(200, { totalSize: 2, done: true, records: [record(MEMO, '2026-03-09T01:00:00.000+0000'), record(second, '2026-03-09T02:00:00.000+0000')] });

		const result = await runWorkflow(
			withNodeParameters(workflow, NODE, {
				operation: 'list',
				returnAll: '={{ $json.returnAll }}',
				limit: 2,
				salesforceListFilters: { orderSummaryId: '={{ $json.orderSummaryId }}', createdAfter: '={{ $json.from }}', createdBefore: '={{ $json.to }}' },
			}),
			{
				input: [
					{ returnAll: true, orderSummaryId: SUMMARY, from: '2026-03-09T00:00:00+01:00', to: '2026-03-10T00:00:00+01:00' },
					{ returnAll: false, orderSummaryId: '', from: '', to: '' },
				],
				credentials,
			},
		);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.output(NODE).map((item) => [item.json.creditMemoId, item.pairedItem])).toEqual([
			[MEMO, { item: 0 }],
			[second, { item: 0 }],
			[third, { item: 0 }],
			[MEMO, { item: 1 }],
			[second, { item: 1 }],
		]);
	});

	it('List asks for 50 by default; a refused query is a node error with Salesforce\'s code and message', async () => {
		nock(INSTANCE)
			.get(`${API}/sobjects/CreditMemo/describe`)
			.reply(200, DESCRIBE)
			.get(`${API}/query`)
			.query({ q: `${SELECT} ORDER BY CreatedDate, Id LIMIT 50` })
			.reply(400, [{ errorCode: 'INVALID_FIELD', message: "No such column 'CurrencyIsoCode' on entity 'CreditMemo'." }]);

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'list' }), { credentials });

		expect(result.error()?.message).toBe("Salesforce: No such column 'CurrencyIsoCode' on entity 'CreditMemo'.");
		expect(result.error()?.context).toMatchObject({ code: 'INVALID_FIELD', httpStatus: 400, itemIndex: 0 });
	});

	it('does not follow a next page link off the org\'s API: the token never goes to another host', async () => {
		nock(INSTANCE)
			.get(`${API}/sobjects/CreditMemo/describe`)
			.reply(200, DESCRIBE)
			.get(`${API}/query`)
			.query(true)
			.reply(200, { totalSize: 2, done: false, records: [record(MEMO, '2026-03-09T01:00:00.000+0000')], nextRecordsUrl: '@attacker.example/query/next' });

		const result = await runWorkflow(withNodeParameters(workflow, NODE, { operation: 'list', returnAll: true }), { credentials });

		expect(result.error()?.message).toBe('Salesforce answered a query with a next page link that is not an API path: @attacker.example/query/next');
		expect(nock.pendingMocks()).toEqual([]);
	});
});
