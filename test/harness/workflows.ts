import type { IDataObject, INode } from 'n8n-workflow';

import type { WorkflowJson } from './runWorkflow';

/** A copy of the workflow with one node's parameters merged over (variants stay in code, not in copies of JSON). */
export function withNodeParameters(workflow: WorkflowJson, nodeName: string, parameters: IDataObject): WorkflowJson {
	return withNode(workflow, nodeName, (node) => ({ ...node, parameters: { ...node.parameters, ...parameters } as INode['parameters'] }));
}

/** A copy with node settings (onError, retryOnFail, maxTries, waitBetweenTries, ...) set on one node. */
export function withNodeSettings(workflow: WorkflowJson, nodeName: string, settings: Partial<INode>): WorkflowJson {
	return withNode(workflow, nodeName, (node) => ({ ...node, ...settings }));
}

function withNode(workflow: WorkflowJson, nodeName: string, change: (node: INode) => INode): WorkflowJson {
	if (!workflow.nodes.some((node) => node.name === nodeName)) throw new Error(`No node "${nodeName}" in the workflow`);
	return { ...workflow, nodes: workflow.nodes.map((node) => (node.name === nodeName ? change(structuredClone(node)) : node)) };
}
