import type { INodeProperties } from 'n8n-workflow';

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
