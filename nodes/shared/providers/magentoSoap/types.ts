/**
 * Magento 1 / OpenMage SOAP wire shapes (official WSDLs: Mage/Api/etc/wsdl.xml, wsdl2.xml, wsi.xml and
 * Mage/Sales/etc/wsdl.xml, wsi.xml).
 */

/** V1 (`call` with resource paths), V2 (rpc/encoded) or V2 in WS-I compliance mode (document/literal). */
export type ApiStyle = 'v1' | 'v2' | 'wsi';

/** Where and how one execution talks to the store. */
export interface SoapSettings {
	style: ApiStyle;
	/** The POST endpoint: <store>/api/soap/ (V1) or <store>/api/v2_soap/ (V2 and WS-I). */
	endpoint: string;
	/** The service namespace: urn:OpenMage (OpenMage >= 19.4.17 / 20) or urn:Magento (Magento CE 1.x). */
	namespace: string;
}

/**
 * A value to send. `struct` is a V2 complex type (its WSDL name in `type`), a PHP associative array (apache Map)
 * in V1, and a plain element in WS-I; `array` is a SOAP-ENC array in V1/V2 and repeated `complexObjectArray`
 * elements in WS-I.
 */
export type SoapValue =
	| { kind: 'string'; value: string }
	| { kind: 'int'; value: string }
	| { kind: 'double'; value: string }
	| { kind: 'nil' }
	| { kind: 'struct'; type?: string; fields: Array<[string, SoapValue]> }
	| { kind: 'array'; type: string; itemType: string; items: SoapValue[] };

export interface SoapParam {
	name: string;
	value: SoapValue;
}

/** One API method, described once for the three styles. */
export interface SoapCall {
	/** The V1 resource path, e.g. sales_order_creditmemo.create. */
	path: string;
	/** The V2 operation, e.g. salesOrderCreditmemoCreate (WS-I wraps it as <operation>RequestParam). */
	operation: string;
	/** Named parameters after the session ID, in the WSDL's order. */
	params: SoapParam[];
	/** V1 `call` arguments when they differ from the params' values (V1 filters are a plain associative array). */
	v1Args?: SoapValue[];
}

/** A decoded answer: text stays text (amounts keep their exact decimals), maps become objects, arrays lists. */
export type Decoded = string | boolean | null | Decoded[] | { [key: string]: Decoded };

export type DecodedObject = { [key: string]: Decoded };

/** A SOAP fault: Magento's numeric code ("103") or ext/soap's own ("SOAP-ENV:Client"). */
export interface SoapFault {
	code: string;
	message: string;
}
