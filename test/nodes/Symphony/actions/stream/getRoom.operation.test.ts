import { chain } from '../../../../harness';
import { simRoomsOf } from '../../../../simulator/routes/rooms';
import { ALICE, BIG_ID, BOT, QUICK_RETRY, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';
import { expectNoSecrets } from '../../../../support/secrets';

const ROOM_ID = 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA';
const ROOM_AS_SHOWN = 'lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==';
const getRoom = (mode: string, value: string) => ({ resource: 'stream', operation: 'getRoom', room: { __rl: true, mode, value }, options: QUICK_RETRY });

describe('Stream → Get Room', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('By ID in either form, or picked From List: the room, read with its URL-safe stream ID', async () => {
		pod = await startPod();
		const room = simRoomsOf(pod.sim).create(BOT, { id: ROOM_ID, name: 'Rates', description: 'EMEA', readOnly: true, public: true });
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getRoom('id', '={{ $json.id }}') }], [{ id: ROOM_AS_SHOWN }, { id: ` ${ROOM_ID} ` }]),
		);
		const expected = {
			streamId: ROOM_ID,
			name: 'Rates',
			description: 'EMEA',
			public: true,
			readOnly: true,
			active: true,
			createdAt: room.creationDate,
			createdAtIso: new Date(room.creationDate).toISOString(),
			creatorId: BOT,
		};
		expect(result.items('Get')).toEqual([
			{ json: expected, pairedItem: { item: 0 } },
			{ json: expected, pairedItem: { item: 1 } },
		]);
		const picked = await pod.harness.run(chain([{ name: 'Get', parameters: { ...getRoom('list', ROOM_ID), room: { __rl: true, mode: 'list', value: ROOM_ID, cachedResultName: 'Rates' } } }]));
		expect(picked.json('Get')).toEqual([expected]);
		expect(pod.sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual(Array(3).fill(`GET /pod/v3/room/${ROOM_ID}/info`));
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('a creator ID beyond 2^53 keeps every digit', async () => {
		pod = await startPod();
		const room = simRoomsOf(pod.sim).create(BIG_ID, { name: 'Far', discoverable: true });
		const result = await pod.harness.run(chain([{ name: 'Get', parameters: getRoom('id', room.stream.id) }]));
		expect(result.json('Get')[0].creatorId).toBe(BIG_ID);
	});

	test('a room Symphony does not know (400) and a private room of others (403): each its item\'s error, worded for rooms', async () => {
		pod = await startPod();
		const theirs = simRoomsOf(pod.sim).create(ALICE, { name: 'Theirs' });
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getRoom('id', '={{ $json.id }}'), continueOnFail: true }], [{ id: 'abcdefgh12345678' }, { id: theirs.stream.id }]),
		);
		const [unknown, hidden] = result.json('Get');
		expect(unknown.error).toBe('Symphony refused the request while reading room abcdefgh12345678 (400 Bad Request)');
		expect(unknown.description).toMatch(/^Symphony did not take abcdefgh12345678 as a room's stream ID\. Check the room's stream ID .*Symphony said: "Stream abcdefgh12345678 not found"/);
		expect(hidden.error).toMatch(/\(403 Forbidden\)$/);
		expect(hidden.description).toMatch(/^The account behind the credential may not read this room: it is private and the account is not a member\./);
	});
});
