/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
import {
	DEFAULT_TOKEN,
	EXTERNAL_QUERY_INTERVAL_MS,
	INTEREST_LIFETIME_MS,
	startSimulator,
	type PodSimulator,
	type SimUser,
} from './index';
import { call } from './call';

/** A clock the tests move by hand. */
function manualClock(start = Date.parse('2026-01-05T09:00:00Z')) {
	let now = start;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}

const INTERNAL = '7215545058313';
const EXTERNAL = '14568529068038';
const NOT_CONNECTED = '71811853191697';

const users = (): SimUser[] => [
	{ id: '7215545057281', username: 'bot' },
	{ id: INTERNAL, presence: 'AVAILABLE' },
	{ id: EXTERNAL, external: true, connected: true, presence: 'BUSY' },
	{ id: NOT_CONNECTED, external: true, connected: false },
	{ id: '9007199254740993', external: true, connected: true, presence: 'AWAY' },
];

describe('pod simulator', () => {
	let sim: PodSimulator;
	let clock: ReturnType<typeof manualClock>;

	beforeEach(async () => {
		clock = manualClock();
		sim = await startSimulator({ now: clock.now, users: users() });
	});
	afterEach(async () => await sim.close());

	test('listens on a free loopback port: a second simulator gets another one, and each answers on its own', async () => {
		const other = await startSimulator();
		try {
			expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
			expect(other.port).not.toBe(sim.port);
			await call(sim, 'GET', '/pod/v2/sessioninfo');
			expect([sim.requests.length, other.requests.length]).toEqual([1, 0]);
		} finally {
			await other.close();
		}
	});

	test.each<[string, string | null]>([
		['missing', null],
		['unknown', 'nope-not-a-token'],
	])('answers 401 {code, message} for a %s session token', async (_name, token) => {
		const res = await call(sim, 'GET', '/pod/v2/sessioninfo', undefined, token);
		expect(res.status).toBe(401);
		expect(res.json).toEqual({ code: 401, message: 'Invalid session' });
	});

	test('answers 401 once a session has expired', async () => {
		sim.addSession({ token: 'short-lived-token', userId: '7215545057281', expiresAt: clock.now() + 1000 });
		expect((await call(sim, 'GET', '/pod/v2/sessioninfo', undefined, 'short-lived-token')).status).toBe(200);
		clock.advance(1000);
		expect((await call(sim, 'GET', '/pod/v2/sessioninfo', undefined, 'short-lived-token')).status).toBe(401);
	});

	test('session info names the caller with its int64 id as a bare number', async () => {
		const res = await call(sim, 'GET', '/pod/v2/sessioninfo');
		expect(res.status).toBe(200);
		expect(res.text).toContain('"id":7215545057281');
	});

	test('register reads the raw body: an ID that lost digits does not match', async () => {
		// 9007199254740993 passed through a JS number becomes 9007199254740992.
		const rounded = await call(sim, 'POST', '/pod/v1/user/presence/register', `[${Number('9007199254740993')}]`);
		expect(rounded.status).toBe(404);
		expect(rounded.json?.message).toContain('9007199254740992');
		const exact = await call(sim, 'POST', '/pod/v1/user/presence/register', '[9007199254740993]');
		expect(exact.status).toBe(200);
		expect(exact.json).toEqual({ format: 'TEXT', message: 'OK' });
		expect(sim.requests.at(-1)?.body).toBe('[9007199254740993]');
	});

	test.each([
		['an object', '{"userIds":[1]}'],
		['quoted IDs', '["7215545058313"]'],
		['exponent form', '[7.215545058313e12]'],
		['an empty list', '[]'],
		['not JSON', 'hello'],
	])('register answers 400 for %s', async (_name, body) => {
		expect((await call(sim, 'POST', '/pod/v1/user/presence/register', body)).status).toBe(400);
	});

	test('register answers 404 naming unknown IDs and 403 without the privilege', async () => {
		const unknown = await call(sim, 'POST', '/pod/v1/user/presence/register', `[${INTERNAL},123]`);
		expect(unknown.status).toBe(404);
		expect(unknown.json?.message).toContain('123');
		sim.addSession({ token: 'no-privilege-token', userId: '7215545057281', privileges: [] });
		const refused = await call(sim, 'POST', '/pod/v1/user/presence/register', `[${INTERNAL}]`, 'no-privilege-token');
		expect(refused.status).toBe(403);
	});

	test('internal presence needs no interest; unknown users are 404', async () => {
		const res = await call(sim, 'GET', `/pod/v3/user/${INTERNAL}/presence`);
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ category: 'AVAILABLE', userId: Number(INTERNAL) });
		expect((await call(sim, 'GET', '/pod/v3/user/123/presence')).status).toBe(404);
		expect((await call(sim, 'GET', '/pod/v3/user/abc/presence')).status).toBe(400);
	});

	test('external presence needs a connection and interest, which lapses after one hour', async () => {
		expect((await call(sim, 'GET', `/pod/v3/user/${NOT_CONNECTED}/presence`)).status).toBe(403);
		expect((await call(sim, 'GET', `/pod/v3/user/${EXTERNAL}/presence`)).status).toBe(403);
		await call(sim, 'POST', '/pod/v1/user/presence/register', `[${EXTERNAL}]`);
		expect((await call(sim, 'GET', `/pod/v3/user/${EXTERNAL}/presence`)).json).toMatchObject({ category: 'BUSY' });
		clock.advance(INTEREST_LIFETIME_MS - 1);
		expect((await call(sim, 'GET', `/pod/v3/user/${EXTERNAL}/presence`)).status).toBe(200);
		clock.advance(1);
		const lapsed = await call(sim, 'GET', `/pod/v3/user/${EXTERNAL}/presence`);
		expect(lapsed.status).toBe(403);
		expect(lapsed.json?.message).toMatch(/last hour/);
	});

	test('local=true shows external users as OFFLINE without interest', async () => {
		const res = await call(sim, 'GET', `/pod/v3/user/${EXTERNAL}/presence?local=true`);
		expect(res.json).toMatchObject({ category: 'OFFLINE' });
	});

	test('one external query per user per 5 minutes, else 429 with Retry-After', async () => {
		await call(sim, 'POST', '/pod/v1/user/presence/register', `[${EXTERNAL}]`);
		expect((await call(sim, 'GET', `/pod/v3/user/${EXTERNAL}/presence`)).status).toBe(200);
		clock.advance(60_000);
		const limited = await call(sim, 'GET', `/pod/v3/user/${EXTERNAL}/presence`);
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('240');
		clock.advance(EXTERNAL_QUERY_INTERVAL_MS - 60_000);
		expect((await call(sim, 'GET', `/pod/v3/user/${EXTERNAL}/presence`)).status).toBe(200);
	});

	test('a shorter external query interval, for runs on the real clock', async () => {
		await sim.close();
		sim = await startSimulator({ now: clock.now, users: users(), externalQueryIntervalMs: 20_000 });
		await call(sim, 'POST', '/pod/v1/user/presence/register', `[${EXTERNAL}]`);
		expect((await call(sim, 'GET', `/pod/v3/user/${EXTERNAL}/presence`)).status).toBe(200);
		clock.advance(5_000);
		const limited = await call(sim, 'GET', `/pod/v3/user/${EXTERNAL}/presence`);
		expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '15']);
		expect(limited.json).toMatchObject({ message: expect.stringMatching(/once every 20 seconds/) });
		clock.advance(15_000);
		expect((await call(sim, 'GET', `/pod/v3/user/${EXTERNAL}/presence`)).status).toBe(200);
	});

	test('IDs beyond 2^53 come back as exact bare numbers', async () => {
		await call(sim, 'POST', '/pod/v1/user/presence/register', '[9007199254740993]');
		const res = await call(sim, 'GET', '/pod/v3/user/9007199254740993/presence');
		expect(res.text).toContain('"userId":9007199254740993');
	});

	test('scripted faults: status with Retry-After, non-JSON body, delay, connection reset', async () => {
		sim.fault({ path: '/pod/v2/sessioninfo', status: 503, retryAfter: '2', times: 2 });
		sim.fault({ path: '/pod/v2/sessioninfo', body: '<html>proxy login</html>', contentType: 'text/html' });
		const first = await call(sim, 'GET', '/pod/v2/sessioninfo');
		expect([first.status, first.headers.get('retry-after')]).toEqual([503, '2']);
		expect((await call(sim, 'GET', '/pod/v2/sessioninfo')).status).toBe(503);
		const html = await call(sim, 'GET', '/pod/v2/sessioninfo');
		expect([html.status, html.text, html.headers.get('content-type')]).toEqual([200, '<html>proxy login</html>', 'text/html']);
		expect((await call(sim, 'GET', '/pod/v2/sessioninfo')).status).toBe(200);

		sim.fault({ reset: true });
		await expect(fetch(`${sim.url}/pod/v2/sessioninfo`, { headers: { sessionToken: DEFAULT_TOKEN } })).rejects.toThrow();

		// The delay falls on the request that arrives first: the other, sent beside it, is answered before it.
		sim.fault({ delayMs: 150 });
		sim.clearLog();
		await Promise.all([call(sim, 'GET', '/pod/v2/sessioninfo'), call(sim, 'GET', '/pod/v2/sessioninfo')]);
		const delayed = sim.events[0].request;
		expect(sim.events.map((e) => `${e.kind} ${e.request === delayed ? 'delayed' : 'other'}`)).toEqual([
			'arrived delayed',
			'arrived other',
			'answered other',
			'answered delayed',
		]);
	});

	test('logs method, path, query, headers and the raw body of every request', async () => {
		await call(sim, 'POST', '/pod/v1/user/presence/register', ` [ ${INTERNAL} ] `);
		await call(sim, 'GET', `/pod/v3/user/${INTERNAL}/presence?local=true`);
		expect(sim.requests).toHaveLength(2);
		expect(sim.requests[0]).toMatchObject({ method: 'POST', path: '/pod/v1/user/presence/register', body: ` [ ${INTERNAL} ] `, status: 200 });
		expect(sim.requests[0].headers.sessiontoken).toBe(DEFAULT_TOKEN);
		expect(sim.requests[1]).toMatchObject({ method: 'GET', query: { local: 'true' } });
	});

	test('events give the order of arrivals and answers; peakInFlight the most requests held at once', async () => {
		sim.latencyMs = { presence: 200 };
		await Promise.all([1, 2, 3].map(() => call(sim, 'GET', `/pod/v3/user/${INTERNAL}/presence`)));
		expect(sim.events.map((e) => e.kind)).toEqual(['arrived', 'arrived', 'arrived', 'answered', 'answered', 'answered']);
		expect(sim.peakInFlight).toBe(3);

		sim.fault({ reset: true });
		await expect(call(sim, 'GET', '/pod/v2/sessioninfo')).rejects.toThrow();
		await call(sim, 'GET', '/pod/v2/sessioninfo');
		expect(sim.events.slice(6).map((e) => [e.kind, e.request.path, e.request.status])).toEqual([
			['arrived', '/pod/v2/sessioninfo', 0],
			['answered', '/pod/v2/sessioninfo', 0],
			['arrived', '/pod/v2/sessioninfo', 200],
			['answered', '/pod/v2/sessioninfo', 200],
		]);
		expect(sim.peakInFlight).toBe(3);
	});

	test('clearLog forgets the requests and events logged so far; those that follow are logged alone', async () => {
		await call(sim, 'GET', '/pod/v2/sessioninfo');
		sim.clearLog();
		expect([sim.requests, sim.events, sim.peakInFlight]).toEqual([[], [], 0]);
		const presence = `/pod/v3/user/${INTERNAL}/presence`;
		await call(sim, 'GET', presence);
		expect(sim.requests.map((r) => r.path)).toEqual([presence]);
		expect(sim.events.map((e) => [e.kind, e.request.path])).toEqual([
			['arrived', presence],
			['answered', presence],
		]);
	});

	test('per-route latency: a presence read sent beside a session-info call is answered after it', async () => {
		sim.latencyMs = { presence: 150 };
		await Promise.all([call(sim, 'GET', `/pod/v3/user/${INTERNAL}/presence`), call(sim, 'GET', '/pod/v2/sessioninfo')]);
		expect(sim.events.filter((e) => e.kind === 'answered').map((e) => e.request.path)).toEqual(['/pod/v2/sessioninfo', `/pod/v3/user/${INTERNAL}/presence`]);
	});

	test('per-source throttle: beyond the limit within one second, 429 with Retry-After; it recovers a second later', async () => {
		sim.throttlePerSecond = 5;
		const answers = await Promise.all(Array.from({ length: 8 }, () => call(sim, 'GET', `/pod/v3/user/${INTERNAL}/presence`)));
		expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
		const refused = answers.filter((a) => a.status === 429);
		expect(refused).toHaveLength(3);
		expect(refused[0].headers.get('retry-after')).toBe('1');
		expect(sim.tooManyRequests).toBe(3);
		await new Promise((resolve) => setTimeout(resolve, 1100));
		expect((await call(sim, 'GET', `/pod/v3/user/${INTERNAL}/presence`)).status).toBe(200);
	});
});
