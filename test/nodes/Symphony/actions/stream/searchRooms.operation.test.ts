import type { IDataObject } from 'n8n-workflow';

import { chain } from '../../../../harness';
import { simRoomsOf } from '../../../../simulator/routes/rooms';
import { ALICE, BIG_ID, BOT, QUICK_RETRY, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';
import { expectNoSecrets } from '../../../../support/secrets';

const search = (parameters: IDataObject) => ({ resource: 'stream', operation: 'searchRooms', query: 'desk', options: QUICK_RETRY, ...parameters });
const describeCall = (r: { path: string; query: Record<string, string>; body: string }) =>
	`${r.path}?${Object.entries(r.query).map(([k, v]) => `${k}=${v}`).join('&')} ${r.body}`;

describe('Stream → Search Rooms', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	async function withRooms(count: number) {
		pod = await startPod();
		const rooms = simRoomsOf(pod.sim);
		for (let i = 0; i < count; i++) rooms.create(BOT, { name: `Desk ${String(i).padStart(3, '0')}` });
	}

	test('Return All pages by skip, 100 rooms a request, until Symphony has no more; each room an item paired to its input', async () => {
		await withRooms(130);
		const result = await pod.harness.run(chain([{ name: 'Search', parameters: search({ returnAll: true }) }]));
		const items = result.items('Search');
		expect(items).toHaveLength(130);
		expect(items[129]).toEqual({ json: expect.objectContaining({ name: 'Desk 129', creatorId: BOT, active: true }), pairedItem: { item: 0 } });
		expect(pod.sim.requests.map(describeCall)).toEqual([
			'/pod/v3/room/search?skip=0&limit=100 {"query":"desk"}',
			'/pod/v3/room/search?skip=100&limit=100 {"query":"desk"}',
		]);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('a Limit asks for no more than it needs; the filters go to Symphony, the member\'s ID exact', async () => {
		await withRooms(3);
		const member = simRoomsOf(pod.sim).create(ALICE, { name: 'Desk of Alice', discoverable: true });
		member.stream.members.push(BIG_ID);
		const result = await pod.harness.run(
			chain(
				[{ name: 'Search', parameters: search({ returnAll: false, limit: '={{ $json.limit }}', filters: { memberId: BIG_ID, active: true, private: true, includeNonDiscoverable: true } }) }],
				[{ limit: 2 }, { limit: 1 }],
			),
		);
		expect(result.items('Search')).toEqual([{ json: expect.objectContaining({ name: 'Desk of Alice', creatorId: ALICE }), pairedItem: { item: 0 } }, { json: expect.objectContaining({ name: 'Desk of Alice' }), pairedItem: { item: 1 } }]);
		expect(pod.sim.requests.map(describeCall)).toEqual([
			`/pod/v3/room/search?skip=0&limit=2&includeNonDiscoverable=true {"query":"desk","active":true,"private":true,"member":{"id":${BIG_ID}}}`,
			`/pod/v3/room/search?skip=0&limit=1&includeNonDiscoverable=true {"query":"desk","active":true,"private":true,"member":{"id":${BIG_ID}}}`,
		]);
	});

	test('nothing found: no items, no error', async () => {
		await withRooms(2);
		const result = await pod.harness.run(chain([{ name: 'Search', parameters: search({ query: 'nothing like it', returnAll: true }) }]));
		expect(result.error).toBeUndefined();
		expect(result.items('Search')).toEqual([]);
		expect(pod.sim.requests).toHaveLength(1);
	});
});
