/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports -- development code: runs in Node, never packed */
/**
 * The package in n8n's queue mode, as teams run n8n at scale: one main instance and two workers of
 * n8n 2.41.1 (`EXECUTIONS_MODE=queue`), Redis (a Bull prefix of this run's own) and PostgreSQL (a
 * database this run creates and drops), with n8n's durable scheduler on. Each instance has its own
 * user folder with the packed package installed in it, as on separate machines.
 *
 * - Production Webhook → Register Interest → Get → Respond to Webhook, 40 calls at once: main takes
 *   the calls, the workers run the executions (their logs name them), the answers are right.
 * - The same with the RSA credential while the pod ends every session mid-run.
 * - The Presence Trigger example, polled by the durable scheduler: changes made a minute after
 *   activation, one by a person at another firm, come out once; the pod's 5-minute rule holds.
 * - The Symphony Trigger (datafeed v5) with the ask-presence-bot.json example, read on main (the
 *   leader): 200 questions, each message once in an execution of its own run by a worker; main
 *   restarted mid-stream while the workers run on, nothing lost or duplicated, the same feed read on;
 *   deactivation leaves no read at the simulator. The example and its checks are shared with the
 *   single-instance suite (suites/datafeedTrigger.ts).
 *
 * Needs PostgreSQL on 127.0.0.1:5432 (trust, user postgres) and Redis on 127.0.0.1:6379: without
 * them the suite is skipped with one line saying why, unless SYMPHONY_E2E_QUEUE=required (CI).
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'crypto';
import * as path from 'path';

import { DEFAULT_CALLER_ID, demoUsers, startSimulator, type PodSimulator, type SimUser } from '../simulator';
import { simLoginOf, type SimLogin } from '../simulator/routes/login';
import { DEFAULT_KEY_MANAGER_TOKEN, simMessagingOf } from '../simulator/routes/messages';
import { N8n, freePort, nodeItems, ownerSession, rest, waitFor, type N8nRun, type StartedN8n } from './n8n';
import { buildAndPack, type Packed } from './pack';
import { ensureRuntime, type Runtime } from './runtime';
import { DURABLE_SCHEDULER_ENV, SCHEDULERS, requestsPerPoll } from './schedulers';
import { POSTGRES, REDIS, createDatabase, deleteRedisKeys, dropDatabase, probeServices } from './services';
import { AskPresenceBot, REDELIVERY_MS, countExecutions, ownerLogin, readExecution, type N8nSession, type TriggerExecution } from './suites/datafeedTrigger';
import { manualVariant, readExample, symphonyNode, type CredentialRef, type NodeSpec, type Workflow, type WorkflowNode } from './workflows';

const SETUP_TIMEOUT_MS = 25 * 60 * 1000;
const WORKERS = 2;
const CALLS = 40;
const STATUSES = ['AVAILABLE', 'BUSY', 'AWAY', 'IN_A_MEETING', 'ON_THE_PHONE'];

const services = probeServices();
if (services.missing && !services.required) {
	process.stderr.write(`[e2e queue] skipped the queue-mode suite: ${services.missing} (set SYMPHONY_E2E_QUEUE=required to fail instead)\n`);
}
const describeQueue = services.missing && !services.required ? describe.skip : describe;

const TOKEN_CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'symphonyQueueToken', name: 'Symphony (simulator token)' };
const RSA_CREDENTIAL: CredentialRef = { type: 'symphonyRsaApi', id: 'symphonyQueueRsa', name: 'Symphony (simulator bot key)' };
const TRIGGER_CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'symphonyQueueTrig', name: 'Symphony (trigger pod)' };
const DATAFEED_CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'symphonyQueueFeed', name: 'Symphony (datafeed pod)' };
/** The ask-presence-bot.json example's workflow (at most 16 characters, as for n8n 1.x's static data). */
const ASK_BOT_ID = 'queueAskBot';
const BOT_USERNAME = 'presence.bot';

/** People at another firm, with IDs beyond 2^53 (tenant 131072): a lost digit would show. */
function externalUsers(first: bigint): SimUser[] {
	return Array.from({ length: CALLS }, (_, i) => ({
		id: (first + BigInt(i)).toString(),
		external: true,
		connected: true,
		presence: STATUSES[i % STATUSES.length],
	}));
}
const TOKEN_USERS = externalUsers(9007199254741001n);
const RSA_USERS = externalUsers(9007199254742001n);

/** Webhook (GET, answered by the last node) → the given nodes → Respond to Webhook with their items. */
function webhookChain(id: string, name: string, webhookPath: string, steps: NodeSpec[]): Workflow {
	const nodes: WorkflowNode[] = [
		{
			id: `${id}-webhook`,
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: { httpMethod: 'GET', path: webhookPath, responseMode: 'responseNode', options: {} },
		},
		...steps.map((step, i) => ({ ...step, position: [220 * (i + 1), 0] as [number, number] })),
		{
			id: `${id}-respond`,
			name: 'Respond',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			position: [220 * (steps.length + 1), 0],
			parameters: { respondWith: 'allIncomingItems', options: {} },
		},
	];
	const connections: Workflow['connections'] = {};
	for (let i = 0; i + 1 < nodes.length; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

/** Register interest → Get presence, for one user named in the query. */
function webhookWorkflow(id: string, webhookPath: string, credential: CredentialRef): Workflow {
	return webhookChain(id, `Presence over a webhook (${credential.type})`, webhookPath, [
		symphonyNode('Register interest', { operation: 'registerInterest', userIds: '={{ $json.query.userId }}', options: {} }, credential),
		symphonyNode('Get presence', { operation: 'get', userId: '={{ $json.userId }}', local: false, options: {} }, credential),
	]);
}

/** Message → Send: the person and the text from the query. */
function sendWebhookWorkflow(id: string, webhookPath: string, credential: CredentialRef): Workflow {
	return webhookChain(id, `Send over a webhook (${credential.type})`, webhookPath, [
		symphonyNode(
			'Send',
			{ resource: 'message', operation: 'send', sendTo: 'users', userIds: '={{ $json.query.userId }}', text: '={{ $json.query.text }}', options: {} },
			credential,
		),
	]);
}

function log(message: string): void {
	process.stderr.write(`[e2e queue] ${message}\n`);
}

/** Execution IDs a worker's log says it ran ("Worker started execution <id> (job <n>)"). */
function executionsRunBy(worker: StartedN8n): Set<string> {
	return new Set([...worker.output().matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]));
}

interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
}

describeQueue('n8n 2.41 in queue mode: main and 2 workers, PostgreSQL, Redis, durable scheduler', () => {
	const runId = `${process.pid}_${randomBytes(4).toString('hex')}`;
	const database = `symphony_e2e_${runId}`;
	const bullPrefix = `symphony-e2e-${runId}`;
	let runtime: Runtime;
	let packed: Packed | undefined;
	let pod: PodSimulator;
	let triggerPod: PodSimulator;
	let feedPod: PodSimulator;
	let bot: AskPresenceBot;
	let login: SimLogin;
	const instances: N8n[] = [];
	let main: StartedN8n;
	const workers: StartedN8n[] = [];
	let databaseCreated = false;
	let cookie: string;

	const session = (): N8nSession => ({ url: main.url, cookie });

	const webhookUrl = (webhookPath: string, userId: string) => `${main.url}/webhook/${webhookPath}?userId=${userId}`;

	beforeAll(async () => {
		if (services.missing) throw new Error(`SYMPHONY_E2E_QUEUE=required, and queue mode cannot run: ${services.missing}`);
		runtime = await ensureRuntime();
		packed = await buildAndPack(log);
		await createDatabase(runtime, database);
		databaseCreated = true;
		log(`database ${database}, Bull prefix ${bullPrefix}`);

		pod = await startSimulator({ users: [...TOKEN_USERS, ...RSA_USERS] });
		login = simLoginOf(pod);
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		login.addBot({ username: BOT_USERNAME, userId: DEFAULT_CALLER_ID, publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] });
		triggerPod = await startSimulator({ users: demoUsers() });
		feedPod = await startSimulator({ users: demoUsers() });
		bot = new AskPresenceBot(feedPod, ASK_BOT_ID, DATAFEED_CREDENTIAL);

		const queueEnv: NodeJS.ProcessEnv = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: POSTGRES.host,
			DB_POSTGRESDB_PORT: String(POSTGRES.port),
			DB_POSTGRESDB_USER: POSTGRES.user,
			DB_POSTGRESDB_DATABASE: database,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: REDIS.host,
			QUEUE_BULL_REDIS_PORT: String(REDIS.port),
			QUEUE_BULL_PREFIX: bullPrefix,
			...DURABLE_SCHEDULER_ENV,
		};
		// Main and each worker: a user folder of its own with the package installed in it.
		for (let i = 0; i <= WORKERS; i++) {
			const instance = new N8n(runtime, undefined, queueEnv);
			instance.installPackage(packed.tarball);
			instances.push(instance);
		}
		const [mainInstance] = instances;
		await mainInstance.importCredentials([
			{ ...TOKEN_CREDENTIAL, data: { podUrl: pod.url, sessionKind: 'sessionToken', token: pod.token } },
			{
				...RSA_CREDENTIAL,
				data: { podUrl: pod.url, loginAs: 'bot', username: BOT_USERNAME, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
			},
			{ ...TRIGGER_CREDENTIAL, data: { podUrl: triggerPod.url, sessionKind: 'sessionToken', token: triggerPod.token, keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN } },
			bot.credentialExport(),
		]);
		const workflows = [
			webhookWorkflow('queueWebhookToken', `presence-token-${runId}`, TOKEN_CREDENTIAL),
			webhookWorkflow('queueWebhookRsa', `presence-rsa-${runId}`, RSA_CREDENTIAL),
			sendWebhookWorkflow('queueSendRsa', `send-rsa-${runId}`, RSA_CREDENTIAL),
			manualVariant(readExample('presence-trigger-alert.json'), 'queueTriggerAlert', TRIGGER_CREDENTIAL),
			bot.workflow(),
		];
		await mainInstance.importWorkflows(workflows);
		for (const workflow of workflows) await mainInstance.activateWorkflow(workflow.id);

		main = await mainInstance.start();
		log(`main started at ${main.url}`);
		for (const instance of instances.slice(1)) {
			const healthPort = await freePort();
			workers.push(
				await instance.start({
					args: ['worker', '--concurrency=10'],
					healthPort,
					env: { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' },
				}),
			);
		}
		log(`${workers.length} workers ready`);
		cookie = await ownerSession(main.url);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		for (const instance of instances) await instance.dispose();
		await pod?.close();
		await triggerPod?.close();
		await feedPod?.close();
		if (runtime && databaseCreated) {
			await dropDatabase(runtime, database).catch((error: unknown) => log(`could not drop ${database}: ${String(error)}`));
			await deleteRedisKeys(runtime, bullPrefix).catch((error: unknown) => log(`could not delete Redis keys ${bullPrefix}:*: ${String(error)}`));
		}
		packed?.cleanup();
	}, 120000);

	// First, so that it runs within a minute or two of main activating the trigger at its start.
	test('the Presence Trigger example under the durable scheduler: changes made a minute after activation, one by a person at another firm, come out once, run by a worker; nobody at another firm is read twice within 5 minutes', async () => {
		const [, , { baselinePolls }] = SCHEDULERS.find(([, env]) => env === DURABLE_SCHEDULER_ENV)!;
		const bob = demoUsers().find((u) => u.email === 'bob@acme.example')!;
		const carol = demoUsers().find((u) => u.email === 'carol@globex.example')!;
		const bobReads = () => triggerPod.requestsTo(`/pod/v3/user/${bob.id}/presence`, 'GET').length;
		const carolReads = () => triggerPod.requestsTo(`/pod/v3/user/${carol.id}/presence`, 'GET');
		const registrations = () => triggerPod.requestsTo('/pod/v1/user/presence/register', 'POST');
		const filter = encodeURIComponent(JSON.stringify({ workflowId: 'queueTriggerAlert' }));
		const executions = async () =>
			(await rest<{ results: ExecutionSummary[] }>(main.url, 'GET', `executions?filter=${filter}`, { cookie })).data.results;

		// Main polls at activation (the durable scheduler keeps nothing of it), then every minute.
		const activatedAt = (await waitFor('the poll at activation', 120000, () => registrations()[0])).at;
		await waitFor('the first scheduled poll', 120000, () => (bobReads() >= baselinePolls ? true : undefined));
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, activatedAt + 60_000 - Date.now())));
		triggerPod.setPresence(bob.id, 'AVAILABLE');
		triggerPod.setPresence(carol.id, 'AVAILABLE');
		log(`Bob and Carol became available ${Math.round((Date.now() - activatedAt) / 1000)} s after activation; waiting for the next poll`);
		const execution = await waitFor('an execution started by the trigger', 150000, async () =>
			(await executions()).find((e) => e.status !== 'running' && e.status !== 'new' && e.status !== 'waiting'),
		);
		expect(execution.status).toBe('success');
		expect(workers.some((worker) => executionsRunBy(worker).has(execution.id))).toBe(true);
		const { data: details } = await rest<{ data: string }>(main.url, 'GET', `executions/${execution.id}`, { cookie });
		const { parse } = require(path.join(runtime.n8nDir, 'node_modules', 'flatted')) as { parse: (text: string) => unknown };
		const run = { data: parse(details.data) } as N8nRun;
		// Carol's first reading comes after her change: it comes out with it, the status before unknown.
		expect(nodeItems(run, 'Someone becomes available')).toEqual([
			expect.objectContaining({ userId: bob.id, email: bob.email, status: 'AVAILABLE', previousStatus: 'IN_A_MEETING' }),
			expect.objectContaining({ userId: carol.id, email: carol.email, status: 'AVAILABLE', previousStatus: null }),
		]);

		const readsAfterFiring = bobReads();
		await waitFor('the poll after the one that fired', 90000, () => (bobReads() > readsAfterFiring ? true : undefined));
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect((await executions()).map((e) => e.id)).toEqual([execution.id]);
		expect(registrations()).toHaveLength(baselinePolls);
		// Symphony's 5-minute rule at the pod: Carol read once so far, and nothing refused.
		expect(carolReads().map((r) => r.status)).toEqual([200]);
		expect(triggerPod.requests.filter((r) => r.status !== 200)).toEqual([]);
		// The example's last node told the desk head about Bob, once, from the worker that ran it.
		expect(simMessagingOf(triggerPod).allMessages().map((m) => m.text)).toEqual([expect.stringContaining(`${bob.email} is available again`)]);
		log(`trigger requests per poll: ${JSON.stringify(requestsPerPoll(triggerPod))}`);
	}, 8 * 60 * 1000);

	test('40 concurrent production webhook calls: each answered with its user\'s presence, executions run by both workers, exact IDs at the pod', async () => {
		const webhookPath = `presence-token-${runId}`;
		const before = workers.map(executionsRunBy);
		const answers = await Promise.all(
			TOKEN_USERS.map(async (user) => {
				const response = await fetch(webhookUrl(webhookPath, user.id));
				return { user, status: response.status, text: await response.text() };
			}),
		);
		for (const { user, status, text } of answers) {
			expect({ userId: user.id, status }).toEqual({ userId: user.id, status: 200 });
			// The ID as text, every digit, as the pod gave it.
			expect(text).toContain(`"userId":"${user.id}"`);
			expect(JSON.parse(text)).toEqual([expect.objectContaining({ userId: user.id, category: user.presence })]);
		}
		await waitFor('the workers to log every execution', 30000, () => {
			const ran = workers.map((worker, i) => [...executionsRunBy(worker)].filter((id) => !before[i].has(id)));
			return ran.flat().length >= CALLS ? ran : undefined;
		}).then((ran) => {
			log(`executions per worker: ${ran.map((ids) => ids.length).join(', ')}`);
			for (const ids of ran) expect(ids.length).toBeGreaterThan(0);
		});

		const sent = pod.requests.filter((r) => r.path !== '/pod/v2/sessioninfo');
		expect(sent.filter((r) => r.status !== 200)).toEqual([]);
		const registered = pod.requestsTo('/pod/v1/user/presence/register', 'POST').flatMap((r) => r.body.match(/\d+/g) ?? []);
		expect(registered.sort()).toEqual(TOKEN_USERS.map((u) => u.id).sort());
		const read = pod.requestsTo('/pod/v3/user/', 'GET').map((r) => r.path.split('/')[4]);
		expect(read.sort()).toEqual(TOKEN_USERS.map((u) => u.id).sort());
	}, 5 * 60 * 1000);

	test('with the RSA credential, the pod ending every session mid-run: every call succeeds, at most one login per worker per expiry', async () => {
		const webhookPath = `presence-rsa-${runId}`;
		const loginsBefore = login.logins('bot');
		let answered = 0;
		let expired = false;
		const calls = RSA_USERS.map(async (user, i) => {
			await new Promise((resolve) => setTimeout(resolve, i * 50));
			const response = await fetch(webhookUrl(webhookPath, user.id));
			const text = await response.text();
			answered++;
			// Once a quarter of the calls are answered, every session ends while the others run.
			if (answered === CALLS / 4 && !expired) {
				expired = true;
				login.expireSessions();
				log('the pod ended every session');
			}
			return { user, status: response.status, text };
		});
		const answers = await Promise.all(calls);
		expect(expired).toBe(true);
		for (const { user, status, text } of answers) {
			expect({ userId: user.id, status, ...(status !== 200 && { text: text.slice(0, 500) }) }).toEqual({ userId: user.id, status: 200 });
			expect(JSON.parse(text)).toEqual([expect.objectContaining({ userId: user.id, category: user.presence })]);
		}
		const logins = login.logins('bot') - loginsBefore;
		log(`RSA logins: ${logins} (${WORKERS} workers, 1 expiry)`);
		// A first login, and at least one after the expiry; never more than one per worker for each.
		expect(logins).toBeGreaterThanOrEqual(2);
		expect(logins).toBeLessThanOrEqual(WORKERS * 2);
		const refused = pod.requests.filter((r) => r.status !== 200 && r.status !== 401);
		expect(refused).toEqual([]);
	}, 5 * 60 * 1000);

	test('40 concurrent sends over production webhooks with the RSA bot, its key manager session ended mid-run: each message posted exactly once, in its IM', async () => {
		const messaging = simMessagingOf(pod);
		const postedBefore = messaging.allMessages().length;
		const keyManagerLoginsBefore = messaging.keyManagerLogins.length;
		const textFor = (i: number, userId: string) => `Call ${i} for ${userId}: price < 100 & "firm"`;
		let answered = 0;
		let expired = false;
		const answers = await Promise.all(
			RSA_USERS.map(async (user, i) => {
				await new Promise((resolve) => setTimeout(resolve, i * 25));
				const response = await fetch(`${main.url}/webhook/send-rsa-${runId}?userId=${user.id}&text=${encodeURIComponent(textFor(i, user.id))}`);
				const text = await response.text();
				answered++;
				// Once a quarter of the sends are answered, the key manager ends its sessions while the others run.
				if (answered === CALLS / 4 && !expired) {
					expired = true;
					messaging.expireKeyManagerSessions();
					log('the key manager ended every session');
				}
				return { user, i, status: response.status, text };
			}),
		);
		expect(expired).toBe(true);
		for (const { user, i, status, text } of answers) {
			expect({ userId: user.id, status, ...(status !== 200 && { text: text.slice(0, 500) }) }).toEqual({ userId: user.id, status: 200 });
			expect(JSON.parse(text)).toEqual([expect.objectContaining({ streamId: messaging.imFor([DEFAULT_CALLER_ID, user.id]).id, text: textFor(i, user.id) })]);
		}
		// Exactly once each, in the bot's IM with that person, as typed.
		const posted = messaging.allMessages().slice(postedBefore);
		expect(posted.map((m) => m.text).sort()).toEqual(RSA_USERS.map((user, i) => textFor(i, user.id)).sort());
		for (const message of posted) {
			const userId = /for (\d+):/.exec(message.text)![1];
			expect({ userId, streamId: message.streamId }).toEqual({ userId, streamId: messaging.imFor([DEFAULT_CALLER_ID, userId]).id });
		}
		const keyManagerLogins = messaging.keyManagerLogins.length - keyManagerLoginsBefore;
		log(`key manager logins: ${keyManagerLogins} (${WORKERS} workers, 1 expiry)`);
		expect(keyManagerLogins).toBeGreaterThanOrEqual(2);
		expect(keyManagerLogins).toBeLessThanOrEqual(WORKERS * 2);
		expect(messaging.keyManagerLogins.filter((entry) => entry.status !== 200)).toEqual([]);
	}, 5 * 60 * 1000);

	/** Executions of other workflows, among those the workers ran (not read again). */
	const notAskBot = new Set<string>();
	/**
	 * Every execution of the ask-presence-bot workflow, found in the workers' logs ("Worker started
	 * execution <id>") and read back through main's REST API; n8n must list no other execution of it,
	 * so each one was run by a worker.
	 */
	async function askBotExecutions(): Promise<TriggerExecution[]> {
		const ran = new Set(workers.flatMap((worker) => [...executionsRunBy(worker)]));
		const ours: TriggerExecution[] = [];
		for (const id of ran) {
			if (notAskBot.has(id)) continue;
			const execution = await readExecution(runtime, session(), id);
			if (execution.workflowId === ASK_BOT_ID) ours.push(execution);
			else notAskBot.add(id);
		}
		expect(await countExecutions(session(), ASK_BOT_ID)).toBe(ours.length);
		return ours;
	}

	/** How many of the workflow's executions each worker ran. */
	function askBotExecutionsPerWorker(executions: TriggerExecution[]): number[] {
		const ids = new Set(executions.map((e) => e.id));
		return workers.map((worker) => [...executionsRunBy(worker)].filter((id) => ids.has(id)).length);
	}

	test('the Symphony Trigger (datafeed v5) read by main, its executions run by the workers: 200 questions, each message once, in an execution of its own, each answered once', async () => {
		// Activated at main's start, minutes ago: one feed, one read waiting at the simulator.
		const feed = await bot.readWaiting('main reading the trigger\'s feed');
		expect(bot.datafeeds().pendingReads).toBe(1);
		bot.ask(200);
		await bot.expectEveryQuestionAnsweredOnce(session, 180000, askBotExecutions);
		const perWorker = askBotExecutionsPerWorker(await askBotExecutions());
		log(`datafeed executions per worker: ${perWorker.join(', ')}`);
		for (const count of perWorker) expect(count).toBeGreaterThan(0);
		expect(bot.datafeeds().reads.filter((r) => r.feedId === feed.id && r.updatePresence !== false)).toEqual([]);
		expect([...feed.deliveries.values()].filter((times) => times > 1)).toEqual([]);
		expect(bot.triggerFeeds().map((f) => f.id)).toEqual([feed.id]);
	}, 5 * 60 * 1000);

	test('main restarted mid-stream, the workers running on: every question answered once, the batch main handled before its stop delivered again and skipped, the same feed read on', async () => {
		const datafeeds = bot.datafeeds();
		// From here a batch not acknowledged comes again after 5 s (Symphony: about 30 s).
		datafeeds.settings.visibilityMs = REDELIVERY_MS;
		const [feed] = bot.triggerFeeds();
		const workerPids = workers.map((worker) => worker.pid);
		const repliesBefore = bot.botReplies().length;
		// A question every half second, from before main stops until after it reads again.
		let asking = true;
		let held: string[] = [];
		const stream = (async () => {
			while (asking) {
				bot.ask(1);
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		})();
		try {
			await waitFor('main answering the stream', 60000, () => (bot.botReplies().length >= repliesBefore + 5 ? true : undefined));
			// The read that would acknowledge main's last batch is held, then reset: main stops with that
			// batch handled (its executions queued) and not acknowledged.
			feedPod.fault({ path: `/agent/v5/datafeeds/${feed.id}/read`, method: 'POST', delayMs: 60000, reset: true });
			await waitFor('the read that acknowledges main\'s last batch, held', 30000, () => (feedPod.faults.length === 0 ? true : undefined));
			held = datafeeds.reads.filter((r) => r.feedId === feed.id && r.status === 200).at(-1)!.events;
			expect(held.length).toBeGreaterThan(0);
			const stopping = Date.now();
			await main.stop();
			log(`main stopped in ${Date.now() - stopping} ms, ${bot.questions.length} questions so far`);
			// Main is down: nobody reads, the feed keeps what arrives; the workers run on.
			expect(feed.waiters.size).toBe(0);
			const firstWhileDown = bot.questions.length;
			await new Promise((resolve) => setTimeout(resolve, 2000));
			const whileDown = bot.questions.slice(firstWhileDown);
			expect(whileDown.length).toBeGreaterThan(0);
			const queued = new Set(feed.queue.map((event) => event.id));
			expect(whileDown.flatMap((q) => q.eventIds).filter((id) => !queued.has(id))).toEqual([]);
			main = await instances[0].start();
			cookie = await ownerLogin(main.url);
			const readsAfterStart = datafeeds.reads.length;
			await waitFor('main reading the feed again', 60000, () => (datafeeds.reads.slice(readsAfterStart).some((r) => r.feedId === feed.id && r.status === 200) ? true : undefined));
			await new Promise((resolve) => setTimeout(resolve, 3000));
		} finally {
			asking = false;
			await stream;
		}
		log(`${bot.questions.length} questions in all; main back at ${main.url}`);
		await waitFor('the batch handled before the stop, delivered again', 60000, () => (held.every((id) => (feed.deliveries.get(id) ?? 0) >= 2) ? true : undefined));
		await bot.expectEveryQuestionAnsweredOnce(session, 180000, askBotExecutions);
		// The same feed, read on: none created at the restart; the same worker processes ran everything.
		expect(bot.triggerFeeds().map((f) => f.id)).toEqual([feed.id]);
		expect(workers.map((worker) => worker.pid)).toEqual(workerPids);
		for (const worker of workers) expect(worker.process.exitCode).toBeNull();
		log(`datafeed executions per worker: ${askBotExecutionsPerWorker(await askBotExecutions()).join(', ')}`);
	}, 8 * 60 * 1000);

	test('deactivating the Symphony Trigger\'s workflow on main leaves no read waiting at the simulator', async () => {
		await bot.expectDeactivationLeavesNoRead(async () => {
			await rest(main.url, 'POST', `workflows/${ASK_BOT_ID}/deactivate`, { cookie, body: {} });
		});
	}, 2 * 60 * 1000);
});
