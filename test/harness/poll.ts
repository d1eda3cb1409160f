import { PollContext } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, INodeType, Workflow } from 'n8n-workflow';

import { PRESENCE_TRIGGER_TYPE, additionalData, createWorkflow, type Harness } from './index';

/**
 * How n8n runs the polls:
 * - `activation`: n8n's in-memory poller (the active-workflow manager): one n8n-core PollContext
 *   per activation, reused for every poll of it, on one Workflow whose static data therefore
 *   persists in memory between polls. n8n writes static data to its database only when a poll
 *   emits items; `restart()` starts over from that saved copy, as an n8n restart would.
 * - `contextPerPoll`: n8n's durable scheduler with durable cursors (N8N_SCHEDULER_ENABLED,
 *   N8N_POLLER_DURABLE_CURSORS_ENABLED): every poll gets a new Workflow and a new PollContext,
 *   built from the static data in the database, which holds what the last successful poll wrote
 *   (emitting or not), round-tripped through JSON. A poll that fails commits nothing, and neither
 *   does the poll at activation unless it emits (n8n 2.41: n8n-core's PollTriggerExecutor runs it
 *   as a test, `executePollTrigger(true)`, and commits the staged cursor only of scheduled polls;
 *   an emission commits it with the execution). The first poll after `activate()` is that poll.
 */
export type PollingMode = 'activation' | 'contextPerPoll';

export const POLLING_MODES: PollingMode[] = ['activation', 'contextPerPoll'];

/**
 * Runs a polling trigger the way n8n does, in one of its two polling modes (see `PollingMode`).
 */
export interface PollingTrigger {
	readonly node: INode;
	workflow: Workflow;
	/** One scheduled poll of the current activation. */
	poll(): Promise<INodeExecutionData[][] | null>;
	/** Deactivates and activates again: the next poll is the first of a new activation. */
	activate(): void;
	/** Restarts n8n: the workflow comes back with the static data saved at the last emission. */
	restart(): void;
	/** "Fetch test event" in the editor: a manual context on a copy of the workflow. */
	fetchTestEvent(): Promise<INodeExecutionData[][] | null>;
	/** The trigger node's static data as it is in memory now. */
	staticData(): IDataObject;
	/** The trigger node's static data as n8n last saved it. */
	savedStaticData(): IDataObject;
}

export interface PollingTriggerOptions {
	name?: string;
	credentialType?: string;
	type?: string;
	mode?: PollingMode;
	/** What `getPollBudgetMs()` answers (n8n 2.38+); absent: the context lacks the function, as in older n8n. */
	pollBudgetMs?: number;
}

export function createPollingTrigger(
	harness: Harness,
	parameters: IDataObject,
	options: PollingTriggerOptions = {},
): PollingTrigger {
	const credentialType = options.credentialType ?? 'symphonyApi';
	const node: INode = {
		id: 'trigger',
		name: options.name ?? 'Presence Trigger',
		type: options.type ?? PRESENCE_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { [credentialType]: { id: 'cred', name: 'Test credential' } },
	};
	const build = (staticData: IDataObject) => createWorkflow({ nodes: [node], connections: {}, staticData });
	let saved: IDataObject = {};
	let workflow = build({});
	let context: PollContext | undefined;
	let atActivation = true;

	const nodeType = () => workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
	const newContext = (target: Workflow, mode: 'trigger' | 'manual') => {
		const context = new PollContext(target, node, additionalData(harness.credentialsHelper), mode, mode === 'manual' ? 'manual' : 'activate');
		const budget = options.pollBudgetMs;
		if (budget !== undefined) Object.assign(context, { getPollBudgetMs: () => budget });
		return context;
	};
	const copy = (data: IDataObject) => JSON.parse(JSON.stringify(data)) as IDataObject;

	const trigger: PollingTrigger = {
		node,
		get workflow() {
			return workflow;
		},
		async poll() {
			if (options.mode === 'contextPerPoll') {
				const testRun = atActivation;
				atActivation = false;
				workflow = build(copy(saved));
				const result = (await nodeType().poll!.call(newContext(workflow, 'trigger'))) ?? null;
				if (!testRun || result !== null) saved = copy(workflow.staticData);
				return result;
			}
			context ??= newContext(workflow, 'trigger');
			const result = (await nodeType().poll!.call(context)) ?? null;
			if (result !== null) saved = copy(workflow.staticData);
			return result;
		},
		activate() {
			context = undefined;
			atActivation = true;
		},
		restart() {
			workflow = build(copy(saved));
			context = undefined;
		},
		async fetchTestEvent() {
			const copyOfWorkflow = build(copy(saved));
			return (await nodeType().poll!.call(newContext(copyOfWorkflow, 'manual'))) ?? null;
		},
		staticData() {
			return copy(workflow.staticData[`node:${node.name}`] as IDataObject ?? {});
		},
		savedStaticData() {
			return copy(saved[`node:${node.name}`] as IDataObject ?? {});
		},
	};
	return trigger;
}
