// What each example must do when it runs in n8n: its node outputs and what the sandbox ledger holds afterwards.
// Keyed by the example's workflow ID; every example in examples/ needs an entry (the run fails otherwise).
//
// `execute` examples run through `n8n execute` (an optional prepare({ sandbox, execute }) runs first, e.g. another
// example at another sandbox time; check gets { runData, ledger }); `webhook` examples run through
// a started n8n, twice with the sample payload pinned on their Webhook node (check gets { sample, responses,
// executions, ledger }: both HTTP answers and both executions' run data). The sandbox is reset before each.
import assert from 'node:assert/strict';

/** The JSON of every output item of a node, in a run's data (output 0 unless said). */
export function outputOf(runData, nodeName, outputIndex = 0) {
	const runs = runData[nodeName];
	assert.ok(runs?.length, `node "${nodeName}" did not run (ran: ${Object.keys(runData).join(', ')})`);
	assert.equal(runs[0].error, undefined, `node "${nodeName}" failed: ${runs[0].error?.message} ${runs[0].error?.description ?? ''}`);
	return (runs[0].data?.main?.[outputIndex] ?? []).map((item) => item.json);
}

export const EXPECTATIONS = {
	cmExample1Rebill: {
		title: 'Webhook-triggered refund (Rebilly)',
		kind: 'webhook',
		async check({ sample, responses, executions, ledger, rebillyTimeline }) {
			const [first, second] = responses;
			assert.equal(first.status, 200, `first call answered ${first.status}: ${first.text}`);
			assert.deepEqual(first.json, {
				creditMemoId: `cm-${sample.returnId}`,
				status: 'issued',
				totalAmount: 49,
				currency: 'USD',
				refundReference: sample.returnId,
				replayed: false,
			});
			assert.equal(second.status, 200, `second call answered ${second.status}: ${second.text}`);
			assert.equal(second.json.creditMemoId, first.json.creditMemoId, 'the second delivery must return the same memo');
			assert.equal(second.json.replayed, true, 'the second delivery must be a replay');

			const memos = ledger('rebilly');
			assert.equal(memos.length, 1, `the ledger must hold one memo after two deliveries, holds ${memos.length}`);
			assert.equal(memos[0].creditMemoId, first.json.creditMemoId);
			assert.equal(memos[0].totalAmount, 49);
			assert.equal(memos[0].request.headers['reb-apikey'], '[redacted]');

			// Only the new memo got the comment: the replay went through the If's false branch.
			const [run1, run2] = executions;
			assert.deepEqual(outputOf(run1, 'Add Memo Comment').map((item) => item.comment), [`Refund for return ${sample.returnId} approved by ${sample.approvedBy}`]);
			assert.equal(run2['Add Memo Comment'], undefined, 'a replayed delivery must not comment again');
			assert.equal(outputOf(run2, 'New Memo?', 1).length, 1, 'the replay must leave the If on its false output');
			const comments = (await rebillyTimeline(first.json.creditMemoId)).filter((entry) => entry.message?.startsWith('Refund for return'));
			assert.equal(comments.length, 1, `the memo's timeline must hold one comment, holds ${comments.length}`);
		},
	},
	cmExample5MageRs: {
		title: 'Magento REST: refund by order number, offline',
		kind: 'execute',
		async check({ runData, ledger }) {
			const [memo] = outputOf(runData, 'Create Credit Memo');
			assert.equal(outputOf(runData, 'Create Credit Memo').length, 1);
			assert.equal(memo.provider, 'magentoRest');
			assert.equal(memo.refundType, 'offline');
			assert.equal(memo.totalAmount, 59.9, '1 × PRODUCT-010 at 59.90, no shipping');
			assert.equal(memo.currency, 'BRL');
			assert.equal(memo.refundReference, 'RMA-5001');
			assert.ok(memo.creditMemoId, 'the memo has an ID');
			assert.ok(!JSON.stringify(memo).includes('magento-rest-secret'), 'no secret in the output');

			const memos = ledger('magentoRest');
			assert.equal(memos.length, 1, `the ledger must hold one memo, holds ${memos.length}`);
			assert.equal(memos[0].source, 'order 100000123');
			assert.equal(memos[0].totalAmount, 59.9);
			assert.equal(memos[0].reference, 'Return RMA-5001: Wrong size [ref:RMA-5001]');
			const body = JSON.parse(memos[0].request.body);
			assert.equal(body.order_increment_id, '100000123');
			assert.deepEqual(body.items, [{ order_item_id: 10, qty: 1 }]);
			assert.equal(body.refund_type, 'offline');
			assert.equal(body.shipping_amount, 0);
		},
	},
	cmExample4Salesf: {
		title: 'Salesforce: return to refund (change order, Ensure Refunds)',
		kind: 'execute',
		async check({ runData, ledger }) {
			const memos = outputOf(runData, 'Create Credit Memo');
			assert.equal(memos.length, 1);
			const [memo] = memos;
			assert.equal(memo.provider, 'salesforce');
			assert.match(memo.creditMemoId, /^50g[A-Za-z0-9]{15}$/);
			assert.equal(memo.totalAmount, 142.28, 'one pair of shoes with its share of delivery, tax included');
			assert.equal(memo.currency, 'USD');
			assert.equal(memo.refundReference, 'RMA-4001');
			assert.equal(memo.replayed, false);
			assert.equal(memo.ensureRefunds?.started, true, `Ensure Refunds must have started: ${JSON.stringify(memo.ensureRefunds)}`);
			assert.match(String(memo.ensureRefunds.backgroundOperationId), /^0Bo/);
			assert.ok(!JSON.stringify(memo).includes('sf-sandbox-secret'), 'no secret in the output');

			const entries = ledger('salesforce');
			assert.equal(entries.length, 1, `the ledger must hold one memo, holds ${entries.length}`);
			assert.equal(entries[0].creditMemoId, memo.creditMemoId);
			assert.equal(entries[0].totalAmount, 142.28);
		},
	},
	cmExample3MageSp: {
		title: 'Magento 1 SOAP: items and shipping, customer notified',
		kind: 'execute',
		async check({ runData, ledger }) {
			const memos = outputOf(runData, 'Create Credit Memo');
			assert.equal(memos.length, 1);
			const [memo] = memos;
			assert.equal(memo.provider, 'magentoSoap');
			assert.match(memo.creditMemoId, /^\d{9}$/);
			assert.equal(memo.totalAmount, 50, 'a tee (25.00), a tote (15.00) and the shipping (10.00)');
			assert.equal(memo.currency, 'USD');
			assert.equal(memo.refundReference, 'RET-3001');
			assert.equal(memo.replayed, false);
			assert.ok(!JSON.stringify(memo).includes('magento-soap-key'), 'no secret in the output');

			const comments = outputOf(runData, 'Add Memo Comment');
			assert.equal(comments.length, 1);
			assert.equal(comments[0].creditMemoId, memo.creditMemoId);
			assert.equal(comments[0].target, 'creditMemo');
			assert.match(comments[0].comment, /^Your refund for the Classic Tee/);

			const entries = ledger('magentoSoap');
			assert.equal(entries.length, 1, `the ledger must hold one memo, holds ${entries.length}`);
			assert.equal(entries[0].creditMemoId, memo.creditMemoId);
			assert.equal(entries[0].source, '100000683');
			assert.equal(entries[0].totalAmount, 50);
			assert.match(entries[0].reference, /^Return RET-3001 received in full\n\[ref:RET-3001 #[0-9a-f]{8}\]$/);
		},
	},
	cmExample2ZuoraB: {
		title: 'Scheduled refund run (Zuora, Bulk Credit Memos)',
		kind: 'execute',
		async check({ runData, ledger }) {
			const succeeded = outputOf(runData, 'Bulk Credit Memos', 0);
			const failed = outputOf(runData, 'Bulk Credit Memos', 1);
			assert.deepEqual(
				succeeded.map((memo) => [memo.refundReference, memo.totalAmount, memo.currency, memo.replayed]),
				[
					['RET-2001', 100, 'USD', false],
					['RET-2002', 20, 'USD', false],
					['RET-2003', 100, 'USD', false],
					['RET-2004', 300, 'USD', false],
				],
			);
			assert.ok(succeeded.every((memo) => memo.provider === 'zuora' && /^[0-9a-f]{32}$/.test(memo.creditMemoId)), 'Zuora memo IDs');
			assert.ok(!JSON.stringify(succeeded).includes('zuora-sandbox-secret'), 'no secret in the output');
			assert.equal(failed.length, 1, `one refund must fail, ${failed.length} did`);
			assert.equal(failed[0].returnId, 'RET-2005', 'the failed item is the input refund, with its fields');
			assert.equal(failed[0].error.code, '50000040');
			assert.match(failed[0].error.message, /Cannot find a InvoiceItem/);
			assert.equal(failed[0].error.outcome, 'failed');

			assert.deepEqual(outputOf(runData, 'Refunded'), [{ count_creditMemoId: 4, sum_totalAmount: 520 }]);
			assert.deepEqual(outputOf(runData, 'Not Refunded'), [{ count_returnId: 1, concatenated_returnId: 'RET-2005' }]);

			const entries = ledger('zuora');
			assert.equal(entries.length, 4, `the ledger must hold four memos, holds ${entries.length}`);
			assert.ok(entries.every((entry) => entry.operation === 'bulkCreate'), 'created through the bulk endpoint');
			assert.equal(new Set(entries.map((entry) => entry.requestId)).size, 1, 'the four memos were created by one bulk request');
			assert.deepEqual(entries.map((entry) => entry.reference.replace(/ #[0-9a-f]{8}\]$/, ']')), [1, 2, 3, 4].map((n) => `Return RET-200${n} [ref:RET-200${n}]`));
		},
	},
	cmExample6Reconc: {
		title: 'Daily reconciliation (Zuora, Credit Memo list)',
		kind: 'execute',
		// Yesterday's refund run is example 2, executed with the sandbox clock a day back (at noon UTC, the zone
		// of the sandbox tenant and of n8n here); then the clock is back to now and this example lists yesterday.
		async prepare({ sandbox, execute }) {
			const yesterdayNoon = new Date();
			yesterdayNoon.setUTCDate(yesterdayNoon.getUTCDate() - 1);
			yesterdayNoon.setUTCHours(12, 0, 0, 0);
			sandbox.clock.set(yesterdayNoon);
			const runData = await execute('cmExample2ZuoraB');
			sandbox.clock.reset();
			assert.equal(outputOf(runData, 'Bulk Credit Memos', 0).length, 4, "yesterday's run (example 2) created four memos");
		},
		async check({ runData, ledger }) {
			const memos = outputOf(runData, "Yesterday's Memos");
			assert.deepEqual(memos.map((memo) => memo.refundReference).sort(), ['RET-2001', 'RET-2002', 'RET-2003', 'RET-2004']);
			const today = new Date().toISOString().slice(0, 10);
			assert.ok(memos.every((memo) => memo.provider === 'zuora' && memo.createdAt < today), `every listed memo was created yesterday: ${memos.map((memo) => memo.createdAt).join(', ')}`);

			assert.deepEqual(outputOf(runData, 'Matched'), [{ count_refundReference: 2 }], 'RET-2001 and RET-2003 match');
			assert.deepEqual(outputOf(runData, 'Amount Differs'), [
				{ issue: "The memo's amount differs from the approved refund", refundReference: 'RET-2002', approvedAmount: 25, memoAmount: 20 },
			]);
			assert.deepEqual(outputOf(runData, 'No Memo for Refund'), [
				{ issue: 'No credit memo for an approved refund', refundReference: 'RET-2005', approvedAmount: 15 },
			]);
			const [extra] = outputOf(runData, 'Memo Without Refund');
			assert.equal(outputOf(runData, 'Memo Without Refund').length, 1);
			assert.equal(extra.refundReference, 'RET-2004');
			assert.equal(extra.memoAmount, 300);
			assert.ok(extra.creditMemoNumber, 'the report names the memo number');
			assert.equal(ledger('zuora').length, 4, 'listing created nothing');
		},
	},
};
