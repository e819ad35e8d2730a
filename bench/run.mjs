// `npm run bench`: our nodes against n8n's HTTP Request node, in the same real n8n 2.41.1, side by side.
//
// Builds and packs the package, installs it into a fresh n8n user folder (.bench/user, git-ignored), starts the
// provider sandbox in its own process (latency 50 ms on every response, Zuora's concurrency limit 40) and
// `n8n start` on it, imports the workflows of bench/workflows/ (each starts at a webhook that takes
// { items, run }) and runs every scenario a few times. Per run: n8n is restarted, the sandbox is reset (ledger, tokens), a
// one-item priming run fetches tokens and warms the JIT, the request counts are cleared, then the measured run
// creates `items` memos whose references carry a tag no other run uses (so no Zuora idempotency replay is
// measured). Time is the execution's own startedAt → stoppedAt from n8n's execution data (not process or HTTP
// time); requests, 429s and duplicates come from the sandbox; failed items = items without a memo in the ledger;
// peak RSS is the n8n process's VmRSS sampled every 10 ms during the run.
//
//   npm run bench                      every scenario, 3 runs each (scale: 2), writes bench/results.md
//   npm run bench -- --quick           1 run each, smaller scale run; writes .bench/results.md
//   npm run bench -- --only zuora,scale   scenarios: zuora, rebilly-soap, overhead, scale; writes .bench/results.md
//   npm run bench -- --runs 5
//
// A benchmark prints figures; it never passes or fails. Plain Node (see scripts/lib/common.mjs for why).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';

import { HttpClient, ROOT, formatError, freePort } from '../scripts/lib/common.mjs';
import { sandboxCredentials } from '../scripts/lib/credentials.mjs';
import { N8N_DIR, N8N_VERSION, ensureN8n } from '../scripts/lib/n8n-install.mjs';
import { activateWorkflow, ensureWorkflows, importCredentials, n8nEnv, ownerSession, startN8n, waitForExecution, waitForWebhook } from '../scripts/lib/n8n.mjs';
import { PACKAGE, buildAndPack, installIntoUserFolder } from '../scripts/lib/package.mjs';
import { loadSandboxLibrary } from '../scripts/lib/sandbox.mjs';
import { parseExecution } from '../scripts/e2e/executions.mjs';

const BENCH_DIR = path.join(ROOT, '.bench');
const USER_FOLDER = path.join(BENCH_DIR, 'user');
const LOG_FILE = path.join(BENCH_DIR, 'n8n.log');
const WORKFLOWS_DIR = path.join(ROOT, 'bench', 'workflows');
/** The URL the workflow files are written for (`npm run sandbox`'s default); replaced by the bench sandbox's. */
const WORKFLOW_SANDBOX_URL = 'http://127.0.0.1:4010';
const ZUORA_LIMIT = 40;
/** The Bulk node's default Concurrency option (nodes/shared/bulk.ts DEFAULT_CONCURRENCY). */
const BULK_DEFAULT_CONCURRENCY = 5;

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => {
	const index = argv.indexOf(`--${name}`);
	return index >= 0 ? argv[index + 1] : undefined;
};
const QUICK = flag('quick');
const RUNS = Number(option('runs') ?? (QUICK ? 1 : 3));
const ONLY = option('only')?.split(',');
/** n8n's expression engine: its default (`vm`, isolated-vm) unless given, e.g. `--expression-engine legacy` to see its share. */
const EXPRESSION_ENGINE = option('expression-engine');

/**
 * A row: one workflow. `concurrency` is what the workflow's requests can have in flight (the node's setting,
 * capped by the provider's limit; Infinity for the HTTP Request node without batching, which starts every
 * item's request at once).
 */
const SCENARIOS = [
	{
		id: 'zuora',
		title: 'Zuora, 1000 memos (latency 50 ms, concurrency limit 40)',
		provider: 'zuora',
		items: 1000,
		latencyMs: 50,
		rows: [
			{ label: 'ours: Bulk Credit Memos (default options, concurrency 5)', workflow: 'zuora-bulk', node: 'Bulk Credit Memos', concurrency: BULK_DEFAULT_CONCURRENCY },
			{ label: 'ours: Bulk Credit Memos, Fields: Map Automatically (concurrency 5)', workflow: 'zuora-bulk-automap', node: 'Bulk Credit Memos', concurrency: BULK_DEFAULT_CONCURRENCY },
			{ label: 'HTTP Request per memo, default settings', workflow: 'zuora-http', node: 'Create Credit Memo (HTTP Request)', concurrency: ZUORA_LIMIT },
			{ label: 'HTTP Request per memo, batching 40 / 100 ms', workflow: 'zuora-http-batched', node: 'Create Credit Memo (HTTP Request)', concurrency: ZUORA_LIMIT },
		],
	},
	{
		id: 'rebilly-soap',
		title: 'Rebilly and Magento SOAP, 200 memos (latency 50 ms)',
		items: 200,
		latencyMs: 50,
		rows: [
			{ label: 'Rebilly, ours: Bulk Credit Memos (default options)', provider: 'rebilly', workflow: 'rebilly-bulk', node: 'Bulk Credit Memos', concurrency: BULK_DEFAULT_CONCURRENCY },
			{ label: 'Rebilly, HTTP Request per memo', provider: 'rebilly', workflow: 'rebilly-http', node: 'Create Credit Memo (HTTP Request)', concurrency: Infinity },
			{ label: 'Magento SOAP V1, ours: Bulk (multiCall)', provider: 'magentoSoap', workflow: 'soap-bulk-v1', node: 'Bulk Credit Memos', concurrency: BULK_DEFAULT_CONCURRENCY },
			{ label: 'Magento SOAP V2, ours: Bulk (one create per memo)', provider: 'magentoSoap', workflow: 'soap-bulk-v2', node: 'Bulk Credit Memos', concurrency: BULK_DEFAULT_CONCURRENCY },
			{ label: 'Magento SOAP V2, HTTP Request per memo (envelope by hand)', provider: 'magentoSoap', workflow: 'soap-http', node: 'Create Credit Memo (HTTP Request)', concurrency: Infinity },
		],
	},
	{
		id: 'overhead',
		title: 'Overhead: Zuora, 2000 memos one request each, latency 0 ms',
		provider: 'zuora',
		items: 2000,
		latencyMs: 0,
		perItem: true,
		rows: [
			{ label: 'ours: Create Credit Memo', workflow: 'zuora-create', node: 'Create Credit Memo', concurrency: 1 },
			{ label: 'ours: Create Credit Memo, Fields: Map Automatically', workflow: 'zuora-create-automap', node: 'Create Credit Memo', concurrency: 1 },
			{ label: 'HTTP Request per memo, default settings', workflow: 'zuora-http', node: 'Create Credit Memo (HTTP Request)', concurrency: ZUORA_LIMIT },
		],
	},
	{
		id: 'scale',
		title: `Scale: Zuora, ${QUICK ? 5000 : 10000} memos through Bulk Credit Memos (latency 50 ms)`,
		provider: 'zuora',
		items: QUICK ? 5000 : 10000,
		latencyMs: 50,
		runs: Math.min(RUNS, 2),
		rows: [
			// What n8n itself holds for these items (built, split, passed through a node that does nothing).
			{ label: 'baseline: the items alone (No Operation node)', workflow: 'items-only', node: 'No Operation', concurrency: 1, baseline: true },
			{ label: 'ours: Bulk Credit Memos (default options)', workflow: 'zuora-bulk', node: 'Bulk Credit Memos', concurrency: BULK_DEFAULT_CONCURRENCY },
			{ label: 'ours: Bulk Credit Memos, Fields: Map Automatically', workflow: 'zuora-bulk-automap', node: 'Bulk Credit Memos', concurrency: BULK_DEFAULT_CONCURRENCY },
		],
	},
].filter((scenario) => !ONLY || ONLY.includes(scenario.id));

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const spread = (values, digits = 0) => {
	const f = (value) => value.toFixed(digits);
	return values.length > 1 ? `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})` : f(values[0]);
};

/** VmRSS of a process in MiB, sampled until stopped; the peak and the value at the start. */
function rssSampler(pid) {
	const read = () => {
		const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) / 1024 : NaN;
	};
	const start = read();
	let peak = start;
	const timer = setInterval(() => {
		try {
			peak = Math.max(peak, read());
		} catch {
			// the process ended; the run will say so
		}
	}, 10);
	return {
		start,
		stop() {
			clearInterval(timer);
			return { startMb: start, peakMb: Math.max(peak, read()) };
		},
	};
}

async function main() {
	const started = Date.now();
	rmSync(USER_FOLDER, { recursive: true, force: true });
	mkdirSync(BENCH_DIR, { recursive: true });
	rmSync(LOG_FILE, { force: true });
	await ensureN8n();
	const tarball = await buildAndPack({ outDir: path.join(BENCH_DIR, 'pack') });
	await installIntoUserFolder({ tarball, userFolder: USER_FOLDER, n8nDir: N8N_DIR });

	const { startRemoteSandbox } = await tsImport('./remoteSandbox.ts', import.meta.url);
	const { demo } = await loadSandboxLibrary();
	const sandbox = await startRemoteSandbox(['--latency', '50', '--seed', '1']);
	let n8n;
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, async () => {
			console.error(`\nInterrupted (${signal}): stopping n8n and the sandbox`);
			await n8n?.stop();
			await sandbox.stop();
			process.exit(130);
		});
	}
	try {
		const credentials = [
			...sandboxCredentials({ sandbox, demo, credentialTypes: ['zuoraOAuth2Api', 'rebillyApi', 'magentoSoapApi'] }),
			// What a user of the HTTP Request node sets up: n8n's generic OAuth2 (client credentials) and a header.
			{
				id: 'cmBenchZuoraOAu2',
				name: 'Zuora OAuth2 client credentials (sandbox)',
				type: 'oAuth2Api',
				data: { grantType: 'clientCredentials', accessTokenUrl: `${sandbox.providerUrl('zuora')}/oauth/token`, clientId: demo.ZUORA_DEMO.clientId, clientSecret: demo.ZUORA_DEMO.clientSecret, scope: '', authentication: 'body' },
			},
			{ id: 'cmBenchRebilHead', name: 'Rebilly REB-APIKEY (sandbox)', type: 'httpHeaderAuth', data: { name: 'REB-APIKEY', value: demo.REBILLY_DEMO.apiKey } },
		];
		const soapV2 = credentials.find((credential) => credential.type === 'magentoSoapApi');
		credentials.push({ ...soapV2, id: 'cmBenchSoapV1Sbx', name: 'Magento SOAP V1 (sandbox)', data: { ...soapV2.data, apiStyle: 'v1' } });

		const port = await freePort();
		const env = n8nEnv({ userFolder: USER_FOLDER, port, brokerPort: await freePort(), extra: EXPRESSION_ENGINE ? { N8N_EXPRESSION_ENGINE: EXPRESSION_ENGINE } : {} });
		await importCredentials(credentials, { env, userFolder: USER_FOLDER, logFile: LOG_FILE });
		// A fresh n8n process for every measured run: runs stay independent, and the RSS figures are not hidden by
		// a heap an earlier run already grew (V8 keeps memory it took).
		const startInstance = async (quiet) => {
			await n8n?.stop();
			n8n = await startN8n({ env, port, logFile: LOG_FILE, log: quiet ? () => {} : console.log });
			return (await ownerSession(n8n.url)).client;
		};
		let client = await startInstance(false);
		const workflows = readdirSync(WORKFLOWS_DIR)
			.filter((file) => file.endsWith('.json'))
			.map((file) => ({ file: file.replace(/\.json$/, ''), ...JSON.parse(readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8').replaceAll(WORKFLOW_SANDBOX_URL, sandbox.url)) }));
		await ensureWorkflows(client, workflows, path.join(BENCH_DIR, 'workflows-state.json'));
		for (const workflow of workflows) {
			await activateWorkflow(client, workflow.id);
			await waitForWebhook(n8n.url, `bench-${workflow.file}`);
		}
		const byFile = Object.fromEntries(workflows.map((workflow) => [workflow.file, workflow]));

		const machine = `${cpus()[0]?.model ?? 'cpu'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform}; load average at the start ${loadavg()[0].toFixed(2)} (other work on the machine competes with n8n for the CPU)`;
		const nodesBase = JSON.parse(readFileSync(path.join(N8N_DIR, 'node_modules', 'n8n-nodes-base', 'package.json'), 'utf8')).version;
		const header = [
			`Date: ${new Date().toISOString()}`,
			`Machine: ${machine}`,
			`Versions: Node ${process.version}, n8n ${N8N_VERSION} (n8n-nodes-base ${nodesBase}, HTTP Request node v4.2), ${PACKAGE.name} ${PACKAGE.version}`,
			`Settings: sandbox in its own process, latency per scenario (fixed, no jitter), Zuora concurrency limit ${ZUORA_LIMIT}; n8n ${N8N_VERSION} started (\`n8n start\`, regular mode, SQLite, expression engine ${EXPRESSION_ENGINE ?? 'vm (the default)'}), workflows started by their webhook; runs per figure: ${RUNS} (scale: ${Math.min(RUNS, 2)}), figures are median (min–max)`,
		];
		console.log(`\n${header.join('\n')}\n`);

		let lastExecutionId = 0;
		const execute = async (workflow, items, run, timeoutMs) => {
			await new HttpClient(n8n.url).post(`/webhook/bench-${workflow.file}`, { items, run });
			const execution = await waitForExecution(client, workflow.id, { afterId: lastExecutionId, timeoutMs });
			lastExecutionId = Number(execution.id);
			return execution;
		};

		const sections = [];
		const figures = {};
		for (const scenario of SCENARIOS) {
			console.log(`▶ ${scenario.title}`);
			const lines = [];
			for (const row of scenario.rows) {
				const workflow = byFile[row.workflow];
				const provider = row.provider ?? scenario.provider;
				const runs = [];
				for (let run = 0; run < (scenario.runs ?? RUNS); run++) {
					const tag = `b${Date.now().toString(36)}${scenario.id.slice(0, 2)}${run}`;
					client = await startInstance(true);
					await waitForWebhook(n8n.url, `bench-${workflow.file}`);
					await sandbox.admin('reset', 'POST', { seed: 1 });
					await sandbox.admin('latency', 'PUT', { provider: '*', fixedMs: scenario.latencyMs, jitterMs: 0 });
					// Priming: tokens and sessions (the reset dropped them), JIT; not measured.
					await execute(workflow, 1, `${tag}p`, 120_000);
					await sandbox.admin('requests', 'DELETE');
					const rss = rssSampler(n8n.child.pid);
					const execution = await execute(workflow, scenario.items, tag, 900_000);
					const { startMb, peakMb } = rss.stop();
					const data = parseExecution(execution);
					const nodeRun = data.resultData.runData[row.node]?.[0];
					const counts = (await sandbox.admin(`requests?provider=${provider}`)).counts;
					const ledger = await sandbox.admin(`ledger/summary?provider=${provider}&contains=${tag}-`);
					const requests = counts.reduce((sum, entry) => sum + entry.count, 0);
					const setup = counts.filter((entry) => ['token', 'login'].includes(entry.operation)).reduce((sum, entry) => sum + entry.count, 0);
					const figure = {
						wallMs: new Date(execution.stoppedAt).getTime() - new Date(execution.startedAt).getTime(),
						nodeMs: nodeRun?.executionTime ?? NaN,
						requests,
						setup,
						tooMany: counts.filter((entry) => entry.outcome === 429).reduce((sum, entry) => sum + entry.count, 0),
						failed: scenario.items - ledger.references,
						duplicates: ledger.duplicates,
						status: execution.status,
						error: data.resultData.error?.message,
						startMb,
						peakMb,
						breakdown: counts.map((entry) => `${entry.operation} ${entry.outcome}: ${entry.count}`).join(', '),
					};
					runs.push(figure);
					console.log(
						`  ${row.label}, run ${run + 1}: ${figure.wallMs} ms (node ${figure.nodeMs} ms), ${requests} requests [${figure.breakdown}], ${figure.failed} failed, ${figure.duplicates} duplicates, status ${figure.status}${figure.error ? ` (${figure.error})` : ''}, RSS ${startMb.toFixed(0)} → peak ${peakMb.toFixed(0)} MB`,
					);
				}
				const sent = median(runs.map((run) => run.requests));
				const setupRounds = median(runs.map((run) => run.setup)) > 0 ? 1 : 0;
				const creates = sent - median(runs.map((run) => run.setup));
				const rounds = creates ? Math.ceil(creates / Math.min(row.concurrency, creates)) + setupRounds : 0;
				const floor = rounds * scenario.latencyMs;
				const wall = runs.map((run) => run.wallMs);
				const result = {
					label: row.label,
					items: scenario.items,
					requests: sent,
					wallMs: median(wall),
					floorMs: floor,
					tooMany: median(runs.map((run) => run.tooMany)),
					failed: median(runs.map((run) => run.failed)),
					duplicates: median(runs.map((run) => run.duplicates)),
					perItemMs: median(runs.map((run) => run.nodeMs / scenario.items)),
					peakMb: median(runs.map((run) => run.peakMb)),
					growthMb: median(runs.map((run) => run.peakMb - run.startMb)),
					statuses: [...new Set(runs.map((run) => run.status))].join('/'),
				};
				figures[`${scenario.id}:${row.workflow}`] = result;
				const cells = [
					row.label,
					String(sent),
					spread(wall),
					spread(runs.map((run) => run.nodeMs)),
					floor ? `${floor}` : '0',
					floor ? (median(wall) / floor).toFixed(1) : '–',
					scenario.perItem ? spread(runs.map((run) => run.nodeMs / scenario.items), 2) : '',
					spread(runs.map((run) => run.tooMany)),
					row.baseline ? '–' : spread(runs.map((run) => run.failed)),
					row.baseline ? '–' : spread(runs.map((run) => run.duplicates)),
					result.statuses,
					spread(runs.map((run) => run.peakMb)),
					spread(runs.map((run) => run.peakMb - run.startMb)),
				];
				lines.push(`| ${cells.join(' | ')} |`);
			}
			const tableHeader = '| workflow | requests | wall ms | node ms | floor ms | wall / floor | node ms per item | 429s | failed items | duplicates | execution | peak RSS MB | RSS growth MB |';
			const table = [tableHeader, tableHeader.replace(/[^|]/g, '-'), ...lines].join('\n');
			console.log(`\n${table}\n`);
			sections.push(`### ${scenario.title}\n\n${table}\n`);
		}

		const targets = targetLines(figures);
		header.push(`Load average (1 min) at the end: ${loadavg()[0].toFixed(2)}`);
		console.log(targets.join('\n'));
		const full = !QUICK && !ONLY && !EXPRESSION_ENGINE;
		const file = full ? path.join(ROOT, 'bench', 'results.md') : path.join(BENCH_DIR, 'results.md');
		writeResults(file, header, sections, targets, Date.now() - started);
		console.log(`\nResults written to ${path.relative(ROOT, file)}${full ? '' : ' (a partial or quick run does not replace bench/results.md)'}; npm run bench took ${Math.round((Date.now() - started) / 1000)} s`);
	} finally {
		await n8n?.stop();
		await sandbox.stop();
	}
}

/** The issue's targets, met or missed, from the figures of this run: for each way of mapping the fields. */
function targetLines(figures) {
	const lines = ['Targets:'];
	const say = (met, text) => lines.push(`- ${met ? 'met' : 'MISSED'}: ${text}`);
	const tuned = figures['zuora:zuora-http-batched'];
	const http = figures['overhead:zuora-http'];
	const baseline = figures['scale:items-only'];
	for (const [fields, suffix] of [
		['an expression per field', ''],
		['Fields: Map Automatically', '-automap'],
	]) {
		const bulk = figures[`zuora:zuora-bulk${suffix}`];
		if (bulk) {
			say(bulk.requests === 20, `${fields}: Zuora 1000 memos in 20 requests (measured ${bulk.requests})`);
			say(bulk.wallMs <= 1.5 * bulk.floorMs, `${fields}: within 1.5× the floor (${bulk.wallMs} ms vs floor ${bulk.floorMs} ms: ${(bulk.wallMs / bulk.floorMs).toFixed(1)}×)`);
			say(bulk.failed === 0 && bulk.duplicates === 0, `${fields}: 0 failed items (${bulk.failed} failed, ${bulk.duplicates} duplicates)`);
		}
		if (bulk && tuned) say(tuned.wallMs >= 10 * bulk.wallMs, `${fields}: at least 10× faster than the tuned HTTP Request workflow (${tuned.wallMs} ms / ${bulk.wallMs} ms = ${(tuned.wallMs / bulk.wallMs).toFixed(1)}×)`);
		const create = figures[`overhead:zuora-create${suffix}`];
		if (create && http) say(create.perItemMs <= http.perItemMs, `${fields}: per-item overhead no worse than HTTP Request (${create.perItemMs.toFixed(2)} vs ${http.perItemMs.toFixed(2)} ms per item at 0 ms latency)`);
		const scale = figures[`scale:zuora-bulk${suffix}`];
		if (scale) {
			say(scale.growthMb < 200, `${fields}: ${scale.items} items with peak RSS growth under 200 MB (${scale.growthMb.toFixed(0)} MB over the n8n process's RSS before the run; peak ${scale.peakMb.toFixed(0)} MB${baseline ? `; the same items without our node: ${baseline.growthMb.toFixed(0)} MB` : ''})`);
		}
	}
	return lines;
}

/** Writes the results file; everything from the ANALYSIS marker on (hand-written notes) is kept. */
function writeResults(file, header, sections, targets, elapsedMs) {
	const MARKER = '<!-- Analysis below: written by hand, kept by npm run bench -->';
	const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
	const analysis = previous.includes(MARKER) ? previous.slice(previous.indexOf(MARKER)) : `${MARKER}\n\n## Analysis\n\n(not written yet)\n`;
	const text = [
		'# Benchmarks: our nodes vs the HTTP Request node in the same n8n',
		'',
		'Produced by `npm run bench` (bench/run.mjs); the workflows are in bench/workflows/.',
		'',
		...header.map((line) => `- ${line}`),
		`- \`npm run bench\` took ${Math.round(elapsedMs / 1000)} s (build, install, n8n start included)`,
		'',
		'How it is measured: each run starts a fresh n8n process, resets the sandbox (ledger, tokens), runs the workflow once with 1 item (tokens, sessions, JIT; not measured), clears the request counts, then runs it with all items, their references tagged with a tag of that run only (no idempotency replay is measured). **wall ms** = the execution\'s startedAt → stoppedAt in n8n\'s execution data (webhook, building the items, the node; not n8n\'s start or the CLI); **node ms** = the credit-memo node\'s own executionTime. **requests**, **429s**: counted by the sandbox (token and login requests included). **failed items** = items with no memo in the sandbox ledger. **duplicates** = memos beyond the first per reference. **floor** = (ceil(memo requests / concurrency) + 1 if a token or login request was needed) × latency, concurrency being the node\'s (ours: default 5) capped by the provider (Zuora 40); the HTTP Request node starts every item\'s request at once. **peak RSS** = the n8n process\'s VmRSS sampled every 10 ms during the run; **growth** = peak − RSS just before the measured run (after the priming run).',
		'',
		...sections,
		...targets,
		'',
		analysis.trimEnd(),
		'',
	].join('\n');
	writeFileSync(file, text);
}

main().catch((error) => {
	console.error(formatError(error));
	process.exitCode = 1;
});
