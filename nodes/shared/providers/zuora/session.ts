import type { IDataObject } from 'n8n-workflow';
import { IANAZone } from 'luxon';

import { ZUORA_ENVIRONMENTS } from '../../../../credentials/ZuoraOAuth2Api.credentials';
import { InputError } from '../../errors';
import { openRestSession, trimSlashes } from '../../session';
import type { Session, SessionContext } from '../../types';
import { toError } from './errors';
import type { ZuoraVersion } from './versions';
import { readZuoraVersion } from './versions';

export const CREDENTIAL_TYPE = 'zuoraOAuth2Api';
export const TENANT_TIME_ZONE_FIELD = 'Tenant Time Zone (credential)';

/** What every Zuora request of one execution shares, read once from the credential. */
export interface ZuoraSettings {
	baseUrl: string;
	version: ZuoraVersion;
	/** Zuora-Version, plus Zuora-Entity-Ids / Zuora-Org-Ids only when set. */
	headers: Record<string, string>;
	/** The server and entity: idempotency keys are scoped to them. */
	tenant: string;
	/** The tenant's time zone (IANA), in which Zuora writes its date-times; undefined when the credential leaves it empty. */
	timeZone?: string;
}

interface ZuoraSession extends Session {
	settings(): Promise<ZuoraSettings>;
}

/** Header values must be printable US-ASCII: a pasted line break would otherwise fail only at send time. */
const HEADER_VALUE = /^[\x20-\x7e]+$/;

export function readSettings(credentials: IDataObject): ZuoraSettings {
	const environment = String(credentials.environment ?? '');
	const baseUrl =
		environment === 'custom'
			? trimSlashes(String(credentials.baseUrl ?? ''))
			: ZUORA_ENVIRONMENTS[environment as keyof typeof ZUORA_ENVIRONMENTS]?.url;
	if (!baseUrl) throw new InputError('Base URL (credential)', 'The Zuora credential has no server: choose an environment or enter a Base URL');
	const version = readZuoraVersion(credentials.zuoraVersion);
	const headers: Record<string, string> = { 'Zuora-Version': version.header };
	const entityIds = headerValue(credentials.entityIds, 'Entity IDs (credential)');
	const orgIds = headerValue(credentials.orgIds, 'Org IDs (credential)');
	if (entityIds) headers['Zuora-Entity-Ids'] = entityIds;
	if (orgIds) headers['Zuora-Org-Ids'] = orgIds;
	return { baseUrl, version, headers, tenant: `${baseUrl}|${entityIds ?? ''}`, timeZone: readTimeZone(credentials.tenantTimeZone) };
}

function headerValue(value: unknown, field: string): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (!HEADER_VALUE.test(text)) throw new InputError(field, `${field} may only hold printable ASCII characters`);
	return text;
}

/** An IANA zone name (Europe/Paris, UTC); a fixed offset would be wrong half the year where clocks change. */
function readTimeZone(value: unknown): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
	const name = typeof value === 'string' ? value.trim() : '';
	if (!IANAZone.isValidZone(name)) {
		throw new InputError(
			TENANT_TIME_ZONE_FIELD,
			`Tenant Time Zone "${String(value)}" is not a time zone name`,
			"Use the IANA name of your Zuora tenant's time zone, for example America/Los_Angeles (Zuora's default), Europe/Paris or UTC.",
		);
	}
	return name;
}

export function openZuoraSession(context: SessionContext): ZuoraSession {
	let settings: Promise<ZuoraSettings> | undefined;
	return {
		...openRestSession(context, { provider: 'zuora', credentialType: CREDENTIAL_TYPE, toError, baseUrl: (credentials) => readSettings(credentials).baseUrl }),
		settings: async () => await (settings ??= context.getCredentials(CREDENTIAL_TYPE).then(readSettings)),
	};
}

export async function settingsOf(session: Session): Promise<ZuoraSettings> {
	if (!('settings' in session)) throw new Error('Zuora operations need a session opened by the Zuora provider');
	return await (session as ZuoraSession).settings();
}
