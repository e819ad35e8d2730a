import { InputError } from './errors';
import { AMOUNT, compare, parseDecimal, toText } from './money';
import type { PlannedWrite } from './types';

export const SAFETY_LIMIT_FIELD = 'Safety Limit: Max Total Amount';
export const MAX_MEMOS_FIELD = 'Safety Limit: Max Memos per Execution';

/**
 * Refuses a memo above the configured maximum before anything is sent. When the total cannot be known in
 * advance (the provider computes it), a configured limit cannot be honoured, so the memo is refused too.
 */
export function enforceMaxTotal(plan: PlannedWrite, maxTotalAmount: unknown): void {
	if (maxTotalAmount === undefined || maxTotalAmount === null || maxTotalAmount === '' || maxTotalAmount === 0) return;
	const limit = parseDecimal(maxTotalAmount, SAFETY_LIMIT_FIELD, AMOUNT);
	if (limit.micros === 0n) return;
	if (plan.totalAmount === null) {
		throw new InputError(
			SAFETY_LIMIT_FIELD,
			'The total of this credit memo is only known to the provider, so the safety limit cannot be checked',
			'Remove the limit for this provider, or give amounts explicitly so the total can be computed before sending.',
		);
	}
	if (compare(plan.totalAmount, limit) > 0) {
		throw new InputError(
			SAFETY_LIMIT_FIELD,
			`The credit memo total ${toText(plan.totalAmount)}${plan.currency ? ` ${plan.currency}` : ''} is above the safety limit of ${toText(limit)}; nothing was sent`,
			'Raise the limit in the node options if this refund is intended.',
		);
	}
}

/** Refuses the item once this execution has already sent the configured number of memos. */
export function enforceMaxMemos(alreadyTaken: number, maxMemos: unknown): void {
	if (maxMemos === undefined || maxMemos === null || maxMemos === '' || Number(maxMemos) === 0) return;
	const limit = parseDecimal(maxMemos, MAX_MEMOS_FIELD, { sign: 'positive', maxDecimals: 0 });
	if (alreadyTaken >= Number(toText(limit))) {
		// Bulk counts the memos it has taken on (one may still fail later), Create the ones it sent.
		throw new InputError(
			MAX_MEMOS_FIELD,
			`This execution reached its safety limit of ${alreadyTaken} credit memo${alreadyTaken === 1 ? '' : 's'}; this one was not sent`,
			'Raise the limit in the node options if this many refunds are intended.',
		);
	}
}
