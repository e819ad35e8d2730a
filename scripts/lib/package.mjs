// Our package as users get it: built, packed by `npm pack` (package.json `files`: dist), and installed from
// the tarball into `<N8N_USER_FOLDER>/.n8n/nodes`, where n8n loads community packages from (runtime-notes.md).
import { copyFileSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
export async function installIntoUserFolder({ tarball, userFolder, n8nDir, log = console.log }) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	rmSync(path.join(nodesDir, 'node_modules', PACKAGE.name), { recursive: true, force: true });
	writeFileSync(path.join(nodesDir, 'package.json'), `${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`);
	// The tarball is kept next to package.json, which refers to it: the user folder stands on its own.
	for (const file of readdirSync(nodesDir)) if (file.endsWith('.tgz')) rmSync(path.join(nodesDir, file));
	copyFileSync(tarball, path.join(nodesDir, path.basename(tarball)));
	await run(
		'npm',
		['install', `./${path.basename(tarball)}`, '--omit=dev', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--package-lock=false', '--prefer-offline'],
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
	linkN8nWorkflow(userFolder, n8nDir);
	log(`Package: installed into ${path.relative(ROOT, nodesDir)} (node types ${PACKAGE.name}.*)`);
	return nodesDir;
}

/**
 * n8n gives a community package its own n8n-workflow through NODE_PATH, which Node consults only after walking
 * up the folders for node_modules. From ~/.n8n/nodes that walk finds nothing; from a user folder inside this
 * project it would find the project's devDependency copy first (a second n8n-workflow: its error classes would
 * not be n8n's). A link to n8n's own copy in the user folder's node_modules makes the walk end where users' does.
 */
function linkN8nWorkflow(userFolder, n8nDir) {
	const target = path.join(n8nDir, 'node_modules', 'n8n-workflow');
	const link = path.join(userFolder, 'node_modules', 'n8n-workflow');
	mkdirSync(path.dirname(link), { recursive: true });
	rmSync(link, { recursive: true, force: true });
	symlinkSync(target, link, 'dir');
	const require = createRequire(path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE.name, 'package.json'));
	const resolved = realpathSync(require.resolve('n8n-workflow'));
	if (!resolved.startsWith(realpathSync(target))) throw new StepError(`The installed package would load n8n-workflow from ${resolved}, not from n8n's own copy`, 'report this: the user folder layout is wrong.');
}

/** Node type names (`n8n-nodes-credit-memos.createCreditMemo`) and credential type names, read from the built dist/. */
export function builtTypes() {
	const require = createRequire(path.join(ROOT, 'package.json'));
	const load = (file) => Object.values(require(path.join(ROOT, file)))
			.filter((value) => typeof value === 'function')
			.map((Type) => new Type());
	return {
		nodes: PACKAGE.n8n.nodes.flatMap(load).map((node) => `${PACKAGE.name}.${node.description.name}`),
		credentials: PACKAGE.n8n.credentials.flatMap(load).map((credential) => credential.name),
	};
}
