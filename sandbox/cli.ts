/**
 * `npm run sandbox [-- --port 4010 --seed 42 --fixtures <dir> --latency <ms>]`: starts the provider sandbox on
 * 127.0.0.1 and prints where everything is.
 */
import { DEFAULT_PORT, DEFAULT_SEED, startSandbox, type SandboxOptions } from './index';

function parseArgs(argv: string[]): SandboxOptions {
	const options: SandboxOptions = { port: Number(process.env.SANDBOX_PORT ?? DEFAULT_PORT), seed: DEFAULT_SEED };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				options.port = Number(value());
				break;
			case '--seed':
				options.seed = Number(value());
				break;
			case '--fixtures':
				options.fixturesDir = value();
				break;
			case '--latency':
				options.latencyMs = Number(value());
				break;
			case '--help':
			case '-h':
				console.log('Usage: npm run sandbox -- [--port 4010] [--seed 42] [--fixtures <dir>] [--latency <ms>]  (env SANDBOX_PORT)');
				process.exit(0);
				break;
			default:
				throw new Error(`Unknown option ${argv[i]} (try --help)`);
		}
	}
	for (const [name, number] of [
		['port', options.port],
		['seed', options.seed],
	] as const) {
		if (!Number.isInteger(number) || (number as number) < 0) throw new Error(`--${name} must be a non-negative integer`);
	}
	if (options.latencyMs !== undefined && !(typeof options.latencyMs === 'number' && options.latencyMs >= 0)) {
		throw new Error('--latency must be a non-negative number of milliseconds');
	}
	return options;
}

async function main(): Promise<void> {
	const started = Date.now();
	const sandbox = await startSandbox(parseArgs(process.argv.slice(2)));
	const providers = sandbox.state().providers;
	const lines = [
		`Credit memo sandbox listening on ${sandbox.url} (started in ${Date.now() - started} ms, seed ${sandbox.state().seed})`,
		`Ledger page: ${sandbox.url}/    Admin API: ${sandbox.url}/__admin/state`,
		'',
		'Providers:',
		...providers.map(({ provider, prefixes }) => `  ${provider.padEnd(12)} ${prefixes.map((prefix) => sandbox.url + prefix).join('  ')}`),
		'',
		'Demo credentials:',
		...providers
			.filter(({ demoCredentials }) => demoCredentials?.length)
			.map(({ provider, demoCredentials }) => `  ${provider.padEnd(12)} ${(demoCredentials ?? []).join(`\n${' '.repeat(15)}`)}`),
		'',
		'Ctrl+C stops it.',
	];
	console.log(lines.join('\n'));
	const stop = () => {
		void sandbox.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
