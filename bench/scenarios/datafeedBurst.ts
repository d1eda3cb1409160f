/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports, @n8n/community-nodes/require-node-api-error -- development code: runs in Node, never packed */
import * as path from 'node:path';

import { DEFAULT_KEY_MANAGER_TOKEN, simMessagingOf, type SimStream } from '../../test/simulator/routes/messages';
import { simDatafeedsOf } from '../../test/simulator/routes/datafeed';
import { N8n, ownerSession, rest as restOnce, waitFor, type StartedN8n } from '../../test/e2e/n8n';
import { buildAndPack } from '../../test/e2e/pack';
import { ensureRuntime, N8N_VERSION, type Runtime } from '../../test/e2e/runtime';
import { createDatabase, dropDatabase, POSTGRES } from '../../test/e2e/services';
import { PACKAGE, type CredentialRef, type Workflow } from '../../test/e2e/workflows';
import { BENCH_CALLER_ID, BENCH_TOKEN, internalUsers, POD_THROTTLE_PER_SECOND, userIds } from '../fixtures';
import { startBenchPod } from '../job';
import { median } from '../measure';
import { formatMs, type Row, type RunOptions, type Scenario, type ScenarioReport, type TargetCheck } from '../report';

/**
 * A burst of 1,000 messages posted at once while the Symphony Trigger (datafeed v5, Message
 * Received → No Operation) is active in a running n8n 2.41.1 (`n8n start`), against the same
 * 1,000 posts at once to n8n's own Webhook trigger (Webhook → No Operation) in the same n8n: the
 * fastest way n8n can be told of an event, with no pod in between. Each message must come out as
 * exactly one execution (checked by its message ID in the trigger node's output, read back through
 * n8n's REST API). Per message: the time from its post (the simulator's message timestamp; for the
 * webhook, when the request was sent) to its execution's `startedAt`; executions per second; and the
 * requests the pod received.
 */

const N = 1000;
const LATENCY_MS = 20;
/** Symphony's Agent holds an empty read about 30 s. */
const READ_WAIT_MS = 30_000;
/** People posting, each in their IM with the bot: the burst arrives over several conversations. */
const SENDERS = 10;
/** At most 16 characters (n8n 1.x saves no static data beyond; kept for both lines). */
const FEED_WORKFLOW_ID = 'benchBurstFeed';
const HOOK_WORKFLOW_ID = 'benchBurstHook';
const HOOK_PATH = 'bench-burst';
const TRIGGER = 'Symphony Trigger';
const WEBHOOK = 'Webhook';
/** Every execution status of n8n 2.41: a list filtered by all of them counts running and new executions too (without a status filter it counts only finished ones). */
const ALL_STATUSES = ['canceled', 'crashed', 'error', 'new', 'running', 'success', 'unknown', 'waiting'];
const CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'benchBurstSym', name: 'Symphony (bench pod)' };

/**
 * n8n's REST API, asked again while it answers 503 "Database is not ready!": its database health check
 * fails for a while when the burst's executions hold every database connection (PostgreSQL's pool is 2).
 */
async function rest<T>(baseUrl: string, method: string, route: string, options: { body?: unknown; cookie?: string } = {}): Promise<{ data: T; cookie?: string }> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		try {
			return await restOnce<T>(baseUrl, method, route, options);
		} catch (error) {
			if (!/: 503 /.test((error as Error).message) || Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}
}

function noOp(): Workflow['nodes'][number] {
	return { id: 'bench-burst-noop', name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} };
}

function feedWorkflow(): Workflow {
	return {
		id: FEED_WORKFLOW_ID,
		name: 'Bench burst: Symphony Trigger',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'bench-burst-trigger',
				name: TRIGGER,
				type: `${PACKAGE}.symphonyTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: { authentication: CREDENTIAL.type, events: ['messageReceived'] },
				credentials: { [CREDENTIAL.type]: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
			},
			noOp(),
		],
		connections: { [TRIGGER]: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
	};
}

function hookWorkflow(): Workflow {
	return {
		id: HOOK_WORKFLOW_ID,
		name: 'Bench burst: Webhook',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'bench-burst-webhook',
				name: WEBHOOK,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '4f7b0c1e-6a0d-4b7e-9a55-0d6c2b1e7a31',
				parameters: { httpMethod: 'POST', path: HOOK_PATH, responseMode: 'onReceived', options: {} },
			},
			noOp(),
		],
		connections: { [WEBHOOK]: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
	};
}

interface Execution {
	id: string;
	status: string;
	startedAt: number;
	stoppedAt: number;
	/** The message ID the trigger node emitted. */
	messageId?: string;
}

interface BurstRun {
	label: string;
	executions: Execution[];
	/** Post time per message ID. */
	postedAt: Map<string, number>;
	lost: number;
	duplicated: number;
	unknown: number;
	failed: number;
	/** Post → execution start, per message found. */
	delaysMs: number[];
	/** Executions with a stop time. */
	finished: number;
	/** First post → last execution finished (of those that did). */
	wallMs: number;
	/** First post → last execution started. */
	intakeMs: number;
	podRequests?: Map<string, number>;
	failure?: string;
}

function percentile(values: readonly number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Every execution of a workflow with its timestamps and the message ID its trigger emitted, through
 * n8n's REST API. A fresh database numbers executions from 1 and the bursts run one after the other:
 * the workflow's executions are read one by one by ID, from `fromId` to the count of all executions
 * (finished or not).
 */
async function executionsOf(
	runtime: Runtime,
	started: StartedN8n,
	cookie: string,
	workflowId: string,
	fromId: number,
	triggerNode: string,
	messageIdOf: (json: Record<string, unknown>) => unknown,
): Promise<{ executions: Execution[]; lastId: number }> {
	// Execution data is stored in n8n's "flatted" form; n8n's own copy of the package reads it.
	const { parse } = require(path.join(runtime.n8nDir, 'node_modules', 'flatted')) as { parse: (text: string) => unknown };
	const filter = encodeURIComponent(JSON.stringify({ status: ALL_STATUSES }));
	const { data: all } = await rest<{ count: number }>(started.url, 'GET', `executions?filter=${filter}&limit=1`, { cookie });
	const ids = Array.from({ length: Math.max(0, all.count - fromId + 1) }, (_, i) => String(fromId + i));
	const out: Execution[] = [];
	// A few at a time: n8n answers them on the same core as everything else.
	for (let i = 0; i < ids.length; i += 8) {
		const batch = await Promise.all(
			ids.slice(i, i + 8).map(async (id) => {
				const { data } = await rest<{ id: string; workflowId: string; status: string; startedAt: string; stoppedAt: string; data: string }>(started.url, 'GET', `executions/${id}`, { cookie });
				if (data.workflowId !== workflowId) return undefined;
				const run = parse(data.data) as { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>> } };
				const item = run.resultData.runData[triggerNode]?.[0]?.data?.main?.[0]?.[0]?.json;
				const messageId = item === undefined ? undefined : messageIdOf(item);
				return {
					id: data.id,
					status: data.status,
					startedAt: data.startedAt ? Date.parse(data.startedAt) : NaN,
					stoppedAt: data.stoppedAt ? Date.parse(data.stoppedAt) : NaN,
					messageId: typeof messageId === 'string' ? messageId : undefined,
				};
			}),
		);
		for (const execution of batch) if (execution) out.push(execution);
	}
	return { executions: out, lastId: all.count };
}

/**
 * Waits until `count` executions of the workflow have finished, then a little longer for any
 * duplicate; returns why not when they did not come within 3 minutes (what came is then counted).
 */
async function awaitExecutions(started: StartedN8n, cookie: string, workflowId: string, count: number): Promise<string | undefined> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: ['success', 'error', 'crashed'] }));
	let finished = 0;
	try {
		await waitFor(`${count} finished executions of ${workflowId}`, 3 * 60 * 1000, async () => {
			const { data } = await rest<{ count: number }>(started.url, 'GET', `executions?filter=${filter}&limit=1`, { cookie });
			finished = data.count;
			if (data.count >= count) return true;
			await new Promise((resolve) => setTimeout(resolve, 250));
			return undefined;
		});
	} catch (error) {
		const message = (error as Error).message;
		return message.startsWith('timed out after')
			? `only ${finished} of ${count} executions finished within 3 minutes`
			: `${finished} of ${count} executions finished, then n8n's REST API failed: ${message.slice(0, 200)}`;
	}
	// Anything still coming (a duplicate, a redelivery after the visibility timeout) would come now.
	await new Promise((resolve) => setTimeout(resolve, 3000));
	return undefined;
}

function summarize(label: string, executions: Execution[], postedAt: Map<string, number>, podRequests?: Map<string, number>): BurstRun {
	const byMessage = new Map<string, Execution[]>();
	let unknown = 0;
	for (const e of executions) {
		if (e.messageId === undefined || !postedAt.has(e.messageId)) {
			unknown++;
			continue;
		}
		byMessage.set(e.messageId, [...(byMessage.get(e.messageId) ?? []), e]);
	}
	const delaysMs: number[] = [];
	for (const [messageId, runs] of byMessage) delaysMs.push(Math.min(...runs.map((r) => r.startedAt)) - postedAt.get(messageId)!);
	const firstPost = Math.min(...postedAt.values());
	const last = (times: number[]) => {
		const known = times.filter((t) => !Number.isNaN(t));
		return known.length === 0 ? NaN : Math.max(...known) - firstPost;
	};
	return {
		label,
		executions,
		postedAt,
		lost: postedAt.size - byMessage.size,
		duplicated: [...byMessage.values()].reduce((sum, runs) => sum + runs.length - 1, 0),
		unknown,
		failed: executions.filter((e) => e.status !== 'success').length,
		delaysMs,
		finished: executions.filter((e) => !Number.isNaN(e.stoppedAt)).length,
		wallMs: last(executions.map((e) => e.stoppedAt)),
		intakeMs: last(executions.map((e) => e.startedAt)),
		podRequests,
	};
}

function describe(run: BurstRun): string {
	const requests = run.podRequests
		? `; the pod received ${[...run.podRequests.values()].reduce((a, b) => a + b, 0)} requests (${[...run.podRequests].map(([kind, count]) => `${count} ${kind}`).join(', ')}), ${([...run.podRequests.values()].reduce((a, b) => a + b, 0) / N).toFixed(3)} per message`
		: '';
	return `${run.label}: ${run.executions.length} executions for ${N} messages, ${run.lost} lost, ${run.duplicated} duplicated, ${run.unknown} with no known message ID, ${run.failed} not successful${statusBreakdown(run)}; post → execution start median ${formatMs(median(run.delaysMs))}, p99 ${formatMs(percentile(run.delaysMs, 99))}, max ${formatMs(Math.max(...run.delaysMs))}; last execution started ${formatMs(run.intakeMs)} after the first post, and the last of ${run.finished} finished ${formatMs(run.wallMs)} after it: ${(run.finished / (run.wallMs / 1000)).toFixed(0)} executions per second${requests}.${run.failure ? ` FAILED: ${run.failure}.` : ''}`;
}

function statusBreakdown(run: BurstRun): string {
	if (run.failed === 0) return '';
	const counts = new Map<string, number>();
	for (const e of run.executions) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
	return ` (${[...counts].map(([status, count]) => `${count} ${status}`).join(', ')})`;
}

/** Distinct error lines of n8n's output (numbers masked), for a run that lost executions. */
function n8nErrors(output: string): string[] {
	// The Python task runner's notice (no virtual environment here) is no error of the run.
	const lines = output.split('\n').filter((line) => /error|failed|crash|SQLITE|lock/i.test(line) && !/Python task runner/.test(line));
	return [...new Set(lines.map((line) => line.replace(/\d+/g, 'N').trim().slice(0, 300)))].slice(0, 8);
}

const READS = 'datafeed reads (each acknowledging the batch before it)';

/** What the pod's log says a request was. */
function requestKind(method: string, requestPath: string): string {
	if (/\/agent\/v5\/datafeeds\/[^/]+\/read$/.test(requestPath)) return READS;
	return `${method} ${requestPath}`;
}

export const scenario: Scenario = {
	id: 'burst',
	title: `Symphony Trigger: a burst of 1,000 messages at once, inside n8n ${N8N_VERSION}, against n8n's Webhook trigger`,
	optOut: { flag: 'in-process-only', why: 'it runs the real n8n application (the e2e runtime), about 3 minutes on 2 cores' },
	async run({ postgres = false }: RunOptions): Promise<ScenarioReport> {
		const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
		const runtime = await ensureRuntime();
		const packed = await buildAndPack(log);
		// `--postgres`: n8n on a database of this run's own, dropped at the end; else n8n's default SQLite.
		const database = postgres ? `symphony_e2e_bench_burst_${process.pid}` : undefined;
		if (database) await createDatabase(runtime, database);
		const dbEnv: NodeJS.ProcessEnv = database
			? {
					DB_TYPE: 'postgresdb',
					DB_POSTGRESDB_HOST: POSTGRES.host,
					DB_POSTGRESDB_PORT: String(POSTGRES.port),
					DB_POSTGRESDB_USER: POSTGRES.user,
					DB_POSTGRESDB_DATABASE: database,
					// n8n's pool is 2 connections unless set: DB_POSTGRESDB_POOL_SIZE=10 npm run bench -- --only burst --postgres
					...(process.env.DB_POSTGRESDB_POOL_SIZE && { DB_POSTGRESDB_POOL_SIZE: process.env.DB_POSTGRESDB_POOL_SIZE }),
				}
			: {};
		const dbName = database ? `PostgreSQL, pool of ${dbEnv.DB_POSTGRESDB_POOL_SIZE ?? 2} connections` : 'SQLite';
		// n8n's own limit on production executions running at once (its default: none), passed on when set:
		// N8N_CONCURRENCY_PRODUCTION_LIMIT=20 npm run bench -- --only burst
		const limit = process.env.N8N_CONCURRENCY_PRODUCTION_LIMIT;
		const n8n = new N8n(runtime, undefined, { ...dbEnv, ...(limit && { N8N_CONCURRENCY_PRODUCTION_LIMIT: limit }) });
		const setting = `${dbName}${limit ? `, N8N_CONCURRENCY_PRODUCTION_LIMIT=${limit}` : ''}`;
		const senders = internalUsers(userIds(SENDERS, 7215547100000n));
		const sim = await startBenchPod(senders, LATENCY_MS, POD_THROTTLE_PER_SECOND);
		const datafeeds = simDatafeedsOf(sim);
		datafeeds.settings.waitMs = READ_WAIT_MS;
		const messaging = simMessagingOf(sim);
		const ims: Array<{ stream: SimStream; sender: string }> = senders.map((user) => ({ stream: messaging.imFor([user.id, BENCH_CALLER_ID]), sender: user.id }));
		let started: StartedN8n | undefined;
		try {
			n8n.installPackage(packed.tarball);
			await n8n.importCredentials([{ ...CREDENTIAL, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: BENCH_TOKEN, keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN } }]);
			for (const workflow of [feedWorkflow(), hookWorkflow()]) {
				await n8n.importWorkflow(workflow);
				await n8n.activateWorkflow(workflow.id);
			}
			started = await n8n.start();
			const url = started.url;
			const cookie = await waitFor("n8n's REST API", 60000, async () => await ownerSession(url).catch((error: Error) => (/: 404 /.test(error.message) ? undefined : Promise.reject(error))));
			const feed = await waitFor('the trigger reading its feed', 60000, () => {
				const feeds = datafeeds.feedsOf(BENCH_CALLER_ID);
				return feeds.length === 1 && feeds[0].waiters.size === 1 ? feeds[0] : undefined;
			});
			// Settle: n8n has just started (its own start-up work would be counted against the first burst).
			await new Promise((resolve) => setTimeout(resolve, 5000));

			// The burst: 1,000 messages stored and queued on the feed in one go, before the read waiting on it is answered.
			log(`n8n: ${N} messages at once to the Symphony Trigger's feed (${SENDERS} IMs, ${LATENCY_MS} ms per pod request)`);
			sim.clearLog();
			const readsBefore = datafeeds.reads.length;
			const feedPosted = new Map<string, number>();
			for (let i = 0; i < N; i++) {
				const { stream, sender } = ims[i % ims.length];
				const message = datafeeds.post(sender, stream.id, `<messageML>Order ${i + 1} filled</messageML>`, `Order ${i + 1} filled`);
				feedPosted.set(message.messageId, message.timestamp);
			}
			const feedShort = await awaitExecutions(started, cookie, FEED_WORKFLOW_ID, N);
			// The reads that took the burst: from the one waiting when it came to the one acknowledging the
			// last batch. Reads after that are the idle long polls while n8n finished, counted apart.
			const burstReads = datafeeds.reads.slice(readsBefore - 1);
			const lastDelivering = burstReads.map((r) => r.events.length > 0).lastIndexOf(true);
			const deliveringReads = burstReads.filter((r) => r.events.length > 0).length;
			const readsForBurst = lastDelivering + 2;
			const idleReads = Math.max(0, burstReads.length - readsForBurst);
			const podRequests = new Map<string, number>([[READS, readsForBurst]]);
			for (const r of sim.requests) {
				const kind = requestKind(r.method, r.path);
				if (kind !== READS) podRequests.set(kind, (podRequests.get(kind) ?? 0) + 1);
			}
			const redelivered = [...feed.deliveries.values()].filter((times) => times > 1).length;
			const feedExecutions = await executionsOf(runtime, started, cookie, FEED_WORKFLOW_ID, 1, TRIGGER, (json) => json.messageId);
			const feedRun = summarize('Symphony Trigger (datafeed v5) → No Operation', feedExecutions.executions, feedPosted, podRequests);
			feedRun.failure = feedShort;
			if (feedShort) log(`  n8n error lines: ${n8nErrors(started.output()).join(' | ')}`);
			log(`  ${describe(feedRun)}`);

			// The baseline: the same burst as 1,000 HTTP posts at once to n8n's Webhook trigger.
			log(`n8n: ${N} posts at once to a Webhook trigger`);
			const hookPosted = new Map<string, number>();
			const responses = await Promise.all(
				Array.from({ length: N }, async (_, i) => {
					const messageId = `hook-${i + 1}`;
					hookPosted.set(messageId, Date.now());
					const response = await fetch(`${url}/webhook/${HOOK_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ messageId, text: `Order ${i + 1} filled` }) });
					await response.arrayBuffer();
					return response.status;
				}),
			);
			const refused = responses.filter((status) => status !== 200).length;
			const hookShort = await awaitExecutions(started, cookie, HOOK_WORKFLOW_ID, N - refused);
			const hookRun = summarize("n8n's Webhook trigger → No Operation", (await executionsOf(runtime, started, cookie, HOOK_WORKFLOW_ID, feedExecutions.lastId + 1, WEBHOOK, (json) => (json.body as { messageId?: unknown } | undefined)?.messageId)).executions, hookPosted);
			hookRun.failure = [hookShort, refused > 0 ? `${refused} of ${N} posts were answered other than 200` : undefined].filter(Boolean).join('; ') || undefined;
			log(`  ${describe(hookRun)}`);

			const errors = n8nErrors(started.output());
			// A duplicate of the Symphony workflow started after its burst was read (during the webhook's) shows here.
			const allFeed = encodeURIComponent(JSON.stringify({ workflowId: FEED_WORKFLOW_ID, status: ALL_STATUSES }));
			const { data: feedCount } = await rest<{ count: number }>(url, 'GET', `executions?filter=${allFeed}&limit=1`, { cookie });
			const lateFeed = feedCount.count - feedRun.executions.length;
			const readLimit = Math.ceil(N / datafeeds.settings.maxEventsPerRead);
			const rows: Row[] = [feedRun, hookRun].map((run) => ({
				variant: run.label,
				n: N,
				requests: run.podRequests ? [...run.podRequests.values()].reduce((a, b) => a + b, 0) : undefined,
				wallMs: run.failure || Number.isNaN(run.wallMs) ? undefined : run.wallMs,
				baselineRatio: run.failure || hookRun.failure ? undefined : run.wallMs / hookRun.wallMs,
				itemsLost: run.lost,
				basis: run.failure ? 'failed' : 'measured',
			}));
			const ratio = (value: number, baseline: number) => (baseline > 0 ? `${(value / baseline).toFixed(2)}×` : '—');
			const targets: TargetCheck[] = [
				{
					target: '1,000 messages: 1,000 executions, 0 lost, 0 duplicated, all successful',
					actual: `${feedRun.executions.length + lateFeed} executions, ${feedRun.lost} lost, ${feedRun.duplicated} duplicated, ${feedRun.failed} not successful`,
					met: feedRun.executions.length === N && lateFeed === 0 && feedRun.lost === 0 && feedRun.duplicated === 0 && feedRun.unknown === 0 && feedRun.failed === 0,
				},
				{
					target: `Reads of the feed ≤ ⌈1,000 / ${datafeeds.settings.maxEventsPerRead} events per read⌉ + 2 = ${readLimit + 2} (no read per message)`,
					actual: `${readsForBurst} reads, ${deliveringReads} of them delivering events`,
					met: readsForBurst <= readLimit + 2,
				},
			];
			return {
				id: '5n',
				label: 'Trigger burst in n8n',
				title: `Symphony Trigger, 1,000 messages posted at once, inside n8n ${N8N_VERSION} (n8n start, ${setting}), ${LATENCY_MS} ms per pod request, against n8n's Webhook trigger`,
				rows,
				notes: [
					`n8n ${N8N_VERSION}, Node ${runtime.nodeVersion}, \`n8n start\` in regular mode with ${setting === 'SQLite' ? 'its defaults (SQLite)' : setting}, both workflows active: Symphony Trigger (Message Received) → No Operation, and Webhook (POST, respond immediately) → No Operation. The Symphony burst runs first, then the webhook burst. Each message's execution is found by its message ID in the trigger node's output, read back through n8n's REST API; the delay is from the post (the simulator's message timestamp; for the webhook, when its request was sent) to the execution's startedAt.`,
					`The simulator answers a read with at most ${datafeeds.settings.maxEventsPerRead} events and waits ${LATENCY_MS} ms before each answer: the 1,000 events need at least ${readLimit} reads, one after the other (${formatMs(readLimit * LATENCY_MS)}); an empty read waits up to ${READ_WAIT_MS / 1000} s.`,
					describe(feedRun),
					`Reads of the feed from the one waiting when the burst came to the one acknowledging its last batch: ${readsForBurst} (${deliveringReads} delivering events); then ${idleReads} idle long polls (${READ_WAIT_MS / 1000} s each) while n8n finished, not counted above. Events the feed delivered more than once: ${redelivered}. Executions of the Symphony workflow that started after its burst was counted: ${lateFeed}.`,
					describe(hookRun),
					...(feedRun.failure || hookRun.failure ? [`n8n's error lines (distinct, numbers as N): ${errors.join(' | ') || 'none'}`] : []),
					`Symphony ÷ Webhook${feedRun.failure || hookRun.failure ? ' (over the executions that have a start time and a message ID)' : ''}: median delay ${ratio(median(feedRun.delaysMs), median(hookRun.delaysMs))}, p99 ${ratio(percentile(feedRun.delaysMs, 99), percentile(hookRun.delaysMs, 99))}, first post → last execution finished ${feedRun.failure || hookRun.failure ? '— (not all finished)' : ratio(feedRun.wallMs, hookRun.wallMs)}.`,
				],
				targets,
			};
		} finally {
			await started?.stop();
			await sim.close();
			await n8n.dispose();
			packed.cleanup();
			if (database) await dropDatabase(runtime, database);
		}
	},
};
