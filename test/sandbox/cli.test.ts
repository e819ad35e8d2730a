/** `npm run sandbox` (sandbox/cli.ts) as a process: it listens, says where, and stops on SIGTERM. */
import { spawn, type ChildProcess } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';

import { MAGENTO_REST_DEMO, REBILLY_DEMO, ZUORA_DEMO } from '../../sandbox/demoCredentials';
import { call } from './helpers';

const ROOT = path.join(__dirname, '..', '..');

function start(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: Promise<string> } {
	const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
	let text = '';
	const output = new Promise<string>((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			if (text.includes('Ctrl+C')) resolve(text);
		});
		child.stderr!.on('data', (chunk: Buffer) => {
			text += chunk.toString();
		});
		child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${text}`)));
	});
	return { child, output };
}

function stopped(child: ChildProcess): Promise<number | null> {
	return new Promise((resolve) => {
		if (child.exitCode !== null) resolve(child.exitCode);
		else child.once('exit', (code) => resolve(code));
	});
}

describe('sandbox CLI', () => {
	it('prints its URL, the ledger page and the demo credentials, serves, and stops on SIGTERM', async () => {
		const { child, output } = start(['--port', '0', '--seed', '5']);
		try {
			const text = await output;
			const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
			expect(url).toBeDefined();
			expect(text).toContain(`Ledger page: ${url}/`);
			for (const secret of [REBILLY_DEMO.apiKey, REBILLY_DEMO.organizationId, ZUORA_DEMO.clientId, ZUORA_DEMO.clientSecret, MAGENTO_REST_DEMO.staticToken]) {
				expect(text).toContain(secret);
			}
			const state = await call(`${url}/__admin/state`);
			expect(state.body.seed).toBe(5);
			expect(state.body.providers.map((provider: { provider: string }) => provider.provider)).toEqual(expect.arrayContaining(['rebilly', 'zuora', 'magentoRest']));
		} finally {
			child.kill('SIGTERM');
		}
		expect(await stopped(child)).toBe(0);
	});

	it('takes the port from SANDBOX_PORT and rejects unknown options', async () => {
		const bad = start(['--colour', 'red']);
		await expect(bad.output).rejects.toThrow(/Unknown option --colour/);
		const free = await new Promise<number>((resolve) => {
			const server = net.createServer();
			server.listen(0, '127.0.0.1', () => {
				const { port } = server.address() as AddressInfo;
				server.close(() => resolve(port));
			});
		});
		const { child, output } = start([], { SANDBOX_PORT: String(free) });
		try {
			expect(await output).toContain(`listening on http://127.0.0.1:${free}`);
		} finally {
			child.kill('SIGTERM');
		}
		await stopped(child);
	});
});
