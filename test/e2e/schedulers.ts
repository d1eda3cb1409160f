/** n8n's ways of running poll triggers, for the end-to-end runs of the Presence Trigger. */
import type { PodSimulator } from '../simulator';

export const DURABLE_SCHEDULER_ENV: NodeJS.ProcessEnv = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
};

/**
 * n8n's two ways of running poll triggers, and how many polls start watching before the trigger's
 * state is kept: the in-memory poller keeps what the poll at activation wrote (in memory); the
 * durable scheduler keeps nothing of that poll unless it emits (n8n-core's PollTriggerExecutor runs
 * it as a test and commits only scheduled polls), so its first scheduled poll starts watching again.
 */
export const SCHEDULERS: Array<[string, NodeJS.ProcessEnv, { baselinePolls: number }]> = [
	['the in-memory poller', {}, { baselinePolls: 1 }],
	[
		'the durable scheduler with durable cursors',
		DURABLE_SCHEDULER_ENV,
		{ baselinePolls: 2 },
	],
];

/** The pod's requests grouped by poll (requests more than 3 s apart belong to different polls). */
export function requestsPerPoll(pod: PodSimulator): Array<Record<string, number>> {
	const polls: Array<Record<string, number>> = [];
	let last = -Infinity;
	for (const request of pod.requests) {
		if (request.at - last > 3000) polls.push({});
		last = request.at;
		const kind = request.path.endsWith('/presence') ? 'presence' : request.path.split('/').slice(-1)[0];
		const key = request.status === 200 ? kind : `${kind} ${request.status}`;
		polls[polls.length - 1][key] = (polls[polls.length - 1][key] ?? 0) + 1;
	}
	return polls;
}
