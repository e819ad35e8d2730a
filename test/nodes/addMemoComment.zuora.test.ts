import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import workflowJson from '../workflows/comment-zuora.workflow.json';
import type { WorkflowJson } from '../harness/runWorkflow';
import { runWorkflow } from '../harness/runWorkflow';
import { withNodeParameters, withNodeSettings } from '../harness/workflows';

const ZUORA = 'https://rest.test.zuora.com';
const NODE = 'Add Memo Comment';
const MEMO = '8a90e4a792d82d8c0192dbda90671d66';
const MARKER = '[ref:RET-1 #a1b2c3d4]';
const workflow = workflowJson as unknown as WorkflowJson;
const credentials = { zuoraOAuth2Api: { environment: 'usDeveloperSandbox', clientId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', clientSecret: 'secret', entityIds: 'entity-1' } };

function memo(comment: string | null) {
	return { id: MEMO, number: 'CM00000618', status: 'Posted', amount: 10, comment, success: true };
}

/** Zuora with one memo whose comment is `comment`; records every PUT body. */
function zuora(comment: string | null) {
	const puts: IDataObject[] = [];
	const headers: Array<Record<string, unknown>> = [];
	const scope = nock(ZUORA)
		.post('/oauth/token')
		.reply(200, { access_token: 'token-1', expires_in: 3599, token_type: 'bearer' })
		.get(`/v1/credit-memos/${MEMO}`)
		.reply(function () {
			headers.push(this.req.headers);
			return [200, memo(comment)];
		});
	const put = () =>
		scope.put(`/v1/credit-memos/${MEMO}`).reply(function (_uri, body) {
			headers.push(this.req.headers);
			puts.push(body as IDataObject);
			return [200, memo((body as IDataObject).comment as string)];
		});
	return { scope, puts, headers, put };
}

beforeEach(() => {
	nock.cleanAll();
	nock.disableNetConnect();
});

describe('Add Memo Comment, Zuora (engine + nock)', () => {
	it('appends the note after the existing comment, keeping the refund marker last', async () => {
		const api = zuora(`Return RET-1 ${MARKER}`);
		api.put();

		const result = await runWorkflow(workflow, { input: [{ creditMemoId: MEMO, note: 'Refund approved' }], credentials });

		expect(result.error()).toBeUndefined();
		expect(api.scope.isDone()).toBe(true);
		expect(api.puts).toEqual([{ comment: `Return RET-1 | Refund approved ${MARKER}` }]);
		for (const sent of api.headers) expect(sent).toMatchObject({ authorization: 'Bearer token-1', 'zuora-version': '2025-08-12', 'zuora-entity-ids': 'entity-1' });
		expect(api.headers[1]['idempotency-key']).toBeUndefined();
		expect(result.output(NODE)).toEqual([
			{
				json: {
					provider: 'zuora',
					creditMemoId: MEMO,
					comment: `Return RET-1 | Refund approved ${MARKER}`,
					target: 'creditMemo',
					raw: memo(`Return RET-1 | Refund approved ${MARKER}`),
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('does not append the same note twice when the workflow runs again', async () => {
		const api = zuora(`Return RET-1 | Refund approved ${MARKER}`);
		api.put();

		await runWorkflow(workflow, { input: [{ creditMemoId: MEMO, note: 'Refund approved' }], credentials });

		expect(api.puts).toEqual([{ comment: `Return RET-1 | Refund approved ${MARKER}` }]);
	});

	it('refuses an append that would pass 255 characters, changing nothing', async () => {
		const api = zuora(`${'x'.repeat(200)} ${MARKER}`);

		const result = await runWorkflow(workflow, { input: [{ creditMemoId: MEMO, note: 'Refund approved by the finance team' }], credentials });

		expect(result.error()?.message).toBe('The memo comment would have 260 characters after this append, Zuora keeps 255; nothing was changed');
		expect(result.error()?.context).toMatchObject({ itemIndex: 0 });
		expect(api.puts).toEqual([]);
	});

	it('appends up to exactly 255 characters', async () => {
		const api = zuora(`${'x'.repeat(195)} ${MARKER}`);
		api.put();

		const result = await runWorkflow(workflow, { input: [{ creditMemoId: MEMO, note: 'Refund approved by the finance team' }], credentials });

		expect(result.error()).toBeUndefined();
		expect([...String(api.puts[0].comment)]).toHaveLength(255);
	});

	it('replaces the comment and keeps the refund marker', async () => {
		const api = zuora(`Return RET-1 | old note ${MARKER}`);
		api.put();
		const replace = withNodeParameters(workflow, NODE, { commentMode: 'replace' });

		await runWorkflow(replace, { input: [{ creditMemoId: MEMO, note: 'Refund approved' }], credentials });

		expect(api.puts).toEqual([{ comment: `Refund approved ${MARKER}` }]);
	});

	it('writes the note as the comment of a memo that has none', async () => {
		const api = zuora(null);
		api.put();

		await runWorkflow(workflow, { input: [{ creditMemoId: MEMO, note: 'Refund approved' }], credentials });

		expect(api.puts).toEqual([{ comment: 'Refund approved' }]);
	});

	it.each([
		['HTTP 200 with success: false', 200, { success: false, processId: 'P9', reasons: [{ code: 50000040, message: `Cannot find a CreditMemo instance with id ${MEMO}.` }] }],
		['HTTP 404', 404, { success: false, reasons: [{ code: '50000040', message: `Cannot find a CreditMemo instance with id ${MEMO}.` }] }],
	])('reports an unknown memo (%s) as a not-found node error, sending no update', async (_name, status, body) => {
		nock(ZUORA).post('/oauth/token').reply(200, { access_token: 't', expires_in: 3599, token_type: 'bearer' }).get(`/v1/credit-memos/${MEMO}`).reply(status, body);

		const result = await runWorkflow(workflow, { input: [{ creditMemoId: MEMO, note: 'Refund approved' }], credentials });

		expect(result.error()?.message).toBe(`Zuora: Cannot find a CreditMemo instance with id ${MEMO}.`);
		expect(result.error()?.context).toMatchObject({ provider: 'zuora', code: '50000040', httpStatus: status, itemIndex: 0 });
		expect(result.error()?.description).toContain('Check the IDs');
	});

	it('under Continue On Fail reports the failing memo and still comments on the next', async () => {
		nock(ZUORA)
			.post('/oauth/token')
			.reply(200, { access_token: 't', expires_in: 3599, token_type: 'bearer' })
			.get('/v1/credit-memos/CM-missing')
			.reply(200, { success: false, reasons: [{ code: 50000040, message: 'Cannot find a CreditMemo instance with id CM-missing.' }] })
			.get(`/v1/credit-memos/${MEMO}`)
			.reply(200, memo(null))
			.put(`/v1/credit-memos/${MEMO}`)
			.reply(200, (_uri, body) => memo((body as IDataObject).comment as string));

		const result = await runWorkflow(withNodeSettings(workflow, NODE, { onError: 'continueRegularOutput' }), {
			input: [
				{ creditMemoId: 'CM-missing', note: 'a' },
				{ creditMemoId: MEMO, note: 'b' },
			],
			credentials,
		});

		const output = result.output(NODE);
		expect(output[0]).toMatchObject({ json: { error: 'Zuora: Cannot find a CreditMemo instance with id CM-missing.', details: { code: '50000040' } }, pairedItem: { item: 0 } });
		expect(output[1]).toMatchObject({ json: { creditMemoId: MEMO, comment: 'b' }, pairedItem: { item: 1 } });
	});

	it('Dry Run reads the memo and shows the update it would send, sending none', async () => {
		const api = zuora(`Return RET-1 ${MARKER}`);
		const dryRun = withNodeParameters(workflow, NODE, { options: { dryRun: true } });

		const result = await runWorkflow(dryRun, { input: [{ creditMemoId: MEMO, note: 'Refund approved' }], credentials });

		expect(api.scope.isDone()).toBe(true);
		expect(api.puts).toEqual([]);
		expect(result.output(NODE)[0].json).toEqual({
			provider: 'zuora',
			dryRun: true,
			request: {
				method: 'PUT',
				url: `${ZUORA}/v1/credit-memos/${MEMO}`,
				headers: { 'Content-Type': 'application/json', 'Zuora-Version': '2025-08-12', 'Zuora-Entity-Ids': 'entity-1', Authorization: '[redacted: added by the credential]' },
				body: { comment: `Return RET-1 | Refund approved ${MARKER}` },
			},
			totalAmount: null,
			currency: null,
		});
	});

	it('rejects a note longer than Zuora keeps before reading anything', async () => {
		const result = await runWorkflow(workflow, { input: [{ creditMemoId: MEMO, note: 'n'.repeat(256) }], credentials });

		expect(result.error()?.message).toBe('Comment is longer than 255 characters (256)');
	});
});
