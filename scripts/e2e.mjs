// `npm run test:e2e`: the package inside a real n8n 2.41.1, as users get it.
//
//  1. installs (or reuses) the pinned n8n; builds and packs the package and installs it into a fresh user folder;
//     starts the provider sandbox;
//  2. imports the sandbox credentials and every example (n8n CLI) and runs each example headlessly
//     (`n8n execute`), checking node outputs and the sandbox ledger (scripts/e2e/examples.mjs);
//  3. starts n8n and calls each webhook example twice with the same payload: one memo in the ledger;
//  4. drives the editor in headless Chromium (scripts/e2e/browser.mjs): login, every example, every node of
//     ours, provider switching, a credential test, screenshots; console errors from our nodes fail the run.
//
// Bounded: E2E_TIMEOUT_MINUTES (default 30) for the whole run, the n8n install included.
// `npm run test:e2e -- --update-screenshots` also copies the README's screenshots to docs/screenshots/.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { E2E_DIR, HttpClient, ROOT, StepError, elapsed, formatError, freePort } from './lib/common.mjs';
import { sandboxCredentials } from './lib/credentials.mjs';
import { N8N_DIR, N8N_VERSION, ensureN8n } from './lib/n8n-install.mjs';
import { activateWorkflow, importCredentials, n8nCli, n8nEnv, n8nExecute, ownerSession, readExamples, startN8n, waitForExecution, waitForWebhook, webhookOf } from './lib/n8n.mjs';
import { buildAndPack, builtTypes, installIntoUserFolder } from './lib/package.mjs';
import { startProviderSandbox } from './lib/sandbox.mjs';
import { README_SCREENSHOTS, runBrowserChecks } from './e2e/browser.mjs';
import { EXPECTATIONS } from './e2e/examples.mjs';
import { parseExecution } from './e2e/executions.mjs';

const TIMEOUT_MINUTES = Number(process.env.E2E_TIMEOUT_MINUTES ?? 30);
const RUN_DIR = path.join(E2E_DIR, 'run');
const USER_FOLDER = path.join(RUN_DIR, 'user');
const SCREENSHOTS = path.join(E2E_DIR, 'screenshots');
const LOG_FILE = path.join(RUN_DIR, 'n8n.log');
const updateScreenshots = process.argv.includes('--update-screenshots');

const started = Date.now();
const results = [];
const running = { n8n: undefined, sandbox: undefined, browser: undefined };
let current = 'starting';

async function step(name, fn) {
	current = name;
	const stepStarted = Date.now();
	console.log(`▶ ${name}`);
	try {
		const value = await fn();
		results.push({ name, ok: true, seconds: (Date.now() - stepStarted) / 1000 });
		console.log(`✔ ${name} (${elapsed(stepStarted)})`);
		return value;
	} catch (error) {
		results.push({ name, ok: false, seconds: (Date.now() - stepStarted) / 1000, error });
		console.error(`✖ ${name} (${elapsed(stepStarted)})${formatError(error).replace(/^\n✖/, '\n ')}`);
		throw Object.assign(new Error(`${name} failed`), { reported: true });
	}
}

/** A check that does not stop the run when it fails: the remaining ones still say what they can. */
async function check(name, fn) {
	try {
		await step(name, fn);
	} catch (error) {
		if (!error.reported) throw error;
	}
}

async function cleanup() {
	await running.browser?.close().catch(() => undefined);
	await running.n8n?.stop().catch(() => undefined);
	await running.sandbox?.stop().catch(() => undefined);
}

function summary() {
	const failed = results.filter((result) => !result.ok);
	console.log(`\nEnd-to-end in n8n ${N8N_VERSION}: ${results.length - failed.length} passed, ${failed.length} failed, ${elapsed(started)} in all.`);
	for (const result of failed) console.log(`  ✖ ${result.name}: ${result.error?.message ?? result.error}`);
	console.log(`Logs: ${path.relative(ROOT, RUN_DIR)}/   Screenshots: ${path.relative(ROOT, SCREENSHOTS)}/`);
	return failed.length;
}

async function main() {
	await step(`n8n ${N8N_VERSION} installed (or reused)`, () => ensureN8n());

	rmSync(RUN_DIR, { recursive: true, force: true });
	rmSync(SCREENSHOTS, { recursive: true, force: true });
	mkdirSync(RUN_DIR, { recursive: true });
	mkdirSync(SCREENSHOTS, { recursive: true });

	const types = await step('package built, packed and installed into a fresh n8n user folder', async () => {
		const tarball = await buildAndPack({ outDir: path.join(RUN_DIR, 'pack') });
		await installIntoUserFolder({ tarball, userFolder: USER_FOLDER, n8nDir: N8N_DIR });
		return builtTypes();
	});

	const { sandbox, demo } = await step('provider sandbox started', () => startProviderSandbox({ port: 0 }));
	running.sandbox = sandbox;
	const credentials = sandboxCredentials({ sandbox, demo, credentialTypes: types.credentials });

	const examples = readExamples();
	await step(`every example uses only what the package has, and has its checks (${examples.length} examples)`, () => {
		const problems = [];
		for (const workflow of examples) {
			for (const node of workflow.nodes) {
				if (node.type.startsWith('n8n-nodes-credit-memos.') && !types.nodes.includes(node.type)) problems.push(`${workflow.file}: node type ${node.type} is not in the package`);
				for (const type of Object.keys(node.credentials ?? {})) {
					const credential = credentials.find((candidate) => candidate.type === type);
					if (!credential) problems.push(`${workflow.file}: credential type ${type} has no sandbox credential (scripts/lib/credentials.mjs)`);
					else if (node.credentials[type].id !== credential.id) problems.push(`${workflow.file}: node "${node.name}" refers to credential ${node.credentials[type].id}, the sandbox one is ${credential.id}`);
				}
			}
			if (!EXPECTATIONS[workflow.id]) problems.push(`${workflow.file}: no checks for workflow ${workflow.id} in scripts/e2e/examples.mjs`);
			if (EXPECTATIONS[workflow.id] && (EXPECTATIONS[workflow.id].kind === 'webhook') !== !!webhookOf(workflow)) problems.push(`${workflow.file}: its kind does not match scripts/e2e/examples.mjs`);
		}
		for (const id of Object.keys(EXPECTATIONS)) if (!examples.some((workflow) => workflow.id === id)) problems.push(`scripts/e2e/examples.mjs checks workflow ${id}, which no example has`);
		if (problems.length) throw new StepError(`The examples and the package do not fit:\n  - ${problems.join('\n  - ')}`, 'fix the example or its checks.');
	});

	// The CLI commands start no server, but `n8n execute` starts a task broker: free ports for both, never 5678.
	const port = await freePort();
	let brokerPort = await freePort();
	const env = () => n8nEnv({ userFolder: USER_FOLDER, port, brokerPort });
	await step(`credentials (${credentials.map((credential) => credential.name).join(', ')}) and examples imported with the n8n CLI`, async () => {
		await importCredentials(credentials, { env: env(), userFolder: USER_FOLDER, logFile: LOG_FILE });
		await n8nCli(['import:workflow', '--separate', `--input=${path.join(ROOT, 'examples')}`], { env: env(), logFile: LOG_FILE, what: 'n8n import:workflow (examples/)' });
	});

	const ledger = (provider) => sandbox.ledger(provider);
	for (const workflow of examples.filter((candidate) => EXPECTATIONS[candidate.id]?.kind === 'execute')) {
		await check(`example ${workflow.file}: n8n execute, node outputs and ledger`, async () => {
			sandbox.reset();
			const execute = async (workflowId) => (await n8nExecute(workflowId, { env: env(), logFile: LOG_FILE })).runData;
			await EXPECTATIONS[workflow.id].prepare?.({ sandbox, execute });
			const { runData } = await n8nExecute(workflow.id, { env: env(), logFile: LOG_FILE });
			await EXPECTATIONS[workflow.id].check({ runData, ledger, sandbox });
		});
	}

	brokerPort = await freePort();
	const client = await step('n8n started, owner set up', async () => {
		running.n8n = await startN8n({ env: n8nEnv({ userFolder: USER_FOLDER, port, brokerPort }), port, logFile: LOG_FILE });
		return (await ownerSession(running.n8n.url)).client;
	});

	for (const workflow of examples.filter((candidate) => EXPECTATIONS[candidate.id]?.kind === 'webhook')) {
		await check(`example ${workflow.file}: published, called twice with the same payload, one memo`, async () => {
			sandbox.reset();
			await activateWorkflow(client, workflow.id);
			const webhook = webhookOf(workflow);
			if (webhook.method !== 'POST') throw new StepError(`${workflow.file}: its webhook takes ${webhook.method}; the run calls POST webhooks only`);
			await waitForWebhook(running.n8n.url, webhook.path);
			if (!webhook.sample) throw new StepError(`${workflow.file}: no sample payload pinned on its Webhook node "${webhook.node}"`, 'pin a sample on the Webhook node.');
			const caller = new HttpClient(running.n8n.url);
			const responses = [];
			const executions = [];
			let lastId = 0;
			for (let call = 0; call < 2; call++) {
				const response = await caller.request(webhook.method, `/webhook/${webhook.path}`, webhook.sample, { expect: [200, 201, 400, 404, 409, 422, 500] });
				responses.push(response);
				if (response.status >= 300) throw new StepError(`call ${call + 1} answered ${response.status}: ${response.text.slice(0, 600)}`);
				const execution = await waitForExecution(client, workflow.id, { afterId: lastId });
				lastId = Number(execution.id);
				executions.push(parseExecution(execution).resultData.runData);
			}
			const rebillyTimeline = async (creditMemoId) => {
				const rebilly = credentials.find((credential) => credential.type === 'rebillyApi').data;
				const response = await fetch(`${rebilly.baseUrl}/organizations/${rebilly.organizationId}/credit-memos/${encodeURIComponent(creditMemoId)}/timeline`, {
					headers: { 'REB-APIKEY': rebilly.apiKey },
				});
				return await response.json();
			};
			await EXPECTATIONS[workflow.id].check({ sample: webhook.sample, responses, executions, ledger, rebillyTimeline, sandbox });
		});
	}

	await runBrowserChecks({
		url: running.n8n.url,
		client,
		examples,
		credentials,
		screenshotsDir: SCREENSHOTS,
		check,
		running,
		resetSandbox: () => sandbox.reset(),
	});

	if (updateScreenshots) {
		await step('README screenshots copied to docs/screenshots/', () => {
			const docs = path.join(ROOT, 'docs', 'screenshots');
			mkdirSync(docs, { recursive: true });
			for (const file of README_SCREENSHOTS) copyFileSync(path.join(SCREENSHOTS, file), path.join(docs, file));
		});
	}
}

const timer = setTimeout(async () => {
	console.error(`\n✖ The end-to-end run took longer than ${TIMEOUT_MINUTES} minutes (E2E_TIMEOUT_MINUTES); it was at: ${current}`);
	results.push({ name: `time limit (${TIMEOUT_MINUTES} min)`, ok: false, error: new Error(`exceeded while at: ${current}`) });
	await cleanup();
	summary();
	process.exit(1);
}, TIMEOUT_MINUTES * 60_000);
timer.unref();

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, async () => {
		console.error(`\nInterrupted (${signal}) at: ${current}`);
		await cleanup();
		process.exit(130);
	});
}

main()
	.catch((error) => {
		if (!error.reported) {
			console.error(formatError(error));
			results.push({ name: current, ok: false, error });
		}
	})
	.finally(async () => {
		await cleanup();
		const failed = summary();
		process.exit(failed ? 1 : 0);
	});
