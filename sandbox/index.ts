/**
 * The provider sandbox as a library: one local, stateful emulator of the five credit-memo APIs.
 *
 *   const sandbox = await startSandbox({ port: 0 });
 *   await fetch(`${sandbox.url}/rebilly/organizations/demo-org/credit-memos`, ...);
 *   expect(sandbox.ledger('rebilly')).toHaveLength(1);
 *   await sandbox.stop();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { handleAdminRequest, sandboxState } from './core/admin';
import type { FaultRule, FaultRuleInput } from './core/faults';
import type { LedgerSummary } from './core/ledger';
import type { RequestCount } from './core/requests';
import { SandboxCore, writeResponse, type LatencySetting, type ProviderState } from './core/server';
import { emulators as registeredEmulators } from './providers';
import type { EmulatorFactory, LedgerEntry, ProviderKey } from './types';

export type { FaultKind, FaultRule, FaultRuleInput } from './core/faults';
export type { LatencySetting, ProviderState } from './core/server';
export type { LedgerSummary } from './core/ledger';
export type { RequestCount, RequestOutcome } from './core/requests';
export type * from './types';

export const DEFAULT_PORT = 4010;
export const DEFAULT_SEED = 42;

export interface SandboxOptions {
	/** 0 = a free port (tests). Default 0. */
	port?: number;
	/** Seed for every random choice (IDs, fault probabilities, jitter). Default 42. */
	seed?: number;
	/** A folder with <provider>.json fixtures overriding sandbox/fixtures/. */
	fixturesDir?: string;
	/** Latency for every provider (a number = fixed ms), or per provider. */
	latencyMs?: number | LatencySetting | Partial<Record<ProviderKey | '*', LatencySetting>>;
	/** Concurrency limits per provider (null = unlimited); Zuora defaults to 40. */
	concurrencyLimits?: Partial<Record<ProviderKey, number | null>>;
	/** The emulators to serve; default: every registered one (sandbox/providers/index.ts). */
	emulators?: EmulatorFactory[];
}

export interface SandboxState {
	seed: number;
	baseUrl: string;
	now: string;
	clockOffsetMs: number;
	providers: ProviderState[];
	faults: FaultRule[];
	ledger: Partial<Record<ProviderKey, number>>;
	/** Provider requests answered since start, the last reset or clearRequests(), per provider. */
	requests: Partial<Record<ProviderKey, number>>;
}

export interface Sandbox {
	/** e.g. http://127.0.0.1:43127 */
	readonly url: string;
	readonly port: number;
	/** Base URL of one provider, e.g. `${url}/rebilly` (its first prefix). */
	providerUrl(provider: ProviderKey): string;
	stop(): Promise<void>;
	/** Seeded state again; an optional new seed. Clears ledger, faults, idempotency keys, tokens and the clock offset. */
	reset(seed?: number): void;
	/** Replaces all fault rules. */
	setFaults(rules: FaultRuleInput[]): FaultRule[];
	/** Appends fault rules. */
	addFaults(rules: FaultRuleInput[]): FaultRule[];
	faults(): FaultRule[];
	clearFaults(): void;
	ledger(provider?: ProviderKey): LedgerEntry[];
	/** Memos, distinct references and duplicates, optionally of the references containing `contains`. */
	ledgerSummary(provider?: ProviderKey, contains?: string): LedgerSummary;
	/** Provider requests answered, per provider, operation and status ('dropped' when a fault dropped the connection). */
	requests(provider?: ProviderKey): RequestCount[];
	clearRequests(): void;
	expireSessions(provider?: ProviderKey): void;
	setLatency(provider: ProviderKey | '*', latency: LatencySetting): void;
	/** null = unlimited. retryAfterSeconds: what the 429 tells the client (default 1). */
	setConcurrencyLimit(provider: ProviderKey, limit: number | null, retryAfterSeconds?: number): void;
	readonly clock: { now(): Date; advance(ms: number): void; set(at: Date): void; reset(): void };
	state(): SandboxState;
}

function latencyOption(value: SandboxOptions['latencyMs']): Partial<Record<ProviderKey | '*', LatencySetting>> | undefined {
	if (value === undefined) return undefined;
	if (typeof value === 'number') return { '*': { fixedMs: value, jitterMs: 0 } };
	if ('fixedMs' in value && typeof value.fixedMs === 'number') return { '*': value as LatencySetting };
	return value as Partial<Record<ProviderKey | '*', LatencySetting>>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const core = new SandboxCore({
		seed: options.seed ?? DEFAULT_SEED,
		fixturesDir: options.fixturesDir,
		emulators: options.emulators ?? registeredEmulators,
		latency: latencyOption(options.latencyMs),
		concurrencyLimits: options.concurrencyLimits,
	});

	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		void (async () => {
			try {
				if (await handleAdminRequest(core, req, res, url)) return;
				if (await core.handleProviderRequest(req, res, url)) return;
				writeResponse(res, { status: 404, body: { error: `Nothing is served at ${url.pathname}` } });
			} catch (error) {
				console.error('[sandbox] request failed:', error);
				writeResponse(res, { status: 500, body: { error: error instanceof Error ? error.message : String(error) } });
			}
		})();
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const url = `http://127.0.0.1:${port}`;
	core.baseUrl = url;

	return {
		url,
		port,
		providerUrl(provider) {
			const emulator = core.emulators.find((candidate) => candidate.provider === provider);
			if (!emulator) throw new Error(`No emulator for ${provider}`);
			return `${url}${emulator.prefixes[0]}`;
		},
		async stop() {
			core.cancelSleeps();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
		reset: (seed) => core.reset(seed),
		setFaults: (rules) => core.faults.replace(rules),
		addFaults: (rules) => core.faults.add(rules),
		faults: () => core.faults.list(),
		clearFaults: () => core.faults.clear(),
		ledger: (provider) => core.ledger.list(provider),
		ledgerSummary: (provider, contains) => core.ledger.summary(provider, contains),
		requests: (provider) => core.requests.list(provider),
		clearRequests: () => core.requests.clear(),
		expireSessions: (provider) => {
			core.expireSessions(provider);
		},
		setLatency: (provider, latency) => core.setLatency(provider, latency),
		setConcurrencyLimit(provider, limit, retryAfterSeconds) {
			core.setConcurrencyLimit(provider, limit);
			if (retryAfterSeconds !== undefined) core.concurrencyRetryAfterSeconds = retryAfterSeconds;
		},
		clock: {
			now: () => core.clock.now(),
			advance: (ms) => core.clock.advance(ms),
			set: (at) => core.clock.set(at),
			reset: () => core.clock.reset(),
		},
		state: () => sandboxState(core),
	};
}
