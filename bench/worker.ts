/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
/**
 * The n8n side of a measurement, in a process of its own: the pod simulator stays in the parent,
 * so the pod's work runs on another core (as a real pod would) and neither its CPU time nor its
 * request log is counted against n8n. Every measurement gets a fresh process, so one run's heap
 * and JIT state cannot flatter the next.
 *
 * Protocol: the parent sends `run`; the worker warms up, sends `ready`, waits for `go` (the parent
 * clears the pod's log in between), measures, sends `result` and exits. A job that simulates
 * time passing sends `clock` and waits for `clockSet` (see clock.ts).
 */
import { registerBenchNodes } from './benchNodes';
import { allJobs } from './scenarios';
import type { ParentMessage, WorkerMessage } from './job';

function send(message: WorkerMessage): Promise<void> {
	return new Promise((resolve) => process.send!(message, undefined, undefined, () => resolve()));
}

function nextMessage(): Promise<ParentMessage> {
	return new Promise((resolve) => process.once('message', (message) => resolve(message as ParentMessage)));
}

async function main(): Promise<void> {
	const start = await nextMessage();
	if (start.type !== 'run') throw new Error(`expected a run message, got ${start.type}`);
	const job = allJobs()[start.job];
	if (!job) throw new Error(`unknown bench job ${start.job}`);
	registerBenchNodes();
	await job.warmUp?.(start.context);
	await send({ type: 'ready' });
	await nextMessage();
	const result = await job.run(start.context);
	await send({ type: 'result', result });
}

main()
	.catch(async (error: unknown) => {
		await send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
	})
	// n8n-core keeps the event loop busy after an execution; the worker's part is done.
	.finally(() => process.exit(0));
