import type { IDataObject, IHttpRequestMethods, INodeProperties } from 'n8n-workflow';

import type { ProviderError } from './errors';
import type { Decimal } from './money';

export type ProviderKey = 'magentoRest' | 'magentoSoap' | 'rebilly' | 'salesforce' | 'zuora';

/** The normalised result of a create: missing values are null, never invented. */
export interface CreditMemoResult extends IDataObject {
	provider: ProviderKey;
	creditMemoId: string | null;
	number: string | null;
	status: string | null;
	totalAmount: number | null;
	currency: string | null;
	createdAt: string | null;
	/** The Refund Reference this memo was created under, when one was given. */
	refundReference?: string | null;
	/** True when an existing memo for this reference was returned instead of creating one. */
	replayed?: boolean;
	raw: IDataObject;
}

/** A request exactly as it goes on the wire, minus what the credential adds (shown redacted in Dry Run). */
export interface PreparedRequest {
	method: IHttpRequestMethods;
	url: string;
	headers: Record<string, string>;
	qs?: Record<string, string | number>;
	/** A JSON value, or a string for XML and form bodies. */
	body?: unknown;
}

export interface HttpResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
}

/**
 * How safe a request is to send twice. The transport retries by this, never by guesswork:
 * - `read`: no side effects (GET, SOAP info/list).
 * - `idempotent`: the provider guarantees the same effect when repeated (PUT with a client-chosen ID,
 *   a POST carrying an idempotency key the provider honours).
 * - `write`: may create something each time it is received.
 */
export type RequestSafety = 'read' | 'idempotent' | 'write';

/** Reads node parameters for one item; keeps n8n's execute context out of the providers' mappers. */
export interface ParamReader {
	readonly itemIndex: number;
	/**
	 * The node's Retry On Fail setting: after a failure n8n re-runs the node with every input item, so
	 * providers that cannot find a memo already created (Magento REST) must refuse it.
	 */
	readonly retryOnFail?: boolean;
	get<T = unknown>(name: string, fallback?: T): T;
}

/** What a provider tells the transport about one response, beyond the HTTP status. */
export interface ResponseClassification {
	/** The provider did not process the request and it may be sent again. */
	retryable: boolean;
	/** How long the provider asked us to wait, if it said. */
	waitMs?: number;
	/** A rate limit, as opposed to a transient fault: Bulk lowers its concurrency on these. */
	rateLimited?: boolean;
}

export interface SendOptions {
	safety: RequestSafety;
	/** Extra provider knowledge about retryability (Zuora error categories, SOAP faults). */
	classify?: (response: HttpResponse) => ResponseClassification | undefined;
}

/** One provider's connection for one node execution: base URL, transport, and any session. */
export interface Session {
	readonly provider: ProviderKey;
	/** The base URL requests are built on, from the credential (no secrets). */
	baseUrl(): Promise<string>;
	send(request: PreparedRequest, options: SendOptions): Promise<HttpResponse>;
	/**
	 * False when the first request will have to fetch a token (none cached in the credential yet). Bulk then sends
	 * one request first, so its concurrent requests share that token instead of each fetching its own.
	 */
	hasToken?(): Promise<boolean>;
	/** Ends anything opened for this execution (a SOAP session); never throws. */
	close(): Promise<void>;
}

/** A write the node may send: what Dry Run shows, and what execute sends. */
export interface PlannedWrite {
	request: PreparedRequest;
	/** The total the memo will credit, when it can be known before sending (for Safety Limits). */
	totalAmount: Decimal | null;
	currency: string | null;
}

/** Read, plan, execute: the shape shared by Create and Add Memo Comment. */
export interface WriteOperation<TInput, TResult> {
	/** Provider fields, without displayOptions: the node gates them on the provider. */
	fields: INodeProperties[];
	/** Provider-specific entries of the node's Options collection. */
	options?: INodeProperties[];
	/** Reads and validates one item's parameters. Throws InputError naming the field. */
	read(params: ParamReader): TInput;
	/**
	 * Builds the write request; used by Dry Run and by execute, so both show and send the same.
	 * May read (never write) to build it, e.g. an Append needs the current text.
	 */
	plan(session: Session, input: TInput): Promise<PlannedWrite>;
	execute(session: Session, input: TInput, plan: PlannedWrite): Promise<TResult>;
	/**
	 * Bulk, for providers without native batching: look many inputs up at once before they are executed one by
	 * one (e.g. which memos already exist), so execute can skip its own read. Only an optimisation: execute
	 * must stay correct without it.
	 */
	prefetch?(session: Session, inputs: TInput[]): Promise<void>;
}

export type CreateOperation<TInput = unknown> = WriteOperation<TInput, CreditMemoResult>;

/** The normalised result of Add Memo Comment. */
export interface CommentResult extends IDataObject {
	provider: ProviderKey;
	creditMemoId: string;
	comment: string;
	/** Where the note went: the memo itself, or (Magento REST, which has no memo comments) the order history. */
	target: 'creditMemo' | 'orderHistory';
	raw: IDataObject;
}

export type CommentOperation<TInput = unknown> = WriteOperation<TInput, CommentResult>;

/** Get: one memo by its identifier. */
export interface GetOperation<TInput = unknown> {
	fields: INodeProperties[];
	read(params: ParamReader): TInput;
	execute(session: Session, input: TInput): Promise<CreditMemoResult>;
}

/** List: memos matching filters, paged through the provider's own pagination. */
export interface ListOperation<TInput = unknown> {
	fields: INodeProperties[];
	read(params: ParamReader): TInput;
	/** Memos in the provider's order; at most `limit` (undefined = all pages). */
	execute(session: Session, input: TInput, limit: number | undefined): Promise<CreditMemoResult[]>;
}

/** What a provider cannot do, said plainly in the UI and in the error, instead of failing obscurely. */
export interface Unsupported {
	get?: string;
	list?: string;
	cancel?: string;
}

/** Native batching (Zuora bulk, SOAP V1 multiCall): several memos in one request, one outcome each. */
export interface BatchOperation<TInput = unknown> {
	/** Most memos one request may carry. */
	readonly maxBatchSize: number;
	/** Whether this session can batch at all (SOAP: only the V1 API style has multiCall). */
	available(session: Session): Promise<boolean>;
	/** Only memos of the same group share a request (Zuora: one sourceType per request). */
	group(input: TInput): string;
	/** Reads ahead, in one request, what planning these memos needs (Magento SOAP: their orders); optional. */
	prepare?(session: Session, inputs: TInput[]): Promise<void>;
	/** The one request for these memos, exactly as sent (Dry Run shows it). */
	plan(session: Session, inputs: TInput[]): Promise<PreparedRequest>;
	/** Sends it. One outcome per input, in input order: the memo, or the error for that memo alone. */
	execute(session: Session, inputs: TInput[], request: PreparedRequest): Promise<Array<CreditMemoResult | ProviderError>>;
}

export interface CreditMemoProvider {
	readonly key: ProviderKey;
	readonly displayName: string;
	readonly credentialType: string;
	/** Headers the credential adds at send time; Dry Run lists them with their values redacted. */
	readonly authHeaders: string[];
	/** Most requests the provider accepts at once; Bulk never exceeds it. */
	readonly maxConcurrency: number;
	/** Reads the provider's error body into a ProviderError. */
	toError(response: HttpResponse): ProviderError;
	openSession(context: SessionContext): Session;
	readonly create: CreateOperation<unknown>;
	readonly comment?: CommentOperation<unknown>;
	readonly createBatch?: BatchOperation<unknown>;
	readonly get?: GetOperation<unknown>;
	readonly list?: ListOperation<unknown>;
	/** Cancel / void a memo; a write, so Dry Run shows it. */
	readonly cancel?: WriteOperation<unknown, CreditMemoResult>;
	readonly unsupported?: Unsupported;
}

/** What a provider needs from n8n to open a session; implemented over IExecuteFunctions. */
export interface SessionContext {
	getCredentials(type: string): Promise<IDataObject>;
	send(credentialType: string, request: PreparedRequest, options: SendOptions, toError: (r: HttpResponse) => ProviderError): Promise<HttpResponse>;
}
