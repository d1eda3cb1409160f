import { chain } from '../../../../harness';
import { expectNoSecrets } from '../../../../support/secrets';
import { BOT, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';

const getMine = { resource: 'presence', operation: 'getMine' };

describe('Presence → Get Mine', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('reads the credential\'s own presence, once per input item, paired', async () => {
		pod = await startPod();
		pod.sim.setPresence(BOT, 'IN_A_MEETING');
		const result = await pod.harness.run(chain([{ name: 'Mine', parameters: getMine }], [{ a: 1 }, { a: 2 }]));
		const items = result.items('Mine');
		expect(items.map((i) => [i.json.userId, i.json.category, i.pairedItem])).toEqual([
			[BOT, 'IN_A_MEETING', { item: 0 }],
			[BOT, 'IN_A_MEETING', { item: 1 }],
		]);
		expect(items[0].json.timestampIso).toBe(new Date(items[0].json.timestamp as number).toISOString());
		expect(pod.sim.requestsTo('/pod/v2/user/presence', 'GET')).toHaveLength(2);
		expect(pod.sim.requests[0].headers.sessiontoken).toBe(SECRET_TOKEN);
	});

	test('an expired token gives the 401 message, with no token in it', async () => {
		pod = await startPod();
		pod.sim.sessions.clear();
		const result = await pod.harness.run(chain([{ name: 'Mine', parameters: getMine, continueOnFail: true }]));
		expect(result.json('Mine')[0].error).toMatch(/session token is invalid or has expired \(401\) while reading your own presence/);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});
});
