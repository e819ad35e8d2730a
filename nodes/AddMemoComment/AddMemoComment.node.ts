import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeComment } from '../shared/comment';
import { COMMENT_PROVIDERS, getProvider, providerCredentials } from '../shared/registry';
import { addMemoCommentProperties } from './description';

export class AddMemoComment implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Add Memo Comment',
		name: 'addMemoComment',
		icon: { light: 'file:../../icons/memoComment.svg', dark: 'file:../../icons/memoComment.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"Comment in " + $parameter["provider"]}}',
		description: 'Add a comment (a note) to an existing credit memo',
		defaults: { name: 'Add Memo Comment' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: providerCredentials(COMMENT_PROVIDERS),
		properties: addMemoCommentProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const provider = getProvider(this.getNodeParameter('provider', 0), COMMENT_PROVIDERS);
		return [await executeComment(this, provider)];
	}
}
