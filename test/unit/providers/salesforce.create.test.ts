import { ProviderError } from '../../../nodes/shared/errors';
import { salesforce } from '../../../nodes/shared/providers/salesforce';
import type { SalesforceCreateInput } from '../../../nodes/shared/providers/salesforce/mappers';
import type { HttpResponse, PreparedRequest, SendOptions, Session } from '../../../nodes/shared/types';

const BASE = 'https://acme.my.salesforce.com/services/data/v66.0';
const input: SalesforceCreateInput = {
	orderSummaryId: '1OsR0000000EAAkKAO',
	changeOrderIds: ['801R0000000EAAkIAO'],
	reference: 'RET-1',
	writeReference: true,
	ensureRefunds: false,
};

/** A session whose answers are scripted per request, recording what was sent and how safely. */
function scriptedSession(answer: (request: PreparedRequest) => HttpResponse | Error): Session & { sent: Array<{ request: PreparedRequest; options: SendOptions }> } {
	const sent: Array<{ request: PreparedRequest; options: SendOptions }> = [];
	return {
		provider: 'salesforce',
		sent,
		baseUrl: async () => BASE,
		send: async (request, options) => {
			sent.push({ request, options });
			const result = answer(request);
			if (result instanceof Error) throw result;
			if (result.statusCode >= 300) throw salesforce.toError(result);
			return result;
		},
		close: async () => {},
	};
}

const noAnswer = () =>
	new ProviderError({ provider: 'salesforce', message: 'The connection to the provider failed', code: 'ECONNRESET', retryable: true, outcome: 'failed' });
const emptyQuery: HttpResponse = { statusCode: 200, headers: {}, body: { totalSize: 0, done: true, records: [] } };

async function execute(session: Session) {
	const plan = await salesforce.create.plan(session, input);
	return await salesforce.create.execute(session, input, plan);
}

describe('Salesforce create: exactly-once decisions', () => {
	it('sends the create as safe to repeat: Salesforce refuses to credit a change order twice', async () => {
		const session = scriptedSession((request) =>
			request.method === 'POST'
				? { statusCode: 201, headers: {}, body: { creditMemoId: '50gR000000000JNIAY', success: true, errors: [] } }
				: request.method === 'GET'
					? { statusCode: 200, headers: {}, body: { Id: '50gR000000000JNIAY', Description: 'Refund Reference: RET-1' } }
					: new Error('unexpected'),
		);

		await execute(session);

		expect(session.sent.map(({ request, options }) => [request.method, options.safety])).toEqual([
			['POST', 'idempotent'],
			['GET', 'read'],
		]);
	});

	it('after a lost answer with no memo found, says nothing was credited and that running again is safe', async () => {
		const session = scriptedSession((request) => (request.method === 'POST' ? noAnswer() : emptyQuery));

		const error = (await execute(session).catch((caught: unknown) => caught)) as ProviderError;

		expect(error).toBeInstanceOf(ProviderError);
		expect(error).toMatchObject({ message: 'The connection to the provider failed', code: 'ECONNRESET', outcome: 'failed' });
		expect(error.description).toBe('No credit memo exists for these change orders, so nothing was credited.');
		expect(error.hint).toContain('Running the node again is safe');
		expect(session.sent.map(({ request }) => request.qs?.q)).toEqual([undefined, "SELECT Id, OrderId FROM OrderItem WHERE OrderId IN ('801R0000000EAAkIAO')"]);
	});

	it('when the lookup fails too, keeps the create\'s error and says the check failed', async () => {
		const session = scriptedSession((request) =>
			request.method === 'POST' ? noAnswer() : { statusCode: 403, headers: {}, body: [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'No access to OrderItem' }] },
		);

		const error = (await execute(session).catch((caught: unknown) => caught)) as ProviderError;

		expect(error.message).toBe('The connection to the provider failed');
		expect(error.description).toBe('Checking whether these change orders were already credited failed too: Salesforce: No access to OrderItem.');
		expect(error.outcome).toBe('unknown');
		expect(error.hint).toContain('Look at the order summary');
	});

	it('never looks up after a refusal that cannot mean "already credited"', async () => {
		const session = scriptedSession(() => ({ statusCode: 401, headers: {}, body: [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }] }));

		await expect(execute(session)).rejects.toMatchObject({ code: 'INVALID_SESSION_ID', httpStatus: 401 });
		expect(session.sent).toHaveLength(1);
	});

	it('follows nextRecordsUrl when a query result comes in pages', async () => {
		const session = scriptedSession((request) => {
			if (request.method === 'POST') return { statusCode: 400, headers: {}, body: [{ errorCode: 'INVALID_INPUT', message: 'Already credited' }] };
			if (request.url === `${BASE}/query` && String(request.qs?.q).startsWith('SELECT Id, OrderId')) {
				return { statusCode: 200, headers: {}, body: { done: false, nextRecordsUrl: '/services/data/v66.0/query/01gR-2000', records: [{ Id: '802R00000001AAAIA2', OrderId: '801R0000000EAAkIAO' }] } };
			}
			if (request.url === 'https://acme.my.salesforce.com/services/data/v66.0/query/01gR-2000') {
				return { statusCode: 200, headers: {}, body: { done: true, records: [{ Id: '802R00000001AABIA2', OrderId: '801R0000000EAAkIAO' }] } };
			}
			return emptyQuery;
		});

		await expect(execute(session)).rejects.toMatchObject({ message: 'Salesforce: Already credited' });
		expect(session.sent[3].request.qs?.q).toBe("SELECT CreditMemoId, ReferenceEntityItemId FROM CreditMemoLine WHERE ReferenceEntityItemId IN ('802R00000001AAAIA2', '802R00000001AABIA2')");
	});
});
