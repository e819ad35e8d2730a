import type { INodeProperties } from 'n8n-workflow';

import { commentTextField, createdRangeFilters, creditMemoIdField, itemsInputModeField, itemsJsonField } from '../../descriptions';

/** Keys of one item in Items (JSON): Magento's own names, so a Magento webhook payload maps as is. */
export const ITEM_KEYS = ['order_item_id', 'qty'] as const;

export const ITEMS_TO_REFUND = ['listed', 'allRemaining', 'none'] as const;
export type ItemsToRefund = (typeof ITEMS_TO_REFUND)[number];

const onlyListed = { show: { magentoSoapItemsToRefund: ['listed'] } };

export const createFields: INodeProperties[] = [
	{
		displayName:
			'Magento\'s SOAP API always refunds offline: it records the credit memo and updates the order, but never sends money back through the payment gateway. Refund the payment itself separately.',
		name: 'magentoSoapOfflineNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Order Increment ID',
		name: 'orderIncrementId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '100000123',
		description: 'The order number shown in the Magento admin and to the customer (its increment ID), not the internal entity ID',
	},
	{
		displayName: 'Items to Refund',
		name: 'magentoSoapItemsToRefund',
		type: 'options',
		default: 'listed',
		options: [
			{ name: 'Listed Items', value: 'listed', description: 'Only the order items listed below, in the quantities given' },
			{
				name: 'All Remaining Items',
				value: 'allRemaining',
				description: 'Everything on the order not refunded yet (Magento\'s default when no items are given)',
			},
			{ name: 'No Items', value: 'none', description: 'Shipping and adjustments only: every order item is sent with quantity 0' },
		],
	},
	{ ...itemsInputModeField, displayOptions: onlyListed },
	{
		displayName: 'Items',
		name: 'magentoSoapItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Item',
		default: {},
		displayOptions: { show: { ...onlyListed.show, itemsInputMode: ['fields'] } },
		description: 'The order items to refund and how many of each',
		options: [
			{
				displayName: 'Item',
				name: 'item',
				values: [
					{
						displayName: 'Order Item ID',
						name: 'orderItemId',
						type: 'string',
						default: '',
						placeholder: '712',
						description: 'The order line\'s item_id (from the order\'s items), not the product ID or SKU',
					},
					{
						displayName: 'Quantity',
						name: 'qty',
						type: 'number',
						default: 1,
						typeOptions: { minValue: 0, numberPrecision: 4 },
						description: 'Units to refund; whole units unless the product allows decimal quantities',
					},
				],
			},
		],
	},
	{
		...itemsJsonField,
		displayOptions: { show: { ...onlyListed.show, itemsInputMode: ['json'] } },
		placeholder: '[{"order_item_id": 712, "qty": 1}]',
		description: `A JSON list of the order items to refund. Keys: ${ITEM_KEYS.join(', ')}.`,
	},
	{
		displayName: 'Additional Fields',
		name: 'magentoSoapAdditionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Adjustment Fee',
				name: 'adjustmentNegative',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 2 },
				description: 'An amount kept back from the refund (e.g. a restocking fee), in the store\'s base currency',
			},
			{
				displayName: 'Adjustment Refund',
				name: 'adjustmentPositive',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 2 },
				description: 'An extra amount refunded on top of the items, in the store\'s base currency',
			},
			{
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description:
					'Saved as the credit memo\'s first comment. With a Refund Reference, the node adds a line such as [ref:RET-1 #a1b2c3d4] to it so the memo can be found again.',
			},
			{
				displayName: 'Include Comment In Email',
				name: 'includeComment',
				type: 'boolean',
				default: false,
				description: 'Whether the email to the customer shows the comment (and so the reference line)',
			},
			{
				displayName: 'Notify Customer',
				name: 'notifyCustomer',
				type: 'boolean',
				default: false,
				description: 'Whether Magento emails the credit memo to the customer',
			},
			{
				displayName: 'Refund To Store Credit Amount',
				name: 'refundToStoreCreditAmount',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 2 },
				description:
					'Part of the refund credited to the customer\'s store credit balance (needs a store-credit module; not for guest orders). 0 means none.',
			},
			{
				displayName: 'Shipping Amount',
				name: 'shippingAmount',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 2 },
				description:
					'Shipping to refund, in the store\'s base currency. When this field is not added, Magento refunds all the shipping not refunded yet; 0 refunds none.',
			},
		],
	},
];

export const createOptions: INodeProperties[] = [
	{
		displayName: 'Check for Existing Memo',
		name: 'checkForExistingMemo',
		type: 'boolean',
		default: true,
		description:
			'Whether to look for a credit memo of the order whose comment carries this Refund Reference before creating one, and return it instead of creating a second. Needs a Refund Reference.',
	},
];

const MEMO_NUMBER = 'The credit memo\'s increment ID, the number shown in the Magento admin (Create Credit Memo outputs it as creditMemoId)';

export const commentFields: INodeProperties[] = [
	creditMemoIdField(MEMO_NUMBER, '100000055'),
	commentTextField('Added to the credit memo\'s comments in Magento'),
	{
		displayName: 'Notify Customer',
		name: 'notifyCustomer',
		type: 'boolean',
		default: false,
		description: 'Whether Magento emails the customer about this comment',
	},
	{
		displayName: 'Include Comment In Email',
		name: 'includeComment',
		type: 'boolean',
		default: false,
		description: 'Whether the email to the customer shows the comment text',
	},
];

export const getFields: INodeProperties[] = [creditMemoIdField(MEMO_NUMBER, '100000684')];

export const cancelFields: INodeProperties[] = [
	{
		displayName:
			'Magento cancels only an open credit memo (a refund still waiting for the payment gateway). Memos created through the API are refunded at once and cannot be canceled: Magento refuses them (fault 104).',
		name: 'magentoSoapCancelNotice',
		type: 'notice',
		default: '',
	},
	creditMemoIdField(`${MEMO_NUMBER}. Canceling gives the order back the refunded quantities and amounts.`, '100000637'),
];

export const listFields: INodeProperties[] = [
	{
		displayName:
			'Magento\'s SOAP list has no paging: it answers every matching credit memo at once, and the node keeps the first ones up to the Limit (oldest first). On a store with many memos, narrow the list with a Created or Increment ID range.',
		name: 'magentoSoapListNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Filters',
		name: 'magentoSoapListFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			...createdRangeFilters,
			{
				displayName: 'Increment ID From',
				name: 'incrementIdFrom',
				type: 'string',
				default: '',
				placeholder: '100000617',
				description: 'Only memos numbered this or later. Magento compares numbers as text, so give both ends with the same number of digits.',
			},
			{
				displayName: 'Increment ID To',
				name: 'incrementIdTo',
				type: 'string',
				default: '',
				placeholder: '100000619',
				description: 'Only memos numbered this or earlier (included)',
			},
			{
				displayName: 'Order Increment ID',
				name: 'orderIncrementId',
				type: 'string',
				default: '',
				placeholder: '100000683',
				description: 'Only the memos of this order: its number as the admin and the customer see it',
			},
			{
				displayName: 'State',
				name: 'state',
				type: 'multiOptions',
				default: [],
				options: [
					{ name: 'Open', value: 'open', description: 'A refund still waiting for the payment gateway; can be canceled' },
					{ name: 'Refunded', value: 'refunded', description: 'Refunded (every memo created through the API)' },
					{ name: 'Canceled', value: 'canceled' },
				],
			},
		],
	},
	{
		displayName: 'Include Items and Comments',
		name: 'magentoSoapIncludeDetails',
		type: 'boolean',
		default: false,
		description:
			'Whether to read each listed memo in full: its items, its comments and the Refund Reference they carry (V1 also the order number). One more request per memo (V1: per 50 memos); Magento\'s list gives only the memo\'s own fields.',
	},
];
