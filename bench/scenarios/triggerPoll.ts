import { createPollingTrigger } from '../../test/harness/poll';
import { advanceClock } from '../clock';
import { externalUsers, internalUsers, userIds } from '../fixtures';
import { benchHarness, runJobOnPod, startBenchPod, type Job, type JobPhase } from '../job';
import { formatMs, type Row, type Scenario, type ScenarioReport } from '../report';
import { measurePoll, pollRow, requestsDuring, watchParameters } from '../triggerPolls';

/**
 * Scenario 4: polls of the Symphony Presence Trigger watching 500 users, through n8n-core's
 * PollContext (the harness's polling trigger), at 20 ms latency: requests and time per poll.
 * Half the users are colleagues on the bot's pod, half work at another firm: those are registered
 * for once per hour and read at most once per 5 minutes, so polls differ. The pod enforces the
 * 5-minute rule; simulated minutes pass between polls on both sides.
 */

const WATCHED = 500;
const LATENCY_MS = 20;
/** The trigger's reads in flight at once (trigger/pollRequests.ts). */
const READ_CONCURRENCY = 5;
const MINUTE = 60_000;

const internalIds = () => userIds(WATCHED / 2);
/** Users of another firm: their IDs carry another tenant (pod) than the bot's. */
const externalIds = () => userIds(WATCHED / 2, 14568529100000n);

/** The polls measured, one after the other on one activation, with the simulated time before each. */
const POLLS: Array<{ name: string; after: number }> = [
	{ name: 'first poll (activation)', after: 0 },
	{ name: 'poll 1 min later', after: MINUTE },
	{ name: 'poll 5 min after activation', after: 4 * MINUTE },
];

export const jobs: Record<string, Job> = {
	'triggerPoll.package': {
		async warmUp({ podUrl }) {
			const warmUp = createPollingTrigger(benchHarness(podUrl), watchParameters([...internalIds().slice(0, 5), ...externalIds().slice(0, 5)]));
			await warmUp.poll();
		},
		async run({ podUrl }) {
			const trigger = createPollingTrigger(benchHarness(podUrl), watchParameters([...internalIds(), ...externalIds()]));
			const phases: JobPhase[] = [];
			for (const { name, after } of POLLS) {
				if (after > 0) await advanceClock(after);
				phases.push(await measurePoll(trigger, name));
			}
			return { wallMs: phases[0].wallMs, peakHeapAddedBytes: Math.max(...phases.map((p) => p.peakHeapAddedBytes)), phases };
		},
	},
};

export const scenario: Scenario = {
	id: '4',
	title: 'Trigger poll over 500 watched users (250 colleagues, 250 at another firm), 20 ms latency',
	async run(): Promise<ScenarioReport> {
		const sim = await startBenchPod([...internalUsers(internalIds()), ...externalUsers(externalIds())], LATENCY_MS);
		try {
			const { result, requests } = await runJobOnPod(sim, 'triggerPoll.package', {});
			const rows: Row[] = [];
			const notes: string[] = [];
			for (const phase of result.phases ?? []) {
				const { sent, reads } = requestsDuring(phase, requests);
				const registers = sent.filter((r) => r.path === '/pod/v1/user/presence/register').length;
				const others = sent.length - reads - registers;
				const refused = sent.filter((r) => r.status === 429).length;
				// Calls in sequence: one round trip per other call and per register, reads 5 at a time.
				const roundTrips = others + registers + Math.ceil(reads / READ_CONCURRENCY);
				const limitMs = roundTrips * LATENCY_MS;
				rows.push(pollRow(phase, WATCHED, sent.length, limitMs));
				notes.push(
					`${phase.name}: ${reads} presence reads, ${registers} register request${registers === 1 ? '' : 's'}, ${others} session-info call${others === 1 ? '' : 's'}, ${refused} answered 429; ${phase.outputItems} items emitted. Physical limit ${roundTrips} round trips × ${LATENCY_MS} ms = ${formatMs(limitMs)} (reads ${READ_CONCURRENCY} at a time, as the trigger reads).`,
				);
			}
			notes.push(
				'No presence changes between polls, so the polls emit nothing: this measures the cost of watching. The pod enforced the one-read-per-5-minutes rule for the external users throughout (any breach would show as 429 above).',
				'No baseline: without the trigger, the same watch takes a Schedule Trigger, per-user HTTP requests, a comparison with the last run kept somewhere and hourly re-registration, built by hand.',
			);
			return { id: '4', label: 'Trigger poll', title: this.title, rows, notes, targets: [] };
		} finally {
			await sim.close();
		}
	},
};
