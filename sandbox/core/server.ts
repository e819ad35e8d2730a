import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

import type {
	EmulatorContext,
	EmulatorEnvironment,
	EmulatorFactory,
	LedgerEntry,
	ProviderEmulator,
	ProviderKey,
	RenderedFault,
	RoutedRequest,
	SandboxRequest,
	SandboxResponse,
} from '../types';
import { deriveSeed, seededRandom, type Random } from '../util/random';
import { SandboxClock } from './clock';
import { FaultBook, type FaultRule } from './faults';
import { Ledger, redactHeaders } from './ledger';
import { RequestCounter } from './requests';

export interface LatencySetting {
	fixedMs: number;
	jitterMs: number;
}

export interface SandboxCoreOptions {
	seed: number;
	fixturesDir?: string;
	emulators: EmulatorFactory[];
	latency?: Partial<Record<ProviderKey | '*', LatencySetting>>;
	/** Per provider; null = unlimited. Defaults: Zuora 40 ("Default" concurrency limit), the others unlimited. */
	concurrencyLimits?: Partial<Record<ProviderKey, number | null>>;
}

export const DEFAULT_CONCURRENCY_LIMITS: Partial<Record<ProviderKey, number>> = { zuora: 40 };
export const DEFAULT_FIXTURES_DIR = path.join(__dirname, '..', 'fixtures');
const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface RequestScope {
	requestId: string;
	fullPath: string;
}

interface PendingSleep {
	timer: NodeJS.Timeout;
	resolve: () => void;
}

export interface ProviderState {
	provider: ProviderKey;
	prefixes: string[];
	inFlight: number;
	concurrencyLimit: number | null;
	latency: LatencySetting;
	demoCredentials?: string[];
}

/** HTTP plumbing shared by all emulators: routing by prefix, latency, faults, concurrency limits and the ledger. */
export class SandboxCore {
	readonly clock = new SandboxClock();
	readonly ledger = new Ledger();
	/** Every provider request answered, per provider, operation and status (benchmarks count requests and 429s). */
	readonly requests = new RequestCounter();
	readonly faults: FaultBook;
	readonly emulators: ProviderEmulator[] = [];
	seed: number;
	baseUrl = '';
	concurrencyRetryAfterSeconds = 1;

	private readonly routes: Array<{ prefix: string; emulator: ProviderEmulator }> = [];
	private readonly latency = new Map<ProviderKey, LatencySetting>();
	private readonly concurrencyLimits = new Map<ProviderKey, number | null>();
	private readonly inFlight = new Map<ProviderKey, number>();
	private readonly scope = new AsyncLocalStorage<RequestScope>();
	private readonly pendingSleeps = new Set<PendingSleep>();
	private randoms!: { faults: Random; latency: Random; ids: Random };
	private requestCounter = 0;

	constructor(private readonly options: SandboxCoreOptions) {
		this.seed = options.seed;
		this.reseed(options.seed);
		this.faults = new FaultBook(() => this.randoms.faults);
		const environment = this.environment();
		for (const factory of options.emulators) {
			const registered: { provider?: ProviderKey } = {};
			const context: EmulatorContext = {
				record: (entry, request) => {
					if (!registered.provider) throw new Error('record() called before the emulator was registered');
					this.record(registered.provider, entry, request);
				},
				baseUrl: () => this.baseUrl,
				random: () => this.randoms.ids(),
				now: () => this.clock.now(),
			};
			const emulator = factory(context, environment);
			registered.provider = emulator.provider;
			this.emulators.push(emulator);
			for (const prefix of emulator.prefixes) this.routes.push({ prefix: prefix.replace(/\/+$/, ''), emulator });
		}
		this.routes.sort((a, b) => b.prefix.length - a.prefix.length);
		this.applyConfiguredLimits();
	}

	providers(): ProviderKey[] {
		return this.emulators.map((emulator) => emulator.provider);
	}

	/** Back to the seeded state: emulators, ledger, faults, clock, RNG streams, latency and limits as started. */
	reset(seed?: number): void {
		if (seed !== undefined) this.seed = seed;
		this.reseed(this.seed);
		this.clock.reset();
		this.ledger.clear();
		this.requests.clear();
		this.faults.clear();
		this.applyConfiguredLimits();
		for (const emulator of this.emulators) emulator.reset();
	}

	expireSessions(provider?: ProviderKey): ProviderKey[] {
		const selected = this.emulators.filter((emulator) => !provider || emulator.provider === provider);
		for (const emulator of selected) emulator.expireSessions();
		return selected.map((emulator) => emulator.provider);
	}

	setLatency(provider: ProviderKey | '*', setting: LatencySetting): void {
		validateLatency(setting);
		for (const key of provider === '*' ? this.providers() : [provider]) this.latency.set(key, { ...setting });
	}

	setConcurrencyLimit(provider: ProviderKey, limit: number | null): void {
		if (limit !== null && !(Number.isInteger(limit) && limit >= 1)) throw new TypeError('limit must be a positive integer or null');
		this.concurrencyLimits.set(provider, limit);
	}

	providerStates(): ProviderState[] {
		return this.emulators.map((emulator) => ({
			provider: emulator.provider,
			prefixes: [...emulator.prefixes],
			inFlight: this.inFlight.get(emulator.provider) ?? 0,
			concurrencyLimit: this.concurrencyLimits.get(emulator.provider) ?? null,
			latency: { ...(this.latency.get(emulator.provider) ?? { fixedMs: 0, jitterMs: 0 }) },
			demoCredentials: emulator.demoCredentials ? [...emulator.demoCredentials] : undefined,
		}));
	}

	/** Resolves every pending latency wait at once (used by stop()). */
	cancelSleeps(): void {
		for (const pending of this.pendingSleeps) {
			clearTimeout(pending.timer);
			pending.resolve();
		}
		this.pendingSleeps.clear();
	}

	/** Routes one request to an emulator; undefined when no emulator serves the path. */
	async handleProviderRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
		const match = this.routes.find(({ prefix }) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`));
		if (!match) return false;
		const rawBody = await readBody(req);
		const request: SandboxRequest = {
			method: (req.method ?? 'GET').toUpperCase(),
			path: url.pathname.slice(match.prefix.length) || '/',
			query: url.searchParams,
			headers: req.headers,
			rawBody,
		};
		const requestId = `req-${String(++this.requestCounter).padStart(6, '0')}`;
		await this.scope.run({ requestId, fullPath: url.pathname + url.search }, () =>
			this.serve(match.emulator, match.prefix, request, requestId, res),
		);
		return true;
	}

	private async serve(
		emulator: ProviderEmulator,
		prefix: string,
		request: SandboxRequest,
		requestId: string,
		res: ServerResponse,
	): Promise<void> {
		const provider = emulator.provider;
		let operation = 'unknown';
		const respond = (response: SandboxResponse) => {
			this.requests.count(provider, operation, response.status);
			writeResponse(res, response);
		};
		const drop = () => {
			this.requests.count(provider, operation, 'dropped');
			dropConnection(res);
		};
		let routed: RoutedRequest | undefined;
		try {
			routed = emulator.route(request, prefix);
		} catch (error) {
			console.error(`[sandbox] ${emulator.provider} routing failed:`, error);
			respond(emulator.renderFault({ kind: 'serverError', status: 500 }, request, prefix));
			return;
		}
		if (!routed) {
			respond({ status: 404, body: { error: `No ${provider} operation for ${request.method} ${request.path}` } });
			return;
		}
		operation = routed.operation;

		const counted = !routed.exemptFromConcurrencyLimit;
		if (counted) {
			const limit = this.concurrencyLimits.get(provider) ?? null;
			const inFlight = this.inFlight.get(provider) ?? 0;
			if (limit !== null && inFlight >= limit) {
				const fault: RenderedFault = {
					kind: 'rateLimited',
					retryAfterSeconds: this.concurrencyRetryAfterSeconds,
					scope: 'concurrency',
					limit,
				};
				respond(emulator.renderFault(fault, request, prefix));
				return;
			}
			this.inFlight.set(provider, inFlight + 1);
		}
		try {
			const fault = this.faults.pick(provider, routed.operation, routed.creates);
			const delay = this.latencyMs(provider) + (fault?.kind === 'delay' ? (fault.delayMs ?? 0) : 0);
			const preCommit = fault ? toPreCommitFault(fault) : undefined;
			if (fault && (preCommit || fault.kind === 'resetBeforeCommit')) {
				await this.sleep(delay);
				if (preCommit) respond(emulator.renderFault(preCommit, request, prefix));
				else drop();
				return;
			}
			if (fault?.kind === 'expiredSession') emulator.expireSessions();

			let response: SandboxResponse;
			try {
				response = await routed.run();
			} catch (error) {
				console.error(`[sandbox] ${provider} ${routed.operation} failed:`, error);
				response = emulator.renderFault({ kind: 'serverError', status: 500 }, request, prefix);
			}
			await this.sleep(delay);
			const dropped = fault?.kind === 'dropAfterCommit';
			if (dropped) {
				this.ledger.markDropped(requestId);
				drop();
			} else {
				respond(response);
			}
			try {
				routed.onFinished?.({ response, delivered: !dropped });
			} catch (error) {
				console.error(`[sandbox] ${provider} onFinished failed:`, error);
			}
		} finally {
			if (counted) this.inFlight.set(provider, Math.max(0, (this.inFlight.get(provider) ?? 1) - 1));
		}
	}


	private record(provider: ProviderKey, entry: Omit<LedgerEntry, 'provider' | 'createdAt' | 'request'>, request: SandboxRequest): void {
		const scope = this.scope.getStore();
		const query = request.query.toString();
		this.ledger.add({
			...entry,
			provider,
			createdAt: this.clock.now().toISOString(),
			request: {
				method: request.method,
				path: scope?.fullPath ?? (query ? `${request.path}?${query}` : request.path),
				headers: redactHeaders(request.headers),
				body: request.rawBody,
			},
			requestId: scope?.requestId,
		});
	}

	private environment(): EmulatorEnvironment {
		const fixturesDir = this.options.fixturesDir;
		return {
			loadFixture: <T>(name: string): T => {
				const custom = fixturesDir ? path.join(fixturesDir, `${name}.json`) : undefined;
				const file = custom && fs.existsSync(custom) ? custom : path.join(DEFAULT_FIXTURES_DIR, `${name}.json`);
				return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
			},
			concurrency: (provider) => ({
				inFlight: this.inFlight.get(provider) ?? 0,
				limit: this.concurrencyLimits.get(provider) ?? undefined,
			}),
		};
	}

	private reseed(seed: number): void {
		this.randoms = {
			faults: seededRandom(deriveSeed(seed, 'faults')),
			latency: seededRandom(deriveSeed(seed, 'latency')),
			ids: seededRandom(deriveSeed(seed, 'ids')),
		};
	}

	private applyConfiguredLimits(): void {
		this.latency.clear();
		this.concurrencyLimits.clear();
		const configured = this.options.latency ?? {};
		for (const provider of this.providers()) {
			const setting = configured[provider] ?? configured['*'];
			if (setting) this.latency.set(provider, { ...setting });
			const limit = this.options.concurrencyLimits?.[provider];
			this.concurrencyLimits.set(provider, limit === undefined ? (DEFAULT_CONCURRENCY_LIMITS[provider] ?? null) : limit);
		}
	}

	private latencyMs(provider: ProviderKey): number {
		const setting = this.latency.get(provider);
		if (!setting) return 0;
		return setting.fixedMs + (setting.jitterMs > 0 ? this.randoms.latency() * setting.jitterMs : 0);
	}

	private sleep(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const pending: PendingSleep = {
				timer: setTimeout(() => {
					this.pendingSleeps.delete(pending);
					resolve();
				}, ms),
				resolve,
			};
			this.pendingSleeps.add(pending);
		});
	}
}

function toPreCommitFault(rule: FaultRule): RenderedFault | undefined {
	switch (rule.kind) {
		case 'serverError':
			return { kind: 'serverError', status: rule.status ?? 500 };
		case 'unavailable':
			return { kind: 'unavailable' };
		case 'rateLimited':
			return { kind: 'rateLimited', retryAfterSeconds: rule.retryAfterSeconds ?? 1, scope: 'rate' };
		default:
			return undefined;
	}
}

export function validateLatency(setting: LatencySetting): void {
	if (
		typeof setting !== 'object' ||
		setting === null ||
		!(typeof setting.fixedMs === 'number' && setting.fixedMs >= 0) ||
		!(typeof setting.jitterMs === 'number' && setting.jitterMs >= 0)
	) {
		throw new TypeError('latency must be { fixedMs: number >= 0, jitterMs: number >= 0 }');
	}
}

export function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error('Request body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

export function writeResponse(res: ServerResponse, response: SandboxResponse): void {
	if (res.writableEnded || res.destroyed) return;
	const headers: Record<string, string> = { ...(response.headers ?? {}) };
	const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
	let payload = '';
	if (typeof response.body === 'string') {
		payload = response.body;
	} else if (response.body !== undefined) {
		payload = JSON.stringify(response.body);
		if (!hasContentType) headers['Content-Type'] = 'application/json';
	}
	headers['Content-Length'] = String(Buffer.byteLength(payload));
	res.writeHead(response.status, headers);
	res.end(payload);
}

/** The client sees ECONNRESET / "socket hang up": no status line, no body. */
function dropConnection(res: ServerResponse): void {
	res.socket?.destroy();
	res.destroy();
}
