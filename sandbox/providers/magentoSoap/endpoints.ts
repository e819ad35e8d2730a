/**
 * The SOAP endpoints of a store: V1 (`/api/soap/`, rpc/encoded, login/call/multiCall/...), V2 (`/api/v2_soap/`,
 * rpc/encoded, salesOrderCreditmemo*), and V2 in WS-I compliance mode (document/literal) when the store has it
 * switched on. Each request is parsed once (route time, to name the operation) and executed in run().
 */
import type { SandboxResponse } from '../../types';
import { SoapEncodingError, envelope, faultEnvelope } from './encoding';
import { ApiHandler, SoapFault, apiMethod, bindArguments, faultFor } from './handler';
import { PhpArray, PhpError, PhpObject, phpString, type PhpValue } from './php';
import { decodeTyped, encodeTyped } from './typed';
import { storeWsdl, type NamespaceStyle, type OperationDef, type SchemaModel, type StoreWsdl } from './wsdl';
import { NS, XmlDoctypeError, XmlSyntaxError, buildXml, parseXml, toXmlOut, type XmlElement, type XmlOut } from './xml';

export interface StoreFront {
	/** The namespace its WSDLs and envelopes use: urn:OpenMage (OpenMage >= 19.4.17/20) or urn:Magento (CE 1.9). */
	style: NamespaceStyle;
	/** api/config/compliance_wsi: V2 speaks WS-I document/literal. */
	wsiCompliance: boolean;
}

export type Endpoint = 'v1' | 'v2';

/** <v2><resources_function_prefix> of Mage/Sales/etc/api.xml: V2 operation prefix -> V1 resource alias. */
const V2_PREFIXES: Array<[string, string]> = [
	['salesOrderCreditmemo', 'order_creditmemo'],
	['salesOrderShipment', 'order_shipment'],
	['salesOrderInvoice', 'order_invoice'],
	['salesOrder', 'order'],
];

export interface PreparedSoapCall {
	operation: string;
	creates: boolean;
	/** Executes the call and renders the response (the fault, if it failed). */
	run(): SandboxResponse;
}

export function wsdlFor(front: StoreFront, endpoint: Endpoint): StoreWsdl {
	return storeWsdl(endpoint === 'v1' ? 'v1' : front.wsiCompliance ? 'wsi' : 'v2', front.style);
}

export function xmlResponse(status: number, body: string): SandboxResponse {
	return { status, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, body };
}

export function faultResponse(fault: SoapFault): SandboxResponse {
	return xmlResponse(500, faultEnvelope(fault.faultCode, fault.faultString));
}

function failed(fault: SoapFault, operation = 'invalidRequest'): PreparedSoapCall {
	return { operation, creates: false, run: () => faultResponse(fault) };
}

/** Parses a SOAP 1.1 envelope down to the operation element, with ext/soap's faults for what is wrong. */
function operationElement(rawBody: string): XmlElement {
	let root: XmlElement;
	try {
		root = parseXml(rawBody);
	} catch (error) {
		if (error instanceof XmlDoctypeError) throw new SoapFault('SOAP-ENV:Server', 'DTD are not supported by SOAP');
		if (error instanceof XmlSyntaxError) throw new SoapFault('SOAP-ENV:Client', 'Bad Request');
		throw error;
	}
	if (root.local === 'Envelope' && root.namespace === NS.envelope12) throw new SoapFault('SOAP-ENV:VersionMismatch', 'Wrong Version');
	if (root.local !== 'Envelope' || root.namespace !== NS.envelope) throw new SoapFault('SOAP-ENV:Client', 'Bad Request');
	const body = root.children.find((element) => element.local === 'Body' && element.namespace === NS.envelope);
	if (!body) throw new SoapFault('SOAP-ENV:Client', 'Body header not found');
	const operation = body.children[0];
	if (!operation) throw new SoapFault('SOAP-ENV:Client', 'looks like we got "Body" without function call');
	return operation;
}

function notPresent(name: string): SoapFault {
	return new SoapFault('SOAP-ENV:Server', `Procedure '${name}' not present`);
}

/** Routes one SOAP request: parses it, names the operation, and returns the deferred execution. */
export function prepareSoapCall(front: StoreFront, endpoint: Endpoint, rawBody: string, handler: ApiHandler): PreparedSoapCall {
	const wsdl = wsdlFor(front, endpoint);
	let element: XmlElement;
	try {
		element = operationElement(rawBody);
	} catch (error) {
		if (error instanceof SoapFault) return failed(error);
		throw error;
	}
	// ext/soap resolves rpc operations by name and document/literal ones by qualified element; a request in another
	// namespace (urn:Magento against an OpenMage store, or an unqualified element) is refused here in both cases,
	// so a node configured with the wrong namespace fails in tests as it would against a real store's client side.
	if (element.namespace !== wsdl.namespace) return failed(notPresent(element.local));
	const schema = wsdl.schema;
	if (schema.style === 'document') return prepareWsi(schema, element, handler);
	const operation = schema.operations.get(element.local);
	if (!operation) return failed(notPresent(element.local));
	let args: Array<PhpValue | undefined>;
	try {
		args = decodeRpcParameters(schema, operation, element);
	} catch (error) {
		const fault = toSoapFault(error);
		if (fault) return failed(fault, operation.name);
		throw error;
	}
	return endpoint === 'v1' ? prepareV1(schema, operation, args, handler) : prepareV2(schema, operation, args, handler);
}

/**
 * ext/soap's deserialize_parameters: when any child is named like a WSDL part, parameters bind by name (a missing
 * one is null); otherwise by position (`param0`, `param1`, ...), where more elements than parts is "Error cannot
 * find parameter" and fewer leaves the PHP defaults (undefined here).
 */
function decodeRpcParameters(schema: SchemaModel, operation: OperationDef, element: XmlElement): Array<PhpValue | undefined> {
	const typeOf = (index: number) => operation.input[index].type ?? { namespace: NS.xsd, local: 'anyType' };
	const byName = operation.input.some((part) => element.children.some((child) => child.local === part.name));
	if (byName) {
		return operation.input.map((part, index) => {
			const child = element.children.find((candidate) => candidate.local === part.name);
			return child ? decodeTyped(schema, child, typeOf(index), 'encoded') : null;
		});
	}
	if (element.children.length > operation.input.length) throw new SoapFault('SOAP-ENV:Client', 'Error cannot find parameter');
	return element.children.map((child, index) => decodeTyped(schema, child, typeOf(index), 'encoded'));
}

function toSoapFault(error: unknown): SoapFault | undefined {
	if (error instanceof SoapFault) return error;
	if (error instanceof SoapEncodingError) return new SoapFault('SOAP-ENV:Client', `SOAP-ERROR: Encoding: ${error.message}`);
	if (error instanceof PhpError) return new SoapFault('SOAP-ENV:Server', error.message);
	return undefined;
}

function rpcResponse(schema: SchemaModel, operation: OperationDef, value: PhpValue): SandboxResponse {
	const part = operation.output[0];
	const encoded = part ? encodeTyped(schema, part.name, value, part.type ?? { namespace: NS.xsd, local: 'anyType' }, 'encoded') : undefined;
	const body: XmlOut = { name: `ns1:${operation.name}Response`, children: encoded ? [encoded] : [] };
	return xmlResponse(200, envelope(schema.namespace, [body], 'encoded'));
}

function execute(operationName: string, creates: boolean, work: () => SandboxResponse): PreparedSoapCall {
	return {
		operation: operationName,
		creates,
		run() {
			try {
				return work();
			} catch (error) {
				const fault = toSoapFault(error);
				if (fault) return faultResponse(fault);
				throw error;
			}
		},
	};
}

function prepareV1(schema: SchemaModel, operation: OperationDef, args: Array<PhpValue | undefined>, handler: ApiHandler): PreparedSoapCall {
	const respond = (value: () => PhpValue) => () => rpcResponse(schema, operation, value());
	const loggedIn = (sessionId: PhpValue | undefined) => {
		if (!handler.sessions.user(sessionId)) throw faultFor('session_expired');
	};
	switch (operation.name) {
		case 'login':
			return execute('login', false, respond(() => handler.sessions.login(args[0], args[1])));
		case 'endSession':
			return execute('endSession', false, respond(() => (handler.sessions.end(args[0]), true)));
		case 'startSession':
			return execute('startSession', false, respond(() => handler.sessions.newId()));
		case 'call': {
			const method = apiMethod(args[1]);
			// `call($sessionId, $apiPath, $args = [])`: a nil (or, by name, missing) args is null, not the default.
			return execute(method?.operation ?? 'call', method?.creates ?? false, respond(() => handler.call(args[0], args[1], args[2], false)));
		}
		case 'multiCall': {
			const creates = args[1] instanceof PhpArray && args[1].values().some((call) => call instanceof PhpArray && apiMethod(call.get(0))?.creates === true);
			return execute('multiCall', creates, respond(() => handler.multiCall(args[0], args[1], args[2])));
		}
		case 'resources':
			return execute('resources', false, respond(() => (loggedIn(args[0]), handler.resources())));
		case 'globalFaults':
			return execute('globalFaults', false, respond(() => (loggedIn(args[0]), handler.faultList(undefined))));
		case 'resourceFaults':
			return execute('resourceFaults', false, respond(() => (loggedIn(args[1]), handler.faultList(phpString(args[0])))));
		default:
			return failed(notPresent(operation.name));
	}
}

/** Mage_Api_Model_Server_V2_Handler::__call: "salesOrderCreditmemoCreate" -> call($sessionId, "order_creditmemo.create", $args). */
function v2ApiPath(operationName: string): string | undefined {
	const prefix = V2_PREFIXES.find(([candidate]) => operationName.startsWith(candidate));
	if (!prefix) return undefined;
	const method = operationName.slice(prefix[0].length);
	return `${prefix[1]}.${method.charAt(0).toLowerCase()}${method.slice(1)}`;
}

function prepareV2(schema: SchemaModel, operation: OperationDef, args: Array<PhpValue | undefined>, handler: ApiHandler): PreparedSoapCall {
	const respond = (value: () => PhpValue) => () => rpcResponse(schema, operation, value());
	switch (operation.name) {
		case 'login':
			return execute('login', false, respond(() => handler.sessions.login(args[0], args[1])));
		case 'endSession':
			return execute('endSession', false, respond(() => (handler.sessions.end(args[0]), true)));
		case 'startSession':
			return execute('startSession', false, respond(() => handler.sessions.newId()));
		case 'resources':
		case 'globalFaults':
		case 'resourceFaults': {
			const sessionId = operation.name === 'resourceFaults' ? args[1] : args[0];
			return execute(operation.name, false, () => {
				if (!handler.sessions.user(sessionId)) throw faultFor('session_expired');
				const value = operation.name === 'resources' ? handler.resources() : handler.faultList(operation.name === 'resourceFaults' ? phpString(args[0]) : undefined);
				return rpcResponse(schema, operation, value);
			});
		}
	}
	const apiPath = v2ApiPath(operation.name);
	if (!apiPath) return failed(notPresent(operation.name));
	const method = apiMethod(apiPath);
	const [sessionId, ...rest] = args;
	return execute(method?.operation ?? operation.name, method?.creates ?? false, respond(() => handler.call(sessionId, apiPath, PhpArray.list(rest.map((value) => value ?? null)), true)));
}

/**
 * WS-I: the body element is the operation's request wrapper (e.g. salesOrderCreditmemoCreateRequestParam).
 * Mage_Api_Model_Server_Wsi_Handler unpacks it and binds arguments by PHP parameter name: a missing required one
 * is fault 6 before the session is even checked (so the seed's create example, which says
 * `creditmemoIncrementId` where the WSDL says `orderIncrementId`, gets fault 6 on a real store; the WSDL wins).
 */
function prepareWsi(schema: SchemaModel, element: XmlElement, handler: ApiHandler): PreparedSoapCall {
	const operation = [...schema.operations.values()].find((candidate) => candidate.input[0]?.element === element.local);
	const wrapper = schema.elements.get(element.local);
	if (!operation || !wrapper || wrapper.kind !== 'struct') return failed(notPresent(element.local));
	const known = new Set(wrapper.fields.map((field) => field.name));
	const unknown = element.children.find((child) => !known.has(child.local));
	let params: PhpObject;
	try {
		params = decodeTyped(schema, { ...element, children: element.children.filter((child) => known.has(child.local)) }, wrapper, 'literal') as PhpObject;
	} catch (error) {
		const fault = toSoapFault(error);
		if (fault) return failed(fault, operation.name);
		throw error;
	}
	const respond = (value: () => PhpValue) => () => {
		const output = schema.elements.get(operation.output[0]?.element ?? '');
		if (!output) throw new Error(`WSDL has no response element for ${operation.name}`);
		const encoded = encodeTyped(schema, `ns1:${output.name}`, PhpObject.of({ result: value() }), output, 'literal') as XmlOut;
		return xmlResponse(200, envelope(schema.namespace, [encoded], 'literal'));
	};
	const strict = () => {
		if (unknown) throw new SoapEncodingError(`Violation of encoding rules (unknown element '${unknown.local}' in ${wrapper.name})`);
	};
	const value = (name: string) => params.props.get(name);
	switch (operation.name) {
		case 'login':
			return execute('login', false, respond(() => (strict(), handler.sessions.login(value('username'), value('apiKey')))));
		case 'endSession':
			return execute('endSession', false, respond(() => (strict(), handler.sessions.end(value('sessionId')), true)));
	}
	const apiPath = v2ApiPath(operation.name);
	if (!apiPath) {
		// call, multiCall, resources, globalFaults, resourceFaults: the WS-I handler hands the wrapper object to
		// Handler_Abstract as if it were the session ID, which is never logged in.
		return execute(operation.name, false, () => faultResponse(faultFor('session_expired')));
	}
	const method = apiMethod(apiPath);
	return execute(method?.operation ?? operation.name, method?.creates ?? false, respond(() => {
		if (method) {
			// Wsi_Handler::prepareArgs: by name, defaults for the optional ones, fault 6 for a missing required one.
			for (const param of method.params) {
				if (!param.optional && !params.isset(param.name)) throw faultFor('invalid_request_param');
			}
		}
		strict();
		const named = new PhpArray();
		if (method) for (const param of method.params) if (params.isset(param.name)) named.set(param.name, value(param.name) ?? null);
		// Bound by name here, so the positional list handed to call() is already in parameter order.
		const args = method ? PhpArray.list(bindArguments(method, named, true)) : PhpArray.list([]);
		return handler.call(value('sessionId'), apiPath, args, true);
	}));
}

/**
 * The request body as the ledger keeps it: the session ID (a bearer credential for an hour) replaced by
 * "[redacted]" — the element named sessionId, or the first rpc parameter, which is the session ID of every
 * operation that can create a memo (call, multiCall, salesOrderCreditmemoCreate).
 */
export function redactSessionId(rawBody: string): string {
	const envelopeOut = toXmlOut(parseXml(rawBody));
	const body = envelopeOut.children?.find((element) => element.name.split(':').pop() === 'Body');
	const operation = body?.children?.[0];
	const parameters = operation?.children ?? [];
	const session = parameters.find((element) => element.name.split(':').pop() === 'sessionId') ?? parameters[0];
	if (session) {
		session.text = '[redacted]';
		session.children = [];
	}
	return buildXml(envelopeOut);
}
