// A real n8n (the pinned install) over a given user folder: its environment, its CLI (import, execute) and a
// started instance with a REST client (owner, login, workflows, activation).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { HttpClient, ROOT, StepError, node24Env, portInUse, run, waitFor } from './common.mjs';
import { N8N_BIN } from './n8n-install.mjs';

/** The demo owner `npm start` creates (a local, throwaway instance on 127.0.0.1). */
export const OWNER = { email: 'demo@credit-memos.local', firstName: 'Demo', lastName: 'Owner', password: 'CreditMemos-Demo-1' };

/**
 * n8n's environment for a project-local user folder. Task runners cannot be switched off in n8n 2.x
 * (N8N_RUNNERS_ENABLED is deprecated): the internal JS runner starts and its broker gets its own port, so two
 * instances (npm start and the end-to-end run) never collide.
 */
export function n8nEnv({ userFolder, port, brokerPort, extra = {} }) {
	return node24Env({
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		...extra,
	});
}

/** Runs an n8n CLI command (import:credentials, import:workflow, execute, …) and returns its stdout. */
export async function n8nCli(args, { env, what, hint, timeoutMs = 180_000, logFile }) {
	const { stdout } = await run(process.execPath, [N8N_BIN, ...args], { env, timeoutMs, logFile, what: what ?? `n8n ${args.join(' ')}`, hint });
	return stdout;
}

/**
 * Runs a workflow headlessly (`n8n execute --id --rawOutput`) and returns its run data. n8n prints log lines,
 * then the execution as JSON (after "Execution error:" when it failed).
 */
export async function n8nExecute(workflowId, { env, logFile, timeoutMs = 180_000 }) {
	const { code, signal, output, tail } = await run(process.execPath, [N8N_BIN, 'execute', `--id=${workflowId}`, '--rawOutput'], {
		env,
		logFile,
		timeoutMs,
		resolveOnFailure: true,
		what: `n8n execute --id=${workflowId}`,
	});
	// The execution is printed pretty, from a line "{" to a line "}", among log lines (on stdout or stderr).
	const start = output.search(/^\{$/m);
	const end = output.lastIndexOf('\n}');
	let execution;
	try {
		execution = start >= 0 && end > start ? JSON.parse(output.slice(start, end + 2)) : undefined;
	} catch {
		execution = undefined;
	}
	const error = execution?.data?.resultData?.error;
	if (code !== 0 || !execution || error) {
		const reason = error ? `${error.message}${error.description ? ` (${error.description})` : ''}${error.node?.name ? ` in node "${error.node.name}"` : ''}` : signal ? `killed (${signal})` : `exit code ${code}`;
		throw new StepError(`n8n execute --id=${workflowId} failed: ${reason}`, `run the workflow in the editor (npm start) to see it; the full output is in ${path.relative(ROOT, logFile)}.`, tail.slice(-15).join('\n'));
	}
	return { runData: execution.data.resultData.runData, execution };
}

/**
 * Imports credentials through `n8n import:credentials`: data given unencrypted is encrypted by the command
 * (n8n 2.41 checks `typeof data === 'object'`); an existing ID is updated (a new sandbox port takes effect).
 * The temporary file with the secrets is removed at once.
 */
export async function importCredentials(credentials, { env, userFolder, logFile }) {
	const file = path.join(userFolder, `credentials-import-${process.pid}.json`);
	writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
	try {
		await n8nCli(['import:credentials', `--input=${file}`], {
			env,
			logFile,
			what: `n8n import:credentials (${credentials.map((credential) => credential.name).join(', ')})`,
			hint: 'the log above says which credential n8n refused; check its type and fields against credentials/*.ts.',
		});
	} finally {
		rmSync(file, { force: true });
	}
}

/** Starts `n8n start` and resolves once its REST API answers with JSON (its /healthz answers earlier). */
export async function startN8n({ env, port, logFile, timeoutMs = 180_000, log = console.log }) {
	if (await portInUse(port)) {
		throw new StepError(`n8n cannot listen on 127.0.0.1:${port}: the port is in use`, `stop what uses it (another npm start?), or choose another port: N8N_PORT=5679 npm start`);
	}
	mkdirSync(path.dirname(logFile), { recursive: true });
	const out = createWriteStream(logFile, { flags: 'a' });
	const started = Date.now();
	const child = spawn(process.execPath, [N8N_BIN, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
	const tail = [];
	const keep = (chunk) => {
		out.write(chunk);
		for (const line of chunk.toString().split('\n')) {
			if (!line.trim()) continue;
			tail.push(line);
			if (tail.length > 60) tail.shift();
		}
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	let exited;
	const exitedPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			out.end();
			resolve(exited);
		});
	});
	const url = `http://127.0.0.1:${port}`;
	const failureDetails = () => `Last lines of n8n's log (all of it: ${path.relative(ROOT, logFile)}):\n${tail.slice(-25).join('\n')}`;
	try {
		await waitFor(
			async () => {
				// Before its REST routes exist n8n may answer with the editor's HTML (200 too): wait for JSON.
				const response = await fetch(`${url}/rest/settings`, { signal: AbortSignal.timeout(5000) });
				if (response.status !== 200 || !response.headers.get('content-type')?.includes('application/json')) return false;
				return !!(await response.json()).data;
			},
			{
				timeoutMs,
				intervalMs: 500,
				what: `n8n on ${url}`,
				hint: `read ${path.relative(ROOT, logFile)}; a database left by an interrupted run can be removed with the user folder.`,
				isDead: () => exited && `n8n exited (${exited.signal ?? `code ${exited.code}`}) before it was ready`,
			},
		);
	} catch (error) {
		child.kill('SIGKILL');
		if (error instanceof StepError) error.details = failureDetails();
		throw error;
	}
	log(`n8n: ready on ${url} in ${Math.round((Date.now() - started) / 1000)} s (log: ${path.relative(ROOT, logFile)})`);

	return {
		url,
		child,
		exited: exitedPromise,
		isRunning: () => !exited,
		logTail: () => tail.join('\n'),
		/** SIGTERM (n8n shuts down cleanly), SIGKILL after `graceMs`. */
		async stop(graceMs = 15_000) {
			if (exited) return exited;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
			const result = await exitedPromise;
			clearTimeout(timer);
			return result;
		},
	};
}

/** Creates the owner on a fresh instance, or logs in as it; returns a client holding the session cookie. */
export async function ownerSession(url, owner = OWNER) {
	const client = new HttpClient(url);
	const { json: settings } = await client.get('/rest/settings');
	if (settings.data.userManagement?.showSetupOnFirstLoad) {
		await client.post('/rest/owner/setup', owner);
		return { client, created: true };
	}
	try {
		await client.post('/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	} catch (error) {
		throw new StepError(
			`Could not log in to n8n as ${owner.email} (${error.message})`,
			'the owner of this user folder was changed by hand; log in with your own account, or remove .n8n-local/user to start over (its workflows and credentials are then lost).',
		);
	}
	return { client, created: false };
}

/**
 * Makes sure each example is in n8n, created with its own ID (so its credential references hold). A state file
 * remembers which version of each example file was loaded and n8n's versionId after loading: when the file
 * changes, a workflow nobody edited since is updated to it, and one edited in the editor is kept as it is.
 * Returns { id, name, status } per example (status: created, updated, unchanged, kept).
 */
export async function ensureWorkflows(client, workflows, stateFile) {
	let state = {};
	try {
		state = JSON.parse(readFileSync(stateFile, 'utf8'));
	} catch {
		state = {};
	}
	const results = [];
	for (const workflow of workflows) {
		const { id, name, nodes, connections, settings, pinData, meta } = workflow;
		const body = { name, nodes, connections, settings, pinData, meta };
		const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
		const { json } = await client.get(`/rest/workflows/${id}/exists`);
		let status;
		let versionId;
		if (!json.data.exists) {
			versionId = (await client.post('/rest/workflows', { id, ...body })).json.data.versionId;
			status = 'created';
		} else {
			const current = (await client.get(`/rest/workflows/${id}`)).json.data;
			versionId = current.versionId;
			if (state[id]?.hash === hash) status = 'unchanged';
			else if (state[id]?.versionId === current.versionId) {
				versionId = (await client.patch(`/rest/workflows/${id}`, body)).json.data.versionId;
				status = 'updated';
			} else status = 'kept';
		}
		if (status !== 'kept') state[id] = { hash, versionId };
		results.push({ id, name, status });
	}
	writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
	return results;
}

/** Publishes (activates) a workflow's current version; a no-op when it is already active. */
export async function activateWorkflow(client, id) {
	const { json } = await client.get(`/rest/workflows/${id}`);
	if (json.data.active && json.data.activeVersionId === json.data.versionId) return false;
	await client.post(`/rest/workflows/${id}/activate`, { versionId: json.data.versionId });
	return true;
}

/**
 * Waits until a published POST webhook is registered (publication completes shortly after the REST call
 * returns). The probe is a GET, which never runs the workflow: a registered POST-only webhook answers "not
 * registered for GET requests", an unregistered path "not registered".
 */
export async function waitForWebhook(url, webhookPath, { timeoutMs = 30_000 } = {}) {
	await waitFor(
		async () => {
			const response = await fetch(`${url}/webhook/${webhookPath}`, { signal: AbortSignal.timeout(5000) });
			const text = await response.text();
			return response.status !== 404 || /not registered for GET/.test(text);
		},
		{ timeoutMs, intervalMs: 250, what: `the webhook ${url}/webhook/${webhookPath}`, hint: 'open the workflow in the editor and check that it is published.' },
	);
}

/** Reads the example workflows (examples/*.json), in file name order. */
export function readExamples(dir = path.join(ROOT, 'examples')) {
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
		.map((file) => ({ file, ...JSON.parse(readFileSync(path.join(dir, file), 'utf8')) }));
}

/** The webhook of an example (its path, method and the sample body pinned on the Webhook node), if it has one. */
export function webhookOf(workflow) {
	const node = workflow.nodes.find((candidate) => candidate.type === 'n8n-nodes-base.webhook');
	if (!node) return undefined;
	const sample = workflow.pinData?.[node.name]?.[0]?.json?.body;
	return { node: node.name, path: node.parameters.path, method: node.parameters.httpMethod ?? 'GET', sample };
}

export function curlLine(url, body) {
	return `curl -s -X POST ${url} -H 'content-type: application/json' -d '${JSON.stringify(body)}'`;
}

/** Waits until an execution of `workflowId` newer than `afterId` has finished; returns its full data. */
export async function waitForExecution(client, workflowId, { afterId = 0, timeoutMs = 60_000 } = {}) {
	return await waitFor(
		async () => {
			const { json } = await client.get(`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=10`);
			const finished = json.data.results.filter((execution) => Number(execution.id) > afterId && execution.stoppedAt);
			if (!finished.length) return undefined;
			const latest = finished.sort((a, b) => Number(b.id) - Number(a.id))[0];
			return (await client.get(`/rest/executions/${latest.id}`)).json.data;
		},
		{ timeoutMs, intervalMs: 300, what: `an execution of workflow ${workflowId}` },
	);
}

