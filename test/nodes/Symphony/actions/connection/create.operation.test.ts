import { chain } from '../../../../harness';
import { call } from '../../../../simulator/call';
import { expectNoSecrets } from '../../../../support/secrets';
import { ALICE, BIG_ID, BOT, CAROL_EXTERNAL, ERIN_NOT_CONNECTED, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';

const create = (userIds: string) => ({ resource: 'connection', operation: 'create', userIds });
/** Dana, at another firm, not connected, has asked the bot to connect. */
const DANA = '15942919536460';

describe('Connection → Create', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('people of all items, each once: one list request finds who is connected or pending; only the others get a request', async () => {
		pod = await startPod();
		pod.sim.addUser({ id: DANA, external: true, presence: 'AVAILABLE' });
		pod.sim.setConnection(BOT, BIG_ID, null);
		await call(pod.sim, 'POST', `/_sim/users/${DANA}/connection/create`, `{"userId":${BOT}}`, null);
		pod.sim.clearLog();
		const result = await pod.harness.run(
			chain(
				[{ name: 'Create', parameters: create('={{ $json.ids }}') }],
				[{ ids: `${ERIN_NOT_CONNECTED}, ${CAROL_EXTERNAL}` }, { ids: `${DANA} ${ERIN_NOT_CONNECTED}` }, { ids: `${ALICE},${BIG_ID}` }],
			),
		);
		expect(result.items('Create').map((i) => [i.json.userId, i.json.result, i.json.status, i.pairedItem])).toEqual([
			[ERIN_NOT_CONNECTED, 'sent', 'PENDING_OUTGOING', [{ item: 0 }, { item: 1 }]],
			[CAROL_EXTERNAL, 'alreadyConnected', 'ACCEPTED', { item: 0 }],
			[DANA, 'alreadyPending', 'PENDING_INCOMING', { item: 1 }],
			[ALICE, 'alreadyConnected', 'ACCEPTED', { item: 2 }],
			[BIG_ID, 'sent', 'PENDING_OUTGOING', { item: 2 }],
		]);
		expect(pod.sim.requests.map((r) => `${r.method} ${r.path} ${r.query.userIds ?? ''}${r.body}`)).toEqual([
			`GET /pod/v1/connection/list ${ERIN_NOT_CONNECTED},${CAROL_EXTERNAL},${DANA},${ALICE},${BIG_ID}`,
			`POST /pod/v1/connection/create {"userId":${ERIN_NOT_CONNECTED}}`,
			`POST /pod/v1/connection/create {"userId":${BIG_ID}}`,
		]);
		expect(pod.sim.requests[0].query.status).toBe('ALL');
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('a request Symphony refuses is that person\'s error item (result refused); the others are sent', async () => {
		pod = await startPod();
		pod.sim.setConnection(BOT, BIG_ID, null);
		pod.sim.fault({ path: '/pod/v1/connection/create', status: 400, body: '{"code":400,"message":"Cross pod not enabled"}' });
		const result = await pod.harness.run(
			chain([{ name: 'Create', parameters: create(`${ERIN_NOT_CONNECTED} ${BIG_ID}`), continueOnFail: true }]),
		);
		const [refused, sent] = result.json('Create');
		expect(refused).toMatchObject({ userId: ERIN_NOT_CONNECTED, result: 'refused' });
		expect(refused.error).toBe(`Symphony refused the request while sending a connection request to user ${ERIN_NOT_CONNECTED} (400 Bad Request)`);
		expect(refused.description).toBe(
			`Symphony refused the request to user ${ERIN_NOT_CONNECTED}: a request may already be waiting for their answer, or they cannot be connected with. Symphony said: "Cross pod not enabled".`,
		);
		expect(sent).toMatchObject({ userId: BIG_ID, result: 'sent' });
	});

	test('a refused list (403) fails every person alike, and nothing is sent', async () => {
		pod = await startPod();
		pod.sim.fault({ path: '/pod/v1/connection/list', status: 403 });
		const result = await pod.harness.run(chain([{ name: 'Create', parameters: create(ERIN_NOT_CONNECTED) }]));
		expect(result.error?.message).toBe(`Symphony refused access while reading the connection with user ${ERIN_NOT_CONNECTED} (403 Forbidden)`);
		expect(pod.sim.requestsTo('/pod/v1/connection/create')).toEqual([]);
	});

	test('bad IDs are refused before any request', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Create', parameters: create(`${ERIN_NOT_CONNECTED}, 12.5`) }]));
		expect(result.error?.message).toMatch(/^User IDs: "12.5" is not a whole positive number/);
		expect(pod.sim.requests).toEqual([]);
	});
});
