/**
 * Zuora v1 wire shapes (official compact OTC OpenAPI: CreditMemoFromInvoiceRequest, CreditMemoFromChargeRequest,
 * GETCreditMemoType, CommonResponse), with the field names of the newest minor version; versions.ts renames
 * the few that older versions call differently.
 */

export type ZuoraTaxRateType = 'Percentage' | 'FlatFee';
export type ZuoraTaxMode = 'TaxExclusive' | 'TaxInclusive';

/** CreditMemoTaxItemFromInvoiceTaxItemType. */
export interface ZuoraTaxItem {
	amount: number;
	sourceTaxItemId?: string;
	jurisdiction?: string;
	locationCode?: string;
	taxCode?: string;
	taxCodeDescription?: string;
	taxDate?: string;
	taxExemptAmount?: number;
	taxName?: string;
	taxRate?: number;
	taxRateDescription?: string;
	taxRateType?: ZuoraTaxRateType;
}

/** CreditMemoItemFromInvoiceItemType (`description` is `comment` before 257.0). */
export interface ZuoraInvoiceItem {
	invoiceItemId: string;
	amount: number;
	skuName: string;
	description?: string;
	quantity?: number;
	serviceStartDate?: string;
	serviceEndDate?: string;
	taxMode?: ZuoraTaxMode;
	unitOfMeasure?: string;
	taxItems?: ZuoraTaxItem[];
}

/** CreditMemoFromChargeDetailType (before 257.0 `chargeId` and `comment`; before 224.0 `memoItemAmount`). */
export interface ZuoraCharge {
	productRatePlanChargeId: string;
	amount: number;
	quantity?: number;
	description?: string;
	serviceStartDate?: string;
	serviceEndDate?: string;
}

/** The fields both memo sources share. */
interface ZuoraMemoFields {
	comment?: string;
	reasonCode?: string;
	effectiveDate?: string;
	autoPost: boolean;
}

/** CreditMemoFromInvoiceRequest: the body of POST /v1/credit-memos/invoice/{invoiceKey} and a bulk Invoice memo. */
export interface ZuoraInvoiceMemoBody extends ZuoraMemoFields {
	invoiceId: string;
	items: ZuoraInvoiceItem[];
	taxAutoCalculation?: boolean;
}

/** CreditMemoFromChargeRequest: the body of POST /v1/credit-memos and a bulk Standalone memo. */
export interface ZuoraStandaloneMemoBody extends ZuoraMemoFields {
	accountId?: string;
	accountNumber?: string;
	charges: ZuoraCharge[];
	currency?: string;
	number?: string;
}

export type ZuoraMemoBody = ZuoraInvoiceMemoBody | ZuoraStandaloneMemoBody;

/** `code` is a number in Zuora's samples and a string in its schemas: both are read. */
export interface ZuoraReason {
	code?: number | string;
	message?: string;
}

/** CommonResponse (4xx, and 200 with `success: false`), ErrorResponse (500), ProxyUnauthorizedResponse (401). */
export interface ZuoraErrorBody {
	success?: boolean;
	processId?: string;
	requestId?: string;
	reasons?: ZuoraReason[];
	message?: string;
}

/** GETCreditMemoType (the fields the node reads; the rest stays in `raw`). */
export interface ZuoraCreditMemo extends ZuoraErrorBody {
	id?: string;
	number?: string;
	accountId?: string;
	accountNumber?: string;
	amount?: number;
	taxAmount?: number;
	currency?: string | null;
	status?: string;
	comment?: string | null;
	reasonCode?: string;
	referredInvoiceId?: string | null;
	sourceType?: string;
	createdDate?: string;
}
