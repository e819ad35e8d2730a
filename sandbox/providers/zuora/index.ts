/**
 * Zuora Billing v1 credit memos (official compact OTC OpenAPI fragment in sandbox/specs/, docs pages in
 * ../shared/reference/specs/zuora/docs/): OAuth client credentials, single and bulk create (each memo its own
 * transaction), get/list/update/cancel/post, Idempotency-Key, Zuora-Version, Zuora-Track-Id and the concurrency
 * limit headers.
 *
 * Status codes: application errors (invalid value, unknown field, missing field, business rule, not found) come
 * back as HTTP 200 with `success: false` and numeric `reasons[].code`, as in the docs' samples ("HTTP 200 doesn't
 * guarantee your call succeeded"). Transport-level errors use 4xx/5xx with the spec's CommonResponse /
 * ErrorResponse (string codes, as those schemas declare): 400 malformed JSON, 401, 404 unknown path, 405,
 * 409/422 idempotency, 429, 5xx.
 */
import { ZUORA_DEMO } from '../../demoCredentials';
import type { EmulatorEnvironment, EmulatorFactory, RenderedFault, RoutedRequest, SandboxRequest, SandboxResponse } from '../../types';
import { bearerToken, header, isCalendarDate, isPlainObject, matchPath, parseJson } from '../../util/http';
import { hexId, uuid } from '../../util/random';
import { ZUORA_CODES, ZuoraState, type Memo, type Reason, type Result, type ZuoraFixture } from './state';
import { requestSchema, validate, versionBand, type FieldError, type RequestSchema, type VersionBand } from './validation';

/** Zuora keeps an idempotency key 24 hours after it is set (docs: idempotent requests). */
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const MAX_BULK_MEMOS = 50;
const PAGE_SIZE_DEFAULT = 20;
const PAGE_SIZE_MAX = 40;
/** Docs example: "ratelimit-limit: 2250000, 50000;w=60, ...". API Sandbox tenant figures (not enforced). */
const RATE_LIMIT_HEADER = '2500, 2500;w=60, 5000;w=3600, 10000;w=86400';
const LIST_FILTERS = ['accountId', 'accountNumber', 'referredInvoiceId', 'status', 'number', 'currency', 'createdDate', 'updatedDate', 'creditMemoDate', 'amount', 'sourceType', 'reasonCode'] as const;
const FILTER_OPERATORS = ['EQ', 'NE', 'GT', 'GE', 'LT', 'LE'] as const;
/** GET_CreditMemos `sort`: the sortable fields the v1 reference lists. */
const SORT_FIELDS = [
	'accountId',
	'amount',
	'appliedAmount',
	'createdById',
	'createdDate',
	'creditMemoDate',
	'number',
	'referredInvoiceId',
	'refundAmount',
	'status',
	'targetDate',
	'taxAmount',
	'totalTaxExemptAmount',
	'transferredToAccounting',
	'unappliedAmount',
	'updatedDate',
] as const;
/** "You can use at most two sortable fields in one URL path." */
const MAX_SORT_FIELDS = 2;

interface SortKey {
	field: string;
	/** 1 ascending, -1 descending. */
	direction: 1 | -1;
}

/**
 * GET_CreditMemos `sort`, as the v1 reference documents it: "operator field_name", at most two separated by a
 * comma; "-" is ascending, "+" descending, no operator descending (Zuora's own convention, the reverse of most
 * APIs). A "+" sent unencoded arrives as a space, which also reads as descending. Undefined when invalid.
 */
function parseSort(value: string): SortKey[] | undefined {
	const parts = value.split(',');
	if (parts.length > MAX_SORT_FIELDS) return undefined;
	const keys: SortKey[] = [];
	for (const part of parts) {
		const match = /^\s*([+-]?)\s*([A-Za-z]+)\s*$/.exec(part);
		if (!match || !(SORT_FIELDS as readonly string[]).includes(match[2])) return undefined;
		keys.push({ field: match[2], direction: match[1] === '-' ? 1 : -1 });
	}
	return keys;
}

interface IdempotencyRecord {
	method: string;
	url: string;
	setAt: number;
	response?: SandboxResponse;
}

export const createZuoraEmulator: EmulatorFactory = (context, environment) => {
	const random = () => context.random();
	const load = () => environment.loadFixture<ZuoraFixture>('zuora');
	let fixture = load();
	let state = new ZuoraState(fixture, random);
	let tokens = new Map<string, number>();
	let idempotency = new Map<string, IdempotencyRecord>();
	let minuteWindow = { start: 0, count: 0 };

	const baseHeaders = (request: SandboxRequest): Record<string, string> => {
		const headers: Record<string, string> = { 'Zuora-Request-Id': uuid(random) };
		const trackId = header(request.headers, 'zuora-track-id');
		if (trackId !== undefined && validTrackId(trackId)) headers['Zuora-Track-Id'] = trackId;
		return headers;
	};

	/** Headers every /v1 response carries: request ID, track ID echo, concurrency and rate-limit picture. */
	const v1Headers = (request: SandboxRequest): Record<string, string> => {
		const concurrency = concurrencyHeaders(environment);
		const now = context.now().getTime();
		if (now - minuteWindow.start >= 60_000) minuteWindow = { start: now, count: 0 };
		minuteWindow.count++;
		return {
			...baseHeaders(request),
			...concurrency,
			'RateLimit-Limit': RATE_LIMIT_HEADER,
			'RateLimit-Remaining': String(Math.max(0, 2500 - minuteWindow.count)),
			'RateLimit-Reset': String(Math.ceil((minuteWindow.start + 60_000 - now) / 1000)),
		};
	};

	const commonError = (status: number, code: number, message: string, request: SandboxRequest, extraHeaders: Record<string, string> = {}): SandboxResponse => ({
		status,
		headers: { ...v1Headers(request), ...extraHeaders },
		body: { success: false, processId: state.processId(), reasons: [{ code: String(code), message }], requestId: uuid(random) },
	});

	/** HTTP 200 with success: false, as Zuora reports invalid values and business-rule failures. */
	const businessFailure = (reasons: Reason[], request: SandboxRequest): SandboxResponse => ({
		status: 200,
		headers: v1Headers(request),
		body: { success: false, processId: state.processId(), reasons },
	});

	const fieldErrors = (errors: FieldError[]): Reason[] =>
		errors.map((error) => ({
			code: error.category === 21 ? ZUORA_CODES.unknownField : error.category === 22 ? ZUORA_CODES.missingField : ZUORA_CODES.invalidValue,
			message: error.message,
		}));

	function authenticate(request: SandboxRequest): SandboxResponse | undefined {
		const token = bearerToken(request.headers);
		if (token === undefined) {
			// Zuora's answer to a call without credentials.
			return {
				status: 401,
				headers: baseHeaders(request),
				body: { success: false, reasons: [{ code: ZUORA_CODES.authentication, message: 'this resource is protected, please sign in first' }] },
			};
		}
		const expiresAt = tokens.get(token);
		if (expiresAt === undefined || expiresAt <= context.now().getTime()) {
			tokens.delete(token);
			// ProxyUnauthorizedResponse {message} with WWW-Authenticate (providers.md E).
			return {
				status: 401,
				headers: {
					...baseHeaders(request),
					'WWW-Authenticate': 'Bearer realm="Zuora", error="invalid_token", error_description="The access token is invalid or has expired"',
				},
				body: { message: 'Authentication error' },
			};
		}
		return undefined;
	}

	/** Zuora-Version: "YYYY-MM-DD" (newer than every numbered version) or "NNN.0"; absent = the tenant default. */
	function band(request: SandboxRequest): { ok: true; band: VersionBand } | { ok: false; response: SandboxResponse } {
		const raw = header(request.headers, 'zuora-version') ?? fixture.tenantDefaultVersion;
		if (/^\d{4}-\d{2}-\d{2}$/.test(raw) && isCalendarDate(raw)) return { ok: true, band: 'current' };
		if (/^\d+(\.\d+)?$/.test(raw)) return { ok: true, band: versionBand(Number(raw)) };
		return { ok: false, response: commonError(400, ZUORA_CODES.invalidValue, `Invalid value for header Zuora-Version: ${raw}`, request) };
	}

	function parseBody(request: SandboxRequest): { ok: true; value: Record<string, unknown> } | { ok: false; response: SandboxResponse } {
		const parsed = parseJson(request.rawBody || '{}');
		if (!parsed.ok || !isPlainObject(parsed.value)) {
			const detail = parsed.ok ? 'the body must be a JSON object' : parsed.error;
			return { ok: false, response: commonError(400, ZUORA_CODES.malformedJson, `Malformed request: ${detail}`, request) };
		}
		return { ok: true, value: parsed.value };
	}

	function checkSchema(name: RequestSchema, value: unknown, bandValue: VersionBand, prefix = ''): Reason[] {
		return fieldErrors(validate(requestSchema(name, bandValue), value, fixture.customFields, prefix));
	}

	function recordMemo(memo: Memo, operation: string, request: SandboxRequest): void {
		const rendered = state.render(memo);
		context.record(
			{
				creditMemoId: memo.id,
				number: memo.number,
				reference: memo.customNumber ? memo.number : (memo.comment ?? (memo.customFields.SourceReference__c as string | undefined)),
				source: memo.referredInvoiceId ?? memo.accountId,
				totalAmount: rendered.amount as number,
				operation,
			},
			request,
		);
	}

	const created = (result: Result<Memo>, operation: string, request: SandboxRequest): SandboxResponse => {
		if (!result.ok) return businessFailure(result.reasons, request);
		recordMemo(result.value, operation, request);
		return { status: 200, headers: v1Headers(request), body: state.render(result.value) };
	};

	function createFromInvoice(request: SandboxRequest, invoiceKey: string): SandboxResponse {
		const version = band(request);
		if (!version.ok) return version.response;
		const body = parseBody(request);
		if (!body.ok) return body.response;
		const invoice = state.invoice(invoiceKey);
		if (!invoice) return businessFailure([{ code: ZUORA_CODES.notFound, message: `Cannot find a Invoice instance with id ${invoiceKey}.` }], request);
		const reasons = checkSchema('CreditMemoFromInvoiceRequest', body.value, version.band);
		if (reasons.length) return businessFailure(reasons, request);
		return created(state.createFromInvoice(body.value, { band: version.band, now: context.now(), pathInvoice: invoice }), 'createFromInvoice', request);
	}

	function createFromCharges(request: SandboxRequest): SandboxResponse {
		const version = band(request);
		if (!version.ok) return version.response;
		const body = parseBody(request);
		if (!body.ok) return body.response;
		const reasons = checkSchema('CreditMemoFromChargeRequest', body.value, version.band);
		if (reasons.length) return businessFailure(reasons, request);
		return created(state.createFromCharges(body.value, { band: version.band, now: context.now() }), 'createFromCharge', request);
	}

	/** Up to 50 memos, each in its own transaction: failures are reported per memo with objectIndex. */
	function bulkCreate(request: SandboxRequest): SandboxResponse {
		const version = band(request);
		if (!version.ok) return version.response;
		const body = parseBody(request);
		if (!body.ok) return body.response;
		const { sourceType, memos } = body.value;
		const envelope: Reason[] = [];
		if (sourceType === undefined) envelope.push({ code: ZUORA_CODES.missingField, message: "Required field 'sourceType' is missing" });
		else if (sourceType !== 'Invoice' && sourceType !== 'Standalone') {
			envelope.push({ code: ZUORA_CODES.invalidValue, message: `Invalid value for field sourceType: must be one of Invoice, Standalone` });
		}
		for (const key of Object.keys(body.value)) {
			if (key !== 'sourceType' && key !== 'memos') envelope.push({ code: ZUORA_CODES.unknownField, message: `Unknown field '${key}'` });
		}
		if (memos !== undefined && !Array.isArray(memos)) envelope.push({ code: ZUORA_CODES.invalidValue, message: 'Invalid value for field memos: expected an array' });
		else if (Array.isArray(memos) && memos.length > MAX_BULK_MEMOS) {
			envelope.push({ code: ZUORA_CODES.invalidValue, message: `Invalid value for field memos: at most ${MAX_BULK_MEMOS} credit memos are allowed in one request` });
		}
		if (envelope.length) return businessFailure(envelope, request);
		const schema: RequestSchema = sourceType === 'Invoice' ? 'CreditMemoFromInvoiceRequest' : 'CreditMemoFromChargeRequest';
		const list = (memos as unknown[] | undefined) ?? [];
		// Field-level errors anywhere reject the whole request, as a JSON binding error would.
		const reasons = list.flatMap((memo, index) => checkSchema(schema, memo, version.band, `memos[${index}]`));
		if (reasons.length) return businessFailure(reasons, request);
		const results = list.map((memo, index) => {
			const result =
				sourceType === 'Invoice'
					? state.createFromInvoice(memo as Record<string, unknown>, { band: version.band, now: context.now() })
					: state.createFromCharges(memo as Record<string, unknown>, { band: version.band, now: context.now() });
			if (!result.ok) return { objectIndex: index, processId: state.processId(), reasons: result.reasons, success: false };
			recordMemo(result.value, 'bulkCreate', request);
			return state.render(result.value);
		});
		return { status: 200, headers: v1Headers(request), body: { memos: results, success: true } };
	}

	function withMemo(request: SandboxRequest, key: string, handler: (memo: Memo) => SandboxResponse): SandboxResponse {
		const memo = state.memo(key);
		if (!memo) return businessFailure([{ code: ZUORA_CODES.notFound, message: `Cannot find a CreditMemo instance with id ${key}.` }], request);
		return handler(memo);
	}

	function update(request: SandboxRequest, key: string): SandboxResponse {
		const version = band(request);
		if (!version.ok) return version.response;
		const body = parseBody(request);
		if (!body.ok) return body.response;
		const reasons = checkSchema('PUTCreditMemoType', body.value, version.band);
		if (reasons.length) return businessFailure(reasons, request);
		return withMemo(request, key, (memo) => respond(state.update(memo, body.value, context.now(), version.band), request));
	}

	function bulkUpdate(request: SandboxRequest): SandboxResponse {
		const version = band(request);
		if (!version.ok) return version.response;
		const body = parseBody(request);
		if (!body.ok) return body.response;
		const memos = body.value.memos;
		const envelope: Reason[] = Object.keys(body.value)
			.filter((key) => key !== 'memos')
			.map((key) => ({ code: ZUORA_CODES.unknownField, message: `Unknown field '${key}'` }));
		if (!Array.isArray(memos)) envelope.push({ code: ZUORA_CODES.missingField, message: "Required field 'memos' is missing" });
		else if (memos.length > MAX_BULK_MEMOS) envelope.push({ code: ZUORA_CODES.invalidValue, message: `Invalid value for field memos: at most ${MAX_BULK_MEMOS} credit memos are allowed in one request` });
		if (envelope.length) return businessFailure(envelope, request);
		const list = memos as unknown[];
		const reasons = list.flatMap((memo, index) => checkSchema('PUTCreditMemosWithIdType', memo, version.band, `memos[${index}]`));
		if (reasons.length) return businessFailure(reasons, request);
		const results = list.map((raw, index) => {
			const { id, ...changes } = raw as Record<string, unknown>;
			const memo = typeof id === 'string' ? state.memo(id) : undefined;
			const result: Result<Memo> = memo
				? state.update(memo, changes, context.now(), version.band)
				: { ok: false, reasons: [{ code: ZUORA_CODES.notFound, message: `Cannot find a CreditMemo instance with id ${String(id)}.` }] };
			return result.ok ? state.render(result.value) : { objectIndex: index, processId: state.processId(), reasons: result.reasons, success: false };
		});
		return { status: 200, headers: v1Headers(request), body: { memos: results, success: true } };
	}

	const respond = (result: Result<Memo>, request: SandboxRequest): SandboxResponse =>
		result.ok ? { status: 200, headers: v1Headers(request), body: state.render(result.value) } : businessFailure(result.reasons, request);

	function list(request: SandboxRequest, path: string): SandboxResponse {
		const problems: Reason[] = [];
		const invalidQuery = (message: string) => problems.push({ code: ZUORA_CODES.invalidQueryParameter, message });
		const page = request.query.get('page') === null ? 1 : Number(request.query.get('page'));
		const pageSize = request.query.get('pageSize') === null ? PAGE_SIZE_DEFAULT : Number(request.query.get('pageSize'));
		if (!Number.isInteger(page) || page < 1) invalidQuery('Invalid value for query parameter page: must be an integer >= 1');
		if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > PAGE_SIZE_MAX) {
			invalidQuery(`Invalid value for query parameter pageSize: must be an integer from 1 to ${PAGE_SIZE_MAX}`);
		}
		const conditions: Array<(memo: Record<string, unknown>) => boolean> = [];
		// "By default, the response data is displayed in descending order by credit memo number."
		let sort: SortKey[] = [{ field: 'number', direction: -1 }];
		for (const [name, value] of request.query) {
			if (name === 'page' || name === 'pageSize') continue;
			if (name === 'sort') {
				const keys = parseSort(value);
				if (!keys) invalidQuery(`Invalid value for query parameter sort: ${value}`);
				else sort = keys;
				continue;
			}
			const [field, operator = 'EQ'] = name.split('.');
			if (!(LIST_FILTERS as readonly string[]).includes(field) || !(FILTER_OPERATORS as readonly string[]).includes(operator)) {
				invalidQuery(`Invalid query parameter ${name}`);
				continue;
			}
			conditions.push((memo) => compare(memo[field], value, operator as (typeof FILTER_OPERATORS)[number]));
		}
		if (problems.length) return businessFailure(problems, request);
		const rendered = [...state.memos]
			.sort((a, b) => a.seq - b.seq)
			.map((memo) => state.render(memo))
			.filter((memo) => conditions.every((condition) => condition(memo)));
		// Stable: memos equal on every sort key keep their creation order.
		rendered.sort((a, b) => {
			for (const { field, direction } of sort) {
				const order = compareValues(a[field], b[field]);
				if (order !== 0) return order * direction;
			}
			return 0;
		});
		const slice = rendered.slice((page - 1) * pageSize, page * pageSize);
		const body: Record<string, unknown> = { creditmemos: slice };
		if (page * pageSize < rendered.length) {
			const next = new URLSearchParams(request.query);
			next.set('page', String(page + 1));
			next.set('pageSize', String(pageSize));
			body.nextPage = `${context.baseUrl()}/zuora${path}?${next.toString()}`;
		}
		body.success = true;
		return { status: 200, headers: v1Headers(request), body };
	}

	function token(request: SandboxRequest): SandboxResponse {
		const form = new URLSearchParams(request.rawBody);
		const clientId = form.get('client_id');
		const clientSecret = form.get('client_secret');
		const grantType = form.get('grant_type');
		const headers = { ...baseHeaders(request), 'X-RateLimit-Limit-minute': '100', 'X-RateLimit-Remaining-minute': '99' };
		const contentType = header(request.headers, 'content-type') ?? '';
		if (!contentType.startsWith('application/x-www-form-urlencoded')) {
			return { status: 400, headers, body: { error: 'invalid_request', error_description: 'Use Content-Type application/x-www-form-urlencoded' } };
		}
		if (!clientId || !clientSecret || !grantType) {
			return { status: 400, headers, body: { error: 'invalid_request', error_description: 'client_id, client_secret and grant_type are required' } };
		}
		if (grantType !== 'client_credentials') return { status: 400, headers, body: { error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${grantType}` } };
		const client = fixture.clients.find((candidate) => candidate.clientId === clientId && candidate.clientSecret === clientSecret);
		if (clientId.length !== 36 || clientSecret.length > 42 || !client) {
			return { status: 401, headers, body: { error: 'invalid_client', error_description: 'Bad client credentials' } };
		}
		const accessToken = hexId(random, 32);
		tokens.set(accessToken, context.now().getTime() + fixture.tokenTtlSeconds * 1000);
		return {
			status: 200,
			headers,
			body: {
				access_token: accessToken,
				// Zuora's sample says 3599 for a one-hour token: it counts down from the moment of issue.
				expires_in: fixture.tokenTtlSeconds - 1,
				jti: hexId(random, 32),
				scope: `user.${fixture.userId} entity.${ZUORA_DEMO.clientId} service.echo.read tenant.${fixture.tenantId}`,
				token_type: 'bearer',
			},
		};
	}

	/**
	 * A /v1 operation: bearer token first, then Idempotency-Key on POST (docs: idempotent requests): the first request's status, headers and body are kept
	 * once it finished, success or failure, and replayed for 24 h ("Subsequent requests with the same key return the
	 * same result" - so the replay has the original status; the error-handling tutorial's "409 on replay" contradicts
	 * the reference page, which we follow); the same key while the first is in flight -> 409; reused with another
	 * URL or method -> 422.
	 */
	function v1(request: SandboxRequest, operation: string, creates: boolean, handler: () => SandboxResponse): RoutedRequest {
		const key = header(request.headers, 'idempotency-key');
		let owner = false;
		return {
			operation,
			creates,
			run() {
				const denied = authenticate(request);
				if (denied) return denied;
				if (key === undefined || request.method !== 'POST') return handler();
				if (key.length > 255 || key.length === 0) {
					return commonError(400, ZUORA_CODES.invalidValue, 'Invalid value for header Idempotency-Key: use 1 to 255 characters', request);
				}
				const now = context.now().getTime();
				const url = `${request.path}?${request.query.toString()}`;
				const existing = idempotency.get(key);
				if (existing && now - existing.setAt < IDEMPOTENCY_TTL_MS) {
					if (existing.method !== request.method || existing.url !== url) {
						return commonError(422, ZUORA_CODES.invalidValue, 'The Idempotency-Key was already used for a request with a different URL or method.', request);
					}
					if (!existing.response) {
						return commonError(409, ZUORA_CODES.lockingContention, 'A request with the same Idempotency-Key is still in progress.', request);
					}
					return { ...existing.response, headers: { ...(existing.response.headers ?? {}) } };
				}
				idempotency.set(key, { method: request.method, url, setAt: now });
				owner = true;
				return handler();
			},
			onFinished({ response }) {
				if (!owner || key === undefined) return;
				const record = idempotency.get(key);
				if (record && !record.response) record.response = response;
			},
		};
	}

	function route(request: SandboxRequest): RoutedRequest | undefined {
		const { method, path } = request;
		if (path === '/oauth/token') {
			if (method !== 'POST') return unsupported(request);
			return { operation: 'token', creates: false, exemptFromConcurrencyLimit: true, run: () => token(request) };
		}
		const memosPath = /^\/v1\/(credit-memos|creditmemos)(\/.*)?$/.exec(path);
		const legacyInvoicePath = matchPath('/v1/invoices/:invoiceKey/creditmemos', path);
		if (legacyInvoicePath) {
			if (method !== 'POST') return unsupported(request);
			return v1(request, 'createFromInvoice', true, () => createFromInvoice(request, legacyInvoicePath.invoiceKey));
		}
		if (!memosPath) return { operation: 'unknown', creates: false, run: () => commonError(404, ZUORA_CODES.notFound, `No such endpoint: ${method} ${path}`, request) };
		const rest = memosPath[2] ?? '';
		if (rest === '' || rest === '/') {
			if (method === 'POST') return v1(request, 'createFromCharge', true, () => createFromCharges(request));
			if (method === 'GET') return v1(request, 'listCreditMemos', false, () => list(request, path));
			return unsupported(request);
		}
		if (rest === '/bulk') {
			if (method === 'POST') return v1(request, 'bulkCreate', true, () => bulkCreate(request));
			if (method === 'PUT') return v1(request, 'bulkUpdate', false, () => bulkUpdate(request));
			return unsupported(request);
		}
		const fromInvoice = matchPath('/invoice/:invoiceKey', rest);
		if (fromInvoice) {
			if (method !== 'POST') return unsupported(request);
			return v1(request, 'createFromInvoice', true, () => createFromInvoice(request, fromInvoice.invoiceKey));
		}
		const action = matchPath('/:key/:action', rest);
		if (action && (action.action === 'cancel' || action.action === 'post')) {
			if (method !== 'PUT') return unsupported(request);
			const operation = action.action === 'cancel' ? 'cancelCreditMemo' : 'postCreditMemo';
			return v1(request, operation, false, () =>
				withMemo(request, action.key, (memo) => respond(action.action === 'cancel' ? state.cancel(memo, context.now()) : state.post(memo, context.now()), request)),
			);
		}
		const single = matchPath('/:key', rest);
		if (single) {
			if (method === 'GET') return v1(request, 'getCreditMemo', false, () => withMemo(request, single.key, (memo) => respond({ ok: true, value: memo }, request)));
			if (method === 'PUT') return v1(request, 'updateCreditMemo', false, () => update(request, single.key));
			return unsupported(request);
		}
		return { operation: 'unknown', creates: false, run: () => commonError(404, ZUORA_CODES.notFound, `No such endpoint: ${method} ${path}`, request) };
	}

	function unsupported(request: SandboxRequest): RoutedRequest {
		return {
			operation: 'unknown',
			creates: false,
			run: () => commonError(405, ZUORA_CODES.unsupportedMethod, `The method ${request.method} is not supported for ${request.path}`, request),
		};
	}

	function renderFault(fault: RenderedFault, request: SandboxRequest): SandboxResponse {
		const retryAfter = formatSeconds(fault.kind === 'rateLimited' ? fault.retryAfterSeconds : 0);
		switch (fault.kind) {
			case 'rateLimited':
				if (fault.scope === 'concurrency') {
					const limit = fault.limit ?? environment.concurrency('zuora').limit ?? 40;
					return commonError(429, ZUORA_CODES.concurrencyLimit, 'Your request exceeded the concurrent request limit. Please try again later.', request, {
						'Concurrency-Limit-Type': 'Default',
						'Concurrency-Limit-Limit': String(limit),
						'Concurrency-Limit-Remaining': '0',
						'Retry-After': retryAfter,
					});
				}
				// docs: 429 with ratelimit-limit, ratelimit-remaining: 0, ratelimit-reset (seconds), and Retry-After.
				return {
					status: 429,
					headers: {
						...baseHeaders(request),
						'Content-Type': 'application/json',
						'RateLimit-Limit': RATE_LIMIT_HEADER,
						'RateLimit-Remaining': '0',
						'RateLimit-Reset': retryAfter,
						'Retry-After': retryAfter,
					},
					body: { message: 'API rate limit exceeded' },
				};
			case 'serverError':
				return {
					status: fault.status,
					headers: baseHeaders(request),
					body: { reasons: [{ code: String(fault.status >= 500 ? ZUORA_CODES.internal : ZUORA_CODES.temporary), message: 'An internal error occurred. Please retry.' }] },
				};
			case 'unavailable':
				return { status: 503, headers: baseHeaders(request), body: { reasons: [{ code: String(ZUORA_CODES.temporary), message: 'The service is temporarily unavailable. Please retry.' }] } };
		}
	}

	return {
		provider: 'zuora',
		prefixes: ['/zuora'],
		demoCredentials: [`client_id ${ZUORA_DEMO.clientId}`, `client_secret ${ZUORA_DEMO.clientSecret} (POST /zuora/oauth/token; tenant default Zuora-Version ${fixture.tenantDefaultVersion})`],
		route,
		renderFault,
		expireSessions() {
			tokens = new Map();
		},
		reset() {
			fixture = load();
			state = new ZuoraState(fixture, random);
			tokens = new Map();
			idempotency = new Map();
			minuteWindow = { start: 0, count: 0 };
		},
	};
};

function concurrencyHeaders(environment: EmulatorEnvironment): Record<string, string> {
	const { inFlight, limit } = environment.concurrency('zuora');
	if (limit === undefined) return { 'Concurrency-Limit-Type': 'Default' };
	return {
		'Concurrency-Limit-Type': 'Default',
		'Concurrency-Limit-Limit': String(limit),
		'Concurrency-Limit-Remaining': String(Math.max(0, limit - inFlight)),
	};
}

/** Zuora-Track-Id: at most 64 US-ASCII characters, none of : ; " ' */
function validTrackId(value: string): boolean {
	return value.length <= 64 && /^[\x20-\x7e]*$/.test(value) && !/[:;"']/.test(value);
}

/** Whole seconds as Zuora sends them; a configured sub-second wait (tests) is kept as a decimal. */
function formatSeconds(seconds: number): string {
	return Number.isInteger(seconds) ? String(seconds) : String(Math.round(seconds * 1000) / 1000);
}

/** Sort order of two field values; null (and absent) sorts before any value. */
function compareValues(left: unknown, right: unknown): number {
	if (left === right) return 0;
	if (left === null || left === undefined) return -1;
	if (right === null || right === undefined) return 1;
	return (left as string | number) < (right as string | number) ? -1 : (left as string | number) > (right as string | number) ? 1 : 0;
}

/** List filters: `field=value` (Zuora; "null" matches null) and the `field.GE=value` style operators. */
function compare(actual: unknown, expected: string, operator: 'EQ' | 'NE' | 'GT' | 'GE' | 'LT' | 'LE'): boolean {
	if (expected === 'null' && (operator === 'EQ' || operator === 'NE')) return (actual === null) === (operator === 'EQ');
	if (actual === null || actual === undefined) return false;
	let left: number | string;
	let right: number | string;
	if (typeof actual === 'number') {
		left = actual;
		right = Number(expected);
	} else if (/^\d{4}-\d{2}-\d{2}/.test(String(actual)) && /^\d{4}-\d{2}-\d{2}/.test(expected)) {
		left = toEpoch(String(actual));
		right = toEpoch(expected);
		// A date-only value compares with whole days for EQ/NE.
		if (expected.length === 10 && (operator === 'EQ' || operator === 'NE')) {
			left = String(actual).slice(0, 10);
			right = expected;
		}
	} else {
		left = String(actual);
		right = expected;
	}
	switch (operator) {
		case 'EQ':
			return left === right;
		case 'NE':
			return left !== right;
		case 'GT':
			return left > right;
		case 'GE':
			return left >= right;
		case 'LT':
			return left < right;
		case 'LE':
			return left <= right;
	}
}

function toEpoch(value: string): number {
	const normalized = value.length === 10 ? `${value}T00:00:00Z` : value.replace(' ', 'T').replace(/(T\d{2}:\d{2}:\d{2})$/, '$1Z');
	return Date.parse(normalized);
}
