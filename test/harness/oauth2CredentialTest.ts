import type { ICredentialDataDecryptedObject, ICredentialTestRequest, INodeType } from 'n8n-workflow';

import { runWorkflow } from './runWorkflow';

const TEST_NODE_TYPE = 'n8n-nodes-credit-memos-harness.credentialTest';

/**
 * n8n tests a credential that has a `test` request by running that request as a declarative node through
 * n8n-core's RoutingNode (packages/cli/src/services/credentials-tester.service.ts). For OAuth2 credentials the
 * request then goes through n8n-core's requestOAuth2: a client credentials token is fetched first, an
 * authorization code token is used (and refreshed on 401). This does the same through the real engine.
 */
export async function runOAuth2CredentialTest(
	type: string,
	store: Map<string, ICredentialDataDecryptedObject>,
	test: ICredentialTestRequest,
): Promise<{ status: number; body: unknown }> {
	const nodeType: INodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: 'Runs a credential test request',
			defaults: { name: 'Credential test' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: test.request } }],
		},
	};
	const result = await runWorkflow(
		{
			nodes: [
				{
					id: 'credential-test',
					name: 'Credential test',
					type: TEST_NODE_TYPE,
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
					credentials: { [type]: { id: 'credential-test', name: 'Credential test' } },
				},
			],
			connections: {},
		},
		{ credentials: store, nodeTypes: { [TEST_NODE_TYPE]: nodeType } },
	);
	const error = result.error();
	if (error) return { status: Number(error.httpCode) || 0, body: error.message };
	return { status: 200, body: result.output('Credential test')[0]?.json };
}
