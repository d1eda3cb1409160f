import { chain } from '../../../../harness';
import { simMessagingOf } from '../../../../simulator/routes/messages';
import { ALICE, BIG_ID, BOB, BOT, QUICK_RETRY, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';
import { expectNoSecrets } from '../../../../support/secrets';

const createIm = (userIds: string) => ({ resource: 'stream', operation: 'createIm', userIds, options: QUICK_RETRY });

describe('Stream → Create IM', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('one request per item; the same people get the same IM, now and in a later run; IDs exact', async () => {
		pod = await startPod();
		pod.sim.addUser({ id: BIG_ID, presence: 'AVAILABLE' });
		const result = await pod.harness.run(
			chain([{ name: 'IM', parameters: createIm('={{ $json.to }}') }], [{ to: ALICE }, { to: `${BOB}, ${BIG_ID}` }, { to: ALICE }]),
		);
		const messaging = simMessagingOf(pod.sim);
		const im = messaging.imFor([BOT, ALICE]).id;
		const group = messaging.imFor([BOT, BOB, BIG_ID]).id;
		expect(result.items('IM')).toEqual([
			{ json: { streamId: im, userIds: [ALICE] }, pairedItem: { item: 0 } },
			{ json: { streamId: group, userIds: [BOB, BIG_ID] }, pairedItem: { item: 1 } },
			{ json: { streamId: im, userIds: [ALICE] }, pairedItem: { item: 2 } },
		]);
		expect(pod.sim.requests.map((r) => `${r.method} ${r.path} ${r.body} ${String(r.headers.sessiontoken)}`).sort()).toEqual(
			[`POST /pod/v1/im/create [${ALICE}] ${SECRET_TOKEN}`, `POST /pod/v1/im/create [${ALICE}] ${SECRET_TOKEN}`, `POST /pod/v1/im/create [${BOB},${BIG_ID}] ${SECRET_TOKEN}`].sort(),
		);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('a person Symphony does not know: its 400 is that item\'s error; a 502 is retried (safe to repeat)', async () => {
		pod = await startPod();
		pod.sim.fault({ path: '/pod/v1/im/create', status: 502 });
		const result = await pod.harness.run(chain([{ name: 'IM', parameters: createIm('={{ $json.to }}'), continueOnFail: true }], [{ to: ALICE }, { to: '123' }]));
		const [ok, refused] = result.json('IM');
		expect(ok.streamId).toEqual(expect.any(String));
		expect(refused.error).toBe('Symphony refused the request while opening the IM with user 123 (400 Bad Request)');
		expect(refused.description).toContain('Symphony said: "User 123 not found"');
		expect(pod.sim.requests.map((r) => r.status).sort()).toEqual([200, 400, 502]);
	});
});
