import type { IncomingMessage, ServerResponse } from 'node:http';

import type { ProviderKey, SandboxResponse } from '../types';
import type { FaultRuleInput } from './faults';
import { renderLedgerPage } from './page';
import { readBody, writeResponse, type LatencySetting, type SandboxCore } from './server';

class AdminError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

function parseJson(raw: string): unknown {
	if (!raw.trim()) return {};
	try {
		return JSON.parse(raw) as unknown;
	} catch {
		throw new AdminError(400, 'The body is not valid JSON');
	}
}

function asObject(value: unknown): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AdminError(400, 'The body must be a JSON object');
	return value as Record<string, unknown>;
}

export function sandboxState(core: SandboxCore) {
	return {
		seed: core.seed,
		baseUrl: core.baseUrl,
		now: core.clock.now().toISOString(),
		clockOffsetMs: core.clock.offset,
		providers: core.providerStates(),
		faults: core.faults.list(),
		ledger: core.ledger.counts(),
		requests: core.requests.totals(),
	};
}

/** The ledger page at "/" and the JSON admin API under "/__admin/". Returns false for any other path. */
export async function handleAdminRequest(core: SandboxCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
	const method = (req.method ?? 'GET').toUpperCase();
	if (url.pathname === '/' || url.pathname === '/index.html') {
		const html = renderLedgerPage(core.baseUrl, core.providers(), core.ledger.list());
		writeResponse(res, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: html });
		return true;
	}
	if (url.pathname !== '/__admin' && !url.pathname.startsWith('/__admin/')) return false;
	let response: SandboxResponse;
	try {
		const body = method === 'GET' || method === 'DELETE' ? {} : parseJson(await readBody(req));
		response = route(core, method, url.pathname.replace(/^\/__admin\/?/, '').replace(/\/+$/, ''), url.searchParams, body);
	} catch (error) {
		if (error instanceof AdminError) response = { status: error.status, body: { error: error.message } };
		else if (error instanceof TypeError) response = { status: 400, body: { error: error.message } };
		else throw error;
	}
	writeResponse(res, response);
	return true;
}

function providerParam(core: SandboxCore, value: unknown, allowAll: boolean): ProviderKey | '*' | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (allowAll && value === '*') return '*';
	if (typeof value === 'string' && (core.providers() as string[]).includes(value)) return value as ProviderKey;
	throw new AdminError(400, `Unknown provider ${JSON.stringify(value)}; known: ${core.providers().join(', ')}`);
}

function faultInputs(body: unknown): FaultRuleInput[] {
	if (Array.isArray(body)) return body as FaultRuleInput[];
	const object = asObject(body);
	if (Array.isArray(object.rules)) return object.rules as FaultRuleInput[];
	return [object as unknown as FaultRuleInput];
}

function route(core: SandboxCore, method: string, action: string, query: URLSearchParams, body: unknown): SandboxResponse {
	switch (`${method} ${action}`) {
		case 'GET ':
		case 'GET state':
			return { status: 200, body: sandboxState(core) };
		case 'GET ledger': {
			const provider = providerParam(core, query.get('provider'), false) as ProviderKey | undefined;
			const entries = core.ledger.list(provider);
			return { status: 200, body: { total: entries.length, counts: core.ledger.counts(), entries } };
		}
		case 'GET ledger/summary': {
			const provider = providerParam(core, query.get('provider'), false) as ProviderKey | undefined;
			return { status: 200, body: core.ledger.summary(provider, query.get('contains') || undefined) };
		}
		case 'GET requests': {
			const provider = providerParam(core, query.get('provider'), false) as ProviderKey | undefined;
			const counts = core.requests.list(provider);
			return { status: 200, body: { total: counts.reduce((sum, entry) => sum + entry.count, 0), counts } };
		}
		case 'DELETE requests':
			core.requests.clear();
			return { status: 200, body: { total: 0, counts: [] } };
		case 'POST reset': {
			const seed = asObject(body).seed;
			if (seed !== undefined && !Number.isInteger(seed)) throw new AdminError(400, 'seed must be an integer');
			core.reset(seed as number | undefined);
			return { status: 200, body: sandboxState(core) };
		}
		case 'GET faults':
			return { status: 200, body: { rules: core.faults.list() } };
		case 'POST faults':
			return { status: 201, body: { added: core.faults.add(checkProviders(core, faultInputs(body))), rules: core.faults.list() } };
		case 'PUT faults':
			return { status: 200, body: { rules: core.faults.replace(checkProviders(core, faultInputs(body))) } };
		case 'DELETE faults':
			core.faults.clear();
			return { status: 200, body: { rules: [] } };
		case 'GET latency':
			return { status: 200, body: { providers: core.providerStates().map(({ provider, latency }) => ({ provider, ...latency })) } };
		case 'PUT latency':
		case 'POST latency': {
			const object = asObject(body);
			const provider = providerParam(core, object.provider, true) ?? '*';
			core.setLatency(provider, { fixedMs: object.fixedMs, jitterMs: object.jitterMs ?? 0 } as LatencySetting);
			return { status: 200, body: { providers: core.providerStates().map(({ provider: key, latency }) => ({ provider: key, ...latency })) } };
		}
		case 'GET concurrency':
			return { status: 200, body: concurrencyBody(core) };
		case 'PUT concurrency':
		case 'POST concurrency': {
			const object = asObject(body);
			const provider = providerParam(core, object.provider, false) as ProviderKey | undefined;
			if (!provider) throw new AdminError(400, 'provider is required');
			if (!('limit' in object)) throw new AdminError(400, 'limit is required (a positive integer, or null for unlimited)');
			core.setConcurrencyLimit(provider, object.limit as number | null);
			if (object.retryAfterSeconds !== undefined) {
				if (!(typeof object.retryAfterSeconds === 'number' && object.retryAfterSeconds >= 0)) {
					throw new AdminError(400, 'retryAfterSeconds must be a non-negative number');
				}
				core.concurrencyRetryAfterSeconds = object.retryAfterSeconds;
			}
			return { status: 200, body: concurrencyBody(core) };
		}
		case 'POST expire-sessions': {
			const provider = providerParam(core, asObject(body).provider, true);
			const expired = core.expireSessions(provider === '*' ? undefined : provider);
			return { status: 200, body: { expired } };
		}
		case 'GET clock':
			return { status: 200, body: { now: core.clock.now().toISOString(), offsetMs: core.clock.offset } };
		case 'POST clock':
		case 'PUT clock': {
			const object = asObject(body);
			if (object.reset === true) core.clock.reset();
			else if (typeof object.advanceMs === 'number') core.clock.advance(object.advanceMs);
			else if (typeof object.set === 'string' && !Number.isNaN(Date.parse(object.set))) core.clock.set(new Date(object.set));
			else throw new AdminError(400, 'Send { "advanceMs": number }, { "set": "<ISO date>" } or { "reset": true }');
			return { status: 200, body: { now: core.clock.now().toISOString(), offsetMs: core.clock.offset } };
		}
		default:
			throw new AdminError(404, `No admin operation ${method} /__admin/${action}`);
	}
}

function checkProviders(core: SandboxCore, inputs: FaultRuleInput[]): FaultRuleInput[] {
	for (const input of inputs) providerParam(core, asObject(input).provider, true);
	return inputs;
}

function concurrencyBody(core: SandboxCore) {
	return {
		retryAfterSeconds: core.concurrencyRetryAfterSeconds,
		providers: core.providerStates().map(({ provider, concurrencyLimit, inFlight }) => ({ provider, limit: concurrencyLimit, inFlight })),
	};
}
