import type { INodeProperties } from 'n8n-workflow';

import { commentTextField, createdRangeFilters, creditMemoIdField, itemsInputModeField, itemsJsonField } from '../../descriptions';

/** Rebilly's `reason` enum, as in the official OpenAPI (which has `prepayment`; the rendered docs page does not). */
export const REBILLY_REASONS = [
	'chargeback',
	'customer-credit',
	'order-cancellation',
	'order-change',
	'other',
	'prepayment',
	'product-unsatisfactory',
	'return',
	'waiver',
	'write-off',
] as const;

export const ITEM_KEYS = ['quantity', 'unitPrice', 'description', 'productId', 'planId', 'invoiceItemId', 'tax'] as const;

export const createFields: INodeProperties[] = [
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'cus_0YV7DDSDD1C8DA64KHH2W33CPF',
		description: 'The Rebilly customer the credit is for',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		required: true,
		default: 'USD',
		placeholder: 'USD',
		description: 'ISO 4217 code of the credit memo currency (three letters)',
	},
	itemsInputModeField,
	{
		displayName: 'Items',
		name: 'rebillyItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Item',
		default: {},
		displayOptions: { show: { itemsInputMode: ['fields'] } },
		description: 'What is credited, line by line',
		options: [
			{
				displayName: 'Item',
				name: 'item',
				values: [
					{
						displayName: 'Quantity',
						name: 'quantity',
						type: 'number',
						default: 1,
						typeOptions: { minValue: 1, numberPrecision: 0 },
						description: 'Whole units credited',
					},
					{
						displayName: 'Unit Price',
						name: 'unitPrice',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0, numberPrecision: 2 },
						description: 'Price of one unit, in the memo currency',
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Invoice Item ID',
						name: 'invoiceItemId',
						type: 'string',
						default: '',
						description: 'The invoice item this line credits, if any',
					},
					{
						displayName: 'Product ID',
						name: 'productId',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Plan ID',
						name: 'planId',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Tax Amount',
						name: 'taxAmount',
						type: 'string',
						default: '',
						placeholder: '1.25',
						description: 'Tax credited on this line; leave empty for none',
					},
					{
						displayName: 'Tax Description',
						name: 'taxDescription',
						type: 'string',
						default: '',
						placeholder: 'Sales tax',
						description: 'Required by Rebilly when a tax amount is given',
					},
					{
						displayName: 'Tax Rate',
						name: 'taxRate',
						type: 'string',
						default: '',
						placeholder: '0.0825',
						description: 'Overall sales tax rate, optional',
					},
				],
			},
		],
	},
	{
		...itemsJsonField,
		placeholder: '[{"quantity": 1, "unitPrice": 19.9, "description": "Returned item"}]',
		description: `A JSON list of Rebilly credit memo items. Keys: ${ITEM_KEYS.join(', ')}; tax is {"amount", "description", "rate"?, …}.`,
	},
	{
		displayName: 'Additional Fields',
		name: 'rebillyAdditionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				description: 'Public description of the credit memo; customers can see it',
			},
			{
				displayName: 'Invoice ID',
				name: 'invoiceId',
				type: 'string',
				default: '',
				description: 'The invoice the credit memo is issued for',
			},
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'options',
				default: 'return',
				options: REBILLY_REASONS.map((reason) => ({
					name: reason.replace(/(^|-)(\w)/g, (_m, dash: string, c: string) => `${dash ? ' ' : ''}${c.toUpperCase()}`),
					value: reason,
				})),
			},
			{
				displayName: 'Shipping Amount',
				name: 'shippingAmount',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 2 },
				description: 'Shipping credited, in the memo currency',
			},
		],
	},
];

export const commentFields: INodeProperties[] = [
	creditMemoIdField('The Rebilly credit memo ID (for example from Create Credit Memo: {{ $json.creditMemoId }})', 'cm-RET-1001'),
	commentTextField('Added to the credit memo\'s timeline as a message'),
];

export const getFields: INodeProperties[] = [creditMemoIdField('The Rebilly credit memo ID', 'cm-RET-1001')];

export const cancelFields: INodeProperties[] = [
	creditMemoIdField('The Rebilly credit memo to void. A voided memo cannot be used any more.', 'cm-RET-1001'),
];

export const REBILLY_STATUSES = ['applied', 'draft', 'issued', 'partially-applied', 'quotation', 'voided'] as const;

export const listFields: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'rebillyListFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			...createdRangeFilters,
			{ displayName: 'Customer ID', name: 'customerId', type: 'string', default: '' },
			{ displayName: 'Invoice ID', name: 'invoiceId', type: 'string', default: '' },
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'issued',
				options: REBILLY_STATUSES.map((status) => ({ name: status.replace(/(^|-)(\w)/g, (_m, dash: string, c: string) => `${dash ? ' ' : ''}${c.toUpperCase()}`), value: status })),
			},
		],
	},
];
