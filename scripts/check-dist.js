#!/usr/bin/env node
// Loads the built package the way n8n does (n8n-core's PackageDirectoryLoader reads package.json's n8n
// section, requires every node and credential from dist/ and resolves their icons), under Node 24.
require('reflect-metadata');
const path = require('path');
const fs = require('fs');
const { PackageDirectoryLoader } = require('n8n-core');

async function main() {
	const root = path.resolve(__dirname, '..');
	const loader = new PackageDirectoryLoader(root);
	await loader.loadAll();
	const nodes = Object.keys(loader.nodeTypes);
	const credentials = Object.keys(loader.credentialTypes);
	const pkg = require(path.join(root, 'package.json'));
	const problems = [];
	if (nodes.length !== pkg.n8n.nodes.length) problems.push(`loaded ${nodes.length} nodes, package.json lists ${pkg.n8n.nodes.length}`);
	if (credentials.length !== pkg.n8n.credentials.length) problems.push(`loaded ${credentials.length} credentials, package.json lists ${pkg.n8n.credentials.length}`);
	// The loader turns `file:` icons into URLs under icons/<package>/, relative to the package root.
	for (const description of [...loader.types.nodes, ...loader.types.credentials]) {
		const urls = description.iconUrl ? (typeof description.iconUrl === 'object' ? Object.values(description.iconUrl) : [description.iconUrl]) : [];
		if (!urls.length) problems.push(`${description.name}: no icon`);
		for (const url of urls) {
			const file = path.join(root, url.replace(`icons/${pkg.name}/`, ''));
			if (!fs.existsSync(file)) problems.push(`${description.name}: icon ${url} is missing (${file})`);
		}
	}
	if (problems.length) {
		console.error(`dist/ does not load as n8n would load it:\n- ${problems.join('\n- ')}`);
		process.exit(1);
	}
	console.log(`dist/ loads in n8n-core ${require('n8n-core/package.json').version} under Node ${process.version}: nodes ${nodes.join(', ')}; credentials ${credentials.join(', ')}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
