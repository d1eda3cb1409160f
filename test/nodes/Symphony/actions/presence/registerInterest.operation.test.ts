import { chain } from '../../../../harness';
import { expectNoSecrets } from '../../../../support/secrets';
import {
	ALICE,
	BIG_ID,
	BOB,
	CAROL_EXTERNAL,
	ERIN_NOT_CONNECTED,
	QUICK_RETRY,
	SECRET_TOKEN,
	getPresence,
	register,
	startPod,
	testUsers,
	type PodFixture,
} from '../../../../support/pod';
import type { SimulatorOptions } from '../../../../simulator';
import { batchesInFlight } from '../../../../../nodes/Symphony/actions/presence/registerInterest.operation';

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
		expect(out.filter((o) => o.error).map((o) => o.userId)).toEqual(ids.slice(1));
		// Unnamed: halves. Three of four named: those set aside, the rest once more. All four named: halving again.
		const list = (...values: string[]) => `[${values.join(',')}]`;
		expect(pod.sim.requestsTo(REGISTER).map((r) => [r.body, r.status])).toEqual([
			[list(ALICE, ...ids.slice(1)), 404],
			[list(ALICE, ...ids.slice(1, 4)), 404],
			[list(ALICE), 200],
			[list(...ids.slice(4)), 404],
			[list(...ids.slice(4, 6)), 404],
			[list(ids[4]), 404],
			[list(ids[5]), 404],
			[list(...ids.slice(6)), 404],
			[list(ids[6]), 404],
			[list(ids[7]), 404],
		]);
	});

	test('an ID above 2^53 given as text arrives with every digit; as a number it is refused', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain(
				[{ name: 'Register', parameters: register('={{ $json.id }}'), continueOnFail: true }],
				// eslint-disable-next-line no-loss-of-precision -- on purpose: an ID that arrives as a number past 2^53 has already lost digits
				[{ id: BIG_ID }, { id: 9007199254740993 }],
			),
		);
		expect(pod.sim.requestsTo(REGISTER).map((r) => r.body)).toEqual([`[${BIG_ID}]`]);
		const out = result.items('Register');
		expect(out[0].json).toMatchObject({ userId: BIG_ID, registered: true });
		expect(out[1].json.error).toMatch(/too large for JavaScript.*Make the ID text where the item is produced/);
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

describe('Presence → Register Interest, users named by email or username', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());
	const USERS = '/pod/v3/users';

	test('emails → IDs → register → get in one workflow: one lookup for all items, outputs keep the email beside the userId', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain(
				[
					{ name: 'Register', parameters: { ...register(''), identifyBy: 'email', emails: '={{ $json.emails }}' }, continueOnFail: true },
					{ name: 'Get', parameters: getPresence({ identifyBy: 'email' }), continueOnFail: true },
				],
				[
					{ emails: 'Alice@Acme.example, carol@globex.example' },
					{ emails: ['big@far.example', 'alice@acme.example'] },
					{ emails: 'nobody@acme.example; erin@umbrella.example' },
				],
			),
		);
		expect(result.error).toBeUndefined();

		// One lookup per node for the 5 distinct addresses of all items (Get also sees the two error
		// items, which keep their email), and one register request with the IDs found.
		const everyAddress = 'alice@acme.example,carol@globex.example,big@far.example,nobody@acme.example,erin@umbrella.example';
		expect(pod.sim.requestsTo(USERS).map((r) => r.query)).toEqual([
			{ email: everyAddress, local: 'false' },
			{ email: everyAddress, local: 'false' },
		]);
		expect(pod.sim.requestsTo(REGISTER).map((r) => r.body)).toEqual([`[${ALICE},${CAROL_EXTERNAL},${BIG_ID}]`]);

		const registered = result.items('Register');
		expect(registered.map((i) => [i.json.userId ?? null, i.json.email, i.pairedItem])).toEqual([
			[ALICE, 'alice@acme.example', [{ item: 0 }, { item: 1 }]],
			[CAROL_EXTERNAL, 'carol@globex.example', { item: 0 }],
			[BIG_ID, 'big@far.example', { item: 1 }],
			[null, 'nobody@acme.example', { item: 2 }],
			[null, 'erin@umbrella.example', { item: 2 }],
		]);
		// Erin is at another firm and not connected: the directory does not show her, and the message says why that may be.
		expect(registered[3].json.error).toBe(
			'Email: "nobody@acme.example" matches no Symphony user. Check the spelling, or that you are connected to them in Symphony: people at other firms are found only once connected',
		);
		expect(registered[4].json.error).toMatch(/^Email: "erin@umbrella.example" matches no Symphony user/);

		const presence = result.json('Get');
		expect(presence.slice(0, 3).map((p) => [p.userId, p.email, p.category])).toEqual([
			[ALICE, 'alice@acme.example', 'AVAILABLE'],
			[CAROL_EXTERNAL, 'carol@globex.example', 'BUSY'],
			[BIG_ID, 'big@far.example', 'AWAY'],
		]);
		expect(presence.slice(3).map((p) => p.error)).toEqual([
			expect.stringMatching(/^Email: "nobody@acme.example" matches no Symphony user/),
			expect.stringMatching(/^Email: "erin@umbrella.example" matches no Symphony user/),
		]);
		expect(pod.sim.requestsTo('/pod/v3/user/')).toHaveLength(3);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('User → Get by email, then Register Interest and Get by ID, with no glue but the userId', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([
				{ name: 'Users', parameters: { resource: 'user', operation: 'get', identifyBy: 'email', emails: 'alice@acme.example, carol@globex.example' } },
				{ name: 'Register', parameters: register('={{ $json.userId }}') },
				{ name: 'Get', parameters: getPresence() },
			]),
		);
		expect(result.json('Get').map((p) => [p.userId, p.category])).toEqual([
			[ALICE, 'AVAILABLE'],
			[CAROL_EXTERNAL, 'BUSY'],
		]);
		expect(pod.sim.requestsTo(REGISTER).map((r) => r.body)).toEqual([`[${ALICE},${CAROL_EXTERNAL}]`]);
	});

	test('by username, one item per input item', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: { ...register('', { output: 'perItem' }), identifyBy: 'username', usernames: '={{ $json.names }}' } }], [
				{ names: 'alice, carol' },
				{ names: 'bob' },
			]),
		);
		expect(result.json('Register').map((o) => [o.userIds, o.usernames])).toEqual([
			[[ALICE, CAROL_EXTERNAL], ['alice', 'carol']],
			[[BOB], ['bob']],
		]);
		expect(pod.sim.requestsTo(USERS)).toHaveLength(1);
	});

	test('230 emails over 2 items: 3 lookups of at most 100, then one register request', async () => {
		pod = await startPod();
		for (let i = 0; i < 230; i++) pod.sim.addUser({ id: String(7215545300000 + i), email: `person${i}@acme.example` });
		const emails = Array.from({ length: 230 }, (_, i) => `person${i}@acme.example`);
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: { ...register(''), identifyBy: 'email', emails: '={{ $json.emails }}' } }], [
				{ emails: emails.slice(0, 150) },
				{ emails: emails.slice(100) },
			]),
		);
		expect(pod.sim.requestsTo(USERS).map((r) => r.query.email.split(',').length)).toEqual([100, 100, 30]);
		expect(pod.sim.requestsTo(REGISTER)).toHaveLength(1);
		expect(result.json('Register')).toHaveLength(230);
	});

	test('a malformed email fails its own item before any lookup; the others are registered', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: { ...register(''), identifyBy: 'email', emails: '={{ $json.emails }}' }, continueOnFail: true }], [
				{ emails: 'alice@acme.example' },
				{ emails: 'bob(at)acme.example' },
			]),
		);
		const out = result.items('Register');
		expect(out.map((o) => [o.json.userId ?? null, o.pairedItem])).toEqual([
			[ALICE, { item: 0 }],
			[null, { item: 1 }],
		]);
		expect(out[1].json.error).toBe(
			'Emails: "bob(at)acme.example" is not an email address. Enter complete addresses (e.g. jane.doe@acme.com), separated by commas, spaces or new lines',
		);
		expect(pod.sim.requestsTo(USERS)[0].query.email).toBe('alice@acme.example');
	});

	test('when the lookup itself fails (401), every item says so and nothing is registered', async () => {
		pod = await startPod();
		pod.sim.sessions.clear();
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: { ...register('', QUICK_RETRY), identifyBy: 'email', emails: 'alice@acme.example' }, continueOnFail: true }]),
		);
		expect(result.json('Register')[0].error).toMatch(/session token is invalid or has expired \(401\) while looking up the user with email alice@acme.example/);
		expect(pod.sim.requestsTo(REGISTER)).toHaveLength(0);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});
});

describe('Presence → Register Interest, version 2', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('keeps Identify Users By and its lists', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Register', typeVersion: 2, parameters: { resource: 'presence', operation: 'registerInterest', identifyBy: 'email', emails: 'carol@globex.example, big@far.example' } }]),
		);
		expect(result.json('Register').map((item) => [item.userId, item.email, item.registered])).toEqual([
			[CAROL_EXTERNAL, 'carol@globex.example', true],
			[BIG_ID, 'big@far.example', true],
		]);
	});
});

describe('Presence → Register Interest: refused (403) for people at other firms', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('each person at another firm who is not connected is told so, from one connection request; the others keep the privilege message', async () => {
		pod = await startPod();
		pod.sim.fault({ path: '/pod/v1/user/presence/register', status: 403 });
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: register(`${CAROL_EXTERNAL} ${ERIN_NOT_CONNECTED} ${ALICE}`), continueOnFail: true }]),
		);
		const [carol, erin, alice] = result.json('Register');
		expect([carol.userId, erin.userId, alice.userId]).toEqual([CAROL_EXTERNAL, ERIN_NOT_CONNECTED, ALICE]);
		expect(erin.description).toMatch(/^You are not connected with user 71811853191697, who is at another firm: .*Connection → Create/);
		for (const item of [carol, alice]) expect(item.description).toMatch(/ADMIN_PRESENCE_UPDATE/);
		expect(pod.sim.requests.map((r) => `${r.method} ${r.path} ${r.query.userIds ?? ''}`.trim())).toEqual([
			'POST /pod/v1/user/presence/register',
			'GET /pod/v2/sessioninfo',
			`GET /pod/v1/connection/list ${CAROL_EXTERNAL},${ERIN_NOT_CONNECTED}`,
		]);
	});
});

describe('Presence → Register Interest: how many batches go side by side', () => {
	test.each<[string, number, number, number]>([
		['the default: ten batches of 1,000 at once', 1000, 300, 10],
		['one batch of 10,000 goes alone', 10_000, 300, 1],
		['batches of 5,000: two at once', 5000, 300, 2],
		['small batches: as many as fill the pace at 250 ms', 100, 300, 75],
		['a low pace lowers it', 1000, 20, 5],
		['the pace never opens more than 100', 1, 10_000, 100],
		['never below one', 10_000, 1, 1],
	])('%s', (_label, batchSize, requestsPerSecond, expected) => {
		expect(batchesInFlight(batchSize, requestsPerSecond)).toBe(expected);
	});
});

describe('Presence → Register Interest: batches side by side', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	const colleagues = (count: number): string[] => Array.from({ length: count }, (_, i) => String(7215545060000 + i));
	const startWith = async (ids: string[], options: SimulatorOptions = {}) =>
		(pod = await startPod({ users: [...testUsers(), ...ids.map((id) => ({ id }))], ...options }));

	test('the batches overlap at the pod; every ID is sent once and the output keeps the input order', async () => {
		const ids = colleagues(40);
		await startWith(ids, { latencyMs: { register: 200 } });
		const items = ids.map((id) => ({ id }));
		const result = await pod.harness.run(chain([{ name: 'Register', parameters: register('={{ $json.id }}', { batchSize: 5 }) }], items));
		expect(result.error).toBeUndefined();
		// Exactly the eight batches, each once (arrival order among batches sent together is the network's).
		const bodies = pod.sim.requestsTo(REGISTER).map((r) => r.body);
		expect([...bodies].sort()).toEqual(Array.from({ length: 8 }, (_, b) => `[${ids.slice(5 * b, 5 * b + 5).join(',')}]`).sort());
		// Side by side: a batch arrived before an earlier one was answered (one after the other, the peak is 1).
		expect(pod.sim.peakInFlight).toBeGreaterThan(1);
		expect(pod.sim.peakInFlight).toBeLessThanOrEqual(8);
		const out = result.items('Register');
		expect(out.map((i) => [i.json.userId, i.json.registered])).toEqual(ids.map((id) => [id, true]));
		expect(out.map((i) => i.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		for (const id of ids) expect(pod.sim.registeredAt(pod.sim.callerId, id)).toBeDefined();
	});

	test('an unknown ID in one batch is isolated in that batch while the other batches are registered', async () => {
		const ids = colleagues(20);
		await startWith(ids, { latencyMs: { register: 100 } });
		const unknown = '123456789';
		const sent = [...ids.slice(0, 7), unknown, ...ids.slice(7)];
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: register(sent.join(','), { batchSize: 5 }), continueOnFail: true }]),
		);
		const list = (values: string[]) => `[${values.join(',')}]`;
		const batches = Array.from({ length: 5 }, (_, b) => sent.slice(5 * b, 5 * b + 5));
		const requests = pod.sim.requestsTo(REGISTER).map((r) => [r.body, r.status]);
		// The five batches, the second refused naming the unknown ID, then that batch once more without it.
		expect([...requests].sort()).toEqual(
			[
				...batches.map((batch, b) => [list(batch), b === 1 ? 404 : 200]),
				[list(batches[1].filter((id) => id !== unknown)), 200],
			].sort(),
		);
		const retry = pod.sim.events.findIndex((e) => e.kind === 'arrived' && e.request.body === list(batches[1].filter((id) => id !== unknown)));
		const refusal = pod.sim.events.findIndex((e) => e.kind === 'answered' && e.request.body === list(batches[1]));
		expect(refusal).toBeLessThan(retry);
		expect(pod.sim.peakInFlight).toBeGreaterThan(1);
		const out = result.json('Register');
		expect(out.map((o) => o.userId)).toEqual(sent);
		expect(out.filter((o) => o.error).map((o) => o.userId)).toEqual([unknown]);
		expect(out.find((o) => o.error)?.error).toMatch(/user 123456789/);
		expect(out.filter((o) => o.registered).map((o) => o.userId)).toEqual(ids);
	});

	test('a batch failing for a reason not about IDs (401) stops further batches; those in flight still count', async () => {
		const ids = colleagues(6);
		await startWith(ids, { latencyMs: { register: 300 } });
		// At 8 per second two batches go side by side (8 × 250 ms); the first to arrive is refused.
		pod.sim.fault({ path: REGISTER, status: 401, body: '{"code":401,"message":"Invalid session"}' });
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: register(ids.join(','), { batchSize: 1, requestsPerSecond: 8 }), continueOnFail: true }]),
		);
		expect(pod.sim.requestsTo(REGISTER).map((r) => [r.body, r.status])).toEqual([
			[`[${ids[0]}]`, 401],
			[`[${ids[1]}]`, 200],
		]);
		const out = result.json('Register');
		expect(out.map((o) => [o.userId, o.registered === true])).toEqual(ids.map((id, i) => [id, i === 1]));
		for (const item of [out[0], ...out.slice(2)]) expect(item.error).toMatch(/401/);
	});

	test('side by side within the pace: Max Requests per Second holds and bounds the batches in flight', async () => {
		const ids = colleagues(12);
		// A pod throttling just above the ceiling: a burst would get 429s.
		await startWith(ids, { latencyMs: { register: 300 }, throttlePerSecond: 11 });
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: register(ids.join(','), { batchSize: 1, requestsPerSecond: 10 }) }]),
		);
		expect(result.error).toBeUndefined();
		expect(pod.sim.requestsTo(REGISTER).map((r) => r.body).sort()).toEqual(ids.map((id) => `[${id}]`).sort());
		expect(pod.sim.tooManyRequests).toBe(0);
		// At 10 per second, 3 requests (10 × 250 ms) may be out at once.
		expect(pod.sim.peakInFlight).toBeGreaterThan(1);
		expect(pod.sim.peakInFlight).toBeLessThanOrEqual(batchesInFlight(1, 10));
		const times = pod.sim.requestsTo(REGISTER).map((r) => r.at).sort((a, b) => a - b);
		// Paced: the 11th request starts a second (10 slots of 100 ms) after the first, less timer slack.
		expect(times[10] - times[0]).toBeGreaterThanOrEqual(1000 - 10);
		expect(result.json('Register').map((o) => o.userId)).toEqual(ids);
	});
});
