import type { IExecuteFunctions } from 'n8n-workflow';

import { ProviderError } from '../../nodes/shared/errors';
import { createSessionContext } from '../../nodes/shared/transport';
import type { HttpResponse, PreparedRequest, RequestSafety } from '../../nodes/shared/types';

type Answer = { statusCode: number; headers?: Record<string, string>; body?: unknown } | { networkCode: string } | { status401: true } | { thrown: unknown };

/** A minimal execute context whose request helper replays scripted answers, as n8n's helper would return or throw them. */
function fakeExec(answers: Answer[]) {
	const sent: unknown[] = [];
	const exec = {
		getExecutionCancelSignal: () => undefined,
		getCredentials: async () => ({}),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: unknown) => {
				sent.push(options);
				const answer = answers.shift();
				if (!answer) throw new Error('no more scripted answers');
				if ('networkCode' in answer) throw Object.assign(new Error('wrapped'), { cause: Object.assign(new Error(answer.networkCode), { code: answer.networkCode }) });
				if ('thrown' in answer) throw answer.thrown;
				if ('status401' in answer) throw Object.assign(new Error('wrapped'), { cause: { response: { status: 401, headers: {}, data: { message: 'bad key' } } } });
				return { statusCode: answer.statusCode, headers: answer.headers ?? {}, body: answer.body ?? {} };
			},
		},
	} as unknown as IExecuteFunctions;
	return { exec, sent };
}

const request: PreparedRequest = { method: 'POST', url: 'https://example.test/memos', headers: {}, body: { a: 1 } };
const toError = (response: HttpResponse) => new ProviderError({ provider: 'rebilly', message: `HTTP ${response.statusCode}`, httpStatus: response.statusCode });

async function send(answers: Answer[], safety: RequestSafety) {
	const { exec, sent } = fakeExec(answers);
	const waits: number[] = [];
	const context = createSessionContext(exec, 'rebilly', { wait: async (ms) => void waits.push(ms) });
	const outcome: { response?: HttpResponse; error?: ProviderError } = await context.send('rebillyApi', request, { safety }, toError).then(
		(response) => ({ response }),
		(error: ProviderError) => ({ error }),
	);
	return { ...outcome, sent, waits };
}

describe('transport retries', () => {
	it('waits as told on 429 and then succeeds', async () => {
		const result = await send([{ statusCode: 429, headers: { 'Retry-After': '2' } }, { statusCode: 201, body: { id: 'x' } }], 'write');
		expect(result.response?.body).toEqual({ id: 'x' });
		expect(result.waits).toEqual([2000]);
		expect(result.sent).toHaveLength(2);
	});

	it('never repeats a write after a 500: the outcome is unknown', async () => {
		const result = await send([{ statusCode: 500 }], 'write');
		expect(result.sent).toHaveLength(1);
		expect(result.error).toMatchObject({ outcome: 'unknown', retryable: false, httpStatus: 500 });
	});

	it('repeats an idempotent request after a 500', async () => {
		const result = await send([{ statusCode: 500 }, { statusCode: 502 }, { statusCode: 200 }], 'idempotent');
		expect(result.response?.statusCode).toBe(200);
		expect(result.waits).toHaveLength(2);
	});

	it('repeats any request that never left (connection refused)', async () => {
		const result = await send([{ networkCode: 'ECONNREFUSED' }, { statusCode: 201 }], 'write');
		expect(result.response?.statusCode).toBe(201);
	});

	it('reports a reset after sending a write as unknown and does not repeat it', async () => {
		const result = await send([{ networkCode: 'ECONNRESET' }], 'write');
		expect(result.sent).toHaveLength(1);
		expect(result.error).toMatchObject({ outcome: 'unknown', code: 'ECONNRESET', message: 'No answer from the provider after the request was sent' });
	});

	it('repeats a reset idempotent request', async () => {
		const result = await send([{ networkCode: 'ECONNRESET' }, { statusCode: 200 }], 'idempotent');
		expect(result.response?.statusCode).toBe(200);
	});

	it('reports an idempotent write whose retries ran out without an answer as unknown, safe to send again as the same request', async () => {
		const reset = await send(Array.from({ length: 5 }, () => ({ networkCode: 'ECONNRESET' })), 'idempotent');
		expect(reset.sent).toHaveLength(5);
		expect(reset.error).toMatchObject({ outcome: 'unknown', retryable: true, message: 'No answer from the provider after the request was sent' });
		expect(reset.error?.hint).toContain('Running the same refund again');

		const failing = await send(Array.from({ length: 5 }, () => ({ statusCode: 502 })), 'idempotent');
		expect(failing.error).toMatchObject({ outcome: 'unknown', retryable: true, httpStatus: 502 });
	});

	it('reports a read whose retries ran out as a plain failure', async () => {
		const result = await send(Array.from({ length: 5 }, () => ({ statusCode: 502 })), 'read');
		expect(result.sent).toHaveLength(5);
		expect(result.error).toMatchObject({ outcome: 'failed', retryable: true, httpStatus: 502 });
	});

	it('gives up after the attempt limit, as a retryable failure', async () => {
		const result = await send(Array.from({ length: 5 }, () => ({ statusCode: 429, headers: { 'retry-after': '0' } })), 'write');
		expect(result.sent).toHaveLength(5);
		expect(result.error).toMatchObject({ retryable: true, outcome: 'failed', httpStatus: 429 });
	});

	it('does not wait longer than the policy allows for a server wait', async () => {
		const result = await send([{ statusCode: 429, headers: { 'retry-after': '3600' } }], 'write');
		expect(result.waits).toEqual([]);
		expect(result.error).toMatchObject({ retryable: true, httpStatus: 429 });
	});

	it('turns a 401 (after n8n re-authenticated) into the provider error', async () => {
		const result = await send([{ status401: true }], 'write');
		expect(result.error).toMatchObject({ httpStatus: 401, message: 'HTTP 401' });
	});

	it('tells an OAuth2 token refused by the token endpoint from a request that may have been sent: not sent, not retried', async () => {
		// As n8n-core throws it: NodeApiError <- OperationalError <- @n8n/client-oauth2's AuthError (code EAUTH).
		const authError = Object.assign(new Error('Client authentication failed'), { code: 'EAUTH', body: { error: 'invalid_client', error_description: 'invalid client credentials' } });
		const thrown = Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('Failed to acquire OAuth2 access token: Client authentication failed'), { cause: authError }) });

		const result = await send([{ thrown }], 'write');

		expect(result.sent).toHaveLength(1);
		expect(result.waits).toEqual([]);
		expect(result.error).toMatchObject({
			message: 'Failed to acquire OAuth2 access token: Client authentication failed (invalid client credentials)',
			code: 'invalid_client',
			outcome: 'failed',
			retryable: false,
			requestSent: false,
		});
	});

	it('says when a network failure happened before the request left', async () => {
		expect((await send(Array.from({ length: 5 }, () => ({ networkCode: 'ECONNREFUSED' })), 'write')).error).toMatchObject({ requestSent: false, outcome: 'failed' });
		expect((await send([{ networkCode: 'ECONNRESET' }], 'write')).error?.requestSent).toBeUndefined();
	});

	it('asks for every status back except 401, and a full response', async () => {
		const result = await send([{ statusCode: 200 }], 'read');
		expect(result.sent[0]).toMatchObject({ returnFullResponse: true, ignoreHttpStatusErrors: { ignore: true, except: [401] }, json: true });
	});
});
