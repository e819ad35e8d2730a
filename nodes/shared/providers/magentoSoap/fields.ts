import type { INodeProperties } from 'n8n-workflow';

import { commentTextField, creditMemoIdField, itemsInputModeField, itemsJsonField } from '../../descriptions';

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

export const commentFields: INodeProperties[] = [
	creditMemoIdField(
		'The credit memo\'s increment ID, the number shown in the Magento admin (Create Credit Memo outputs it as creditMemoId)',
		'100000055',
	),
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
