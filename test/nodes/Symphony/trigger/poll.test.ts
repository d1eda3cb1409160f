import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { POLLING_MODES, createPollingTrigger as createTrigger, type PollingTrigger, type PollingTriggerOptions } from '../../../harness/poll';
import { HOUR, MINUTE, useTestClock, type TestClock } from '../../../support/clock';
import {
	ALICE,
	BIG_ID,
	BOB,
	BOT,
	CAROL_EXTERNAL,
	ERIN_NOT_CONNECTED,
	QUICK_RETRY,
	SECRET_TOKEN,
	startPod,
	type PodFixture,
} from '../../../support/pod';
import { RSA, startRsaPod, type RsaPodFixture } from '../../../support/rsa';
import { call } from '../../../simulator/call';
import { expectNoSecrets } from '../../../support/secrets';

/** On the bot's pod (tenant 105) but unknown to it: reading answers 404. */
const UNKNOWN_COLLEAGUE = '7215545099999';
/** On Carol's pod (tenant 212) but unknown: registering interest answers 404 naming it. */
const UNKNOWN_EXTERNAL = '14568529069999';

function watch(userIds: string[], parameters: IDataObject = {}): IDataObject {
	const { options, ...rest } = parameters;
	return {
		authentication: 'symphonyApi',
		userIds: userIds.join(', '),
		triggerOn: 'anyChange',
		...rest,
		options: { ...QUICK_RETRY, ...(options as IDataObject | undefined) },
	};
}

function json(result: INodeExecutionData[][] | null): IDataObject[] | null {
	return result === null ? null : result[0].map((item) => item.json);
}

describe.each(POLLING_MODES)('Symphony Presence Trigger: poll (polling mode %s)', (mode) => {
	const createPollingTrigger = (harness: PodFixture['harness'], parameters: IDataObject, options: PollingTriggerOptions = {}) =>
		createTrigger(harness, parameters, { mode, ...options });
	let pod: PodFixture;
	let clock: TestClock;
	let trigger: PollingTrigger;

	beforeEach(async () => {
		clock = useTestClock('2026-03-02T09:00:00Z');
		pod = await startPod({ now: () => Date.now() });
	});
	afterEach(async () => {
		await pod.sim.close();
		clock.restore();
	});

	/** n8n's durable scheduler: a new context per poll, and the poll at activation keeps nothing unless it emits. */
	const durable = mode === 'contextPerPoll';
	/**
	 * n8n's polls from activation until the trigger is watching: the poll at activation and, under
	 * the durable scheduler when that poll emitted nothing, the first scheduled poll a minute later.
	 * Returns what the last of them emitted.
	 */
	const startWatching = async (): Promise<INodeExecutionData[][] | null> => {
		const atActivation = await trigger.poll();
		if (!durable || atActivation !== null) return atActivation;
		clock.advance(MINUTE);
		return await trigger.poll();
	};

	const reads = (userId: string) => pod.sim.requestsTo(`/pod/v3/user/${userId}/presence`);
	const registrations = () => pod.sim.requestsTo('/pod/v1/user/presence/register', 'POST');
	const minutesOf = (times: number[]) => times.map((at) => (at - Date.parse('2026-03-02T09:00:00Z')) / MINUTE);

	test('the poll at activation records colleagues\' baseline and registers external users in one request; they are first read by the next poll whose state n8n keeps', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, BOB, CAROL_EXTERNAL, BIG_ID]));
		const start = clock.now();
		expect(await trigger.poll()).toBeNull();

		expect(pod.sim.requestsTo('/pod/v2/sessioninfo')).toHaveLength(1);
		expect(registrations().map((r) => r.body)).toEqual([`[${CAROL_EXTERNAL},${BIG_ID}]`]);
		// A read of an external user here would be forgotten under the durable scheduler while the
		// pod still counts it: they wait for the next poll.
		expect([ALICE, BOB, CAROL_EXTERNAL, BIG_ID].map((id) => reads(id).length)).toEqual([1, 1, 0, 0]);
		expect(trigger.staticData()).toMatchObject({
			users: {
				[ALICE]: { status: 'AVAILABLE', watchedSince: start },
				[BOB]: { status: 'ON_THE_PHONE' },
				[CAROL_EXTERNAL]: { registeredAt: start, watchedSince: start },
				// Beyond 2^53: the key keeps every digit.
				[BIG_ID]: { registeredAt: start },
			},
			callerTenant: '105',
		});
		// The durable scheduler keeps nothing of that poll; the in-memory poller keeps it in memory.
		expect(trigger.savedStaticData()).toEqual({});

		clock.advance(MINUTE);
		expect(await trigger.poll()).toBeNull();
		// Under the durable scheduler the first scheduled poll starts over: it registers again and
		// still reads no external user, since its own state is the first n8n keeps.
		expect(registrations()).toHaveLength(durable ? 2 : 1);
		expect([CAROL_EXTERNAL, BIG_ID].map((id) => reads(id).length)).toEqual(durable ? [0, 0] : [1, 1]);
		clock.advance(MINUTE);
		expect(await trigger.poll()).toBeNull();
		expect([ALICE, BOB, CAROL_EXTERNAL, BIG_ID].map((id) => reads(id).length)).toEqual(durable ? [3, 3, 1, 1] : [3, 3, 1, 1]);
		expect(trigger.staticData()).toMatchObject({
			users: { [CAROL_EXTERNAL]: { status: 'BUSY', readAt: start + (durable ? 2 : 1) * MINUTE }, [BIG_ID]: { status: 'AWAY' } },
		});
		// Nobody was refused: no read was spent on a poll whose state was lost.
		expect(pod.sim.requests.filter((r) => r.status !== 200)).toEqual([]);
	});

	test.each([
		['30 seconds', 30_000],
		['1 minute', MINUTE],
		['90 seconds', 90_000],
		['4 minutes', 4 * MINUTE],
	])('a change of an external user %s after activation comes out once, within the 5-minute rule, and nobody external is read twice within 5 minutes', async (_name, changeAfter) => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, CAROL_EXTERNAL]));
		const emitted: string[] = [];
		for (let second = 0; second <= 12 * 60; second += 30) {
			// n8n polls every minute, on the minute; the change comes just after.
			if (second % 60 === 0) {
				for (const item of json(await trigger.poll()) ?? []) emitted.push(`${second / 60} ${item.previousStatus}→${item.status}`);
			}
			if (second * 1000 === changeAfter) {
				clock.advance(1000);
				pod.sim.setPresence(CAROL_EXTERNAL, 'AVAILABLE');
				clock.advance(29_000);
			} else {
				clock.advance(30_000);
			}
		}
		// Under the durable scheduler watching starts with the first scheduled poll (minute 1): a change
		// before it is where watching starts (n8n keeps nothing of the poll at activation).
		const lost = durable && changeAfter < MINUTE;
		// Read first at minute 1 (in memory) or 2 (durable), then every 5 minutes. A change before the
		// first reading comes out with it (the status before is unknown); later ones at the next read.
		const firstRead = durable ? 2 : 1;
		const readMinutes = [firstRead, firstRead + 5, firstRead + 10];
		expect(minutesOf(reads(CAROL_EXTERNAL).map((r) => r.at))).toEqual(readMinutes);
		expect(reads(CAROL_EXTERNAL).every((r) => r.status === 200)).toBe(true);
		const readAfterChange = readMinutes.find((minute) => minute * MINUTE > changeAfter)!;
		expect(emitted).toEqual(lost ? [] : [`${readAfterChange} ${readAfterChange === firstRead ? 'null' : 'BUSY'}→AVAILABLE`]);
	});

	test('a change is emitted once, with the user, both statuses and when it changed; unchanged polls emit nothing', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, BOB]));
		await startWatching();
		const changedAt = clock.now() + 30_000;
		clock.advance(30_000);
		pod.sim.setPresence(ALICE, 'AWAY');
		clock.advance(30_000);

		expect(json(await trigger.poll())).toEqual([
			{
				userId: ALICE,
				status: 'AWAY',
				previousStatus: 'AVAILABLE',
				changedAt: new Date(changedAt).toISOString(),
				timestamp: changedAt,
			},
		]);
		for (let i = 0; i < 3; i++) {
			clock.advance(MINUTE);
			expect(await trigger.poll()).toBeNull();
		}
		// Who the credential is was asked once by the polls whose state n8n keeps (once more at
		// activation under the durable scheduler, which keeps nothing of that poll).
		expect(pod.sim.requestsTo('/pod/v2/sessioninfo')).toHaveLength(durable ? 2 : 1);
		expect(reads(ALICE)).toHaveLength(durable ? 6 : 5);
	});

	test.each<[string, IDataObject, Array<[string, string]>, Array<[string, string, string]>]>([
		[
			'Becomes AVAILABLE',
			{ triggerOn: 'becomes', statuses: ['AVAILABLE'] },
			[[ALICE, 'AWAY'], [BOB, 'AVAILABLE']],
			[[BOB, 'ON_THE_PHONE', 'AVAILABLE']],
		],
		[
			'Leaves AVAILABLE',
			{ triggerOn: 'leaves', statuses: ['AVAILABLE'] },
			[[ALICE, 'AWAY'], [BOB, 'AVAILABLE']],
			[[ALICE, 'AVAILABLE', 'AWAY']],
		],
		[
			'Becomes one of two (given in lower case by expression)',
			{ triggerOn: 'becomes', statuses: ['busy', 'AWAY'] },
			[[ALICE, 'AWAY'], [BOB, 'BUSY']],
			[[ALICE, 'AVAILABLE', 'AWAY'], [BOB, 'ON_THE_PHONE', 'BUSY']],
		],
		[
			'Becomes a status Symphony added (given by expression as text)',
			{ triggerOn: 'becomes', statuses: 'focus_time, OUT_OF_OFFICE' },
			[[ALICE, 'AWAY'], [BOB, 'FOCUS_TIME']],
			[[BOB, 'ON_THE_PHONE', 'FOCUS_TIME']],
		],
	])('Trigger On %s', async (_name, parameters, changes, expected) => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, BOB], parameters));
		await startWatching();
		for (const [userId, status] of changes) pod.sim.setPresence(userId, status);
		clock.advance(MINUTE);
		const emitted = json(await trigger.poll()) ?? [];
		expect(emitted.map((item) => [item.userId, item.previousStatus, item.status])).toEqual(expected);
		// Changes not selected still move the baseline: reverting Alice is a change from AWAY.
		expect(trigger.staticData()).toMatchObject({ users: { [ALICE]: { status: 'AWAY' }, [BOB]: { status: changes[1][1] } } });
	});

	test('Emit Current Statuses on Start emits every readable user once, with no previous status (external users at their first reading)', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, CAROL_EXTERNAL], { options: { emitOnStart: true } }));
		// Emitting, the poll at activation has its state kept by either scheduler.
		expect(json(await trigger.poll())).toEqual([expect.objectContaining({ userId: ALICE, status: 'AVAILABLE', previousStatus: null })]);
		clock.advance(MINUTE);
		expect(json(await trigger.poll())).toEqual([expect.objectContaining({ userId: CAROL_EXTERNAL, status: 'BUSY', previousStatus: null })]);
		clock.advance(MINUTE);
		expect(await trigger.poll()).toBeNull();
	});

	test('interest is renewed before each hour lapses and not more often: every 57 minutes with 1-minute polls', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, CAROL_EXTERNAL]));
		for (let minute = 0; minute < 3 * 60; minute++) {
			await trigger.poll();
			clock.advance(MINUTE);
		}
		// Under the durable scheduler the first scheduled poll registers again: the one at activation is not kept.
		expect(minutesOf(registrations().map((r) => r.at))).toEqual(durable ? [0, 1, 58, 115, 172] : [0, 57, 114, 171]);
		// The registration never lapsed: every read of Carol was answered, every 5 minutes from her first.
		expect(reads(CAROL_EXTERNAL).every((r) => r.status === 200)).toBe(true);
		expect(reads(CAROL_EXTERNAL)).toHaveLength(36);
	});

	test('with hourly polls interest is registered at every poll, just before reading', async () => {
		trigger = createPollingTrigger(pod.harness, watch([CAROL_EXTERNAL]));
		const emitted: Array<string | null> = [];
		for (let hour = 0; hour < 4; hour++) {
			clock.advance(1000);
			pod.sim.setPresence(CAROL_EXTERNAL, hour % 2 === 0 ? 'BUSY' : 'AVAILABLE');
			clock.advance(HOUR - 1000);
			const items = json(await trigger.poll());
			emitted.push(items && items.map((item) => `${item.previousStatus}→${item.status}`).join());
		}
		// First read at the second poll whose state n8n keeps; the change made since watching began
		// comes out with it, the status before unknown.
		expect(emitted).toEqual(durable ? [null, null, 'null→BUSY', 'BUSY→AVAILABLE'] : [null, 'null→AVAILABLE', 'AVAILABLE→BUSY', 'BUSY→AVAILABLE']);
		expect(minutesOf(registrations().map((r) => r.at))).toEqual([60, 120, 180, 240]);
		expect(reads(CAROL_EXTERNAL).map((r) => r.status)).toEqual(durable ? [200, 200] : [200, 200, 200]);
	});

	test('over a simulated day of 1-minute polls no external user is read twice within 5 minutes, and every change is emitted', async () => {
		const externals = [CAROL_EXTERNAL, BIG_ID];
		trigger = createPollingTrigger(pod.harness, watch([ALICE, BOB, ...externals]));
		const day = 24 * 60;
		const expectedChanges: string[] = [];
		const emitted: string[] = [];
		let lastExternalRead = 0;
		for (let minute = 0; minute < day; minute++) {
			// Carol changes every 7 minutes, Alice every 13: both slower than the trigger can see.
			if (minute % 7 === 3) pod.sim.setPresence(CAROL_EXTERNAL, minute % 2 === 0 ? 'BUSY' : 'AVAILABLE');
			if (minute % 13 === 5) pod.sim.setPresence(ALICE, minute % 2 === 0 ? 'AWAY' : 'AVAILABLE');
			const result = json(await trigger.poll()) ?? [];
			emitted.push(...result.map((item) => `${minute} ${item.userId} ${item.previousStatus}→${item.status}`));
			if (reads(CAROL_EXTERNAL).at(-1)?.at === clock.now()) lastExternalRead = minute;
			clock.advance(MINUTE);
		}

		// Every 5 minutes from the first poll after the one whose state n8n first keeps, and not
		// needlessly less often: the trigger reads them as soon as allowed.
		const firstRead = durable ? 2 : 1;
		const everyFiveMinutes = Array.from({ length: Math.floor((day - 1 - firstRead) / 5) + 1 }, (_, i) => firstRead + 5 * i);
		for (const userId of externals) expect(minutesOf(reads(userId).map((r) => r.at))).toEqual(everyFiveMinutes);
		expect(reads(ALICE)).toHaveLength(day);
		expect(pod.sim.requests.filter((r) => r.status !== 200)).toEqual([]);
		// Every 57 minutes; under the durable scheduler once more at minute 1, as the poll at activation is not kept.
		expect(registrations()).toHaveLength(durable ? 27 : 26);

		// Each change Symphony saw before the last read comes out exactly once.
		let carol = 'BUSY';
		let alice = 'AVAILABLE';
		const carolChangeMinutes: number[] = [];
		for (let minute = 1; minute < day; minute++) {
			if (minute % 7 === 3 && minute <= lastExternalRead) {
				const next = minute % 2 === 0 ? 'BUSY' : 'AVAILABLE';
				if (next !== carol) {
					expectedChanges.push(`${CAROL_EXTERNAL} ${carol}→${next}`);
					carolChangeMinutes.push(minute);
				}
				carol = next;
			}
			if (minute % 13 === 5) {
				const next = minute % 2 === 0 ? 'AWAY' : 'AVAILABLE';
				if (next !== alice) expectedChanges.push(`${ALICE} ${alice}→${next}`);
				alice = next;
			}
		}
		const emittedChanges = emitted.map((line) => line.split(' ').slice(1).join(' '));
		expect(emittedChanges.filter((line) => line.startsWith(ALICE))).toEqual(expectedChanges.filter((line) => line.startsWith(ALICE)));
		expect(emittedChanges.filter((line) => line.startsWith(CAROL_EXTERNAL))).toEqual(expectedChanges.filter((line) => line.startsWith(CAROL_EXTERNAL)));
		// Carol's changes come out at her next read, within the 5 minutes the rule allows.
		expect(emitted.filter((l) => l.includes(CAROL_EXTERNAL)).map((line) => Number(line.split(' ')[0]))).toEqual(
			carolChangeMinutes.map((minute) => firstRead + Math.ceil((minute - firstRead) / 5) * 5),
		);
	}, 120_000);

	test('a change made while the workflow was off is emitted once at the next poll; interest is renewed only when due', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, CAROL_EXTERNAL]));
		await startWatching();
		clock.advance(2 * MINUTE);
		pod.sim.setPresence(ALICE, 'BUSY');
		expect(json(await trigger.poll())).toEqual([expect.objectContaining({ userId: ALICE, status: 'BUSY' })]);
		expect(trigger.staticData()).toMatchObject({ users: { [ALICE]: { status: 'BUSY' }, [CAROL_EXTERNAL]: { status: 'BUSY' } } });

		// Deactivated, and activated again a minute later: Alice changed in between.
		clock.advance(MINUTE);
		pod.sim.setPresence(ALICE, 'AWAY');
		trigger.activate();
		expect(json(await trigger.poll())).toEqual([expect.objectContaining({ userId: ALICE, previousStatus: 'BUSY', status: 'AWAY' })]);
		// The registration still lasts; Carol was read a minute ago and waits for the 5 minutes.
		expect(registrations()).toHaveLength(durable ? 2 : 1);
		expect(reads(CAROL_EXTERNAL)).toHaveLength(1);
		clock.advance(4 * MINUTE);
		pod.sim.setPresence(CAROL_EXTERNAL, 'AVAILABLE');
		expect(json(await trigger.poll())).toEqual([expect.objectContaining({ userId: CAROL_EXTERNAL, previousStatus: 'BUSY', status: 'AVAILABLE' })]);
		expect(reads(CAROL_EXTERNAL).map((r) => r.status)).toEqual([200, 200]);
		clock.advance(MINUTE);
		expect(await trigger.poll()).toBeNull();
		expect(pod.sim.requestsTo('/pod/v2/sessioninfo')).toHaveLength(durable ? 2 : 1);
	});

	test('after an n8n restart nothing is emitted twice, a change made while n8n was down is emitted once, and lost writes cost only requests', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, CAROL_EXTERNAL], { options: { emitOnStart: true } }));
		// Each emits, so n8n saves the static data: Alice at activation, Carol at her first reading.
		expect(json(await trigger.poll())).toEqual([expect.objectContaining({ userId: ALICE })]);
		clock.advance(MINUTE);
		expect(json(await trigger.poll())).toEqual([expect.objectContaining({ userId: CAROL_EXTERNAL })]);
		clock.advance(5 * MINUTE);
		expect(await trigger.poll()).toBeNull(); // reads Carol again: saved only where n8n saves every poll
		clock.advance(MINUTE);
		pod.sim.setPresence(ALICE, 'AWAY');
		trigger.restart();
		expect(json(await trigger.poll())).toEqual([expect.objectContaining({ userId: ALICE, previousStatus: 'AVAILABLE', status: 'AWAY' })]);
		for (let minute = 8; minute <= 13; minute++) {
			clock.advance(MINUTE);
			expect(await trigger.poll()).toBeNull();
		}
		// The in-memory poller's copy was saved at minute 1: after the restart Carol is read again at
		// once, the pod refuses it (429) as read at minute 6, and she is read 5 minutes later. With
		// durable cursors nothing was lost.
		expect(reads(CAROL_EXTERNAL).map((r) => [minutesOf([r.at])[0], r.status])).toEqual(
			mode === 'activation'
				? [[1, 200], [6, 200], [7, 429], [12, 200]]
				: [[1, 200], [6, 200], [11, 200]],
		);
		expect(pod.sim.requests.filter((r) => r.status !== 200 && !r.path.startsWith(`/pod/v3/user/${CAROL_EXTERNAL}/`))).toEqual([]);
	});

	test('another credential starts over: a new baseline, the caller asked again, interest registered again', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, CAROL_EXTERNAL]));
		await trigger.poll();
		clock.advance(5 * MINUTE);
		pod.sim.setPresence(ALICE, 'AWAY');
		trigger.node.credentials = { symphonyApi: { id: 'other', name: 'Another credential' } };
		trigger.activate();
		expect(await trigger.poll()).toBeNull();
		expect(pod.sim.requestsTo('/pod/v2/sessioninfo')).toHaveLength(2);
		expect(registrations()).toHaveLength(2);
		expect(trigger.staticData()).toMatchObject({ scope: 'symphonyApi:other', users: { [ALICE]: { status: 'AWAY' } } });
	});

	test('a poll that cannot read everyone within its budget stops, emits what it saw, and the next polls go on round-robin', async () => {
		const colleagues = Array.from({ length: 40 }, (_, i) => String(7215545060000n + BigInt(i)));
		for (const id of colleagues) pod.sim.addUser({ id, username: `colleague${id}`, presence: 'AVAILABLE' });
		pod.sim.latencyMs = { presence: 50 };
		// The budget is real time: reads start during 3/4 of it (300 ms); at 50 per second 40 reads take 0.8 s.
		clock.restore();
		trigger = createPollingTrigger(pod.harness, watch(colleagues, { options: { requestsPerSecond: 50 } }), { pollBudgetMs: 400 });
		const readingOrderOfPoll: string[][] = [];
		let seen = 0;
		const readIds = () => pod.sim.requestsTo('/pod/v3/user/').filter((r) => r.path.endsWith('/presence')).map((r) => r.path.split('/')[4]);
		const emitted: IDataObject[] = [];
		// Under the durable scheduler the poll at activation keeps nothing, where it stopped included.
		if (durable) {
			await trigger.poll();
			seen = readIds().length;
		}
		for (let poll = 0; readingOrderOfPoll.flat().length < 2 * colleagues.length; poll++) {
			if (poll === 1) pod.sim.setPresence(colleagues[0], 'BUSY');
			emitted.push(...(json(await trigger.poll()) ?? []));
			readingOrderOfPoll.push(readIds().slice(seen));
			seen = readIds().length;
			// A guard, not a claim: ends the loop should polls stop reading.
			expect(poll).toBeLessThan(40);
		}
		// How many reads fit in the real-time budget varies with the machine's load, so bounds are the
		// claim: the first poll stopped short of everyone, and every poll read at least the first user,
		// who is read whatever the budget.
		expect(readingOrderOfPoll[0].length).toBeLessThan(colleagues.length);
		expect(readingOrderOfPoll.every((ids) => ids.length >= 1)).toBe(true);
		// Round-robin: everyone is read once before anyone is read twice.
		const all = readingOrderOfPoll.flat();
		expect(new Set(all.slice(0, colleagues.length)).size).toBe(colleagues.length);
		expect(new Set(all.slice(colleagues.length, 2 * colleagues.length)).size).toBe(colleagues.length);
		expect(trigger.staticData().readFrom).toBe(colleagues[all.length % colleagues.length]);
		// The first user's change came out once, at the poll that read it again.
		expect(emitted).toEqual([expect.objectContaining({ userId: colleagues[0], previousStatus: 'AVAILABLE', status: 'BUSY' })]);
	});

	test('reads go side by side up to what the pace fills (pace × 250 ms), in the reading order', async () => {
		const colleagues = Array.from({ length: 30 }, (_, i) => String(7215545060000n + BigInt(i)));
		for (const id of colleagues) pod.sim.addUser({ id, username: `colleague${id}`, presence: 'AVAILABLE' });
		// Reads answered after 500 ms, sent 25 ms apart: at 40 per second 10 may be out at once.
		pod.sim.latencyMs = { presence: 500 };
		trigger = createPollingTrigger(pod.harness, watch(colleagues, { options: { requestsPerSecond: 40 } }));
		await trigger.poll();
		const reads = pod.sim.requestsTo('/pod/v3/user/').filter((r) => r.path.endsWith('/presence'));
		// Everyone once, in the reading order (the budget test above shows it going round).
		expect(reads.map((r) => r.path.split('/')[4])).toEqual(colleagues);
		// More than the former 5 at once, never more than the pace's bound (inFlightForPace(40) = 10).
		expect(pod.sim.peakInFlight).toBeGreaterThan(5);
		expect(pod.sim.peakInFlight).toBeLessThanOrEqual(10);
	});

	test('when the credential may not read its session (403), every user is handled as external: registered and read every 5 minutes', async () => {
		pod.sim.fault({ path: '/pod/v2/sessioninfo', status: 403, times: Infinity });
		trigger = createPollingTrigger(pod.harness, watch([ALICE, CAROL_EXTERNAL]));
		for (let minute = 0; minute <= 12; minute++) {
			await trigger.poll();
			clock.advance(MINUTE);
		}
		// Registered by each poll that starts watching (twice under the durable scheduler, which keeps
		// nothing of the poll at activation), read from the poll after, every 5 minutes.
		expect(registrations().map((r) => r.body)).toEqual(Array(durable ? 2 : 1).fill(`[${ALICE},${CAROL_EXTERNAL}]`));
		const readMinutes = durable ? [2, 7, 12] : [1, 6, 11];
		expect(minutesOf(reads(ALICE).map((r) => r.at))).toEqual(readMinutes);
		expect(minutesOf(reads(CAROL_EXTERNAL).map((r) => r.at))).toEqual(readMinutes);
		expect(trigger.staticData()).toMatchObject({ callerTenant: '' });
	});

	test('an external read refused with 429 (another client read the user) waits 5 more minutes without an error', async () => {
		trigger = createPollingTrigger(pod.harness, watch([CAROL_EXTERNAL]));
		await trigger.poll();
		clock.advance(MINUTE);
		// Another client reads Carol a moment before the trigger's first reading.
		pod.sim.lastExternalQuery.set(`${BOT}:${CAROL_EXTERNAL}`, clock.now());
		for (let minute = 1; minute <= 12; minute++) {
			expect(await trigger.poll()).toBeNull();
			clock.advance(MINUTE);
		}
		expect(reads(CAROL_EXTERNAL).map((r) => [minutesOf([r.at])[0], r.status])).toEqual(
			durable
				? [[2, 429], [7, 200], [12, 200]]
				: [[1, 429], [6, 200], [11, 200]],
		);
	});

	test('manual mode ("Fetch test event") returns every watched user\'s current status and leaves the state alone', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, CAROL_EXTERNAL, UNKNOWN_COLLEAGUE]));
		const items = json(await trigger.fetchTestEvent());
		expect(items).toEqual([
			{ userId: ALICE, status: 'AVAILABLE', previousStatus: null, changedAt: '2026-03-02T09:00:00.000Z', timestamp: clock.now() },
			{ userId: CAROL_EXTERNAL, status: 'BUSY', previousStatus: null, changedAt: '2026-03-02T09:00:00.000Z', timestamp: clock.now() },
			expect.objectContaining({
				userId: UNKNOWN_COLLEAGUE,
				status: null,
				error: `Not found while reading the presence of user ${UNKNOWN_COLLEAGUE} (404)`,
				description: expect.stringMatching(/Check the user ID/),
			}),
		]);
		expect(trigger.staticData()).toEqual({});
		expect(trigger.savedStaticData()).toEqual({});
		// The activation that follows still starts with a baseline: only the problem comes out.
		expect(json(await trigger.poll())).toEqual([expect.objectContaining({ userId: UNKNOWN_COLLEAGUE, error: expect.any(String) })]);
	});

	test('manual mode keeps to the 5-minute rule of an active trigger: a user it read just now comes from its last reading', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, CAROL_EXTERNAL], { options: { emitOnStart: true } }));
		await trigger.poll();
		clock.advance(MINUTE);
		await trigger.poll(); // Carol's first reading
		clock.advance(MINUTE);
		const items = json(await trigger.fetchTestEvent());
		expect(items).toEqual([
			expect.objectContaining({ userId: ALICE, status: 'AVAILABLE' }),
			{ userId: CAROL_EXTERNAL, status: 'BUSY', previousStatus: null, changedAt: null, timestamp: null },
		]);
		expect(reads(CAROL_EXTERNAL)).toHaveLength(1);
	});

	test('unknown, unregistrable and unconnected users are each reported once, visibly, while the others are watched', async () => {
		trigger = createPollingTrigger(
			pod.harness,
			watch([ALICE, UNKNOWN_COLLEAGUE, UNKNOWN_EXTERNAL, ERIN_NOT_CONNECTED, CAROL_EXTERNAL]),
		);
		const first = json(await trigger.poll());
		expect(first).toEqual([
			expect.objectContaining({
				userId: UNKNOWN_COLLEAGUE,
				status: null,
				error: `Not found while reading the presence of user ${UNKNOWN_COLLEAGUE} (404)`,
			}),
			expect.objectContaining({
				userId: UNKNOWN_EXTERNAL,
				status: null,
				error: `Not found while registering interest in user ${UNKNOWN_EXTERNAL} (404)`,
			}),
		]);
		// The unknown ID was set aside and the others registered with one more request.
		expect(registrations().map((r) => [r.body, r.status])).toEqual([
			[`[${UNKNOWN_EXTERNAL},${ERIN_NOT_CONNECTED},${CAROL_EXTERNAL}]`, 404],
			[`[${ERIN_NOT_CONNECTED},${CAROL_EXTERNAL}]`, 200],
		]);

		// External users are first read at the next poll: Erin is not connected.
		pod.sim.setPresence(ALICE, 'AWAY');
		for (let minute = 1; minute <= 6; minute++) {
			clock.advance(MINUTE);
			const emitted = json(await trigger.poll());
			expect(emitted).toEqual(
				minute === 1
					? [
							expect.objectContaining({ userId: ALICE, status: 'AWAY' }),
							expect.objectContaining({
								userId: ERIN_NOT_CONNECTED,
								status: null,
								error: `Symphony refused access while reading the presence of user ${ERIN_NOT_CONNECTED} (403 Forbidden)`,
								// The connection status, from one request to the Connection API.
								description: expect.stringMatching(/^You are not connected with user 71811853191697, who is at another firm: .*Connection → Create/),
							}),
						]
					: null,
			);
		}
		// Erin's refusal was explained with one request to the Connection API at each read (minutes 1 and 6).
		expect(pod.sim.requestsTo('/pod/v1/connection/').map((r) => r.path)).toEqual(Array(2).fill(`/pod/v1/connection/user/${ERIN_NOT_CONNECTED}/info`));
		// The refused user is not sent again before the next renewal.
		expect(registrations()).toHaveLength(2);
	});

	test('with Report Unreadable Users off, problems are only logged', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, UNKNOWN_COLLEAGUE], { options: { reportUnreadable: false } }));
		expect(await trigger.poll()).toBeNull();
		expect(trigger.staticData()).toMatchObject({ users: { [UNKNOWN_COLLEAGUE]: { problem: expect.stringMatching(/404/) } } });
	});

	test('a failure of the credential or the pod fails the poll; the changes it saw are emitted by the next good poll', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, BOB]));
		await startWatching();
		const sessions = new Map(pod.sim.sessions);
		pod.sim.setPresence(ALICE, 'AWAY');
		pod.sim.fault({ path: `/pod/v3/user/${BOB}/presence`, status: 503, times: 3 });
		clock.advance(MINUTE);
		const failed = await trigger.poll().then(
			() => undefined,
			(error: unknown) => error,
		);
		expect((failed as Error).message).toMatch(/internal problem while reading the presence of user 7215545058314 \(503\) after 3 attempts/);

		pod.sim.sessions.clear();
		clock.advance(MINUTE);
		const unauthorized = await trigger.poll().then(
			() => undefined,
			(error: unknown) => error,
		);
		expect((unauthorized as Error).message).toMatch(/session token is invalid or has expired \(401\)/);
		expectNoSecrets([failed, unauthorized], [SECRET_TOKEN]);

		for (const [token, session] of sessions) pod.sim.sessions.set(token, session);
		clock.advance(MINUTE);
		expect(json(await trigger.poll())).toEqual([expect.objectContaining({ userId: ALICE, previousStatus: 'AVAILABLE', status: 'AWAY' })]);
	});

	describe('users named by email or username', () => {
		const lookups = () => pod.sim.requestsTo('/pod/v3/users', 'GET');

		test('are looked up once, in one request, and the items carry the name given', async () => {
			trigger = createPollingTrigger(
				pod.harness,
				watch([], { identifyBy: 'email', userIds: undefined, emails: 'Alice@Acme.example, carol@globex.example' }),
			);
			expect(await startWatching()).toBeNull();
			// Looked up in one request by each poll that starts watching (the durable scheduler keeps
			// nothing of the poll at activation).
			expect(lookups().map((r) => r.query)).toEqual(
				Array(durable ? 2 : 1).fill({ email: 'alice@acme.example,carol@globex.example', local: 'false' }),
			);
			// Carol is at another firm: registered for by her ID.
			expect(registrations().map((r) => r.body)).toEqual(Array(durable ? 2 : 1).fill(`[${CAROL_EXTERNAL}]`));

			clock.advance(30_000);
			pod.sim.setPresence(ALICE, 'AWAY');
			pod.sim.setPresence(CAROL_EXTERNAL, 'AVAILABLE');
			clock.advance(30_000);
			const emitted: IDataObject[] = [];
			for (let minute = 1; minute <= 5; minute++) {
				emitted.push(...(json(await trigger.poll()) ?? []));
				clock.advance(MINUTE);
			}
			// Carol changed before her first reading: it comes out with it, the status before unknown.
			expect(emitted).toEqual([
				expect.objectContaining({ userId: ALICE, email: 'alice@acme.example', previousStatus: 'AVAILABLE', status: 'AWAY' }),
				expect.objectContaining({ userId: CAROL_EXTERNAL, email: 'carol@globex.example', previousStatus: null, status: 'AVAILABLE' }),
			]);
			const lookupsWhileWatching = lookups().length;

			trigger.activate();
			await trigger.poll();
			expect(lookups()).toHaveLength(lookupsWhileWatching);
		});

		test('a name that matches nobody is reported once and looked up again at each poll; the others are watched', async () => {
			trigger = createPollingTrigger(pod.harness, watch([], { identifyBy: 'username', userIds: undefined, usernames: 'alice, nobody.here' }));
			expect(json(await trigger.poll())).toEqual([
				{
					userId: null,
					username: 'nobody.here',
					status: null,
					previousStatus: null,
					changedAt: '2026-03-02T09:00:00.000Z',
					timestamp: null,
					error: expect.stringMatching(/^Username: "nobody.here" matches no Symphony user/),
					description: expect.stringMatching(/Check the spelling/),
				},
			]);
			pod.sim.setPresence(ALICE, 'BUSY');
			clock.advance(MINUTE);
			expect(json(await trigger.poll())).toEqual([expect.objectContaining({ userId: ALICE, username: 'alice', status: 'BUSY' })]);
			expect(lookups().map((r) => r.query.username)).toEqual(['alice,nobody.here', 'nobody.here']);

			// Found later (e.g. once connected): watched from then on, starting with a baseline.
			pod.sim.addUser({ id: '7215545058399', username: 'nobody.here', presence: 'AWAY' });
			clock.advance(MINUTE);
			expect(await trigger.poll()).toBeNull();
			expect(trigger.staticData()).toMatchObject({ users: { '7215545058399': { status: 'AWAY' } } });
			expect(trigger.staticData().unresolved).toBeUndefined();
		});

		test('manual mode returns the users with the name given', async () => {
			trigger = createPollingTrigger(pod.harness, watch([], { identifyBy: 'email', userIds: undefined, emails: 'bob@acme.example, ghost@acme.example' }));
			expect(json(await trigger.fetchTestEvent())).toEqual([
				expect.objectContaining({ userId: null, email: 'ghost@acme.example', error: expect.stringMatching(/matches no Symphony user/) }),
				expect.objectContaining({ userId: BOB, email: 'bob@acme.example', status: 'ON_THE_PHONE' }),
			]);
			expect(trigger.staticData()).toEqual({});
		});

		test('a lookup the pod refuses (403) fails the poll with a message that says why', async () => {
			pod.sim.fault({ path: '/pod/v3/users', status: 403 });
			trigger = createPollingTrigger(pod.harness, watch([], { identifyBy: 'email', userIds: undefined, emails: 'bob@acme.example' }));
			await expect(trigger.poll()).rejects.toThrow(/refused access while looking up the user with email bob@acme.example \(403/);
		});
	});

	test.each<[string, IDataObject, RegExp]>([
		['no status for Becomes', { triggerOn: 'becomes', statuses: [] }, /^Statuses: \[\] is empty\. Select at least one status/],
		['a status that is not one', { triggerOn: 'leaves', statuses: ['AVAILABLE', 'on the phone'] }, /^Statuses: "ON THE PHONE" is not a Symphony status/],
		['a bad user ID', { userIds: '7215545058313, abc' }, /^Users to Watch: "abc" is not a Symphony user ID/],
		['no user', { userIds: '' }, /^Users to Watch: "" holds no user ID/],
		['an ID mapped as a number above 2^53', { userIds: '={{ [7215545058313, 2 ** 60] }}' }, /^Users to Watch: 1152921504606847000 arrived as a number too large .*\. Converting it to text now cannot bring them back\. Make the ID text where the item is produced/],
		['a bad email', { identifyBy: 'email', emails: 'alice@acme.example, bob' }, /^Users to Watch: "bob" is not an email address/],
		['an unknown Identify Users By', { identifyBy: 'phone' }, /^Identify Users By: "phone" is not one of the choices\. Pick ID, Email or Username/],
		[
			'more people than one trigger watches',
			{ userIds: Array.from({ length: 50_001 }, (_, i) => String(7215545100000n + BigInt(i))).join(', ') },
			/^Users to Watch: "50001 IDs" is more than 50000 IDs to watch in one trigger\. Split them across several Presence Trigger workflows/,
		],
	])('a bad parameter (%s) stops activation with a message naming the field, the value and the fix', async (_name, parameters, message) => {
		trigger = createPollingTrigger(pod.harness, { ...watch([ALICE]), ...parameters });
		await expect(trigger.poll()).rejects.toThrow(message);
		expect(pod.sim.requests).toEqual([]);
	});

	test('watches more people than an action node takes in one item: 20,000 IDs are all kept as watched', async () => {
		const many = Array.from({ length: 20_000 }, (_, i) => String(7215545100000n + BigInt(i)));
		// No time to read in: the poll starts watching everyone, reads next to nobody (unknown here) and says where the next one goes on.
		trigger = createPollingTrigger(pod.harness, watch(many), { pollBudgetMs: 0 });
		await trigger.poll();
		const kept = trigger.staticData() as { users: IDataObject; readFrom?: string };
		expect(Object.keys(kept.users)).toHaveLength(20_000);
		expect(many.slice(1)).toContain(kept.readFrom);
	});

	test('no token appears in any item, error or the stored state', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ALICE, UNKNOWN_COLLEAGUE, ERIN_NOT_CONNECTED], { options: { emitOnStart: true } }));
		const results = [await trigger.poll(), await trigger.fetchTestEvent()];
		expectNoSecrets([results, trigger.staticData()], [SECRET_TOKEN]);
	});

	test('Send Connection Requests: a watched person at another firm with no connection gets one request, none while it waits; read once they accept', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ERIN_NOT_CONNECTED, CAROL_EXTERNAL], { options: { requestConnections: true } }));
		const creates = () => pod.sim.requestsTo('/pod/v1/connection/create', 'POST');
		// She is registered for when watching starts and first read at the poll after.
		expect(await startWatching()).toBeNull();
		clock.advance(MINUTE);
		const first = json(await trigger.poll());
		expect(first).toEqual([
			expect.objectContaining({
				userId: ERIN_NOT_CONNECTED,
				status: null,
				description: expect.stringMatching(/^You were not connected with user 71811853191697, who is at another firm, so a connection request was sent to them now/),
			}),
		]);
		expect(creates().map((r) => r.body)).toEqual([`{"userId":${ERIN_NOT_CONNECTED}}`]);

		// 6 minutes on: read again, still refused; the request is waiting, so none is sent and nothing new is reported.
		clock.advance(6 * MINUTE);
		expect(await trigger.poll()).toBeNull();
		expect(reads(ERIN_NOT_CONNECTED)).toHaveLength(2);
		expect(creates()).toHaveLength(1);

		// She accepts: the next read of her succeeds and is her baseline.
		await call(pod.sim, 'POST', `/_sim/users/${ERIN_NOT_CONNECTED}/connection/accept`, `{"userId":${BOT}}`, null);
		clock.advance(6 * MINUTE);
		expect(await trigger.poll()).toBeNull();
		expect(reads(ERIN_NOT_CONNECTED).map((r) => r.status)).toEqual([403, 403, 200]);
		pod.sim.setPresence(ERIN_NOT_CONNECTED, 'BUSY');
		clock.advance(6 * MINUTE);
		expect(json(await trigger.poll())).toEqual([expect.objectContaining({ userId: ERIN_NOT_CONNECTED, status: 'BUSY', previousStatus: 'AVAILABLE' })]);
		expect(creates()).toHaveLength(1);
	});

	test('without Send Connection Requests no request is sent', async () => {
		trigger = createPollingTrigger(pod.harness, watch([ERIN_NOT_CONNECTED]));
		await trigger.poll();
		expect(pod.sim.requestsTo('/pod/v1/connection/create')).toEqual([]);
	});
});

describe.each(POLLING_MODES)('Symphony Presence Trigger: with the RSA key credential (polling mode %s)', (mode) => {
	let rsaPod: RsaPodFixture;
	let clock: TestClock;
	beforeEach(async () => {
		clock = useTestClock('2026-03-02T09:00:00Z');
		rsaPod = await startRsaPod({ now: () => Date.now() });
	});
	afterEach(async () => {
		await rsaPod.sim.close();
		clock.restore();
	});

	test('logs in by itself, logs in again when the session ends, and misses no change over 3 hours of polls', async () => {
		const trigger = createTrigger(rsaPod.harness, { ...watch([ALICE, CAROL_EXTERNAL]), ...RSA }, { credentialType: 'symphonyRsaApi', mode });
		const emitted: IDataObject[] = [];
		for (let minute = 0; minute < 3 * 60; minute++) {
			if (minute % 20 === 10) rsaPod.sim.setPresence(ALICE, minute % 40 === 10 ? 'AWAY' : 'AVAILABLE');
			emitted.push(...(json(await trigger.poll()) ?? []));
			clock.advance(MINUTE);
		}
		// Sessions last an hour: the first login and one after each expiry.
		expect(rsaPod.login.logins('bot')).toBe(3);
		expect(emitted.map((item) => `${item.userId} ${item.status}`)).toEqual(
			Array.from({ length: 9 }, (_, i) => `${ALICE} ${i % 2 === 0 ? 'AWAY' : 'AVAILABLE'}`),
		);
		// Every 5 minutes, never lapsing; a request refused for an ended session (401) is sent again after the login.
		const carolReads = rsaPod.sim.requestsTo(`/pod/v3/user/${CAROL_EXTERNAL}/presence`);
		expect(carolReads.filter((r) => r.status === 200)).toHaveLength(36);
		const refused = rsaPod.sim.requests.filter((r) => r.status !== 200);
		expect(refused.length).toBeGreaterThan(0);
		for (const request of refused) {
			expect(request.status).toBe(401);
			expect(rsaPod.sim.requests.find((r) => r.at >= request.at && r.path === request.path && r.status === 200)).toBeDefined();
		}
		expectNoSecrets([emitted, trigger.staticData()], rsaPod.secrets());
	});
});
