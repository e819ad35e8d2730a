/**
 * Salesforce wire shapes: Connect REST Order Management actions (Order Management Developer Guide,
 * specs/salesforce/connect_*.md) and the REST API's sObject and query resources.
 */

/** Error Response Output (Connect), and the REST API's error array entries (which add `fields`). */
export interface SalesforceErrorItem {
	errorCode?: string;
	message?: string;
	fields?: string[];
}

/** What every Order Management action answers: a 2xx may still carry `success: false`. */
export interface ActionOutput {
	success?: boolean;
	errors?: SalesforceErrorItem[] | null;
}

export interface CreateCreditMemoOutput extends ActionOutput {
	creditMemoId?: string | null;
}

export interface EnsureRefundsAsyncOutput extends ActionOutput {
	backgroundOperationId?: string | null;
}

/** Connect's 4xx/5xx body for actions; `output` is the action's own output, `enhancedErrorType` can be ignored. */
export interface ErrorWithOutput {
	message?: string;
	enhancedErrorType?: string | null;
	output?: ActionOutput | null;
	/** Not documented on Error with Output, but present on Connect's generic error message. */
	errorCode?: string;
}

export interface QueryResult<TRecord> {
	totalSize?: number;
	done?: boolean;
	records?: TRecord[];
	nextRecordsUrl?: string;
}

/** The CreditMemo fields this package reads; Salesforce returns every field of the record. */
export interface CreditMemoRecord {
	Id?: string;
	DocumentNumber?: string | null;
	CreditMemoNumber?: string | null;
	Status?: string | null;
	TotalAmountWithTax?: number | null;
	/** Only in orgs with multiple currencies enabled. */
	CurrencyIsoCode?: string | null;
	CreatedDate?: string | null;
	LastModifiedDate?: string | null;
	Description?: string | null;
	[field: string]: unknown;
}

export interface OrderItemRow {
	Id: string;
	OrderId: string;
}

export interface CreditMemoLineRow {
	CreditMemoId: string;
	ReferenceEntityItemId: string | null;
}

/** The part of `sobjects/CreditMemo/describe` this package reads. */
export interface SObjectDescribe {
	fields?: Array<{ name?: string; type?: string; length?: number; updateable?: boolean }>;
}
