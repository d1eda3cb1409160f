import { sleep } from '../helpers/sleep';

/**
 * Keeps the requests to one pod under Symphony's throttle: 400 requests per second from one
 * source, 429 beyond it. Two levels, each a schedule that spaces requests evenly (each takes the
 * next free slot, `1000 / rate` ms after the previous one):
 *
 * - **The pod's adaptive pace**, shared by every Symphony node and trigger of this n8n process that
 *   talks to the pod: it starts at 350 per second, rises by 20 per second for each second without a
 *   429 up to 375, and at a 429 halves and pauses every request to the pod for the Retry-After (a
 *   second if none). Two workflows at once stay under the throttle together.
 * - **Max Requests per Second**, when the user sets it: a hard cap for one execution (or one poll),
 *   for a pod whose quota is shared with other systems.
 *
 * A 429 that still comes is also handled by the retry policy (it obeys Retry-After).
 */

/** Symphony's throttle, per source. */
export const SYMPHONY_THROTTLE_PER_SECOND = 400;
/** Where the adaptive pace starts. */
export const ADAPTIVE_START_PER_SECOND = 350;
/**
 * The most the adaptive pace rises to. Evenly spaced requests leave the process bunched when its
 * event loop stalls (a busy n8n, garbage collection): the 25 below the throttle absorb a 60 ms stall
 * (at 390 a 26 ms stall put 400 into one second at the pod, and 429s followed).
 */
export const ADAPTIVE_CEILING_PER_SECOND = 375;
/** How much each second without a 429 raises the adaptive pace. */
export const ADAPTIVE_RISE_PER_SECOND = 20;
/** The lowest the adaptive pace falls after 429s. */
export const ADAPTIVE_FLOOR_PER_SECOND = 10;
/** How long requests pause after a 429 that names no Retry-After. */
export const THROTTLED_PAUSE_MS = 1000;
/**
 * A 429 asking to wait longer than this limits that one request, not the pod: Symphony's one read
 * of a person at another firm per 5 minutes, say. It leaves the pod's pace alone.
 */
export const POD_THROTTLE_MAX_RETRY_AFTER_MS = 10_000;

/** Whether a 429 with this Retry-After (ms; undefined when absent) is the pod's throttle. */
export function isPodThrottle(retryAfterMs: number | undefined): boolean {
	return retryAfterMs === undefined || retryAfterMs <= POD_THROTTLE_MAX_RETRY_AFTER_MS;
}

/** What the Max Requests per Second option offers when a user adds it: a margin for other clients. */
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
export function inFlightForPace(requestsPerSecond = ADAPTIVE_CEILING_PER_SECOND): number {
	const pace = Number.isFinite(requestsPerSecond) && requestsPerSecond > 0 ? requestsPerSecond : ADAPTIVE_CEILING_PER_SECOND;
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

/**
 * The pod's adaptive pace: pure, given a clock, so its rules are table-tested. Rises while the pod
 * accepts, halves at a 429 (once per pause: the 429s of requests already in flight do not halve it
 * again) and holds every request until the pause ends.
 */
export class AdaptivePace {
	private readonly schedule = new RequestSchedule();
	private pausedUntilMs = -Infinity;
	/** Since when the pace has been rising (its start, or the end of the last pause). */
	private risingSinceMs: number | undefined;
	private rateAtRiseStart = ADAPTIVE_START_PER_SECOND;

	/** Requests per second at `nowMs`. */
	rateAt(nowMs: number): number {
		if (this.risingSinceMs === undefined || nowMs <= this.risingSinceMs) return this.rateAtRiseStart;
		const seconds = Math.floor((nowMs - this.risingSinceMs) / 1000);
		return Math.min(ADAPTIVE_CEILING_PER_SECOND, this.rateAtRiseStart + seconds * ADAPTIVE_RISE_PER_SECOND);
	}

	/** How long the next request must wait: its slot at the current pace, and any pause. */
	waitMs(nowMs: number): number {
		return Math.max(0, this.pausedUntilMs - nowMs, this.schedule.waitMs(nowMs, this.rateAt(nowMs)));
	}

	started(nowMs: number): void {
		this.risingSinceMs ??= nowMs;
		this.schedule.started(nowMs, this.rateAt(nowMs));
	}

	/** The pod answered 429: halve the pace and pause until `retryAfterMs` has passed. */
	throttled(nowMs: number, retryAfterMs?: number): void {
		const pauseEnds = nowMs + (retryAfterMs !== undefined && retryAfterMs >= 0 ? retryAfterMs : THROTTLED_PAUSE_MS);
		if (nowMs >= this.pausedUntilMs) {
			this.rateAtRiseStart = Math.max(ADAPTIVE_FLOOR_PER_SECOND, Math.floor(this.rateAt(nowMs) / 2));
		}
		this.pausedUntilMs = Math.max(this.pausedUntilMs, pauseEnds);
		this.risingSinceMs = this.pausedUntilMs;
	}

	/** Whether the pace holds nothing that still matters: no pause, last start long past, back at its start. */
	idleSince(nowMs: number, idleMs: number): boolean {
		return this.pausedUntilMs < nowMs - idleMs && this.schedule.idleSince(nowMs, idleMs);
	}
}

/**
 * Per-process adaptive paces, one per pod (its base URL). Like the schedules, they decide only
 * *when* a request goes, never whether or what; a fresh process starts at the starting pace.
 */
const podPaces = new Map<string, { pace: AdaptivePace; turn: Promise<void> }>();
/** A pod pace unused this long is dropped; the next request starts afresh. */
const POD_PACE_IDLE_MS = 10 * 60_000;

export function podPaceFor(baseUrl: string, nowMs: number): { pace: AdaptivePace; turn: Promise<void> } {
	let entry = podPaces.get(baseUrl);
	if (entry === undefined) {
		for (const [other, old] of podPaces) if (old.pace.idleSince(nowMs, POD_PACE_IDLE_MS)) podPaces.delete(other);
		entry = { pace: new AdaptivePace(), turn: Promise.resolve() };
		podPaces.set(baseUrl, entry);
	}
	return entry;
}

/** The pod answered 429: every request of this process to it slows down and pauses. */
export function reportThrottled(baseUrl: string, retryAfterMs?: number): void {
	podPaceFor(baseUrl, monotonicNow()).pace.throttled(monotonicNow(), retryAfterMs);
}

/**
 * Waits for this request's turn: first, when the user set Max Requests per Second
 * (`requestsPerSecond`), its slot in this execution's budget at the pod; then its slot in the pod's
 * adaptive pace.
 */
export async function paceRequest(context: PacedContext, baseUrl: string, requestsPerSecond?: number): Promise<void> {
	if (requestsPerSecond !== undefined) {
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
	const pod = podPaceFor(baseUrl, monotonicNow());
	const podTurn = pod.turn.then(async () => {
		// A 429 may come in while waiting: wait again until the pace lets this request go.
		for (let waitMs = pod.pace.waitMs(monotonicNow()); waitMs >= 1; waitMs = pod.pace.waitMs(monotonicNow())) await sleep(waitMs);
		pod.pace.started(monotonicNow());
	});
	pod.turn = podTurn;
	await podTurn;
}
