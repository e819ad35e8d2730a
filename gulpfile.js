const { task, src, dest, parallel } = require('gulp');

// Icons live in icons/ (shared by nodes and credentials) and are referenced as `file:../../icons/x.svg`
// from dist/nodes/<Node>/ and `file:../icons/x.svg` from dist/credentials/, so they land in dist/icons.
function copyIcons() {
	return src(['icons/**/*.{png,svg}'], { encoding: false }).pipe(dest('dist/icons'));
}

// n8n reads each node's codex (<Node>.node.json: categories, documentation links) next to its .node.js.
function copyCodex() {
	return src(['nodes/**/*.node.json']).pipe(dest('dist/nodes'));
}

task('build:icons', parallel(copyIcons, copyCodex));
