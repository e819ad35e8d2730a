/**
 * The sandbox core on its own, with a minimal fake emulator: routing, ledger, faults, latency, concurrency limits,
 * request counts, the admin API and the ledger page.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import type { EmulatorFactory, RenderedFault, SandboxResponse } from '../../sandbox/types';
import { call, rawRequest } from './helpers';

const finished: Array<{ operation: string; delivered: boolean; status: number }> = [];

/** Claims the magentoRest key, but only serves /fake: POST /memos creates, GET /memos lists, GET /whoami needs a session. */
const fakeEmulator: EmulatorFactory = (context) => {
	let memos: string[] = [];
	let sessionValid = true;
	return {
		provider: 'magentoRest',
		prefixes: ['/fake'],
		demoCredentials: ['token fake'],
		route(request) {
			if (request.method === 'POST' && request.path === '/memos') {
				return {
					operation: 'createMemo',
					creates: true,
					run(): SandboxResponse {
						const id = `memo-${memos.length + 1}-${Math.floor(context.random() * 1000)}`;
						memos.push(id);
						const reference = (JSON.parse(request.rawBody || '{}') as { ref?: string }).ref ?? '<b>ref</b>';
						context.record({ creditMemoId: id, operation: 'createMemo', totalAmount: 10, reference }, request);
						return { status: 201, body: { id } };
					},
					onFinished: ({ response, delivered }) => finished.push({ operation: 'createMemo', delivered, status: response.status }),
				};
			}
			if (request.method === 'GET' && request.path === '/memos') {
				return { operation: 'listMemos', creates: false, run: () => ({ status: 200, body: { memos } }) };
			}
			if (request.method === 'POST' && request.path === '/login') {
				return {
					operation: 'login',
					creates: false,
					exemptFromConcurrencyLimit: true,
					run: () => {
						sessionValid = true;
						return { status: 200, body: { ok: true } };
					},
				};
			}
			if (request.method === 'GET' && request.path === '/whoami') {
				return {
					operation: 'whoami',
					creates: false,
					run: () => (sessionValid ? { status: 200, body: { user: 'demo' } } : { status: 401, body: { error: 'expired' } }),
				};
			}
			return undefined;
		},
		renderFault(fault: RenderedFault): SandboxResponse {
			if (fault.kind === 'rateLimited') {
				return { status: 429, headers: { 'Retry-After': String(fault.retryAfterSeconds) }, body: { fault } };
			}
			return { status: fault.kind === 'serverError' ? fault.status : 503, body: { fault } };
		},
		expireSessions() {
			sessionValid = false;
		},
		reset() {
			memos = [];
			sessionValid = true;
		},
	};
};

let sandbox: Sandbox;
let base: string;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 7, emulators: [fakeEmulator] });
	base = `${sandbox.url}/fake`;
});

afterAll(async () => {
	await sandbox.stop();
});

beforeEach(() => {
	sandbox.reset();
	finished.length = 0;
});

const create = () => call(`${base}/memos`, { method: 'POST', headers: { Authorization: 'Bearer secret-token' }, json: { a: 1 } });

describe('routing and ledger', () => {
	it('listens on 127.0.0.1 and reports its providers', async () => {
		expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const state = await call(`${sandbox.url}/__admin/state`);
		expect(state.status).toBe(200);
		expect(state.body.providers).toEqual([
			expect.objectContaining({ provider: 'magentoRest', prefixes: ['/fake'], concurrencyLimit: null, demoCredentials: ['token fake'] }),
		]);
		expect(sandbox.providerUrl('magentoRest')).toBe(base);
	});

	it('answers 404 for paths no emulator serves', async () => {
		expect((await call(`${sandbox.url}/nowhere`)).status).toBe(404);
		expect((await call(`${base}/unknown`)).status).toBe(404);
	});

	it('records each created memo with the request, secrets redacted', async () => {
		const created = await create();
		expect(created.status).toBe(201);
		const ledger = await call(`${sandbox.url}/__admin/ledger`);
		expect(ledger.body.total).toBe(1);
		expect(ledger.body.counts).toEqual({ magentoRest: 1 });
		const [entry] = ledger.body.entries;
		expect(entry).toMatchObject({
			provider: 'magentoRest',
			creditMemoId: created.body.id,
			operation: 'createMemo',
			request: { method: 'POST', path: '/fake/memos', body: '{"a":1}' },
		});
		expect(entry.request.headers.authorization).toBe('[redacted]');
		expect(JSON.stringify(entry)).not.toContain('secret-token');
		expect(entry.responseDropped).toBeUndefined();
		expect(finished).toEqual([{ operation: 'createMemo', delivered: true, status: 201 }]);
	});

	it('reset empties the ledger and restores the seeded state', async () => {
		const first = (await create()).body.id;
		await create();
		const reset = await call(`${sandbox.url}/__admin/reset`, { method: 'POST', json: {} });
		expect(reset.status).toBe(200);
		expect(sandbox.ledger()).toHaveLength(0);
		expect((await call(`${base}/memos`)).body.memos).toEqual([]);
		// Same seed, same IDs.
		expect((await create()).body.id).toBe(first);
	});

	it('shows the ledger on an HTML page, escaped', async () => {
		const created = await create();
		const page = await call(`${sandbox.url}/`);
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toContain('text/html');
		expect(page.text).toContain(created.body.id);
		expect(page.text).toContain('&lt;b&gt;ref&lt;/b&gt;');
		expect(page.text).not.toContain('<b>ref</b>');
	});
});

describe('faults', () => {
	it('5xx before commit commits nothing, for the next N requests only', async () => {
		sandbox.setFaults([{ provider: 'magentoRest', operation: 'createMemo', kind: 'serverError', status: 502, count: 2 }]);
		expect((await create()).status).toBe(502);
		expect((await create()).status).toBe(502);
		expect(sandbox.ledger()).toHaveLength(0);
		expect((await create()).status).toBe(201);
		expect(sandbox.ledger()).toHaveLength(1);
		expect(sandbox.faults()[0]).toMatchObject({ remaining: 0, fired: 2 });
		expect(finished).toEqual([{ operation: 'createMemo', delivered: true, status: 201 }]);
	});

	it('drop after commit: the memo exists, the client sees a reset connection', async () => {
		sandbox.setFaults([{ provider: 'magentoRest', kind: 'dropAfterCommit', count: 1 }]);
		const outcome = await rawRequest(`${base}/memos`, { method: 'POST', body: '{}' });
		expect('error' in outcome).toBe(true);
		if ('error' in outcome) expect(['ECONNRESET', 'EPIPE']).toContain(outcome.error.code);
		const [entry] = sandbox.ledger();
		expect(entry.responseDropped).toBe(true);
		expect((await call(`${base}/memos`)).body.memos).toEqual([entry.creditMemoId]);
		expect(finished).toEqual([{ operation: 'createMemo', delivered: false, status: 201 }]);
		await expect(fetch(`${base}/memos`, { method: 'POST', body: '{}' })).resolves.toHaveProperty('status', 201);
	});

	it('drop after commit does not apply to operations that create nothing', async () => {
		sandbox.setFaults([{ provider: 'magentoRest', kind: 'dropAfterCommit' }]);
		expect((await call(`${base}/memos`)).status).toBe(200);
	});

	it('reset before commit drops the connection and commits nothing', async () => {
		sandbox.setFaults([{ provider: '*', kind: 'resetBeforeCommit', count: 1 }]);
		const outcome = await rawRequest(`${base}/memos`, { method: 'POST', body: '{}' });
		expect('error' in outcome).toBe(true);
		expect(sandbox.ledger()).toHaveLength(0);
	});

	it('rate limit bursts are rendered by the emulator with the configured wait', async () => {
		sandbox.setFaults([{ provider: 'magentoRest', kind: 'rateLimited', retryAfterSeconds: 0.5, count: 1 }]);
		const limited = await create();
		expect(limited.status).toBe(429);
		expect(limited.body.fault).toEqual({ kind: 'rateLimited', retryAfterSeconds: 0.5, scope: 'rate' });
		expect((await create()).status).toBe(201);
	});

	it('expired sessions make the next request fail the provider way', async () => {
		sandbox.setFaults([{ provider: 'magentoRest', operation: 'whoami', kind: 'expiredSession', count: 1 }]);
		expect((await call(`${base}/whoami`)).status).toBe(401);
		await call(`${base}/login`, { method: 'POST', body: '' });
		expect((await call(`${base}/whoami`)).status).toBe(200);
		sandbox.expireSessions('magentoRest');
		expect((await call(`${base}/whoami`)).status).toBe(401);
	});

	it('probabilities are deterministic for a seed', async () => {
		const run = async () => {
			sandbox.setFaults([{ provider: 'magentoRest', operation: 'listMemos', kind: 'serverError', probability: 0.5 }]);
			const statuses: number[] = [];
			for (let i = 0; i < 24; i++) statuses.push((await call(`${base}/memos`)).status);
			return statuses;
		};
		const first = await run();
		sandbox.reset();
		const second = await run();
		expect(second).toEqual(first);
		const failures = first.filter((status) => status === 500).length;
		expect(failures).toBeGreaterThan(0);
		expect(failures).toBeLessThan(24);
		sandbox.reset(8);
		expect(await run()).not.toEqual(first);
	});

	it('the admin API manages fault rules and rejects bad ones', async () => {
		const added = await call(`${sandbox.url}/__admin/faults`, {
			method: 'POST',
			json: { provider: 'magentoRest', operation: 'createMemo', kind: 'unavailable', count: 1 },
		});
		expect(added.status).toBe(201);
		expect(added.body.added[0]).toMatchObject({ id: expect.any(String), remaining: 1, fired: 0 });
		expect((await create()).status).toBe(503);
		expect((await call(`${sandbox.url}/__admin/faults`)).body.rules[0]).toMatchObject({ remaining: 0, fired: 1 });
		expect((await call(`${sandbox.url}/__admin/faults`, { method: 'DELETE' })).body.rules).toEqual([]);
		const bad = await call(`${sandbox.url}/__admin/faults`, { method: 'POST', json: { provider: 'magentoRest', kind: 'explode' } });
		expect(bad.status).toBe(400);
		const unknownProvider = await call(`${sandbox.url}/__admin/faults`, { method: 'PUT', json: [{ provider: 'stripe', kind: 'delay' }] });
		expect(unknownProvider.status).toBe(400);
		expect((await call(`${sandbox.url}/__admin/nothing`)).status).toBe(404);
	});
});

describe('latency and concurrency', () => {
	it('adds fixed latency per provider', async () => {
		const put = await call(`${sandbox.url}/__admin/latency`, { method: 'PUT', json: { provider: 'magentoRest', fixedMs: 120, jitterMs: 0 } });
		expect(put.status).toBe(200);
		const started = Date.now();
		expect((await call(`${base}/memos`)).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(115);
		sandbox.reset();
		const fast = Date.now();
		await call(`${base}/memos`);
		expect(Date.now() - fast).toBeLessThan(100);
	});

	it('answers 429 beyond the concurrency limit, not for exempt operations', async () => {
		sandbox.setLatency('magentoRest', { fixedMs: 150, jitterMs: 0 });
		sandbox.setConcurrencyLimit('magentoRest', 2, 0.25);
		const statuses = await Promise.all(Array.from({ length: 5 }, () => call(`${base}/memos`)));
		expect(statuses.map((response) => response.status).sort()).toEqual([200, 200, 429, 429, 429]);
		const limited = statuses.find((response) => response.status === 429);
		expect(limited?.body.fault).toEqual({ kind: 'rateLimited', retryAfterSeconds: 0.25, scope: 'concurrency', limit: 2 });
		const logins = await Promise.all(Array.from({ length: 4 }, () => call(`${base}/login`, { method: 'POST', body: '' })));
		expect(logins.every((response) => response.status === 200)).toBe(true);
		expect(sandbox.state().providers[0].inFlight).toBe(0);
	});

	it('the admin API sets concurrency limits and the clock', async () => {
		const put = await call(`${sandbox.url}/__admin/concurrency`, { method: 'PUT', json: { provider: 'magentoRest', limit: 3 } });
		expect(put.body.providers).toEqual([{ provider: 'magentoRest', limit: 3, inFlight: 0 }]);
		const before = sandbox.clock.now().getTime();
		const clock = await call(`${sandbox.url}/__admin/clock`, { method: 'POST', json: { advanceMs: 3_600_000 } });
		expect(Date.parse(clock.body.now) - before).toBeGreaterThanOrEqual(3_600_000);
		expect((await call(`${sandbox.url}/__admin/clock`, { method: 'POST', json: { nonsense: 1 } })).status).toBe(400);
	});
});

describe('request counts and ledger summary', () => {
	const createFor = (ref: string) => call(`${base}/memos`, { method: 'POST', json: { ref } });

	it('counts every request per operation and status, 429s and dropped connections included', async () => {
		sandbox.setLatency('magentoRest', { fixedMs: 100, jitterMs: 0 });
		sandbox.setConcurrencyLimit('magentoRest', 1);
		const statuses = await Promise.all([createFor('a'), createFor('b'), call(`${base}/unknown`)]);
		expect(statuses.map((response) => response.status).sort()).toEqual([201, 404, 429]);
		sandbox.setConcurrencyLimit('magentoRest', null);
		sandbox.setFaults([{ provider: 'magentoRest', kind: 'dropAfterCommit', count: 1 }]);
		expect('error' in (await rawRequest(`${base}/memos`, { method: 'POST', body: '{"ref":"c"}' }))).toBe(true);
		await call(`${base}/memos`);
		const counted = await call(`${sandbox.url}/__admin/requests?provider=magentoRest`);
		expect(counted.status).toBe(200);
		expect(counted.body).toEqual({
			total: 5,
			counts: [
				{ provider: 'magentoRest', operation: 'createMemo', outcome: 201, count: 1 },
				{ provider: 'magentoRest', operation: 'createMemo', outcome: 429, count: 1 },
				{ provider: 'magentoRest', operation: 'createMemo', outcome: 'dropped', count: 1 },
				{ provider: 'magentoRest', operation: 'listMemos', outcome: 200, count: 1 },
				{ provider: 'magentoRest', operation: 'unknown', outcome: 404, count: 1 },
			],
		});
		expect(sandbox.state().requests).toEqual({ magentoRest: 5 });
		// Admin requests and the ledger page are not provider requests.
		await call(`${sandbox.url}/`);
		expect(sandbox.requests().reduce((sum, entry) => sum + entry.count, 0)).toBe(5);
	});

	it('clears the counts on DELETE and on reset, not the ledger', async () => {
		await createFor('a');
		expect((await call(`${sandbox.url}/__admin/requests`, { method: 'DELETE' })).body).toEqual({ total: 0, counts: [] });
		expect(sandbox.requests()).toEqual([]);
		expect(sandbox.ledger()).toHaveLength(1);
		await createFor('b');
		sandbox.reset();
		expect(sandbox.requests()).toEqual([]);
	});

	it('summarises the ledger: memos, distinct references, duplicates, dropped responses, per reference tag', async () => {
		for (const ref of ['run1-a', 'run1-a', 'run1-a', 'run1-b', 'run2-a']) await createFor(ref);
		sandbox.setFaults([{ provider: 'magentoRest', kind: 'dropAfterCommit', count: 1 }]);
		await rawRequest(`${base}/memos`, { method: 'POST', body: '{"ref":"run1-c"}' });
		expect(sandbox.ledgerSummary('magentoRest', 'run1-')).toEqual({ memos: 5, references: 3, duplicates: 2, responsesDropped: 1 });
		const all = await call(`${sandbox.url}/__admin/ledger/summary?provider=magentoRest`);
		expect(all.body).toEqual({ memos: 6, references: 4, duplicates: 2, responsesDropped: 1 });
		expect((await call(`${sandbox.url}/__admin/ledger/summary?contains=nothing`)).body).toEqual({ memos: 0, references: 0, duplicates: 0, responsesDropped: 0 });
		expect((await call(`${sandbox.url}/__admin/ledger/summary?provider=stripe`)).status).toBe(400);
	});
});
