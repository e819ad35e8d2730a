import type { IncomingHttpHeaders } from 'node:http';

import type { LedgerEntry, ProviderKey } from '../types';

/** Headers whose values are secrets: never stored in the ledger or shown on the page. */
const SECRET_HEADERS = new Set(['authorization', 'reb-apikey', 'proxy-authorization', 'cookie', 'x-api-key', 'apikey']);

export function redactHeaders(headers: IncomingHttpHeaders | Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		const key = name.toLowerCase();
		out[key] = SECRET_HEADERS.has(key) ? '[redacted]' : Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}

export interface LedgerSummary {
	memos: number;
	/** Distinct references among them. */
	references: number;
	/** Memos beyond the first for the same reference: second memos for one refund. */
	duplicates: number;
	/** Memos whose response a drop-after-commit fault destroyed. */
	responsesDropped: number;
}

/** Every memo created, per provider, with the request that created it. */
export class Ledger {
	private entries: LedgerEntry[] = [];

	add(entry: LedgerEntry): void {
		this.entries.push(entry);
	}

	list(provider?: ProviderKey): LedgerEntry[] {
		const selected = provider ? this.entries.filter((entry) => entry.provider === provider) : this.entries;
		return selected.map((entry) => ({ ...entry, request: { ...entry.request, headers: { ...entry.request.headers } } }));
	}

	counts(): Partial<Record<ProviderKey, number>> {
		const counts: Partial<Record<ProviderKey, number>> = {};
		for (const entry of this.entries) counts[entry.provider] = (counts[entry.provider] ?? 0) + 1;
		return counts;
	}

	/**
	 * Counts without the entries (a benchmark's ledger holds tens of thousands): memos, distinct references, and
	 * duplicates = memos beyond the first per reference. `contains` keeps the memos whose reference contains it
	 * (one run's references share a tag). Memos without a reference count as memos only.
	 */
	summary(provider?: ProviderKey, contains?: string): LedgerSummary {
		const perReference = new Map<string, number>();
		let memos = 0;
		let dropped = 0;
		for (const entry of this.entries) {
			if (provider && entry.provider !== provider) continue;
			if (contains && !entry.reference?.includes(contains)) continue;
			memos++;
			if (entry.responseDropped) dropped++;
			if (entry.reference !== undefined) perReference.set(entry.reference, (perReference.get(entry.reference) ?? 0) + 1);
		}
		let duplicates = 0;
		for (const count of perReference.values()) duplicates += count - 1;
		return { memos, references: perReference.size, duplicates, responsesDropped: dropped };
	}

	markDropped(requestId: string): void {
		for (const entry of this.entries) if (entry.requestId === requestId) entry.responseDropped = true;
	}

	clear(): void {
		this.entries = [];
	}
}
