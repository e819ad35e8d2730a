/**
 * Mage_Sales_Model_Order_Api::info (`sales_order.info`, V2 `salesOrderInfo`): the one order method the credit-memo
 * node needs, for the order's entity ID (`order_id`, which `sales_order_creditmemo.list` filters on), its items'
 * IDs and what is left to refund. Attributes as the database holds them (DECIMAL(12,4) text); V2 and WS-I return
 * only what the WSDL's salesOrderEntity declares, as ext/soap does.
 */
import { ApiFault, type MethodParam } from './creditmemoApi';
import { PhpArray, phpString, type PhpValue } from './php';
import { decimalText, roundPrice, type MagentoStore, type Order, type OrderItem } from './store';

export type OrderMethod = 'info';

export const ORDER_METHODS: Record<OrderMethod, { phpMethod: string; params: MethodParam[]; acl: string }> = {
	info: { phpMethod: 'info', params: [{ name: 'orderIncrementId', optional: false }], acl: 'sales/order/info' },
};

export class OrderApi {
	constructor(private readonly store: MagentoStore) {}

	invoke(method: OrderMethod, args: PhpValue[]): PhpValue {
		switch (method) {
			case 'info':
				return this.info(args[0]);
		}
	}

	info(incrementId: PhpValue | undefined): PhpArray {
		const order = typeof incrementId === 'string' || typeof incrementId === 'number' ? this.store.orderByIncrementId(phpString(incrementId)) : undefined;
		if (!order) throw new ApiFault('not_exists');
		const subtotal = order.items.reduce((sum, item) => sum + roundPrice(item.price * item.qty_ordered), 0);
		const tax = order.items.reduce((sum, item) => sum + item.taxAmount, 0);
		const discount = order.items.reduce((sum, item) => sum + item.discountAmount, 0);
		const grandTotal = subtotal + tax - discount + order.shippingAmount;
		const amounts: Record<string, number> = {
			subtotal,
			tax_amount: tax,
			discount_amount: -discount,
			shipping_amount: order.shippingAmount,
			grand_total: grandTotal,
			total_paid: order.totalPaid,
			total_invoiced: order.totalPaid,
			total_refunded: order.totalRefunded,
			total_offline_refunded: order.totalRefunded,
			total_online_refunded: 0,
			total_canceled: 0,
			shipping_refunded: order.shippingRefunded,
		};
		const attributes: Record<string, PhpValue> = {
			increment_id: order.increment_id,
			store_id: String(order.store_id),
			created_at: order.created_at,
			updated_at: order.updated_at,
			customer_id: order.customer_id === null ? null : String(order.customer_id),
			customer_is_guest: order.customer_is_guest ? '1' : '0',
			customer_email: order.customer_email,
			billing_address_id: String(order.billing_address_id),
			shipping_address_id: String(order.shipping_address_id),
			state: order.state,
			status: order.state,
			total_qty_ordered: decimalText(order.items.reduce((sum, item) => sum + Math.round(item.qty_ordered * 10000), 0)),
			store_to_base_rate: '1.0000',
			store_to_order_rate: '1.0000',
			base_to_global_rate: '1.0000',
			base_to_order_rate: '1.0000',
			global_currency_code: order.currency,
			base_currency_code: order.currency,
			store_currency_code: order.currency,
			order_currency_code: order.currency,
			order_id: String(order.entity_id),
		};
		for (const [name, units] of Object.entries(amounts)) {
			attributes[name] = decimalText(units);
			attributes[`base_${name}`] = decimalText(units);
		}
		attributes.items = PhpArray.list(order.items.map((item) => PhpArray.assoc(itemAttributes(order, item))));
		return PhpArray.assoc(attributes);
	}
}

const qty = (value: number) => decimalText(Math.round(value * 10000));

/** sales_flat_order_item as Order_Api::info returns it: invoiced and refunded rows and tax, per the store's rules. */
function itemAttributes(order: Order, item: OrderItem): Record<string, PhpValue> {
	const invoicedShare = item.qty_invoiced / item.qty_ordered;
	const amounts: Record<string, number> = {
		price: item.price,
		original_price: item.price,
		row_total: roundPrice(item.price * item.qty_ordered),
		row_invoiced: roundPrice(item.price * item.qty_invoiced),
		amount_refunded: roundPrice(item.price * item.qty_refunded),
		tax_amount: item.taxAmount,
		tax_invoiced: roundPrice(item.taxAmount * invoicedShare),
		discount_amount: item.discountAmount,
		discount_invoiced: roundPrice(item.discountAmount * invoicedShare),
		weee_tax_applied_amount: 0,
		weee_tax_applied_row_amount: 0,
	};
	const attributes: Record<string, PhpValue> = {
		item_id: String(item.item_id),
		order_id: String(order.entity_id),
		created_at: order.created_at,
		updated_at: order.updated_at,
		product_id: String(item.product_id),
		product_type: 'simple',
		sku: item.sku,
		name: item.name,
		is_qty_decimal: item.is_qty_decimal ? '1' : '0',
		qty_ordered: qty(item.qty_ordered),
		qty_invoiced: qty(item.qty_invoiced),
		qty_refunded: qty(item.qty_refunded),
		qty_canceled: qty(0),
		qty_shipped: qty(0),
		tax_percent: item.price === 0 || item.taxAmount === 0 ? '0.0000' : decimalText(Math.round((item.taxAmount / (item.price * item.qty_ordered)) * 1000000)),
	};
	for (const [name, units] of Object.entries(amounts)) {
		attributes[name] = decimalText(units);
		attributes[`base_${name}`] = decimalText(units);
	}
	return attributes;
}
