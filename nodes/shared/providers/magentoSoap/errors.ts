import { ProviderError } from '../../errors';
import type { HttpResponse, ResponseClassification } from '../../types';
import { readFault } from './envelopes';
import type { SoapFault } from './types';

/** What a call was about, so a fault reads as a sentence a finance person understands. */
export interface FaultContext {
	/** The V1 resource path (sales_order_creditmemo.create), or login / endSession. */
	path: string;
	/** The order or credit memo (increment ID) the call was about. */
	subject?: { kind: 'order' | 'creditMemo'; id: string };
	/** A write may have been saved before Magento's answer turned into a fault (see `UNKNOWN_AFTER_WRITE`). */
	write: boolean;
	/** One call of a V1 multiCall, where Magento answers internal errors without their text. */
	inMultiCall?: boolean;
}

const ROLE_HINT =
	'In the Magento admin (System > Web Services > SOAP/XML-RPC - Roles), give the API user\'s role Sales > Order > Retrieve orders info and Sales > Order > Credit memos (create, list, info, comments, cancel).';

/**
 * Faults Magento can answer after it has already saved: create() and addComment() save, then send the email,
 * and an exception from the email step comes back as 102 (Mage_Core_Exception) or 1 (any other exception).
 * So after these a write's outcome is unknown, not failed (Mage/Sales/Model/Order/Creditmemo/Api.php).
 */
const UNKNOWN_AFTER_WRITE = new Set(['1', '102']);

/** A fault as a ProviderError: Magento's code, a clear message, Magento's own text where it says more. */
export function faultError(fault: SoapFault, context: FaultContext, httpStatus?: number): ProviderError {
	const { message, hint } = explain(fault, context);
	const unknown = context.write && UNKNOWN_AFTER_WRITE.has(fault.code);
	return new ProviderError({
		provider: 'magentoSoap',
		message,
		code: fault.code,
		httpStatus,
		description: fault.message && !message.includes(fault.message) ? `Magento said: ${fault.message}` : undefined,
		hint: unknown
			? `${hint ? `${hint} ` : ''}Magento reports this code for refusals and also for failures after saving (while sending the email), so the change may have been saved: check ${where(context)} in the Magento admin before sending it again.${context.path.endsWith('.create') ? ' With a Refund Reference, the node checks this itself.' : ''}`
			: hint,
		retryable: false,
		outcome: unknown ? 'unknown' : 'failed',
		details: { faultcode: fault.code, faultstring: fault.message, path: context.path },
	});
}

/** "order 100000123's credit memos" / "credit memo 100000055": what to look at after an unknown outcome. */
function where({ subject }: FaultContext): string {
	if (!subject) return 'the store';
	return subject.kind === 'order' ? `order ${subject.id}'s credit memos` : `credit memo ${subject.id}`;
}

function explain(fault: SoapFault, { path, subject, inMultiCall }: FaultContext): { message: string; hint?: string } {
	const text = fault.message || 'no message';
	const order = subject?.kind === 'order' ? `Order ${subject.id}` : 'The order';
	const memo = subject?.kind === 'creditMemo' ? `Credit memo ${subject.id}` : 'The credit memo';
	const orderIdHint = 'Use the order\'s increment ID (the order number shown in the admin and to the customer, e.g. 100000123), not its internal entity ID.';
	switch (fault.code) {
		case '1':
			return inMultiCall
				? {
						message: `Magento refused the request: ${text}`,
						hint: 'In a multiCall Magento leaves out its own reason for this error (typically a quantity above what is left to refund or an amount above what was paid); Create Credit Memo, one memo at a time, shows it.',
					}
				: { message: `Magento refused the request: ${text}`, hint: 'This is Magento\'s own message; typical causes are a quantity above what is left to refund or an amount above what was paid.' };
		case '2':
			return path === 'login'
				? { message: 'Magento refused the API user or API key', hint: 'Check the API User and API Key in the credential (System > Web Services > SOAP/XML-RPC - Users in the Magento admin).' }
				: { message: `The API user may not call ${path}`, hint: ROLE_HINT };
		case '3':
		case '4':
			return { message: `This store does not offer ${path} (${text})`, hint: 'Check the API style in the credential; the store may have the module or its API disabled.' };
		case '5':
			return { message: 'Magento ended the API session again right after a new login', hint: 'Check the session lifetime (System > Configuration > Magento Core API > Client Session Timeout) and that the store\'s clock is right.' };
		case '6':
			return path === 'login'
				? { message: 'The API user or API key in the credential is empty' }
				: { message: `Magento says a required parameter of ${path} is missing`, hint: 'Check the API style in the credential: a WS-I store needs "V2 (WS-I Compliance)".' };
		case '100':
			// sales_order's fault 100 is "order not exists"; sales_order_creditmemo's is "credit memo does not exist".
			return path.startsWith('sales_order.')
				? { message: `${order} does not exist`, hint: orderIdHint }
				: { message: `${memo} does not exist`, hint: 'Use the credit memo\'s increment ID (the number shown in the admin, e.g. 100000055), as Create Credit Memo outputs it in creditMemoId.' };
		case '101':
			return { message: `Magento refused the credit memo search: ${text}` };
		case '102':
			return { message: `Magento refused the data: ${text}` };
		case '103':
			return { message: `${order} does not exist`, hint: orderIdHint };
		case '104':
			return path.endsWith('.cancel')
				? {
						message: `${memo} was not canceled: ${text}`,
						hint: 'Magento cancels only an open credit memo (a refund still waiting for the payment gateway). Memos created through the API are refunded at once (offline) and can never be canceled, in the API or in the admin: record the correction another way, e.g. in your accounting.',
					}
				: { message: `${memo} was not changed: ${text}` };
		case '105':
			return { message: 'This order was placed by a guest, so nothing can be refunded to store credit', hint: 'Remove Refund To Store Credit Amount for guest orders.' };
		case '106':
			return {
				message: `Magento cannot create a credit memo for ${subject?.kind === 'order' ? `order ${subject.id}` : 'this order'}`,
				hint: 'Nothing is left to refund, or the order is closed, canceled, on hold or in payment review.',
			};
		default:
			return { message: `The store's SOAP server refused ${path}: ${text}`, hint: 'Check the store URL, the API style and the namespace in the credential.' };
	}
}

/** An answer that is not a SOAP envelope (a proxy's error page, a login page, a redirect target). */
export function notSoapError(response: HttpResponse, context: FaultContext, reason: string): ProviderError {
	const failed = response.statusCode >= 400;
	// A write that got a 2xx page that is not SOAP, or a 5xx page, may still have been processed behind it.
	const unknown = context.write && (response.statusCode < 300 || response.statusCode >= 500);
	return new ProviderError({
		provider: 'magentoSoap',
		message: failed ? `The store answered HTTP ${response.statusCode} instead of SOAP` : `The store's answer to ${context.path} is not SOAP: ${reason}`,
		httpStatus: response.statusCode,
		hint: unknown
			? `The request may have been processed: check ${where(context)} in the Magento admin before sending it again.`
			: 'Check the store URL (without /api/...; add /index.php when the store has no URL rewrites) and the API style in the credential.',
		retryable: false,
		outcome: unknown ? 'unknown' : 'failed',
	});
}

/** The transport's error for a non-2xx answer: the fault it carries, or the HTTP status. */
export function toError(response: HttpResponse): ProviderError {
	const fault = readFault(response.body);
	const context: FaultContext = { path: 'the request', write: false };
	return fault ? faultError(fault, context, response.statusCode) : notSoapError(response, context, `HTTP ${response.statusCode}`);
}

/**
 * A fault is Magento's answer, never a transient condition: not retried as is (fault 5 is handled by the session,
 * which logs in again and sends a new envelope). Anything else gets the shared status rules.
 */
export function classify(response: HttpResponse): ResponseClassification | undefined {
	return readFault(response.body) ? { retryable: false } : undefined;
}

/** The fault behind a ProviderError made by `faultError`, if it was one. */
export function faultOf(error: unknown): SoapFault | undefined {
	const details = error instanceof ProviderError ? (error.details as { faultcode?: unknown; faultstring?: unknown } | undefined) : undefined;
	return typeof details?.faultcode === 'string' ? { code: details.faultcode, message: String(details.faultstring ?? '') } : undefined;
}
