import type { ProviderKey } from '../types';
import type { Random } from '../util/random';

/**
 * What a fault does to one request:
 * - serverError: the provider's 5xx (status, default 500) BEFORE anything is committed.
 * - unavailable: the provider's 503 before commit.
 * - rateLimited: the provider's own 429 (and headers) before commit; `retryAfterSeconds` defaults to 1.
 * - resetBeforeCommit: the connection is destroyed before anything is committed.
 * - dropAfterCommit: the operation commits (memo created, in the ledger), then the connection is destroyed without
 *   a response. Only matches operations that create memos.
 * - expiredSession: every token / session of the provider is invalidated, then the request runs (and fails with the
 *   provider's own 401 / session fault).
 * - delay: `delayMs` extra before the response (client timeouts).
 */
export const FAULT_KINDS = [
	'serverError',
	'unavailable',
	'rateLimited',
	'resetBeforeCommit',
	'dropAfterCommit',
	'expiredSession',
	'delay',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRuleInput {
	/** A provider, or "*" for all. */
	provider: ProviderKey | '*';
	/** An operation name as the emulator routes it (e.g. "createCreditMemo", "bulkCreate"); omitted or "*" = any. */
	operation?: string;
	kind: FaultKind;
	/** Fires with this probability (seeded RNG). Without `count` and `probability` a rule always fires. */
	probability?: number;
	/** Fires for the next N matching requests, then stays listed with `remaining: 0`. */
	count?: number;
	/** serverError: the HTTP status (500, 502, 503, 504, or a provider-specific one such as Magento's 409). */
	status?: number;
	/** rateLimited: seconds the client is told to wait (keep it small in tests). */
	retryAfterSeconds?: number;
	/** delay: extra milliseconds. */
	delayMs?: number;
}

export interface FaultRule extends FaultRuleInput {
	id: string;
	/** Left for `count` rules; undefined for probability / always rules. */
	remaining?: number;
	/** How often the rule fired. */
	fired: number;
}

export class FaultBook {
	private rules: FaultRule[] = [];
	private nextId = 1;

	constructor(private readonly random: () => Random) {}

	list(): FaultRule[] {
		return this.rules.map((rule) => ({ ...rule }));
	}

	add(inputs: FaultRuleInput[]): FaultRule[] {
		const added = inputs.map((input) => this.toRule(input));
		this.rules.push(...added);
		return added.map((rule) => ({ ...rule }));
	}

	replace(inputs: FaultRuleInput[]): FaultRule[] {
		const rules = inputs.map((input) => this.toRule(input));
		this.rules = rules;
		return this.list();
	}

	clear(): void {
		this.rules = [];
	}

	/** The first rule that matches and fires for this request; counts and fires are updated. */
	pick(provider: ProviderKey, operation: string, creates: boolean): FaultRule | undefined {
		for (const rule of this.rules) {
			if (rule.provider !== '*' && rule.provider !== provider) continue;
			if (rule.operation !== undefined && rule.operation !== '*' && rule.operation !== operation) continue;
			if (rule.kind === 'dropAfterCommit' && !creates) continue;
			if (rule.remaining !== undefined && rule.remaining <= 0) continue;
			if (rule.probability !== undefined && !(this.random()() < rule.probability)) continue;
			if (rule.remaining !== undefined) rule.remaining--;
			rule.fired++;
			return { ...rule };
		}
		return undefined;
	}

	private toRule(input: FaultRuleInput): FaultRule {
		validateFaultInput(input);
		return {
			...input,
			id: `fault-${this.nextId++}`,
			remaining: input.count,
			fired: 0,
		};
	}
}

export function validateFaultInput(input: FaultRuleInput): void {
	if (typeof input !== 'object' || input === null) throw new TypeError('A fault rule must be an object');
	if (typeof input.provider !== 'string') throw new TypeError('fault.provider is required (a provider key or "*")');
	if (!FAULT_KINDS.includes(input.kind)) throw new TypeError(`fault.kind must be one of ${FAULT_KINDS.join(', ')}`);
	if (input.operation !== undefined && typeof input.operation !== 'string') throw new TypeError('fault.operation must be a string');
	if (input.probability !== undefined && !(typeof input.probability === 'number' && input.probability >= 0 && input.probability <= 1)) {
		throw new TypeError('fault.probability must be a number from 0 to 1');
	}
	if (input.count !== undefined && !(Number.isInteger(input.count) && input.count >= 0)) {
		throw new TypeError('fault.count must be a non-negative integer');
	}
	if (input.status !== undefined && !(Number.isInteger(input.status) && input.status >= 400 && input.status <= 599)) {
		throw new TypeError('fault.status must be an HTTP error status (400-599)');
	}
	if (input.retryAfterSeconds !== undefined && !(typeof input.retryAfterSeconds === 'number' && input.retryAfterSeconds >= 0)) {
		throw new TypeError('fault.retryAfterSeconds must be a non-negative number');
	}
	if (input.delayMs !== undefined && !(typeof input.delayMs === 'number' && input.delayMs >= 0)) {
		throw new TypeError('fault.delayMs must be a non-negative number');
	}
}
