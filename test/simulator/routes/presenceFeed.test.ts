import { call } from '../call';
import { startSimulator, type PodSimulator } from '../index';

const BOT = '7215545057281';
const OTHER = '7215545058313';
const BOT_TOKEN = 'bot-token-1';
const OTHER_TOKEN = 'other-token-1';

describe('simulator: presence feeds', () => {
	let sim: PodSimulator;
	beforeEach(async () => {
		const colleagues = Array.from({ length: 600 }, (_, i) => ({ id: String(7215545070000 + i), presence: 'AVAILABLE' }));
		sim = await startSimulator({
			users: [{ id: BOT }, { id: OTHER, presence: 'AVAILABLE' }, ...colleagues],
			sessions: [
				{ token: BOT_TOKEN, userId: BOT },
				{ token: OTHER_TOKEN, userId: OTHER },
			],
		});
	});
	afterEach(async () => await sim.close());

	const create = async (token = BOT_TOKEN) => (await call(sim, 'POST', '/pod/v1/presence/feed/create', undefined, token)).json!.id as string;
	const read = async (id: string) => (await call(sim, 'GET', `/pod/v1/presence/feed/${id}/read`, undefined, BOT_TOKEN)).json as unknown as Array<{ category: string }>;

	test('a read returns the changes since the last read, each user once with the latest status', async () => {
		const id = await create();
		expect(await read(id)).toEqual([]);
		sim.setPresence(OTHER, 'BUSY');
		sim.setPresence(OTHER, 'AWAY');
		expect((await read(id)).map((p) => p.category)).toEqual(['AWAY']);
		expect(await read(id)).toEqual([]);
	});

	test('a read returns at most 500 changes; the rest come with the next read', async () => {
		const id = await create();
		for (let i = 0; i < 600; i++) sim.setPresence(String(7215545070000 + i), 'BUSY');
		expect(await read(id)).toHaveLength(500);
		expect(await read(id)).toHaveLength(100);
		expect(await read(id)).toHaveLength(0);
	});

	test('only the creator may delete a feed (403 for anyone else); unknown feeds are 404', async () => {
		const id = await create();
		expect((await call(sim, 'POST', `/pod/v1/presence/feed/${id}/delete`, undefined, OTHER_TOKEN)).status).toBe(403);
		const deleted = await call(sim, 'POST', `/pod/v1/presence/feed/${id}/delete`, undefined, BOT_TOKEN);
		expect([deleted.status, deleted.json]).toEqual([200, { id }]);
		expect((await call(sim, 'GET', `/pod/v1/presence/feed/${id}/read`, undefined, BOT_TOKEN)).status).toBe(404);
		expect((await call(sim, 'POST', `/pod/v1/presence/feed/${id}/delete`, undefined, BOT_TOKEN)).status).toBe(404);
	});
});
