import type { INodeProperties } from 'n8n-workflow';

import { dryRunOption, maxMemosPerExecutionOption, maxTotalAmountOption, refundReferenceField } from './descriptions';
import { PROVIDERS, providerField, providerFields } from './registry';

/**
 * Create Credit Memo and Bulk Credit Memos take the same fields and map them the same way (one memo per input
 * item); Bulk only adds run options.
 */
export function createProperties(runOptions: INodeProperties[] = []): INodeProperties[] {
	return [
		providerField(PROVIDERS, 'rebilly'),
		...providerFields(PROVIDERS, (provider) => provider.create.fields),
		refundReferenceField,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				...[dryRunOption, maxMemosPerExecutionOption, maxTotalAmountOption, ...runOptions].sort((a, b) => a.displayName.localeCompare(b.displayName)),
				...providerFields(PROVIDERS, (provider) => provider.create.options, '/provider'),
			],
		},
	];
}
