/**
 * The contract between the sandbox server core (sandbox/server.ts) and each provider emulator
 * (sandbox/providers/<provider>/). The core owns HTTP, latency, fault injection, the ledger and the admin
 * API; an emulator owns one provider's paths, state rules and wire formats.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type ProviderKey = 'magentoRest' | 'magentoSoap' | 'rebilly' | 'salesforce' | 'zuora';

export interface SandboxRequest {
	method: string;
	/** Path after the emulator's prefix, without the query string (e.g. "/organizations/demo/credit-memos"). */
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	rawBody: string;
}

export interface SandboxResponse {
	status: number;
	headers?: Record<string, string>;
	/** An object is sent as JSON; a string as is (set content-type in headers for XML). */
	body?: unknown;
}

/** One routed request: the operation name is what fault rules and the ledger refer to. */
export interface RoutedRequest {
	/** e.g. "createCreditMemo", "bulkCreate", "addComment", "token", "login", "getCreditMemo". */
	operation: string;
	/** Writes that create a memo are the ones "drop after commit" faults apply to. */
	creates: boolean;
	/** Performs the operation against the state and returns the provider's own response. */
	run(): Promise<SandboxResponse> | SandboxResponse;
	/**
	 * Optional: called once the core is done with a request whose run() was called: after the response was written
	 * (delivered) or the connection was dropped on purpose (not delivered). Zuora stores idempotent results here, so a
	 * same-key request that arrives while this one is still "in flight" (latency) sees 409.
	 */
	onFinished?(outcome: { response: SandboxResponse; delivered: boolean }): void;
	/** Optional: not counted against the provider's concurrency limit (Zuora: "Create an OAuth token is unlimited"). */
	exemptFromConcurrencyLimit?: boolean;
}

/** A fault the core asks an emulator to render in the provider's own error shape. */
export type RenderedFault =
	| {
			kind: 'rateLimited';
			retryAfterSeconds: number;
			/** "concurrency" when too many requests are in flight (Zuora: category 70 with Concurrency-Limit-* headers). */
			scope?: 'rate' | 'concurrency';
			/** The limit that was hit (concurrency limit, or the rate limit per window). */
			limit?: number;
	  }
	| { kind: 'serverError'; status: number }
	| { kind: 'unavailable' };

export interface LedgerEntry {
	provider: ProviderKey;
	/** The provider's memo ID (Rebilly id, Zuora id, Salesforce Id, Magento increment ID). */
	creditMemoId: string;
	number?: string;
	/** The business key the node wrote into the memo, if the emulator can see one (comment, description, number). */
	reference?: string;
	/** Source document: invoice / order / order summary / account. */
	source?: string;
	totalAmount?: number;
	createdAt: string;
	operation: string;
	request: { method: string; path: string; headers: Record<string, string>; body: string };
	/** The sandbox's ID of the HTTP request that created the memo (several memos share one in a Zuora bulk call). */
	requestId?: string;
	/** True when a "drop after commit" fault destroyed the connection: the memo exists, the client saw no answer. */
	responseDropped?: boolean;
}

export interface EmulatorContext {
	/** Records a created memo (the ledger tests count duplicates with). The core redacts secret headers (Authorization, REB-APIKEY, Cookie) itself. */
	record(entry: Omit<LedgerEntry, 'provider' | 'createdAt' | 'request'>, request: SandboxRequest): void;
	/** The sandbox's public base URL (e.g. http://127.0.0.1:4010), for instance_url, Location and WSDL addresses. */
	baseUrl(): string;
	/** Deterministic randomness (seeded), for IDs and jitter. */
	random(): number;
	now(): Date;
}

/** What the core offers an emulator besides the per-request context: fixtures and the concurrency picture. */
export interface EmulatorEnvironment {
	/** Parsed `<fixturesDir>/<name>.json` (falls back to sandbox/fixtures/<name>.json); a fresh copy on every call. */
	loadFixture<T = unknown>(name: string): T;
	/** Requests of this provider currently in flight, and its concurrency limit (undefined = unlimited). */
	concurrency(provider: ProviderKey): { inFlight: number; limit: number | undefined };
}

/** How sandbox/providers/index.ts lists emulators: one factory per provider. */
export type EmulatorFactory = (context: EmulatorContext, environment: EmulatorEnvironment) => ProviderEmulator;

export interface ProviderEmulator {
	readonly provider: ProviderKey;
	/** Path prefixes this emulator serves, e.g. ["/rebilly"]; the core strips the prefix. */
	readonly prefixes: string[];
	route(request: SandboxRequest, prefix: string): RoutedRequest | undefined;
	renderFault(fault: RenderedFault, request: SandboxRequest, prefix: string): SandboxResponse;
	/** Invalidates every issued token or session (the "expired tokens and sessions" fault). */
	expireSessions(): void;
	/** Back to the seeded state. */
	reset(): void;
	/** Optional: the demo credentials it accepts, one line each, printed by the CLI (e.g. "client_id ..."). */
	readonly demoCredentials?: string[];
}
