/**
 * Mage_Api_Model_Server_Handler_Abstract: API users and sessions, `call` and `multiCall` (resource paths,
 * aliases, ACL, argument binding, fault mapping), and the small introspection methods. The V1, V2 and WS-I
 * endpoints (endpoints.ts) all end up here, as in Magento.
 */
import { hexId } from '../../util/random';
import { ApiFault, CREDITMEMO_METHODS, type CreditmemoApi, type CreditmemoMethod, type MethodParam } from './creditmemoApi';
import { ORDER_METHODS, type OrderApi, type OrderMethod } from './orderApi';
import { PhpArray, PhpError, PhpObject, phpEmpty, phpString, type PhpValue } from './php';
import { SalesException } from './store';

/** A fault ext/soap sends as-is: Magento's numeric codes ("5") or ext/soap's own ("SOAP-ENV:Client"). */
export class SoapFault extends Error {
	constructor(
		readonly faultCode: string,
		readonly faultString: string,
	) {
		super(`${faultCode}: ${faultString}`);
	}
}

type FaultTable = Record<string, { code: string; message: string }>;

/** Mage/Api/etc/api.xml `<faults>`. */
export const GLOBAL_FAULTS: FaultTable = {
	unknown: { code: '0', message: 'Unknown Error' },
	internal: { code: '1', message: 'Internal Error. Please see log for details.' },
	access_denied: { code: '2', message: 'Access denied.' },
	resource_path_invalid: { code: '3', message: 'Invalid api path.' },
	resource_path_not_callable: { code: '4', message: 'Resource path is not callable.' },
	session_expired: { code: '5', message: 'Session expired. Try to relogin.' },
	invalid_request_param: { code: '6', message: 'Required parameter is missing, for more details see "exception.log".' },
};

/**
 * Mage/Sales/etc/api.xml, sales_order_creditmemo `<faults>`. The official messages win over the seed's table
 * (which adds trailing periods to 100-105).
 */
export const CREDITMEMO_FAULTS: FaultTable = {
	not_exists: { code: '100', message: 'Requested credit memo does not exist' },
	invalid_filter: { code: '101', message: 'Invalid filter given. Details in error message' },
	data_invalid: { code: '102', message: 'Invalid data given. Details in error message' },
	order_not_exists: { code: '103', message: 'Requested order does not exist' },
	status_not_changed: { code: '104', message: 'Credit memo status not changed' },
	cannot_refund_to_storecredit: { code: '105', message: 'Money can not be refunded to the store credit account as order was created by guest' },
	cannot_create_creditmemo: { code: '106', message: 'Credit memo for requested order can not be created.' },
};

/** Mage/Sales/etc/api.xml, sales_order `<faults>` (its 100 is the order's, with Magento's wording). */
export const ORDER_FAULTS: FaultTable = {
	not_exists: { code: '100', message: 'Requested order not exists.' },
	filters_invalid: { code: '101', message: 'Invalid filters given. Details in error message.' },
	data_invalid: { code: '102', message: 'Invalid data given. Details in error message.' },
	status_not_changed: { code: '103', message: 'Order status not changed. Details in error message.' },
};

export const CREDITMEMO_RESOURCE = 'sales_order_creditmemo';
export const ORDER_RESOURCE = 'sales_order';
const RESOURCE_ALIASES: Record<string, string> = { order_creditmemo: CREDITMEMO_RESOURCE, order: ORDER_RESOURCE };
const RESOURCE_FAULTS: Record<string, FaultTable> = { [CREDITMEMO_RESOURCE]: CREDITMEMO_FAULTS, [ORDER_RESOURCE]: ORDER_FAULTS };
/** Resources (and sales_order methods) a real store has that this sandbox does not emulate: fault 4 rather than a misleading 3. */
const UNSERVED_RESOURCES = new Set([
	'sales_order_invoice', 'order_invoice', 'sales_order_shipment', 'order_shipment', 'catalog_product',
	'product', 'catalog_category', 'category', 'customer', 'customer_address', 'cart', 'cataloginventory_stock_item',
	'product_stock', 'directory_country', 'country', 'directory_region', 'region', 'core_store', 'store', 'core_magento', 'magento',
]);
const UNSERVED_ORDER_METHODS = new Set(['list', 'addComment', 'hold', 'unhold', 'cancel']);

export function faultFor(name: string, resource?: string, customMessage?: string): SoapFault {
	const fault = (resource === undefined ? undefined : RESOURCE_FAULTS[resource]?.[name]) ?? GLOBAL_FAULTS[name] ?? GLOBAL_FAULTS.unknown;
	return new SoapFault(fault.code, customMessage ?? fault.message);
}

/** One served API method: its PHP signature (argument binding), ACL, and the operation name fault rules and the ledger use. */
export interface ApiMethod {
	resource: string;
	name: string;
	/** The resource model's class, for PHP's error messages. */
	className: string;
	phpMethod: string;
	params: MethodParam[];
	acl: string;
	operation: string;
	creates: boolean;
}

/** Operation names as fault rules and the ledger see them. */
const CREDITMEMO_OPERATIONS: Record<CreditmemoMethod, string> = {
	list: 'listCreditMemos',
	info: 'getCreditMemo',
	create: 'createCreditMemo',
	addComment: 'addComment',
	cancel: 'cancelCreditMemo',
};
const ORDER_OPERATIONS: Record<OrderMethod, string> = { info: 'getOrder' };

const API_METHODS: ApiMethod[] = [
	...(Object.keys(CREDITMEMO_METHODS) as CreditmemoMethod[]).map((name) => ({
		resource: CREDITMEMO_RESOURCE,
		name,
		className: 'Mage_Sales_Model_Order_Creditmemo_Api',
		...CREDITMEMO_METHODS[name],
		operation: CREDITMEMO_OPERATIONS[name],
		creates: name === 'create',
	})),
	...(Object.keys(ORDER_METHODS) as OrderMethod[]).map((name) => ({
		resource: ORDER_RESOURCE,
		name,
		className: 'Mage_Sales_Model_Order_Api',
		...ORDER_METHODS[name],
		operation: ORDER_OPERATIONS[name],
		creates: false,
	})),
];

export interface ApiUser {
	username: string;
	apiKey: string;
	acl: 'all' | string[];
}

interface Session {
	user: ApiUser;
	loggedInAt: number;
}

/**
 * api_session: a login gives a 32-hex session ID valid for `timeoutSeconds` from the login on the sandbox clock
 * (Mage_Api_Model_Session::isSessionExpired compares with the login's logdate), then fault 5.
 */
export class ApiSessions {
	private readonly sessions = new Map<string, Session>();

	constructor(
		private readonly users: ApiUser[],
		private readonly timeoutSeconds: number,
		private readonly now: () => Date,
		private readonly random: () => number,
	) {}

	login(username: PhpValue | undefined, apiKey: PhpValue | undefined): string {
		if (phpEmpty(username) || phpEmpty(apiKey)) throw faultFor('invalid_request_param');
		const user = this.users.find((candidate) => candidate.username === phpString(username ?? null) && candidate.apiKey === phpString(apiKey ?? null));
		if (!user) throw faultFor('access_denied');
		const sessionId = this.newId();
		this.sessions.set(sessionId, { user, loggedInAt: this.now().getTime() });
		return sessionId;
	}

	/** startSession(): an ID that is not logged in (every call with it gets fault 5). */
	newId(): string {
		return hexId(this.random, 32);
	}

	user(sessionId: PhpValue | undefined): ApiUser | undefined {
		if (typeof sessionId !== 'string') return undefined;
		const session = this.sessions.get(sessionId);
		if (!session) return undefined;
		if (this.now().getTime() - session.loggedInAt > this.timeoutSeconds * 1000) {
			this.sessions.delete(sessionId);
			return undefined;
		}
		return session.user;
	}

	end(sessionId: PhpValue | undefined): void {
		if (typeof sessionId === 'string') this.sessions.delete(sessionId);
	}

	clear(): void {
		this.sessions.clear();
	}
}

/** What a V1 resource path resolves to (aliases included), if this sandbox serves it. */
export function apiMethod(apiPath: PhpValue | undefined): ApiMethod | undefined {
	const [resource, method] = (typeof apiPath === 'string' ? apiPath : '').split('.');
	const resolved = RESOURCE_ALIASES[resource] ?? resource;
	return API_METHODS.find((candidate) => candidate.resource === resolved && candidate.name === method);
}

export class ApiHandler {
	constructor(
		readonly sessions: ApiSessions,
		private readonly creditmemos: CreditmemoApi,
		private readonly orders: OrderApi,
	) {}

	private invoke(method: ApiMethod, args: PhpValue | undefined, v2: boolean): PhpValue {
		const bound = bindArguments(method, args, v2);
		return method.resource === ORDER_RESOURCE ? this.orders.invoke(method.name as OrderMethod, bound) : this.creditmemos.invoke(method.name as CreditmemoMethod, bound, v2);
	}

	/** Handler_Abstract::call(). `v2` selects the _V2 resource model (V2 and WS-I handlers). */
	call(sessionId: PhpValue | undefined, apiPath: PhpValue | undefined, args: PhpValue | undefined, v2: boolean): PhpValue {
		const user = this.sessions.user(sessionId);
		if (!user) throw faultFor('session_expired');
		const method = this.resolve(apiPath, user);
		try {
			return this.invoke(method, args, v2);
		} catch (error) {
			if (error instanceof ApiFault) throw faultFor(error.faultName, method.resource, error.customMessage);
			if (error instanceof SalesException) throw faultFor('internal', undefined, error.message);
			throw error;
		}
	}

	/**
	 * Handler_Abstract::multiCall(): each failure becomes an in-band {isFault, faultCode, faultMessage}; with
	 * options.break == 1 the first failure ends the batch. A plain Exception here (qty errors) gives fault 1 with
	 * the generic message, unlike call(). PHP Errors still end the whole request.
	 */
	multiCall(sessionId: PhpValue | undefined, calls: PhpValue | undefined, options: PhpValue | undefined): PhpArray {
		if (!(calls instanceof PhpArray)) {
			throw new PhpError(`Mage_Api_Model_Server_Handler_Abstract::multiCall(): Argument #2 ($calls) must be of type array, ${phpType(calls)} given`);
		}
		const user = this.sessions.user(sessionId);
		if (!user) throw faultFor('session_expired');
		const stopOnFault = (options instanceof PhpArray && phpString(scalarOrNull(options.get('break'))) === '1') || false;
		const results = new PhpArray();
		for (const call of calls.values()) {
			const outcome = this.oneOfMany(call, user);
			results.push(outcome.value);
			if (outcome.fault && stopOnFault) break;
		}
		return results;
	}

	private oneOfMany(call: PhpValue, user: ApiUser): { value: PhpValue; fault: boolean } {
		const asFault = (fault: SoapFault) => ({
			value: PhpArray.assoc({ isFault: true, faultCode: fault.faultCode, faultMessage: fault.faultString }),
			fault: true,
		});
		const path = call instanceof PhpArray ? call.get(0) : typeof call === 'string' ? call.charAt(0) : undefined;
		if (path === undefined || path === null) return asFault(faultFor('resource_path_invalid'));
		let method: ApiMethod;
		try {
			method = this.resolve(path, user);
		} catch (error) {
			if (error instanceof SoapFault) return asFault(error);
			throw error;
		}
		const args = call instanceof PhpArray ? (call.get(1) ?? PhpArray.list([])) : PhpArray.list([]);
		try {
			return { value: this.invoke(method, args, false), fault: false };
		} catch (error) {
			if (error instanceof ApiFault) return asFault(faultFor(error.faultName, method.resource, error.customMessage));
			if (error instanceof SalesException) return asFault(faultFor('internal'));
			throw error;
		}
	}

	/** Resource path -> method, with the ACL check; faults 3 (unknown path), 4 (not emulated), 2 (ACL). */
	private resolve(apiPath: PhpValue | undefined, user: ApiUser): ApiMethod {
		const text = apiPath instanceof PhpArray || apiPath instanceof PhpObject ? '' : phpString(apiPath ?? null);
		const [resource, method] = text.split('.');
		if (!resource || !method) throw faultFor('resource_path_invalid');
		const resolved = RESOURCE_ALIASES[resource] ?? resource;
		const known = apiMethod(`${resolved}.${method}`);
		if (!known) {
			const unserved = UNSERVED_RESOURCES.has(resolved) || (resolved === ORDER_RESOURCE && UNSERVED_ORDER_METHODS.has(method));
			throw faultFor(unserved ? 'resource_path_not_callable' : 'resource_path_invalid');
		}
		if (user.acl !== 'all' && !user.acl.includes(known.acl)) throw faultFor('access_denied');
		return known;
	}

	/** globalFaults / resourceFaults: the fault tables as lists of {code, message}. */
	faultList(resource: string | undefined): PhpArray {
		const table = resource === undefined ? GLOBAL_FAULTS : (RESOURCE_FAULTS[RESOURCE_ALIASES[resource] ?? resource] ?? {});
		return PhpArray.list(Object.values(table).map(({ code, message }) => PhpArray.assoc({ code, message })));
	}

	/** resources(): the resources this store exposes, with their methods and aliases. */
	resources(): PhpArray {
		const described: Array<{ title: string; resource: string; alias: string }> = [
			{ title: 'Credit memo API', resource: CREDITMEMO_RESOURCE, alias: 'order_creditmemo' },
			{ title: 'Order API', resource: ORDER_RESOURCE, alias: 'order' },
		];
		return PhpArray.list(
			described.map(({ title, resource, alias }) => {
				const methods = API_METHODS.filter((method) => method.resource === resource).map(({ name }) =>
					PhpArray.assoc({ title: name, path: `${resource}.${name}`, name, aliases: PhpArray.list([`${alias}.${name}`]) }),
				);
				return PhpArray.assoc({ title, name: resource, aliases: PhpArray.list([alias]), methods: PhpArray.list(methods) });
			}),
		);
	}
}

function scalarOrNull(value: PhpValue | undefined): PhpValue {
	return value instanceof PhpArray || value instanceof PhpObject || value === undefined ? null : value;
}

function phpType(value: PhpValue | undefined): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'string') return 'string';
	if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
	if (typeof value === 'boolean') return 'bool';
	return value instanceof PhpObject ? 'stdClass' : 'array';
}

/**
 * How Handler_Abstract::call passes `args` (PHP 8): not an array -> the single argument; an array ->
 * call_user_func_array, where integer keys are positional and string keys are *named* arguments. A string-keyed
 * map therefore only works when its keys are the method's parameter names; anything else is a PHP Error.
 */
export function bindArguments(method: ApiMethod, args: PhpValue | undefined, v2: boolean): PhpValue[] {
	const { phpMethod, params } = method;
	const fn = `${method.className}${v2 ? '_V2' : ''}::${phpMethod}()`;
	if (args === undefined) args = PhpArray.list([]);
	if (!(args instanceof PhpArray)) return [args];
	const bound: Array<PhpValue | undefined> = [];
	let positional = 0;
	let named = false;
	for (const [key, value] of args.entries) {
		if (typeof key === 'number') {
			if (named) throw new PhpError('Cannot use positional argument after named argument during unpacking');
			bound[positional++] = value;
			continue;
		}
		named = true;
		const index = params.findIndex((param) => param.name === key);
		if (index < 0) throw new PhpError(`Unknown named parameter $${key}`);
		if (index < positional) throw new PhpError(`Named parameter $${key} overwrites previous argument`);
		bound[index] = value;
	}
	const required = params.filter((param) => !param.optional).length;
	for (let index = 0; index < params.length; index++) {
		if (params[index].optional || bound[index] !== undefined) continue;
		if (!named) {
			throw new PhpError(`Too few arguments to function ${fn}, ${positional} passed and ${required === params.length ? 'exactly' : 'at least'} ${required} expected`);
		}
		throw new PhpError(`${fn}: Argument #${index + 1} ($${params[index].name}) not passed`);
	}
	return params.map((_param, index) => bound[index] ?? null);
}
