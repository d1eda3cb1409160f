import { createPublicKey, sign, type KeyObject } from 'node:crypto';

import { BOT, ALICE, BOB, testUsers } from '../../support/pod';
import { APP_ID, BOT_USERNAME, appKeyPair, botKeyPair, makeKeyPair } from '../../support/rsa';
import { startSimulator, type PodSimulator } from '../index';
import { DEFAULT_SESSION_LIFETIME_MS, simLoginOf, type SimLogin } from './login';

/** A JWT with any header and payload, signed RS512 (or as `algorithm` says) with `key`. */
function jwt(key: KeyObject, payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS512', typ: 'JWT' }, algorithm = 'sha512'): string {
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const input = `${encode(header)}.${encode(payload)}`;
	return `${input}.${sign(algorithm, Buffer.from(input), key).toString('base64url')}`;
}

const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

async function post(sim: PodSimulator, path: string, body?: unknown, sessionToken?: string) {
	const response = await fetch(`${sim.url}${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', ...(sessionToken && { sessionToken }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, json: text ? (JSON.parse(text) as Record<string, string>) : undefined, date: response.headers.get('date') };
}

async function sessionInfo(sim: PodSimulator, token: string) {
	const response = await fetch(`${sim.url}/pod/v2/sessioninfo`, { headers: { sessionToken: token } });
	return { status: response.status, text: await response.text() };
}

describe('simulator: RSA login', () => {
	let sim: PodSimulator;
	let login: SimLogin;
	let offset: number;

	beforeEach(async () => {
		offset = 0;
		sim = await startSimulator({ users: testUsers(), sessions: [], now: () => Date.now() + offset });
		login = simLoginOf(sim);
		login.addBot({ username: BOT_USERNAME, userId: BOT, publicKeys: [botKeyPair().publicKeyPem] });
		login.addApp({ appId: APP_ID, publicKeys: [createPublicKey(appKeyPair().privateKey)], installedFor: [ALICE] });
	});
	afterEach(async () => await sim.close());

	const botToken = (payload: Record<string, unknown> = {}) => jwt(botKeyPair().privateKey, { sub: BOT_USERNAME, exp: inSeconds(240), ...payload });

	test('bot: a valid login token gives a session token for the bot\'s user, counted as one login', async () => {
		const res = await post(sim, '/login/pubkey/authenticate', { token: botToken() });
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ name: 'sessionToken', token: expect.stringMatching(/^sim-bot-session-/), authorizationToken: expect.any(String) });
		const info = await sessionInfo(sim, res.json!.token);
		expect(info).toEqual({ status: 200, text: expect.stringContaining(`"id":${BOT}`) });
		expect(login.logins()).toBe(1);
		expect(login.logins('bot')).toBe(1);
		expect(login.issued).toEqual([res.json!.token]);
		// The beta authorizationToken is not a pod session.
		expect((await sessionInfo(sim, res.json!.authorizationToken)).status).toBe(401);
	});

	test.each<[string, () => unknown, string]>([
		['no token', () => undefined, 'no token in the body'],
		['not a JWT', () => 'abc.def', 'not a JWT'],
		['alg none', () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: BOT_USERNAME, exp: inSeconds(240) })).toString('base64url')}.`, 'algorithm none is not accepted'],
		['alg RS256', () => jwt(botKeyPair().privateKey, { sub: BOT_USERNAME, exp: inSeconds(240) }, { alg: 'RS256' }, 'sha256'), 'algorithm RS256 is not accepted'],
		['an RS512 header over an RS256 signature', () => jwt(botKeyPair().privateKey, { sub: BOT_USERNAME, exp: inSeconds(240) }, { alg: 'RS512' }, 'sha256'), 'signature does not match an imported key'],
		['an unknown sub', () => jwt(botKeyPair().privateKey, { sub: 'nobody', exp: inSeconds(240) }), 'unknown sub'],
		['no exp', () => jwt(botKeyPair().privateKey, { sub: BOT_USERNAME }), 'no exp'],
		['an exp in the past', () => botToken({ exp: inSeconds(-1) }), 'expired'],
		['an exp more than 5 minutes ahead', () => botToken({ exp: inSeconds(310) }), 'exp more than 5 minutes ahead'],
		['a key that is not imported', () => jwt(makeKeyPair().privateKey, { sub: BOT_USERNAME, exp: inSeconds(240) }), 'signature does not match an imported key'],
		['the app\'s key for the bot', () => jwt(appKeyPair().privateKey, { sub: BOT_USERNAME, exp: inSeconds(240) }), 'signature does not match an imported key'],
	])('bot: %s is refused with 401 and no session', async (_name, token, reason) => {
		const res = await post(sim, '/login/pubkey/authenticate', { token: token() });
		expect(res.status).toBe(401);
		expect(res.json).toEqual({ code: 401, message: 'Invalid token' });
		expect(login.refusals().map((r) => r.reason)).toEqual([reason]);
		expect(login.logins()).toBe(0);
		expect(sim.sessions.size).toBe(0);
	});

	test('exp is judged by the pod\'s wall clock, which can be set off to play clock skew; the Date header shows it', async () => {
		login.clockOffsetMs = -10 * 60_000;
		const refused = await post(sim, '/login/pubkey/authenticate', { token: botToken() });
		expect(refused.status).toBe(401);
		expect(login.refusals()[0].reason).toBe('exp more than 5 minutes ahead');
		expect(Date.now() - Date.parse(refused.date!)).toBeGreaterThan(9 * 60_000);
		login.clockOffsetMs = 0;
		expect((await post(sim, '/login/pubkey/authenticate', { token: botToken() })).status).toBe(200);
	});

	test('a disabled account is refused with 403', async () => {
		login.bots.get(BOT_USERNAME)!.disabled = true;
		expect((await post(sim, '/login/pubkey/authenticate', { token: botToken() })).status).toBe(403);
	});

	test('sessions last the configured lifetime by the simulator clock, and can be ended at once', async () => {
		expect(login.sessionLifetimeMs).toBe(DEFAULT_SESSION_LIFETIME_MS);
		login.sessionLifetimeMs = 60_000;
		const first = (await post(sim, '/login/pubkey/authenticate', { token: botToken() })).json!.token;
		offset += 59_000;
		expect((await sessionInfo(sim, first)).status).toBe(200);
		offset += 1_000;
		expect((await sessionInfo(sim, first)).status).toBe(401);
		const second = (await post(sim, '/login/pubkey/authenticate', { token: botToken() })).json!.token;
		expect(second).not.toBe(first);
		expect((await sessionInfo(sim, second)).status).toBe(200);
		login.expireSessions();
		expect((await sessionInfo(sim, second)).status).toBe(401);
		expect(login.logins('bot')).toBe(2);
	});

	describe('OBO', () => {
		const appToken = (payload: Record<string, unknown> = {}) => jwt(appKeyPair().privateKey, { sub: APP_ID, exp: inSeconds(240), ...payload });
		const appSession = async () => (await post(sim, '/login/pubkey/app/authenticate', { token: appToken() })).json!.token;

		test.each([
			['user ID', `/login/pubkey/app/user/${ALICE}/authenticate`],
			['username', '/login/pubkey/app/username/alice/authenticate'],
		])('the app session gives a session for a user who installed the app, by %s', async (_name, path) => {
			const app = await appSession();
			expect(app).toMatch(/^sim-app-session-/);
			// The app session is not a pod session.
			expect((await sessionInfo(sim, app)).status).toBe(401);
			const res = await post(sim, path, undefined, app);
			expect(res.status).toBe(200);
			expect((await sessionInfo(sim, res.json!.token)).text).toContain(`"id":${ALICE}`);
			expect([login.logins('app'), login.logins('oboUser')]).toEqual([1, 1]);
		});

		test.each<[string, () => Promise<string | undefined>, string, string]>([
			['a user who has not installed the app', appSession, `/login/pubkey/app/user/${BOB}/authenticate`, 'app not installed for the user'],
			['an unknown username', appSession, '/login/pubkey/app/username/nobody/authenticate', 'unknown user'],
			['an unknown user ID', appSession, '/login/pubkey/app/user/42/authenticate', 'unknown user'],
			['no app session', async () => undefined, `/login/pubkey/app/user/${ALICE}/authenticate`, 'no valid app session'],
			['a bot session instead of an app session', async () => (await post(sim, '/login/pubkey/authenticate', { token: botToken() })).json!.token, `/login/pubkey/app/user/${ALICE}/authenticate`, 'no valid app session'],
		])('refuses %s with 401', async (_name, session, path, reason) => {
			const res = await post(sim, path, undefined, await session());
			expect(res.status).toBe(401);
			expect(login.refusals().at(-1)?.reason).toBe(reason);
		});

		test('the app login checks its token like the bot login: the bot\'s key does not log the app in', async () => {
			const res = await post(sim, '/login/pubkey/app/authenticate', { token: jwt(botKeyPair().privateKey, { sub: APP_ID, exp: inSeconds(240) }) });
			expect(res.status).toBe(401);
			expect(login.refusals()[0]).toMatchObject({ kind: 'app', subject: APP_ID, reason: 'signature does not match an imported key' });
		});

		test('an expired app session cannot open user sessions', async () => {
			login.sessionLifetimeMs = 1000;
			const app = await appSession();
			offset += 1000;
			expect((await post(sim, `/login/pubkey/app/user/${ALICE}/authenticate`, undefined, app)).status).toBe(401);
		});
	});
});
