import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import {
	createDeferredPromise,
	createRunExecutionData,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type IWorkflowSettings,
} from 'n8n-workflow';

import { SymphonyApi } from '../../credentials/SymphonyApi.credentials';
import { SymphonyRsaApi } from '../../credentials/SymphonyRsaApi.credentials';
import { Symphony } from '../../nodes/Symphony/Symphony.node';
import { SymphonyPresenceTrigger } from '../../nodes/Symphony/SymphonyPresenceTrigger.node';
import { SymphonyTrigger } from '../../nodes/Symphony/SymphonyTrigger.node';
import { TestCredentialsHelper } from './credentialsHelper';
import { testNodeDescription } from './testNodes';

/**
 * Runs real workflow executions with n8n-core's WorkflowExecute: the package's node and credential
 * classes, n8n's real request helpers, and a credentials helper that behaves like n8n's.
 */

/** Start node standing in for n8n-nodes-base's Manual and Schedule triggers (not installed here). */
class StartNode implements INodeType {
	description = testNodeDescription({ displayName: 'Start', name: 'start', group: 'trigger', description: 'Starts the test workflow' });

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

/**
 * Emits the JSON items given in its `items` parameter: input data for a test. An item's
 * `$binary` key, `{ name: { text, mimeType?, fileName? } }` (or `base64` instead of `text`, for any
 * bytes), becomes its binary data, stored by n8n's own `prepareBinaryData` as a node that reads a
 * file would.
 */
class ItemsNode implements INodeType {
	description = testNodeDescription({
		displayName: 'Items',
		name: 'items',
		group: 'input',
		description: 'Emits fixed items',
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		const output: INodeExecutionData[] = [];
		for (const { $binary, ...json } of items) {
			const item: INodeExecutionData = { json };
			if ($binary) {
				item.binary = {};
				for (const [name, file] of Object.entries($binary as Record<string, { text?: string; base64?: string; mimeType?: string; fileName?: string }>)) {
					const bytes = file.base64 !== undefined ? Buffer.from(file.base64, 'base64') : Buffer.from(file.text ?? '', 'utf8');
					item.binary[name] = await this.helpers.prepareBinaryData(bytes, file.fileName, file.mimeType);
				}
			}
			output.push(item);
		}
		return [output];
	}
}

export const START_TYPE = 'harness.start';
export const ITEMS_TYPE = 'harness.items';
export const SYMPHONY_TYPE = 'n8n-nodes-symphony.symphony';
export const PRESENCE_TRIGGER_TYPE = 'n8n-nodes-symphony.symphonyPresenceTrigger';
export const SYMPHONY_TRIGGER_TYPE = 'n8n-nodes-symphony.symphonyTrigger';
const TRIGGER_STAND_INS = new Set(['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.scheduleTrigger']);

export const nodeTypeClasses: Record<string, INodeType | IVersionedNodeType> = {
	[START_TYPE]: new StartNode(),
	[ITEMS_TYPE]: new ItemsNode(),
	[SYMPHONY_TYPE]: new Symphony(),
	[PRESENCE_TRIGGER_TYPE]: new SymphonyPresenceTrigger(),
	[SYMPHONY_TRIGGER_TYPE]: new SymphonyTrigger(),
};

export const credentialTypes: Record<string, ICredentialType> = {
	symphonyApi: new SymphonyApi(),
	symphonyRsaApi: new SymphonyRsaApi(),
};

export class TestNodeTypes implements INodeTypes {
	getByName(type: string) {
		const nodeType = nodeTypeClasses[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}
}

export interface WorkflowData {
	nodes: INode[];
	connections: IConnections;
	name?: string;
	staticData?: IDataObject;
	/** The workflow's settings, e.g. its time zone. */
	settings?: IWorkflowSettings;
}

/** Replaces trigger nodes by the start stand-in and drops nodes of types the harness lacks (IF, Set…). */
export function adaptWorkflow(data: WorkflowData): { workflow: WorkflowData; dropped: string[] } {
	const dropped: string[] = [];
	const nodes = data.nodes
		.map((node) => (TRIGGER_STAND_INS.has(node.type) ? { ...node, type: START_TYPE, parameters: {} } : node))
		.filter((node) => {
			const known = node.type in nodeTypeClasses;
			if (!known) dropped.push(node.name);
			return known;
		});
	const keep = new Set(nodes.map((n) => n.name));
	const connections: IConnections = {};
	for (const [from, outputs] of Object.entries(data.connections)) {
		if (!keep.has(from)) continue;
		connections[from] = {
			main: (outputs.main ?? []).map((targets) => (targets ?? []).filter((t) => keep.has(t.node))),
		};
	}
	return { workflow: { ...data, nodes, connections }, dropped };
}

export interface RunResult {
	run: IRun;
	/** Output items (json) of a node's first run, first output (or the output given: 1 is the error output). */
	json(nodeName: string, output?: number): IDataObject[];
	items(nodeName: string, output?: number): INodeExecutionData[];
	/** The workflow-level error, if the execution failed. */
	error: IRun['data']['resultData']['error'];
	/**
	 * The workflow's static data after the run, as n8n saves it for active workflows: pass it as
	 * `staticData` of the next run to stand for a later run of the active workflow.
	 */
	staticData: IDataObject;
}

/** A run under way, which can be cancelled as n8n's Stop button does (its cancel signal aborts). */
export interface RunningWorkflow {
	cancel(): void;
	/** Settles when every node has stopped, not when the run is marked cancelled. */
	result: Promise<RunResult>;
}

export interface Harness {
	credentialsHelper: TestCredentialsHelper;
	run(workflow: WorkflowData): Promise<RunResult>;
	start(workflow: WorkflowData): RunningWorkflow;
	/** Runs a credential type's `test` request the way n8n's credential dialog does. */
	testCredential(type: string): Promise<{ status: 'OK' | 'Error'; message: string }>;
	/** What those tests threw: n8n's tester passes each to its error reporter, which logs it with its stack. */
	credentialTestReports: unknown[];
	/** Calls a node's `methods.listSearch` method the way the editor's resource locator does. */
	listSearch(request: ListSearchRequest): Promise<INodeListSearchResult>;
}

export interface ListSearchRequest {
	method: string;
	/** The node's parameters as the editor holds them. */
	parameters: INodeParameters;
	/** The parameter being filled, e.g. `parameters.user`. */
	path?: string;
	filter?: string;
	paginationToken?: string;
	type?: string;
	typeVersion?: number;
	credentials?: string;
}

export function additionalData(credentialsHelper: TestCredentialsHelper, hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks,
		executionId: 'test-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		logAiEvent: () => {},
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not supported by the test harness');
		},
		getRunExecutionData: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('Task runners are not supported by the test harness');
		},
		currentNodeParameters: undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
}

let workflowCount = 0;

export function createWorkflow(data: WorkflowData): Workflow {
	return new Workflow({
		id: `wf-${++workflowCount}`,
		name: data.name ?? 'Test workflow',
		nodes: data.nodes,
		connections: data.connections,
		active: false,
		nodeTypes: new TestNodeTypes(),
		staticData: data.staticData,
		settings: data.settings ?? {},
	});
}

/** lodash's `get` for a dotted key, as n8n's tester reads a rule's key out of the body. */
function valueAt(body: unknown, key: string): unknown {
	let value = body;
	for (const part of key.split('.')) {
		if (value === null || value === undefined) return undefined;
		value = (value as Record<string, unknown>)[part];
	}
	return value;
}

export function createHarness(credentials: Record<string, IDataObject>): Harness {
	const credentialsHelper = new TestCredentialsHelper(credentialTypes);
	for (const [type, data] of Object.entries(credentials)) credentialsHelper.setCredentials(type, data as never);

	function start(data: WorkflowData): RunningWorkflow {
		const workflow = createWorkflow(data);
		const start = data.nodes.find((n) => n.type === START_TYPE) ?? data.nodes[0];
		const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
			id: workflow.id,
			name: workflow.name,
			nodes: data.nodes,
			connections: data.connections,
			active: false,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
		} as never);
		const done = createDeferredPromise<IRun>();
		hooks.addHandler('workflowExecuteAfter', (fullRun) => done.resolve(fullRun));
		const nodeExecutionStack = [{ node: start, data: { main: [[{ json: {} }]] }, source: null }];
		// n8n-workflow before 2.x has no createRunExecutionData: the same object, written out.
		const runData =
			typeof createRunExecutionData === 'function'
				? createRunExecutionData({ executionData: { nodeExecutionStack } })
				: ({
						startData: {},
						resultData: { runData: {}, pinData: {} },
						executionData: { contextData: {}, nodeExecutionStack, metadata: {}, waitingExecution: {}, waitingExecutionSource: {} },
					} as unknown as ReturnType<typeof createRunExecutionData>);
		const execution = new WorkflowExecute(additionalData(credentialsHelper, hooks), 'manual', runData);
		// n8n-core's PCancelable: cancelling aborts the execution's signal, and the promise still
		// settles only when the node loop has ended (it is made with shouldReject = false).
		const processing = execution.processRunExecutionData(workflow);
		const result = (async (): Promise<RunResult> => {
			await processing;
			const run = await done.promise;
			const items = (name: string, output = 0) => run.data.resultData.runData[name]?.[0]?.data?.main?.[output] ?? [];
			return {
				run,
				items,
				json: (name, output) => items(name, output).map((item) => item.json),
				error: run.data.resultData.error,
				staticData: JSON.parse(JSON.stringify(workflow.staticData ?? {})) as IDataObject,
			};
		})();
		return { cancel: () => processing.cancel(), result };
	}

	async function run(data: WorkflowData): Promise<RunResult> {
		return await start(data).result;
	}

	const reported: unknown[] = [];

	async function testCredential(type: string) {
		// As n8n's CredentialsTester: the test request runs through a temporary routing node.
		const credentialType = credentialTypes[type];
		const node: INode = {
			id: 'temp',
			name: 'Temp-Node',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [0, 0],
			parameters: { temp: '' },
			credentials: { [type]: { id: 'cred', name: 'Test credential' } },
		};
		const nodeType = {
			description: {
				displayName: 'Temp',
				name: 'n8n-nodes-base.noOp',
				group: ['transform'],
				version: 1,
				description: '',
				defaults: {},
				inputs: [NodeConnectionTypes.Main],
				outputs: [NodeConnectionTypes.Main],
				credentials: [{ name: type, required: true }],
				properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: credentialType.test!.request } }],
			},
		} as unknown as INodeType;
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } as INodeTypes,
		});
		const executeData = { node, data: {}, source: null };
		const context = new ExecuteContext(
			workflow,
			node,
			additionalData(credentialsHelper),
			'internal',
			{ resultData: { runData: {} } } as never,
			0,
			[],
			{ main: [[{ json: {} }]] },
			executeData,
			[],
		);
		const decrypted = await credentialsHelper.getDecrypted({} as never, { id: 'cred', name: 'Test credential' }, type);
		const routingNode = new RoutingNode(context, nodeType, { id: 'cred', name: 'Test credential', type, data: decrypted });
		let response: Awaited<ReturnType<typeof routingNode.runNode>>;
		try {
			response = await routingNode.runNode();
		} catch (error) {
			// n8n's tester hands the error to its error reporter, which logs it with its cause's stack.
			reported.push(error);
			// n8n's tester reads the status from the error's cause; n8n-workflow 2.11 keeps it in httpCode.
			const e = error as { cause?: { response?: { status: number; statusText?: string }; code?: string }; httpCode?: string | null; message: string };
			const status = e.cause?.response?.status ?? (e.httpCode && /^\d{3}$/.test(e.httpCode) ? Number(e.httpCode) : undefined);
			if (status !== undefined) {
				for (const rule of credentialType.test!.rules ?? []) {
					if (rule.type === 'responseCode' && rule.properties.value === status) {
						return { status: 'Error' as const, message: rule.properties.message };
					}
				}
				return { status: 'Error' as const, message: e.cause?.response?.statusText || `Received HTTP status code: ${status}` };
			}
			if (e.cause?.code) return { status: 'Error' as const, message: e.cause.code };
			return { status: 'Error' as const, message: e.message };
		}
		// As n8n's tester: rules on the body of an answer that did not fail, in order, first match wins.
		const body = (response?.[0]?.[0]?.json ?? {}) as unknown;
		for (const rule of credentialType.test!.rules ?? []) {
			if (rule.type === 'responseSuccessBody' && valueAt(body, rule.properties.key) === rule.properties.value) {
				return { status: 'Error' as const, message: rule.properties.message };
			}
		}
		return { status: 'OK' as const, message: 'Connection successful!' };
	}

	/**
	 * As n8n's DynamicNodeParametersService.getResourceLocatorResults: a one-node workflow holding
	 * the editor's parameters and credential, a LoadOptionsContext on it (so requests go through
	 * the same credentials helper as executions), and the method called with filter and token.
	 */
	async function listSearch(request: ListSearchRequest): Promise<INodeListSearchResult> {
		const type = request.type ?? SYMPHONY_TYPE;
		const credentialType = request.credentials ?? 'symphonyApi';
		const typeVersion = request.typeVersion ?? 1;
		const nodeType = new TestNodeTypes().getByNameAndVersion(type, typeVersion);
		const node: INode = {
			id: 'temp',
			name: 'Temp-Node',
			type,
			typeVersion,
			position: [0, 0],
			parameters: {},
			credentials: { [credentialType]: { id: 'cred', name: 'Test credential' } },
		};
		// The editor sends every parameter of the node, defaults included.
		node.parameters = NodeHelpers.getNodeParameters(nodeType.description.properties, request.parameters, true, false, node, nodeType.description) ?? {};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes() });
		const data = { ...additionalData(credentialsHelper), currentNodeParameters: node.parameters } as IWorkflowExecuteAdditionalData;
		const context = new LoadOptionsContext(workflow, workflow.getNode('Temp-Node')!, data, request.path ?? 'parameters.user');
		const method = nodeType.methods?.listSearch?.[request.method];
		if (!method) throw new Error(`${type} has no listSearch method ${request.method}`);
		return await method.call(context, request.filter, request.paginationToken);
	}

	return { credentialsHelper, run, start, testCredential, credentialTestReports: reported, listSearch };
}

/** Builds a workflow Start → [Items] → Symphony node(s) chained in order. */
export function chain(
	steps: Array<{
		name: string;
		parameters: IDataObject;
		type?: string;
		typeVersion?: number;
		/** Shorthand for onError: 'continueRegularOutput'. */
		continueOnFail?: boolean;
		onError?: INode['onError'];
		credentials?: string;
	}>,
	inputItems?: IDataObject[],
): WorkflowData {
	const nodes: INode[] = [{ id: 'start', name: 'Start', type: START_TYPE, typeVersion: 1, position: [0, 0], parameters: {} }];
	if (inputItems) {
		nodes.push({ id: 'items', name: 'Items', type: ITEMS_TYPE, typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(inputItems) } });
	}
	steps.forEach((step, index) => {
		const credentialType = step.credentials ?? 'symphonyApi';
		nodes.push({
			id: `step-${index}`,
			name: step.name,
			type: step.type ?? SYMPHONY_TYPE,
			typeVersion: step.typeVersion ?? 1,
			position: [400 + index * 200, 0],
			parameters: step.parameters as INode['parameters'],
			credentials: { [credentialType]: { id: 'cred', name: 'Test credential' } },
			...(step.continueOnFail && { onError: 'continueRegularOutput' as const }),
			...(step.onError && { onError: step.onError }),
		});
	});
	const connections: IConnections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: NodeConnectionTypes.Main, index: 0 }]] };
	}
	return { nodes, connections };
}
