// Shared plumbing for `npm start` and `npm run test:e2e`: paths, child processes, HTTP, waiting, failures that
// say what to do. Plain Node (no TypeScript): n8n's community-package scanner lints every .ts it finds.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Everything `npm start` keeps between runs (git-ignored): the pinned n8n and the demo's n8n user folder. */
export const LOCAL_DIR = path.join(ROOT, '.n8n-local');
/** Everything the end-to-end run produces (git-ignored): fresh user folders, logs, screenshots. */
export const E2E_DIR = path.join(ROOT, '.e2e');

/** A failure a person can act on: what failed, and what to do about it. */
export class StepError extends Error {
	constructor(what, hint, details) {
		super(what);
		this.hint = hint;
		this.details = details;
	}
}

export function formatError(error) {
	const lines = [`\n✖ ${error instanceof Error ? error.message : String(error)}`];
	if (error instanceof StepError) {
		if (error.details) lines.push('', error.details.trimEnd());
		if (error.hint) lines.push('', `What to do: ${error.hint}`);
	} else if (error instanceof Error && error.stack) {
		lines.push(error.stack.split('\n').slice(1, 6).join('\n'));
	}
	return lines.join('\n');
}

export const isTTY = !!process.stdout.isTTY;

export function elapsed(since) {
	const seconds = Math.round((Date.now() - since) / 1000);
	return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/**
 * The Node that runs this script (Node 24: the `node` devDependency, first on PATH under `npm run`) first on PATH
 * for every child, so npm and n8n run under it too.
 */
export function node24Env(extra = {}) {
	return { ...process.env, PATH: [path.dirname(process.execPath), process.env.PATH].join(path.delimiter), ...extra };
}

/**
 * Runs a command to completion. Output goes to `logFile` (if given) and is kept (last 200 lines) for the error.
 * `onLine` sees every output line (progress). `resolveOnFailure`: a non-zero exit resolves too (with its code).
 */
export function run(command, args, { cwd = ROOT, env = process.env, logFile, onLine, timeoutMs, what, hint, resolveOnFailure = false } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
		const tail = [];
		let stdout = '';
		let output = '';
		let timer;
		const onData = (isStdout) => (chunk) => {
			const text = chunk.toString();
			if (isStdout) stdout += text;
			output += text;
			log?.write(text);
			for (const line of text.split('\n')) {
				if (!line.trim()) continue;
				tail.push(line);
				if (tail.length > 200) tail.shift();
				onLine?.(line);
			}
		};
		child.stdout.on('data', onData(true));
		child.stderr.on('data', onData(false));
		if (timeoutMs) {
			timer = setTimeout(() => {
				tail.push(`(killed after ${Math.round(timeoutMs / 1000)} s)`);
				child.kill('SIGKILL');
			}, timeoutMs);
		}
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(new StepError(`${what ?? command}: could not start ${command} (${error.message})`, hint));
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			log?.end();
			if (code === 0 || resolveOnFailure) return resolve({ code, signal, stdout, output, tail });
			reject(
				new StepError(
					`${what ?? `${command} ${args.join(' ')}`} failed (${signal ? `signal ${signal}` : `exit code ${code}`})`,
					hint,
					`Last lines of its output${logFile ? ` (all of it: ${path.relative(ROOT, logFile)})` : ''}:\n${tail.slice(-30).join('\n')}`,
				),
			);
		});
	});
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Whether something already listens on 127.0.0.1:port. */
export function portInUse(port) {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(true));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
	});
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a truthy value or `timeoutMs` passes; `isDead` aborts early (a crashed child). */
export async function waitFor(check, { timeoutMs, intervalMs = 500, what, hint, isDead }) {
	const started = Date.now();
	let lastError;
	while (Date.now() - started < timeoutMs) {
		const dead = isDead?.();
		if (dead) throw new StepError(`${what}: ${dead}`, hint);
		try {
			const result = await check();
			if (result) return result;
		} catch (error) {
			lastError = error;
		}
		await sleep(intervalMs);
	}
	throw new StepError(`${what}: not ready after ${Math.round(timeoutMs / 1000)} s${lastError ? ` (last error: ${lastError.message})` : ''}`, hint);
}

export function fileExists(file) {
	return existsSync(file);
}

/** A tiny JSON HTTP client that keeps n8n's session cookie. */
export class HttpClient {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookie = undefined;
	}

	async request(method, pathname, body, { expect = [200], headers = {} } = {}) {
		const response = await fetch(new URL(pathname, this.baseUrl), {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(this.cookie ? { cookie: this.cookie } : {}),
				...headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((cookie) => cookie.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await response.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		if (!expect.includes(response.status)) {
			const error = new Error(`${method} ${pathname} answered ${response.status}: ${text.slice(0, 500)}`);
			error.status = response.status;
			error.body = json ?? text;
			throw error;
		}
		return { status: response.status, json, text, headers: response.headers };
	}

	get(pathname, options) {
		return this.request('GET', pathname, undefined, options);
	}

	post(pathname, body, options) {
		return this.request('POST', pathname, body ?? {}, options);
	}

	patch(pathname, body, options) {
		return this.request('PATCH', pathname, body, options);
	}
}
