import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { MemoOperation } from '../shared/lookup';
import { executeMemoOperation } from '../shared/lookup';
import { MEMO_PROVIDERS, getProvider, providerCredentials } from '../shared/registry';
import { creditMemoProperties } from './description';

export class CreditMemo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Credit Memo',
		name: 'creditMemo',
		icon: { light: 'file:../../icons/creditMemo.svg', dark: 'file:../../icons/creditMemo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["provider"]}}',
		description: 'Get, list or cancel credit memos',
		defaults: { name: 'Credit Memo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: providerCredentials(MEMO_PROVIDERS),
		properties: creditMemoProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const provider = getProvider(this.getNodeParameter('provider', 0), MEMO_PROVIDERS);
		// Providers without any operation have no Operation parameter; the error then says why.
		const operation = this.getNodeParameter('operation', 0, 'get') as MemoOperation;
		return [await executeMemoOperation(this, provider, operation)];
	}
}
