/**
 * Salesforce Order Management emulator (Connect REST), served under `/salesforce` (= the org's instance_url):
 *   POST /services/oauth2/token          client_credentials | authorization_code (+PKCE) | refresh_token
 *   GET  /services/oauth2/authorize      auto-approves, 302 back to redirect_uri with ?code=&state=
 *   POST /services/oauth2/revoke
 *   GET  /services/data                  API versions
 *   /services/data/vXX.X/ (48.0 <= XX.X <= 67.0, Bearer token):
 *     POST commerce/order-management/order-summaries/{id}/actions/create-credit-memo
 *     POST commerce/order-management/order-summaries/{id}/actions/submit-return
 *     POST commerce/order-management/order-summaries/{id}/async-actions/ensure-refunds-async
 *     GET, PATCH sobjects/CreditMemo/{id}, GET sobjects/CreditMemo/describe
 *     GET query?q=SOQL, GET query/{locator}-{offset}
 */
import type { EmulatorFactory, ProviderEmulator, RenderedFault, SandboxRequest, SandboxResponse } from '../../types';
import { matchPath } from '../../util/http';
import { QueryService, createCreditMemo, creditMemoResource, describeCreditMemo, ensureRefundsAsync, submitReturn, type ApiContext } from './api';
import { OAuthServer } from './oauth';
import { INVALID_SESSION, NOT_FOUND, json, methodNotAllowed, oauthError, restError } from './responses';
import { SalesforceState, money, type SalesforceFixture } from './state';

export const SALESFORCE_DEMO = { clientId: 'sf-sandbox-client', clientSecret: 'sf-sandbox-secret' } as const;

const MIN_VERSION = 48;
const MAX_VERSION = 67;
/** The org's daily API request allowance, reported in Sforce-Limit-Info. */
const DAILY_API_REQUESTS = 15000;
const ORDER_SUMMARY_PATH = 'commerce/order-management/order-summaries/:id';

interface Route {
	operation: string;
	creates?: boolean;
	run(): SandboxResponse;
}

export const createSalesforceEmulator: EmulatorFactory = (context, environment) => {
	let state: SalesforceState;
	let oauth: OAuthServer;
	let queries: QueryService;
	let apiRequests = 0;

	const api: ApiContext = {
		get state() {
			return state;
		},
		now: context.now,
		get userId() {
			return state.fixture.userId;
		},
		created(memo, request) {
			context.record(
				{
					creditMemoId: memo.Id,
					number: memo.DocumentNumber,
					// The key the node sent: a change order is credited once, so this identifies the refund.
					reference: memo.changeOrderIds.join(','),
					source: memo.ReferenceEntityId,
					totalAmount: money(memo.chargeAmount + memo.taxAmount),
					operation: 'createCreditMemo',
				},
				request,
			);
		},
	};

	const load = () => {
		const fixture = environment.loadFixture<SalesforceFixture>('salesforce');
		state = new SalesforceState(fixture);
		oauth = new OAuthServer({
			apps: fixture.connectedApps,
			organizationId: fixture.organizationId,
			userId: fixture.userId,
			accessTokenTtlSeconds: fixture.accessTokenTtlSeconds,
			now: context.now,
			random: context.random,
			instanceUrl: () => `${context.baseUrl()}/salesforce`,
		});
		queries = new QueryService(api);
		apiRequests = 0;
	};
	load();

	/** Everything under /services/data/vXX.X/: authenticated, counted in Sforce-Limit-Info. */
	function dataRoute(request: SandboxRequest, version: string, resource: string): Route {
		const routed = dataResource(request, version, resource);
		return {
			operation: routed.operation,
			creates: routed.creates,
			run() {
				if (!oauth.authenticate(request.headers)) return INVALID_SESSION();
				apiRequests += 1;
				const response = routed.run();
				return { ...response, headers: { ...response.headers, 'Sforce-Limit-Info': `api-usage=${apiRequests}/${DAILY_API_REQUESTS}` } };
			},
		};
	}

	function dataResource(request: SandboxRequest, version: string, resource: string): Route {
		const action = (name: string, operation: string, handler: (id: string) => SandboxResponse, creates = false): Route | undefined => {
			const params = matchPath(`${ORDER_SUMMARY_PATH}/${name}`, resource);
			if (!params) return undefined;
			return { operation, creates, run: () => (request.method === 'POST' ? handler(params.id) : methodNotAllowed(request.method, ['POST'])) };
		};
		const route =
			action('actions/create-credit-memo', 'createCreditMemo', (id) => createCreditMemo(api, request, id), true) ??
			action('actions/submit-return', 'submitReturn', (id) => submitReturn(api, request, id)) ??
			action('async-actions/ensure-refunds-async', 'ensureRefundsAsync', (id) => ensureRefundsAsync(api, request, id));
		if (route) return route;
		if (resource === 'sobjects/CreditMemo/describe') return { operation: 'describeCreditMemo', run: () => describeCreditMemo(request) };
		const memo = matchPath('sobjects/CreditMemo/:id', resource);
		if (memo) return { operation: request.method === 'PATCH' ? 'updateCreditMemo' : 'getCreditMemo', run: () => creditMemoResource(api, request, version, memo.id) };
		if (resource === 'query') return { operation: 'query', run: () => (request.method === 'GET' ? queries.query(request, version) : methodNotAllowed(request.method, ['GET', 'HEAD'])) };
		const more = matchPath('query/:locator', resource);
		if (more) return { operation: 'query', run: () => queries.more(request, version, more.locator) };
		return { operation: 'notFound', run: NOT_FOUND };
	}

	const emulator: ProviderEmulator = {
		provider: 'salesforce',
		prefixes: ['/salesforce'],
		demoCredentials: [
			`client_id ${SALESFORCE_DEMO.clientId} / client_secret ${SALESFORCE_DEMO.clientSecret} (client_credentials, authorization_code, refresh_token)`,
			'token URL /salesforce/services/oauth2/token, authorize URL /salesforce/services/oauth2/authorize',
			'seeded change order 801R0000000EAAkIAO on order summary 1OsSB00000000010AA',
		],

		route(request) {
			const path = request.path.replace(/\/+$/, '') || '/';
			if (path === '/services/oauth2/token') {
				return { operation: 'token', creates: false, run: () => (request.method === 'POST' ? oauth.token(request) : oauthError('invalid_request', 'must use HTTP POST')) };
			}
			if (path === '/services/oauth2/authorize') return { operation: 'authorize', creates: false, run: () => oauth.authorize(request) };
			if (path === '/services/oauth2/revoke') return { operation: 'revoke', creates: false, run: () => oauth.revoke(request) };
			if (path === '/services/data') {
				return {
					operation: 'versions',
					creates: false,
					run: () => json(200, versions().map((version) => ({ label: `v${version}`, url: `/services/data/v${version}`, version }))),
				};
			}
			const match = /^\/services\/data\/v(\d{2,3})\.(\d)(?:\/(.*))?$/.exec(path);
			if (!match) return undefined;
			const number = Number(match[1]) + Number(match[2]) / 10;
			if (number < MIN_VERSION || number > MAX_VERSION || match[2] !== '0') return { operation: 'notFound', creates: false, run: NOT_FOUND };
			const routed = dataRoute(request, `v${match[1]}.${match[2]}`, match[3] ?? '');
			return { operation: routed.operation, creates: routed.creates ?? false, run: routed.run };
		},

		renderFault(fault: RenderedFault): SandboxResponse {
			switch (fault.kind) {
				case 'rateLimited':
					// Salesforce has no 429: the org's API allowance answers 403 REQUEST_LIMIT_EXCEEDED.
					return restError(403, 'REQUEST_LIMIT_EXCEEDED', fault.scope === 'concurrency' ? 'ConcurrentPerOrgLongTxn Limit exceeded.' : 'TotalRequests Limit exceeded.');
				case 'unavailable':
					return restError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable');
				case 'serverError':
					return fault.status === 503
						? restError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable')
						: restError(fault.status, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 1862734620-66185 (-1271583395)');
			}
		},

		expireSessions() {
			oauth.expireAll();
		},

		reset() {
			load();
		},
	};
	return emulator;
};

function versions(): string[] {
	const list: string[] = [];
	for (let version = MIN_VERSION; version <= MAX_VERSION - 1; version++) list.push(`${version}.0`);
	return list;
}
