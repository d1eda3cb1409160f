/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports -- development code: runs in Node, never packed */
/**
 * End to end in a real n8n: the packed package installed as n8n installs community packages,
 * credentials and workflows imported with n8n's CLI, workflows run with `n8n execute`, requests
 * answered by the pod simulator running in this process. One suite, run for each supported n8n
 * line by its own test file (so the lines can run in parallel).
 *
 * The first run installs the Node and n8n versions into a cache folder outside the repo
 * (minutes); later runs reuse it (see docs/e2e.md).
 */
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { DEFAULT_CALLER_ID, demoUsers, EXTERNAL_QUERY_INTERVAL_MS, startSimulator, type PodSimulator, type SimUser } from '../../simulator';
import { simLoginOf, type SimLogin } from '../../simulator/routes/login';
import { DEFAULT_KEY_MANAGER_TOKEN, DESK_ROOM_ID, SUPPRESS_PRIVILEGE, simMessagingOf } from '../../simulator/routes/messages';
import {
	N8n,
	RESOLUTION_PROBE_TYPE,
	documentedInstall,
	nodeItems,
	runOutcome,
	type CredentialExport,
	type ExecuteResult,
	type N8nRun,
} from '../n8n';
import { buildAndPack, type Packed } from '../pack';
import { ensureRuntime, type RuntimeSpec } from '../runtime';
import {
	REPO_ROOT,
	chain,
	manualVariant,
	readExample,
	symphonyNode,
	symphonyNodes,
	type CredentialRef,
	type Workflow,
} from '../workflows';

const SETUP_TIMEOUT_MS = 25 * 60 * 1000;

/** An external user at another firm, connected and available: visible only after Register Interest. */
const FRANK: SimUser = {
	id: '18014398509481985',
	username: 'frank.hooli',
	email: 'frank@hooli.example',
	displayName: 'Frank Ito',
	company: 'Hooli',
	external: true,
	connected: true,
	presence: 'AVAILABLE',
};
// Erin (another firm, not connected) is found by email, so examples/connect-and-watch.json can ask her to connect.
const users = [...demoUsers().map((user) => (user.username === 'erin.umbrella' ? { ...user, discoverable: true } : user)), FRANK];
const byName = (username: string): SimUser => {
	const user = users.find((u) => u.username === username);
	if (!user) throw new Error(`no user ${username}`);
	return user;
};
const ALICE = byName('alice.acme'); // internal, AVAILABLE
const BOB = byName('bob.acme'); // internal, IN_A_MEETING
const CAROL = byName('carol.globex'); // external, connected, BUSY
const ERIN = byName('erin.umbrella'); // external, not connected

const TOKEN_CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'symphonyTokenE2e', name: 'Symphony (simulator token)' };
const RSA_CREDENTIAL: CredentialRef = { type: 'symphonyRsaApi', id: 'symphonyRsaE2e', name: 'Symphony (simulator bot key)' };
/** Alice's session, obtained by an app on her behalf. */
const OBO_CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'symphonyOboE2e', name: 'Symphony (simulator OBO token)' };
const ALICE_OBO_SESSION = 'sim-obo-e2e-5b1f9c0d7a';
const BOT_USERNAME = 'presence.bot';

/** Registers the suite for one n8n version (call at the top level of a test file). */
export function examplesSuite(spec: RuntimeSpec): void {
	jest.setTimeout(3 * 60 * 1000);

	let sim: PodSimulator;
	let login: SimLogin;
	let n8n: N8n;
	let packed: Packed | undefined;
	let n8nNodeTypes: Map<string, number[]>;
	let runtimeDir: string;
	let installed: ReturnType<N8n['installPackageAsDocumented']>;

	interface NodeDescription {
		name: string;
		version: number | number[];
		usableAsTool?: unknown;
	}

	function log(message: string): void {
		process.stderr.write(`[e2e] ${message}\n`);
	}

	/** The run's error as n8n reports it, or the CLI output when there is no run object. */
	function describeFailure(result: ExecuteResult): string {
		const error = result.run?.data.resultData.error;
		return error ? `${error.name}: ${error.message}` : result.output.slice(-3000);
	}

	/** A run n8n ended as failed (exit 1), or the CLI output that says what happened instead. */
	function expectFailedRun(result: ExecuteResult): N8nRun {
		if (result.code !== 1 || !result.run) {
			throw new Error(`expected n8n to fail the run with exit 1, got exit ${result.code} (signal ${result.signal}): ${describeFailure(result)}`);
		}
		return result.run;
	}

	function expectSuccess(result: ExecuteResult): N8nRun {
		if (result.code !== 0 || !result.run || runOutcome(result.run) !== 'success') {
			throw new Error(`workflow did not succeed (exit ${result.code}): ${describeFailure(result)}`);
		}
		return result.run;
	}

	function registerRequests() {
		return sim.requestsTo('/pod/v1/user/presence/register', 'POST');
	}

	beforeAll(async () => {
		const start = Date.now();
		const runtime = await ensureRuntime(spec);

		packed = await buildAndPack(log);

		// Node types and versions this n8n ships (its base nodes and its AI nodes), for checking that the
		// examples open without install prompts.
		n8nNodeTypes = new Map();
		for (const shippedBy of ['n8n-nodes-base', '@n8n/n8n-nodes-langchain']) {
			const file = path.join(runtime.n8nDir, 'node_modules', ...shippedBy.split('/'), 'dist', 'types', 'nodes.json');
			if (!fs.existsSync(file)) continue;
			const shipped = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ name: string; version: number | number[] }>;
			// A versioned node has one entry per implementation (IF 1, IF 2+): merge their versions.
			for (const node of shipped) {
				const type = `${shippedBy}.${node.name}`;
				n8nNodeTypes.set(type, [...(n8nNodeTypes.get(type) ?? []), ...([] as number[]).concat(node.version)]);
			}
		}

		n8n = new N8n(runtime);
		runtimeDir = runtime.n8nDir;
		// As users are told to (the README's npm command), beside the probe that reports what the package loaded.
		installed = n8n.installPackageAsDocumented(packed.tarball);
		n8n.installResolutionProbe();
		log(`installed ${installed.name}@${installed.version} into ${n8n.userFolder} (${installed.command.join(' ')})`);

		sim = await startSimulator({ users });
		// The bot logs in with an RSA key made here (never written to the repo); the pod knows its public key.
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		login = simLoginOf(sim);
		sim.addSession({ token: ALICE_OBO_SESSION, userId: ALICE.id, obo: true });
		login.addBot({
			username: BOT_USERNAME,
			userId: DEFAULT_CALLER_ID,
			publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()],
		});

		const credentials: CredentialExport[] = [
			{
				...TOKEN_CREDENTIAL,
				data: { podUrl: sim.url, sessionKind: 'sessionToken', token: sim.token, keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN },
			},
			{
				...OBO_CREDENTIAL,
				data: { podUrl: sim.url, sessionKind: 'oboSessionToken', token: ALICE_OBO_SESSION },
			},
			{
				...RSA_CREDENTIAL,
				data: {
					podUrl: sim.url,
					loginAs: 'bot',
					username: BOT_USERNAME,
					privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
				},
			},
		];
		await n8n.importCredentials(credentials);
		log(`setup done in ${Math.round((Date.now() - start) / 1000)}s`);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await sim?.close();
		await n8n?.dispose();
		packed?.cleanup();
	});

	beforeEach(() => {
		// Each test starts from a clean request log and without the 5-minute external-read memory.
		sim.clearLog();
		sim.lastExternalQuery.clear();
		sim.interest.clear();
		sim.externalQueryIntervalMs = EXTERNAL_QUERY_INTERVAL_MS;
	});

	describe(`the packed package in n8n ${spec.n8nVersion}`, () => {
		test('installed with the documented npm command, no second n8n-workflow sits beside the package', () => {
			const { flags, commands } = documentedInstall();
			expect(flags).toContain('--legacy-peer-deps');
			// Every documented npm install of the package leaves the peer out.
			for (const { file, command } of commands) expect({ file, command, omitsPeer: command.includes('--legacy-peer-deps') }).toMatchObject({ omitsPeer: true });
			expect(installed.command).toEqual(expect.arrayContaining(flags));
			const nodeModules = path.dirname(installed.dir);
			expect(fs.existsSync(path.join(nodeModules, 'n8n-workflow'))).toBe(false);
			expect(fs.existsSync(path.join(installed.dir, 'node_modules'))).toBe(false);
			// Only the package (and the test's probe) are there.
			expect(fs.readdirSync(nodeModules).filter((name) => !name.startsWith('.')).sort()).toEqual(['n8n-nodes-resolution-probe', 'n8n-nodes-symphony']);
		});

		test('registers interest and reads presence (Register Interest → Get), with n8n\'s own n8n-workflow', async () => {
			const workflow = chain('e2eRegisterGet', 'Register and get', [
				symphonyNode(
					'Register Interest',
					{ operation: 'registerInterest', userIds: `${ALICE.id}, ${CAROL.id}\n${FRANK.id}` },
					TOKEN_CREDENTIAL,
				),
				symphonyNode('Get Presence', { operation: 'get', userId: '={{ $json.userId }}' }, TOKEN_CREDENTIAL),
				{ name: 'Resolution Probe', type: RESOLUTION_PROBE_TYPE, typeVersion: 1, parameters: {} },
			]);
			await n8n.importWorkflow(workflow);
			const run = expectSuccess(await n8n.execute(workflow.id));

			// Inside n8n, the package's files were given n8n's own n8n-workflow (NODE_PATH, as n8n sets it), no other.
			const [probe] = nodeItems(run, 'Resolution Probe') as Array<{
				packageFiles: number;
				loadedByPackage: Array<{ dir: string; version: string }>;
				n8nOwn: { dir: string; version: string };
			}>;
			expect(probe.packageFiles).toBeGreaterThan(10);
			expect(probe.n8nOwn.dir.startsWith(runtimeDir)).toBe(true);
			expect(probe.loadedByPackage).toEqual([probe.n8nOwn]);

			const registered = nodeItems(run, 'Register Interest');
			expect(registered.map((item) => item.userId)).toEqual([ALICE.id, CAROL.id, FRANK.id]);
			for (const item of registered) {
				expect(item.registered).toBe(true);
				expect(new Date(String(item.registeredAt)).toString()).not.toBe('Invalid Date');
			}

			// One register request for all users: a bare JSON array of the IDs, digits intact, with the session token.
			const requests = registerRequests();
			expect(requests).toHaveLength(1);
			expect(requests[0].headers.sessiontoken).toBe(sim.token);
			expect(requests[0].body.match(/\d+/g)).toEqual([ALICE.id, CAROL.id, FRANK.id]);
			expect(requests[0].body).toMatch(/^\s*\[[\d,\s]*\]\s*$/);

			const presence = nodeItems(run, 'Get Presence');
			expect(presence.map((item) => [item.userId, item.category])).toEqual([
				[ALICE.id, 'AVAILABLE'],
				[CAROL.id, 'BUSY'],
				[FRANK.id, 'AVAILABLE'],
			]);
			for (const item of presence) expect(typeof item.timestamp).not.toBe('undefined');
			const reads = sim.requestsTo('/pod/v3/user/', 'GET').map((r) => r.path);
			expect(reads).toEqual(
				expect.arrayContaining([ALICE.id, CAROL.id, FRANK.id].map((id) => `/pod/v3/user/${id}/presence`)),
			);
		});

		test('every example imports as it is and uses only node types and versions that exist', async () => {
			const files = fs.readdirSync(path.join(REPO_ROOT, 'examples')).filter((file) => file.endsWith('.json'));
			expect(files).toContain('register-and-get-presence.json');
			// Our node types and versions, from the built files the package's n8n block lists.
			const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
				name: string;
				n8n: { nodes: string[] };
			};
			const known = new Map(n8nNodeTypes);
			for (const file of manifest.n8n.nodes) {
				const exports = require(path.join(REPO_ROOT, file)) as Record<string, new () => { description: NodeDescription }>;
				for (const NodeClass of Object.values(exports)) {
					const { name, version, usableAsTool } = new NodeClass().description;
					known.set(`${manifest.name}.${name}`, ([] as number[]).concat(version));
					// n8n offers a node marked usableAsTool to its AI Agent as `<name>Tool` (docs/ai-agent.md).
					if (usableAsTool) known.set(`${manifest.name}.${name}Tool`, ([] as number[]).concat(version));
				}
			}
			for (const [index, file] of files.entries()) {
				const example = readExample(file);
				for (const node of example.nodes) {
					const versions = known.get(node.type);
					expect({ file, node: node.name, type: node.type, known: versions !== undefined }).toEqual({
						file,
						node: node.name,
						type: node.type,
						known: true,
					});
					expect(versions).toContain(node.typeVersion);
					// The credential is left to the user: no ids from someone else's instance.
					for (const ref of Object.values(node.credentials ?? {})) expect(ref.id ?? '').toBe('');
				}
				await n8n.importWorkflow({ ...example, id: `e2eImport${index}`, active: false });
			}
		});

		test('every example that starts on a schedule runs as it is (with a manual trigger) and its nodes emit items', async () => {
			const files = fs.readdirSync(path.join(REPO_ROOT, 'examples')).filter((file) => file.endsWith('.json'));
			let ran = 0;
			for (const [index, file] of files.entries()) {
				const example = readExample(file);
				const startsOnSchedule = example.nodes.some((node) => node.type === 'n8n-nodes-base.scheduleTrigger');
				if (!startsOnSchedule) continue; // a polling trigger's example runs in suites/trigger.ts
				sim.lastExternalQuery.clear();
				const workflow = manualVariant(example, `e2eAsIs${index}`, TOKEN_CREDENTIAL);
				await n8n.importWorkflow(workflow);
				const run = expectSuccess(await n8n.execute(workflow.id));
				for (const node of symphonyNodes(workflow)) {
					const items = nodeItems(run, node.name);
					expect({ file, node: node.name, items: items.length > 0 }).toEqual({ file, node: node.name, items: true });
					for (const item of items) expect({ file, node: node.name, error: item.error }).toEqual({ file, node: node.name, error: undefined });
				}
				ran++;
			}
			expect(ran).toBeGreaterThanOrEqual(1);
		});

		test('runs the example register-and-get-presence workflow (schedule replaced by a manual trigger)', async () => {
			const example = readExample('register-and-get-presence.json');
			const workflow = manualVariant(example, 'e2eExampleRegGet', TOKEN_CREDENTIAL);
			const [register] = symphonyNodes(workflow, 'registerInterest');
			const [get] = symphonyNodes(workflow, 'get');
			expect(register).toBeDefined();
			expect(get).toBeDefined();
			const ids = [ALICE.id, BOB.id, CAROL.id, FRANK.id];
			register.parameters.userIds = ids.join(', ');
			await n8n.importWorkflow(workflow);
			const run = expectSuccess(await n8n.execute(workflow.id));

			expect(nodeItems(run, register.name).map((item) => item.userId)).toEqual(ids);
			expect(registerRequests()).toHaveLength(1);
			expect(nodeItems(run, get.name).map((item) => item.category)).toEqual([
				'AVAILABLE',
				'IN_A_MEETING',
				'BUSY',
				'AVAILABLE',
			]);

			// IF available: the true branch has exactly the available users.
			const ifNode = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.if');
			expect(ifNode).toBeDefined();
			expect(nodeItems(run, ifNode!.name, 0).map((item) => item.userId)).toEqual([ALICE.id, FRANK.id]);
			// The Set node after it composes a message per available user.
			const setNode = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.set');
			expect(setNode).toBeDefined();
			const messages = nodeItems(run, setNode!.name);
			expect(messages).toHaveLength(2);
			expect(JSON.stringify(messages)).toMatch(/AVAILABLE|available/);
		});

		test('runs the example daily-availability-to-room: one table of everyone\'s status posted to the desk\'s room', async () => {
			const workflow = manualVariant(readExample('daily-availability-to-room.json'), 'e2eDailyTable', TOKEN_CREDENTIAL);
			await n8n.importWorkflow(workflow);
			const messaging = simMessagingOf(sim);
			const before = messaging.messagesIn(DESK_ROOM_ID).length;
			const run = expectSuccess(await n8n.execute(workflow.id));

			// The stream ID as Symphony's client shows it, sent to its URL-safe path: one message, one row per person.
			const posted = messaging.messagesIn(DESK_ROOM_ID).slice(before);
			expect(posted).toHaveLength(1);
			const dan = users.find((user) => user.username === 'dan.initech')!;
			expect(posted[0].text).toBe(
				[['alice@acme.example', ALICE.presence], ['bob@acme.example', BOB.presence], ['carol@globex.example', CAROL.presence], ['dan@initech.example', dan.presence]]
					.map(([email, status]) => `${email}${status}`)
					.reduce((table, row) => table + row, 'Who is available this morningPersonStatus'),
			);
			expect(nodeItems(run, "Post to the desk's room")).toEqual([expect.objectContaining({ messageId: posted[0].messageId, streamId: DESK_ROOM_ID })]);
		});

		test('runs the example with the RSA key credential: the bot logs in and its session is used', async () => {
			const workflow = manualVariant(readExample('register-and-get-presence.json'), 'e2eExampleRsa', RSA_CREDENTIAL);
			const [register] = symphonyNodes(workflow, 'registerInterest');
			const [get] = symphonyNodes(workflow, 'get');
			register.parameters.userIds = `${ALICE.id}, ${CAROL.id}`;
			await n8n.importWorkflow(workflow);
			const loginsBefore = login.logins('bot');
			const run = expectSuccess(await n8n.execute(workflow.id));

			expect(nodeItems(run, get.name).map((item) => [item.userId, item.category])).toEqual([
				[ALICE.id, 'AVAILABLE'],
				[CAROL.id, 'BUSY'],
			]);
			// One bot login for the whole run; every pod call carries the session it issued.
			expect(login.logins('bot') - loginsBefore).toBe(1);
			expect(login.refusals()).toEqual([]);
			const session = login.issued[login.issued.length - 1];
			const podCalls = sim.requestsTo('/pod/');
			expect(podCalls.length).toBeGreaterThanOrEqual(3);
			for (const call of podCalls) expect(call.headers.sessiontoken).toBe(session);
		});

		test('the RSA credential logs in again when the pod has ended its session, with no user action', async () => {
			const workflow = manualVariant(readExample('register-and-get-presence.json'), 'e2eRsaRenewal', RSA_CREDENTIAL);
			const [register] = symphonyNodes(workflow, 'registerInterest');
			register.parameters.userIds = `${ALICE.id}, ${CAROL.id}`;
			await n8n.importWorkflow(workflow);
			expectSuccess(await n8n.execute(workflow.id));
			// The pod ends every session between two runs; the next run starts with the stored, expired token.
			login.expireSessions();
			sim.clearLog();
			sim.lastExternalQuery.clear();
			const loginsBefore = login.logins('bot');
			const run = expectSuccess(await n8n.execute(workflow.id));

			const [get] = symphonyNodes(workflow, 'get');
			expect(nodeItems(run, get.name).map((item) => item.category)).toEqual(['AVAILABLE', 'BUSY']);
			// One 401 (the first call, with the expired token), one login, then every call with the new session.
			expect(login.logins('bot') - loginsBefore).toBe(1);
			const podCalls = sim.requestsTo('/pod/');
			expect(podCalls.filter((call) => call.status === 401)).toHaveLength(1);
			const session = login.issued[login.issued.length - 1];
			for (const call of podCalls.slice(1)) expect(call.headers.sessiontoken).toBe(session);
			log(`re-login: ${sim.requests.length} requests (${podCalls.length} to the pod, ${sim.requests.length - podCalls.length} to the login service)`);
		});

		test('If Read Too Recently → Wait: a second read of a person at another firm waits out the pod\'s interval, then reads', async () => {
			// The pod allows one read of an external user per interval: 8 s here instead of Symphony's 5 minutes.
			const intervalMs = 8000;
			sim.externalQueryIntervalMs = intervalMs;
			const getCarol = { operation: 'get', userId: CAROL.id };
			const workflow = chain('e2eWaitTooRecent', 'Wait when read too recently', [
				symphonyNode('Register Interest', { operation: 'registerInterest', userIds: CAROL.id }, TOKEN_CREDENTIAL),
				symphonyNode('Get Presence', getCarol, TOKEN_CREDENTIAL),
				// One attempt and no request retry: the 429 reaches If Read Too Recently, and the wait is its own.
				symphonyNode(
					'Get Again',
					{ ...getCarol, options: { ifReadTooRecently: 'wait', retry: { settings: { maxAttempts: 1, maxWaitSeconds: 0 } } } },
					TOKEN_CREDENTIAL,
				),
			]);
			await n8n.importWorkflow(workflow);
			const run = expectSuccess(await n8n.execute(workflow.id));

			expect(nodeItems(run, 'Get Presence').map((item) => [item.userId, item.category])).toEqual([[CAROL.id, 'BUSY']]);
			const [again] = nodeItems(run, 'Get Again');
			expect(again).toEqual(expect.objectContaining({ userId: CAROL.id, category: 'BUSY' }));
			expect(again.error).toBeUndefined();
			// The pod refused the early read and answered the one after its interval (it refuses any sooner).
			const reads = sim.requestsTo(`/pod/v3/user/${CAROL.id}/presence`, 'GET');
			expect(reads.map((r) => r.status)).toEqual([200, 429, 200]);
			expect(reads[2].at - reads[0].at).toBeGreaterThanOrEqual(intervalMs);
		});

		test('error items go to the error output under "Continue (using error output)", with what to do and the input item', async () => {
			const workflow = chain('e2eErrorOutput', 'Error output', [
				symphonyNode('Register Interest', { operation: 'registerInterest', userIds: `${CAROL.id}, 999999999, ${ERIN.id}` }, TOKEN_CREDENTIAL, {
					onError: 'continueErrorOutput',
				}),
			]);
			await n8n.importWorkflow(workflow);
			const run = expectSuccess(await n8n.execute(workflow.id));

			expect(nodeItems(run, 'Register Interest', 0).map((item) => item.userId)).toEqual([CAROL.id, ERIN.id]);
			const errors = nodeItems(run, 'Register Interest', 1);
			expect(errors).toHaveLength(1);
			expect(String(errors[0].error)).toMatch(/999999999/);
			expect(errors[0].message).toEqual(expect.any(String));
		});

		test('per-user errors become items with Continue On Fail (unknown and unconnected users)', async () => {
			const workflow = chain('e2eContinueOnFail', 'Errors as items', [
				symphonyNode(
					'Register Interest',
					{ operation: 'registerInterest', userIds: `${CAROL.id}, 999999999, ${ERIN.id}` },
					TOKEN_CREDENTIAL,
					{ onError: 'continueRegularOutput' },
				),
				symphonyNode('Get Presence', { operation: 'get', userId: '={{ $json.userId }}' }, TOKEN_CREDENTIAL, {
					onError: 'continueRegularOutput',
				}),
			]);
			await n8n.importWorkflow(workflow);
			const run = expectSuccess(await n8n.execute(workflow.id));

			const registered = nodeItems(run, 'Register Interest');
			const ok = registered.filter((item) => item.registered === true).map((item) => item.userId);
			const failed = registered.filter((item) => item.error !== undefined);
			expect(ok).toEqual([CAROL.id, ERIN.id]);
			expect(failed).toHaveLength(1);
			expect(failed[0].userId).toBe('999999999');
			expect(String(failed[0].error)).not.toMatch(/\n\s+at /);

			// Get is fed the registered users and the error item; Erin is not connected, so her read fails.
			const presence = nodeItems(run, 'Get Presence');
			expect(presence.find((item) => item.userId === CAROL.id)?.category).toBe('BUSY');
			const erin = presence.find((item) => item.userId === ERIN.id || JSON.stringify(item).includes(ERIN.id));
			expect(erin?.error).toBeDefined();
			expect(erin?.category).toBeUndefined();
		});

		test('a bad user ID fails the run with our message, not a stack trace', async () => {
			const workflow = chain('e2eBadUserId', 'Bad user ID', [
				symphonyNode('Get Presence', { operation: 'get', userId: 'abc' }, TOKEN_CREDENTIAL),
			]);
			await n8n.importWorkflow(workflow);
			const result = await n8n.execute(workflow.id);

			expectFailedRun(result);
			expect(runOutcome(result.run)).toBe('error');
			const error = result.run!.data.resultData.error!;
			expect(error.name).toBe('NodeOperationError');
			expect(error.node?.name).toBe('Get Presence');
			expect(error.message).toMatch(/User ID/);
			expect(error.message).toContain('abc');
			expect(error.message).not.toMatch(/\n\s+at |TypeError|Cannot read|undefined/);
			// The node's own error (what the editor shows on the node) carries the same message.
			expect(result.run!.data.resultData.runData['Get Presence'][0].error?.message).toBe(error.message);
			// The CLI prints it on its own line after "Execution error:".
			const lines = result.output.split('\n');
			expect(lines.some((line) => line.trim() === error.message?.trim())).toBe(true);
			// Nothing was sent to the pod.
			expect(sim.requestsTo('/pod/')).toHaveLength(0);
		});

		test('a refused token fails with the pod message and sends the token it was given', async () => {
			const badCredential: CredentialRef = { type: 'symphonyApi', id: 'symphonyBadTokenE2e', name: 'Symphony (bad token)' };
			await n8n.importCredentials([
				{ ...badCredential, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: 'not-a-valid-token' } },
			]);
			const workflow = chain('e2eBadToken', 'Bad token', [
				symphonyNode('Get Presence', { operation: 'get', userId: ALICE.id }, badCredential),
			]);
			await n8n.importWorkflow(workflow);
			const result = await n8n.execute(workflow.id);

			expectFailedRun(result);
			expect(runOutcome(result.run)).toBe('error');
			const error = result.run!.data.resultData.error!;
			expect(error.message).not.toMatch(/\n\s+at /);
			expect(`${error.message} ${error.description ?? ''}`).toMatch(/token|session|401/i);
			const reads = sim.requestsTo(`/pod/v3/user/${ALICE.id}/presence`);
			expect(reads.length).toBeGreaterThanOrEqual(1);
			expect(reads[0].headers.sessiontoken).toBe('not-a-valid-token');
		});

		test.each([
			['session token', TOKEN_CREDENTIAL],
			['RSA key', RSA_CREDENTIAL],
		])('a fresh Get (version 3) of a connected person at another firm, picked from the list, reads them alone: one register, one read (%s)', async (_name, credential) => {
			const workflow = chain(`e2eGetV3${credential === TOKEN_CREDENTIAL ? 'Token' : 'Rsa'}`, 'Get v3, another firm', [
				symphonyNode(
					'Get Presence',
					{ operation: 'get', user: { __rl: true, mode: 'list', value: FRANK.id, cachedResultName: 'Frank Ito · Hooli' } },
					credential,
					{ typeVersion: 3 },
				),
			]);
			await n8n.importWorkflow(workflow);
			const run = expectSuccess(await n8n.execute(workflow.id));
			expect(nodeItems(run, 'Get Presence')).toEqual([expect.objectContaining({ userId: FRANK.id, category: 'AVAILABLE' })]);
			expect(registerRequests().map((r) => r.body)).toEqual([`[${FRANK.id}]`]);
			expect(sim.requestsTo('/pod/v3/user/').map((r) => r.path)).toEqual([`/pod/v3/user/${FRANK.id}/presence`]);
		});

		test('Message → Send with a session and key manager token, the RSA bot and an OBO token: each text arrives once, exactly as typed', async () => {
			const messaging = simMessagingOf(sim);
			// Characters MessageML and the Agent's template engine treat specially, quotes, emoji, a tab and a line break.
			const typed = 'Desk: price < 100 & "firm" it\'s ${total} #{id} <b>not bold</b> 🚀 ✓\n\tsecond line';
			const long = '0123456789'.repeat(1000);
			const send = (name: string, userId: string, text: string, credential: CredentialRef) =>
				symphonyNode(name, { resource: 'message', operation: 'send', sendTo: 'users', userIds: userId, format: 'text', text }, credential);
			const workflow = chain('e2eMessageSend', 'Send with each credential', [
				send('Send (token)', ALICE.id, typed, TOKEN_CREDENTIAL),
				send('Send (RSA bot)', ALICE.id, long, RSA_CREDENTIAL),
				send('Send (OBO)', BOB.id, typed, OBO_CREDENTIAL),
			]);
			await n8n.importWorkflow(workflow);
			const before = messaging.allMessages().length;
			const kmLoginsBefore = messaging.keyManagerLogins.length;
			const run = expectSuccess(await n8n.execute(workflow.id));

			const sent = messaging.allMessages().slice(before);
			expect(sent.map((m) => [m.userId, m.text])).toEqual([
				[DEFAULT_CALLER_ID, typed],
				[DEFAULT_CALLER_ID, long],
				[ALICE.id, typed],
			]);
			const botAndAlice = messaging.imFor([DEFAULT_CALLER_ID, ALICE.id]).id;
			expect(sent.map((m) => m.streamId)).toEqual([botAndAlice, botAndAlice, messaging.imFor([ALICE.id, BOB.id]).id]);
			for (const [index, name] of ['Send (token)', 'Send (RSA bot)', 'Send (OBO)'].entries()) {
				expect(nodeItems(run, name)).toEqual([
					{ messageId: sent[index].messageId, streamId: sent[index].streamId, timestamp: sent[index].timestamp, text: sent[index].text },
				]);
			}
			// Both tokens on the bots' sends (the RSA bot's key manager token from its own login); none on the OBO send.
			const creates = sim.requestsTo('/agent/v4/stream/', 'POST');
			expect(creates.map((r) => r.status)).toEqual([200, 200, 200]);
			expect(creates[0].headers.keymanagertoken).toBe(DEFAULT_KEY_MANAGER_TOKEN);
			expect(creates[1].headers.keymanagertoken).toBe(messaging.issued[messaging.issued.length - 1]);
			expect(creates[2].headers.keymanagertoken).toBeUndefined();
			expect(creates[2].headers.sessiontoken).toBe(ALICE_OBO_SESSION);
			expect(messaging.keyManagerLogins.slice(kmLoginsBefore)).toEqual([{ subject: BOT_USERNAME, status: 200 }]);
			expect(JSON.stringify(run.data.resultData)).not.toContain(DEFAULT_KEY_MANAGER_TOKEN);

			// The key manager ends the bot's session between two runs: the RSA bot logs in to it again, and each message is posted once.
			messaging.expireKeyManagerSessions();
			sim.clearLog();
			const second = expectSuccess(await n8n.execute(workflow.id));
			expect(messaging.allMessages().slice(before + 3).map((m) => m.text)).toEqual([typed, long, typed]);
			expect(sim.requestsTo('/agent/v4/stream/', 'POST').map((r) => r.status)).toEqual([200, 401, 200, 200]);
			expect(messaging.keyManagerLogins.slice(kmLoginsBefore + 1)).toEqual([{ subject: BOT_USERNAME, status: 200 }]);
			expect(nodeItems(second, 'Send (RSA bot)')).toEqual([expect.objectContaining({ text: long })]);
		});

		test('rooms with the RSA bot: Create Room with a member → Get Room → Add Member → Search Rooms → Send to the room → Remove Member; exactly those requests, IDs exact', async () => {
			const messaging = simMessagingOf(sim);
			const roomName = `Rates desk ${Date.now()}`;
			const room = (name: string, parameters: Record<string, unknown>) =>
				symphonyNode(name, { resource: 'stream', ...parameters }, RSA_CREDENTIAL, { typeVersion: 3 });
			const byId = { __rl: true, mode: 'id', value: "={{ $('Create Room').item.json.streamId }}" };
			const workflow = chain('e2eRooms', 'Rooms', [
				room('Create Room', { operation: 'createRoom', name: roomName, description: 'Rates questions', members: ALICE.id }),
				room('Get Room', { operation: 'getRoom', room: byId }),
				room('Add Member', { operation: 'addMember', room: byId, userIds: BOB.id }),
				room('Search Rooms', { operation: 'searchRooms', query: roomName, returnAll: true }),
				symphonyNode(
					'Send to the room',
					{ resource: 'message', operation: 'send', sendTo: 'stream', streamId: "={{ $('Create Room').item.json.streamId }}", text: 'Desk: rates < 5% & "firm"' },
					RSA_CREDENTIAL,
					{ typeVersion: 3 },
				),
				room('Remove Member', { operation: 'removeMember', room: byId, userIds: BOB.id }),
			]);
			await n8n.importWorkflow(workflow);
			const run = expectSuccess(await n8n.execute(workflow.id));

			const [created] = nodeItems(run, 'Create Room');
			const streamId = String(created.streamId);
			expect(created).toEqual(expect.objectContaining({ name: roomName, description: 'Rates questions', addedUserIds: [ALICE.id] }));
			expect(nodeItems(run, 'Get Room')).toEqual([expect.objectContaining({ streamId, name: roomName, creatorId: DEFAULT_CALLER_ID })]);
			expect(nodeItems(run, 'Search Rooms').map((item) => item.streamId)).toEqual([streamId]);
			expect(messaging.messagesIn(streamId).map((m) => m.text)).toEqual(['Desk: rates < 5% & "firm"']);
			const pod = sim.requests.filter((r) => r.path.startsWith('/pod/') || r.path.startsWith('/agent/')).map((r) => `${r.method} ${r.path} ${r.status}`);
			expect(pod).toEqual([
				'POST /pod/v3/room/create 200',
				`POST /pod/v1/room/${streamId}/membership/add 200`,
				`GET /pod/v3/room/${streamId}/info 200`,
				`POST /pod/v1/room/${streamId}/membership/add 200`,
				'POST /pod/v3/room/search 200',
				`POST /agent/v4/stream/${streamId}/message/create 200`,
				`POST /pod/v1/room/${streamId}/membership/remove 200`,
			]);
			const bodies = sim.requests.filter((r) => r.path.includes('/membership/')).map((r) => r.body.replace(/\s/g, ''));
			expect(bodies).toEqual([`{"id":${ALICE.id}}`, `{"id":${BOB.id}}`, `{"id":${BOB.id}}`]);
		});

		test('messages with the RSA bot: Send to Many (a room and an IM) → Update each → Get Many of each stream; Suppress with an admin session; exactly once each', async () => {
			const messaging = simMessagingOf(sim);
			const im = messaging.imFor([DEFAULT_CALLER_ID, ALICE.id]).id;
			const adminCredential: CredentialRef = { type: 'symphonyApi', id: 'symphonyAdminE2e', name: 'Symphony (content admin)' };
			const adminSession = 'sim-admin-e2e-3c9d1f7a20';
			sim.addSession({ token: adminSession, userId: DEFAULT_CALLER_ID, privileges: [SUPPRESS_PRIVILEGE] });
			await n8n.importCredentials([{ ...adminCredential, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: adminSession } }]);
			const message = (name: string, parameters: Record<string, unknown>, credential = RSA_CREDENTIAL, extra = {}) =>
				symphonyNode(name, { resource: 'message', ...parameters }, credential, { typeVersion: 3, ...extra });
			const workflow = chain('e2eMessages', 'Messages', [
				// The room as Symphony's client shows its ID, the IM URL-safe: both reach Symphony URL-safe.
				message('Send to Many', { operation: 'sendToMany', streamIds: `${Buffer.from(DESK_ROOM_ID, 'base64url').toString('base64')}, ${im}`, text: 'Fills at 9:00 & "firm"' }),
				message('Update', { operation: 'update', streamId: '={{ $json.streamId }}', messageId: '={{ $json.messageId }}', text: 'Fills at 9:05 & "firm"' }),
				message('Get Many', { operation: 'getMany', streamId: '={{ $json.streamId }}', since: '2020-01-01T00:00:00Z', returnAll: true }),
				message('Suppress', { operation: 'suppress', messageId: "={{ $('Update').first().json.messageId }}" }, adminCredential, { executeOnce: true }),
			]);
			await n8n.importWorkflow(workflow);
			const run = expectSuccess(await n8n.execute(workflow.id));

			const sent = nodeItems(run, 'Send to Many');
			expect(sent.map((item) => [item.streamId, item.sent])).toEqual([
				[DESK_ROOM_ID, true],
				[im, true],
			]);
			const blasts = sim.requestsTo('/agent/v4/message/blast', 'POST');
			expect(blasts.map((r) => r.status)).toEqual([200]);
			const updated = nodeItems(run, 'Update');
			expect(updated.map((item) => [item.streamId, item.text])).toEqual([
				[DESK_ROOM_ID, 'Fills at 9:05 & "firm"'],
				[im, 'Fills at 9:05 & "firm"'],
			]);
			expect(sim.requestsTo('/agent/v4/stream/', 'POST').filter((r) => r.path.endsWith('/update')).map((r) => r.status)).toEqual([200, 200]);
			// Each stream holds the updated message once, in place of the first.
			for (const stream of [DESK_ROOM_ID, im]) {
				const texts = messaging.messagesIn(stream).map((m) => m.text);
				expect({ stream, updated: texts.filter((text) => text === 'Fills at 9:05 & "firm"').length, first: texts.filter((text) => text === 'Fills at 9:00 & "firm"').length }).toEqual({ stream, updated: 1, first: 0 });
			}
			const listed = nodeItems(run, 'Get Many');
			for (const { messageId, streamId } of updated) {
				expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ messageId, streamId, text: 'Fills at 9:05 & "firm"' })]));
			}
			expect(listed.find((item) => item.messageId === updated[0].messageId)?.sender).toEqual(expect.objectContaining({ userId: DEFAULT_CALLER_ID }));
			expect(nodeItems(run, 'Suppress')).toEqual([expect.objectContaining({ messageId: updated[0].messageId, suppressed: true })]);
			expect(sim.requestsTo('/pod/v1/admin/messagesuppression/').map((r) => [r.path, r.headers.sessiontoken, r.status])).toEqual([
				[`/pod/v1/admin/messagesuppression/${updated[0].messageId}/suppress`, adminSession, 200],
			]);
		});

		test('every room and message operation with the token credential (bot and key manager token) and an OBO token, in one run: the calls each make, with the right tokens', async () => {
			const messaging = simMessagingOf(sim);
			const stamp = Date.now();
			/** One chain of the operations for one credential: IM, room, membership, search, Send to Many, Update, Get Many. */
			const operations = (label: string, credential: CredentialRef, imWith: string, member: string, added: string) => {
				const node = (name: string, parameters: Record<string, unknown>, extra = {}) =>
					symphonyNode(`${name} (${label})`, parameters, credential, { typeVersion: 3, ...extra });
				const room = { __rl: true, mode: 'id', value: `={{ $('Create Room (${label})').first().json.streamId }}` };
				return [
					node('Create IM', { resource: 'stream', operation: 'createIm', userIds: imWith }),
					node('Create Room', { resource: 'stream', operation: 'createRoom', name: `Desk ${label} ${stamp}`, description: 'Rates', members: member }),
					node('Get Room', { resource: 'stream', operation: 'getRoom', room }),
					node('Add Member', { resource: 'stream', operation: 'addMember', room, userIds: added }),
					node('Search Rooms', { resource: 'stream', operation: 'searchRooms', query: `Desk ${label} ${stamp}`, returnAll: true }),
					node('Send to Many', {
						resource: 'message',
						operation: 'sendToMany',
						streamIds: `={{ $('Create IM (${label})').first().json.streamId }}, {{ $('Create Room (${label})').first().json.streamId }}`,
						text: `Fills at 9:00 (${label})`,
					}),
					node('Update', { resource: 'message', operation: 'update', streamId: '={{ $json.streamId }}', messageId: '={{ $json.messageId }}', text: `Fills at 9:05 (${label})` }),
					node('Get Many', { resource: 'message', operation: 'getMany', streamId: '={{ $json.streamId }}', since: '2020-01-01T00:00:00Z', returnAll: true }),
					node('Remove Member', { resource: 'stream', operation: 'removeMember', room, userIds: added }, { executeOnce: true }),
				];
			};
			// Two chains from one trigger, so one n8n execute runs both.
			const bot = chain('e2eAllOps', 'Every operation, token and OBO', operations('token', TOKEN_CREDENTIAL, ALICE.id, ALICE.id, BOB.id));
			const obo = chain('unused', '', operations('OBO', OBO_CREDENTIAL, BOB.id, BOB.id, DEFAULT_CALLER_ID));
			const oboNodes = obo.nodes.slice(1).map((node) => ({ ...node, position: [node.position[0], 300] as [number, number] }));
			const workflow: Workflow = {
				...bot,
				nodes: [...bot.nodes, ...oboNodes],
				connections: { ...obo.connections, ...bot.connections },
			};
			workflow.connections['Manual Trigger'] = { main: [[bot.connections['Manual Trigger'].main[0][0], obo.connections['Manual Trigger'].main[0][0]]] };
			await n8n.importWorkflow(workflow);
			sim.clearLog();
			const run = expectSuccess(await n8n.execute(workflow.id));

			for (const [label, caller, session, keyManagerToken, imWith, member, added] of [
				['token', DEFAULT_CALLER_ID, sim.token, DEFAULT_KEY_MANAGER_TOKEN, ALICE.id, ALICE.id, BOB.id],
				['OBO', ALICE.id, ALICE_OBO_SESSION, undefined, BOB.id, BOB.id, DEFAULT_CALLER_ID],
			] as const) {
				const im = messaging.imFor([caller, imWith]).id;
				const [created] = nodeItems(run, `Create Room (${label})`);
				const roomId = String(created.streamId);
				expect({ label, im: nodeItems(run, `Create IM (${label})`) }).toEqual({ label, im: [{ streamId: im, userIds: [imWith] }] });
				expect({ label, created }).toEqual({ label, created: expect.objectContaining({ creatorId: caller, addedUserIds: [member] }) });
				expect(nodeItems(run, `Get Room (${label})`)).toEqual([expect.objectContaining({ streamId: roomId, creatorId: caller })]);
				expect(nodeItems(run, `Add Member (${label})`)).toEqual([{ streamId: roomId, userId: added, added: true }]);
				expect(nodeItems(run, `Search Rooms (${label})`).map((item) => item.streamId)).toEqual([roomId]);
				expect(nodeItems(run, `Send to Many (${label})`).map((item) => [item.streamId, item.sent])).toEqual([
					[im, true],
					[roomId, true],
				]);
				const updated = nodeItems(run, `Update (${label})`);
				expect(updated.map((item) => [item.streamId, item.text])).toEqual([
					[im, `Fills at 9:05 (${label})`],
					[roomId, `Fills at 9:05 (${label})`],
				]);
				// Each stream holds the update once, in place of the message it replaced.
				for (const stream of [im, roomId]) {
					const texts = messaging.messagesIn(stream).map((m) => m.text);
					expect({ label, stream, texts: texts.filter((text) => text.endsWith(`(${label})`)) }).toEqual({ label, stream, texts: [`Fills at 9:05 (${label})`] });
				}
				const listed = nodeItems(run, `Get Many (${label})`);
				for (const { messageId, streamId } of updated) {
					expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ messageId, streamId, sender: expect.objectContaining({ userId: caller }) })]));
				}
				expect(nodeItems(run, `Remove Member (${label})`)).toEqual([expect.objectContaining({ streamId: roomId, userId: added })]);
				// Every call of this chain carried its own session; the Agent's also the key manager token of a bot, none for OBO.
				const calls = sim.requests.filter((r) => r.headers.sessiontoken === session && (r.path.startsWith('/pod/') || r.path.startsWith('/agent/')));
				expect({ label, statuses: [...new Set(calls.map((r) => r.status))] }).toEqual({ label, statuses: [200] });
				const agentCalls = calls.filter((r) => r.path.startsWith('/agent/'));
				expect({ label, agent: agentCalls.map((r) => `${r.method} ${r.path.split('?')[0].replace(/\/stream\/[^/]+/, '/stream/{sid}').replace(/\/message\/[^/]+\/update/, '/message/{mid}/update')}`) }).toEqual({
					label,
					agent: [
						'POST /agent/v4/message/blast',
						'POST /agent/v4/stream/{sid}/message/{mid}/update',
						'POST /agent/v4/stream/{sid}/message/{mid}/update',
						'GET /agent/v4/stream/{sid}/message',
						'GET /agent/v4/stream/{sid}/message',
					],
				});
				for (const call of agentCalls) expect({ label, keyManagerToken: call.headers.keymanagertoken }).toEqual({ label, keyManagerToken });
				const bodies = calls.filter((r) => r.path.includes('/membership/')).map((r) => r.body.replace(/\s/g, ''));
				expect({ label, bodies }).toEqual({ label, bodies: [`{"id":${member}}`, `{"id":${added}}`, `{"id":${added}}`] });
			}
			expect(JSON.stringify(run.data.resultData)).not.toContain(DEFAULT_KEY_MANAGER_TOKEN);
			expect(JSON.stringify(run.data.resultData)).not.toContain(ALICE_OBO_SESSION);
		});

		test('a fresh Get (version 3) of a person at another firm who is not connected fails naming the connection status', async () => {
			sim.setConnection(DEFAULT_CALLER_ID, ERIN.id, null);
			const workflow = chain('e2eGetV3NotConnected', 'Get v3, not connected', [
				symphonyNode('Get Presence', { operation: 'get', user: { __rl: true, mode: 'id', value: ERIN.id } }, TOKEN_CREDENTIAL, { typeVersion: 3 }),
			]);
			await n8n.importWorkflow(workflow);
			const result = await n8n.execute(workflow.id);
			expect(runOutcome(result.run)).toBe('error');
			const error = result.run!.data.resultData.error!;
			expect(error.message).toBe(`Symphony refused access while reading the presence of user ${ERIN.id} (403 Forbidden)`);
			expect(error.description).toMatch(new RegExp(`^You are not connected with user ${ERIN.id}, who is at another firm: .*Connection → Create`));
			expect(sim.requestsTo('/pod/v1/connection/').map((r) => r.path)).toEqual([`/pod/v1/connection/user/${ERIN.id}/info`]);
		});
	});
}
