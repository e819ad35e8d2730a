/** Rebilly wire shapes (official OpenAPI: components/schemas/CreditMemo.yaml, CreditMemoTaxItem.yaml). */

export interface RebillyTax {
	amount: number;
	description: string;
	rate?: number | null;
	stateAmount?: number | null;
	countyAmount?: number | null;
	cityAmount?: number | null;
	specialDistrictAmount?: number | null;
	stateRate?: number | null;
	countyRate?: number | null;
	cityRate?: number | null;
	specialDistrictRate?: number | null;
	jurisdictions?: Record<string, string | null> | null;
}

export interface RebillyItem {
	quantity: number;
	unitPrice: number;
	description?: string;
	invoiceItemId?: string;
	productId?: string;
	planId?: string;
	tax?: RebillyTax;
}

/** The writable part of a credit memo, as sent on create. */
export interface RebillyCreditMemoBody {
	customerId: string;
	currency: string;
	items?: RebillyItem[];
	invoiceId?: string;
	reason?: string;
	description?: string;
	shippingAmount?: number;
}

/** A credit memo as Rebilly returns it (read-only fields included). */
export interface RebillyCreditMemo extends RebillyCreditMemoBody {
	id?: string;
	number?: number;
	status?: string;
	totalAmount?: number;
	createdTime?: string;
}

/** RFC 9457 problem details, with Rebilly's `invalidFields` extension on 422. */
export interface RebillyProblem {
	type?: string;
	title?: string;
	status?: number;
	detail?: string;
	instance?: string;
	invalidFields?: Array<{ field?: string; message?: string }>;
	/** Deprecated legacy form. */
	error?: string;
}
