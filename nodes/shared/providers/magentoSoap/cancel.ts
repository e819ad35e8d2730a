import { ProviderError } from '../../errors';
import type { CreditMemoResult, WriteOperation } from '../../types';
import { faultOf } from './errors';
import { cancelFields } from './fields';
import { cancelCall, describeMemo, readCreditmemoIncrementId } from './mappers';
import { numberOnly, readMemo, soap } from './memos';
import type { SoapSession } from './session';

/**
 * sales_order_creditmemo.cancel. Canceling twice leaves the memo as canceling once does, so the call is sent as
 * idempotent (the transport may send it again after a lost answer). Magento refuses every memo that is not open
 * with fault 104, an already canceled one too: after a 104, and after an answer that never came, the memo is read,
 * and canceled is the result asked for. A retried or repeated cancel is thus a success, never a failure
 * (`replayed: true` when Magento said the memo was canceled before).
 */
export const cancel: WriteOperation<string, CreditMemoResult> = {
	fields: cancelFields,
	read: readCreditmemoIncrementId,
	async plan(session, incrementId) {
		return { request: await soap(session).prepare(cancelCall(incrementId)), totalAmount: null, currency: null };
	},
	async execute(session, incrementId) {
		const soapSession = soap(session);
		const refusal = await soapSession.call(cancelCall(incrementId), 'idempotent', { subject: { kind: 'creditMemo', id: incrementId } }).then(
			() => undefined,
			(error: unknown) => ({ error }),
		);
		if (refusal) return await afterRefusal(soapSession, incrementId, refusal.error);
		// The answer is only `true`: the memo read back is the output (it is canceled even if that read fails).
		const info = await readMemo(soapSession, incrementId, true).catch(() => undefined);
		return info === undefined ? { ...numberOnly(incrementId), status: 'canceled', replayed: false } : { ...describeMemo(info), replayed: false };
	},
};

/** The memo as it is after a refused or unanswered cancel: canceled is a success; anything else is reported. */
async function afterRefusal(session: SoapSession, incrementId: string, error: unknown): Promise<CreditMemoResult> {
	const fault = faultOf(error);
	const mayBeCanceled = fault ? fault.code === '104' : error instanceof ProviderError && error.requestSent !== false;
	if (!mayBeCanceled) throw error;
	const info = await readMemo(session, incrementId, true).then(
		(value) => ({ value }),
		() => undefined,
	);
	// If the memo cannot be read either, the first error says more.
	if (!info) throw error;
	const memo = describeMemo(info.value);
	if (memo.status === 'canceled') return { ...memo, replayed: fault !== undefined };
	const refused = error as ProviderError;
	throw new ProviderError({
		provider: 'magentoSoap',
		message: refused.message,
		code: refused.code,
		httpStatus: refused.httpStatus,
		description: [
			refused.description,
			fault
				? `Its state in Magento: ${memo.status ?? 'unknown'}.`
				: `Credit memo ${incrementId} is still ${memo.status ?? 'in an unknown state'}: it was not canceled. Running the node again is safe.`,
		]
			.filter(Boolean)
			.join(' '),
		hint: refused.hint,
		retryable: refused.retryable,
		outcome: 'failed',
		details: refused.details,
	});
}
