/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
import { TriggerContext } from 'n8n-core';
import { Workflow, type IDataObject, type INode, type INodeExecutionData, type INodeType, type ITriggerResponse } from 'n8n-workflow';

import { SYMPHONY_TRIGGER_TYPE, TestNodeTypes, additionalData, type Harness } from './index';

/**
 * Runs a `trigger()` node the way n8n's active-workflow manager does: n8n-core's TriggersAndPollers
 * calls `trigger` on a TriggerContext built for the activation (mode `trigger`, activation
 * `activate`), whose `emit` starts an execution and whose `emitError` reports a fatal failure (n8n
 * then deactivates the workflow and queues it for reactivation). Deactivation calls the
 * `closeFunction` returned (ActiveWorkflows.remove → closeTrigger).
 *
 * Static data is saved as n8n does for trigger nodes: after activation (n8n's trigger activator
 * saves the workflow's static data once `trigger()` has returned) and at each emission (the emit of
 * n8n's trigger execution context saves it before starting the execution). `restart()` activates a
 * new Workflow built from that saved copy, as n8n starting again would.
 */
export interface ActiveTrigger {
	readonly node: INode;
	readonly workflow: Workflow;
	/** Items emitted so far, one array per emission. */
	readonly emissions: INodeExecutionData[][][];
	/** The json of every item emitted, in order. */
	items(): IDataObject[];
	/** Errors passed to `emitError`. */
	readonly errors: Error[];
	/** Resolves once `count` items have been emitted in all (or rejects after `timeoutMs`). */
	waitForItems(count: number, timeoutMs?: number): Promise<IDataObject[]>;
	/** Resolves once an error has been emitted. */
	waitForError(timeoutMs?: number): Promise<Error>;
	/** Deactivates: calls the closeFunction. */
	close(): Promise<void>;
	/** Closes (as n8n 1.x's shutdown does) and activates again from the saved static data. */
	restart(): Promise<void>;
	staticData(): IDataObject;
	savedStaticData(): IDataObject;
}

export interface ActiveTriggerOptions {
	name?: string;
	/** The workflow's ID (the same across restarts, as in n8n); a new one when absent. */
	workflowId?: string;
	/** The workflow's static data at activation, as n8n loads it from its database. */
	staticData?: IDataObject;
	credentialType?: string;
	type?: string;
}

let activations = 0;

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

export async function activateTrigger(harness: Harness, parameters: IDataObject, options: ActiveTriggerOptions = {}): Promise<ActiveTrigger> {
	const credentialType = options.credentialType ?? 'symphonyApi';
	const node: INode = {
		id: 'f1d2c3b4-0000-4000-8000-000000000001',
		name: options.name ?? 'Symphony Trigger',
		type: options.type ?? SYMPHONY_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: credentialType, ...parameters } as INode['parameters'],
		credentials: { [credentialType]: { id: 'cred', name: 'Test credential' } },
	};
	const copy = (data: IDataObject) => JSON.parse(JSON.stringify(data)) as IDataObject;
	const emissions: INodeExecutionData[][][] = [];
	const errors: Error[] = [];
	let saved: IDataObject = copy(options.staticData ?? {});
	const workflowId = options.workflowId ?? `wf-trigger-${++activations}`;
	const build = () =>
		new Workflow({ id: workflowId, name: 'Test workflow', nodes: [node], connections: {}, active: true, nodeTypes: new TestNodeTypes(), staticData: copy(saved), settings: {} });
	let workflow: Workflow = build();
	let response: ITriggerResponse | undefined;

	const activate = async () => {
		const current = workflow;
		const save = () => {
			saved = copy(current.staticData);
		};
		const context = new TriggerContext(
			current,
			node,
			additionalData(harness.credentialsHelper),
			'trigger',
			'activate',
			(data) => {
				save();
				emissions.push(data);
			},
			(error) => {
				errors.push(error);
			},
		);
		const nodeType = current.nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
		response = await nodeType.trigger!.call(context);
		save();
	};
	await activate();

	const items = () => emissions.flatMap((emission) => emission[0] ?? []).map((item) => item.json);
	const trigger: ActiveTrigger = {
		node,
		get workflow() {
			return workflow;
		},
		emissions,
		items,
		errors,
		async waitForItems(count, timeoutMs = 10_000) {
			await until(() => items().length >= count, timeoutMs, `${count} items (have ${items().length})`);
			return items();
		},
		async waitForError(timeoutMs = 10_000) {
			await until(() => errors.length > 0, timeoutMs, 'an error');
			return errors[0];
		},
		async close() {
			await response?.closeFunction?.();
			response = undefined;
		},
		async restart() {
			await trigger.close();
			workflow = build();
			await activate();
		},
		staticData() {
			return copy((workflow.staticData[`node:${node.name}`] as IDataObject) ?? {});
		},
		savedStaticData() {
			return copy((saved[`node:${node.name}`] as IDataObject) ?? {});
		},
	};
	return trigger;
}
