import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../errors';
import type { ZuoraMemoBody } from './types';

export const ZUORA_VERSION_FIELD = 'Zuora Version (credential)';

/**
 * The minor versions Zuora accepts in `Zuora-Version` (v1 API reference, "Introduction to Zuora API Versions"):
 * 186.0 is what a never-upgraded tenant uses, the date versions are the current ones. Anything else is refused
 * rather than guessed, because the field names below depend on it.
 */
const LEGACY_VERSIONS = [186, 187, 188, 189, 196, 206, 207, 211, 214, 215, 216, 223, 224, 230, 239, 256, 257, 309, 314, 315, 329, 330, 336, 337, 338, 341];
const DATE_VERSIONS = ['2024-05-20', '2025-08-12'];

export const SUPPORTED_ZUORA_VERSIONS = [...[...DATE_VERSIONS].reverse(), ...[...LEGACY_VERSIONS].reverse().map((version) => `${version}.0`)];

/** The credit-memo field names that differ between minor versions (v1 API reference, "API upgrades"). */
export interface ZuoraFieldNames {
	/** 224.0 renamed charges > memoItemAmount to amount. */
	chargeAmount: 'amount' | 'memoItemAmount';
	/** 257.0 renamed charges > chargeId to productRatePlanChargeId. */
	chargeId: 'productRatePlanChargeId' | 'chargeId';
	/** 257.0 renamed the memo item's (and charge's) comment to description. */
	lineDescription: 'description' | 'comment';
}

export interface ZuoraVersion {
	/** Sent as is in the Zuora-Version header. */
	header: string;
	fields: ZuoraFieldNames;
}

export function readZuoraVersion(value: unknown): ZuoraVersion {
	const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? value.toFixed(1) : '';
	const legacy = /^(\d{3})\.0$/.exec(text);
	const known = DATE_VERSIONS.includes(text) || (legacy !== null && LEGACY_VERSIONS.includes(Number(legacy[1])));
	if (!known) {
		throw new InputError(
			ZUORA_VERSION_FIELD,
			text === '' ? 'The Zuora credential has no Zuora Version' : `Zuora Version "${text}" is not one this node knows`,
			`Set the credential's Zuora Version to one of ${SUPPORTED_ZUORA_VERSIONS.join(', ')} (2025-08-12 is the newest). Field names depend on it, so the node does not guess.`,
		);
	}
	const number = legacy ? Number(legacy[1]) : Infinity;
	return {
		header: text,
		fields: {
			chargeAmount: number < 224 ? 'memoItemAmount' : 'amount',
			chargeId: number < 257 ? 'chargeId' : 'productRatePlanChargeId',
			lineDescription: number < 257 ? 'comment' : 'description',
		},
	};
}

/** The memo body with the field names of the given version (bodies are built with the newest names). */
export function toVersionedBody(body: ZuoraMemoBody, version: ZuoraVersion): IDataObject {
	const { fields } = version;
	const renameDescription = (line: IDataObject): IDataObject => {
		const { description, ...rest } = line;
		return description === undefined ? rest : { ...rest, [fields.lineDescription]: description };
	};
	if ('items' in body) {
		return { ...body, items: body.items.map((item) => renameDescription({ ...item })) } as unknown as IDataObject;
	}
	return {
		...body,
		charges: body.charges.map(({ productRatePlanChargeId, amount, ...rest }) =>
			renameDescription({ [fields.chargeId]: productRatePlanChargeId, [fields.chargeAmount]: amount, ...rest }),
		),
	} as unknown as IDataObject;
}
