import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeBulk } from '../shared/bulk';
import { PROVIDERS, getProvider, providerCredentials } from '../shared/registry';
import { bulkCreditMemosProperties } from './description';

export class BulkCreditMemos implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bulk Credit Memos',
		name: 'bulkCreditMemos',
		icon: { light: 'file:../../icons/bulkCreditMemos.svg', dark: 'file:../../icons/bulkCreditMemos.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"Bulk in " + $parameter["provider"]}}',
		description: 'Create many credit memos at once: batched where the provider allows, every item on Succeeded or Failed',
		defaults: { name: 'Bulk Credit Memos' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Succeeded', 'Failed'],
		credentials: providerCredentials(PROVIDERS),
		properties: bulkCreditMemosProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const provider = getProvider(this.getNodeParameter('provider', 0));
		return await executeBulk(this, provider);
	}
}
