import { call } from '../call';
import { INTEREST_LIFETIME_MS, startSimulator, type PodSimulator } from '../index';

const BOT = '7215545057281';
const ALICE = '7215545058313';
const CAROL = '14568529068038'; // another firm, connected from the start
const ERIN = '71811853191697'; // another firm, not connected
const BIG = '9007199254740993'; // another firm, not connected, beyond 2^53

function manualClock(start = Date.parse('2026-01-05T09:00:00Z')) {
	let now = start;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** What the other side does through the simulator's control route. */
async function asUser(sim: PodSimulator, actor: string, action: 'create' | 'accept' | 'reject', userId: string) {
	return await call(sim, 'POST', `/_sim/users/${actor}/connection/${action}`, `{"userId":${userId}}`, null);
}

describe('simulator: connections', () => {
	let sim: PodSimulator;
	let clock: ReturnType<typeof manualClock>;
	beforeEach(async () => {
		clock = manualClock();
		sim = await startSimulator({
			now: clock.now,
			users: [
				{ id: BOT },
				{ id: ALICE, presence: 'AVAILABLE' },
				{ id: CAROL, email: 'carol@globex.example', external: true, connected: true, presence: 'BUSY' },
				{ id: ERIN, email: 'erin@umbrella.example', external: true, presence: 'AVAILABLE' },
				{ id: BIG, external: true, presence: 'AWAY' },
			],
		});
	});
	afterEach(async () => await sim.close());

	test('create → PENDING_OUTGOING; the other side sees PENDING_INCOMING and accepts; then ACCEPTED for both', async () => {
		const created = await call(sim, 'POST', '/pod/v1/connection/create', `{"userId":${ERIN}}`);
		expect(created.status).toBe(200);
		const at = clock.now();
		expect(created.text).toBe(`{"userId":${ERIN},"status":"PENDING_OUTGOING","firstRequestedAt":${at},"updatedAt":${at},"requestCounter":1}`);
		// One request per pair while it is pending.
		expect((await call(sim, 'POST', '/pod/v1/connection/create', `{"userId":${ERIN}}`)).status).toBe(400);
		clock.advance(60_000);
		const accepted = await asUser(sim, ERIN, 'accept', BOT);
		expect(accepted.text).toBe(`{"userId":${BOT},"status":"ACCEPTED","firstRequestedAt":${at},"updatedAt":${at + 60_000},"requestCounter":1}`);
		expect((await call(sim, 'GET', `/pod/v1/connection/user/${ERIN}/info`)).json).toMatchObject({ status: 'ACCEPTED' });
		// Accepting again: nothing pending.
		expect((await asUser(sim, ERIN, 'accept', BOT)).status).toBe(404);
	});

	test('rejected: REJECTED for both; a new request is allowed and counted', async () => {
		await call(sim, 'POST', '/pod/v1/connection/create', `{"userId":${ERIN}}`);
		expect((await asUser(sim, ERIN, 'reject', BOT)).json).toMatchObject({ status: 'REJECTED' });
		expect((await call(sim, 'GET', `/pod/v1/connection/user/${ERIN}/info`)).json).toMatchObject({ status: 'REJECTED', requestCounter: 1 });
		const again = await call(sim, 'POST', '/pod/v1/connection/create', `{"userId":${ERIN}}`);
		expect(again.json).toMatchObject({ status: 'PENDING_OUTGOING', requestCounter: 2 });
	});

	test('an incoming request is accepted or rejected by the caller; a request never sent cannot be', async () => {
		expect((await asUser(sim, ERIN, 'create', BOT)).json).toMatchObject({ status: 'PENDING_OUTGOING' });
		expect((await call(sim, 'GET', `/pod/v1/connection/user/${ERIN}/info`)).json).toMatchObject({ status: 'PENDING_INCOMING' });
		expect((await call(sim, 'POST', '/pod/v1/connection/accept', `{"userId":${BIG}}`)).status).toBe(404);
		const accepted = await call(sim, 'POST', '/pod/v1/connection/accept', `{"userId":${ERIN}}`);
		expect(accepted.json).toMatchObject({ status: 'ACCEPTED' });
		expect(accepted.text).toContain(`"userId":${ERIN}`);
	});

	test('info: 404 (code 403) without a connection; same-pod users are implicitly ACCEPTED; IDs beyond 2^53 stay exact', async () => {
		const none = await call(sim, 'GET', `/pod/v1/connection/user/${BIG}/info`);
		expect([none.status, none.json]).toEqual([404, { code: 403, message: 'Connection cannot be found' }]);
		expect((await call(sim, 'GET', `/pod/v1/connection/user/${ALICE}/info`)).text).toBe(`{"userId":${ALICE},"status":"ACCEPTED"}`);
		expect((await call(sim, 'GET', '/pod/v1/connection/user/abc/info')).status).toBe(400);
		await call(sim, 'POST', '/pod/v1/connection/create', `{"userId":${BIG}}`);
		expect((await call(sim, 'GET', `/pod/v1/connection/user/${BIG}/info`)).text).toContain(`"userId":${BIG},"status":"PENDING_OUTGOING"`);
		// A rounded ID is another user.
		expect((await call(sim, 'POST', '/pod/v1/connection/create', `{"userId":${Number(BIG)}}`)).status).toBe(404);
	});

	test('list: pending only by default; status filters; same-pod users only with ACCEPTED or ALL and their IDs', async () => {
		await call(sim, 'POST', '/pod/v1/connection/create', `{"userId":${BIG}}`);
		await asUser(sim, ERIN, 'create', BOT);
		const ids = (reply: Awaited<ReturnType<typeof call>>) =>
			[...reply.text.matchAll(/"userId":(\d+),"status":"(\w+)"/g)].map(([, id, status]) => `${id} ${status}`);
		expect(ids(await call(sim, 'GET', '/pod/v1/connection/list'))).toEqual([`${ERIN} PENDING_INCOMING`, `${BIG} PENDING_OUTGOING`]);
		expect(ids(await call(sim, 'GET', '/pod/v1/connection/list?status=ACCEPTED'))).toEqual([`${CAROL} ACCEPTED`]);
		expect(ids(await call(sim, 'GET', '/pod/v1/connection/list?status=PENDING_OUTGOING'))).toEqual([`${BIG} PENDING_OUTGOING`]);
		expect(ids(await call(sim, 'GET', `/pod/v1/connection/list?status=ALL&userIds=${CAROL},${ALICE},${BIG}`))).toEqual([
			`${CAROL} ACCEPTED`,
			`${BIG} PENDING_OUTGOING`,
			`${ALICE} ACCEPTED`,
		]);
		expect(ids(await call(sim, 'GET', `/pod/v1/connection/list?userIds=${ALICE}`))).toEqual([]);
		expect((await call(sim, 'GET', '/pod/v1/connection/list?status=CONNECTED')).status).toBe(400);
		expect((await call(sim, 'GET', '/pod/v1/connection/list?userIds=1,x')).status).toBe(400);
	});

	test('remove: an accepted connection only; same-pod users cannot be removed; presence is then refused', async () => {
		await call(sim, 'POST', '/pod/v1/user/presence/register', `[${CAROL}]`);
		expect((await call(sim, 'GET', `/pod/v3/user/${CAROL}/presence`)).status).toBe(200);
		const removed = await call(sim, 'POST', `/pod/v1/connection/user/${CAROL}/remove`);
		expect(removed.json).toEqual({ format: 'TEXT', message: 'Connection Removed.' });
		expect((await call(sim, 'POST', `/pod/v1/connection/user/${CAROL}/remove`)).status).toBe(404);
		expect((await call(sim, 'POST', `/pod/v1/connection/user/${ALICE}/remove`)).status).toBe(400);
		expect((await call(sim, 'GET', `/pod/v1/connection/user/${CAROL}/info`)).status).toBe(404);
		clock.advance(5 * 60_000);
		expect((await call(sim, 'GET', `/pod/v3/user/${CAROL}/presence`)).status).toBe(403);
	});

	test('presence of a person at another firm: only when connected AND interest registered within the hour', async () => {
		const read = async () => (await call(sim, 'GET', `/pod/v3/user/${ERIN}/presence`)).status;
		expect(await read()).toBe(403); // neither
		await call(sim, 'POST', '/pod/v1/user/presence/register', `[${ERIN}]`);
		expect(await read()).toBe(403); // registered, not connected
		await call(sim, 'POST', '/pod/v1/connection/create', `{"userId":${ERIN}}`);
		expect(await read()).toBe(403); // pending
		await asUser(sim, ERIN, 'accept', BOT);
		expect(await read()).toBe(200); // connected and registered
		clock.advance(INTEREST_LIFETIME_MS);
		expect(await read()).toBe(403); // the registration lapsed
		// Colleagues need neither.
		expect((await call(sim, 'GET', `/pod/v3/user/${ALICE}/presence`)).status).toBe(200);
	});

	test('the directory finds people at other firms once connected (or when discoverable)', async () => {
		const find = async () => (await call(sim, 'GET', '/pod/v3/users?email=erin@umbrella.example')).status;
		expect(await find()).toBe(204);
		sim.users.get(ERIN)!.discoverable = true;
		expect(await find()).toBe(200);
		sim.users.get(ERIN)!.discoverable = false;
		await call(sim, 'POST', '/pod/v1/connection/create', `{"userId":${ERIN}}`);
		await asUser(sim, ERIN, 'accept', BOT);
		expect(await find()).toBe(200);
	});

	test('bad bodies are 400, unknown users 404', async () => {
		expect((await call(sim, 'POST', '/pod/v1/connection/create', `[${ERIN}]`)).status).toBe(400);
		expect((await call(sim, 'POST', '/pod/v1/connection/create', '{"userId":"x"}')).status).toBe(400);
		expect((await call(sim, 'POST', '/pod/v1/connection/create', '{"userId":424242}')).status).toBe(404);
		expect((await call(sim, 'POST', '/pod/v1/connection/create', `{"userId":${ALICE}}`)).json).toEqual({ userId: Number(ALICE), status: 'ACCEPTED' });
		expect((await call(sim, 'POST', '/pod/v1/connection/reject', `{"userId":${ALICE}}`)).status).toBe(400);
	});
});
