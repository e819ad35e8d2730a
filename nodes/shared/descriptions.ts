import type { INodeProperties } from 'n8n-workflow';

/** Shared by every provider that takes lines: the same switch between the field UI and one JSON expression. */
export const itemsInputModeField: INodeProperties = {
	displayName: 'Items Input',
	name: 'itemsInputMode',
	type: 'options',
	noDataExpression: true,
	default: 'fields',
	options: [
		{ name: 'Using Fields Below', value: 'fields', description: 'Enter each item in the form' },
		{ name: 'Using JSON', value: 'json', description: 'Map a whole list at once, e.g. from a webhook payload' },
	],
};

export const itemsJsonField: INodeProperties = {
	displayName: 'Items (JSON)',
	name: 'itemsJson',
	type: 'json',
	default: '[]',
	displayOptions: { show: { itemsInputMode: ['json'] } },
};

export const dryRunOption: INodeProperties = {
	displayName: 'Dry Run',
	name: 'dryRun',
	type: 'boolean',
	default: false,
	description:
		'Whether to only validate and output the exact request that would be sent (secrets redacted), sending nothing',
};

export const maxTotalAmountOption: INodeProperties = {
	displayName: 'Safety Limit: Max Total Amount',
	name: 'maxTotalAmount',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0, numberPrecision: 2 },
	description:
		'Refuse any credit memo whose total is above this amount (in the memo currency); nothing is sent. 0 means no limit. Recommended for webhook-triggered and AI-agent use.',
};

/**
 * The business key of one refund (a return ID, a ticket, order + line). Providers write it into the memo and
 * use it for their exactly-once mechanism; it is never derived from the execution ID or a random value,
 * so a retried or re-run execution finds the memo it already created.
 */
export const refundReferenceField: INodeProperties = {
	displayName: 'Refund Reference',
	name: 'refundReference',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.returnId }}',
	description:
		'The business key of this refund (return ID, ticket number, order + line). The same reference always means the same refund: where the provider allows it, retries and re-runs return the memo already created instead of creating a second one (Magento REST can only do so within one run). Written into the memo for reconciliation.',
};

export const maxMemosPerExecutionOption: INodeProperties = {
	displayName: 'Safety Limit: Max Memos per Execution',
	name: 'maxMemosPerExecution',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0, numberPrecision: 0 },
	description:
		'Refuse items beyond this many credit memos in one execution; nothing is sent for them. 0 means no limit.',
};

/** The memo a comment or lookup targets; each provider says in `description` which identifier it takes. */
export function creditMemoIdField(description: string, placeholder: string): INodeProperties {
	return {
		displayName: 'Credit Memo ID',
		name: 'creditMemoId',
		type: 'string',
		required: true,
		default: '',
		placeholder,
		description,
	};
}

export function commentTextField(description: string): INodeProperties {
	return {
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		description,
	};
}

/**
 * List filters: a created range, "after" included and "before" excluded, so that one day's range ends where the
 * next begins and back-to-back runs never list a memo twice.
 */
export const createdRangeFilters: INodeProperties[] = [
	{
		displayName: 'Created After',
		name: 'createdAfter',
		type: 'dateTime',
		default: '',
		description: "Only memos created at or after this time. Yesterday's memos: {{ $today.minus({ days: 1 }) }} here and {{ $today }} in Created Before (the workflow's time zone).",
	},
	{
		displayName: 'Created Before',
		name: 'createdBefore',
		type: 'dateTime',
		default: '',
		description: 'Only memos created before this time, not at it, so one day\'s range ends where the next begins and no memo is listed in both',
	},
];
