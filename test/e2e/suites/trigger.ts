/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports -- development code: runs in Node, never packed */
/**
 * The Symphony Presence Trigger in a real, running n8n: the example presence-trigger-alert.json is
 * published, `n8n start` activates it (n8n polls once on activation, then every minute), a presence
 * changes on the simulator, and the next poll starts an execution that goes through the example's
 * Filter and Set nodes; the poll after that starts nothing. In n8n 2.x it runs twice: with n8n's
 * in-memory poller (one poll context per activation) and with its durable scheduler and durable
 * cursors (a new context for every poll, state in the database). Takes two to three minutes each,
 * most of it waiting for n8n's next minute (1 minute is the shortest poll interval n8n accepts).
 */
import * as path from 'path';

import { DEFAULT_CALLER_ID, demoUsers, startSimulator, type PodSimulator, type SimUser } from '../../simulator';
import { DEFAULT_KEY_MANAGER_TOKEN, simMessagingOf } from '../../simulator/routes/messages';
import { N8n, nodeItems, ownerSession, rest, waitFor, type N8nRun, type StartedN8n } from '../n8n';
import { buildAndPack, type Packed } from '../pack';
import { ensureRuntime, type Runtime, type RuntimeSpec } from '../runtime';
import { SCHEDULERS, requestsPerPoll } from '../schedulers';
import { manualVariant, readExample, type CredentialRef } from '../workflows';

const SETUP_TIMEOUT_MS = 25 * 60 * 1000;
const WORKFLOW_ID = 'e2eTriggerAlert';
const CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'symphonyTriggerE2e', name: 'Symphony (simulator token)' };

const users = demoUsers();
const byEmail = (email: string): SimUser => {
	const user = users.find((u) => u.email === email);
	if (!user) throw new Error(`no user ${email}`);
	return user;
};
const ALICE = byEmail('alice@acme.example'); // the desk head the example tells
const BOB = byEmail('bob@acme.example'); // IN_A_MEETING, then AVAILABLE
const CAROL = byEmail('carol@globex.example'); // external: read at most every 5 minutes

/**
 * Registers the trigger test for one n8n version (call at the top level of a test file): with each
 * of n8n's ways of running poll triggers that the version has (n8n 1.x has no durable scheduler).
 */
export function triggerSuite(spec: RuntimeSpec): void {
	const schedulers = spec.n8nVersion.startsWith('1.') ? SCHEDULERS.slice(0, 1) : SCHEDULERS;
	describe.each(schedulers)('with %s', (_scheduler, schedulerEnv, { baselinePolls }) => schedulerSuite(spec, schedulerEnv, baselinePolls));
}

function schedulerSuite(spec: RuntimeSpec, schedulerEnv: NodeJS.ProcessEnv, baselinePolls: number): void {
	let runtime: Runtime;
	let sim: PodSimulator;
	let n8n: N8n;
	let packed: Packed | undefined;
	let started: StartedN8n | undefined;

	function log(message: string): void {
		process.stderr.write(`[e2e trigger] ${message}\n`);
	}

	interface ExecutionSummary {
		id: string;
		workflowId: string;
		status: string;
		mode: string;
	}

	beforeAll(async () => {
		runtime = await ensureRuntime(spec);
		packed = await buildAndPack(log);
		n8n = new N8n(runtime);
		n8n.installPackage(packed.tarball);
		sim = await startSimulator({ users });
		await n8n.importCredentials([{ ...CREDENTIAL, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: sim.token, keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN } }]);
		// The example as a user sets it up: its credential chosen, then published (activated).
		const workflow = manualVariant(readExample('presence-trigger-alert.json'), WORKFLOW_ID, CREDENTIAL);
		await n8n.importWorkflow(workflow);
		await n8n.activateWorkflow(WORKFLOW_ID);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await started?.stop();
		await sim?.close();
		await n8n?.dispose();
		packed?.cleanup();
	});

	test(`the example trigger workflow fires in a running n8n ${spec.n8nVersion} when someone becomes available`, async () => {
		const presenceReads = () => sim.requestsTo('/pod/v3/user/', 'GET').filter((r) => r.path.endsWith('/presence'));

		started = await n8n.start({ env: schedulerEnv });
		log(`n8n started at ${started.url}; waiting for the poll at activation`);
		const bobReads = () => presenceReads().filter((r) => r.path === `/pod/v3/user/${BOB.id}/presence`).length;
		const carolReads = () => presenceReads().filter((r) => r.path === `/pod/v3/user/${CAROL.id}/presence`);
		const registrations = () => sim.requestsTo('/pod/v1/user/presence/register', 'POST');
		// The poll at activation: resolves the emails, registers the external user, reads the colleagues
		// (baseline); the external user is first read by the next poll whose state n8n keeps.
		await waitFor('the poll at activation', 60000, () => (presenceReads().length >= 2 && registrations().length >= 1 ? true : undefined));
		expect(registrations().map((r) => r.body.match(/\d+/g))).toEqual([[CAROL.id]]);
		expect(carolReads()).toEqual([]);
		if (baselinePolls > 1) await waitFor('the first scheduled poll', 90000, () => (bobReads() >= baselinePolls ? true : undefined));

		sim.setPresence(BOB.id, 'AVAILABLE');
		sim.setPresence(CAROL.id, 'AVAILABLE');
		log('Bob and Carol became available; waiting for the next poll (up to a minute)');

		const cookie = await ownerSession(started.url);
		const filter = encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }));
		const execution = await waitFor('an execution started by the trigger', 150000, async () => {
			const { data } = await rest<{ results: ExecutionSummary[] }>(started!.url, 'GET', `executions?filter=${filter}`, { cookie });
			return data.results.find((e) => e.status !== 'running' && e.status !== 'new');
		});
		expect(execution.mode).toBe('trigger');
		expect(execution.status).toBe('success');

		// Execution data is stored in n8n's "flatted" form; n8n's own copy of the package reads it.
		const { data: details } = await rest<{ data: string }>(started.url, 'GET', `executions/${execution.id}`, { cookie });
		const { parse } = require(path.join(runtime.n8nDir, 'node_modules', 'flatted')) as { parse: (text: string) => unknown };
		const run = { data: parse(details.data) } as N8nRun;

		// Both changes are seen at the next poll: Bob's as a change, Carol's with her first reading
		// (made after watching began, the status before unknown).
		const fired = nodeItems(run, 'Someone becomes available');
		expect(fired).toEqual([
			expect.objectContaining({ userId: BOB.id, email: BOB.email, status: 'AVAILABLE', previousStatus: 'IN_A_MEETING' }),
			expect.objectContaining({ userId: CAROL.id, email: CAROL.email, status: 'AVAILABLE', previousStatus: null }),
		]);
		expect(nodeItems(run, 'Back from a meeting or call?')).toHaveLength(1);
		expect(nodeItems(run, 'Compose message')).toEqual([
			expect.objectContaining({ userId: BOB.id, message: expect.stringContaining(`${BOB.email} is available again (was IN_A_MEETING)`) }),
		]);
		// Alice (available all along) fired nothing. The desk head got the composed text, once, in the bot's IM with her.
		const [composed] = nodeItems(run, 'Compose message');
		const posted = simMessagingOf(sim).allMessages();
		expect(posted.map((m) => [m.streamId, m.text])).toEqual([[simMessagingOf(sim).imFor([DEFAULT_CALLER_ID, ALICE.id]).id, composed.message]]);
		expect(nodeItems(run, 'Tell the desk head')).toEqual([expect.objectContaining({ messageId: posted[0].messageId, text: composed.message })]);

		// The next poll reads Bob again and starts nothing: the change came out once.
		const bobReadsAfterFiring = bobReads();
		await waitFor('the poll after the one that fired', 90000, () => (bobReads() > bobReadsAfterFiring ? true : undefined));
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const { data: after } = await rest<{ results: ExecutionSummary[] }>(started.url, 'GET', `executions?filter=${filter}`, { cookie });
		expect(after.results.map((e) => e.id)).toEqual([execution.id]);
		expect(simMessagingOf(sim).allMessages()).toHaveLength(1);
		// Interest was registered by the polls that started watching, not at every poll; Symphony's
		// 5-minute rule at the pod: Carol read once so far, and nothing refused.
		expect(registrations()).toHaveLength(baselinePolls);
		expect(carolReads().map((r) => r.status)).toEqual([200]);
		expect(sim.requests.filter((r) => r.status !== 200)).toEqual([]);
		log(`requests per poll: ${JSON.stringify(requestsPerPoll(sim))}`);
	}, 6 * 60 * 1000);
}
