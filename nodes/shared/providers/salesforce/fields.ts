import type { INodeProperties } from 'n8n-workflow';

import { commentTextField, createdRangeFilters, creditMemoIdField } from '../../descriptions';

export const createFields: INodeProperties[] = [
	{
		displayName: 'Order Summary ID',
		name: 'orderSummaryId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1OsR0000000EAAkKAO',
		description: 'The order summary being refunded (a Salesforce ID starting with 1Os)',
	},
	{
		displayName: 'Change Order IDs',
		name: 'changeOrderIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: '801R0000000EAAkIAO, 801R0000000EAAlIAO',
		description:
			'The change orders to credit, from Submit Return or Submit Cancel (IDs starting with 801): one ID, several separated by commas, or an expression returning a list such as {{ $json.changeOrderIds }}. Salesforce credits a change order only once, so running again returns the memo already created. Without a Refund Reference, these change orders are the reference.',
	},
];

export const createOptions: INodeProperties[] = [
	{
		displayName: 'Ensure Refunds',
		name: 'ensureRefunds',
		type: 'boolean',
		default: false,
		description:
			'Whether to start refunding the new credit memo through the payment gateway (Ensure Refunds Async) right after creating it. The output names the background operation started. Never started again for a memo that already existed.',
	},
];

const creditMemoId = creditMemoIdField('The Salesforce credit memo (an ID starting with 50g), e.g. from Create Credit Memo: {{ $json.creditMemoId }}', '50gR000000000JNIAY');

export const commentFields: INodeProperties[] = [
	creditMemoId,
	commentTextField('Written into the credit memo\'s Description, which Salesforce shows on the memo'),
	{
		displayName: 'Write Mode',
		name: 'descriptionMode',
		type: 'options',
		default: 'append',
		options: [
			{
				name: 'Append',
				value: 'append',
				description: 'Add the comment as a new line after what the Description already says (not twice in a row: a retried run adds it once)',
			},
			{ name: 'Replace', value: 'replace', description: 'The comment becomes the whole Description' },
		],
		description: 'A Description longer than Salesforce allows is refused, never cut',
	},
];

export const getFields: INodeProperties[] = [creditMemoId];

export const listFields: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'salesforceListFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			...createdRangeFilters,
			{
				displayName: 'Order Summary ID',
				name: 'orderSummaryId',
				type: 'string',
				default: '',
				placeholder: '1OsR0000000EAAkKAO',
				description: 'Only the credit memos of this order summary (an ID starting with 1Os)',
			},
		],
	},
];
