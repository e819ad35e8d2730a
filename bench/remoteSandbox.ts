import { spawn } from 'node:child_process';
import { join } from 'node:path';

import type { ProviderKey } from '../sandbox';

const PREFIXES: Record<ProviderKey, string> = {
	rebilly: '/rebilly',
	zuora: '/zuora',
	magentoRest: '/magento-rest',
	salesforce: '/salesforce',
	magentoSoap: '/magento-soap',
};

/** The sandbox in its own process, as a remote API would be: its CPU does not compete with the node's. */
export interface RemoteSandbox {
	url: string;
	providerUrl(provider: ProviderKey): string;
	admin(path: string, method?: string, body?: unknown): Promise<unknown>;
	stop(): Promise<void>;
}

export async function startRemoteSandbox(args: string[]): Promise<RemoteSandbox> {
	const root = join(__dirname, '..');
	const child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'sandbox/cli.ts'), '--port', '0', ...args], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		let output = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
			if (match) resolve(match[1]);
		});
		child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before listening:\n${output}`)));
	});
	child.stdout!.resume();
	return {
		url,
		providerUrl: (provider) => `${url}${PREFIXES[provider]}`,
		admin: async (path, method = 'GET', body) => {
			const response = await fetch(`${url}/__admin/${path}`, {
				method,
				headers: body === undefined ? undefined : { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return await response.json();
		},
		stop: async () => {
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('exit', resolve));
		},
	};
}
