// Our package as users get it: built, packed by `npm pack` (package.json `files`: dist), and installed from
// the tarball into `<N8N_USER_FOLDER>/.n8n/nodes`, where n8n loads community packages from (runtime-notes.md).
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { ROOT, StepError, node24Env, run } from './common.mjs';

export const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** Builds dist/ and packs it; returns the tarball's path. */
export async function buildAndPack({ outDir, log = console.log }) {
	const started = Date.now();
	// A fresh dist/: a file left from an earlier build (a renamed node) must not ship.
	rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
	await run('npm', ['run', 'build'], {
		env: node24Env(),
		what: 'Building the package (npm run build)',
		hint: 'fix the TypeScript errors above (npm run typecheck shows them all), then run again.',
	});
	mkdirSync(outDir, { recursive: true });
	for (const file of readdirSync(outDir)) if (file.endsWith('.tgz')) rmSync(path.join(outDir, file));
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', outDir], {
		env: node24Env(),
		what: 'npm pack',
		hint: 'run npm pack yourself to see why it fails.',
	});
	const [packed] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	const tarball = path.join(outDir, packed.filename);
	log(`Package: built and packed ${packed.filename} (${packed.entryCount} files, ${Math.round(packed.size / 1024)} kB) in ${Math.round((Date.now() - started) / 1000)} s`);
	return tarball;
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` with its runtime dependencies (fast-xml-parser, luxon),
 * replacing any earlier copy. The peer dependency n8n-workflow is not installed there: n8n provides it.
 */
export async function installIntoUserFolder({ tarball, userFolder, log = console.log }) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	rmSync(path.join(nodesDir, 'node_modules', PACKAGE.name), { recursive: true, force: true });
	writeFileSync(path.join(nodesDir, 'package.json'), `${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`);
	await run(
		'npm',
		['install', tarball, '--omit=dev', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--package-lock=false', '--prefer-offline'],
		{
			cwd: nodesDir,
			env: node24Env(),
			what: `Installing ${path.basename(tarball)} into ${path.relative(ROOT, nodesDir)}`,
			hint: `its runtime dependencies (${Object.keys(PACKAGE.dependencies).join(', ')}) come from the npm registry or cache: check that npm ping answers, then run again.`,
		},
	);
	const installed = JSON.parse(readFileSync(path.join(nodesDir, 'package.json'), 'utf8'));
	if (!installed.dependencies?.[PACKAGE.name]) throw new StepError(`${path.relative(ROOT, nodesDir)}/package.json does not list ${PACKAGE.name} after npm install`, 'run again; report this if it persists.');
	for (const dependency of Object.keys(PACKAGE.dependencies)) {
		try {
			readFileSync(path.join(nodesDir, 'node_modules', dependency, 'package.json'));
		} catch {
			throw new StepError(`Runtime dependency ${dependency} is missing from ${path.relative(ROOT, nodesDir)}/node_modules`, 'run again; check npm ping.');
		}
	}
	log(`Package: installed into ${path.relative(ROOT, nodesDir)} (node types ${PACKAGE.name}.*)`);
	return nodesDir;
}

/** Node type names (`n8n-nodes-credit-memos.createCreditMemo`) and credential type names, read from the built dist/. */
export function builtTypes() {
	const require = createRequire(path.join(ROOT, 'package.json'));
	const load = (file) => Object.values(require(path.join(ROOT, file))).map((Type) => new Type());
	return {
		nodes: PACKAGE.n8n.nodes.flatMap(load).map((node) => `${PACKAGE.name}.${node.description.name}`),
		credentials: PACKAGE.n8n.credentials.flatMap(load).map((credential) => credential.name),
	};
}
