import { chain } from '../../../../harness';
import { simRoomsOf } from '../../../../simulator/routes/rooms';
import { ALICE, BOB, BOT, QUICK_RETRY, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';
import { expectNoSecrets } from '../../../../support/secrets';

const ROOM_ID = 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA';

describe('Stream → Remove Member', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('each item\'s people leave the room, one request each; one item per person', async () => {
		pod = await startPod();
		const room = simRoomsOf(pod.sim).create(BOT, { id: ROOM_ID, name: 'Desk' });
		room.stream.members.push(ALICE, BOB);
		const result = await pod.harness.run(
			chain([{ name: 'Remove', parameters: { resource: 'stream', operation: 'removeMember', room: { __rl: true, mode: 'list', value: ROOM_ID }, userIds: `${BOB}\n${ALICE}`, options: QUICK_RETRY } }]),
		);
		expect(result.items('Remove')).toEqual([
			{ json: { streamId: ROOM_ID, userId: BOB, removed: true }, pairedItem: { item: 0 } },
			{ json: { streamId: ROOM_ID, userId: ALICE, removed: true }, pairedItem: { item: 0 } },
		]);
		expect(pod.sim.requests.map((r) => `${r.method} ${r.path} ${r.body}`)).toEqual([
			`POST /pod/v1/room/${ROOM_ID}/membership/remove {"id":${BOB}}`,
			`POST /pod/v1/room/${ROOM_ID}/membership/remove {"id":${ALICE}}`,
		]);
		expect(room.stream.members).toEqual([BOT]);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});
});
