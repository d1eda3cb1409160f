/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- development code: runs in Node, never packed; its secrets are fakes for the simulator */
import { chain } from '../../../../harness';
import { expectNoSecrets } from '../../../../support/secrets';
import { ALICE, BOT, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';

const OTHER_TOKEN = 'tok-OTHER-9a8b7c6d5e4f';
const create = { resource: 'presenceFeed', operation: 'create' };
const deleteFeed = { resource: 'presenceFeed', operation: 'deleteFeed' };

describe('Presence Feed → Delete', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('Create → Delete with no mapping', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([
			{ name: 'Create', parameters: create },
			{ name: 'Delete', parameters: deleteFeed },
		]));
		const { feedId } = result.json('Create')[0];
		expect(result.json('Delete')).toEqual([{ feedId, deleted: true }]);
		expect(pod.sim.requestsTo(`/pod/v1/presence/feed/${feedId as string}/delete`, 'POST')).toHaveLength(1);
	});

	test('another account\'s feed: 403 explained, with neither token in the output', async () => {
		pod = await startPod({
			sessions: [
				{ token: SECRET_TOKEN, userId: BOT },
				{ token: OTHER_TOKEN, userId: ALICE },
			],
		});
		const created = await pod.harness.run(chain([{ name: 'Create', parameters: create }]));
		const { feedId } = created.json('Create')[0];
		pod.harness.credentialsHelper.setCredentials('symphonyApi', { podUrl: pod.sim.url, sessionKind: 'sessionToken', token: OTHER_TOKEN });
		const result = await pod.harness.run(chain([{ name: 'Delete', parameters: deleteFeed, continueOnFail: true }], [{ feedId }]));
		const [item] = result.json('Delete');
		expect(item.error).toMatch(/refused access while deleting presence feed .* \(403 Forbidden\)/);
		expect(item.description).toMatch(/^A presence feed can be deleted only by the account that created it\. Use the credential of the account that ran Create\./);
		expectNoSecrets(result.run, [SECRET_TOKEN, OTHER_TOKEN]);
	});
});
