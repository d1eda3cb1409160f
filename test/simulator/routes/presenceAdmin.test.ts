/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- development code: runs in Node, never packed; its secrets are fakes for the simulator */
import { call } from '../call';
import { PRESENCE_PRIVILEGE, USER_PROVISIONING, startSimulator, type PodSimulator } from '../index';

const BOT = '7215545057281';
const ADMIN_TOKEN = 'admin-token-1';
const PLAIN_TOKEN = 'plain-token-1';
const NO_PRIVILEGE_TOKEN = 'no-privilege-token-1';

/** Internal users with IDs 7215545060001…, listed out of order, plus one external and one inactive. */
function population(count: number) {
	const users = Array.from({ length: count }, (_, i) => ({ id: String(7215545060001 + i), presence: i % 2 ? 'BUSY' : 'AVAILABLE' })).reverse();
	return [
		{ id: BOT, presence: 'AVAILABLE' },
		...users,
		{ id: '14568529068038', external: true, connected: true, presence: 'BUSY' },
		{ id: '7215545069999', active: false },
	];
}

describe('simulator: own presence, admin presence, everyone\'s presence', () => {
	let sim: PodSimulator;
	beforeEach(async () => {
		sim = await startSimulator({
			users: population(7),
			sessions: [
				{ token: PLAIN_TOKEN, userId: BOT },
				{ token: ADMIN_TOKEN, userId: BOT, privileges: [PRESENCE_PRIVILEGE, USER_PROVISIONING] },
				{ token: NO_PRIVILEGE_TOKEN, userId: BOT, privileges: [] },
			],
		});
	});
	afterEach(async () => await sim.close());

	test('GET and POST /pod/v2/user/presence read and set the caller\'s own presence', async () => {
		expect((await call(sim, 'GET', '/pod/v2/user/presence', undefined, PLAIN_TOKEN)).json).toMatchObject({ category: 'AVAILABLE' });
		const set = await call(sim, 'POST', '/pod/v2/user/presence', '{"category":"BUSY"}', PLAIN_TOKEN);
		expect(set.status).toBe(200);
		expect(set.text).toContain(`"userId":${BOT}`);
		expect(sim.users.get(BOT)!.presence).toBe('BUSY');
	});

	test('setting needs ADMIN_PRESENCE_UPDATE; bad categories are 400', async () => {
		expect((await call(sim, 'POST', '/pod/v2/user/presence', '{"category":"BUSY"}', NO_PRIVILEGE_TOKEN)).status).toBe(403);
		expect((await call(sim, 'POST', '/pod/v2/user/presence', '{"category":"busy now"}', PLAIN_TOKEN)).status).toBe(400);
		expect((await call(sim, 'POST', '/pod/v2/user/presence', '{}', PLAIN_TOKEN)).status).toBe(400);
	});

	test('soft: an offline user stays offline with the status pending; an idle user set AVAILABLE shows AWAY', async () => {
		const offline = '7215545060001';
		const idle = '7215545060003';
		sim.setPresence(offline, 'OFFLINE');
		sim.users.get(idle)!.idle = true;
		const soft = async (userId: string) =>
			await call(sim, 'POST', '/pod/v3/user/presence?soft=true', `{"category":"AVAILABLE","userId":${userId}}`, ADMIN_TOKEN);
		expect((await soft(offline)).json).toMatchObject({ category: 'OFFLINE' });
		expect(sim.users.get(offline)!.pendingPresence).toBe('AVAILABLE');
		expect((await soft(idle)).json).toMatchObject({ category: 'AWAY' });
		const hard = await call(sim, 'POST', '/pod/v3/user/presence?soft=false', `{"category":"AVAILABLE","userId":${offline}}`, ADMIN_TOKEN);
		expect(hard.json).toMatchObject({ category: 'AVAILABLE' });
	});

	test('POST /pod/v3/user/presence needs User Provisioning; unknown users are 404', async () => {
		const body = '{"category":"AWAY","userId":7215545060002}';
		expect((await call(sim, 'POST', '/pod/v3/user/presence', body, PLAIN_TOKEN)).status).toBe(403);
		expect((await call(sim, 'POST', '/pod/v3/user/presence', body, ADMIN_TOKEN)).status).toBe(200);
		expect(sim.users.get('7215545060002')!.presence).toBe('AWAY');
		expect((await call(sim, 'POST', '/pod/v3/user/presence', '{"category":"AWAY","userId":424242}', ADMIN_TOKEN)).status).toBe(404);
	});

	test('GET /pod/v2/users/presence: active pod users sorted by ID, pages starting AT lastUserId', async () => {
		const first = await call(sim, 'GET', '/pod/v2/users/presence?limit=3', undefined, ADMIN_TOKEN);
		const ids = (first.json as unknown as Array<{ userId: number }>).map((p) => String(p.userId));
		expect(ids).toEqual([BOT, '7215545060001', '7215545060002']);
		const second = await call(sim, 'GET', `/pod/v2/users/presence?limit=3&lastUserId=${ids[2]}`, undefined, ADMIN_TOKEN);
		expect((second.json as unknown as Array<{ userId: number }>).map((p) => String(p.userId))).toEqual([
			'7215545060002',
			'7215545060003',
			'7215545060004',
		]);
		const all = await call(sim, 'GET', '/pod/v2/users/presence', undefined, ADMIN_TOKEN);
		// The bot and 7 colleagues; the external and the inactive user are left out.
		expect(all.json).toHaveLength(8);
	});

	test.each([
		['limit=5001', 400],
		['limit=5000', 200],
		['limit=0', 400],
		['lastUserId=abc', 400],
	])('GET /pod/v2/users/presence?%s → %p', async (query, status) => {
		expect((await call(sim, 'GET', `/pod/v2/users/presence?${query}`, undefined, ADMIN_TOKEN)).status).toBe(status);
	});

	test('GET /pod/v2/users/presence is 403 without the User Provisioning role', async () => {
		expect((await call(sim, 'GET', '/pod/v2/users/presence', undefined, PLAIN_TOKEN)).status).toBe(403);
	});
});
