import { createHash } from 'crypto';

import { InputError, ProviderError } from './errors';
import type { Decimal } from './money';
import { compare, toText } from './money';
import type { ParamReader, ProviderKey } from './types';
import { optionalText } from './validate';

export const REFUND_REFERENCE = 'Refund Reference';

export interface ReferenceRules {
	/** Providers whose exactly-once guarantee stands on the reference require it. */
	required: boolean;
	providerName: string;
	maxLength?: number;
}

export function readRefundReference(params: ParamReader, rules: ReferenceRules): string | undefined {
	const reference = optionalText(params.get('refundReference', ''), REFUND_REFERENCE, { maxLength: rules.maxLength ?? 200 });
	if (reference === undefined && rules.required) {
		throw new InputError(
			REFUND_REFERENCE,
			`${REFUND_REFERENCE} is required for ${rules.providerName}`,
			'Map the business key of this refund (a return ID, a ticket number, order + line), e.g. {{ $json.returnId }}. It is what makes retries and re-runs return the memo already created instead of a second one.',
		);
	}
	return reference;
}

/**
 * The mark a memo's comment carries for reconciliation: `[ref:<reference> #<fingerprint>]`, the fingerprint being 8
 * hex digits of the refund's data, which tells a replay of the same refund from another refund under the reference.
 */
export function refundMarker(reference: string, refundFingerprint: string): string {
	return `[ref:${reference} #${refundFingerprint}]`;
}

/** A whole marker (a line, or the end of a comment); the reference in group 1. */
export const REFUND_MARKER = /^\[ref:(.+) #[0-9a-f]{8}\]$/s;

/**
 * The fingerprint of the last marker for this reference in a text (the node writes its marker last). Found by
 * plain text search, so a reference with regex characters in it needs no escaping.
 */
export function markerFingerprint(text: unknown, reference: string): string | undefined {
	if (typeof text !== 'string') return undefined;
	const prefix = `[ref:${reference} #`;
	for (let at = text.lastIndexOf(prefix); at >= 0; at = at === 0 ? -1 : text.lastIndexOf(prefix, at - 1)) {
		const candidate = text.slice(at + prefix.length, at + prefix.length + 9);
		if (/^[0-9a-f]{8}\]$/.test(candidate)) return candidate.slice(0, 8);
	}
	return undefined;
}

/** Hex SHA-256 of JSON with sorted keys: the same value always hashes the same, whatever the key order. */
export function fingerprint(value: unknown): string {
	return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, entry]) => entry !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * The memo found under a reference must be the refund we were asked for; otherwise the reference was
 * reused for a different refund, which is refused (like Stripe's idempotency keys) rather than answered
 * with a memo that does not match.
 */
export function assertSameRefund(
	provider: ProviderKey,
	reference: string,
	existing: { creditMemoId: string | null; totalAmount: Decimal | null; differences: string[] },
	planned: Decimal | null,
): void {
	const differences = [...existing.differences];
	if (planned && existing.totalAmount && compare(planned, existing.totalAmount) !== 0) {
		differences.push(`total ${toText(existing.totalAmount)} instead of ${toText(planned)}`);
	}
	if (!differences.length) return;
	throw new ProviderError({
		provider,
		message: `Refund Reference "${reference}" was already used for a different credit memo (${existing.creditMemoId ?? 'unknown ID'}: ${differences.join('; ')})`,
		code: 'REFERENCE_REUSED',
		hint: 'Nothing was created. If this is a new refund, give it its own reference; if the first memo was wrong, correct it in the provider.',
	});
}
