import type { INodeProperties } from 'n8n-workflow';

import { dryRunOption } from '../shared/descriptions';
import { COMMENT_PROVIDERS, providerField, providerFields } from '../shared/registry';

export const addMemoCommentProperties: INodeProperties[] = [
	providerField(COMMENT_PROVIDERS, 'rebilly'),
	...providerFields(COMMENT_PROVIDERS, (provider) => provider.comment.fields),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [dryRunOption, ...providerFields(COMMENT_PROVIDERS, (provider) => provider.comment.options, '/provider')],
	},
];
