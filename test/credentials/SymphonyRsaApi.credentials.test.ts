/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { chain } from '../harness';
import { simMessagingOf } from '../simulator/routes/messages';
import { expectNoSecrets } from '../support/secrets';
import { ALICE, BOB, BOT, QUICK_RETRY, getPresence, register } from '../support/pod';
import {
	APP_ID,
	BOT_USERNAME,
	PASSPHRASE,
	RSA,
	appKeyPair,
	botKeyPair,
	makeKeyPair,
	startRsaPod,
	type RsaPodFixture,
} from '../support/rsa';

const OBO = (oboUser: string): IDataObject => ({ loginAs: 'oboApp', appId: APP_ID, appPrivateKey: appKeyPair().pkcs8, oboUser, privateKey: '' });

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 2));
	}
}

describe('Symphony RSA API credential: connection test', () => {
	let pod: RsaPodFixture;
	let other: Server | undefined;
	afterEach(async () => {
		await pod?.sim.close();
		if (other) await new Promise((resolve) => other!.close(resolve));
		other = undefined;
	});

	const damaged: Array<[string, () => IDataObject]> = [
		['PKCS#8', () => ({ privateKey: botKeyPair().pkcs8 })],
		['PKCS#1', () => ({ privateKey: botKeyPair().pkcs1 })],
		['encrypted PKCS#8 with its passphrase', () => ({ privateKey: botKeyPair().encryptedPkcs8, passphrase: PASSPHRASE })],
		['encrypted PKCS#1 with its passphrase', () => ({ privateKey: botKeyPair().encryptedPkcs1, passphrase: PASSPHRASE })],
		['PKCS#8 with spaces instead of new lines', () => ({ privateKey: botKeyPair().pkcs8.replace(/\n/g, ' ') })],
		['PKCS#1 with no line breaks', () => ({ privateKey: botKeyPair().pkcs1.replace(/\n/g, '') })],
		['PKCS#8 with CRLF line ends', () => ({ privateKey: botKeyPair().pkcs8.replace(/\n/g, '\r\n') })],
		['encrypted PKCS#8 with escaped "\\n"', () => ({ privateKey: botKeyPair().encryptedPkcs8.replace(/\n/g, '\\n'), passphrase: PASSPHRASE })],
	];

	test.each(damaged)('logs in with a %s key, then reads session info with the token it got', async (_name, key) => {
		pod = await startRsaPod({}, key());
		const result = await pod.harness.testCredential('symphonyRsaApi');
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(pod.sim.requests.map((r) => [r.method, r.path, r.status])).toEqual([
			['POST', '/login/pubkey/authenticate', 200],
			['GET', '/pod/v2/sessioninfo', 200],
		]);
		expect(pod.sim.requests[1].headers.sessiontoken).toBe(pod.login.issued[0]);
		expectNoSecrets(result, pod.secrets());
	});

	test.each([
		['by user ID', ALICE, `/login/pubkey/app/user/${ALICE}/authenticate`],
		['by username', 'alice', '/login/pubkey/app/username/alice/authenticate'],
	])('OBO %s: the app logs in, then gets a session for the user', async (_name, oboUser, userPath) => {
		pod = await startRsaPod({}, OBO(oboUser));
		const result = await pod.harness.testCredential('symphonyRsaApi');
		expect(result.status).toBe('OK');
		expect(pod.sim.requests.map((r) => [r.path, r.status])).toEqual([
			['/login/pubkey/app/authenticate', 200],
			[userPath, 200],
			['/pod/v2/sessioninfo', 200],
		]);
		const [appLogin, userLogin, info] = pod.sim.requests;
		expect(appLogin.headers.sessiontoken).toBeUndefined();
		expect(userLogin.headers.sessiontoken).toBe([...pod.login.appSessions.keys()][0]);
		expect(pod.sim.sessions.get(info.headers.sessiontoken as string)?.userId).toBe(ALICE);
		expectNoSecrets(result, pod.secrets());
	});

	test('Pod URL and Login URL are normalised like the token credential\'s', async () => {
		pod = await startRsaPod();
		pod.harness.credentialsHelper.setCredentials('symphonyRsaApi', {
			...pod.harness.credentialsHelper.store.get('symphonyRsaApi'),
			podUrl: ` ${pod.sim.url}/pod/ `,
			loginUrl: `${pod.sim.url}/login/`,
		});
		expect((await pod.harness.testCredential('symphonyRsaApi')).status).toBe('OK');
		expect(pod.sim.requests.map((r) => r.path)).toEqual(['/login/pubkey/authenticate', '/pod/v2/sessioninfo']);
	});

	test('the Login URL, when given, is where the login goes', async () => {
		pod = await startRsaPod({}, {});
		const podPort = await closedPort();
		pod.harness.credentialsHelper.setCredentials('symphonyRsaApi', {
			...pod.harness.credentialsHelper.store.get('symphonyRsaApi'),
			podUrl: `http://127.0.0.1:${podPort}`,
			loginUrl: pod.sim.url,
		});
		const result = await pod.harness.testCredential('symphonyRsaApi');
		// Logged in at the Login URL; the pod itself is not there.
		expect(pod.login.logins('bot')).toBe(1);
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/ECONNREFUSED|refused/i) });
	});

	const failures: Array<[string, (pod: RsaPodFixture) => IDataObject | Promise<IDataObject>, RegExp]> = [
		['a key whose public key is not imported', () => ({ privateKey: makeKeyPair().pkcs8 }),
			/^Symphony refused the login of service account "presence.bot" \(401\): import the public key of this Private Key for "presence.bot", and check that "presence.bot" is the account's username$/],
		['a wrong username', () => ({ username: 'presence.bot.typo' }), /refused the login of service account "presence.bot.typo" \(401\): import the public key/],
		['an app key that is not imported', () => ({ ...OBO(ALICE), appPrivateKey: botKeyPair().pkcs8 }),
			/^Symphony refused the login of app "acme-presence-app" \(401\): import the public key of this App Private Key for app "acme-presence-app", and check the App ID and that the app is enabled$/],
		['a wrong App ID', () => ({ ...OBO(ALICE), appId: 'acme-presence' }), /refused the login of app "acme-presence" \(401\)/],
		['an OBO user who has not installed the app', () => OBO(BOB),
			new RegExp(`^App "acme-presence-app" logged in, but Symphony refused it a session for user ${BOB} \\(401\\): that user must exist and have the app installed$`)],
		['an unknown OBO username', () => OBO('no.such.user'), /refused it a session for user "no.such.user" \(401\): that user must exist and have the app installed/],
		['a disabled service account', (p) => {
			p.login.bots.get(BOT_USERNAME)!.disabled = true;
			return {};
		}, /refused the login of service account "presence.bot" \(403 Forbidden\): the account is disabled or may not log in with a key/],
		['this machine\'s clock 10 minutes ahead of the pod\'s', (p) => {
			p.login.clockOffsetMs = -10 * 60_000;
			return {};
		}, /refused the login of service account "presence.bot" \(401\): this machine's clock is 10 minutes ahead of the pod's\. Set this machine's clock right \(NTP\)/],
		['this machine\'s clock 5 minutes behind the pod\'s', (p) => {
			p.login.clockOffsetMs = 5 * 60_000;
			return {};
		}, /this machine's clock is 5 minutes behind the pod's/],
		['an encrypted key without its passphrase', () => ({ privateKey: botKeyPair().encryptedPkcs8 }),
			/^Symphony RSA credential: Private Key is encrypted, and no passphrase is given\. Enter the key's passphrase in "Passphrase"$/],
		['a wrong passphrase', () => ({ privateKey: botKeyPair().encryptedPkcs8, passphrase: 'not-the-passphrase' }), /Private Key could not be decrypted with the passphrase given/],
		['the public key pasted as the private key', () => ({ privateKey: botKeyPair().publicKeyPem }), /Private Key holds a public key\. Paste the private key here/],
		['a cut-off app key', () => ({ ...OBO(ALICE), appPrivateKey: appKeyPair().pkcs8.slice(0, 500) }), /App Private Key is cut off: its END line is missing/],
		['an empty username', () => ({ username: '' }), /Username is empty/],
		['an unreachable login host', async () => ({ loginUrl: `http://127.0.0.1:${await closedPort()}` }),
			/^Could not reach Symphony's login service at 127\.0\.0\.1:\d+: the host refused the connection$/],
		['a login service that answers with a web page', (p) => {
			p.sim.fault({ path: '/login/', body: '<html>Sign in</html>', contentType: 'text/html' });
			return {};
		}, /login service at 127\.0\.0\.1:\d+ answered without a session token/],
		['a Login URL where no login service is', async () => {
			const other404 = createServer((_req, res) => res.writeHead(404).end('Not here'));
			await new Promise<void>((resolve) => other404.listen(0, '127.0.0.1', resolve));
			other = other404;
			return { loginUrl: `http://127.0.0.1:${(other404.address() as AddressInfo).port}` };
		}, /There is no Symphony login service at 127\.0\.0\.1:\d+ \(404\)/],
		['a login service in trouble', (p) => {
			p.sim.fault({ path: '/login/', status: 503 });
			return {};
		}, /login service had a problem while logging in service account "presence.bot" \(503\)/],
	];

	test.each(failures)('%s: the message says what to fix', async (_name, arrange, message) => {
		pod = await startRsaPod();
		const credential = await arrange(pod);
		pod.harness.credentialsHelper.setCredentials('symphonyRsaApi', { ...pod.harness.credentialsHelper.store.get('symphonyRsaApi'), ...credential } as never);
		const result = await pod.harness.testCredential('symphonyRsaApi');
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(pod.sim.requestsTo('/pod/')).toHaveLength(0);
		expectNoSecrets(result, [...pod.secrets(), 'not-the-passphrase']);
	});
});

describe('Symphony RSA API credential in workflows', () => {
	let pod: RsaPodFixture;
	let offset: number;
	afterEach(async () => await pod?.sim.close());

	/** A pod whose clock the test moves, with sessions that last one minute. */
	async function podWithClock(credential: IDataObject = {}, latencyMs?: Record<string, number>) {
		offset = 0;
		pod = await startRsaPod({ now: () => Date.now() + offset, latencyMs }, credential);
		pod.login.sessionLifetimeMs = 60_000;
		return pod;
	}

	const hourly = () =>
		chain(
			[
				{ name: 'Register', parameters: { ...register([ALICE, BOB]), ...RSA }, credentials: 'symphonyRsaApi' },
				{ name: 'Get', parameters: getPresence(RSA), credentials: 'symphonyRsaApi' },
			],
		);

	test('Register Interest → Get with an RSA key: one login, its token on every pod call', async () => {
		await podWithClock();
		const result = await pod.harness.run(hourly());
		expect(result.error).toBeUndefined();
		expect(result.json('Get').map((i) => [i.userId, i.category])).toEqual([
			[ALICE, 'AVAILABLE'],
			[BOB, 'ON_THE_PHONE'],
		]);
		expect(pod.login.logins()).toBe(1);
		const podCalls = pod.sim.requestsTo('/pod/');
		expect(podCalls).toHaveLength(3);
		expect(new Set(podCalls.map((r) => r.headers.sessiontoken))).toEqual(new Set([pod.login.issued[0]]));
		expectNoSecrets(result.run, pod.secrets());
	});

	test('a scheduled workflow keeps working as sessions expire between runs: one new login per expiry, no user action', async () => {
		await podWithClock();
		for (let run = 1; run <= 3; run++) {
			const result = await pod.harness.run(hourly());
			expect(result.error).toBeUndefined();
			expect(result.json('Get')).toHaveLength(2);
			expect(pod.login.logins('bot')).toBe(run);
			expectNoSecrets(result.run, pod.secrets());
			offset += 61_000;
		}
		// Runs 2 and 3 each started with the stored, expired token: one 401, a login, the same call again.
		expect(pod.sim.requests.filter((r) => r.status === 401).map((r) => r.path)).toEqual([
			'/pod/v1/user/presence/register',
			'/pod/v1/user/presence/register',
		]);
		expect(new Set(pod.login.issued).size).toBe(3);
	});

	test('a session that expires mid-execution with Get at concurrency 5: exactly one extra login, every item succeeds', async () => {
		await podWithClock({}, { presence: 80 });
		const users = Array.from({ length: 10 }, (_, i) => ({ userId: i % 2 ? ALICE : BOB }));
		const workflow = chain([{ name: 'Get', parameters: getPresence({ ...RSA, options: { concurrency: 5 } }), credentials: 'symphonyRsaApi' }], users);
		const running = pod.harness.run(workflow);
		// Five reads are at the pod, waiting out its latency, when every session ends.
		await until(() => pod.sim.requestsTo('/pod/v3/user/').length >= 5);
		pod.login.expireSessions();
		const result = await running;

		expect(result.error).toBeUndefined();
		expect(result.json('Get').map((i) => i.userId)).toEqual(users.map((u) => u.userId));
		expect(result.json('Get').every((i) => i.error === undefined && typeof i.category === 'string')).toBe(true);
		expect(pod.login.logins()).toBe(2);
		const reads = pod.sim.requestsTo('/pod/v3/user/');
		expect(reads.filter((r) => r.status === 401)).toHaveLength(5);
		expect(reads.filter((r) => r.status === 200)).toHaveLength(10);
		// Reads answered after the first 401 all carry the one new session.
		const afterExpiry = reads.slice(reads.findIndex((r) => r.status === 401));
		expect(afterExpiry.filter((r) => r.status === 200).every((r) => r.headers.sessiontoken === pod.login.issued[1])).toBe(true);
		expect(reads).toHaveLength(15);
		expectNoSecrets(result.run, pod.secrets());
	});

	test('the first use with five reads at once logs in once', async () => {
		await podWithClock({}, { login: 30 });
		const users = Array.from({ length: 5 }, () => ({ userId: ALICE }));
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ ...RSA, options: { concurrency: 5 } }), credentials: 'symphonyRsaApi' }], users),
		);
		expect(result.json('Get')).toHaveLength(5);
		expect(pod.login.logins()).toBe(1);
		// The client logs in through n8n once and the other reads wait for that session.
		expect(pod.harness.credentialsHelper.preAuthCalls.get('symphonyRsaApi')).toBe(1);
	});

	test('OBO: reads presence as the user; when the session ends mid-run, the app and user logins happen once more', async () => {
		await podWithClock(OBO('alice'), { presence: 60 });
		const users = Array.from({ length: 6 }, () => ({ userId: BOB }));
		const running = pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ ...RSA, options: { concurrency: 3 } }), credentials: 'symphonyRsaApi' }], users),
		);
		await until(() => pod.sim.requestsTo('/pod/v3/user/').length >= 3);
		pod.login.expireSessions();
		const result = await running;
		expect(result.json('Get').map((i) => i.category)).toEqual(Array(6).fill('ON_THE_PHONE'));
		expect([pod.login.logins('app'), pod.login.logins('oboUser')]).toEqual([2, 2]);
		for (const read of pod.sim.requestsTo('/pod/v3/user/').filter((r) => r.status === 200)) {
			expect(pod.sim.sessions.get(read.headers.sessiontoken as string)?.userId).toBe(ALICE);
		}
		expectNoSecrets(result.run, pod.secrets());
	});

	test('a login refused during a run: every item gets the login message under Continue On Fail, nothing leaks', async () => {
		await podWithClock({ privateKey: makeKeyPair().pkcs8 });
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence(RSA), credentials: 'symphonyRsaApi', continueOnFail: true }], [{ userId: ALICE }, { userId: BOB }]),
		);
		const items = result.items('Get');
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const { json } of items) {
			expect(json.error).toMatch(/^Symphony refused the login of service account "presence.bot" \(401\): import the public key/);
			expect(json.description).toMatch(/Admin Portal/);
		}
		expect(pod.sim.requestsTo('/pod/')).toHaveLength(0);
		// A refused login is not retried, and the two items, read at the same time, shared the one attempt.
		expect(pod.login.refusals()).toHaveLength(1);
		expectNoSecrets(result.run, pod.secrets());

		const stopped = await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ ...RSA, userId: ALICE }), credentials: 'symphonyRsaApi' }]));
		expect(stopped.error?.message).toMatch(/refused the login of service account "presence.bot" \(401\)/);
		expectNoSecrets(stopped.run, pod.secrets());
	});

	test('an encrypted key without passphrase: the node names the field and sends nothing', async () => {
		await podWithClock({ privateKey: botKeyPair().encryptedPkcs8 });
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ ...RSA, userId: ALICE }), credentials: 'symphonyRsaApi', continueOnFail: true }]),
		);
		expect(result.json('Get')[0].error).toMatch(/^Symphony RSA credential: Private Key is encrypted, and no passphrase is given/);
		expect(pod.sim.requests).toHaveLength(0);
		expectNoSecrets(result.run, pod.secrets());
	});

	test('a login service briefly unavailable is retried like a pod call, then the item succeeds', async () => {
		await podWithClock();
		pod.sim.fault({ path: '/login/', status: 503, retryAfter: '0' });
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ ...RSA, userId: ALICE, options: QUICK_RETRY }), credentials: 'symphonyRsaApi' }]),
		);
		expect(result.json('Get')[0]).toMatchObject({ category: 'AVAILABLE' });
		expect(pod.sim.requestsTo('/login/').map((r) => r.status)).toEqual([503, 200]);
	});

	test('a pod that refuses even a fresh session: the message says so instead of asking to renew a token', async () => {
		await podWithClock();
		pod.login.sessionLifetimeMs = 0;
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ ...RSA, userId: ALICE }), credentials: 'symphonyRsaApi', continueOnFail: true }]),
		);
		const [item] = result.json('Get');
		expect(item.error).toMatch(/\(401\)/);
		expect(item.description).toMatch(/refused the session token the Symphony RSA credential had just obtained/);
		// The call was sent right after its own login: that 401 stands, with no second login.
		expect(pod.login.logins()).toBe(1);
		expect(pod.sim.requestsTo('/pod/').map((r) => r.status)).toEqual([401]);
		expectNoSecrets(result.run, pod.secrets());
	});

	test('the session info of an RSA login names the bot', async () => {
		await podWithClock();
		await pod.harness.testCredential('symphonyRsaApi');
		const session = pod.sim.sessions.get(pod.login.issued[0]);
		expect(session?.userId).toBe(BOT);
	});
});

describe('Symphony RSA API credential: the key manager, for sending messages', () => {
	let pod: RsaPodFixture;
	afterEach(async () => await pod?.sim.close());

	const sendTo = (parameters: IDataObject): IDataObject => ({ ...RSA, resource: 'message', operation: 'send', text: 'hi', ...parameters });
	const paths = () => pod.sim.requests.map((r) => `${r.path} ${r.status}`);

	async function startWithRoom(credential: IDataObject = {}): Promise<string> {
		pod = await startRsaPod({}, credential);
		return simMessagingOf(pod.sim).addStream({ id: 'room-stream-id-0001', type: 'ROOM', members: [BOT, ALICE] }).id;
	}

	test('a bot\'s first send logs in to the pod and the key manager; both tokens are stored and reused by the next execution', async () => {
		const room = await startWithRoom();
		const first = await pod.harness.run(chain([{ name: 'Send', parameters: sendTo({ streamId: room }), credentials: 'symphonyRsaApi' }]));
		expect(first.error).toBeUndefined();
		expect(paths()).toEqual(['/login/pubkey/authenticate 200', '/relay/pubkey/authenticate 200', `/agent/v4/stream/${room}/message/create 200`]);
		const [, relay, agent] = pod.sim.requests;
		expect(relay.headers.sessiontoken).toBeUndefined();
		expect(agent.headers.sessiontoken).toBe(pod.login.issued[0]);
		expect(agent.headers.keymanagertoken).toBe(simMessagingOf(pod.sim).issued[0]);
		expect(pod.harness.credentialsHelper.store.get('symphonyRsaApi')).toMatchObject({ sessionToken: pod.login.issued[0], keyManagerToken: simMessagingOf(pod.sim).issued[0] });
		pod.sim.clearLog();
		await pod.harness.run(chain([{ name: 'Send', parameters: sendTo({ streamId: room }), credentials: 'symphonyRsaApi' }]));
		expect(paths()).toEqual([`/agent/v4/stream/${room}/message/create 200`]);
		expectNoSecrets(first.run, pod.secrets());
	});

	test('pod calls alone never log in to the key manager; the first Agent call then logs in to it alone and keeps the session', async () => {
		await startWithRoom();
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: sendTo({ sendTo: 'users', userIds: ALICE }), credentials: 'symphonyRsaApi' }]));
		expect(result.error).toBeUndefined();
		expect(paths()).toEqual([
			'/login/pubkey/authenticate 200',
			'/pod/v1/im/create 200',
			'/relay/pubkey/authenticate 200',
			expect.stringMatching(/^\/agent\/v4\/stream\/[\w-]+\/message\/create 200$/),
		]);
		expect(pod.login.logins('bot')).toBe(1);
	});

	test('a key manager session that ended mid-run: one 401, one new login of both, the message posted once', async () => {
		const room = await startWithRoom();
		await pod.harness.run(chain([{ name: 'Send', parameters: sendTo({ streamId: room, text: 'first' }), credentials: 'symphonyRsaApi' }]));
		simMessagingOf(pod.sim).expireKeyManagerSessions();
		pod.sim.clearLog();
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: sendTo({ streamId: room, text: 'second' }), credentials: 'symphonyRsaApi' }]));
		expect(result.error).toBeUndefined();
		expect(paths()).toEqual([
			`/agent/v4/stream/${room}/message/create 401`,
			'/login/pubkey/authenticate 200',
			'/relay/pubkey/authenticate 200',
			`/agent/v4/stream/${room}/message/create 200`,
		]);
		expect(simMessagingOf(pod.sim).messagesIn(room).map((m) => m.text)).toEqual(['first', 'second']);
		expectNoSecrets(result.run, pod.secrets());
	});

	test('OBO: no key manager login and no keyManagerToken header', async () => {
		const room = await startWithRoom(OBO(ALICE));
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: sendTo({ streamId: room }), credentials: 'symphonyRsaApi' }]));
		expect(result.error).toBeUndefined();
		expect(pod.sim.requestsTo('/relay/')).toEqual([]);
		expect(pod.sim.requestsTo('/agent/')[0].headers.keymanagertoken).toBeUndefined();
		expect(simMessagingOf(pod.sim).messagesIn(room)[0].userId).toBe(ALICE);
	});

	test('the Agent URL and Key Manager URL, when given, are where those calls go; a key manager out of reach is named', async () => {
		const room = await startWithRoom();
		const port = await closedPort();
		pod.harness.credentialsHelper.setCredentials('symphonyRsaApi', {
			...pod.harness.credentialsHelper.store.get('symphonyRsaApi'),
			podUrl: `http://127.0.0.1:${port}`,
			loginUrl: pod.sim.url,
			agentUrl: `${pod.sim.url}/agent/`,
			keyManagerUrl: `${pod.sim.url}/relay`,
		});
		const sent = await pod.harness.run(chain([{ name: 'Send', parameters: sendTo({ streamId: room }), credentials: 'symphonyRsaApi' }]));
		expect(sent.error).toBeUndefined();
		pod.harness.credentialsHelper.setCredentials('symphonyRsaApi', {
			...pod.harness.credentialsHelper.store.get('symphonyRsaApi'),
			sessionToken: '',
			keyManagerToken: '',
			keyManagerUrl: `http://127.0.0.1:${port}`,
		});
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: sendTo({ streamId: room, options: QUICK_RETRY }), credentials: 'symphonyRsaApi' }]));
		expect(result.error?.message).toBe(`Could not log service account "presence.bot" in to Symphony's key manager at 127.0.0.1:${port}: the host refused the connection`);
		expect(result.error?.description).toContain('Check the Key Manager URL in the Symphony RSA credential');
		expectNoSecrets(result.run, pod.secrets());
	});
});
