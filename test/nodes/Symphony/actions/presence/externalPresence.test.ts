import type { IDataObject } from 'n8n-workflow';

import { chain } from '../../../../harness';
import { call } from '../../../../simulator/call';
import { expectNoSecrets } from '../../../../support/secrets';
import { ALICE, BIG_ID, BOT, CAROL_EXTERNAL, ERIN_NOT_CONNECTED, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';

/** Presence → Get as a new node (version 3) has it: User By ID from the incoming item, interest registered by itself. */
function getV3(parameters: IDataObject = {}, extra: IDataObject = {}) {
	return {
		name: 'Get',
		typeVersion: 3,
		parameters: { resource: 'presence', operation: 'get', user: { __rl: true, mode: 'id', value: '={{ $json.userId }}' }, ...parameters },
		...extra,
	};
}
const calls = (pod: PodFixture) => pod.sim.requests.map((r) => `${r.method} ${r.path}${r.body === '' ? '' : ` ${r.body}`}`);
const hintsOf = (result: { run: { data: { resultData: { runData: Record<string, Array<{ hints?: unknown[] }>> } } } }) =>
	result.run.data.resultData.runData.Get[0].hints ?? [];

describe('Presence → Get, version 3: people at other firms', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('registers interest in the people at other firms first, each once, in one request; colleagues cost nothing; then reads', async () => {
		pod = await startPod();
		const users = [CAROL_EXTERNAL, ALICE, CAROL_EXTERNAL, BIG_ID];
		const result = await pod.harness.run(
			chain([getV3({ options: { concurrency: 1 } }, { continueOnFail: true })], users.map((userId) => ({ userId }))),
		);
		expect(result.json('Get').map((p) => [p.userId, p.category ?? p.error])).toEqual([
			[CAROL_EXTERNAL, 'BUSY'],
			[ALICE, 'AVAILABLE'],
			// Symphony's 5-minute rule refuses the second read of Carol (an error item).
			[undefined, expect.stringMatching(/\(429 Too Many Requests\)/)],
			[BIG_ID, 'AWAY'],
		]);
		expect(calls(pod).slice(0, 2)).toEqual(['GET /pod/v2/sessioninfo', `POST /pod/v1/user/presence/register [${CAROL_EXTERNAL},${BIG_ID}]`]);
		expect(pod.sim.requestsTo('/pod/v3/user/')).toHaveLength(4);
		expect(hintsOf(result)).toEqual([]);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('only colleagues: no registration at all', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([getV3()], [{ userId: ALICE }]));
		expect(result.json('Get')).toEqual([expect.objectContaining({ userId: ALICE, category: 'AVAILABLE' })]);
		expect(pod.sim.requestsTo('/pod/v1/user/presence/register')).toEqual([]);
	});

	test('items from Register Interest within the hour are not registered again', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain(
				[{ name: 'Register', parameters: { resource: 'presence', operation: 'registerInterest', userIds: CAROL_EXTERNAL } }, getV3()],
			),
		);
		expect(result.json('Get')).toEqual([expect.objectContaining({ userId: CAROL_EXTERNAL, category: 'BUSY' })]);
		expect(pod.sim.requestsTo('/pod/v1/user/presence/register')).toHaveLength(1);
	});

	test('one register request per 1,000 people', async () => {
		pod = await startPod();
		const many = Array.from({ length: 1001 }, (_, i) => String(14568529069000 + i));
		for (const id of many) pod.sim.addUser({ id, external: true, connected: true, presence: 'AVAILABLE' });
		const result = await pod.harness.run(chain([getV3()], many.map((userId) => ({ userId }))));
		expect(result.json('Get')).toHaveLength(1001);
		expect(pod.sim.requestsTo('/pod/v1/user/presence/register').map((r) => r.body.split(',').length)).toEqual([1000, 1]);
	});

	test('turned off, or Local Only: nothing is registered', async () => {
		pod = await startPod();
		await pod.harness.run(chain([getV3({ registerInterestFirst: false }, { continueOnFail: true })], [{ userId: CAROL_EXTERNAL }]));
		await pod.harness.run(chain([getV3({ local: true })], [{ userId: CAROL_EXTERNAL }]));
		expect(pod.sim.requestsTo('/pod/v1/user/presence/register')).toEqual([]);
	});

	test('without ADMIN_PRESENCE_UPDATE: a hint says so, the reads still run, and a refused read names the privilege', async () => {
		pod = await startPod({ sessions: [{ token: SECRET_TOKEN, userId: BOT, privileges: [] }] });
		const result = await pod.harness.run(chain([getV3({}, { continueOnFail: true })], [{ userId: CAROL_EXTERNAL }, { userId: ALICE }]));
		const [carol, alice] = result.json('Get');
		expect(alice).toMatchObject({ userId: ALICE, category: 'AVAILABLE' });
		expect(carol.error).toBe(`Symphony refused access while reading the presence of user ${CAROL_EXTERNAL} (403 Forbidden)`);
		expect(carol.description).toMatch(
			/^You are connected with user 14568529068038, so interest in their presence is missing: registering it was refused \(403\): the account behind the credential lacks the ADMIN_PRESENCE_UPDATE privilege/,
		);
		expect(hintsOf(result)).toContainEqual(
			expect.objectContaining({ message: expect.stringMatching(/^Registering interest in people at other firms was refused \(403\): the account behind the credential lacks the ADMIN_PRESENCE_UPDATE privilege/) }),
		);
		expect(pod.sim.requestsTo('/pod/v3/user/')).toHaveLength(2);
	});
});

describe('Presence → Get: a refused read (403) of a person at another firm says why, from one connection request', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	const readErin = async () => {
		pod.sim.clearLog();
		const result = await pod.harness.run(chain([getV3({}, { continueOnFail: true })], [{ userId: ERIN_NOT_CONNECTED }]));
		const [item] = result.json('Get');
		expect(item.error).toBe(`Symphony refused access while reading the presence of user ${ERIN_NOT_CONNECTED} (403 Forbidden)`);
		expect(pod.sim.requestsTo('/pod/v1/connection/')).toHaveLength(1);
		return String(item.description);
	};

	test('not connected', async () => {
		pod = await startPod();
		expect(await readErin()).toMatch(
			/^You are not connected with user 71811853191697, who is at another firm: Symphony shows their presence only to connected people\. Send them a request with Connection → Create and ask them to accept it in Symphony\./,
		);
	});

	test('a request of ours waiting, since when', async () => {
		pod = await startPod();
		await call(pod.sim, 'POST', '/pod/v1/connection/create', `{"userId":${ERIN_NOT_CONNECTED}}`, SECRET_TOKEN);
		const since = new Date(pod.sim.connectionBetween(BOT, ERIN_NOT_CONNECTED)!.firstRequestedAt).toISOString();
		expect(await readErin()).toMatch(new RegExp(`^Your connection request to user ${ERIN_NOT_CONNECTED} \\(at another firm\\) is waiting for their answer since ${since.replace(/\./g, '\\.')}: .*Ask them to accept it`));
	});

	test('their request waiting for us', async () => {
		pod = await startPod();
		await call(pod.sim, 'POST', `/_sim/users/${ERIN_NOT_CONNECTED}/connection/create`, `{"userId":${BOT}}`, null);
		expect(await readErin()).toMatch(/^User 71811853191697 \(at another firm\) asked to connect with you on .* accept with Connection → Accept/);
	});

	test('declined', async () => {
		pod = await startPod();
		await call(pod.sim, 'POST', '/pod/v1/connection/create', `{"userId":${ERIN_NOT_CONNECTED}}`, SECRET_TOKEN);
		await call(pod.sim, 'POST', `/_sim/users/${ERIN_NOT_CONNECTED}/connection/reject`, `{"userId":${BOT}}`, null);
		expect(await readErin()).toMatch(/^Your connection request to user 71811853191697 \(at another firm\) was declined on .*Connection → Create/);
	});

	test('the Connection API refused too: the likeliest causes first, interest then connection', async () => {
		pod = await startPod();
		pod.sim.fault({ path: '/pod/v1/connection/', status: 403 });
		expect(await readErin()).toMatch(/^User 71811853191697 is at another firm\. Most likely no interest in their presence was registered within the last hour: .*Connection → Get/);
	});

	test('a colleague\'s 403 is not about connections: no connection request', async () => {
		pod = await startPod();
		pod.sim.fault({ path: `/pod/v3/user/${ALICE}`, status: 403 });
		const result = await pod.harness.run(chain([getV3({}, { continueOnFail: true })], [{ userId: ALICE }]));
		expect(result.json('Get')[0].error).toMatch(/\(403 Forbidden\)/);
		expect(pod.sim.requestsTo('/pod/v1/connection/')).toEqual([]);
	});
});
