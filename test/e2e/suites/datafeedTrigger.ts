/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports -- development code: runs in Node, never packed */
/**
 * The Symphony Trigger (datafeed v5) in a real, running n8n, with the example ask-presence-bot.json
 * activated as a user would: 200 questions mentioning the bot start 200 executions, each message
 * exactly once, each answered once in its own conversation; the feed expires at the simulator and the
 * trigger reads a new one; n8n stops, messages arrive while it is down, and after its start they are
 * answered once; the workflow is deactivated and no read of its feed waits at the simulator.
 */
import * as path from 'path';

import { DEFAULT_CALLER_ID, demoUsers, startSimulator, type PodSimulator, type SimUser } from '../../simulator';
import { simDatafeedsOf, type SimFeed } from '../../simulator/routes/datafeed';
import { DEFAULT_KEY_MANAGER_TOKEN, simMessagingOf, type SimMessage, type SimStream } from '../../simulator/routes/messages';
import { E2E_OWNER, N8n, nodeItems, ownerSession, rest, waitFor, type N8nRun, type StartedN8n } from '../n8n';
import { buildAndPack, type Packed } from '../pack';
import { ensureRuntime, type Runtime, type RuntimeSpec } from '../runtime';
import { manualVariant, readExample, type CredentialRef } from '../workflows';

const SETUP_TIMEOUT_MS = 25 * 60 * 1000;
/** At most 16 characters: n8n 1.x saves no static data for a workflow with a longer ID (`isWorkflowIdValid`). */
const WORKFLOW_ID = 'e2eAskBot';
const CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'symphonyFeedE2e', name: 'Symphony (simulator token)' };
const TRIGGER = 'Question for the bot';
const PERSON = 'The person mentioned';
const ANSWER = 'Answer in the same conversation';
/** The simulator's long poll: shorter than Symphony's 30 s, still long enough that a read left running is seen waiting. */
const READ_WAIT_MS = 10_000;
/** The simulator's visibility timeout in the cases that make it deliver a batch again. */
const REDELIVERY_MS = 5_000;

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

interface Question {
	message: SimMessage;
	/** Who is asked about. */
	about: SimUser;
	/** The datafeed events that carry it (one per live feed of the bot when it was posted). */
	eventIds: string[];
}

export function datafeedTriggerSuite(spec: RuntimeSpec): void {
	let runtime: Runtime;
	let sim: PodSimulator;
	let n8n: N8n;
	let packed: Packed | undefined;
	let started: StartedN8n | undefined;
	let cookie = '';
	let streams: Array<{ stream: SimStream; asker: SimUser; about: SimUser }> = [];
	const questions: Question[] = [];
	const v1 = spec.n8nVersion.startsWith('1.');

	function log(message: string): void {
		process.stderr.write(`[e2e datafeed ${spec.n8nVersion}] ${message}\n`);
	}

	const datafeeds = () => simDatafeedsOf(sim);
	/** The live feeds of the bot (the trigger's are tagged with the workflow's ID). */
	const triggerFeeds = (): SimFeed[] => datafeeds().feedsOf(BOT).filter((feed) => feed.tag?.includes(WORKFLOW_ID) === true);
	const botReplies = () => simMessagingOf(sim).allMessages().filter((m) => m.userId === BOT);

	/** How often the feed delivered the question's event. */
	function deliveriesOf(feed: SimFeed, question: Question): number {
		let times = 0;
		for (const [eventId, count] of feed.deliveries) if (question.eventIds.includes(eventId)) times += count;
		return times;
	}

	/** Posts questions mentioning the bot and someone, spread over the conversations. */
	function ask(count: number): Question[] {
		const asked: Question[] = [];
		for (let i = 0; i < count; i++) {
			const { stream, asker, about } = streams[questions.length % streams.length];
			const n = questions.length + 1;
			const messageML = `<messageML><mention uid="${BOT}"/> is <mention uid="${about.id}"/> around? (question ${n})</messageML>`;
			const message = datafeeds().post(asker.id, stream.id, messageML, `@Presence Bot is @${about.displayName} around? (question ${n})`);
			// Posting queues the message's event on the bot's live feeds at once.
			const eventIds = datafeeds()
				.feedsOf(BOT)
				.flatMap((feed) => feed.queue.filter((event) => event.body.messageId === message.messageId).map((event) => event.id));
			const question = { message, about, eventIds };
			questions.push(question);
			asked.push(question);
		}
		return asked;
	}

	/** Every execution of the workflow with its run, read back through n8n's REST API. */
	async function executions(): Promise<Array<ExecutionSummary & { run: N8nRun }>> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }));
		const { data } = await rest<{ count: number; results: ExecutionSummary[] }>(started!.url, 'GET', `executions?filter=${filter}&limit=1`, { cookie });
		if (data.results.length === 0) return [];
		// A fresh database numbers executions from 1, and this is the only workflow: read them all by ID
		// (n8n 1.x does not list the newest first when executions end in another order than they began).
		const last = data.count;
		expect(Number(data.results[0].id)).toBeLessThanOrEqual(last);
		// Execution data is stored in n8n's "flatted" form; n8n's own copy of the package reads it.
		const { parse } = require(path.join(runtime.n8nDir, 'node_modules', 'flatted')) as { parse: (text: string) => unknown };
		const all: Array<ExecutionSummary & { run: N8nRun }> = [];
		for (let id = 1; id <= last; id++) {
			const { data: one } = await rest<ExecutionSummary & { data: string }>(started!.url, 'GET', `executions/${id}`, { cookie });
			all.push({ id: one.id, workflowId: one.workflowId, status: one.status, mode: one.mode, run: { data: parse(one.data) } as N8nRun });
		}
		return all;
	}

	/**
	 * Waits until every question so far is answered and its execution finished, then checks: one
	 * execution per question (its message ID, once across all executions), each successful, each
	 * answered once in the question's conversation with the presence of the person asked about.
	 */
	async function expectEveryQuestionAnsweredOnce(timeoutMs: number): Promise<void> {
		await waitFor(`${questions.length} answers at the simulator (${botReplies().length} so far)`, timeoutMs, () => (botReplies().length >= questions.length ? true : undefined));
		const filter = encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID, status: ['success'] }));
		await waitFor(`${questions.length} successful executions`, 60000, async () => {
			const { data } = await rest<{ count: number }>(started!.url, 'GET', `executions?filter=${filter}&limit=1`, { cookie });
			return data.count >= questions.length ? true : undefined;
		});
		// Anything still coming (a duplicate) would come now.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const all = await executions();
		expect(all.map((e) => e.workflowId).filter((w) => w !== WORKFLOW_ID)).toEqual([]);
		expect(all.map((e) => e.status).filter((s) => s !== 'success')).toEqual([]);
		expect(all.map((e) => e.mode).filter((m) => m !== 'trigger')).toEqual([]);
		const asked = new Map(questions.map((q) => [q.message.messageId, q]));
		const replies = new Map(botReplies().map((m) => [m.messageId, m]));
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
		expect(botReplies()).toHaveLength(questions.length);
	}

	/** n8n 1.x answers its REST routes 404 for a moment after it reports ready: tries again while it does. */
	async function session(login: () => Promise<string>): Promise<string> {
		return await waitFor('n8n\'s REST API', 60000, async () =>
			await login().catch((error: Error) => (/: 404 /.test(error.message) ? undefined : Promise.reject(error))),
		);
	}

	/** Waits for a read of the trigger's feed waiting at the simulator. */
	async function readWaiting(what: string, timeoutMs = 60000): Promise<SimFeed> {
		return await waitFor(what, timeoutMs, () => {
			const feeds = triggerFeeds();
			return feeds.length === 1 && feeds[0].waiters.size === 1 ? feeds[0] : undefined;
		});
	}

	beforeAll(async () => {
		runtime = await ensureRuntime(spec);
		packed = await buildAndPack(log);
		n8n = new N8n(runtime);
		n8n.installPackage(packed.tarball);
		sim = await startSimulator({ users });
		datafeeds().settings.waitMs = READ_WAIT_MS;
		const messaging = simMessagingOf(sim);
		streams = [
			{ stream: messaging.imFor([ALICE.id, BOT]), asker: ALICE, about: BOB },
			{ stream: messaging.imFor([BOB.id, BOT]), asker: BOB, about: ALICE },
			{ stream: messaging.imFor([ALICE.id, BOB.id, BOT]), asker: ALICE, about: BOB },
		];
		await n8n.importCredentials([{ ...CREDENTIAL, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: sim.token, keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN } }]);
		// The example as a user sets it up: its credential chosen (the trigger's Authentication set to it), then activated.
		const workflow = manualVariant(readExample('ask-presence-bot.json'), WORKFLOW_ID, CREDENTIAL);
		for (const node of workflow.nodes) if (node.name === TRIGGER) node.parameters.authentication = CREDENTIAL.type;
		await n8n.importWorkflow(workflow);
		const activate = v1 ? ['update:workflow', `--id=${WORKFLOW_ID}`, '--active=true'] : ['publish:workflow', `--id=${WORKFLOW_ID}`];
		const publish = await n8n.run(activate);
		if (publish.code !== 0) throw new Error(`${activate[0]} failed:\n${publish.output.slice(-3000)}`);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await started?.stop();
		await sim?.close();
		await n8n?.dispose();
		packed?.cleanup();
	});

	test(`n8n ${spec.n8nVersion}: 200 questions, 200 executions, each message once, each answered once in its conversation`, async () => {
		started = await n8n.start();
		const feed = await readWaiting('the trigger reading its feed after activation');
		cookie = await session(() => ownerSession(started!.url));
		log(`n8n started at ${started.url}; the trigger reads feed ${feed.id}`);
		ask(200);
		await expectEveryQuestionAnsweredOnce(180000);
		// Each read acknowledged the batch before it; the bot read without marking itself available.
		expect(datafeeds().reads.filter((r) => r.feedId === feed.id && r.updatePresence !== false)).toEqual([]);
		expect([...feed.deliveries.values()].filter((times) => times > 1)).toEqual([]);
	}, 5 * 60 * 1000);

	test(`n8n ${spec.n8nVersion}: a feed that expires is replaced, and what the simulator delivers again is answered once`, async () => {
		// From here a batch not acknowledged comes again after 5 s (Symphony: about 30 s).
		datafeeds().settings.visibilityMs = REDELIVERY_MS;
		const [old] = triggerFeeds();
		datafeeds().expire(old.id);
		const fresh = await waitFor('a new feed read by the trigger', 60000, () => {
			const feeds = triggerFeeds();
			return feeds.length === 1 && feeds[0].id !== old.id && feeds[0].waiters.size === 1 ? feeds[0] : undefined;
		});
		log(`feed ${old.id} expired; the trigger reads ${fresh.id}`);
		expect(datafeeds().reads.filter((r) => r.feedId === old.id).at(-1)?.status).toBe(400);
		ask(20);
		await expectEveryQuestionAnsweredOnce(120000);
		// The next read is answered at the simulator (its batch delivered) but the answer never reaches
		// n8n (the connection is reset): the batch is not acknowledged, and the simulator delivers it again.
		// An event the trigger does not ask for ends the read waiting now, so the next one meets the fault.
		sim.fault({ path: `/agent/v5/datafeeds/${fresh.id}/read`, method: 'POST', afterProcessing: true, reset: true });
		datafeeds().publish([BOT], { type: 'ROOMCREATED', body: { type: 'ROOMCREATED', timestamp: sim.now() } });
		await waitFor('the read that will lose its answer to wait', 60000, () => (sim.faults.length === 0 && fresh.waiters.size === 1 ? true : undefined));
		const lost = ask(10);
		await expectEveryQuestionAnsweredOnce(120000);
		expect(lost.map((q) => deliveriesOf(fresh, q))).toEqual(lost.map(() => 2));
	}, 4 * 60 * 1000);

	test(`n8n ${spec.n8nVersion}: a restart of n8n loses and duplicates nothing`, async () => {
		const [feed] = triggerFeeds();
		// The read that would acknowledge the next batch never reaches the simulator's queue (held,
		// then reset): n8n stops with that batch handled and not acknowledged.
		sim.fault({ path: `/agent/v5/datafeeds/${feed.id}/read`, method: 'POST', delayMs: 60000, reset: true });
		const handled = ask(10);
		await expectEveryQuestionAnsweredOnce(120000);
		expect(sim.faults).toEqual([]);
		await started!.stop();
		started = undefined;
		// n8n is down: the feed keeps what arrives.
		expect(feed.waiters.size).toBe(0);
		const whileDown = ask(10);
		const queued = new Set(feed.queue.map((event) => event.id));
		expect(whileDown.flatMap((q) => q.eventIds).filter((id) => queued.has(id))).toHaveLength(10);
		started = await n8n.start();
		// The owner exists already: log in.
		cookie = await session(async () => {
			const { cookie: loggedIn } = await rest(started!.url, 'POST', 'login', { body: { emailOrLdapLoginId: E2E_OWNER.email, password: E2E_OWNER.password } });
			if (!loggedIn) throw new Error('n8n answered the login without a session cookie');
			return loggedIn;
		});
		await expectEveryQuestionAnsweredOnce(120000);
		// The batch handled before the stop came again after the start, and started nothing.
		expect(handled.map((q) => deliveriesOf(feed, q))).toEqual(handled.map(() => 2));
		// The same feed, read on: none created at the restart.
		expect(triggerFeeds().map((f) => f.id)).toEqual([feed.id]);
	}, 4 * 60 * 1000);

	test(`n8n ${spec.n8nVersion}: deactivating the workflow leaves no read waiting at the simulator`, async () => {
		const feed = await readWaiting('the trigger reading its feed');
		if (v1) {
			const { data: workflow } = await rest<{ versionId: string }>(started!.url, 'GET', `workflows/${WORKFLOW_ID}`, { cookie });
			await rest(started!.url, 'PATCH', `workflows/${WORKFLOW_ID}?forceSave=true`, { cookie, body: { active: false, versionId: workflow.versionId } });
		} else {
			await rest(started!.url, 'POST', `workflows/${WORKFLOW_ID}/deactivate`, { cookie, body: {} });
		}
		// The read in flight is given up at once, not left to the end of its wait.
		await waitFor('no read of the feed waiting', READ_WAIT_MS / 2, () => (feed.waiters.size === 0 ? true : undefined));
		const reads = datafeeds().reads.filter((r) => r.feedId === feed.id).length;
		expect(datafeeds().pendingReads).toBe(0);
		// Past the end of a wait: no read came again.
		await new Promise((resolve) => setTimeout(resolve, READ_WAIT_MS + 2000));
		expect(datafeeds().reads.filter((r) => r.feedId === feed.id)).toHaveLength(reads);
		expect(datafeeds().pendingReads).toBe(0);
		// The feed is kept (docs/datafeed-trigger.md).
		expect(triggerFeeds().map((f) => f.id)).toEqual([feed.id]);
	}, 2 * 60 * 1000);
}
