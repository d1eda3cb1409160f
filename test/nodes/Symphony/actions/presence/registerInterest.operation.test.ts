import { chain } from '../../../../harness';
import { expectNoSecrets } from '../../../../support/secrets';
import {
	ALICE,
	BIG_ID,
	BOB,
	CAROL_EXTERNAL,
	SECRET_TOKEN,
	getPresence,
	register,
	startPod,
	type PodFixture,
} from '../../../../support/pod';

const REGISTER = '/pod/v1/user/presence/register';

describe('Presence → Register Interest', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('3 items with 5 IDs (a duplicate, an external, an unknown) chain into Get with no glue', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain(
				[
					{ name: 'Register', parameters: register('={{ $json.ids }}'), continueOnFail: true },
					{ name: 'Get', parameters: getPresence(), continueOnFail: true },
				],
				[{ ids: `${ALICE}, ${CAROL_EXTERNAL}` }, { ids: [BOB, ALICE] }, { ids: '123456789' }],
			),
		);
		expect(result.error).toBeUndefined();

		// All IDs of all items go out together, de-duplicated, digits exact; the unknown one is set aside.
		const bodies = pod.sim.requestsTo(REGISTER).map((r) => [r.body, r.status]);
		expect(bodies).toEqual([
			[`[${ALICE},${CAROL_EXTERNAL},${BOB},123456789]`, 404],
			[`[${ALICE},${CAROL_EXTERNAL},${BOB}]`, 200],
		]);

		const registered = result.items('Register');
		expect(registered.map((i) => i.json.userId)).toEqual([ALICE, CAROL_EXTERNAL, BOB, '123456789']);
		expect(registered.slice(0, 3).every((i) => i.json.registered === true && typeof i.json.registeredAt === 'string')).toBe(true);
		// ALICE came from items 0 and 1: one output, paired to both, so Get reads her once.
		expect(registered[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(registered[1].pairedItem).toEqual({ item: 0 });
		expect(registered[2].pairedItem).toEqual({ item: 1 });
		expect(registered[3].pairedItem).toEqual({ item: 2 });
		expect(registered[3].json.error).toMatch(/Not found while registering interest in user 123456789 \(404\)/);

		const presence = result.json('Get');
		expect(presence.slice(0, 3).map((p) => [p.userId, p.category])).toEqual([
			[ALICE, 'AVAILABLE'],
			[CAROL_EXTERNAL, 'BUSY'],
			[BOB, 'ON_THE_PHONE'],
		]);
		expect(presence[0].timestampIso).toBe(new Date(presence[0].timestamp as number).toISOString());
		expect(presence[3].error).toMatch(/user 123456789/);
		expect(pod.sim.requestsTo('/pod/v3/user/')).toHaveLength(4);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('without Continue On Fail an unknown ID stops the node with a message naming it, the rest are registered', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Register', parameters: register(`${ALICE}, 555, ${BOB}`) }]));
		expect(result.error?.message).toMatch(/user 555/);
		expect(pod.sim.registeredAt(pod.sim.callerId, ALICE)).toBeDefined();
		expect(pod.sim.registeredAt(pod.sim.callerId, BOB)).toBeDefined();
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('when the pod does not name the unknown IDs, halving isolates them', async () => {
		pod = await startPod();
		// A 404 without IDs in its message, as a pod might answer.
		pod.sim.fault({ path: REGISTER, status: 404, body: '{"code":404,"message":"Not found"}' });
		const ids = Array.from({ length: 8 }, (_, i) => String(9_000_000 + i));
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: register([ALICE, ...ids.slice(1)].join(',')), continueOnFail: true }]),
		);
		const out = result.json('Register');
		expect(out.filter((o) => o.registered).map((o) => o.userId)).toEqual([ALICE]);
		expect(out.filter((o) => o.error)).toHaveLength(7);
		expect(pod.sim.requestsTo(REGISTER).length).toBeGreaterThan(2);
	});

	test('an ID above 2^53 given as text arrives with every digit; as a number it is refused', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain(
				[{ name: 'Register', parameters: register('={{ $json.id }}'), continueOnFail: true }],
				[{ id: BIG_ID }, { id: 9007199254740993 }],
			),
		);
		expect(pod.sim.requestsTo(REGISTER).map((r) => r.body)).toEqual([`[${BIG_ID}]`]);
		const out = result.items('Register');
		expect(out[0].json).toMatchObject({ userId: BIG_ID, registered: true });
		expect(out[1].json.error).toMatch(/too large for JavaScript.*Pass the ID as text/);
		expect(out[1].pairedItem).toEqual({ item: 1 });
	});

	test('batch size splits the combined IDs into as few requests as it allows', async () => {
		pod = await startPod({ users: Array.from({ length: 25 }, (_, i) => ({ id: String(1000 + i) })) });
		const items = Array.from({ length: 25 }, (_, i) => ({ id: 1000 + i }));
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: register('={{ $json.id }}', { batchSize: 10 }) }], items),
		);
		expect(result.error).toBeUndefined();
		expect(pod.sim.requestsTo(REGISTER).map((r) => (r.body.match(/\d+/g) ?? []).length)).toEqual([10, 10, 5]);
		expect(result.items('Register').map((i) => i.pairedItem)).toEqual(items.map((_, item) => ({ item })));
	});

	test('one item per input item when asked', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain(
				[{ name: 'Register', parameters: register('={{ $json.ids }}', { output: 'perItem' }) }],
				[{ ids: `${ALICE},${BOB}` }, { ids: ALICE }],
			),
		);
		expect(result.json('Register').map((o) => o.userIds)).toEqual([[ALICE, BOB], [ALICE]]);
		expect(pod.sim.requestsTo(REGISTER)).toHaveLength(1);
	});

	test.each([
		['abc', /"abc" is not a Symphony user ID/],
		['', /holds no user ID/],
		['12.5', /not a whole positive number/],
	])('a bad User IDs value %p is an error item for its own item; the others go through', async (bad, message) => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: register('={{ $json.ids }}'), continueOnFail: true }], [{ ids: ALICE }, { ids: bad }, { ids: BOB }]),
		);
		const out = result.items('Register');
		expect(out.map((o) => o.json.userId ?? o.json.error)).toEqual([ALICE, expect.stringMatching(message), BOB]);
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(out[1].json.error).toMatch(/^User IDs: /);
		expect(pod.sim.requestsTo(REGISTER).map((r) => r.body)).toEqual([`[${ALICE},${BOB}]`]);
	});

	test.each([
		[0, /Batch Size: 0 is not a whole number from 1 to 10000/],
		[10_001, /Batch Size: 10001 is not a whole number from 1 to 10000/],
	])('batch size %p is refused with the range', async (batchSize, message) => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Register', parameters: register(ALICE, { batchSize }) }]));
		expect(result.error?.message).toMatch(message);
		expect(pod.sim.requests).toHaveLength(0);
	});
});
