/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development code: runs in Node, never packed */
import { fork } from 'node:child_process';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { createHarness, type Harness, type WorkflowData } from '../test/harness';
import { startSimulator, type LoggedRequest, type PodSimulator, type SimUser } from '../test/simulator';
import { BENCH_CALLER_ID, BENCH_TOKEN } from './fixtures';
import { measure, peakInWindow } from './measure';
import type { ClockMessage } from './clock';

/** What a worker is told: where the pod is and the job's own parameters (plain JSON). */
export interface JobContext {
	podUrl: string;
	params: IDataObject;
}

/** One measured step of a job with several (e.g. successive trigger polls). */
export interface JobPhase {
	name: string;
	/** When the step started and ended, on the clock the pod logs requests with. */
	startAt: number;
	endAt: number;
	wallMs: number;
	peakHeapAddedBytes: number;
	outputItems: number;
}

export interface JobResult {
	/** The time the job reports as its wall time (for workflows: the measured node's own execution time). */
	wallMs: number;
	/** The whole execution, Start and input nodes included, when the job ran a workflow. */
	workflowMs?: number;
	peakHeapAddedBytes: number;
	outputItems?: number;
	/** The workflow's error message, when the execution failed. */
	failure?: string;
	/** Job-specific figures, shown in the scenario's details. */
	extra?: Record<string, number | string>;
	phases?: JobPhase[];
}

/** What the parent and a worker (worker.ts) tell each other; see worker.ts for the protocol. */
export type ParentMessage = { type: 'run'; job: string; context: JobContext } | { type: 'go' } | { type: 'clockSet' };
export type WorkerMessage =
	| { type: 'ready' }
	| { type: 'result'; result: JobResult }
	| { type: 'failed'; message: string }
	| ClockMessage;

/** Runs in the worker: an optional warm-up (JIT, lazy module loading; its requests are not counted), then the measured run. */
export interface Job {
	warmUp?(context: JobContext): Promise<void>;
	run(context: JobContext): Promise<JobResult>;
}

/** A harness whose token credential points at the bench pod. */
export function benchHarness(podUrl: string): Harness {
	return createHarness({ symphonyApi: { podUrl, sessionKind: 'sessionToken', token: BENCH_TOKEN } });
}

/** Runs a workflow once, measured; the wall time is n8n's own execution time of `nodeName`. */
export async function runWorkflowMeasured(harness: Harness, workflow: WorkflowData, nodeName: string): Promise<JobResult> {
	const { value: result, wallMs: workflowMs, peakHeapAddedBytes } = await measure(() => harness.run(workflow));
	const task = result.run.data.resultData.runData[nodeName]?.[0];
	return {
		wallMs: task?.executionTime ?? workflowMs,
		workflowMs,
		peakHeapAddedBytes,
		outputItems: result.items(nodeName).length,
		failure: result.error ? `${result.error.message}` : undefined,
	};
}

/** Runs a workflow without measuring it (warm-ups); fails loudly so a broken setup is not benchmarked. */
export async function runWorkflow(harness: Harness, workflow: WorkflowData): Promise<void> {
	const result = await harness.run(workflow);
	if (result.error) throw new Error(`warm-up failed: ${result.error.message}`);
}

const WORKER = join(__dirname, 'worker.ts');

/**
 * Parent side: runs `job` in a fresh worker process. `beforeRun` is called after the worker's
 * warm-up and before the measured run, e.g. to clear the pod's request log; `onClock` when the
 * job moves its clock (the pod's must follow).
 */
export async function runJob(
	job: string,
	context: JobContext,
	beforeRun: () => void = () => {},
	onClock: (offsetMs: number) => void = () => {},
): Promise<JobResult> {
	const child = fork(WORKER, [], {
		execArgv: ['-r', 'ts-node/register/transpile-only'],
		env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.test.json'), TS_NODE_PREFER_TS_EXTS: 'true' },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const send = (message: ParentMessage) => child.send(message);
	return await new Promise<JobResult>((resolve, reject) => {
		let settled = false;
		child.on('message', (message: WorkerMessage) => {
			if (message.type === 'ready') {
				beforeRun();
				send({ type: 'go' });
			} else if (message.type === 'clock') {
				onClock(message.offsetMs);
				send({ type: 'clockSet' });
			} else if (message.type === 'result') {
				settled = true;
				resolve(message.result);
			} else {
				settled = true;
				reject(new Error(`bench job ${job} failed in its worker:\n${message.message}`));
			}
		});
		child.on('error', reject);
		child.on('exit', (code) => {
			if (!settled) reject(new Error(`bench job ${job}: worker exited (${code}) before reporting`));
		});
		send({ type: 'run', job, context });
	});
}

/**
 * The bench pod: the simulator with the given users, the bench session and a fixed latency;
 * `throttlePerSecond` makes it refuse (429) what goes beyond Symphony's per-source limit.
 */
export async function startBenchPod(users: SimUser[], latencyMs: number, throttlePerSecond?: number): Promise<PodSimulator> {
	return await startSimulator({
		users,
		callerId: BENCH_CALLER_ID,
		sessions: [{ token: BENCH_TOKEN, userId: BENCH_CALLER_ID }],
		latencyMs,
		throttlePerSecond,
	});
}

export interface PodMeasurement {
	result: JobResult;
	/** The requests the pod received during the measured run (warm-up excluded). */
	requests: LoggedRequest[];
	failedRequests: number;
	/** The most requests the pod received within any one second. */
	peakPerSecond: number;
}

/**
 * Runs a job against the bench pod. The pod forgets the warm-up (its requests, registrations and
 * external-read times) before the measured run, so the log holds exactly what the run sent.
 * A failed execution is returned (`result.failure`) for baselines, which may fail where the
 * package does not (e.g. too many open sockets); `mustSucceed` throws instead.
 */
export async function runJobOnPod(
	sim: PodSimulator,
	job: string,
	params: IDataObject,
	{ mustSucceed = true } = {},
): Promise<PodMeasurement> {
	const podClock = sim.now;
	let result: JobResult;
	try {
		result = await runJob(
			job,
			{ podUrl: sim.url, params },
			() => {
				sim.clearLog();
				sim.interest.clear();
				sim.lastExternalQuery.clear();
			},
			(offsetMs) => {
				sim.now = () => podClock() + offsetMs;
			},
		);
	} finally {
		sim.now = podClock;
	}
	if (result.failure && mustSucceed) throw new Error(`bench job ${job} failed: ${result.failure}`);
	const requests = [...sim.requests];
	return {
		result,
		requests,
		failedRequests: requests.filter((r) => r.status === undefined || r.status >= 400).length,
		peakPerSecond: peakInWindow(requests.map((r) => r.at)),
	};
}
