import { chain } from '../../../../harness';
import { call } from '../../../../simulator/call';
import { expectNoSecrets } from '../../../../support/secrets';
import { ALICE, BIG_ID, BOT, ERIN_NOT_CONNECTED, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';

const answer = (operation: string) => ({ resource: 'connection', operation, userId: '={{ $json.userId }}' });

describe.each(['accept', 'reject'])('Connection → %s', (operation) => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('answers the request each item\'s person sent, one request each; a person with no request waiting fails only its item', async () => {
		pod = await startPod();
		await call(pod.sim, 'POST', `/_sim/users/${ERIN_NOT_CONNECTED}/connection/create`, `{"userId":${BOT}}`, null);
		pod.sim.setConnection(BOT, BIG_ID, null);
		pod.sim.clearLog();
		const result = await pod.harness.run(
			chain([{ name: 'Answer', parameters: answer(operation), continueOnFail: true }], [{ userId: ERIN_NOT_CONNECTED }, { userId: BIG_ID }]),
		);
		const [answered, none] = result.items('Answer');
		const status = operation === 'accept' ? 'ACCEPTED' : 'REJECTED';
		expect(answered.json).toMatchObject({ userId: ERIN_NOT_CONNECTED, status, connected: operation === 'accept', requestCounter: 1 });
		expect(answered.pairedItem).toEqual({ item: 0 });
		expect(none.json.error).toBe(`Not found while ${operation}ing the connection request of user ${BIG_ID} (404)`);
		expect(none.json.description).toMatch(new RegExp(`^User ${BIG_ID} has no connection request waiting for your answer\\. Connection → Get Many with Status: Pending Incoming`));
		expect(none.pairedItem).toEqual({ item: 1 });
		expect(pod.sim.requests.map((r) => `${r.path} ${r.body}`)).toEqual([
			`/pod/v1/connection/${operation} {"userId":${ERIN_NOT_CONNECTED}}`,
			`/pod/v1/connection/${operation} {"userId":${BIG_ID}}`,
		]);
		expect(pod.sim.connectionBetween(BOT, ERIN_NOT_CONNECTED)?.state).toBe(status);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('a colleague (same pod): Symphony\'s 400, worded', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Answer', parameters: answer(operation) }], [{ userId: ALICE }]));
		expect(result.error?.description).toMatch(/colleagues on your pod are always connected/);
	});
});
