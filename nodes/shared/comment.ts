import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runWrites } from './execute';
import type { CommentOperation, CreditMemoProvider } from './types';

/** Add Memo Comment: one comment per input item, through the selected provider. */
export async function executeComment(exec: IExecuteFunctions, provider: CreditMemoProvider & { comment: CommentOperation }): Promise<INodeExecutionData[]> {
	return await runWrites(exec, provider, provider.comment);
}
