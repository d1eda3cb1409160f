/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports -- development code: runs in Node, never packed */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { MAX_PRESENCE_PAGE_SIZE } from '../../nodes/Symphony/api/presence';
import { ADAPTIVE_CEILING_PER_SECOND } from '../../nodes/Symphony/transport/pacing';
import { MAX_READING_MS, READING_SHARE_OF_BUDGET } from '../../nodes/Symphony/trigger/presenceState';
import { N8n, ownerSession, rest, waitFor, type StartedN8n } from '../../test/e2e/n8n';
import { buildAndPack } from '../../test/e2e/pack';
import { ensureRuntime, N8N_VERSION, type Runtime } from '../../test/e2e/runtime';
import { DURABLE_SCHEDULER_ENV } from '../../test/e2e/schedulers';
import { chain, symphonyNode, type CredentialRef, type Workflow } from '../../test/e2e/workflows';
import { PRESENCE_PRIVILEGE, USER_PROVISIONING, startSimulator, type LoggedRequest, type PodSimulator } from '../../test/simulator';
import { BENCH_CALLER_ID, BENCH_TOKEN, POD_THROTTLE_PER_SECOND, externalUsers, internalUsers, userIds } from '../fixtures';
import { median } from '../measure';
import { formatMs, type Row, type Scenario, type ScenarioReport, type TargetCheck } from '../report';
import { executeToFile } from './realN8n';

/**
 * Scenario p: the Presence Trigger's change latency inside n8n 2.41.1 under its durable scheduler
 * (a new poll context per poll, state as a durable cursor in the database), polling every minute.
 * The pod is at 100 ms and throttles at 400 requests per second; it holds 20,000 colleagues and
 * 500 people at another firm. Per size (1,000, 5,000, 20,000 watched colleagues, plus the 500
 * external users), a fresh n8n is started with one published workflow: the trigger, Any Change.
 * Once the first scheduled poll has started watching, the pod changes the status of random watched
 * colleagues at a steady rate (each user at most once, so every change must come out exactly once);
 * then the run waits for the polls the goal allows. Each emitted item names its user, status and
 * the pod's timestamp of the change, so every change is matched to the execution carrying it.
 *
 * Latency: from the change at the pod to the execution's startedAt in n8n. Polls waited: how many
 * polls started (first request at the pod) after the change, up to the execution carrying it; 1 is
 * the next poll, 0 the poll under way (it read the user after the change). The pod's log gives
 * requests per poll and 429s.
 *
 * At the end, the pod-wide presence list (Presence → Get Many, Return All, pages of 5,000) is read
 * once over the same pod with `n8n execute`: requests and node time against the trigger's per-user
 * reads of 20,000 colleagues.
 */

const LATENCY_MS = 100;
const EXTERNALS = 500;
const SIZES = [1000, 5000, 20_000];
const POOL = Math.max(...SIZES);
const FIRST_COLLEAGUE = 7215545100000n;
const FIRST_EXTERNAL = 14568529100000n;
const POLL_INTERVAL_MS = 60_000;
/** n8n 2.41's default poll budget: its 45 s poll timeout less the margin it keeps (max(20 %, 5 s)). */
const POLL_BUDGET_MS = 36_000;
/** The part of the budget the trigger starts reads in (presenceState.ts readingDeadline). */
const READING_WINDOW_MS = Math.min(POLL_BUDGET_MS * READING_SHARE_OF_BUDGET, MAX_READING_MS);
/** Changes per second at the pod, while changes are made. */
const CHANGES_PER_SECOND = 2;
/** How long changes are made, per size: two poll intervals (a few polls; the run is minutes per poll). */
const CHANGE_WINDOW_MS = 2 * POLL_INTERVAL_MS;
/** Requests further apart than this belong to different polls (polls are a minute apart, reading ≤ 27 s). */
const POLL_GAP_MS = 10_000;
/** Statuses the pod changes to (OFFLINE left out: Symphony gives it the query time as its timestamp). */
const STATUSES = ['AVAILABLE', 'BUSY', 'AWAY', 'IN_A_MEETING', 'ON_THE_PHONE'];

const CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'benchLatency', name: 'Symphony (bench pod)' };
const TRIGGER_NAME = 'Presence Trigger';
const WORKFLOW_ID = 'benchPresenceLatency';
const LIST_WORKFLOW_ID = 'benchPresenceList';

/** The goal in polls: 5,000 and fewer within one; more within ⌈N ÷ (0.9 × pace × reading window)⌉. */
export function pollsAllowed(watched: number): number {
	if (watched <= 5000) return 1;
	return Math.ceil(watched / (0.9 * ADAPTIVE_CEILING_PER_SECOND * (READING_WINDOW_MS / 1000)));
}

function percentile(values: readonly number[], p: number): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A fixed sequence (linear congruential): the same changes on every run. */
function sequence(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

interface Change {
	userId: string;
	status: string;
	at: number;
}

interface Poll {
	startAt: number;
	endAt: number;
	requests: number;
	reads: number;
	tooMany: number;
}

const SESSION_INFO = '/pod/v2/sessioninfo';

/**
 * The pod's requests grouped into polls: requests more than POLL_GAP_MS apart belong to different
 * polls, and a session-info request starts one. The poll at activation and the first scheduled poll
 * each start with it (the durable scheduler kept nothing of the first), and may overlap when the
 * poll at activation comes late in its minute.
 */
function pollsOf(requests: readonly LoggedRequest[]): Poll[] {
	const polls: Poll[] = [];
	for (const request of requests) {
		const last = polls[polls.length - 1];
		if (!last || request.at - last.endAt > POLL_GAP_MS || request.path === SESSION_INFO) {
			polls.push({ startAt: request.at, endAt: request.at, requests: 0, reads: 0, tooMany: 0 });
		}
		const poll = polls[polls.length - 1];
		poll.endAt = request.at;
		poll.requests++;
		if (request.method === 'GET' && request.path.endsWith('/presence')) poll.reads++;
		if (request.status === 429) poll.tooMany++;
	}
	return polls;
}

interface SizeRun {
	watched: number;
	changes: number;
	latencies: number[];
	pollsWaited: number[];
	lost: number;
	duplicated: number;
	/** Items for users whose status the pod did not change. */
	spurious: number;
	executions: number;
	/** The polls from the first scheduled one on (the poll at activation left out). */
	polls: Poll[];
	tooMany: number;
	failure?: string;
}

function triggerWorkflow(watched: number): Workflow {
	const ids = [...userIds(watched, FIRST_COLLEAGUE), ...userIds(EXTERNALS, FIRST_EXTERNAL)];
	const workflow = chain(WORKFLOW_ID, `Bench presence latency ${watched}`, [
		{ name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
	]);
	workflow.nodes[0] = {
		id: `${WORKFLOW_ID}-trigger`,
		name: TRIGGER_NAME,
		type: 'n8n-nodes-symphony.symphonyPresenceTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, identifyBy: 'id', userIds: ids.join(', '), triggerOn: 'anyChange', options: {} },
		credentials: { [CREDENTIAL.type]: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
	};
	workflow.connections = { [TRIGGER_NAME]: workflow.connections['Manual Trigger'] };
	return workflow;
}

function listWorkflow(): Workflow {
	return chain(LIST_WORKFLOW_ID, 'Bench presence list', [
		symphonyNode('Get Many', { operation: 'getMany', returnAll: true, options: { pageSize: MAX_PRESENCE_PAGE_SIZE } }, CREDENTIAL),
	]);
}

interface ExecutionSummary {
	id: string;
	status: string;
	startedAt: string;
}

/** Every execution of the workflow, with the items its trigger emitted. */
async function executionsWithItems(
	runtime: Runtime,
	started: StartedN8n,
	cookie: string,
): Promise<Array<{ startedAt: number; status: string; items: Array<Record<string, unknown>> }>> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }));
	const { data } = await rest<{ results: ExecutionSummary[] }>(started.url, 'GET', `executions?filter=${filter}&limit=100`, { cookie });
	const { parse } = require(path.join(runtime.n8nDir, 'node_modules', 'flatted')) as { parse: (text: string) => unknown };
	const out = [];
	for (const summary of data.results) {
		const { data: details } = await rest<{ data: string }>(started.url, 'GET', `executions/${summary.id}`, { cookie });
		const run = parse(details.data) as { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>> } };
		const items = (run.resultData.runData[TRIGGER_NAME]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
		out.push({ startedAt: Date.parse(summary.startedAt), status: summary.status, items });
	}
	return out;
}

async function runSize(runtime: Runtime, tarball: string, sim: PodSimulator, watched: number, log: (m: string) => void): Promise<SizeRun> {
	const n8n = new N8n(runtime);
	let started: StartedN8n | undefined;
	sim.clearLog();
	sim.interest.clear();
	sim.lastExternalQuery.clear();
	try {
		n8n.installPackage(tarball);
		await n8n.importCredentials([{ ...CREDENTIAL, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: BENCH_TOKEN } }]);
		await n8n.importWorkflow(triggerWorkflow(watched));
		await n8n.activateWorkflow(WORKFLOW_ID);
		started = await n8n.start({ env: DURABLE_SCHEDULER_ENV });
		const cookie = await ownerSession(started.url);
		log(`${watched.toLocaleString('en-US')} watched: n8n started; waiting for the poll at activation and the first scheduled poll`);

		// The first scheduled poll starts watching (the durable scheduler kept nothing of the poll at
		// activation); changes start once it has begun, so each is after its watchedSince.
		await waitFor('the poll at activation', 120_000, () => (sim.requests.length > 0 ? true : undefined));
		const firstScheduled = await waitFor('the first scheduled poll', 150_000, () => pollsOf(sim.requests)[1]);
		await new Promise((resolve) => setTimeout(resolve, 1000));

		const random = sequence(watched);
		const pool = userIds(watched, FIRST_COLLEAGUE);
		const changes: Change[] = [];
		const changeCount = Math.round((CHANGE_WINDOW_MS / 1000) * CHANGES_PER_SECOND);
		const changesStart = Date.now();
		log(`  first scheduled poll at ${new Date(firstScheduled.startAt).toISOString()}; ${changeCount} changes over ${CHANGE_WINDOW_MS / 1000} s`);
		for (let i = 0; i < changeCount; i++) {
			const wait = changesStart + (i * 1000) / CHANGES_PER_SECOND - Date.now();
			if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
			// Each user once: a second change before the first was read would hide the first.
			const index = Math.floor(random() * pool.length);
			const userId = pool[index];
			pool[index] = pool[pool.length - 1];
			pool.pop();
			const current = sim.users.get(userId)!.presence;
			const choices = STATUSES.filter((s) => s !== current);
			const status = choices[Math.floor(random() * choices.length)];
			sim.setPresence(userId, status);
			changes.push({ userId, status, at: sim.users.get(userId)!.presenceSince! });
		}
		const lastChangeAt = changes[changes.length - 1].at;

		// Wait for the polls the goal allows after the last change, and at least two (a duplicate would show at the second).
		const settlePolls = Math.max(2, pollsAllowed(watched));
		log(`  changes done; waiting for ${settlePolls} more polls`);
		await waitFor(`${settlePolls} polls after the last change`, (settlePolls + 1) * POLL_INTERVAL_MS + 60_000, () => {
			const after = pollsOf(sim.requests).filter((p) => p.startAt > lastChangeAt);
			// The last of them has finished: no request for a while.
			return after.length >= settlePolls && Date.now() - after[after.length - 1].endAt > POLL_GAP_MS ? true : undefined;
		});
		await new Promise((resolve) => setTimeout(resolve, 5000));

		const executions = await executionsWithItems(runtime, started, cookie);
		// The raw figures, to look into a result the summary does not explain.
		const raw = path.join(os.tmpdir(), `bench-presence-latency-${watched}.json`);
		fs.writeFileSync(raw, JSON.stringify({ changes, executions, requests: sim.requests.map((r) => ({ at: r.at, path: r.path, status: r.status })) }));
		log(`  raw figures in ${raw}`);
		const polls = pollsOf(sim.requests).slice(1);
		const pollStarts = polls.map((p) => p.startAt);
		const byUser = new Map<string, Array<{ status: unknown; timestamp: unknown; startedAt: number }>>();
		for (const execution of executions) {
			for (const item of execution.items) {
				const userId = String(item.userId);
				byUser.set(userId, [...(byUser.get(userId) ?? []), { status: item.status, timestamp: item.timestamp, startedAt: execution.startedAt }]);
			}
		}
		const changed = new Set(changes.map((c) => c.userId));
		const latencies: number[] = [];
		const pollsWaited: number[] = [];
		let lost = 0;
		let duplicated = 0;
		for (const change of changes) {
			const emitted = (byUser.get(change.userId) ?? []).filter((e) => e.status === change.status && e.timestamp === change.at);
			if (emitted.length === 0) {
				lost++;
				continue;
			}
			duplicated += (byUser.get(change.userId)?.length ?? 0) - 1;
			const first = Math.min(...emitted.map((e) => e.startedAt));
			latencies.push(first - change.at);
			pollsWaited.push(pollStarts.filter((at) => at > change.at && at <= first).length);
		}
		const spurious = [...byUser.entries()].filter(([userId]) => !changed.has(userId)).reduce((sum, [, e]) => sum + e.length, 0);
		const failed = executions.filter((e) => e.status !== 'success').length;
		return {
			watched,
			changes: changes.length,
			latencies,
			pollsWaited,
			lost,
			duplicated,
			spurious,
			executions: executions.length,
			polls,
			tooMany: sim.requests.filter((r) => r.status === 429).length,
			failure: failed > 0 ? `${failed} executions did not succeed` : undefined,
		};
	} catch (error) {
		const output = started?.output().slice(-1500) ?? '';
		return {
			watched,
			changes: 0,
			latencies: [],
			pollsWaited: [],
			lost: 0,
			duplicated: 0,
			spurious: 0,
			executions: 0,
			polls: pollsOf(sim.requests),
			tooMany: sim.requests.filter((r) => r.status === 429).length,
			failure: `${(error as Error).message}${output ? `\nn8n output:\n${output}` : ''}`,
		};
	} finally {
		await started?.stop();
		await n8n.dispose();
	}
}

interface ListRun {
	nodeMs?: number;
	requests: number;
	items: number;
	failure?: string;
}

/** Presence → Get Many over the whole pod, once, with `n8n execute`. */
async function runList(runtime: Runtime, tarball: string, sim: PodSimulator): Promise<ListRun> {
	const n8n = new N8n(runtime);
	sim.clearLog();
	try {
		n8n.installPackage(tarball);
		await n8n.importCredentials([{ ...CREDENTIAL, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: BENCH_TOKEN } }]);
		await n8n.importWorkflow(listWorkflow());
		const result = await executeToFile(runtime, n8n, LIST_WORKFLOW_ID, () => undefined);
		const task = result.run?.data.resultData.runData['Get Many']?.[0] as { executionTime?: number; data?: { main: Array<unknown[] | null> } } | undefined;
		const error = result.run?.data.resultData.error;
		return {
			nodeMs: task?.executionTime,
			requests: sim.requestsTo('/pod/v2/users/presence', 'GET').length,
			items: task?.data?.main?.[0]?.length ?? 0,
			failure: result.run?.status === 'success' ? undefined : error ? `${error.name}: ${error.message}` : `n8n exited ${result.code}: ${result.tail}`,
		};
	} finally {
		await n8n.dispose();
	}
}

function seconds(ms: number | undefined): string {
	return ms === undefined || !Number.isFinite(ms) ? '—' : `${(ms / 1000).toFixed(1)} s`;
}

/** `--latency-sizes 1000,5000`: run some sizes only (the whole scenario takes about 20 minutes). */
function sizesAsked(): number[] {
	const index = process.argv.indexOf('--latency-sizes');
	if (index < 0) return SIZES;
	return process.argv[index + 1].split(',').map((s) => Number(s.trim())).filter((n) => SIZES.includes(n));
}

export const scenario: Scenario = {
	id: 'p',
	title: `Presence Trigger change latency inside n8n ${N8N_VERSION}, durable scheduler, pod at ${LATENCY_MS} ms throttled at ${POD_THROTTLE_PER_SECOND}/s`,
	optOut: { flag: 'in-process-only', why: 'it runs the real n8n application polling every minute, about 20 minutes' },
	async run(): Promise<ScenarioReport> {
		const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
		const runtime = await ensureRuntime();
		const packed = await buildAndPack(log);
		const sim = await startSimulator({
			users: [...internalUsers(userIds(POOL, FIRST_COLLEAGUE)), ...externalUsers(userIds(EXTERNALS, FIRST_EXTERNAL))],
			callerId: BENCH_CALLER_ID,
			// The pod-wide list needs the User Provisioning role; the trigger needs only the presence privilege.
			sessions: [{ token: BENCH_TOKEN, userId: BENCH_CALLER_ID, privileges: [PRESENCE_PRIVILEGE, USER_PROVISIONING] }],
			latencyMs: LATENCY_MS,
			throttlePerSecond: POD_THROTTLE_PER_SECOND,
		});
		const loadAtStart = os.loadavg()[0];
		try {
			const runs: SizeRun[] = [];
			for (const watched of sizesAsked()) {
				const run = await runSize(runtime, packed.tarball, sim, watched, log);
				runs.push(run);
				log(`  ${describe(run)}`);
			}
			const list = await runList(runtime, packed.tarball, sim);
			log(`  Get Many over the pod: ${formatMs(list.nodeMs)}, ${list.requests} requests, ${list.items} items${list.failure ? `; FAILED: ${list.failure}` : ''}`);
			const loadAtEnd = os.loadavg()[0];
			const rows: Row[] = runs.map((run) => ({
				variant: `Presence Trigger, ${run.watched.toLocaleString('en-US')} colleagues + ${EXTERNALS} external: p99 latency`,
				n: run.watched + EXTERNALS,
				requests: run.polls.length < 2 ? undefined : Math.round(median(run.polls.slice(1).map((p) => p.requests))),
				wallMs: percentile(run.latencies, 99),
				basis: run.failure ? 'failed' : 'measured',
				tooManyRequests: run.tooMany,
				itemsLost: run.lost,
			}));
			rows.push({ variant: 'Presence → Get Many, whole pod, pages of 5,000 (node time)', n: POOL, requests: list.requests, wallMs: list.nodeMs, basis: list.failure ? 'failed' : 'measured' });
			const targets: TargetCheck[] = runs.map((run) => {
				const allowed = pollsAllowed(run.watched);
				const p99Polls = percentile(run.pollsWaited, 99);
				return {
					target: `${run.watched.toLocaleString('en-US')} colleagues: p99 within ${allowed} poll interval${allowed > 1 ? 's' : ''} (carried by one of the first ${allowed} poll${allowed > 1 ? 's' : ''} after the change), 0 lost, 0 duplicated, 0 × 429`,
					actual: `p99 ${p99Polls ?? '—'} poll(s), ${seconds(percentile(run.latencies, 99))}; ${run.lost} lost, ${run.duplicated} duplicated, ${run.spurious} spurious, ${run.tooMany} × 429`,
					met: run.failure ? false : p99Polls !== undefined && p99Polls <= allowed && run.lost === 0 && run.duplicated === 0 && run.spurious === 0 && run.tooMany === 0,
					...(run.failure && { reason: run.failure.slice(0, 500) }),
				};
			});
			return {
				id: 'p',
				label: 'Trigger latency in n8n',
				title: this.title,
				rows,
				notes: [
					`n8n ${N8N_VERSION}, Node ${runtime.nodeVersion}, durable scheduler with durable cursors, polls every minute, poll budget ${POLL_BUDGET_MS / 1000} s (reads start during the first ${READING_WINDOW_MS / 1000} s). Load average ${loadAtStart.toFixed(2)} at the start, ${loadAtEnd.toFixed(2)} at the end.`,
					`Per size: ${Math.round((CHANGE_WINDOW_MS / 1000) * CHANGES_PER_SECOND)} changes of random watched colleagues (each at most once), ${CHANGES_PER_SECOND} per second for ${CHANGE_WINDOW_MS / 1000} s from the first scheduled poll on; then the polls the goal allows (at least 2). The Wall time column is the p99 latency: change at the pod → startedAt of the execution carrying it. Requests: median per poll.`,
					`Goal in polls for more than 5,000: ⌈N ÷ (0.9 × ${ADAPTIVE_CEILING_PER_SECOND}/s × ${READING_WINDOW_MS / 1000} s)⌉ (pace: the adaptive ceiling; budget: the part of n8n's poll budget the trigger starts reads in) = ${pollsAllowed(20_000)} for 20,000.`,
					...runs.map(describe),
					`Pod-wide list (Presence → Get Many, Return All, pages of ${MAX_PRESENCE_PAGE_SIZE.toLocaleString('en-US')}, \`n8n execute\`) over the pod's ${POOL.toLocaleString('en-US')} colleagues: ${list.requests} requests, node time ${formatMs(list.nodeMs)}, ${list.items.toLocaleString('en-US')} items${list.failure ? `; FAILED: ${list.failure}` : ''}. The simulator answers a page as fast as any request; Symphony documents the call as costly (it sorts its whole cache).`,
				],
				targets,
			};
		} finally {
			await sim.close();
			packed.cleanup();
		}
	},
};

function describe(run: SizeRun): string {
	const count = (n: number) => n.toLocaleString('en-US');
	const polls = run.polls
		.map((p, i) => `${i === 0 ? 'first scheduled' : `#${i + 1}`}: ${count(p.requests)} requests (${count(p.reads)} reads) over ${seconds(p.endAt - p.startAt)}${p.tooMany ? `, ${p.tooMany} × 429` : ''}`)
		.join('; ');
	const waited = [0, 1, 2, 3, 4].map((k) => `${run.pollsWaited.filter((w) => w === k).length} ${k === 0 ? 'by the poll under way' : `at poll ${k}`}`).join(', ');
	const head = `${count(run.watched)} colleagues + ${EXTERNALS} external: ${count(run.changes)} changes, latency median ${seconds(run.latencies.length ? median(run.latencies) : undefined)}, p99 ${seconds(percentile(run.latencies, 99))}, max ${seconds(run.latencies.length ? Math.max(...run.latencies) : undefined)}; carried ${waited}; ${run.lost} lost, ${run.duplicated} duplicated, ${run.spurious} spurious, ${run.tooMany} × 429; ${run.executions} executions. Polls: ${polls}.`;
	return run.failure ? `${head} FAILED: ${run.failure}` : head;
}
