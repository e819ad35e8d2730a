/**
 * The Magento 1 REST extension of the Yep Platform (docs.yep.best/rest_oauth2, transcribed in
 * ../shared/reference/specs/yep/): `/magento-rest/api2/...`, Bearer tokens from `/api2/oauth/token`,
 * `{ "error": "message" }` errors with the documented statuses.
 *
 * Our assumptions where the docs are silent (also in sandbox/README.md): the token response body, the 201 body of a
 * credit memo, the history response, the text of validation errors other than the documented ones, and 429 (the
 * extension documents no rate limit; the sandbox renders one only when a fault asks for it). The extension has no
 * idempotency key and no credit-memo lookup, so neither exists here.
 */
import { MAGENTO_REST_DEMO } from '../../demoCredentials';
import type { EmulatorFactory, RenderedFault, RoutedRequest, SandboxRequest, SandboxResponse } from '../../types';
import { bearerToken, isPlainObject, parseJson } from '../../util/http';
import { toMinor } from '../../util/money';
import { hexId } from '../../util/random';
import { MagentoError, MagentoRestState, type CreditMemoRequest, type MagentoRestFixture } from './state';

const SOURCES = ['invoice_id', 'invoice_increment_id', 'order_id', 'order_increment_id'] as const;
const CREDIT_MEMO_FIELDS = new Set<string>([...SOURCES, 'refund_type', 'items', 'shipping_amount', 'adjustment_positive', 'adjustment_negative', 'send_email', 'comment']);
const HISTORY_FIELDS = new Set(['order_id', 'order_increment_id', 'comment', 'status', 'is_customer_notified', 'is_visible_on_front']);

const error = (status: number, message: string): SandboxResponse => ({ status, body: { error: message } });

/** Entity IDs: integers (a digit string is accepted, as PHP would). */
function entityId(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
	if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
	return undefined;
}

/** Increment IDs: strings of digits (a number is accepted). */
function incrementId(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number' && Number.isInteger(value)) return String(value);
	return undefined;
}

function amount(body: Record<string, unknown>, field: string): number {
	const value = body[field];
	if (value === undefined) return 0;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || toMinor(value, 2) === undefined) {
		throw new MagentoError(400, `Invalid parameter: ${field}`);
	}
	return value;
}

/** "When limit is missing or invalid" the default applies (orders.html). */
function positiveInteger(value: string | null, fallback: number): number {
	return value !== null && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : fallback;
}

function flag(body: Record<string, unknown>, field: string): boolean {
	const value = body[field];
	if (value === undefined) return false;
	if (typeof value === 'boolean') return value;
	if (value === 0 || value === 1 || value === '0' || value === '1') return Number(value) === 1;
	throw new MagentoError(400, `Invalid parameter: ${field}`);
}

export const createMagentoRestEmulator: EmulatorFactory = (context, environment) => {
	const load = () => environment.loadFixture<MagentoRestFixture>('magentoRest');
	let fixture = load();
	let state = new MagentoRestState(fixture);
	let tokens = new Map<string, number>();
	let refreshTokens = new Map<string, string>();

	function authorized(request: SandboxRequest): boolean {
		const token = bearerToken(request.headers);
		if (token === undefined) return false;
		if (fixture.staticTokens.includes(token)) return true;
		const expiresAt = tokens.get(token);
		return expiresAt !== undefined && expiresAt > context.now().getTime();
	}

	function jsonBody(request: SandboxRequest): Record<string, unknown> {
		const parsed = parseJson(request.rawBody);
		if (!parsed.ok || !isPlainObject(parsed.value)) throw new MagentoError(400, 'Invalid JSON');
		return parsed.value;
	}

	/** POST /api2/oauth/token: client credentials or refresh token (form encoded). The response body is our assumption. */
	function token(request: SandboxRequest): SandboxResponse {
		const form = new URLSearchParams(request.rawBody);
		const client = fixture.clients.find((candidate) => candidate.clientId === form.get('client_id') && candidate.clientSecret === form.get('client_secret'));
		const grantType = form.get('grant_type');
		if (grantType !== 'client_credentials' && grantType !== 'refresh_token') return error(400, 'Unsupported grant_type');
		if (!client) return error(401, 'Invalid client credentials');
		if (grantType === 'refresh_token') {
			const refreshToken = form.get('refresh_token') ?? '';
			if (refreshTokens.get(refreshToken) !== client.clientId) return error(401, 'Invalid refresh token');
			refreshTokens.delete(refreshToken);
		}
		const accessToken = hexId(() => context.random(), 40);
		const refreshToken = hexId(() => context.random(), 40);
		tokens.set(accessToken, context.now().getTime() + fixture.tokenTtlSeconds * 1000);
		refreshTokens.set(refreshToken, client.clientId);
		return { status: 200, body: { access_token: accessToken, token_type: 'Bearer', expires_in: fixture.tokenTtlSeconds, refresh_token: refreshToken } };
	}

	/** Reads and checks POST /api2/creditmemo; throws the extension's 400/404 errors. */
	function readCreditMemoRequest(body: Record<string, unknown>): CreditMemoRequest {
		for (const field of Object.keys(body)) if (!CREDIT_MEMO_FIELDS.has(field)) throw new MagentoError(400, `Invalid parameter: ${field}`);
		const given = SOURCES.filter((field) => body[field] !== undefined && body[field] !== null);
		if (given.length === 0) throw new MagentoError(400, `Missing source: send one of ${SOURCES.join(', ')}`);
		if (given.length > 1) throw new MagentoError(400, `Ambiguous source: send only one of ${SOURCES.join(', ')} (got ${given.join(', ')})`);
		const [field] = given;
		const value = body[field];
		let source: CreditMemoRequest['source'];
		if (field === 'invoice_id' || field === 'invoice_increment_id') {
			const key = field === 'invoice_id' ? { entityId: entityId(value) } : { incrementId: incrementId(value) };
			if (key.entityId === undefined && key.incrementId === undefined) throw new MagentoError(400, `Invalid parameter: ${field}`);
			const invoice = state.invoice(key);
			if (!invoice) throw new MagentoError(404, 'Invoice not found');
			source = { kind: 'invoice', invoice };
		} else {
			const key = field === 'order_id' ? { entityId: entityId(value) } : { incrementId: incrementId(value) };
			if (key.entityId === undefined && key.incrementId === undefined) throw new MagentoError(400, `Invalid parameter: ${field}`);
			const order = state.order(key);
			if (!order) throw new MagentoError(404, 'Order not found');
			source = { kind: 'order', order };
		}
		const refundType = body.refund_type ?? 'offline';
		if (refundType !== 'online' && refundType !== 'offline') throw new MagentoError(400, 'Invalid parameter: refund_type');
		let items: CreditMemoRequest['items'];
		if (body.items !== undefined) {
			if (!Array.isArray(body.items)) throw new MagentoError(400, 'Invalid parameter: items');
			items = body.items.map((raw: unknown) => {
				// Documented: "An items entry without order_item_id/sku or with non-positive qty" -> Invalid item.
				if (!isPlainObject(raw)) throw new MagentoError(400, 'Invalid item');
				const keys = Object.keys(raw);
				const hasId = raw.order_item_id !== undefined;
				const hasSku = raw.sku !== undefined;
				const qty = raw.qty;
				if (hasId === hasSku || keys.some((key) => !['order_item_id', 'sku', 'qty'].includes(key))) throw new MagentoError(400, 'Invalid item');
				if (typeof qty !== 'number' || !Number.isInteger(qty) || qty <= 0) throw new MagentoError(400, 'Invalid item');
				if (hasId) {
					const id = entityId(raw.order_item_id);
					if (id === undefined) throw new MagentoError(400, 'Invalid item');
					return { orderItemId: id, qty };
				}
				if (typeof raw.sku !== 'string' || raw.sku === '') throw new MagentoError(400, 'Invalid item');
				return { sku: raw.sku, qty };
			});
		}
		if (body.comment !== undefined && typeof body.comment !== 'string') throw new MagentoError(400, 'Invalid parameter: comment');
		return {
			source,
			refundType,
			items,
			shippingAmount: body.shipping_amount === undefined ? undefined : amount(body, 'shipping_amount'),
			adjustmentPositive: amount(body, 'adjustment_positive'),
			adjustmentNegative: amount(body, 'adjustment_negative'),
			sendEmail: flag(body, 'send_email'),
			comment: body.comment as string | undefined,
		};
	}

	function createCreditMemo(request: SandboxRequest, operation: string): SandboxResponse {
		const memoRequest = readCreditMemoRequest(jsonBody(request));
		const memo = state.createCreditMemo(memoRequest, context.now());
		const body = state.renderMemo(memo);
		context.record(
			{
				creditMemoId: memo.incrementId,
				number: memo.incrementId,
				reference: memo.comment,
				source: memo.invoice ? `invoice ${memo.invoice.increment_id}` : `order ${memo.order.increment_id}`,
				totalAmount: body.grand_total as number,
				operation,
			},
			request,
		);
		return { status: 201, body };
	}

	function getInvoice(request: SandboxRequest): SandboxResponse {
		const id = request.query.get('id');
		const increment = request.query.get('increment_id');
		if (id === null && increment === null) throw new MagentoError(400, 'Invalid parameter: id');
		const invoice = state.invoice(id !== null ? { entityId: entityId(id) ?? -1 } : { incrementId: increment ?? undefined });
		if (!invoice) throw new MagentoError(404, 'Invoice not found');
		return { status: 200, body: state.renderInvoice(invoice) };
	}

	/**
	 * GET /api2/order: with `id` or `increment_id`, one order (rendered like the invoice lookup); without, a page of
	 * orders under `orders` (docs: page default 1, limit default 20 and at most 200, metadata with include_pagination=1).
	 */
	function getOrders(request: SandboxRequest): SandboxResponse {
		const id = request.query.get('id');
		const increment = request.query.get('increment_id');
		if (id !== null || increment !== null) {
			const order = state.order(id !== null ? { entityId: entityId(id) ?? -1 } : { incrementId: increment ?? undefined });
			if (!order) throw new MagentoError(404, 'Order not found');
			return { status: 200, body: state.renderOrder(order) };
		}
		const page = positiveInteger(request.query.get('page'), 1);
		const limit = Math.min(200, positiveInteger(request.query.get('limit') ?? request.query.get('page_size') ?? request.query.get('per_page') ?? request.query.get('pageSize'), 20));
		const orders = fixture.orders.slice((page - 1) * limit, page * limit).map((order) => state.renderOrder(order));
		const body: Record<string, unknown> = { orders };
		if (request.query.get('include_pagination') === '1') {
			const total = fixture.orders.length;
			Object.assign(body, { page, limit, total, last_page: Math.max(1, Math.ceil(total / limit)), has_next: page * limit < total });
		}
		return { status: 200, body };
	}

	function findOrder(body: Record<string, unknown> | URLSearchParams) {
		const read = (field: string) => (body instanceof URLSearchParams ? (body.get(field) ?? undefined) : body[field]);
		const given = ['order_id', 'order_increment_id'].filter((field) => read(field) !== undefined);
		if (given.length !== 1) throw new MagentoError(400, 'Send exactly one of order_id, order_increment_id');
		const order = given[0] === 'order_id' ? state.order({ entityId: entityId(read('order_id')) ?? -1 }) : state.order({ incrementId: incrementId(read('order_increment_id')) });
		if (!order) throw new MagentoError(404, 'Order not found');
		return order;
	}

	/** POST /api2/history: an order-level comment (does not send e-mails). */
	function addHistory(request: SandboxRequest): SandboxResponse {
		const body = jsonBody(request);
		for (const field of Object.keys(body)) if (!HISTORY_FIELDS.has(field)) throw new MagentoError(400, `Invalid parameter: ${field}`);
		const order = findOrder(body);
		if (typeof body.comment !== 'string' || body.comment.trim() === '') throw new MagentoError(400, 'Invalid parameter: comment');
		if (body.status !== undefined && (typeof body.status !== 'string' || !fixture.orderStatuses.includes(body.status))) {
			throw new MagentoError(400, 'Invalid parameter: status');
		}
		const entry = state.addHistory(
			order,
			{
				comment: body.comment,
				status: body.status as string | undefined,
				isCustomerNotified: flag(body, 'is_customer_notified'),
				isVisibleOnFront: flag(body, 'is_visible_on_front'),
			},
			context.now(),
		);
		return { status: 201, body: state.renderHistory(entry) };
	}

	function listHistory(request: SandboxRequest): SandboxResponse {
		const order = findOrder(request.query);
		return { status: 200, body: state.history.filter((entry) => entry.order === order).map((entry) => state.renderHistory(entry)) };
	}

	function route(request: SandboxRequest): RoutedRequest | undefined {
		const path = request.path.replace(/\/+$/, '');
		const method = request.method;
		const operation = (name: string, creates: boolean, handler: () => SandboxResponse, needsAuth = true): RoutedRequest => ({
			operation: name,
			creates,
			run() {
				if (needsAuth && !authorized(request)) return error(401, 'Unauthorized');
				try {
					return handler();
				} catch (failure) {
					if (failure instanceof MagentoError) return error(failure.status, failure.message);
					throw failure;
				}
			},
		});
		if (path === '/api2/oauth/token' && method === 'POST') return { ...operation('token', false, () => token(request), false), exemptFromConcurrencyLimit: true };
		if (path === '/api2/oauth/health' && method === 'GET') {
			return operation('health', false, () => ({ status: 200, body: { status: 'ok', message: 'API Rest da Plataforma Yep! Ativa' } }), false);
		}
		if ((path === '/api2/creditmemo' || path === '/api2/creditmemo/create') && method === 'POST') {
			return operation('createCreditMemo', true, () => createCreditMemo(request, 'createCreditMemo'));
		}
		if (path === '/api2/invoice' && method === 'GET') return operation('getInvoice', false, () => getInvoice(request));
		if (path === '/api2/order' && method === 'GET') return operation('getOrder', false, () => getOrders(request));
		if (path === '/api2/history' && method === 'POST') return operation('addComment', false, () => addHistory(request));
		if (path === '/api2/history' && method === 'GET') return operation('listHistory', false, () => listHistory(request));
		return operation('unknown', false, () => error(404, `Resource not found: ${method} ${path}`));
	}

	function renderFault(fault: RenderedFault): SandboxResponse {
		switch (fault.kind) {
			case 'rateLimited':
				return { status: 429, headers: { 'Retry-After': String(fault.retryAfterSeconds) }, body: { error: 'Too Many Requests' } };
			case 'serverError': {
				const messages: Record<number, string> = {
					409: 'Conflict on save',
					500: 'Internal server error',
					502: 'Bad Gateway',
					503: 'Lock wait timeout exceeded; try restarting transaction',
					504: 'Gateway Timeout',
				};
				return error(fault.status, messages[fault.status] ?? 'Internal server error');
			}
			case 'unavailable':
				// Documented: 503 lock wait / DB contention (retryable).
				return error(503, 'Lock wait timeout exceeded; try restarting transaction');
		}
	}

	return {
		provider: 'magentoRest',
		prefixes: ['/magento-rest'],
		demoCredentials: [
			`client_id ${MAGENTO_REST_DEMO.clientId}, client_secret ${MAGENTO_REST_DEMO.clientSecret} (POST /magento-rest/api2/oauth/token)`,
			`or the static bearer token ${MAGENTO_REST_DEMO.staticToken}`,
		],
		route,
		renderFault,
		// Issued tokens expire; the static demo token stays valid.
		expireSessions() {
			tokens = new Map();
		},
		reset() {
			fixture = load();
			state = new MagentoRestState(fixture);
			tokens = new Map();
			refreshTokens = new Map();
		},
	};
};
