import type { ProviderKey } from '../types';

/** How a request ended: the HTTP status written, or the connection dropped on purpose (a fault) with none. */
export type RequestOutcome = number | 'dropped';

export interface RequestCount {
	provider: ProviderKey;
	/** The emulator's operation name (as fault rules use it); "unknown" when no operation serves the path. */
	operation: string;
	outcome: RequestOutcome;
	count: number;
}

/**
 * Every provider request the sandbox answered, counted per provider, operation and outcome: what a benchmark
 * or a test reads to know how many requests a client really sent and how many were refused (429s).
 */
export class RequestCounter {
	private readonly counts = new Map<string, RequestCount>();

	count(provider: ProviderKey, operation: string, outcome: RequestOutcome): void {
		const key = `${provider}\u0000${operation}\u0000${outcome}`;
		const entry = this.counts.get(key);
		if (entry) entry.count++;
		else this.counts.set(key, { provider, operation, outcome, count: 1 });
	}

	list(provider?: ProviderKey): RequestCount[] {
		return [...this.counts.values()]
			.filter((entry) => !provider || entry.provider === provider)
			.map((entry) => ({ ...entry }))
			.sort((a, b) => a.provider.localeCompare(b.provider) || a.operation.localeCompare(b.operation) || String(a.outcome).localeCompare(String(b.outcome)));
	}

	/** Requests per provider. */
	totals(): Partial<Record<ProviderKey, number>> {
		const totals: Partial<Record<ProviderKey, number>> = {};
		for (const entry of this.counts.values()) totals[entry.provider] = (totals[entry.provider] ?? 0) + entry.count;
		return totals;
	}

	clear(): void {
		this.counts.clear();
	}
}
