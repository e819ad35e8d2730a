/**
 * Magento REST (Yep Platform `/api2`) wire shapes, from the vendor's pages transcribed in
 * shared/reference/specs/yep/. Only requests are documented; every response shape here is an assumption
 * (Magento 1 field names) and is read defensively.
 */

/** The one source document key a create carries (the API refuses two as "operation ambiguity"). */
export type MagentoSourceKey = 'invoice_id' | 'invoice_increment_id' | 'order_id' | 'order_increment_id';

export type MagentoRefundType = 'offline' | 'online';

/** `order_item_id` OR `sku`, never both, with a positive `qty`. */
export interface MagentoItem {
	order_item_id?: number;
	sku?: string;
	qty: number;
}

/** POST /api2/creditmemo. Entity IDs are JSON numbers, increment IDs strings (as in the vendor's examples). */
export interface MagentoCreditMemoBody {
	invoice_id?: number;
	invoice_increment_id?: string;
	order_id?: number;
	order_increment_id?: string;
	refund_type: MagentoRefundType;
	/** In the store's base currency, like the adjustments (Magento 1 reads them as base amounts). */
	shipping_amount?: number;
	adjustment_positive?: number;
	adjustment_negative?: number;
	/** Omitted: Magento refunds every quantity not yet refunded. */
	items?: MagentoItem[];
	send_email?: boolean;
	comment?: string;
}

/** POST /api2/history (order comments; the API has none for credit memos). */
export interface MagentoHistoryBody {
	order_id?: number;
	order_increment_id?: string;
	comment: string;
	is_customer_notified?: boolean;
	is_visible_on_front?: boolean;
}

/** Errors of the whole `/api2` family: `{"error": "message"}`; the token endpoint may add OAuth's description. */
export interface MagentoErrorBody {
	error?: unknown;
	error_description?: unknown;
	message?: unknown;
}

/** POST /api2/oauth/token: undocumented; the usual OAuth 2 fields are assumed. */
export interface MagentoTokenResponse {
	access_token?: unknown;
	token_type?: unknown;
	expires_in?: unknown;
}

/** A Magento record as the API returns it (memo, invoice or order): read field by field, never trusted. */
export type MagentoRecord = Record<string, unknown>;
