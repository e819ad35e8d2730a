import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { verifyLogin } from '../nodes/shared/providers/magentoSoap/session';

/**
 * Magento 1 / OpenMage SOAP API user. No request carries a credential header: the node logs in once per execution
 * with the API user and key (the only envelope that holds the key) and ends that session when it is done.
 *
 * Testing it: a declarative test request cannot log in without building the XML envelope from an expression
 * (string-built XML). n8n runs a credential's `preAuthentication` on every credential test, so the login check
 * lives there, using the node's own envelope builder; the test request then fetches the WSDL of the chosen API
 * style. The hidden `loginCheck` field is what makes n8n call `preAuthentication` at all (it looks for an
 * `expirable` field); it is never empty, so executions never trigger it (they log in themselves), and the check
 * returns nothing to store.
 */
export class MagentoSoapApi implements ICredentialType {
	name = 'magentoSoapApi';

	displayName = 'Magento 1 / OpenMage SOAP API';

	icon: Icon = { light: 'file:../icons/magentoSoap.svg', dark: 'file:../icons/magentoSoap.dark.svg' };

	documentationUrl = 'https://devdocs-openmage.org/guides/m1x/api/soap/introduction.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Store URL',
			name: 'storeUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://shop.example.com',
			description: 'The store\'s base URL, without /api/... Add /index.php when the store has no URL rewrites (https://shop.example.com/index.php).',
		},
		{
			displayName: 'API User',
			name: 'apiUser',
			type: 'string',
			default: '',
			required: true,
			description: 'The user name of a SOAP/XML-RPC user (System > Web Services > SOAP/XML-RPC - Users in the Magento admin)',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'That user\'s API key; it is only sent in the login request and never shown in node output',
		},
		{
			displayName: 'API Style',
			name: 'apiStyle',
			type: 'options',
			options: [
				{ name: 'V1 (Call)', value: 'v1', description: '/api/soap/: call() with resource paths such as sales_order_creditmemo.create' },
				{ name: 'V2', value: 'v2', description: '/api/v2_soap/: one operation per method (salesOrderCreditmemoCreate)' },
				{
					name: 'V2 (WS-I Compliance)',
					value: 'wsi',
					description: '/api/v2_soap/ when the store has "WS-I Compliance" switched on (System > Configuration > Magento Core API)',
				},
			],
			default: 'v2',
		},
		{
			displayName: 'Namespace Override',
			name: 'namespace',
			type: 'string',
			default: '',
			placeholder: 'urn:Magento',
			description:
				'Leave empty to read it from the store\'s WSDL (urn:OpenMage on OpenMage 19.4.17/20 and later, urn:Magento on Magento CE 1.x). Set it only when the WSDL cannot be read.',
		},
		{
			displayName: 'Login Check',
			name: 'loginCheck',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: 'onCredentialTest',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		await verifyLogin(this, credentials);
		return {};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.storeUrl.replace(/\\/+$/, "") }}',
			url: '={{ $credentials.apiStyle === "v1" ? "/api/soap/" : "/api/v2_soap/" }}',
			qs: { wsdl: 1 },
			method: 'GET',
		},
	};
}
