import { chain } from '../../../../harness';
import { call } from '../../../../simulator/call';
import { ALICE, BIG_ID, BOT, CAROL_EXTERNAL, ERIN_NOT_CONNECTED, startPod, type PodFixture } from '../../../../support/pod';

const getMany = (status: string, options = {}) => ({ resource: 'connection', operation: 'getMany', status, options });

describe('Connection → Get Many', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test.each([
		['ACCEPTED', [CAROL_EXTERNAL, BIG_ID]],
		['PENDING_INCOMING', [ERIN_NOT_CONNECTED]],
		['PENDING_OUTGOING', []],
		['ALL', [CAROL_EXTERNAL, ERIN_NOT_CONNECTED, BIG_ID]],
	])('Status %s: one request with that status; each connection an item paired to the input', async (status, ids) => {
		pod = await startPod();
		await call(pod.sim, 'POST', `/_sim/users/${ERIN_NOT_CONNECTED}/connection/create`, `{"userId":${BOT}}`, null);
		pod.sim.clearLog();
		const result = await pod.harness.run(chain([{ name: 'List', parameters: getMany(status) }]));
		expect(result.items('List').map((i) => [i.json.userId, i.pairedItem])).toEqual(ids.map((id) => [id, { item: 0 }]));
		expect(pod.sim.requests.map((r) => r.query)).toEqual([{ status }]);
	});

	test('Only These Users: Symphony\'s userIds filter, one request per 100 people; colleagues come back as ACCEPTED', async () => {
		pod = await startPod();
		const many = Array.from({ length: 150 }, (_, i) => String(7215545090000 + i));
		const result = await pod.harness.run(
			chain([{ name: 'List', parameters: getMany('ALL', { userIds: [CAROL_EXTERNAL, ALICE, ...many].join(',') }) }]),
		);
		expect(result.json('List').map((c) => [c.userId, c.status])).toEqual([
			[CAROL_EXTERNAL, 'ACCEPTED'],
			[ALICE, 'ACCEPTED'],
		]);
		const sent = pod.sim.requests.map((r) => r.query.userIds.split(','));
		expect(sent.map((ids) => ids.length)).toEqual([100, 52]);
		expect(sent.flat()).toEqual([CAROL_EXTERNAL, ALICE, ...many]);
	});

	test.each([
		[getMany('CONNECTED'), /^Status: "CONNECTED" is not one of the choices/],
		[getMany('ALL', { userIds: 'carol' }), /^Only These Users: "carol" is not a Symphony user ID/],
	])('bad input %p is refused before any request', async (parameters, message) => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'List', parameters }]));
		expect(result.error?.message).toMatch(message);
		expect(pod.sim.requests).toEqual([]);
	});
});
