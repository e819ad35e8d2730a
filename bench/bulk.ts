/**
 * npm run bench:bulk — the Bulk Credit Memos node through the engine harness against the sandbox, with
 * 50 ms latency on every response and Zuora's concurrency limit of 40. Prints, per provider: requests sent,
 * wall time, the floor (ceil(requests / concurrency) x latency) and the ratio to it, the per-memo floor
 * (ceil(memos / concurrency) x latency, the target for providers without native batching) and the ratio to it,
 * 429s seen, failed items, peak RSS. "reading items" is the same run in Dry Run (n8n evaluating each item's parameters, validation,
 * planning; no HTTP), which the floor does not count. A benchmark prints figures; it never passes or fails.
 */
import './setup';

import diagnosticsChannel from 'node:diagnostics_channel';
import { cpus, totalmem } from 'node:os';

import { startRemoteSandbox } from './remoteSandbox';
import { runWorkflow } from '../test/harness/runWorkflow';
import { withNodeParameters } from '../test/harness/workflows';
import { BENCH_SCENARIOS } from './scenarios';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

let requests = 0;
let tooManyRequests = 0;
diagnosticsChannel.subscribe('http.client.request.start', () => requests++);
diagnosticsChannel.subscribe('http.client.response.finish', (message) => {
	if ((message as { response: { statusCode: number } }).response.statusCode === 429) tooManyRequests++;
});

interface Figures {
	wallMs: number;
	requests: number;
	tooMany: number;
	succeeded: number;
	failed: number;
	peakRssMb: number;
}

async function main() {
	// Zuora's default concurrency limit (40) is the sandbox's default too.
	const sandbox = await startRemoteSandbox(['--latency', String(LATENCY_MS), '--seed', '1']);
	const only = process.env.BENCH_PROVIDERS?.split(',');
	const lines: string[] = [];
	console.log(`bench:bulk — ${new Date().toISOString()} — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
	console.log(`sandbox (own process) latency ${LATENCY_MS} ms per response, Zuora concurrency limit 40, median of ${RUNS} runs (min–max)\n`);
	try {
		for (const scenario of BENCH_SCENARIOS.filter((entry) => !only || only.includes(entry.provider))) {
			// A Map, so tokens the credential fetches are kept between runs, as n8n keeps them in its database.
			const credentials = new Map(Object.entries(scenario.credentials(sandbox)));
			const workflow = withNodeParameters(scenario.workflow, scenario.node, { options: { concurrency: scenario.concurrency } });
			// Warm-up: the first run fetches OAuth tokens (then cached in the credential, as n8n does) and warms the JIT.
			await runWorkflow(workflow, { input: scenario.inputs('warmup', 2), credentials });
			const runs: Figures[] = [];
			const readings: number[] = [];
			const dryRun = withNodeParameters(workflow, scenario.node, { options: { concurrency: scenario.concurrency, dryRun: true } });
			for (let run = 0; run < RUNS; run++) {
				await sandbox.admin('reset', 'POST', { seed: run + 1 });
				await runWorkflow(workflow, { input: scenario.inputs('prime', 1), credentials });
				runs.push(await measure(() => runWorkflow(workflow, { input: scenario.inputs(`run${run}`, scenario.memos), credentials }), scenario.node));
				// The same items in Dry Run: n8n evaluating every item's parameters, validation and planning, no HTTP.
				readings.push((await measure(() => runWorkflow(dryRun, { input: scenario.inputs(`dry${run}`, scenario.memos), credentials }), scenario.node)).wallMs);
			}
			lines.push(row(scenario.label ?? scenario.provider, scenario.memos, scenario.concurrency, runs, readings));
		}
	} finally {
		await sandbox.stop();
	}
	const header = '| provider | memos | concurrency | requests | wall ms (min–max) | floor ms | ratio | N/C × latency ms | wall / (N/C × latency) | reading items ms | (wall − reading) / floor | 429s | failed | peak RSS MB |';
	console.log([header, header.replace(/[^|]/g, '-'), ...lines].join('\n'));
}

async function measure(run: () => ReturnType<typeof runWorkflow>, node: string): Promise<Figures> {
	const before = { requests, tooMany: tooManyRequests };
	let peakRss = process.memoryUsage().rss;
	const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
	const started = performance.now();
	const result = await run();
	const wallMs = performance.now() - started;
	clearInterval(sampler);
	if (result.error()) throw new Error(`the benchmark run failed: ${result.error()!.message}`);
	return {
		wallMs,
		requests: requests - before.requests,
		tooMany: tooManyRequests - before.tooMany,
		succeeded: result.output(node, 0).length,
		failed: result.output(node, 1).length,
		peakRssMb: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20),
	};
}

function row(provider: string, memos: number, concurrency: number, runs: Figures[], readings: number[]): string {
	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	const wall = runs.map((run) => run.wallMs);
	const sent = median(runs.map((run) => run.requests));
	const floor = Math.ceil(sent / concurrency) * LATENCY_MS;
	const reading = median(readings);
	const sending = median(wall) - reading;
	// The target for providers without native batching: one request per memo, C at a time.
	const perMemoFloor = Math.ceil(memos / concurrency) * LATENCY_MS;
	return `| ${provider} | ${memos} | ${concurrency} | ${sent} | ${Math.round(median(wall))} (${Math.round(Math.min(...wall))}–${Math.round(Math.max(...wall))}) | ${floor} | ${(median(wall) / floor).toFixed(2)} | ${perMemoFloor} | ${(median(wall) / perMemoFloor).toFixed(2)} | ${Math.round(reading)} | ${(sending / floor).toFixed(2)} | ${median(runs.map((run) => run.tooMany))} | ${median(runs.map((run) => run.failed))} | ${median(runs.map((run) => run.peakRssMb))} |`;
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
