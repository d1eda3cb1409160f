import { chain } from '../../../../harness';
import { PRESENCE_PRIVILEGE, USER_PROVISIONING } from '../../../../simulator';
import { expectNoSecrets } from '../../../../support/secrets';
import { ALICE, BOB, BOT, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';

const ADMIN = [{ token: SECRET_TOKEN, userId: BOT, privileges: [PRESENCE_PRIVILEGE, USER_PROVISIONING] }];
/** An internal user whose ID is beyond 2^53: its digits must reach the pod intact. */
const DIANA_BIG = '9007199254740995';

function setForUser(parameters: Record<string, unknown>) {
	return { resource: 'presence', operation: 'setForUser', ...parameters };
}

describe('Presence → Set for User (Admin)', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('by ID: the body carries the user ID as exact digits, soft as asked', async () => {
		pod = await startPod({ sessions: ADMIN });
		pod.sim.addUser({ id: DIANA_BIG, username: 'diana', email: 'diana@acme.example', presence: 'AVAILABLE' });
		const result = await pod.harness.run(
			chain([{ name: 'Set', parameters: setForUser({ status: 'OUT_OF_OFFICE', soft: false }) }], [{ userId: DIANA_BIG }]),
		);
		expect(result.json('Set')).toEqual([
			expect.objectContaining({ userId: DIANA_BIG, category: 'OUT_OF_OFFICE' }),
		]);
		const [request] = pod.sim.requestsTo('/pod/v3/user/presence', 'POST');
		expect(request.body).toBe(`{"category":"OUT_OF_OFFICE","userId":${DIANA_BIG}}`);
		expect(request.query).toEqual({ soft: 'false' });
		expect(pod.sim.users.get(DIANA_BIG)!.presence).toBe('OUT_OF_OFFICE');
	});

	test('by email: all items resolved in one lookup; output keeps the email beside the userId; an unknown email fails only its item', async () => {
		pod = await startPod({ sessions: ADMIN });
		const result = await pod.harness.run(
			chain(
				[{ name: 'Set', parameters: setForUser({ identifyBy: 'email', status: '={{ $json.status }}' }), continueOnFail: true }],
				[
					{ email: 'Alice@Acme.example', status: 'BUSY' },
					{ email: 'nobody@acme.example', status: 'BUSY' },
					{ email: 'bob@acme.example', status: 'AWAY' },
				],
			),
		);
		const items = result.items('Set');
		expect(items.map((i) => [i.json.userId ?? null, i.json.email ?? null, i.json.category ?? null, i.pairedItem])).toEqual([
			[ALICE, 'alice@acme.example', 'BUSY', { item: 0 }],
			[null, null, null, { item: 1 }],
			[BOB, 'bob@acme.example', 'AWAY', { item: 2 }],
		]);
		expect(items[1].json.error).toBe('Email: "nobody@acme.example" matches no Symphony user. Check the spelling, or that you are connected to them in Symphony: people at other firms are found only once connected');
		const lookups = pod.sim.requestsTo('/pod/v3/users');
		expect(lookups).toHaveLength(1);
		expect(lookups[0].query).toEqual({ email: 'alice@acme.example,nobody@acme.example,bob@acme.example', local: 'false' });
		expect(pod.sim.requestsTo('/pod/v3/user/presence')).toHaveLength(2);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('by username', async () => {
		pod = await startPod({ sessions: ADMIN });
		const result = await pod.harness.run(
			chain([{ name: 'Set', parameters: setForUser({ identifyBy: 'username', username: 'bob', status: 'custom', customStatus: 'FOCUS_TIME' }) }]),
		);
		expect(result.json('Set')[0]).toMatchObject({ userId: BOB, username: 'bob', category: 'FOCUS_TIME' });
	});

	test('without the User Provisioning entitlement: 403 that says so', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Set', parameters: setForUser({ userId: ALICE, status: 'BUSY' }), continueOnFail: true }]),
		);
		const [item] = result.json('Set');
		expect(item.error).toMatch(/refused access while setting the presence of user 7215545058313 to BUSY \(403 Forbidden\)/);
		expect(item.description).toMatch(/needs a service account with the User Provisioning entitlement/);
	});

	test.each([
		[{ userId: 'alice@acme.example', status: 'BUSY' }, /User ID: "alice@acme.example" is not a Symphony user ID/],
		[{ identifyBy: 'email', email: 'alice.acme.example', status: 'BUSY' }, /Email: "alice.acme.example" is not an email address/],
		[{ identifyBy: 'email', email: 'alice@acme.example, bob@acme.example', status: 'BUSY' }, /Email: .* holds 2 users/],
		[{ userId: ALICE, status: 'BUSYY' }, /Status: "BUSYY" is not one of the listed statuses/],
	])('bad parameters %p are refused before any request', async (parameters, message) => {
		pod = await startPod({ sessions: ADMIN });
		const result = await pod.harness.run(chain([{ name: 'Set', parameters: setForUser(parameters) }]));
		expect(result.error?.message).toMatch(message);
		expect(pod.sim.requests).toHaveLength(0);
	});
});

describe('Presence → Set for User (Admin), version 2 (User resource locator)', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test.each([
		['id (the default, from the incoming item)', undefined, {}],
		['email', { __rl: true, mode: 'email', value: 'bob@acme.example' }, { email: 'bob@acme.example' }],
		['list (the picked user\'s ID)', { __rl: true, mode: 'list', value: BOB, cachedResultName: 'bob' }, {}],
	])('names the user by %s', async (_mode, user, named) => {
		pod = await startPod({ sessions: ADMIN });
		const result = await pod.harness.run(
			chain([{ name: 'Set', typeVersion: 2, parameters: setForUser({ status: 'BUSY', ...(user && { user }) }) }], [{ userId: BOB }]),
		);
		expect(result.json('Set')).toEqual([expect.objectContaining({ userId: BOB, ...named, category: 'BUSY' })]);
		expect(pod.sim.requestsTo('/pod/v3/user/presence', 'POST').map((r) => r.body)).toEqual([`{"category":"BUSY","userId":${BOB}}`]);
	});
});
