import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AUTO_MAP, FIELD_MAPPING, autoMapNotice, fieldMappingField } from './autoMap';
import { dryRunOption, maxMemosPerExecutionOption, maxTotalAmountOption, refundReferenceField } from './descriptions';
import { PROVIDERS, providerField, providerFields } from './registry';

/**
 * Create Credit Memo and Bulk Credit Memos take the same fields and map them the same way (one memo per input
 * item); Bulk only adds run options.
 */
const defineBelow = { hide: { [FIELD_MAPPING]: [AUTO_MAP] } };

export function createProperties(runOptions: INodeProperties[] = []): INodeProperties[] {
	return [
		providerField(PROVIDERS, 'rebilly'),
		fieldMappingField,
		...PROVIDERS.map(autoMapNotice),
		...(updateDisplayOptions(defineBelow, [...providerFields(PROVIDERS, (provider) => provider.create.fields), refundReferenceField]) as INodeProperties[]),
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
