/**
 * Rebilly credit memos (official OpenAPI: github.com/Rebilly/api-definitions, copied to sandbox/specs/):
 * `/rebilly/organizations/{organizationId}/credit-memos[...]`, secret key in `REB-APIKEY`,
 * RFC 9457 problems (422 with `invalidFields`, 429 with `X-RateLimit-Retry-After` as a UTC epoch timestamp).
 */
import { REBILLY_DEMO } from '../../demoCredentials';
import type { EmulatorFactory, RenderedFault, RoutedRequest, SandboxRequest, SandboxResponse } from '../../types';
import { header, matchPath, parseJson } from '../../util/http';
import { RebillyState, rebillyTime, renderMemo, writableBody, type Memo, type RebillyFixture, type TimelineMessage } from './state';
import { validateBody, type InvalidField } from './validation';

const PROBLEM_TITLES: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	409: 'Conflict',
	422: 'Validation error',
	429: 'Rate Limit Exceeded',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

/** The spec declares problems as `application/json` (not application/problem+json). */
function problem(status: number, detail: string, request: SandboxRequest | undefined, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): SandboxResponse {
	return {
		status,
		headers,
		body: {
			type: 'about:blank',
			title: PROBLEM_TITLES[status] ?? 'Error',
			status,
			detail,
			...(request ? { instance: request.path } : {}),
			...extra,
		},
	};
}

function validationProblem(invalidFields: InvalidField[], request: SandboxRequest): SandboxResponse {
	return problem(422, 'Invalid data sent.', request, { invalidFields });
}

const ID_PATTERN = /^[@~\-.\w]+$/;
const LIST_LIMIT_DEFAULT = 100;
const LIST_LIMIT_MAX = 1000;
const FILTER_FIELDS = ['id', 'customerId', 'invoiceId', 'status', 'currency', 'reason', 'number', 'createdTime', 'updatedTime', 'totalAmount'] as const;
const SORT_FIELDS = ['createdTime', 'updatedTime', 'number', 'totalAmount', 'id'] as const;

export const createRebillyEmulator: EmulatorFactory = (context, environment) => {
	const random = () => context.random();
	const load = () => environment.loadFixture<RebillyFixture>('rebilly');
	let fixture = load();
	let state = new RebillyState(fixture, random);
	let window = { start: 0, count: 0 };

	const organizationUrl = (prefix: string, organizationId: string) => `${context.baseUrl()}${prefix}/organizations/${organizationId}`;
	const memoUrl = (prefix: string, organizationId: string, id: string) => `${organizationUrl(prefix, organizationId)}/credit-memos/${encodeURIComponent(id)}`;

	/** Rate limit per organization on non-GET requests (docs: sandbox 3000 / 10 minutes). */
	function consumeRateLimit(request: SandboxRequest): { ok: true; headers: Record<string, string> } | { ok: false; response: SandboxResponse } {
		const { limit, windowSeconds } = fixture.rateLimit;
		const now = context.now().getTime();
		if (now - window.start >= windowSeconds * 1000) window = { start: now, count: 0 };
		if (window.count >= limit) {
			const resetAt = Math.ceil((window.start + windowSeconds * 1000) / 1000);
			return { ok: false, response: tooManyRequests(resetAt, limit, request) };
		}
		window.count++;
		return { ok: true, headers: { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(limit - window.count) } };
	}

	function tooManyRequests(resetAtEpochSeconds: number, limit: number, request?: SandboxRequest): SandboxResponse {
		return problem(
			429,
			'A request cannot be executed because the user has sent too many requests within a certain period of time',
			request,
			{},
			{ 'X-RateLimit-Retry-After': String(resetAtEpochSeconds), 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': '0' },
		);
	}

	function authenticate(request: SandboxRequest, organizationId: string): SandboxResponse | undefined {
		const apiKey = header(request.headers, 'reb-apikey');
		const organizations = apiKey === undefined ? undefined : fixture.apiKeys[apiKey];
		if (!organizations) {
			const detail = apiKey === undefined ? 'Missing REB-APIKEY header (a secret API key) or a valid JWT.' : 'Invalid API key.';
			return problem(401, detail, request);
		}
		if (!fixture.organizations.includes(organizationId) || !organizations.includes(organizationId)) {
			return problem(403, `The API key has no access to organization ${organizationId}.`, request);
		}
		return undefined;
	}

	function parseBody(request: SandboxRequest): { ok: true; value: unknown } | { ok: false; response: SandboxResponse } {
		const parsed = parseJson(request.rawBody);
		if (!parsed.ok) return { ok: false, response: problem(400, `The request body is not valid JSON: ${parsed.error}`, request) };
		return parsed;
	}

	function checkedId(id: string, request: SandboxRequest): SandboxResponse | undefined {
		if (!ID_PATTERN.test(id) || id.length > 50) return validationProblem([{ field: 'id', message: 'This value is not valid.' }], request);
		return undefined;
	}

	/** POST and PUT: validate, build, store, record. */
	function write(request: SandboxRequest, prefix: string, organizationId: string, id: string | undefined, operation: string): SandboxResponse {
		const parsed = parseBody(request);
		if (!parsed.ok) return parsed.response;
		const validated = validateBody('CreditMemo', parsed.value);
		if (!validated.ok) return validationProblem(validated.invalidFields, request);
		const existing = id === undefined ? undefined : state.memos.get(id);
		if (existing?.status === 'voided') return problem(409, `Credit memo ${existing.id} is voided and cannot be modified.`, request);
		const memoId = id ?? state.newId('crmm_');
		const built = state.build(validated.value, existing, memoId, context.now());
		if ('invalidFields' in built) return validationProblem(built.invalidFields, request);
		state.store(built.memo);
		const body = renderMemo(built.memo, memoUrl(prefix, organizationId, memoId), organizationUrl(prefix, organizationId));
		if (existing) return { status: 200, body };
		context.record(
			{
				creditMemoId: memoId,
				number: String(built.memo.number),
				reference: built.memo.description,
				source: built.memo.invoiceId ?? built.memo.customerId,
				totalAmount: body.totalAmount as number,
				operation,
			},
			request,
		);
		return { status: 201, headers: { Location: memoUrl(prefix, organizationId, memoId) }, body };
	}

	function patch(request: SandboxRequest, prefix: string, organizationId: string, memo: Memo): SandboxResponse {
		const parsed = parseBody(request);
		if (!parsed.ok) return parsed.response;
		const validated = validateBody('PatchCreditMemo', parsed.value);
		if (!validated.ok) return validationProblem(validated.invalidFields, request);
		if (memo.status === 'voided') return problem(409, `Credit memo ${memo.id} is voided and cannot be modified.`, request);
		const built = state.build({ ...writableBody(memo), ...validated.value }, memo, memo.id, context.now());
		if ('invalidFields' in built) return validationProblem(built.invalidFields, request);
		state.store(built.memo);
		return { status: 200, body: renderMemo(built.memo, memoUrl(prefix, organizationId, memo.id), organizationUrl(prefix, organizationId)) };
	}

	function list(request: SandboxRequest, prefix: string, organizationId: string): SandboxResponse {
		const limitParam = request.query.get('limit');
		const offsetParam = request.query.get('offset');
		const limit = limitParam === null ? LIST_LIMIT_DEFAULT : Number(limitParam);
		const offset = offsetParam === null ? 0 : Number(offsetParam);
		if (!Number.isInteger(limit) || limit < 0 || limit > LIST_LIMIT_MAX) {
			return problem(400, `limit must be an integer from 0 to ${LIST_LIMIT_MAX}.`, request);
		}
		if (!Number.isInteger(offset) || offset < 0) return problem(400, 'offset must be a non-negative integer.', request);
		const filter = parseFilter(request.query.get('filter'));
		if ('error' in filter) return problem(400, filter.error, request);
		const sort = parseSort(request.query.get('sort'));
		if ('error' in sort) return problem(400, sort.error, request);

		const rendered = [...state.memos.values()].map((memo) => ({
			memo,
			body: renderMemo(memo, memoUrl(prefix, organizationId, memo.id), organizationUrl(prefix, organizationId)),
		}));
		const matching = rendered.filter(({ body }) => filter.conditions.every((condition) => condition(body)));
		matching.sort((a, b) => {
			for (const { field, direction } of sort.keys) {
				const left = a.body[field] as string | number;
				const right = b.body[field] as string | number;
				if (left < right) return -direction;
				if (left > right) return direction;
			}
			return (a.memo.seq - b.memo.seq) * (sort.keys[0]?.direction ?? 1);
		});
		return {
			status: 200,
			headers: { 'Pagination-Total': String(matching.length), 'Pagination-Limit': String(limit), 'Pagination-Offset': String(offset) },
			body: matching.slice(offset, offset + limit).map(({ body }) => body),
		};
	}

	function timelineBody(message: TimelineMessage, url: string): Record<string, unknown> {
		return {
			id: message.id,
			...(message.type ? { type: message.type } : {}),
			triggeredBy: message.triggeredBy,
			message: message.message,
			occurredTime: message.occurredTime,
			_links: [{ href: url, rel: 'self' }],
		};
	}

	function addTimelineMessage(request: SandboxRequest, prefix: string, organizationId: string, memo: Memo): SandboxResponse {
		const parsed = parseBody(request);
		if (!parsed.ok) return parsed.response;
		const validated = validateBody('CreditMemoTimeline', parsed.value);
		if (!validated.ok) return validationProblem(validated.invalidFields, request);
		const text = validated.value.message;
		if (typeof text !== 'string' || text.trim() === '') {
			return validationProblem([{ field: 'message', message: 'This value should not be blank.' }], request);
		}
		const message: TimelineMessage = { id: state.newId('tmln_'), triggeredBy: 'direct-api', message: text, occurredTime: rebillyTime(context.now()) };
		memo.timeline.push(message);
		const url = `${memoUrl(prefix, organizationId, memo.id)}/timeline/${message.id}`;
		return { status: 201, headers: { Location: url }, body: timelineBody(message, url) };
	}

	function voidMemo(request: SandboxRequest, prefix: string, organizationId: string, memo: Memo): SandboxResponse {
		if (memo.status === 'voided') return problem(409, `Credit memo ${memo.id} is already voided.`, request);
		const now = rebillyTime(context.now());
		memo.status = 'voided';
		memo.revision++;
		memo.updatedTime = now;
		memo.timeline.push({ id: state.newId('tmln_'), type: 'credit-memo-voided', triggeredBy: 'direct-api', message: 'Credit memo voided.', occurredTime: now });
		const url = memoUrl(prefix, organizationId, memo.id);
		return { status: 201, headers: { Location: url }, body: renderMemo(memo, url, organizationUrl(prefix, organizationId)) };
	}

	function route(request: SandboxRequest, prefix: string): RoutedRequest | undefined {
		const scoped = matchPath('/organizations/:organizationId', request.path.split('/').slice(0, 3).join('/'));
		if (!scoped) return undefined;
		const organizationId = scoped.organizationId;
		const rest = request.path.split('/').slice(3).join('/');
		const sub = `/${rest}`;
		const method = request.method;

		/** Auth, then (for writes) the rate limit, then the operation; rate-limit headers on write responses. */
		const guarded = (operation: string, creates: boolean, handler: () => SandboxResponse): RoutedRequest => ({
			operation,
			creates,
			run() {
				const denied = authenticate(request, organizationId);
				if (denied) return denied;
				if (method === 'GET') return handler();
				const limited = consumeRateLimit(request);
				if (!limited.ok) return limited.response;
				const response = handler();
				return { ...response, headers: { ...limited.headers, ...(response.headers ?? {}) } };
			},
		});
		const withMemo = (id: string, handler: (memo: Memo) => SandboxResponse) => () => {
			const memo = state.memos.get(id);
			return memo ? handler(memo) : problem(404, `Credit memo with ID ${id} was not found.`, request);
		};

		if (sub === '/credit-memos' || sub === '/credit-memos/') {
			if (method === 'GET') return guarded('listCreditMemos', false, () => list(request, prefix, organizationId));
			if (method === 'POST') return guarded('createCreditMemo', true, () => write(request, prefix, organizationId, undefined, 'createCreditMemo'));
		}
		let params = matchPath('/credit-memos/:id', sub);
		if (params) {
			const id = params.id;
			if (method === 'GET') return guarded('getCreditMemo', false, withMemo(id, (memo) => ({ status: 200, body: renderMemo(memo, memoUrl(prefix, organizationId, id), organizationUrl(prefix, organizationId)) })));
			if (method === 'PUT') return guarded('upsertCreditMemo', true, () => checkedId(id, request) ?? write(request, prefix, organizationId, id, 'upsertCreditMemo'));
			if (method === 'PATCH') return guarded('patchCreditMemo', false, withMemo(id, (memo) => patch(request, prefix, organizationId, memo)));
		}
		params = matchPath('/credit-memos/:id/void', sub);
		if (params && method === 'POST') return guarded('voidCreditMemo', false, withMemo(params.id, (memo) => voidMemo(request, prefix, organizationId, memo)));
		params = matchPath('/credit-memos/:id/timeline', sub);
		if (params) {
			const id = params.id;
			if (method === 'POST') return guarded('addComment', false, withMemo(id, (memo) => addTimelineMessage(request, prefix, organizationId, memo)));
			if (method === 'GET') {
				return guarded('listTimeline', false, withMemo(id, (memo) => {
					const messages = memo.timeline.map((message) => timelineBody(message, `${memoUrl(prefix, organizationId, id)}/timeline/${message.id}`));
					return { status: 200, headers: { 'Pagination-Total': String(messages.length), 'Pagination-Limit': String(LIST_LIMIT_DEFAULT), 'Pagination-Offset': '0' }, body: messages };
				}));
			}
		}
		params = matchPath('/credit-memos/:id/timeline/:messageId', sub);
		if (params && method === 'GET') {
			const { id, messageId } = params;
			return guarded('getTimelineMessage', false, withMemo(id, (memo) => {
				const message = memo.timeline.find((candidate) => candidate.id === messageId);
				return message
					? { status: 200, body: timelineBody(message, `${memoUrl(prefix, organizationId, id)}/timeline/${message.id}`) }
					: problem(404, `Timeline message ${messageId} was not found.`, request);
			}));
		}
		return guarded('unknown', false, () => problem(404, `No resource at ${method} ${request.path}.`, request));
	}

	function renderFault(fault: RenderedFault, request: SandboxRequest): SandboxResponse {
		switch (fault.kind) {
			case 'rateLimited': {
				const resetAt = Math.ceil((context.now().getTime() + fault.retryAfterSeconds * 1000) / 1000);
				return tooManyRequests(resetAt, fault.limit ?? fixture.rateLimit.limit, request);
			}
			case 'serverError':
				return problem(fault.status, 'The server encountered an unexpected condition.', request);
			case 'unavailable':
				return problem(503, 'The service is temporarily unavailable.', request);
		}
	}

	return {
		provider: 'rebilly',
		prefixes: ['/rebilly'],
		demoCredentials: [`organization ${REBILLY_DEMO.organizationId}, header REB-APIKEY: ${REBILLY_DEMO.apiKey}`],
		route,
		renderFault,
		// Secret API keys do not expire; the sandbox has no JWT sessions to expire.
		expireSessions() {},
		reset() {
			fixture = load();
			state = new RebillyState(fixture, random);
			window = { start: 0, count: 0 };
		},
	};
};

type Condition = (memo: Record<string, unknown>) => boolean;

/** Rebilly filter syntax: `field:value;field2:value1,value2;createdTime:2024-01-01T00:00:00Z..2024-12-31T23:59:59Z`. */
function parseFilter(raw: string | null): { conditions: Condition[] } | { error: string } {
	if (!raw) return { conditions: [] };
	const conditions: Condition[] = [];
	for (const part of raw.split(';').filter(Boolean)) {
		const colon = part.indexOf(':');
		if (colon <= 0) return { error: `Invalid filter "${part}": use field:value.` };
		const field = part.slice(0, colon);
		const value = part.slice(colon + 1);
		if (!(FILTER_FIELDS as readonly string[]).includes(field)) {
			return { error: `Filtering by "${field}" is not supported; use one of ${FILTER_FIELDS.join(', ')}.` };
		}
		if (value.includes('..')) {
			const [from, to] = value.split('..', 2);
			const numeric = field === 'totalAmount' || field === 'number';
			const parse = (text: string) => (numeric ? Number(text) : Date.parse(text));
			const low = from ? parse(from) : -Infinity;
			const high = to ? parse(to) : Infinity;
			if (Number.isNaN(low) || Number.isNaN(high)) return { error: `Invalid range "${value}" for ${field}.` };
			conditions.push((memo) => {
				const actual = numeric ? Number(memo[field]) : Date.parse(String(memo[field]));
				return actual >= low && actual <= high;
			});
		} else {
			const values = value.split(',');
			conditions.push((memo) => values.includes(memo[field] === null ? 'null' : String(memo[field])));
		}
	}
	return { conditions };
}

function parseSort(raw: string | null): { keys: Array<{ field: string; direction: 1 | -1 }> } | { error: string } {
	const keys: Array<{ field: string; direction: 1 | -1 }> = [];
	for (const part of (raw ?? '-createdTime').split(',').filter(Boolean)) {
		const direction = part.startsWith('-') ? -1 : 1;
		const field = part.replace(/^[-+]/, '');
		if (!(SORT_FIELDS as readonly string[]).includes(field)) return { error: `Sorting by "${field}" is not supported; use one of ${SORT_FIELDS.join(', ')}.` };
		keys.push({ field, direction });
	}
	return { keys };
}
