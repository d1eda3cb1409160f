import { chain } from '../../../../harness';
import { ALICE, BOB, startPod, type PodFixture } from '../../../../support/pod';

const create = { resource: 'presenceFeed', operation: 'create' };
const read = { resource: 'presenceFeed', operation: 'read' };

describe('Presence Feed → Read', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('Create → Read with no mapping; each read returns the changes since the previous one', async () => {
		pod = await startPod();
		const created = await pod.harness.run(chain([{ name: 'Create', parameters: create }]));
		const { feedId } = created.json('Create')[0];

		pod.sim.setPresence(ALICE, 'BUSY');
		pod.sim.setPresence(BOB, 'AWAY');
		pod.sim.setPresence(ALICE, 'IN_A_MEETING');
		const first = await pod.harness.run(chain([{ name: 'Read', parameters: read }], [{ feedId }]));
		expect(first.json('Read').map((p) => [p.userId, p.category])).toEqual([
			[BOB, 'AWAY'],
			[ALICE, 'IN_A_MEETING'],
		]);
		expect(first.items('Read').every((i) => JSON.stringify(i.pairedItem) === '{"item":0}')).toBe(true);

		const second = await pod.harness.run(chain([{ name: 'Read', parameters: read }], [{ feedId }]));
		expect(second.json('Read')).toEqual([]);
		expect(pod.sim.requestsTo(`/pod/v1/presence/feed/${feedId as string}/read`, 'GET')).toHaveLength(2);
	});

	test('700 changes come 500 per read, the rest on the next read', async () => {
		pod = await startPod();
		const created = await pod.harness.run(chain([{ name: 'Create', parameters: create }]));
		const { feedId } = created.json('Create')[0];
		for (let i = 0; i < 700; i++) pod.sim.addUser({ id: String(7215545100000 + i) });
		for (let i = 0; i < 700; i++) pod.sim.setPresence(String(7215545100000 + i), 'BUSY');
		const reads = await pod.harness.run(chain([{ name: 'Read', parameters: read }], [{ feedId }, { feedId }, { feedId }]));
		const counts = [0, 1, 2].map((item) => reads.items('Read').filter((i) => (i.pairedItem as { item: number }).item === item).length);
		expect(counts).toEqual([500, 200, 0]);
	});

	test.each([
		['={{ $json.nothing }}', /^Feed ID: undefined is empty\. Use the feedId returned by Presence Feed → Create/],
		['../../v2/sessioninfo', /^Feed ID: "..\/..\/v2\/sessioninfo" is not a presence feed ID/],
	])('Feed ID %p is refused before any request', async (feedId, message) => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Read', parameters: { ...read, feedId }, continueOnFail: true }], [{ a: 1 }]));
		expect(result.json('Read')[0].error).toMatch(message);
		expect(result.items('Read')[0].pairedItem).toEqual({ item: 0 });
		expect(pod.sim.requests).toHaveLength(0);
	});

	test('an unknown feed gives a 404 that speaks of feeds', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Read', parameters: { ...read, feedId: 'no-such-feed' }, continueOnFail: true }]));
		const [item] = result.json('Read');
		expect(item.error).toMatch(/Not found while reading presence feed no-such-feed \(404\)/);
		expect(item.description).toMatch(/knows no presence feed with this ID/);
	});
});
