import type { INodeProperties } from 'n8n-workflow';

import { commentTextField, creditMemoIdField, itemsInputModeField, itemsJsonField } from '../../descriptions';
import type { MagentoSourceKey } from './types';

export interface MagentoSource {
	/** Option value of the Source select, and the name of the parameter holding the identifier. */
	value: 'invoiceId' | 'invoiceIncrementId' | 'orderId' | 'orderIncrementId';
	label: string;
	key: MagentoSourceKey;
	/** Entity IDs are numbers on the wire; increment IDs (the numbers people see in the admin) are text. */
	entityId: boolean;
	document: 'invoice' | 'order';
	placeholder: string;
	description: string;
}

export const MAGENTO_SOURCES: readonly MagentoSource[] = [
	{
		value: 'invoiceId',
		label: 'Invoice ID',
		key: 'invoice_id',
		entityId: true,
		document: 'invoice',
		placeholder: '456',
		description: 'The invoice\'s internal ID (entity_id), not the number shown to customers',
	},
	{
		value: 'invoiceIncrementId',
		label: 'Invoice Increment ID',
		key: 'invoice_increment_id',
		entityId: false,
		document: 'invoice',
		placeholder: '100000045',
		description: 'The invoice number shown in the admin and to customers (#100000045)',
	},
	{
		value: 'orderId',
		label: 'Order ID',
		key: 'order_id',
		entityId: true,
		document: 'order',
		placeholder: '123',
		description: 'The order\'s internal ID (entity_id), not the order number',
	},
	{
		value: 'orderIncrementId',
		label: 'Order Increment ID',
		key: 'order_increment_id',
		entityId: false,
		document: 'order',
		placeholder: '100000123',
		description: 'The order number shown in the admin and to customers (#100000123)',
	},
];

/** One select for the kind of identifier and one field for its value, so two identifiers can never be mixed. */
function sourceFields(sources: readonly MagentoSource[], displayName: string, description: string): INodeProperties[] {
	return [
		{
			displayName,
			name: 'magentoRestSourceType',
			type: 'options',
			noDataExpression: true,
			default: sources.find((source) => !source.entityId)!.value,
			description,
			options: sources.map((source) => ({ name: source.label, value: source.value, description: source.description })),
		},
		...sources.map(
			(source): INodeProperties => ({
				displayName: source.label,
				name: source.value,
				type: 'string',
				required: true,
				default: '',
				placeholder: source.placeholder,
				description: source.description,
				displayOptions: { show: { magentoRestSourceType: [source.value] } },
			}),
		),
	];
}

/** Keys of one JSON item: Magento's own names, so a webhook's payload maps as is. */
export const ITEM_KEYS = ['order_item_id', 'sku', 'qty'] as const;

const forSelectedItems = { magentoRestRefundScope: ['selectedItems'] };

export const createFields: INodeProperties[] = [
	{
		displayName:
			'Magento REST cannot look credit memos up, so a re-run sends a refund again. Handle failures with Settings › On Error › Continue (using error output), not Retry On Fail, and give each refund a Refund Reference: it is written into the memo comment, where you can find it in the admin.',
		name: 'magentoRestNotice',
		type: 'notice',
		default: '',
	},
	...sourceFields(MAGENTO_SOURCES, 'Source', 'The document the refund is created from; Magento takes exactly one'),
	{
		displayName: 'Refund Type',
		name: 'refundType',
		type: 'options',
		// Chosen in the node, never from item data or an AI agent: online moves real money.
		noDataExpression: true,
		default: 'offline',
		options: [
			{
				name: 'Offline',
				value: 'offline',
				description: 'Records the refund in Magento only; pay the customer back by other means',
			},
			{
				name: 'Online',
				value: 'online',
				description: 'Refunds through the order\'s payment gateway: money moves and it cannot be reverted',
			},
		],
	},
	{
		displayName:
			'Online refunds send money back through the order\'s payment gateway and cannot be reverted. Magento refuses them when the payment method cannot refund online.',
		name: 'magentoRestOnlineNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { refundType: ['online'] } },
	},
	{
		displayName: 'What to Refund',
		name: 'magentoRestRefundScope',
		type: 'options',
		noDataExpression: true,
		default: 'selectedItems',
		options: [
			{
				name: 'Everything Not Yet Refunded',
				value: 'everythingLeft',
				description: 'Every quantity on the invoice or order that has not been refunded yet (Magento\'s default)',
			},
			{ name: 'Selected Items', value: 'selectedItems', description: 'Only the items and quantities listed below' },
		],
	},
	{ ...itemsInputModeField, displayOptions: { show: forSelectedItems } },
	{
		displayName: 'Items',
		name: 'magentoRestItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Item',
		default: {},
		displayOptions: { show: { ...forSelectedItems, itemsInputMode: ['fields'] } },
		description: 'What is refunded, item by item; each by order item ID (recommended: unambiguous) or by SKU',
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
						placeholder: '10',
						description: 'The order line\'s ID (order_item_id). Recommended over SKU: a SKU can match several lines.',
					},
					{
						displayName: 'SKU',
						name: 'sku',
						type: 'string',
						default: '',
						placeholder: 'PRODUCT-001',
						description: 'Instead of the order item ID',
					},
					{
						displayName: 'Quantity',
						name: 'qty',
						type: 'number',
						default: 1,
						typeOptions: { minValue: 0, numberPrecision: 4 },
						description: 'How many units to refund; above 0',
					},
				],
			},
		],
	},
	{
		...itemsJsonField,
		displayOptions: { show: { ...forSelectedItems, itemsInputMode: ['json'] } },
		placeholder: '[{"order_item_id": 10, "qty": 1}]',
		description: `A JSON list of items, each with ${ITEM_KEYS.join(', ')}: order_item_id OR sku, and qty above 0`,
	},
	{
		displayName: 'Additional Fields',
		name: 'magentoRestAdditionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Adjustment Fee',
				name: 'adjustmentNegative',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 4 },
				description: 'Deducted from the refund, e.g. a restocking fee (adjustment_negative), in the store\'s base currency',
			},
			{
				displayName: 'Adjustment Refund',
				name: 'adjustmentPositive',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 4 },
				description: 'Refunded on top of the items (adjustment_positive), in the store\'s base currency',
			},
			{
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description:
					'Recorded on the credit memo. The Refund Reference is appended as [ref:…] so the memo can be found later.',
			},
			{
				displayName: 'Send Email',
				name: 'sendEmail',
				type: 'boolean',
				default: false,
				description: 'Whether Magento emails the credit memo to the customer after saving it',
			},
			{
				displayName: 'Shipping Amount',
				name: 'shippingAmount',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 4 },
				description:
					'Shipping to refund, in the store\'s base currency; 0 refunds none. Left out, Magento applies its own default (in Magento 1: the shipping not yet refunded).',
			},
		],
	},
];

export const createOptions: INodeProperties[] = [
	{
		displayName: 'Check Refundable Balance First',
		name: 'checkRefundableBalance',
		type: 'boolean',
		default: true,
		description:
			'Whether to read the invoice (or order) first and refuse, before sending anything, a refund that exceeds what is left to refund on it. One extra read per item.',
	},
];

/** The API has no credit memo comments: the note goes to the order's history (POST /api2/history), naming the memo. */
export const commentFields: INodeProperties[] = [
	{
		displayName:
			'Magento REST has no credit memo comments: the note is added to the order\'s history (Comments History in the admin), starting with "Credit memo <ID>:". Magento sends no email for it.',
		name: 'magentoRestCommentNotice',
		type: 'notice',
		default: '',
	},
	creditMemoIdField(
		'The credit memo the note is about, e.g. {{ $json.number }} from Create Credit Memo (the number shown in the admin). The note names it, because it goes to the order, not to the memo.',
		'100000501',
	),
	...sourceFields(
		MAGENTO_SOURCES.filter((source) => source.document === 'order'),
		'Order',
		'The order of the credit memo: its history gets the note. From Create Credit Memo: {{ $json.raw.order_increment_id }}.',
	),
	commentTextField('Added to the order\'s history, not to the credit memo (Magento REST has no credit memo comments)'),
	{
		displayName: 'Additional Fields',
		name: 'magentoRestHistoryFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Mark as Customer Notified',
				name: 'isCustomerNotified',
				type: 'boolean',
				default: false,
				description: 'Whether to mark the history entry as "customer notified" for reports. Magento sends no email either way.',
			},
			{
				displayName: 'Visible on Storefront',
				name: 'isVisibleOnFront',
				type: 'boolean',
				default: false,
				description: 'Whether the customer sees the note on the order in their account',
			},
		],
	},
];
