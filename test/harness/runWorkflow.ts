import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	ITaskData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

import { CREDENTIAL_TYPES, NODE_TYPES } from './package';
import { HarnessCredentialsHelper } from './credentialsHelper';

/** A workflow as n8n exports it (the parts the engine needs). */
export interface WorkflowJson {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IDataObject;
}

export interface RunOptions {
	/** Items the start node (a Manual Trigger) emits. Default: one empty item. */
	input?: IDataObject[];
	/** Credential data per credential type. A Map is used as is, so tests can see tokens written back. */
	credentials?: Record<string, ICredentialDataDecryptedObject> | Map<string, ICredentialDataDecryptedObject>;
	mode?: WorkflowExecuteMode;
	/** Node types beyond the package's, by type name (e.g. the credential test's declarative node). */
	nodeTypes?: Record<string, INodeType>;
}

export interface HarnessRun {
	run: IRun;
	credentials: HarnessCredentialsHelper;
	/** Items of one output of a node's last run (output 0 by default). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** Every run of a node (Retry On Fail adds none; a re-executed node adds one per run). */
	runs(nodeName: string): ITaskData[];
	/** The workflow's error, if it stopped on one. */
	error(): (Error & { description?: string; context?: IDataObject; httpCode?: string | null }) | undefined;
}

class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(type: string): INodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type "${type}"`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export function credentialsHelperFor(credentials: RunOptions['credentials']): HarnessCredentialsHelper {
	const store = credentials instanceof Map ? credentials : new Map(Object.entries(credentials ?? {}));
	return new HarnessCredentialsHelper(new Map<string, ICredentialType>(CREDENTIAL_TYPES.map((type) => [type.name, type])), store);
}

/**
 * Runs a workflow through n8n-core's WorkflowExecute, the engine n8n itself uses: expressions, pairedItem,
 * Continue On Fail, Retry On Fail and credential authentication all behave as in n8n.
 */
export async function runWorkflow(workflowJson: WorkflowJson, options: RunOptions = {}): Promise<HarnessRun> {
	const nodeTypes = new HarnessNodeTypes({ ...NODE_TYPES, ...options.nodeTypes });
	const credentialsHelper = credentialsHelperFor(options.credentials);
	const mode = options.mode ?? 'manual';
	const workflow = new Workflow({
		id: 'harness',
		name: workflowJson.name ?? 'harness',
		nodes: structuredClone(workflowJson.nodes),
		connections: workflowJson.connections,
		active: false,
		nodeTypes,
		settings: workflowJson.settings,
	});
	const startNode = findStartNode(workflow);

	const hooks = new ExecutionLifecycleHooks(mode, 'harness-execution', workflowJson as unknown as IWorkflowBase);
	let finish!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData: IRun) => finish(fullRunData));

	const unavailable = (what: string) => () => {
		throw new Error(`${what} is not available in the test harness`);
	};
	const additionalData = {
		credentialsHelper,
		hooks,
		executionId: 'harness-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		logAiEvent: () => {},
		executeWorkflow: unavailable('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unavailable('startRunnerTask'),
	} as unknown as IWorkflowExecuteAdditionalData;

	const items = (options.input ?? [{}]).map((json) => ({ json }));
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: startNode, data: { main: [items] }, source: null }] },
	});
	const execution = new WorkflowExecute(additionalData, mode, runExecutionData);
	await execution.processRunExecutionData(workflow);
	const run = await finished;

	return {
		run,
		credentials: credentialsHelper,
		runs: (nodeName) => run.data.resultData.runData[nodeName] ?? [],
		output: (nodeName, outputIndex = 0) => {
			const nodeRuns = run.data.resultData.runData[nodeName];
			if (!nodeRuns?.length) throw new Error(`Node "${nodeName}" did not run${run.data.resultData.error ? `: ${run.data.resultData.error.message}` : ''}`);
			return nodeRuns[nodeRuns.length - 1].data?.main?.[outputIndex] ?? [];
		},
		error: () => run.data.resultData.error as ReturnType<HarnessRun['error']>,
	};
}

function findStartNode(workflow: Workflow): INode {
	const nodes = Object.values(workflow.nodes);
	const withoutParents = nodes.filter((node) => workflow.getParentNodes(node.name).length === 0 && !node.disabled);
	const start = withoutParents.find((node) => node.type === 'n8n-nodes-base.manualTrigger') ?? withoutParents[0];
	if (!start) throw new Error('The workflow has no start node');
	return start;
}
