import {
	ADAPTIVE_CEILING_PER_SECOND,
	ADAPTIVE_START_PER_SECOND,
	AdaptivePace,
	DEFAULT_REQUESTS_PER_SECOND,
	RequestSchedule,
	isPodThrottle,
	inFlightForPace,
	pacingKey,
	scheduleFor,
} from '../../../../nodes/Symphony/transport/pacing';
import { chain } from '../../../harness';
import { createPollingTrigger } from '../../../harness/poll';
import { getPresence, register, startPod, testUsers, type PodFixture } from '../../../support/pod';
import type { SimUser } from '../../../simulator';

describe('request pacing', () => {
	describe('schedule', () => {
		// [label, requests as [time asked, time started, requests per second], expected waits]
		test.each<[string, Array<[number, number, number]>, number[]]>([
			['the first request goes at once', [[1000, 1000, 300]], [0]],
			['requests asked at the same moment are spaced by 1000 / rate', [[0, 0, 100], [0, 10, 100], [0, 20, 100]], [0, 10, 20]],
			['a request after a quiet spell goes at once', [[0, 0, 100], [500, 500, 100]], [0, 0]],
			['a request inside the spacing waits for the rest of it', [[0, 0, 100], [4, 10, 100]], [0, 6]],
			['a timer a few ms late keeps the slot, so the rate stays exact', [[0, 0, 10], [0, 103, 10], [103, 200, 10]], [0, 100, 97]],
			['a start held up long (busy process) counts when it happened: no burst after', [[0, 0, 10], [0, 400, 10], [400, 500, 10]], [0, 100, 100]],
			['a start before its slot counts at the slot', [[0, 0, 100], [9.5, 9.5, 100], [9.5, 20, 100]], [0, 0.5, 10.5]],
			['a lower ceiling from another node widens the next gap only', [[0, 0, 100], [0, 100, 10], [0, 110, 100]], [0, 100, 110]],
		])('%s', (_label, requests, waits) => {
			const schedule = new RequestSchedule();
			const actual = requests.map(([asked, started, rate]) => {
				const wait = schedule.waitMs(asked, rate);
				schedule.started(started, rate);
				return wait;
			});
			actual.forEach((wait, i) => expect(wait).toBeCloseTo(waits[i], 6));
		});

		test('300 per second: the 301st request of a burst starts one second after the first', () => {
			const schedule = new RequestSchedule();
			let now = 0;
			for (let i = 0; i < 300; i++) {
				now += schedule.waitMs(now, 300);
				schedule.started(now, 300);
			}
			expect(now + schedule.waitMs(now, 300)).toBeCloseTo(1000, 6);
		});

		test('idle once its last slot is older than the idle time', () => {
			const schedule = new RequestSchedule();
			schedule.started(0, 10);
			expect(schedule.idleSince(50_000, 60_000)).toBe(false);
			expect(schedule.idleSince(60_200, 60_000)).toBe(true);
		});
	});

	describe('the pod\'s adaptive pace', () => {
		/** Sends `count` requests as fast as the pace lets them, from `startMs`; returns when each started. */
		function burst(pace: AdaptivePace, count: number, startMs: number): number[] {
			const starts: number[] = [];
			let now = startMs;
			for (let i = 0; i < count; i++) {
				now += pace.waitMs(now);
				pace.started(now);
				starts.push(now);
			}
			return starts;
		}

		test('starts at 350 per second, below Symphony\'s 400', () => {
			const pace = new AdaptivePace();
			expect(ADAPTIVE_START_PER_SECOND).toBe(350);
			const starts = burst(pace, 351, 0);
			expect(starts[350]).toBeCloseTo(1000, 6);
		});

		test.each<[string, number, number]>([
			['at its start', 0, 350],
			['after half a second', 500, 350],
			['after one second without a 429', 1000, 370],
			['after two seconds, at the ceiling', 2000, 375],
			['never above the ceiling', 60_000, ADAPTIVE_CEILING_PER_SECOND],
		])('rises while no 429 comes: %s', (_label, atMs, rate) => {
			const pace = new AdaptivePace();
			pace.started(0);
			expect(pace.rateAt(atMs)).toBe(rate);
		});

		test('the ceiling, evenly spaced, keeps any one second under 400', () => {
			const pace = new AdaptivePace();
			const starts = burst(pace, 2000, 0);
			let peak = 0;
			for (let first = 0, last = 0; last < starts.length; last++) {
				while (starts[last] - starts[first] >= 1000) first++;
				peak = Math.max(peak, last - first + 1);
			}
			expect(peak).toBeLessThanOrEqual(ADAPTIVE_CEILING_PER_SECOND + 1);
			expect(peak).toBeLessThan(400);
		});

		test.each<[string, number, boolean]>([
			['a 20 ms stall', 20, true],
			['a 60 ms stall', 60, true],
			['a 100 ms stall goes beyond the margin', 100, false],
		])('at the ceiling, %s of the process (the requests due meanwhile leave together) keeps any one second under 400: %s', (_label, stallMs, under) => {
			const pace = new AdaptivePace();
			const due = burst(pace, 3000, 0);
			// The process stalls just before a request due at 3 s: those due meanwhile go out when it ends.
			const stallStart = due.find((t) => t >= 3000)! - 0.001;
			const sent = due.map((t) => (t >= stallStart && t < stallStart + stallMs ? stallStart + stallMs : t));
			let peak = 0;
			for (let first = 0, last = 0; last < sent.length; last++) {
				while (sent[last] - sent[first] >= 1000) first++;
				peak = Math.max(peak, last - first + 1);
			}
			expect({ stallMs, under: peak < 400 }).toEqual({ stallMs, under });
		});

		test('a 429 halves the pace and pauses every request until its Retry-After', () => {
			const pace = new AdaptivePace();
			pace.started(0);
			pace.throttled(2000, 1500); // at 375 per second
			expect(pace.waitMs(2000)).toBe(1500);
			expect(pace.waitMs(3499)).toBe(1);
			expect(pace.rateAt(3500)).toBe(187);
			// It rises again from the end of the pause.
			expect(pace.rateAt(4500)).toBe(207);
		});

		test('429s of requests already in flight during the pause do not halve it again; a longer Retry-After extends the pause', () => {
			const pace = new AdaptivePace();
			pace.started(0);
			pace.throttled(2000, 1000);
			pace.throttled(2010, 1000);
			pace.throttled(2020, 3000);
			expect(pace.rateAt(5020)).toBe(187);
			expect(pace.waitMs(2020)).toBe(3000);
			// A 429 after the pause halves again.
			pace.throttled(6000, undefined);
			expect(pace.waitMs(6000)).toBe(1000);
			expect(pace.rateAt(7000)).toBe(93);
			expect(pace.rateAt(8000)).toBe(113);
		});

		test('never below 10 per second', () => {
			const pace = new AdaptivePace();
			// A 429 as each pause ends: 350, 175, 87, 43, 21, 10, 10, …
			for (let i = 0; i < 10; i++) pace.throttled(i * 1000, 1000);
			expect(pace.rateAt(10_000)).toBe(10);
		});

		test.each<[string, number | undefined, boolean]>([
			['no Retry-After: the pod\'s throttle', undefined, true],
			['Retry-After 1 s: the pod\'s throttle', 1000, true],
			['Retry-After 10 s: the pod\'s throttle', 10_000, true],
			['Retry-After 4 minutes: a limit on that request only (one read per 5 minutes)', 240_000, false],
		])('a 429 with %s', (_label, retryAfterMs, podWide) => {
			expect(isPodThrottle(retryAfterMs)).toBe(podWide);
		});
	});

	describe('who shares a budget', () => {
		test.each<[string, { getExecutionId?: () => string | undefined; getWorkflow?: () => { id?: string } }, string]>([
			['an execution, by its ID', { getExecutionId: () => '812', getWorkflow: () => ({ id: 'wf1' }) }, 'execution 812 https://acme.symphony.com'],
			['a poll (no execution ID), by its workflow', { getExecutionId: () => '', getWorkflow: () => ({ id: 'wf1' }) }, 'workflow wf1 https://acme.symphony.com'],
			['a context that cannot say', { getExecutionId: () => { throw new Error('not here'); } }, 'unknown https://acme.symphony.com'],
		])('%s', (_label, context, key) => {
			expect(pacingKey(context, 'https://acme.symphony.com')).toBe(key);
		});

		test('one schedule per execution and pod', () => {
			const now = Date.now();
			const schedule = (key: string) => scheduleFor(key, now).schedule;
			expect(schedule('execution 1 https://a')).toBe(schedule('execution 1 https://a'));
			expect(schedule('execution 1 https://a')).not.toBe(schedule('execution 2 https://a'));
			expect(schedule('execution 1 https://a')).not.toBe(schedule('execution 1 https://b'));
		});

		test('the default ceiling is below Symphony\'s 400 per second', () => {
			expect(DEFAULT_REQUESTS_PER_SECOND).toBeLessThan(400);
		});

		test.each<[string, number, number]>([
			['the default 300 per second: 75 (300 × 250 ms)', 300, 75],
			['10 per second: 3', 10, 3],
			['1 per second: 1', 1, 1],
			['a high ceiling stops at 100 sockets', 10_000, 100],
			['400 per second: exactly the cap', 400, 100],
			['an unreadable ceiling counts as the adaptive ceiling (375 × 250 ms)', Number.NaN, 94],
		])('requests in flight for a pace: %s', (_label, requestsPerSecond, expected) => {
			expect(inFlightForPace(requestsPerSecond)).toBe(expected);
		});
	});

	describe('in executions, against a pod that throttles', () => {
		let pod: PodFixture;
		afterEach(async () => await pod.sim.close());

		const internalUsers = (count: number): SimUser[] =>
			Array.from({ length: count }, (_, i) => ({ id: String(7215545060000 + i), presence: 'AVAILABLE' }));

		/** Most requests that arrived within any one second. */
		function peakPerSecond(times: number[]): number {
			const sorted = [...times].sort((a, b) => a - b);
			let peak = 0;
			for (let start = 0, end = 0; end < sorted.length; end++) {
				while (sorted[end] - sorted[start] >= 1000) start++;
				peak = Math.max(peak, end - start + 1);
			}
			return peak;
		}

		test('Get under the ceiling: no 429 from a pod throttling just above it, every item out', async () => {
			const users = internalUsers(60);
			pod = await startPod({ users: [...testUsers(), ...users], latencyMs: 50, throttlePerSecond: 25 });
			const result = await pod.harness.run(
				chain([{ name: 'Get', parameters: getPresence({ options: { requestsPerSecond: 20 } }) }], users.map(({ id }) => ({ userId: id }))),
			);
			expect(result.json('Get').map((p) => p.userId)).toEqual(users.map(({ id }) => id));
			expect(pod.sim.tooManyRequests).toBe(0);
			expect(peakPerSecond(pod.sim.requests.map((r) => r.at))).toBeLessThanOrEqual(25);
		});

		test('all Symphony nodes of one execution share the ceiling: Register Interest then Get stay under it together', async () => {
			const users = internalUsers(30);
			pod = await startPod({ users: [...testUsers(), ...users], throttlePerSecond: 25 });
			const options = { requestsPerSecond: 20, batchSize: 1 };
			const result = await pod.harness.run(
				chain([
					{ name: 'Register', parameters: register(users.map(({ id }) => id).join(','), options) },
					{ name: 'Get', parameters: getPresence({ options: { requestsPerSecond: 20 } }) },
				]),
			);
			expect(result.json('Get')).toHaveLength(30);
			expect(pod.sim.requestsTo('/pod/v1/user/presence/register')).toHaveLength(30);
			expect(pod.sim.tooManyRequests).toBe(0);
			expect(peakPerSecond(pod.sim.requests.map((r) => r.at))).toBeLessThanOrEqual(25);
		});

		test('a ceiling above the pod\'s limit: the 429s that come are obeyed and retried, nothing is lost', async () => {
			const users = internalUsers(40);
			pod = await startPod({ users: [...testUsers(), ...users], throttlePerSecond: 10 });
			const result = await pod.harness.run(
				chain(
					[{ name: 'Get', parameters: getPresence({ options: { requestsPerSecond: 12, retry: { settings: { maxAttempts: 10, maxWaitSeconds: 2 } } } }) }],
					users.map(({ id }) => ({ userId: id })),
				),
			);
			// How many 429s come depends on where the requests fall in the pod's sliding one-second
			// window (real time), so no exact count: the claim is that some came, i.e. the retry path
			// ran; that it lost nothing is asserted exactly.
			expect(pod.sim.tooManyRequests).toBeGreaterThan(0);
			expect(result.json('Get').map((p) => [p.userId, p.category])).toEqual(users.map(({ id }) => [id, 'AVAILABLE']));
		});

		test('two workflows at once in one n8n process share the pod\'s adaptive pace: no 429 from a pod throttling at Symphony\'s 400 per second', async () => {
			const users = internalUsers(500);
			pod = await startPod({ users: [...testUsers(), ...users], latencyMs: 20, throttlePerSecond: 400 });
			const half = (offset: number) => users.filter((_, i) => i % 2 === offset).map(({ id }) => ({ userId: id }));
			const [first, second] = await Promise.all([
				pod.harness.run(chain([{ name: 'Get', parameters: getPresence() }], half(0))),
				pod.harness.run(chain([{ name: 'Get', parameters: getPresence() }], half(1))),
			]);
			expect(first.json('Get').map((p) => p.userId)).toEqual(half(0).map((item) => item.userId));
			expect(second.json('Get').map((p) => p.userId)).toEqual(half(1).map((item) => item.userId));
			expect(pod.sim.tooManyRequests).toBe(0);
			expect(peakPerSecond(pod.sim.requests.map((r) => r.at))).toBeLessThanOrEqual(ADAPTIVE_CEILING_PER_SECOND + 1);
		});

		test('a 429 from the pod\'s throttle pauses every request to the pod, not only the refused one', async () => {
			const [a, b, c] = internalUsers(3);
			pod = await startPod({ users: [...testUsers(), a, b, c] });
			// Reads start 500 ms apart (the cap). A is refused at 700 ms, while B (sent at 500 ms, answered at
			// 1.3 s) is out and C (due at 1 s) is not sent yet: C waits out the 1 s pause, so it goes after B's answer.
			pod.sim.fault({ path: `/pod/v3/user/${a.id}`, status: 429, retryAfter: '1', delayMs: 700 });
			pod.sim.fault({ path: `/pod/v3/user/${b.id}`, delayMs: 800 });
			const result = await pod.harness.run(
				chain([{ name: 'Get', parameters: getPresence({ options: { requestsPerSecond: 2, concurrency: 3 } }) }], [a, b, c].map(({ id }) => ({ userId: id }))),
			);
			expect(result.json('Get').map((p) => p.userId)).toEqual([a.id, b.id, c.id]);
			const name = (path: string) => (path.includes(a.id) ? 'A' : path.includes(b.id) ? 'B' : 'C');
			const order = pod.sim.events.map(({ kind, request }) => `${name(request.path)} ${kind}`);
			expect(order.filter((event) => event !== 'A answered' && event !== 'C answered')).toEqual([
				'A arrived',
				'B arrived',
				'B answered',
				'C arrived',
				'A arrived',
			]);
		});

		test('the trigger keeps the ceiling too: a poll over 30 users gets no 429 from a pod throttling just above it', async () => {
			const users = internalUsers(30);
			pod = await startPod({ users: [...testUsers(), ...users], throttlePerSecond: 12 });
			const trigger = createPollingTrigger(pod.harness, {
				authentication: 'symphonyApi',
				userIds: users.map(({ id }) => id).join(', '),
				triggerOn: 'anyChange',
				options: { requestsPerSecond: 10 },
			});
			expect(await trigger.poll()).toBeNull();
			expect(pod.sim.requestsTo('/pod/v3/user/')).toHaveLength(30);
			expect(pod.sim.tooManyRequests).toBe(0);
			expect(peakPerSecond(pod.sim.requests.map((r) => r.at))).toBeLessThanOrEqual(12);
		});
	});
});
