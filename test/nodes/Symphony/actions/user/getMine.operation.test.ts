import { chain } from '../../../../harness';
import { expectNoSecrets } from '../../../../support/secrets';
import { BIG_ID, BOT, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';

const getMine = { resource: 'user', operation: 'getMine' };

describe('User → Get Mine', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('version 1: Symphony\'s whole record of the account behind the credential, the ID also as userId, once per item, paired', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Me', parameters: getMine }], [{ a: 1 }, { a: 2 }]));
		const me = {
			id: BOT,
			userId: BOT,
			username: 'presence.bot',
			emailAddress: 'bot@acme.example',
			accountType: 'SYSTEM',
			roles: ['INDIVIDUAL', 'ADMIN_PRESENCE_UPDATE'],
		};
		expect(result.items('Me').map((item) => [item.json, item.pairedItem])).toEqual([
			[me, { item: 0 }],
			[me, { item: 1 }],
		]);
		expect(pod.sim.requests.map((request) => [request.method, request.path, request.headers.sessiontoken])).toEqual([
			['GET', '/pod/v2/sessioninfo', SECRET_TOKEN],
			['GET', '/pod/v2/sessioninfo', SECRET_TOKEN],
		]);
	});

	test('version 2 simplifies by default, as User → Get does; an ID beyond 2^53 keeps every digit', async () => {
		pod = await startPod();
		pod.sim.sessions.set(SECRET_TOKEN, { token: SECRET_TOKEN, userId: BIG_ID });
		const result = await pod.harness.run(chain([{ name: 'Me', typeVersion: 2, parameters: getMine }]));
		expect(result.json('Me')).toEqual([{ userId: BIG_ID, displayName: null, email: 'big@far.example', username: 'big', company: null }]);
	});

	test('a 403 (an OBO app without the permission) names what is missing; under Continue On Fail the item carries it, with no token', async () => {
		pod = await startPod();
		pod.sim.fault({ path: '/pod/v2/sessioninfo', status: 403, body: '{"code":403,"message":"Forbidden"}' });
		const result = await pod.harness.run(chain([{ name: 'Me', parameters: getMine, continueOnFail: true }]));
		expect(result.json('Me')).toEqual([
			{
				error: 'Symphony refused access while reading the account behind the credential (403 Forbidden)',
				description: 'OBO apps need the GET_BASIC_USER_INFO permission to read the account they act for. Symphony said: "Forbidden".',
			},
		]);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});
});
