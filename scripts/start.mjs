// `npm start`: the package running inside a real n8n, against the local provider sandbox.
//
// Installs the pinned n8n on first run (.n8n-local/, reused later), builds and packs this package and installs
// it into the project-local n8n user folder (.n8n-local/user) as a community package, starts the sandbox and
// n8n, sets up the owner, the five credentials (those whose type the package has) and the example workflows,
// publishes the webhook example and prints where everything is. Ctrl-C stops everything it started.
//
// Environment: N8N_PORT (5678), SANDBOX_PORT (4010).
import path from 'node:path';

import { LOCAL_DIR, ROOT, StepError, elapsed, formatError, freePort, portInUse } from './lib/common.mjs';
import { sandboxCredentials } from './lib/credentials.mjs';
import { N8N_DIR, ensureN8n } from './lib/n8n-install.mjs';
import { OWNER, activateWorkflow, curlLine, ensureWorkflows, importCredentials, n8nEnv, ownerSession, readExamples, startN8n, waitForWebhook, webhookOf } from './lib/n8n.mjs';
import { buildAndPack, builtTypes, installIntoUserFolder } from './lib/package.mjs';
import { startProviderSandbox } from './lib/sandbox.mjs';

const USER_FOLDER = path.join(LOCAL_DIR, 'user');
const NOTES = {
	created: '',
	unchanged: '',
	updated: '  (updated from examples/)',
	kept: '  (edited in the editor: kept; delete it to get the examples/ version again)',
};
const started = Date.now();
const running = { n8n: undefined, sandbox: undefined };
let stopping = false;

async function stopAll(code) {
	if (stopping) return;
	stopping = true;
	console.log('\nStopping n8n and the sandbox…');
	await running.n8n?.stop().catch(() => undefined);
	await running.sandbox?.stop().catch(() => undefined);
	process.exit(code);
}

function port(name, fallback) {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isInteger(value) || value <= 0 || value > 65535) throw new StepError(`${name}=${process.env[name]} is not a port number`, `use a number such as ${fallback}`);
	return value;
}

async function main() {
	if (Number(process.versions.node.split('.')[0]) < 24) {
		throw new StepError(`This runs under Node ${process.version}; n8n 2.x needs Node 24`, 'run it as `npm start` after `npm ci`: npm then uses the Node 24 from the `node` devDependency.');
	}
	const ports = { n8n: port('N8N_PORT', 5678), sandbox: port('SANDBOX_PORT', 4010) };
	for (const [name, value] of [['N8N_PORT', ports.n8n], ['SANDBOX_PORT', ports.sandbox]]) {
		if (await portInUse(value)) throw new StepError(`127.0.0.1:${value} is already in use`, `stop what uses it (another npm start?) or choose another port: ${name}=${value + 1} npm start`);
	}

	console.log('1/5 n8n');
	await ensureN8n();

	console.log('2/5 This package, as a community package');
	const tarball = await buildAndPack({ outDir: path.join(LOCAL_DIR, 'pack') });
	await installIntoUserFolder({ tarball, userFolder: USER_FOLDER, n8nDir: N8N_DIR });
	const types = builtTypes();

	console.log('3/5 Provider sandbox');
	const { sandbox, demo } = await startProviderSandbox({ port: ports.sandbox });
	running.sandbox = sandbox;
	console.log(`Sandbox: ${sandbox.url} (${sandbox.state().providers.map((provider) => provider.provider).join(', ')})`);

	console.log('4/5 Credentials and n8n');
	const env = n8nEnv({ userFolder: USER_FOLDER, port: ports.n8n, brokerPort: await freePort() });
	const logFile = path.join(LOCAL_DIR, 'n8n.log');
	const credentials = sandboxCredentials({ sandbox, demo, credentialTypes: types.credentials });
	await importCredentials(credentials, { env, userFolder: USER_FOLDER, logFile });
	console.log(`Credentials: ${credentials.map((credential) => credential.name).join(', ')} (pointing at the sandbox)`);
	running.n8n = await startN8n({ env, port: ports.n8n, logFile });
	running.n8n.exited.then((exit) => {
		if (stopping) return;
		console.error(formatError(new StepError(`n8n stopped by itself (${exit.signal ?? `exit code ${exit.code}`})`, `read ${path.relative(ROOT, logFile)}.`, running.n8n.logTail().split('\n').slice(-15).join('\n'))));
		void stopAll(1);
	});

	console.log('5/5 Owner, example workflows');
	const { client, created } = await ownerSession(running.n8n.url);
	const examples = readExamples();
	// Examples whose node types or credentials the built package does not have yet are left out.
	const usable = examples.filter((workflow) =>
		workflow.nodes.every((node) => !node.type.startsWith('n8n-nodes-credit-memos.') || types.nodes.includes(node.type)) &&
		workflow.nodes.every((node) => Object.keys(node.credentials ?? {}).every((type) => credentials.some((credential) => credential.type === type))),
	);
	const workflows = await ensureWorkflows(client, usable, path.join(USER_FOLDER, 'examples-loaded.json'));
	const webhooks = [];
	for (const workflow of usable) {
		const webhook = webhookOf(workflow);
		if (!webhook) continue;
		await activateWorkflow(client, workflow.id);
		if (webhook.method === 'POST') await waitForWebhook(running.n8n.url, webhook.path);
		webhooks.push({ workflow, ...webhook, url: `${running.n8n.url}/webhook/${webhook.path}` });
	}

	const lines = [
		'',
		`n8n with n8n-nodes-credit-memos is running (ready in ${elapsed(started)}).`,
		'',
		`  Editor       ${running.n8n.url}/`,
		`  Login        ${OWNER.email} / ${OWNER.password}${created ? '   (owner created now)' : ''}`,
		`  Credentials  ${credentials.map((credential) => credential.name).join(', ')}`,
		'  Workflows    ' +
			workflows
				.map((workflow) => `${workflow.name}${webhooks.some((webhook) => webhook.workflow.id === workflow.id) ? ' (published)' : ''}${NOTES[workflow.status]}`)
				.join('\n               '),
		...webhooks.flatMap((webhook) => [
			`  Webhook      ${webhook.method} ${webhook.url}`,
			...(webhook.sample ? ['  Try it:', `    ${curlLine(webhook.url, webhook.sample)}`] : []),
		]),
		`  Ledger       ${sandbox.url}/   (every memo the sandbox created; JSON: ${sandbox.url}/__admin/ledger)`,
		...(examples.length > usable.length
			? [`  Not loaded   ${examples.filter((workflow) => !usable.includes(workflow)).map((workflow) => workflow.file).join(', ')} (their provider is not in the package yet)`]
			: []),
		'',
		'Ctrl-C stops n8n and the sandbox. The n8n user folder (.n8n-local/user) is kept; the sandbox starts fresh each time.',
	];
	console.log(lines.join('\n'));
}

process.on('SIGINT', () => void stopAll(130));
process.on('SIGTERM', () => void stopAll(143));

main().catch(async (error) => {
	console.error(formatError(error));
	await stopAll(1);
});
