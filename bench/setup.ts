// The jest setup (n8n's environment for the engine harness), for scripts that run the harness under tsx.
import '../test/setup.js';
import { join } from 'node:path';

// Our node files are `<Name>.node.ts` beside n8n's codex `<Name>.node.json`; Node's resolver (under tsx)
// would pick the JSON for `.../<Name>.node`, so such requests go to the TypeScript file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { existsSync } = require('node:fs') as typeof import('node:fs');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
	if (request.endsWith('.node') && request.startsWith('.')) {
		const dir = (parent as { path?: string })?.path;
		if (dir && existsSync(join(dir, `${request}.ts`))) return join(dir, `${request}.ts`);
	}
	return resolve.call(this, request, parent, ...rest);
};
