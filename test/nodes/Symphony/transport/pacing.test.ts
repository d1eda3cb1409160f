import {
	DEFAULT_REQUESTS_PER_SECOND,
	RequestSchedule,
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
			['an unreadable ceiling counts as the default', Number.NaN, 75],
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
