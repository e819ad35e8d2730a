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

	markDropped(requestId: string): void {
		for (const entry of this.entries) if (entry.requestId === requestId) entry.responseDropped = true;
	}

	clear(): void {
		this.entries = [];
	}
}
