import type { INodeProperties } from 'n8n-workflow';

import { commentTextField, creditMemoIdField, itemsInputModeField, itemsJsonField } from '../../descriptions';

/** Keys a JSON item may have (CreditMemoItemFromInvoiceItemType, without custom and finance fields). */
export const INVOICE_ITEM_KEYS = ['invoiceItemId', 'amount', 'skuName', 'description', 'quantity', 'serviceStartDate', 'serviceEndDate', 'taxMode', 'unitOfMeasure', 'taxItems'] as const;
/** CreditMemoTaxItemFromInvoiceTaxItemType, without finance fields. */
export const TAX_ITEM_KEYS = ['amount', 'sourceTaxItemId', 'jurisdiction', 'locationCode', 'taxCode', 'taxCodeDescription', 'taxDate', 'taxExemptAmount', 'taxName', 'taxRate', 'taxRateDescription', 'taxRateType'] as const;
/** CreditMemoFromChargeDetailType, without custom and finance fields. */
export const CHARGE_KEYS = ['productRatePlanChargeId', 'amount', 'quantity', 'description', 'serviceStartDate', 'serviceEndDate'] as const;

const forInvoice = { show: { sourceType: ['invoice'] } };
const forStandalone = { show: { sourceType: ['standalone'] } };

const amountField: INodeProperties = {
	displayName: 'Amount',
	name: 'amount',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0, numberPrecision: 2 },
	description: 'Amount credited, in the memo currency',
};

const lineDescriptionField: INodeProperties = {
	displayName: 'Description',
	name: 'description',
	type: 'string',
	default: '',
	description: 'Optional text on the memo line',
};

export const createFields: INodeProperties[] = [
	{
		displayName:
			'Zuora keeps the answer to each Refund Reference for 24 hours (it is sent as the Idempotency-Key): a retry or re-run within that time returns the memo already created, never a second one. After 24 hours Zuora forgets the key; the reference stays in the memo comment as [ref:…] for reconciliation.',
		name: 'zuoraIdempotencyNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Source',
		name: 'sourceType',
		type: 'options',
		default: 'invoice',
		description: 'Where the credit comes from. An expression can choose it per item (invoice or standalone), e.g. {{ $json.invoiceId ? "invoice" : "standalone" }}; Bulk then sends each source in its own requests.',
		options: [
			{ name: 'From Invoice', value: 'invoice', description: 'Credit lines of an existing invoice' },
			{ name: 'Standalone', value: 'standalone', description: 'Credit product rate plan charges to an account, without an invoice' },
		],
	},
	{
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '8a90d7a892d82d920192dbcb314501c7',
		description: 'The ID (32 characters) of the invoice the memo credits',
		displayOptions: forInvoice,
	},
	{
		displayName: 'Account ID',
		name: 'accountId',
		type: 'string',
		default: '',
		placeholder: '8ad09be48db5aba7018db604776d4854',
		description: 'The customer account credited. Give this or the Account Number.',
		displayOptions: forStandalone,
	},
	{
		displayName: 'Account Number',
		name: 'accountNumber',
		type: 'string',
		default: '',
		placeholder: 'A00000097',
		description: 'The customer account credited. Give this or the Account ID.',
		displayOptions: forStandalone,
	},
	itemsInputModeField,
	{
		displayName: 'Invoice Items',
		name: 'zuoraInvoiceItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Invoice Item',
		default: {},
		displayOptions: { show: { sourceType: ['invoice'], itemsInputMode: ['fields'] } },
		description: 'The invoice lines credited, and by how much',
		options: [
			{
				displayName: 'Item',
				name: 'item',
				values: [
					{
						displayName: 'Invoice Item ID',
						name: 'invoiceItemId',
						type: 'string',
						default: '',
						placeholder: '8a90d7a892d82d920192dbcb31f401c8',
						description: 'The invoice line credited',
					},
					amountField,
					{
						displayName: 'SKU Name',
						name: 'skuName',
						type: 'string',
						default: '',
						placeholder: 'SKU-00000707',
						description: 'The SKU of the invoice line, as on the invoice',
					},
					lineDescriptionField,
					{
						displayName: 'Tax Amount',
						name: 'taxAmount',
						type: 'string',
						default: '',
						placeholder: '1.25',
						description: 'Tax credited on this line; leave empty to let Zuora handle tax',
					},
					{
						displayName: 'Source Tax Item ID',
						name: 'sourceTaxItemId',
						type: 'string',
						default: '',
						description: 'The invoice tax line the tax amount credits',
					},
				],
			},
		],
	},
	{
		displayName: 'Charges',
		name: 'zuoraCharges',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Charge',
		default: {},
		displayOptions: { show: { sourceType: ['standalone'], itemsInputMode: ['fields'] } },
		description: 'The product rate plan charges credited, and by how much',
		options: [
			{
				displayName: 'Charge',
				name: 'charge',
				values: [
					{
						displayName: 'Product Rate Plan Charge ID',
						name: 'productRatePlanChargeId',
						type: 'string',
						default: '',
						placeholder: '8ad097b4909708e001909b41bb085d38',
					},
					amountField,
					lineDescriptionField,
				],
			},
		],
	},
	{
		...itemsJsonField,
		placeholder: '[{"invoiceItemId": "8a90…", "amount": 10, "skuName": "SKU-00000707"}]',
		description: `A JSON list of lines. From Invoice, invoice items: ${INVOICE_ITEM_KEYS.join(', ')} (taxItems: a list of {${TAX_ITEM_KEYS.join(', ')}}). Standalone, charges: ${CHARGE_KEYS.join(', ')}.`,
	},
	{
		displayName: 'Additional Fields',
		name: 'zuoraAdditionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Auto Post',
				name: 'autoPost',
				type: 'boolean',
				default: false,
				description: 'Whether to post the memo right away; otherwise it is created as a draft',
			},
			{
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				default: '',
				description: 'Note on the memo. The node appends the refund marker [ref:<reference> #<check>]; together they fit in Zuora\'s 255 characters.',
			},
			{
				displayName: 'Credit Memo Number',
				name: 'number',
				type: 'string',
				default: '',
				placeholder: 'CM-RET-1001',
				description: 'Your own memo number (up to 32 letters, digits, - and _), unique in Zuora; empty lets Zuora number it',
				displayOptions: { show: { '/sourceType': ['standalone'] } },
			},
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: '',
				placeholder: 'USD',
				description: 'Three-letter code; empty uses the account currency (Multiple Currencies feature only)',
				displayOptions: { show: { '/sourceType': ['standalone'] } },
			},
			{
				displayName: 'Effective Date',
				name: 'effectiveDate',
				type: 'string',
				default: '',
				placeholder: '2026-11-23',
				description: 'The date the memo takes effect, written YYYY-MM-DD; empty uses today in Zuora',
			},
			{
				displayName: 'Reason Code',
				name: 'reasonCode',
				type: 'string',
				default: '',
				placeholder: 'Correcting invoice error',
				description: 'One of the reason codes set up in Zuora; empty uses the default reason code',
			},
			{
				displayName: 'Tax Auto Calculation',
				name: 'taxAutoCalculation',
				type: 'boolean',
				default: true,
				description: 'Whether Zuora calculates the tax credited. Turn it off to credit exactly the tax amounts given; only then is the memo total known before sending (for the Max Total Amount safety limit).',
				displayOptions: { show: { '/sourceType': ['invoice'] } },
			},
		],
	},
];

/** Between the existing comment and the text Append adds. */
export const COMMENT_SEPARATOR = ' | ';

export const commentFields: INodeProperties[] = [
	creditMemoIdField('The Zuora credit memo\'s ID or number (for example from Create Credit Memo: {{ $json.creditMemoId }})', 'CM00000618'),
	commentTextField('Written to the memo\'s comment. Zuora keeps one comment per memo, at most 255 characters.'),
	{
		displayName: 'Mode',
		name: 'commentMode',
		type: 'options',
		default: 'append',
		options: [
			{
				name: 'Append',
				value: 'append',
				description: `Add the text after the existing comment, separated by "${COMMENT_SEPARATOR.trim()}"; refused (nothing changed) if the result would exceed 255 characters. A re-run does not add it twice.`,
			},
			{
				name: 'Replace',
				value: 'replace',
				description: 'Replace the existing comment. The refund marker [ref:…] the node wrote on creation stays at the end, so the memo keeps its Refund Reference.',
			},
		],
	},
];
