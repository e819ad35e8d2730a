import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { magentoRest } from './providers/magentoRest';
import { magentoSoap } from './providers/magentoSoap';
import { rebilly } from './providers/rebilly';
import { salesforce } from './providers/salesforce';
import { zuora } from './providers/zuora';
import type { CommentOperation, CreditMemoProvider, ProviderKey } from './types';

/** Every provider the nodes offer. Adding a provider means adding its folder and one line here. */
export const PROVIDERS: readonly CreditMemoProvider[] = [rebilly, magentoRest, salesforce, magentoSoap, zuora];

/** Providers whose API takes a comment on a memo (or, for Magento REST, on the order). */
export const COMMENT_PROVIDERS = PROVIDERS.filter((provider): provider is CreditMemoProvider & { comment: CommentOperation } => !!provider.comment);
/** Providers the Credit Memo node lists: those with Get, List or Cancel, or a notice saying why not. */
export const MEMO_PROVIDERS = PROVIDERS.filter((provider) => provider.get || provider.list || provider.cancel || provider.unsupported);

export function getProvider<P extends CreditMemoProvider = CreditMemoProvider>(key: unknown, from: readonly P[] = PROVIDERS as readonly P[]): P {
	const provider = from.find((candidate) => candidate.key === key);
	if (!provider) throw new Error(`Unknown provider "${String(key)}"`);
	return provider;
}

export function providerField(providers: readonly CreditMemoProvider[], defaultKey: ProviderKey): INodeProperties {
	return {
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		noDataExpression: true,
		default: defaultKey,
		options: [...providers]
			.sort((a, b) => a.displayName.localeCompare(b.displayName))
			.map((provider) => ({ name: provider.displayName, value: provider.key })),
	};
}

export function providerCredentials(providers: readonly CreditMemoProvider[]): INodeCredentialDescription[] {
	return providers.map((provider) => ({
		name: provider.credentialType,
		required: true,
		displayOptions: { show: { provider: [provider.key] } },
	}));
}

/** Each provider's own fields, shown only while that provider is selected. */
export function providerFields<P extends CreditMemoProvider>(
	providers: readonly P[],
	pick: (provider: P) => INodeProperties[] | undefined,
	// Inside a collection, '/provider' refers to the node's top-level Provider parameter.
	providerPath: 'provider' | '/provider' = 'provider',
): INodeProperties[] {
	return providers.flatMap((provider) => {
		const fields = pick(provider);
		return fields?.length ? (updateDisplayOptions({ show: { [providerPath]: [provider.key] } }, fields) as INodeProperties[]) : [];
	});
}
