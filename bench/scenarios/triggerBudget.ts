import type { IDataObject } from 'n8n-workflow';

import { createPollingTrigger } from '../../test/harness/poll';
import { internalUsers, userIds } from '../fixtures';
import { benchHarness, runJobOnPod, startBenchPod, type Job, type JobPhase } from '../job';
import { formatMs, type Row, type Scenario, type ScenarioReport } from '../report';
import { measurePoll, pollRow, requestsDuring, watchParameters } from '../triggerPolls';

/**
 * Scenario 4b: the Presence Trigger watching 5,000 colleagues at 100 ms latency, polled with the
 * budget n8n 2.41's durable scheduler gives by default (getPollBudgetMs(): the 45 s poll timeout
 * less its margin, 36 s). Reading everyone takes 5,000 × 100 ms ÷ 5 reads in flight = 100 s, more
 * than one poll may take: each poll starts reads during 3/4 of its budget (27 s, about 1,350
 * reads), and the next poll goes on where it stopped. Polls run until every user has been read
 * once. Colleagues are read at every poll that reaches them (no 5-minute rule): the worst case.
 */

const WATCHED = 5000;
const LATENCY_MS = 100;
/** What n8n 2.41 tells a poll by default: 45 s timeout − max(20 %, 5 s) margin. */
const POLL_BUDGET_MS = 36_000;
/** n8n abandons a poll after this (`N8N_SCHEDULER_POLL_TIMEOUT`). */
const POLL_TIMEOUT_MS = 45_000;
/** The bound stated for this case: ceil(5,000 / 1,350) = 4 polls, and one more for a slow machine. */
const STATED_POLLS = 5;
const MAX_POLLS = 12;

function readUsers(staticData: IDataObject): number {
	const users = (staticData.users ?? {}) as Record<string, { readAt?: number }>;
	return Object.values(users).filter((user) => user.readAt !== undefined).length;
}

export const jobs: Record<string, Job> = {
	'triggerBudget.package': {
		async warmUp({ podUrl }) {
			await createPollingTrigger(benchHarness(podUrl), watchParameters(userIds(5)), { pollBudgetMs: POLL_BUDGET_MS }).poll();
		},
		async run({ podUrl }) {
			const trigger = createPollingTrigger(benchHarness(podUrl), watchParameters(userIds(WATCHED)), { pollBudgetMs: POLL_BUDGET_MS });
			const phases: JobPhase[] = [];
			while (phases.length < MAX_POLLS && readUsers(trigger.staticData()) < WATCHED) {
				phases.push(await measurePoll(trigger, `poll ${phases.length + 1}`));
			}
			return {
				wallMs: Math.max(...phases.map((p) => p.wallMs)),
				peakHeapAddedBytes: Math.max(...phases.map((p) => p.peakHeapAddedBytes)),
				phases,
				extra: { usersRead: readUsers(trigger.staticData()) },
			};
		},
	},
};

export const scenario: Scenario = {
	id: '4b',
	title: `Trigger polls over ${WATCHED.toLocaleString('en-US')} watched colleagues, ${LATENCY_MS} ms latency, ${POLL_BUDGET_MS / 1000} s poll budget`,
	async run(): Promise<ScenarioReport> {
		const sim = await startBenchPod(internalUsers(userIds(WATCHED)), LATENCY_MS);
		try {
			const { result, requests } = await runJobOnPod(sim, 'triggerBudget.package', {});
			const phases = result.phases ?? [];
			const rows: Row[] = [];
			const notes: string[] = [];
			for (const phase of phases) {
				const { sent, reads } = requestsDuring(phase, requests);
				rows.push(pollRow(phase, WATCHED, sent.length, POLL_BUDGET_MS));
				notes.push(`${phase.name}: ${reads} presence reads, ${sent.length - reads} other requests, ${formatMs(phase.wallMs)} of the ${formatMs(POLL_BUDGET_MS)} budget.`);
			}
			notes.push('The ratio column is the poll\'s wall time over its budget: n8n abandons a poll past 1.');
			const longest = Math.max(...phases.map((p) => p.wallMs));
			const everyoneRead = Number(result.extra?.usersRead ?? 0) >= WATCHED;
			return {
				id: '4b',
				label: 'Trigger budget',
				title: this.title,
				rows,
				notes,
				targets: [
					{ target: `no poll over its ${POLL_BUDGET_MS / 1000} s budget (n8n abandons polls at ${POLL_TIMEOUT_MS / 1000} s)`, actual: `longest poll ${formatMs(longest)}`, met: longest < POLL_BUDGET_MS },
					{
						target: `every user read within ${STATED_POLLS} polls`,
						actual: everyoneRead ? `all ${WATCHED} read after ${phases.length} polls` : `${result.extra?.usersRead} of ${WATCHED} read after ${phases.length} polls`,
						met: everyoneRead && phases.length <= STATED_POLLS,
					},
				],
			};
		} finally {
			await sim.close();
		}
	},
};
