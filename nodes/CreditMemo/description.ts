import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { dryRunOption } from '../shared/descriptions';
import type { MemoOperation } from '../shared/lookup';
import { DEFAULT_LIST_LIMIT } from '../shared/lookup';
import { MEMO_PROVIDERS, providerField } from '../shared/registry';
import type { CreditMemoProvider } from '../shared/types';

const OPERATIONS: Array<{ value: MemoOperation; name: string; action: string; description: string }> = [
	{ value: 'cancel', name: 'Cancel', action: 'Cancel a credit memo', description: 'Cancel (void) a credit memo' },
	{ value: 'get', name: 'Get', action: 'Get a credit memo', description: 'Read one credit memo' },
	{ value: 'list', name: 'List', action: 'List credit memos', description: 'List credit memos matching filters' },
];

/** Per provider: the operations it supports, and a notice for those it does not. */
function operationFields(provider: CreditMemoProvider): INodeProperties[] {
	const offered = OPERATIONS.filter((operation) => provider[operation.value]);
	const show = { provider: [provider.key] };
	const notices = OPERATIONS.filter((operation) => !provider[operation.value] && provider.unsupported?.[operation.value]).map(
		(operation): INodeProperties => ({
			displayName: `${operation.name}: ${provider.unsupported![operation.value]}`,
			name: `${provider.key}${operation.name}Notice`,
			type: 'notice',
			default: '',
			displayOptions: { show },
		}),
	);
	if (!offered.length) return notices;
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			default: offered.some((operation) => operation.value === 'get') ? 'get' : offered[0].value,
			options: offered,
			displayOptions: { show },
		},
		...notices,
		...offered.flatMap((operation) =>
			updateDisplayOptions({ show: { ...show, operation: [operation.value] } }, provider[operation.value]!.fields) as INodeProperties[],
		),
	];
}

const showFor = (operations: MemoOperation[]) => ({ show: { operation: operations } });

export const creditMemoProperties: INodeProperties[] = [
	providerField(MEMO_PROVIDERS, 'rebilly'),
	...MEMO_PROVIDERS.flatMap(operationFields),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: showFor(['list']),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: DEFAULT_LIST_LIMIT,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { operation: ['list'], returnAll: [false] } },
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return the normalised memo (ID, number, status, total, currency, created) instead of the provider\'s full record',
		displayOptions: showFor(['get', 'list']),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [dryRunOption],
		displayOptions: showFor(['cancel']),
	},
];

