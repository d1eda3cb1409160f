/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports -- development code: runs in Node, never packed */
/**
 * The Symphony Trigger (datafeed v5) in a real, running n8n, with the example ask-presence-bot.json
 * activated as a user would: 200 questions mentioning the bot start 200 executions, each message
 * exactly once, each answered once in its own conversation; the feed expires at the simulator and the
 * trigger reads a new one; n8n stops, messages arrive while it is down, and after its start they are
 * answered once; the workflow is deactivated and no read of its feed waits at the simulator.
 *
 * `AskPresenceBot` (the example, its conversations, the questions and the checks of their answers) is
 * shared with the queue-mode suite (queue.e2e.test.ts), which runs the same example on main and workers.
 */
import * as path from 'path';

import { DEFAULT_CALLER_ID, demoUsers, startSimulator, type PodSimulator, type SimUser } from '../../simulator';
import { simDatafeedsOf, type SimDatafeeds, type SimFeed } from '../../simulator/routes/datafeed';
import { DEFAULT_KEY_MANAGER_TOKEN, simMessagingOf, type SimMessage, type SimStream } from '../../simulator/routes/messages';
import { E2E_OWNER, N8n, nodeItems, ownerSession, rest, waitFor, type CredentialExport, type N8nRun, type StartedN8n } from '../n8n';
import { buildAndPack, type Packed } from '../pack';
import { ensureRuntime, type Runtime, type RuntimeSpec } from '../runtime';
import { manualVariant, readExample, type CredentialRef, type Workflow } from '../workflows';

const SETUP_TIMEOUT_MS = 25 * 60 * 1000;
/** At most 16 characters: n8n 1.x saves no static data for a workflow with a longer ID (`isWorkflowIdValid`). */
const WORKFLOW_ID = 'e2eAskBot';
const CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'symphonyFeedE2e', name: 'Symphony (simulator token)' };
const TRIGGER = 'Question for the bot';
const PERSON = 'The person mentioned';
const ANSWER = 'Answer in the same conversation';
/** The simulator's long poll: shorter than Symphony's 30 s, still long enough that a read left running is seen waiting. */
export const READ_WAIT_MS = 10_000;
/** The simulator's visibility timeout in the cases that make it deliver a batch again. */
export const REDELIVERY_MS = 5_000;

const users = demoUsers();
const byEmail = (email: string): SimUser => {
	const user = users.find((u) => u.email === email);
	if (!user) throw new Error(`no user ${email}`);
	return user;
};
const ALICE = byEmail('alice@acme.example');
const BOB = byEmail('bob@acme.example');
const BOT = DEFAULT_CALLER_ID;

interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
}

export type TriggerExecution = ExecutionSummary & { run: N8nRun };

/** Where n8n's REST API is reached now: main's URL and a session there (both change when main restarts). */
export interface N8nSession {
	url: string;
	cookie: string;
}

interface Question {
	message: SimMessage;
	/** Who is asked about. */
	about: SimUser;
	/** The datafeed events that carry it (one per live feed of the bot when it was posted). */
	eventIds: string[];
}

/** One execution read back through n8n's REST API, its data parsed with n8n's own copy of "flatted". */
export async function readExecution(runtime: Runtime, session: N8nSession, id: string): Promise<TriggerExecution> {
	const { parse } = require(path.join(runtime.n8nDir, 'node_modules', 'flatted')) as { parse: (text: string) => unknown };
	const { data: one } = await rest<ExecutionSummary & { data: string }>(session.url, 'GET', `executions/${id}`, { cookie: session.cookie });
	return { id: one.id, workflowId: one.workflowId, status: one.status, mode: one.mode, run: { data: parse(one.data) } as N8nRun };
}

/** How many executions of the workflow n8n lists, with the given statuses (all when none). */
export async function countExecutions(session: N8nSession, workflowId: string, status?: string[]): Promise<number> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, ...(status && { status }) }));
	const { data } = await rest<{ count: number }>(session.url, 'GET', `executions?filter=${filter}&limit=1`, { cookie: session.cookie });
	return data.count;
}

/** Logs in as the owner an n8n that has one already (after a restart). */
export async function ownerLogin(url: string): Promise<string> {
	const { cookie } = await rest(url, 'POST', 'login', { body: { emailOrLdapLoginId: E2E_OWNER.email, password: E2E_OWNER.password } });
	if (!cookie) throw new Error('n8n answered the login without a session cookie');
	return cookie;
}

/**
 * The example ask-presence-bot.json against a pod simulator: the bot in three conversations with Alice
 * and Bob, questions posted there, and the checks of what n8n made of them.
 */
export class AskPresenceBot {
	readonly questions: Question[] = [];
	private readonly streams: Array<{ stream: SimStream; asker: SimUser; about: SimUser }>;

	constructor(
		readonly sim: PodSimulator,
		readonly workflowId: string,
		readonly credential: CredentialRef,
	) {
		this.datafeeds().settings.waitMs = READ_WAIT_MS;
		const messaging = simMessagingOf(sim);
		this.streams = [
			{ stream: messaging.imFor([ALICE.id, BOT]), asker: ALICE, about: BOB },
			{ stream: messaging.imFor([BOB.id, BOT]), asker: BOB, about: ALICE },
			{ stream: messaging.imFor([ALICE.id, BOB.id, BOT]), asker: ALICE, about: BOB },
		];
	}

	/** The credential, for `n8n import:credentials`: the simulator's session and key manager tokens. */
	credentialExport(): CredentialExport {
		return { ...this.credential, data: { podUrl: this.sim.url, sessionKind: 'sessionToken', token: this.sim.token, keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN } };
	}

	/** The example as a user sets it up: its credential chosen (the trigger's Authentication set to it). */
	workflow(): Workflow {
		const workflow = manualVariant(readExample('ask-presence-bot.json'), this.workflowId, this.credential);
		for (const node of workflow.nodes) if (node.name === TRIGGER) node.parameters.authentication = this.credential.type;
		return workflow;
	}

	datafeeds(): SimDatafeeds {
		return simDatafeedsOf(this.sim);
	}

	/** The live feeds of the bot (the trigger's are tagged with the workflow's ID). */
	triggerFeeds(): SimFeed[] {
		return this.datafeeds().feedsOf(BOT).filter((feed) => feed.tag?.includes(this.workflowId) === true);
	}

	botReplies(): SimMessage[] {
		return simMessagingOf(this.sim).allMessages().filter((m) => m.userId === BOT);
	}

	/** How often the feed delivered the question's event. */
	deliveriesOf(feed: SimFeed, question: Question): number {
		let times = 0;
		for (const [eventId, count] of feed.deliveries) if (question.eventIds.includes(eventId)) times += count;
		return times;
	}

	/** Posts questions mentioning the bot and someone, spread over the conversations. */
	ask(count: number): Question[] {
		const asked: Question[] = [];
		for (let i = 0; i < count; i++) {
			const { stream, asker, about } = this.streams[this.questions.length % this.streams.length];
			const n = this.questions.length + 1;
			const messageML = `<messageML><mention uid="${BOT}"/> is <mention uid="${about.id}"/> around? (question ${n})</messageML>`;
			const message = this.datafeeds().post(asker.id, stream.id, messageML, `@Presence Bot is @${about.displayName} around? (question ${n})`);
			// Posting queues the message's event on the bot's live feeds at once.
			const eventIds = this.datafeeds()
				.feedsOf(BOT)
				.flatMap((feed) => feed.queue.filter((event) => event.body.messageId === message.messageId).map((event) => event.id));
			const question = { message, about, eventIds };
			this.questions.push(question);
			asked.push(question);
		}
		return asked;
	}

	/** Waits for a read of the trigger's feed waiting at the simulator: one feed, one reader. */
	async readWaiting(what: string, timeoutMs = 60000): Promise<SimFeed> {
		return await waitFor(what, timeoutMs, () => {
			const feeds = this.triggerFeeds();
			return feeds.length === 1 && feeds[0].waiters.size === 1 ? feeds[0] : undefined;
		});
	}

	/**
	 * Waits until every question so far is answered and its execution finished, then checks: one
	 * execution per question (its message ID, once across all executions), each successful, each
	 * answered once in the question's conversation with the presence of the person asked about.
	 * `executions` reads every execution of the workflow.
	 */
	async expectEveryQuestionAnsweredOnce(session: () => N8nSession, timeoutMs: number, executions: () => Promise<TriggerExecution[]>): Promise<void> {
		const { questions } = this;
		await waitFor(`${questions.length} answers at the simulator (${this.botReplies().length} so far)`, timeoutMs, () =>
			this.botReplies().length >= questions.length ? true : undefined,
		);
		await waitFor(`${questions.length} successful executions`, 60000, async () =>
			(await countExecutions(session(), this.workflowId, ['success'])) >= questions.length ? true : undefined,
		);
		// Anything still coming (a duplicate) would come now.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const all = await executions();
		expect(all.map((e) => e.workflowId).filter((w) => w !== this.workflowId)).toEqual([]);
		expect(all.map((e) => e.status).filter((s) => s !== 'success')).toEqual([]);
		expect(all.map((e) => e.mode).filter((m) => m !== 'trigger')).toEqual([]);
		const asked = new Map(questions.map((q) => [q.message.messageId, q]));
		const replies = new Map(this.botReplies().map((m) => [m.messageId, m]));
		const answered: string[] = [];
		const answers = new Set<string>();
		for (const { id, run } of all) {
			expect(all.filter((e) => e.id === id)).toHaveLength(1);
			const [item] = nodeItems(run, TRIGGER);
			const question = asked.get(String(item?.messageId));
			expect({ execution: id, known: question !== undefined }).toEqual({ execution: id, known: true });
			answered.push(question!.message.messageId);
			const [person] = nodeItems(run, PERSON);
			expect(person.userId).toBe(question!.about.id);
			const [sent] = nodeItems(run, ANSWER);
			const reply = replies.get(String(sent?.messageId));
			expect(reply?.streamId).toBe(question!.message.streamId);
			expect(reply?.text).toMatch(new RegExp(`^${question!.about.displayName} is [A-Z_]+ since \\d\\d:\\d\\d$`));
			answers.add(reply!.messageId);
		}
		expect(answered.length).toBe(questions.length);
		expect(new Set(answered).size).toBe(questions.length);
		expect([...answered].sort()).toEqual(questions.map((q) => q.message.messageId).sort());
		expect(answers.size).toBe(questions.length);
		expect(this.botReplies()).toHaveLength(questions.length);
	}

	/**
	 * Deactivates the workflow (`deactivate`) while a read of its feed waits, and checks at the
	 * simulator: the read in flight is given up at once, no read comes again past the end of a wait,
	 * and the feed is kept (docs/datafeed-trigger.md).
	 */
	async expectDeactivationLeavesNoRead(deactivate: () => Promise<void>): Promise<void> {
		const feed = await this.readWaiting('the trigger reading its feed');
		await deactivate();
		await waitFor('no read of the feed waiting', READ_WAIT_MS / 2, () => (feed.waiters.size === 0 ? true : undefined));
		const reads = this.datafeeds().reads.filter((r) => r.feedId === feed.id).length;
		expect(this.datafeeds().pendingReads).toBe(0);
		await new Promise((resolve) => setTimeout(resolve, READ_WAIT_MS + 2000));
		expect(this.datafeeds().reads.filter((r) => r.feedId === feed.id)).toHaveLength(reads);
		expect(this.datafeeds().pendingReads).toBe(0);
		expect(this.triggerFeeds().map((f) => f.id)).toEqual([feed.id]);
	}
}

export function datafeedTriggerSuite(spec: RuntimeSpec): void {
	let runtime: Runtime;
	let sim: PodSimulator;
	let bot: AskPresenceBot;
	let n8n: N8n;
	let packed: Packed | undefined;
	let started: StartedN8n | undefined;
	let cookie = '';
	const v1 = spec.n8nVersion.startsWith('1.');

	function log(message: string): void {
		process.stderr.write(`[e2e datafeed ${spec.n8nVersion}] ${message}\n`);
	}

	const session = (): N8nSession => ({ url: started!.url, cookie });

	/** Every execution of the workflow, by ID: a fresh database numbers them from 1, and this is its only workflow. */
	async function executions(): Promise<TriggerExecution[]> {
		// n8n 1.x does not list the newest first when executions end in another order than they began: count, then read each.
		const last = await countExecutions(session(), WORKFLOW_ID);
		const all: TriggerExecution[] = [];
		for (let id = 1; id <= last; id++) all.push(await readExecution(runtime, session(), String(id)));
		return all;
	}

	const expectEveryQuestionAnsweredOnce = async (timeoutMs: number) => await bot.expectEveryQuestionAnsweredOnce(session, timeoutMs, executions);

	/** n8n 1.x answers its REST routes 404 for a moment after it reports ready: tries again while it does. */
	async function login(attempt: () => Promise<string>): Promise<string> {
		return await waitFor('n8n\'s REST API', 60000, async () =>
			await attempt().catch((error: Error) => (/: 404 /.test(error.message) ? undefined : Promise.reject(error))),
		);
	}

	beforeAll(async () => {
		runtime = await ensureRuntime(spec);
		packed = await buildAndPack(log);
		n8n = new N8n(runtime);
		n8n.installPackage(packed.tarball);
		sim = await startSimulator({ users });
		bot = new AskPresenceBot(sim, WORKFLOW_ID, CREDENTIAL);
		await n8n.importCredentials([bot.credentialExport()]);
		await n8n.importWorkflow(bot.workflow());
		await n8n.activateWorkflow(WORKFLOW_ID);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await started?.stop();
		await sim?.close();
		await n8n?.dispose();
		packed?.cleanup();
	});

	test(`n8n ${spec.n8nVersion}: 200 questions, 200 executions, each message once, each answered once in its conversation`, async () => {
		started = await n8n.start();
		const feed = await bot.readWaiting('the trigger reading its feed after activation');
		cookie = await login(() => ownerSession(started!.url));
		log(`n8n started at ${started.url}; the trigger reads feed ${feed.id}`);
		bot.ask(200);
		await expectEveryQuestionAnsweredOnce(180000);
		// Each read acknowledged the batch before it; the bot read without marking itself available.
		expect(bot.datafeeds().reads.filter((r) => r.feedId === feed.id && r.updatePresence !== false)).toEqual([]);
		expect([...feed.deliveries.values()].filter((times) => times > 1)).toEqual([]);
	}, 5 * 60 * 1000);

	test(`n8n ${spec.n8nVersion}: a feed that expires is replaced, and what the simulator delivers again is answered once`, async () => {
		const datafeeds = bot.datafeeds();
		// From here a batch not acknowledged comes again after 5 s (Symphony: about 30 s).
		datafeeds.settings.visibilityMs = REDELIVERY_MS;
		const [old] = bot.triggerFeeds();
		datafeeds.expire(old.id);
		const fresh = await waitFor('a new feed read by the trigger', 60000, () => {
			const feeds = bot.triggerFeeds();
			return feeds.length === 1 && feeds[0].id !== old.id && feeds[0].waiters.size === 1 ? feeds[0] : undefined;
		});
		log(`feed ${old.id} expired; the trigger reads ${fresh.id}`);
		expect(datafeeds.reads.filter((r) => r.feedId === old.id).at(-1)?.status).toBe(400);
		bot.ask(20);
		await expectEveryQuestionAnsweredOnce(120000);
		// The next read is answered at the simulator (its batch delivered) but the answer never reaches
		// n8n (the connection is reset): the batch is not acknowledged, and the simulator delivers it again.
		// An event the trigger does not ask for ends the read waiting now, so the next one meets the fault.
		sim.fault({ path: `/agent/v5/datafeeds/${fresh.id}/read`, method: 'POST', afterProcessing: true, reset: true });
		datafeeds.publish([BOT], { type: 'ROOMCREATED', body: { type: 'ROOMCREATED', timestamp: sim.now() } });
		await waitFor('the read that will lose its answer to wait', 60000, () => (sim.faults.length === 0 && fresh.waiters.size === 1 ? true : undefined));
		const lost = bot.ask(10);
		await expectEveryQuestionAnsweredOnce(120000);
		expect(lost.map((q) => bot.deliveriesOf(fresh, q))).toEqual(lost.map(() => 2));
	}, 4 * 60 * 1000);

	test(`n8n ${spec.n8nVersion}: a restart of n8n loses and duplicates nothing`, async () => {
		const [feed] = bot.triggerFeeds();
		// The read that would acknowledge the next batch never reaches the simulator's queue (held,
		// then reset): n8n stops with that batch handled and not acknowledged.
		sim.fault({ path: `/agent/v5/datafeeds/${feed.id}/read`, method: 'POST', delayMs: 60000, reset: true });
		const handled = bot.ask(10);
		await expectEveryQuestionAnsweredOnce(120000);
		expect(sim.faults).toEqual([]);
		await started!.stop();
		started = undefined;
		// n8n is down: the feed keeps what arrives.
		expect(feed.waiters.size).toBe(0);
		const whileDown = bot.ask(10);
		const queued = new Set(feed.queue.map((event) => event.id));
		expect(whileDown.flatMap((q) => q.eventIds).filter((id) => queued.has(id))).toHaveLength(10);
		started = await n8n.start();
		// The owner exists already: log in.
		cookie = await login(() => ownerLogin(started!.url));
		await expectEveryQuestionAnsweredOnce(120000);
		// The batch handled before the stop came again after the start, and started nothing.
		expect(handled.map((q) => bot.deliveriesOf(feed, q))).toEqual(handled.map(() => 2));
		// The same feed, read on: none created at the restart.
		expect(bot.triggerFeeds().map((f) => f.id)).toEqual([feed.id]);
	}, 4 * 60 * 1000);

	test(`n8n ${spec.n8nVersion}: deactivating the workflow leaves no read waiting at the simulator`, async () => {
		await bot.expectDeactivationLeavesNoRead(async () => {
			if (v1) {
				const { data: workflow } = await rest<{ versionId: string }>(started!.url, 'GET', `workflows/${WORKFLOW_ID}`, { cookie });
				await rest(started!.url, 'PATCH', `workflows/${WORKFLOW_ID}?forceSave=true`, { cookie, body: { active: false, versionId: workflow.versionId } });
			} else {
				await rest(started!.url, 'POST', `workflows/${WORKFLOW_ID}/deactivate`, { cookie, body: {} });
			}
		});
	}, 2 * 60 * 1000);
}
