import type { IDataObject } from 'n8n-workflow';

import { chain } from '../../../../harness';
import { simMessagingOf } from '../../../../simulator/routes/messages';
import { simRoomsOf } from '../../../../simulator/routes/rooms';
import { ALICE, BIG_ID, BOB, BOT, ERIN_NOT_CONNECTED, QUICK_RETRY, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';
import { expectNoSecrets } from '../../../../support/secrets';

const createRoom = (parameters: IDataObject) => ({ resource: 'stream', operation: 'createRoom', options: QUICK_RETRY, ...parameters });
const describeCall = (r: { method: string; path: string; body: string }) => `${r.method} ${r.path} ${r.body}`;

describe('Stream → Create Room', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('one room per item with its settings, then each member added in one request; outputs the room; IDs exact', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain(
				[
					{
						name: 'Room',
						parameters: createRoom({
							name: '={{ $json.name }}',
							description: '={{ $json.about }}',
							members: '={{ $json.members }}',
							additionalFields: { crossPod: true, readOnly: '={{ $json.readOnly }}', keywords: { keyword: [{ key: 'region', value: 'EMEA' }] } },
						}),
					},
				],
				[
					{ name: 'Rates', about: 'EMEA rates', members: `${ALICE}, ${BIG_ID}`, readOnly: true },
					{ name: '  FX  ', about: '', members: '', readOnly: false },
				],
			),
		);
		expect(result.error).toBeUndefined();
		const [rates, fx] = [...simRoomsOf(pod.sim).rooms.values()];
		const at = rates.creationDate;
		expect(result.items('Room')).toEqual([
			{
				json: {
					streamId: rates.stream.id,
					name: 'Rates',
					description: 'EMEA rates',
					public: false,
					readOnly: true,
					active: true,
					createdAt: at,
					createdAtIso: new Date(at).toISOString(),
					creatorId: BOT,
					addedUserIds: [ALICE, BIG_ID],
				},
				pairedItem: { item: 0 },
			},
			{ json: expect.objectContaining({ streamId: fx.stream.id, name: 'FX', description: '', readOnly: false, addedUserIds: [] }), pairedItem: { item: 1 } },
		]);
		expect(pod.sim.requests.map(describeCall)).toEqual([
			'POST /pod/v3/room/create {"name":"Rates","description":"EMEA rates","crossPod":true,"readOnly":true,"keywords":[{"key":"region","value":"EMEA"}]}',
			`POST /pod/v1/room/${rates.stream.id}/membership/add {"id":${ALICE}}`,
			`POST /pod/v1/room/${rates.stream.id}/membership/add {"id":${BIG_ID}}`,
			'POST /pod/v3/room/create {"name":"FX","crossPod":true,"readOnly":false,"keywords":[{"key":"region","value":"EMEA"}]}',
		]);
		expect(simMessagingOf(pod.sim).streams.get(rates.stream.id)?.members).toEqual([BOT, ALICE, BIG_ID]);
		for (const request of pod.sim.requests) expect(request.headers.sessiontoken).toBe(SECRET_TOKEN);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('the account among the members is not added again: it owns the room', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Room', parameters: createRoom({ name: 'Desk', members: `${BOT} ${BOB}` }) }]));
		expect(result.json('Room')[0].addedUserIds).toEqual([BOB]);
		expect(pod.sim.requestsTo('/pod/v1/room/')).toHaveLength(1);
	});

	test('a 502 after Symphony made the room is not retried: one room, and the message says it may exist', async () => {
		pod = await startPod();
		pod.sim.fault({ path: '/pod/v3/room/create', status: 502, afterProcessing: true });
		const result = await pod.harness.run(chain([{ name: 'Room', parameters: createRoom({ name: 'Once' }) }]));
		expect(result.error?.message).toContain('(502');
		expect(result.error?.description).toContain('It was not sent again, because Symphony may have carried it out before the failure');
		expect(pod.sim.requests).toHaveLength(1);
		expect([...simRoomsOf(pod.sim).rooms.values()].map((room) => room.name)).toEqual(['Once']);
	});

	test('a 503 answered before processing is retried: one room', async () => {
		pod = await startPod();
		pod.sim.fault({ path: '/pod/v3/room/create', status: 503, retryAfter: '0' });
		const result = await pod.harness.run(chain([{ name: 'Room', parameters: createRoom({ name: 'Once' }) }]));
		expect(result.error).toBeUndefined();
		expect(pod.sim.requests.map((r) => r.status)).toEqual([503, 200]);
		expect(simRoomsOf(pod.sim).rooms.size).toBe(1);
	});

	test('a member Symphony refuses: the room is still the item\'s output, the others are added, and the refused one is an error naming the new room', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Room', parameters: createRoom({ name: 'Desk', members: `${ALICE}, ${ERIN_NOT_CONNECTED}, ${BOB}` }), onError: 'continueErrorOutput' }]),
		);
		const [room] = [...simRoomsOf(pod.sim).rooms.values()];
		expect(result.items('Room', 0)).toEqual([{ json: expect.objectContaining({ streamId: room.stream.id, name: 'Desk', addedUserIds: [ALICE, BOB] }), pairedItem: { item: 0 } }]);
		const [refused] = result.json('Room', 1);
		expect(refused.error).toBe(`Symphony refused the request while adding user ${ERIN_NOT_CONNECTED} to room ${room.stream.id} (400 Bad Request)`);
		expect(refused.message).toMatch(
			new RegExp(`^The room was created \\(stream ID ${room.stream.id}\\) and ${ALICE}, ${BOB} were added\\. Add the others with Stream → Add Member: running Create Room again would create a second room\\.`),
		);
		expect(room.stream.members).toEqual([BOT, ALICE, BOB]);
		expect(pod.sim.requests).toHaveLength(4);
	});

	test('Stop Workflow: a member refused fails the node, naming the room already made', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Room', parameters: createRoom({ name: 'Desk', members: ERIN_NOT_CONNECTED }) }]));
		const [room] = [...simRoomsOf(pod.sim).rooms.values()];
		expect(result.error?.message).toBe(`Symphony refused the request while adding user ${ERIN_NOT_CONNECTED} to room ${room.stream.id} (400 Bad Request)`);
		expect(result.error?.description).toMatch(new RegExp(`^The room was created \\(stream ID ${room.stream.id}\\) and no member was added yet\\.`));
	});

	test('Stop Workflow: an invalid item sends nothing at all, and no room is made after a failed one (a fixed re-run makes none twice)', async () => {
		pod = await startPod();
		const invalid = await pod.harness.run(
			chain([{ name: 'Room', parameters: createRoom({ name: '={{ $json.name }}' }) }], [{ name: 'First' }, { name: '' }, { name: 'Third' }]),
		);
		expect(invalid.error?.message).toBe('Name: "" is empty. Enter the room\'s name, e.g. EMEA Rates Desk');
		expect(pod.sim.requests).toEqual([]);
		const refused = await pod.harness.run(
			chain([{ name: 'Room', parameters: createRoom({ name: '={{ $json.name }}', members: '={{ $json.members }}' }) }], [{ name: 'First', members: ERIN_NOT_CONNECTED }, { name: 'Second', members: '' }]),
		);
		expect(refused.error?.message).toMatch(/^Symphony refused the request while adding user/);
		expect([...simRoomsOf(pod.sim).rooms.values()].map((room) => room.name)).toEqual(['First']);
	});

	test('a refusal of the room itself (403) is not asked again for the other members', async () => {
		pod = await startPod();
		pod.sim.fault({ path: '/pod/v1/room/', status: 403 });
		const result = await pod.harness.run(chain([{ name: 'Room', parameters: createRoom({ name: 'Desk', members: `${ALICE} ${BOB}` }), continueOnFail: true }]));
		expect(result.json('Room').map((json) => [json.addedUserIds ?? json.userId, json.error === undefined])).toEqual([
			[[], true],
			[ALICE, false],
			[BOB, false],
		]);
		expect(pod.sim.requestsTo('/pod/v1/room/')).toHaveLength(1);
	});

	test('every item is checked before anything is sent: a bad name or member fails only its item', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain(
				[{ name: 'Room', parameters: createRoom({ name: '={{ $json.name }}', members: '={{ $json.members }}' }), continueOnFail: true }],
				[{ name: 'Good', members: ALICE }, { name: '   ', members: '' }, { name: 'Also good', members: `${BOB} bob` }],
			),
		);
		const items = result.json('Room');
		expect(items[0].name).toBe('Good');
		expect(items[1].error).toBe('Name: "   " is empty. Enter the room\'s name, e.g. EMEA Rates Desk');
		expect(items[2].error).toMatch(/^Members: "bob" is not a Symphony user ID/);
		expect(pod.sim.requests.map(describeCall)).toEqual([
			'POST /pod/v3/room/create {"name":"Good"}',
			`POST /pod/v1/room/${[...simRoomsOf(pod.sim).rooms.keys()][0]}/membership/add {"id":${ALICE}}`,
		]);
	});
});
