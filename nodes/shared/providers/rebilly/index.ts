import { REBILLY_SERVERS } from '../../../../credentials/RebillyApi.credentials';
import { openRestSession, trimSlashes } from '../../session';
import type { CreateOperation, CreditMemoProvider } from '../../types';
import { classify, toError } from './errors';
import { createFields } from './fields';
import type { RebillyCreateInput } from './mappers';
import { fromCreditMemo, readCreateInput } from './mappers';
import type { RebillyCreditMemo } from './types';

const create: CreateOperation<RebillyCreateInput> = {
	fields: createFields,
	read: readCreateInput,
	async plan(session, input) {
		return {
			request: {
				method: 'POST',
				url: `${await session.baseUrl()}/credit-memos`,
				headers: { 'Content-Type': 'application/json' },
				body: input.body,
			},
			totalAmount: input.total,
			currency: input.body.currency,
		};
	},
	async execute(session, _input, plan) {
		const response = await session.send(plan.request, { safety: 'write', classify: (r) => classify(r) });
		return fromCreditMemo(response.body as RebillyCreditMemo);
	},
};

export const rebilly: CreditMemoProvider = {
	key: 'rebilly',
	displayName: 'Rebilly',
	credentialType: 'rebillyApi',
	authHeaders: ['REB-APIKEY'],
	// Rebilly publishes no concurrency limit; its sandbox allows 3000 writes per 10 minutes per organization.
	maxConcurrency: 10,
	toError,
	openSession: (context) =>
		openRestSession(context, {
			provider: 'rebilly',
			credentialType: 'rebillyApi',
			toError,
			baseUrl: (credentials) => {
				const server =
					credentials.environment === 'custom'
						? trimSlashes(String(credentials.baseUrl ?? ''))
						: REBILLY_SERVERS[credentials.environment as keyof typeof REBILLY_SERVERS];
				return `${server}/organizations/${encodeURIComponent(String(credentials.organizationId ?? '').trim())}`;
			},
		}),
	create: create as CreateOperation<unknown>,
};
