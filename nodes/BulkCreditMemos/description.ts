import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY } from '../shared/bulk';
import { createProperties } from '../shared/createDescription';
import { PROVIDERS } from '../shared/registry';

const batchingProviders = PROVIDERS.filter((provider) => provider.createBatch).map((provider) => provider.key);

export const bulkCreditMemosProperties: INodeProperties[] = createProperties([
	{
		displayName: 'Chunk Size',
		name: 'chunkSize',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1, maxValue: 50, numberPrecision: 0 },
		description: 'Memos per request, for providers that take many memos in one request (capped at the provider\'s maximum)',
		displayOptions: { show: { '/provider': batchingProviders } },
	},
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		default: DEFAULT_CONCURRENCY,
		typeOptions: { minValue: 1, maxValue: 200, numberPrecision: 0 },
		description:
			'Requests in flight at once (capped at the provider\'s limit, e.g. 40 for Zuora). Lowered automatically while the provider answers "too many requests".',
	},
	{
		displayName: 'Stop On First Failure',
		name: 'stopOnFirstFailure',
		type: 'boolean',
		default: false,
		description:
			'Whether to send nothing more after the first failure. Every item is then read and checked before the first memo is sent, so an invalid item stops the run before anything is sent. The items not sent still come out on the Failed output, marked as not attempted.',
	},
]);
