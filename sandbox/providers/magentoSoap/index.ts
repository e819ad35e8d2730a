/**
 * Magento 1 / OpenMage SOAP API emulator (`sales_order_creditmemo`, SOAP V1, V2 and WS-I), three store fronts
 * over one seeded store database:
 *   /magento-soap         OpenMage (urn:OpenMage), WS-I compliance off
 *   /magento-soap-legacy  Magento CE 1.9 style (urn:Magento), WS-I compliance off
 *   /magento-soap-wsi     OpenMage with WS-I compliance on (V2 speaks document/literal)
 * Endpoints per store (providers.md D): V1 `/api/soap/?wsdl`, POST `/api/soap/` (also `/api/?wsdl`, POST `/api/`);
 * V2 `/api/v2_soap/?wsdl=1` (also `/api/v2_soap/index/wsdl/1`), POST `/api/v2_soap/`; an `/index.php` in
 * front and `/index/` or `/index/index/` after each are accepted, as Magento's router does.
 */
import type { EmulatorFactory, ProviderEmulator, RenderedFault, SandboxRequest, SandboxResponse } from '../../types';
import { sqlDateTime } from '../../util/http';
import { CreditmemoApi } from './creditmemoApi';
import { decimalText, MagentoStore, type MagentoSoapFixture } from './store';
import { ApiHandler, ApiSessions, SoapFault } from './handler';
import { OrderApi } from './orderApi';
import { faultResponse, prepareSoapCall, redactSessionId, wsdlFor, xmlResponse, type Endpoint, type StoreFront } from './endpoints';

export const MAGENTO_SOAP_DEMO = { apiUser: 'n8n', apiKey: 'magento-soap-key' } as const;

const STORE_FRONTS: Record<string, StoreFront> = {
	'/magento-soap': { style: 'OpenMage', wsiCompliance: false },
	'/magento-soap-legacy': { style: 'Magento', wsiCompliance: false },
	'/magento-soap-wsi': { style: 'OpenMage', wsiCompliance: true },
};

/** Path (after the prefix) -> endpoint. */
function endpointFor(path: string): { endpoint: Endpoint; wsdlInPath: boolean } | undefined {
	let normalized = path.replace(/\/+$/, '');
	if (normalized.startsWith('/index.php')) normalized = normalized.slice('/index.php'.length);
	if (normalized === '/api/v2_soap/index/wsdl/1') return { endpoint: 'v2', wsdlInPath: true };
	const match = /^\/api(\/soap|\/v2_soap)?(\/index(\/index)?)?$/.exec(normalized);
	if (!match) return undefined;
	return { endpoint: match[1] === '/v2_soap' ? 'v2' : 'v1', wsdlInPath: false };
}

/** The address Magento writes into `<soap:address location>`: Mage::getUrl('*\/*\/*'). */
function serviceUrl(baseUrl: string, prefix: string, endpoint: Endpoint): string {
	return `${baseUrl}${prefix}/api/${endpoint === 'v1' ? 'soap' : 'v2_soap'}/index/`;
}

/** The web server's own pages for infrastructure failures: no SOAP envelope, as in front of a real store. */
function htmlPage(status: number, title: string, text: string, headers: Record<string, string> = {}): SandboxResponse {
	const body = `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>\n`;
	return { status, headers: { 'Content-Type': 'text/html; charset=UTF-8', ...headers }, body };
}

const STATUS_TITLES: Record<number, string> = {
	500: 'There has been an error processing your request',
	502: '502 Bad Gateway',
	503: 'Service Temporarily Unavailable',
	504: '504 Gateway Time-out',
};

export const createMagentoSoapEmulator: EmulatorFactory = (context, environment) => {
	let store: MagentoStore;
	let handler: ApiHandler;
	/** The request being executed (run() is synchronous), for ledger entries. */
	let current: SandboxRequest | undefined;

	const load = () => {
		const fixture = environment.loadFixture<MagentoSoapFixture>('magentoSoap');
		store = new MagentoStore(fixture);
		const api = new CreditmemoApi(store, {
			now: () => sqlDateTime(context.now()),
			created: (memo, order, comment) => {
				if (!current) return;
				context.record(
					{
						creditMemoId: memo.increment_id,
						number: memo.increment_id,
						reference: comment,
						source: order.increment_id,
						totalAmount: Number(decimalText(memo.grandTotal)),
						operation: 'createCreditMemo',
					},
					{ ...current, rawBody: redactSessionId(current.rawBody) },
				);
			},
		});
		const sessions = new ApiSessions(fixture.users, fixture.sessionTimeoutSeconds, context.now, context.random);
		handler = new ApiHandler(sessions, api, new OrderApi(store));
	};
	load();

	const emulator: ProviderEmulator = {
		provider: 'magentoSoap',
		prefixes: Object.keys(STORE_FRONTS),
		demoCredentials: [
			`apiUser ${MAGENTO_SOAP_DEMO.apiUser} / apiKey ${MAGENTO_SOAP_DEMO.apiKey} (V1, V2, WS-I; ACL: all)`,
			'apiUser n8n-readonly / apiKey magento-soap-readonly (credit memo list and info only)',
			'stores: /magento-soap (urn:OpenMage), /magento-soap-legacy (urn:Magento), /magento-soap-wsi (WS-I on)',
		],

		route(request, prefix) {
			const front = STORE_FRONTS[prefix];
			const target = endpointFor(request.path);
			if (!front || !target) return undefined;
			if (request.method === 'GET' && (target.wsdlInPath || request.query.has('wsdl'))) {
				return {
					operation: 'wsdl',
					creates: false,
					run: () => xmlResponse(200, wsdlFor(front, target.endpoint).render(serviceUrl(context.baseUrl(), prefix, target.endpoint))),
				};
			}
			if (request.method !== 'POST') {
				return { operation: 'invalidRequest', creates: false, run: () => faultResponse(new SoapFault('SOAP-ENV:Client', 'Bad Request')) };
			}
			const call = prepareSoapCall(front, target.endpoint, request.rawBody, handler);
			return {
				operation: call.operation,
				creates: call.creates,
				run() {
					current = request;
					try {
						return call.run();
					} finally {
						current = undefined;
					}
				},
			};
		},

		renderFault(fault: RenderedFault): SandboxResponse {
			switch (fault.kind) {
				case 'rateLimited':
					return htmlPage(429, '429 Too Many Requests', 'Too many requests; try again later.', { 'Retry-After': String(Math.ceil(fault.retryAfterSeconds)) });
				case 'unavailable':
					return htmlPage(503, STATUS_TITLES[503], 'The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.');
				case 'serverError':
					return htmlPage(fault.status, STATUS_TITLES[fault.status] ?? `${fault.status} Error`, 'The server could not complete the request.');
			}
		},

		expireSessions() {
			handler.sessions.clear();
		},

		reset() {
			load();
		},
	};
	return emulator;
};

