import type { INodeProperties } from 'n8n-workflow';

import { dryRunOption, maxMemosPerExecutionOption, maxTotalAmountOption, refundReferenceField } from '../shared/descriptions';
import { PROVIDERS, providerField, providerFields } from '../shared/registry';

export const createCreditMemoProperties: INodeProperties[] = [
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
			dryRunOption,
			maxMemosPerExecutionOption,
			maxTotalAmountOption,
			...providerFields(PROVIDERS, (provider) => provider.create.options, '/provider'),
		],
	},
];
