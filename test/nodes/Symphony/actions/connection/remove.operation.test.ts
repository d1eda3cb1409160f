import { chain } from '../../../../harness';
import { BOT, CAROL_EXTERNAL, ERIN_NOT_CONNECTED, startPod, type PodFixture } from '../../../../support/pod';

describe('Connection → Remove', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('removes each item\'s connection; someone not connected fails only their item, worded', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain(
				[{ name: 'Remove', typeVersion: 2, parameters: { resource: 'connection', operation: 'remove' }, continueOnFail: true }],
				[{ userId: CAROL_EXTERNAL }, { userId: ERIN_NOT_CONNECTED }],
			),
		);
		const [removed, none] = result.items('Remove');
		expect(removed).toEqual({ json: { userId: CAROL_EXTERNAL, removed: true }, pairedItem: { item: 0 } });
		expect(none.json.error).toBe(`Not found while removing the connection with user ${ERIN_NOT_CONNECTED} (404)`);
		expect(none.json.description).toMatch(/^You are not connected with user 71811853191697, so there is no connection to remove/);
		expect(pod.sim.connectionBetween(BOT, CAROL_EXTERNAL)).toBeUndefined();
		expect(pod.sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			`POST /pod/v1/connection/user/${CAROL_EXTERNAL}/remove`,
			`POST /pod/v1/connection/user/${ERIN_NOT_CONNECTED}/remove`,
		]);
	});
});
