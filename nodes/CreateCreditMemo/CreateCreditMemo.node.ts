import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeCreate } from '../shared/create';
import { PROVIDERS, getProvider, providerCredentials } from '../shared/registry';
import { createCreditMemoProperties } from './description';

export class CreateCreditMemo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Create Credit Memo',
		name: 'createCreditMemo',
		icon: { light: 'file:../../icons/creditMemo.svg', dark: 'file:../../icons/creditMemo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"Create in " + $parameter["provider"]}}',
		description: 'Create a credit memo (refund) in Salesforce Order Management, Magento 1, Rebilly or Zuora',
		defaults: { name: 'Create Credit Memo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: providerCredentials(PROVIDERS),
		properties: createCreditMemoProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const provider = getProvider(this.getNodeParameter('provider', 0));
		return [await executeCreate(this, provider)];
	}
}
