import { sleep } from '../helpers/sleep';

/**
 * Keeps the requests to one pod under a request-rate ceiling. Symphony throttles each source at
 * 400 requests per second and answers 429 beyond it; sending at most `requestsPerSecond` (300 by
 * default, a margin for other clients on the same address) means a run near the limit gets no 429
 * at all, where a fixed number of requests in flight is either slow at high latency or too fast at
 * low latency. Requests are spaced evenly: each takes the next free slot, `1000 / rate` ms after
 * the previous one, and waits for it. Retries take slots too. A 429 that still comes is handled by
 * the retry policy (it obeys Retry-After).
 */

export const DEFAULT_REQUESTS_PER_SECOND = 300;
export const MAX_REQUESTS_PER_SECOND = 10_000;

/**
 * The round trip up to which the requests a caller keeps in flight still fill the pace: at 300/s
 * and 250 ms, 75 requests are out at once (Little's law); a slower pod answers below the pace.
 */
export const LATENCY_COVERED_MS = 250;
/** The most requests one caller keeps in flight at any pace: a slow pod never gets hundreds of sockets. */
export const MAX_IN_FLIGHT = 100;

/**
 * How many requests a caller of the transport may keep in flight to send at `requestsPerSecond`:
 * the pace times the round trip covered, at most `MAX_IN_FLIGHT`. Any more would only wait for
 * their slot; the pacing, not this bound, keeps the rate.
 */
export function inFlightForPace(requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND): number {
	const pace = Number.isFinite(requestsPerSecond) && requestsPerSecond > 0 ? requestsPerSecond : DEFAULT_REQUESTS_PER_SECOND;
	return Math.min(MAX_IN_FLIGHT, Math.max(1, Math.ceil((pace * LATENCY_COVERED_MS) / 1000)));
}

/**
 * Start times for one pod: pure, so its rules can be table-tested with a given clock. Callers take
 * turns (see `paceRequest`): each asks how long to wait, waits, then says when it really started.
 */
export class RequestSchedule {
	/** When the last request was counted as started (ms). */
	private lastStartMs = -Infinity;

	/** How long the next request must wait at `requestsPerSecond`. */
	waitMs(nowMs: number, requestsPerSecond: number): number {
		return Math.max(0, this.lastStartMs + 1000 / requestsPerSecond - nowMs);
	}

	/**
	 * Records a start. A start before or up to a few ms after its slot (timer granularity) counts
	 * at its slot, so the rate stays exact; one much later (the process was busy) counts when it really happened, so the
	 * requests held up meanwhile do not go out in a burst.
	 */
	started(nowMs: number, requestsPerSecond: number): void {
		const slot = this.lastStartMs + 1000 / requestsPerSecond;
		this.lastStartMs = nowMs - slot <= TIMER_SLACK_MS ? slot : nowMs;
	}

	/** Whether the schedule holds nothing that still matters: its last start is long past. */
	idleSince(nowMs: number, idleMs: number): boolean {
		return this.lastStartMs < nowMs - idleMs;
	}
}

const TIMER_SLACK_MS = 4;

/**
 * Per-process pacing cache: one schedule per execution and pod, so every Symphony node of one
 * execution (and every request of one poll of the trigger) shares the pod's budget. It decides
 * only *when* a request is sent, never whether or what: a queue-mode worker or a restarted n8n
 * that starts with an empty cache sends the same requests, just without the history of others
 * running in the same process. Schedules idle for a minute are dropped.
 */
const schedules = new Map<string, { schedule: RequestSchedule; turn: Promise<void> }>();
const IDLE_MS = 60_000;

interface PacedContext {
	getExecutionId?: () => string | undefined;
	getWorkflow?: () => { id?: string };
}

/** The execution, or for a poll (which has none) the workflow, that shares one budget. */
export function pacingKey(context: PacedContext, baseUrl: string): string {
	let owner: string | undefined;
	try {
		owner = context.getExecutionId?.() || undefined;
		if (owner !== undefined) owner = `execution ${owner}`;
		else owner = `workflow ${context.getWorkflow?.().id ?? ''}`;
	} catch {
		owner = 'unknown';
	}
	return `${owner} ${baseUrl}`;
}

export function scheduleFor(key: string, nowMs: number): { schedule: RequestSchedule; turn: Promise<void> } {
	let entry = schedules.get(key);
	if (entry === undefined) {
		for (const [other, old] of schedules) if (old.schedule.idleSince(nowMs, IDLE_MS)) schedules.delete(other);
		entry = { schedule: new RequestSchedule(), turn: Promise.resolve() };
		schedules.set(key, entry);
	}
	return entry;
}

/** A clock that only moves forward: pacing must not stall or burst when the wall clock is set. */
function monotonicNow(): number {
	return performance.now();
}

/** Waits for this request's turn in this execution's budget at the pod. */
export async function paceRequest(
	context: PacedContext,
	baseUrl: string,
	requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND,
): Promise<void> {
	const entry = scheduleFor(pacingKey(context, baseUrl), monotonicNow());
	const { schedule } = entry;
	const turn = entry.turn.then(async () => {
		const waitMs = schedule.waitMs(monotonicNow(), requestsPerSecond);
		if (waitMs >= 1) await sleep(waitMs);
		schedule.started(monotonicNow(), requestsPerSecond);
	});
	entry.turn = turn;
	await turn;
}
