/** Deterministic randomness: mulberry32, one independent stream per purpose, all derived from the sandbox seed. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A stream per purpose (faults, latency, IDs) so that, e.g., generating an ID never shifts the fault sequence. */
export function deriveSeed(seed: number, purpose: string): number {
	let hash = seed >>> 0;
	for (const char of purpose) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
	return hash;
}

const HEX = '0123456789abcdef';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function pick(random: Random, alphabet: string, length: number): string {
	let out = '';
	for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
	return out;
}

/** Lower-case hex, e.g. Zuora's 32-character IDs. */
export function hexId(random: Random, length = 32): string {
	return pick(random, HEX, length);
}

/** Crockford base32, e.g. the body of Rebilly's `crmm_0YVCNN22TWC3G8H82QNPNVZCHG`. */
export function base32Id(random: Random, length = 26): string {
	return pick(random, CROCKFORD, length);
}

/** RFC 4122 version-4 layout (Zuora-Request-Id, requestId). */
export function uuid(random: Random): string {
	const hex = hexId(random, 32);
	const variant = HEX[8 + Math.floor(random() * 4)];
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
