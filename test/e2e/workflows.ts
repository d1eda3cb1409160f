/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
/**
 * Workflow JSON for the end-to-end run: the examples turned into Manual Trigger variants that
 * point at the simulator, and small workflows built here for single checks.
 */
import * as fs from 'fs';
import * as path from 'path';

export const PACKAGE = 'n8n-nodes-symphony';
export const NODE_TYPE = `${PACKAGE}.symphony`;
/** The node's Authentication choice is the name of the credential type it then asks for. */
const DEFAULT_CREDENTIAL_TYPE = 'symphonyApi';
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: string;
	[key: string]: unknown;
}

/** A node before it is placed on the canvas. */
export interface NodeSpec {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: string;
}

export interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
	active?: boolean;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface CredentialRef {
	type: string;
	id: string;
	name: string;
}

export function readExample(file: string): Workflow {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8')) as Workflow;
}

const SCHEDULE_TRIGGERS = new Set(['n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.cron', 'n8n-nodes-base.interval']);

/**
 * A copy of an example that `n8n execute` can run: schedule triggers become Manual Triggers (same
 * name, position and connections), every node of this package uses the given credential, and the
 * workflow gets the given id and is inactive.
 */
export function manualVariant(example: Workflow, id: string, credential: CredentialRef): Workflow {
	const workflow = JSON.parse(JSON.stringify(example)) as Workflow;
	workflow.id = id;
	workflow.active = false;
	workflow.nodes = workflow.nodes.map((node) => {
		if (SCHEDULE_TRIGGERS.has(node.type)) {
			return {
				id: node.id,
				name: node.name,
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: node.position,
				parameters: {},
			};
		}
		if (node.type.startsWith(`${PACKAGE}.`)) {
			return withCredential(node, credential);
		}
		return node;
	});
	return workflow;
}

/** A node of ours set to use the given credential (and the Authentication choice that shows it). */
function withCredential<T extends NodeSpec>(node: T, credential: CredentialRef): T {
	const parameters = { ...node.parameters };
	if (credential.type === DEFAULT_CREDENTIAL_TYPE) delete parameters.authentication;
	else parameters.authentication = credential.type;
	return { ...node, parameters, credentials: { [credential.type]: { id: credential.id, name: credential.name } } };
}

export function symphonyNodes(workflow: Workflow, operation?: string): WorkflowNode[] {
	return workflow.nodes.filter(
		(node) => node.type === NODE_TYPE && (operation === undefined || node.parameters.operation === operation),
	);
}

/** Manual Trigger → the given nodes in a chain. */
export function chain(id: string, name: string, nodes: NodeSpec[]): Workflow {
	const all: WorkflowNode[] = [
		{ id: `${id}-trigger`, name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		...nodes.map((node, index) => ({ ...node, position: [220 * (index + 1), 0] as [number, number] })),
	];
	const connections: Workflow['connections'] = {};
	for (let i = 0; i + 1 < all.length; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes: all, connections };
}

export function symphonyNode(
	name: string,
	parameters: Record<string, unknown>,
	credential: CredentialRef,
	extra: Partial<NodeSpec> = {},
): NodeSpec {
	return withCredential(
		{
			id: `node-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
			name,
			type: NODE_TYPE,
			typeVersion: 1,
			parameters: { resource: 'presence', ...parameters },
			...extra,
		},
		credential,
	);
}
