import { chain } from '../../../../harness';
import { expectNoSecrets } from '../../../../support/secrets';
import { SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';

describe('Presence Feed → Create', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('creates a feed and returns its feedId, ready for Read', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Create', parameters: { resource: 'presenceFeed', operation: 'create' } }]));
		const [item] = result.json('Create');
		expect(item.feedId).toMatch(/^[0-9a-f-]{36}$/);
		expect(pod.sim.requestsTo('/pod/v1/presence/feed/create', 'POST')).toHaveLength(1);
	});

	test('a pod that answers without an ID gives a clear error', async () => {
		pod = await startPod();
		pod.sim.fault({ body: '{"status":"ok"}' });
		const result = await pod.harness.run(
			chain([{ name: 'Create', parameters: { resource: 'presenceFeed', operation: 'create' }, continueOnFail: true }]),
		);
		expect(result.json('Create')[0].error).toMatch(/while creating a presence feed was not a presence feed ID/);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});
});
