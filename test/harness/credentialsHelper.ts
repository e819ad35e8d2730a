import { Credentials } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow, isExpression } from 'n8n-workflow';

const MOCK_NODE: INode = {
	id: 'credentials',
	name: 'credentials',
	type: 'mock',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const NO_NODE_TYPES: INodeTypes = {
	getByName: () => {
		throw new Error('no node types in credential resolution');
	},
	getByNameAndVersion: () => {
		throw new Error('no node types in credential resolution');
	},
	getKnownTypes: () => ({}),
};

/**
 * A credentials helper that applies what n8n's own (packages/cli/src/credentials-helper.ts) applies, so
 * tests see real auth headers and token handling: defaults and `={{ }}` expressions in credential fields,
 * the generic `authenticate` block, `preAuthentication` with `expirable` fields (persisted back into the
 * store), parent types (OAuth2 through `extends`), and OAuth token data updates.
 * Credentials are stored per credential type: one credential of each type per test run.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	/** Every preAuthentication call, for tests that assert token/session reuse. */
	readonly preAuthentications: Array<{ type: string; expired: boolean }> = [];

	constructor(
		private readonly types: Map<string, ICredentialType>,
		readonly store: Map<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	private type(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown credential type "${name}"`);
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.type(name).extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions;
		const { authenticate } = this.type(typeName);
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!workflow || !node) throw new Error('generic authentication needs the workflow and node');
		requestOptions.headers ??= {};
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			const target = ((requestOptions as unknown as Record<string, Record<string, unknown>>)[outerKey] ??= {});
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				target[this.resolve(key, credentials, workflow, node)] = this.resolve(value, credentials, workflow, node);
			}
		}
		return requestOptions;
	}

	private resolve(value: string, credentials: ICredentialDataDecryptedObject, workflow: Workflow, node: INode): string {
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
		return resolved ? String(resolved) : '';
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find((property) => property.type === 'hidden' && property.typeOptions?.expirable === true);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined && !credentialsExpired) return undefined;
		this.preAuthentications.push({ type: typeName, expired: credentialsExpired });
		const output = (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		this.store.set(typeName, { ...(this.store.get(typeName) ?? {}), ...output });
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return ((await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const credentials = new Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, type);
		credentials.setData(this.store.get(type) ?? {});
		return credentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		_executeData?: unknown,
		raw?: boolean,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store.get(type);
		if (!stored) throw new Error(`No credentials of type "${type}" were given to the harness`);
		if (raw) return structuredClone(stored);
		return await this.resolveCredentialData(type, stored, mode);
	}

	/** Defaults from the type (and its parents), then expressions, with `$self` = the credential's own data. */
	async resolveCredentialData(type: string, stored: ICredentialDataDecryptedObject, mode: WorkflowExecuteMode = 'manual') {
		const properties = this.getCredentialsProperties(type);
		const withDefaults = NodeHelpers.getNodeParameters(properties, stored as INodeParameters, true, false, null, null) as ICredentialDataDecryptedObject;
		if (stored.oauthTokenData !== undefined) withDefaults.oauthTokenData = stored.oauthTokenData;
		for (const [key, value] of Object.entries(stored)) {
			// Hidden fields a preAuthentication wrote (session tokens) are not in the form defaults.
			if (withDefaults[key] === undefined) withDefaults[key] = value;
		}
		const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes: NO_NODE_TYPES });
		return await workflow.expression.withIsolate(
			async () =>
				workflow.expression.getComplexParameterValue(
					MOCK_NODE,
					withDefaults as INodeParameters,
					mode,
					{},
					undefined,
					undefined,
					withDefaults,
				) as ICredentialDataDecryptedObject,
		);
	}

	async updateCredentials(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.store.set(type, { ...data });
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.set(type, { ...(this.store.get(type) ?? {}), oauthTokenData: data.oauthTokenData });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const definition = this.type(type);
		if (!definition.extends) return definition.properties;
		const merged: INodeProperties[] = [];
		for (const parent of definition.extends) NodeHelpers.mergeNodeProperties(merged, this.getCredentialsProperties(parent));
		NodeHelpers.mergeNodeProperties(merged, definition.properties);
		return merged;
	}
}
