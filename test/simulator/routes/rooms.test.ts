import { ALICE, BIG_ID, BOB, BOT, ERIN_NOT_CONNECTED, testUsers } from '../../support/pod';
import { call } from '../call';
import { startSimulator, type PodSimulator } from '../index';
import { simMessagingOf } from './messages';
import { MAX_SEARCH_LIMIT, simRoomsOf } from './rooms';

function manualClock(start = Date.parse('2026-01-05T09:00:00Z')) {
	let now = start;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}

const create = async (sim: PodSimulator, attributes: Record<string, unknown>) => await call(sim, 'POST', '/pod/v3/room/create', JSON.stringify(attributes));
const search = async (sim: PodSimulator, criteria: string, qs = '') => await call(sim, 'POST', `/pod/v3/room/search${qs}`, criteria);
const names = (reply: Awaited<ReturnType<typeof call>>) =>
	((reply.json?.rooms ?? []) as Array<{ roomAttributes: { name: string } }>).map((room) => room.roomAttributes.name);

describe('simulator: rooms', () => {
	let sim: PodSimulator;
	let clock: ReturnType<typeof manualClock>;
	beforeEach(async () => {
		clock = manualClock();
		sim = await startSimulator({ users: testUsers(), callerId: BOT, now: clock.now });
	});
	afterEach(async () => await sim.close());

	test('create: V3RoomDetail with the new stream ID (URL-safe) in roomSystemInfo.id; the caller its owner and only member; no attributes: private', async () => {
		const created = await create(sim, { name: 'Rates', description: 'EMEA rates', keywords: [{ key: 'region', value: 'EMEA' }], readOnly: true });
		expect(created.status).toBe(200);
		const id = (created.json!.roomSystemInfo as { id: string }).id;
		expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
		expect(created.text).toContain(`"createdByUserId":${BOT}`);
		expect(created.json).toEqual({
			roomAttributes: {
				name: 'Rates',
				description: 'EMEA rates',
				keywords: [{ key: 'region', value: 'EMEA' }],
				membersCanInvite: false,
				discoverable: false,
				public: false,
				readOnly: true,
				copyProtected: false,
				crossPod: false,
				viewHistory: false,
				multiLateralRoom: false,
			},
			roomSystemInfo: { id, creationDate: clock.now(), createdByUserId: Number(BOT), active: true },
			groups: [],
		});
		expect(simMessagingOf(sim).streams.get(id)).toEqual({ id, type: 'ROOM', members: [BOT] });
		expect((await create(sim, { description: 'no name' })).status).toBe(400);
		expect((await create(sim, { name: 'x', public: 'yes' })).status).toBe(400);
		expect((await call(sim, 'POST', '/pod/v3/room/create', '[1]')).status).toBe(400);
	});

	test('info: the room\'s detail; a private room of others is 403; an unknown or non-URL-safe ID is 400', async () => {
		const mine = (await create(sim, { name: 'Mine' })).json!.roomSystemInfo as { id: string };
		expect((await call(sim, 'GET', `/pod/v3/room/${mine.id}/info`)).json).toMatchObject({ roomAttributes: { name: 'Mine' } });
		const theirs = simRoomsOf(sim).create(ALICE, { name: 'Theirs' });
		expect((await call(sim, 'GET', `/pod/v3/room/${theirs.stream.id}/info`)).status).toBe(403);
		const open = simRoomsOf(sim).create(ALICE, { name: 'Open', discoverable: true });
		expect((await call(sim, 'GET', `/pod/v3/room/${open.stream.id}/info`)).status).toBe(200);
		expect((await call(sim, 'GET', '/pod/v3/room/nope0000nope/info')).status).toBe(400);
		expect((await call(sim, 'GET', `/pod/v3/room/${encodeURIComponent('ab+c/def==')}/info`)).status).toBe(400);
	});

	test('search: text in name, description or keywords; rooms the caller may see; filters; skip and limit (at most 100)', async () => {
		await create(sim, { name: 'Rates EMEA', public: true });
		await create(sim, { name: 'FX', description: 'rates and FX' });
		simRoomsOf(sim).create(ALICE, { name: 'Hidden rates' });
		simRoomsOf(sim).create(ALICE, { name: 'Found', keywords: [{ key: 'desk', value: 'Rates' }], discoverable: true });
		expect(names(await search(sim, '{"query":"rates"}'))).toEqual(['Rates EMEA', 'FX', 'Found']);
		expect(names(await search(sim, '{"query":"RATES"}', '?includeNonDiscoverable=true'))).toEqual(['Rates EMEA', 'FX', 'Hidden rates', 'Found']);
		expect(names(await search(sim, '{"query":"rates","private":true}'))).toEqual(['FX', 'Found']);
		expect(names(await search(sim, `{"query":"rates","member":{"id":${ALICE}}}`))).toEqual(['Found']);
		[...simRoomsOf(sim).rooms.values()].find((room) => room.name === 'FX')!.active = false;
		expect(names(await search(sim, '{"query":"rates","active":false}'))).toEqual(['FX']);
		const page = await search(sim, '{"query":"rates"}', '?skip=1&limit=1');
		expect(page.json).toMatchObject({ count: 3, skip: 1, limit: 1, query: { query: 'rates' } });
		expect(names(page)).toEqual(['FX']);
		expect((await search(sim, '{"query":"x"}', `?limit=${MAX_SEARCH_LIMIT + 1}`)).status).toBe(400);
		expect((await search(sim, '{"active":true}')).status).toBe(400);
		expect((await search(sim, '{"query":"x","member":{"id":"abc"}}')).status).toBe(400);
		// The member's ID is read as text: a rounded ID is another user.
		expect((await search(sim, `{"query":"rates","member":{"id":${BIG_ID}}}`)).json).toMatchObject({ count: 0, query: { member: { id: Number(BIG_ID) } } });
		expect((await search(sim, `{"query":"rates","member":{"id":${BIG_ID}}}`)).text).toContain(`"member":{"id":${BIG_ID}}`);
	});

	test('membership: add and remove by owners; members can invite only where allowed; people at other firms only in cross-pod rooms', async () => {
		const id = ((await create(sim, { name: 'Desk' })).json!.roomSystemInfo as { id: string }).id;
		const change = async (roomId: string, which: 'add' | 'remove', userId: string) =>
			await call(sim, 'POST', `/pod/v1/room/${roomId}/membership/${which}`, `{"id":${userId}}`);
		expect((await change(id, 'add', ALICE)).json).toEqual({ format: 'TEXT', message: 'Member added' });
		expect((await change(id, 'add', ALICE)).status).toBe(200);
		expect(simMessagingOf(sim).streams.get(id)!.members).toEqual([BOT, ALICE]);
		expect((await change(id, 'add', ERIN_NOT_CONNECTED)).status).toBe(400);
		expect((await change(id, 'add', '424242')).status).toBe(400);
		expect((await call(sim, 'POST', `/pod/v1/room/${id}/membership/add`, `[${BOB}]`)).status).toBe(400);
		expect((await change(id, 'remove', ALICE)).json).toEqual({ format: 'TEXT', message: 'Member removed' });
		expect(simMessagingOf(sim).streams.get(id)!.members).toEqual([BOT]);

		const theirs = simRoomsOf(sim).create(ALICE, { name: 'Theirs' });
		expect((await change(theirs.stream.id, 'add', BOB)).status).toBe(403);
		theirs.stream.members.push(BOT);
		expect((await change(theirs.stream.id, 'add', BOB)).status).toBe(403);
		theirs.flags.membersCanInvite = true;
		expect((await change(theirs.stream.id, 'add', BOB)).status).toBe(200);
		expect((await change(theirs.stream.id, 'remove', BOB)).status).toBe(403);
		expect((await change('nope0000nope', 'add', BOB)).status).toBe(400);
	});
});
