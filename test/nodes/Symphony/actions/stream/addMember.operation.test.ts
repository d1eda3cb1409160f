import type { IDataObject } from 'n8n-workflow';

import { chain } from '../../../../harness';
import { simRoomsOf } from '../../../../simulator/routes/rooms';
import { ALICE, BIG_ID, BOB, BOT, ERIN_NOT_CONNECTED, QUICK_RETRY, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';
import { expectNoSecrets } from '../../../../support/secrets';

const ROOM_ID = 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA';
const addMember = (room: IDataObject, userIds: string) => ({ resource: 'stream', operation: 'addMember', room, userIds, options: QUICK_RETRY });

describe('Stream → Add Member', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('each item\'s people, one request each in input order, IDs exact; one item per person', async () => {
		pod = await startPod();
		const room = simRoomsOf(pod.sim).create(BOT, { id: ROOM_ID, name: 'Desk', crossPod: true });
		const result = await pod.harness.run(
			chain(
				[{ name: 'Add', parameters: addMember({ __rl: true, mode: 'id', value: '={{ $json.room }}' }, '={{ $json.people }}') }],
				[{ room: 'lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==', people: `${ALICE}, ${BIG_ID}` }, { room: ROOM_ID, people: BOB }],
			),
		);
		expect(result.items('Add')).toEqual([
			{ json: { streamId: ROOM_ID, userId: ALICE, added: true }, pairedItem: { item: 0 } },
			{ json: { streamId: ROOM_ID, userId: BIG_ID, added: true }, pairedItem: { item: 0 } },
			{ json: { streamId: ROOM_ID, userId: BOB, added: true }, pairedItem: { item: 1 } },
		]);
		expect(pod.sim.requests.map((r) => `${r.method} ${r.path} ${r.body}`)).toEqual([
			`POST /pod/v1/room/${ROOM_ID}/membership/add {"id":${ALICE}}`,
			`POST /pod/v1/room/${ROOM_ID}/membership/add {"id":${BIG_ID}}`,
			`POST /pod/v1/room/${ROOM_ID}/membership/add {"id":${BOB}}`,
		]);
		expect(room.stream.members).toEqual([BOT, ALICE, BIG_ID, BOB]);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('a person Symphony refuses (400) is that person\'s error and the others are added; a room the account may not change (403) is asked once', async () => {
		pod = await startPod();
		const room = simRoomsOf(pod.sim).create(BOT, { id: ROOM_ID, name: 'Desk' });
		const theirs = simRoomsOf(pod.sim).create(ALICE, { name: 'Theirs' });
		const result = await pod.harness.run(
			chain(
				[{ name: 'Add', parameters: addMember({ __rl: true, mode: 'id', value: '={{ $json.room }}' }, '={{ $json.people }}'), continueOnFail: true }],
				[{ room: ROOM_ID, people: `${ALICE} ${ERIN_NOT_CONNECTED} ${BOB}` }, { room: theirs.stream.id, people: `${BOB} ${ALICE}` }],
			),
		);
		const items = result.items('Add');
		expect(items.map((i) => [i.json.userId, i.json.added ?? i.json.error, i.pairedItem])).toEqual([
			[ALICE, true, { item: 0 }],
			[ERIN_NOT_CONNECTED, `Symphony refused the request while adding user ${ERIN_NOT_CONNECTED} to room ${ROOM_ID} (400 Bad Request)`, { item: 0 }],
			[BOB, true, { item: 0 }],
			[BOB, `Symphony refused access while adding user ${BOB} to room ${theirs.stream.id} (403 Forbidden)`, { item: 1 }],
			[ALICE, `Symphony refused access while adding user ${BOB} to room ${theirs.stream.id} (403 Forbidden)`, { item: 1 }],
		]);
		expect(items[1].json.description).toContain('check the user ID (a person on your pod, or at another firm in a cross-pod room)');
		expect(items[4].json.description).toMatch(/^The account behind the credential may not change this room's members/);
		expect(room.stream.members).toEqual([BOT, ALICE, BOB]);
		expect(pod.sim.requestsTo(`/pod/v1/room/${theirs.stream.id}/`)).toHaveLength(1);
	});

	test('Stop Workflow: the first refused person stops the node with its message', async () => {
		pod = await startPod();
		simRoomsOf(pod.sim).create(BOT, { id: ROOM_ID, name: 'Desk' });
		const result = await pod.harness.run(chain([{ name: 'Add', parameters: addMember({ __rl: true, mode: 'id', value: ROOM_ID }, `${ALICE}, ${ERIN_NOT_CONNECTED}`) }]));
		expect(result.error?.message).toBe(`Symphony refused the request while adding user ${ERIN_NOT_CONNECTED} to room ${ROOM_ID} (400 Bad Request)`);
	});
});
