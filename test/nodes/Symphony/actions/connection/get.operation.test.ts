import type { IDataObject } from 'n8n-workflow';

import { chain } from '../../../../harness';
import { call } from '../../../../simulator/call';
import { expectNoSecrets } from '../../../../support/secrets';
import { ALICE, BIG_ID, BOT, CAROL_EXTERNAL, ERIN_NOT_CONNECTED, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';

const get = (user: IDataObject | string) => ({ resource: 'connection', operation: 'get', user });
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

describe('Connection → Get', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('one request per person; connected, colleague, pending and not connected each say so; IDs keep every digit', async () => {
		pod = await startPod();
		pod.sim.users.get(ERIN_NOT_CONNECTED)!.connected = false;
		pod.sim.setConnection(BOT, BIG_ID, null);
		await call(pod.sim, 'POST', '/pod/v1/connection/create', `{"userId":${ERIN_NOT_CONNECTED}}`, SECRET_TOKEN);
		const requestedAt = pod.sim.connectionBetween(BOT, ERIN_NOT_CONNECTED)!.firstRequestedAt;
		pod.sim.clearLog();
		const result = await pod.harness.run(
			chain(
				[{ name: 'Get', typeVersion: 2, parameters: get(byId('={{ $json.userId }}')) }],
				[{ userId: CAROL_EXTERNAL }, { userId: ALICE }, { userId: ERIN_NOT_CONNECTED }, { userId: BIG_ID }],
			),
		);
		const iso = new Date(requestedAt).toISOString();
		expect(result.items('Get').map((i) => [i.json.userId, i.json.status, i.json.connected, i.pairedItem])).toEqual([
			[CAROL_EXTERNAL, 'ACCEPTED', true, { item: 0 }],
			[ALICE, 'ACCEPTED', true, { item: 1 }],
			[ERIN_NOT_CONNECTED, 'PENDING_OUTGOING', false, { item: 2 }],
			[BIG_ID, 'NOT_CONNECTED', false, { item: 3 }],
		]);
		expect(result.json('Get')[2]).toEqual({
			userId: ERIN_NOT_CONNECTED,
			status: 'PENDING_OUTGOING',
			connected: false,
			firstRequestedAt: requestedAt,
			firstRequestedAtIso: iso,
			updatedAt: requestedAt,
			updatedAtIso: iso,
			requestCounter: 1,
		});
		expect(pod.sim.requests.map((r) => r.path)).toEqual([CAROL_EXTERNAL, ALICE, ERIN_NOT_CONNECTED, BIG_ID].map((id) => `/pod/v1/connection/user/${id}/info`));
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('By Email: the person is looked up first and the email kept beside the userId', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Get', typeVersion: 2, parameters: get({ __rl: true, mode: 'email', value: 'carol@globex.example' }) }]),
		);
		expect(result.json('Get')).toEqual([expect.objectContaining({ userId: CAROL_EXTERNAL, email: 'carol@globex.example', status: 'ACCEPTED' })]);
	});

	test('a 403 names the call and the OBO permission, under Continue On Fail paired to its item', async () => {
		pod = await startPod();
		pod.sim.fault({ path: '/pod/v1/connection/', status: 403 });
		const result = await pod.harness.run(
			chain([{ name: 'Get', typeVersion: 2, parameters: get(byId(CAROL_EXTERNAL)), continueOnFail: true }]),
		);
		const [item] = result.items('Get');
		expect(item.json.error).toBe(`Symphony refused access while reading the connection with user ${CAROL_EXTERNAL} (403 Forbidden)`);
		expect(item.json.description).toMatch(/^Symphony did not let the account behind the credential read its connections\. OBO apps need the GET_USER_CONNECTIONS permission/);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	test.each([
		[byId('={{ "abc" }}'), /^User \(By ID\): "abc" is not a Symphony user ID/],
		[byId(`={{ "${ALICE}, ${BIG_ID}" }}`), /^User \(By ID\): .* holds more than one user ID/],
		[{ __rl: true, mode: 'email', value: 'carol.globex' }, /^User \(By Email\): "carol.globex" is not an email address/],
	])('bad input %p is refused before any request', async (user, message) => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Get', typeVersion: 2, parameters: get(user) }]));
		expect(result.error?.message).toMatch(message);
		expect(pod.sim.requests).toEqual([]);
	});
});
