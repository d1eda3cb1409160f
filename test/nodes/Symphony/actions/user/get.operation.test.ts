import { chain } from '../../../../harness';
import { expectNoSecrets } from '../../../../support/secrets';
import {
	ALICE,
	BIG_ID,
	BOB,
	CAROL_EXTERNAL,
	QUICK_RETRY,
	SECRET_TOKEN,
	startPod,
	type PodFixture,
} from '../../../../support/pod';

const USERS = '/pod/v3/users';

function getUsers(parameters: Record<string, unknown>) {
	return { resource: 'user', operation: 'get', ...parameters };
}

describe('User → Get', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('by emails: one item per user with id and userId as exact digit strings, unknown addresses give no item', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Users', parameters: getUsers({ identifyBy: 'email', emails: 'Alice@acme.example, nobody@acme.example, big@far.example' }) }]),
		);
		const users = result.json('Users');
		expect(users.map((u) => [u.id, u.userId, u.emailAddress, u.username])).toEqual([
			[ALICE, ALICE, 'alice@acme.example', 'alice'],
			[BIG_ID, BIG_ID, 'big@far.example', 'big'],
		]);
		expect(typeof users[1].id).toBe('string');
		expect(pod.sim.requestsTo(USERS).map((r) => r.query)).toEqual([{ email: 'alice@acme.example,nobody@acme.example,big@far.example' }]);
	});

	test('by IDs and by usernames', async () => {
		pod = await startPod();
		const byId = await pod.harness.run(chain([{ name: 'Users', parameters: getUsers({ userIds: `${BOB}, ${CAROL_EXTERNAL}` }) }]));
		expect(byId.json('Users').map((u) => u.username)).toEqual(['bob', 'carol']);
		const byName = await pod.harness.run(chain([{ name: 'Users', parameters: getUsers({ identifyBy: 'username', usernames: 'carol alice' }) }]));
		expect(byName.json('Users').map((u) => u.id)).toEqual([CAROL_EXTERNAL, ALICE]);
		expect(pod.sim.requestsTo(USERS).map((r) => r.query)).toEqual([{ uid: `${BOB},${CAROL_EXTERNAL}` }, { username: 'carol,alice' }]);
	});

	test('250 emails over 3 items: 3 requests of at most 100, merged; each user paired to every item that asked', async () => {
		pod = await startPod();
		for (let i = 0; i < 248; i++) pod.sim.addUser({ id: String(7215545200000 + i), email: `user${i}@acme.example` });
		const emails = Array.from({ length: 248 }, (_, i) => `user${i}@acme.example`);
		const result = await pod.harness.run(
			chain([{ name: 'Users', parameters: getUsers({ identifyBy: 'email', emails: '={{ $json.emails }}' }) }], [
				{ emails: emails.slice(0, 120).concat('alice@acme.example') },
				{ emails: emails.slice(120).concat('bob@acme.example') },
				{ emails: ['alice@acme.example'] },
			]),
		);
		const lookups = pod.sim.requestsTo(USERS);
		expect(lookups.map((r) => r.query.email.split(',').length)).toEqual([100, 100, 50]);
		const items = result.items('Users');
		expect(items).toHaveLength(250);
		expect(new Set(items.map((i) => i.json.id)).size).toBe(250);
		const alice = items.find((i) => i.json.id === ALICE)!;
		expect(alice.pairedItem).toEqual([{ item: 0 }, { item: 2 }]);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('nobody found (204) is an empty result, not an error', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Users', parameters: getUsers({ identifyBy: 'email', emails: 'nobody@acme.example' }) }]));
		expect(result.error).toBeUndefined();
		expect(result.json('Users')).toEqual([]);
		expect(pod.sim.requestsTo(USERS)[0].status).toBe(204);
	});

	test('Symphony\'s per-entry errors are reported on the item they came from, the users found go through', async () => {
		pod = await startPod();
		// Our own parsing refuses malformed addresses first; a pod may still refuse one it dislikes.
		pod.sim.fault({
			path: USERS,
			body: `{"users":[{"id":${ALICE},"emailAddress":"alice@acme.example","username":"alice"}],"errors":[{"error":"invalid.format","email":"odd@acme.example"}]}`,
		});
		const result = await pod.harness.run(
			chain([{ name: 'Users', parameters: getUsers({ identifyBy: 'email', emails: '={{ $json.emails }}' }), continueOnFail: true }], [
				{ emails: 'alice@acme.example' },
				{ emails: 'odd@acme.example' },
			]),
		);
		const items = result.items('Users');
		expect(items.map((i) => [i.json.id ?? i.json.email, i.pairedItem])).toEqual([
			[ALICE, { item: 0 }],
			['odd@acme.example', { item: 1 }],
		]);
		expect(items[1].json.error).toBe('Emails: "odd@acme.example" was refused by Symphony (invalid.format). Check that it is a complete address, e.g. jane.doe@acme.com');
	});

	test('Local Only and Account Status go to the pod as local and active', async () => {
		pod = await startPod();
		pod.sim.addUser({ id: '7215545058399', username: 'left', email: 'left@acme.example', active: false });
		const local = await pod.harness.run(
			chain([{ name: 'Users', parameters: getUsers({ identifyBy: 'username', usernames: 'carol, alice, left', options: { local: true, active: 'active' } }) }]),
		);
		expect(local.json('Users').map((u) => u.username)).toEqual(['alice']);
		const inactive = await pod.harness.run(
			chain([{ name: 'Users', parameters: getUsers({ identifyBy: 'username', usernames: 'alice, left', options: { active: 'inactive' } }) }]),
		);
		expect(inactive.json('Users').map((u) => u.username)).toEqual(['left']);
		expect(pod.sim.requestsTo(USERS).map((r) => r.query)).toEqual([
			{ username: 'carol,alice,left', local: 'true', active: 'true' },
			{ username: 'alice,left', active: 'false' },
		]);
	});

	test.each(['sometimes', 'toString'])('an Account Status that is not listed (%s, from a workflow edited by hand) fails with the field and the fix, before any request', async (state) => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Users', parameters: getUsers({ identifyBy: 'username', usernames: 'alice', options: { active: state } }), continueOnFail: true }]),
		);
		expect(result.json('Users')).toEqual([
			{ error: `Account Status: "${state}" is not one of Any, Active Only, Inactive Only. Pick one of the listed values`, description: 'Pick one of the listed values' },
		]);
		expect(pod.sim.requests).toEqual([]);
	});

	test('bad values fail their own item, paired, while the others are looked up', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Users', parameters: getUsers({ identifyBy: 'email', emails: '={{ $json.emails }}' }), continueOnFail: true }], [
				{ emails: 'bob@acme.example' },
				{ emails: 'bob at acme' },
			]),
		);
		const items = result.items('Users');
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[1].json.error).toMatch(/^Emails: "bob" is not an email address\. Enter complete addresses/);
		expect(pod.sim.requestsTo(USERS)).toHaveLength(1);
	});

	test('a lookup that fails as a whole (500 after retries) fails the items it carried', async () => {
		pod = await startPod();
		pod.sim.fault({ path: USERS, status: 500, times: 3 });
		const result = await pod.harness.run(
			chain([{ name: 'Users', parameters: getUsers({ userIds: ALICE, options: QUICK_RETRY }), continueOnFail: true }]),
		);
		expect(result.json('Users')[0].error).toMatch(/internal problem while looking up the user with user ID 7215545058313 \(500\) after 3 attempts/);
	});
});

describe('User → Get, version 2 (User resource locator, Simplify)', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('Simplify is on by default: the fields people use, with userId to chain into presence operations', async () => {
		pod = await startPod();
		pod.sim.users.get(ALICE)!.displayName = 'Alice Martin';
		pod.sim.users.get(ALICE)!.company = 'Acme';
		const result = await pod.harness.run(chain([{ name: 'Users', typeVersion: 2, parameters: getUsers({}) }], [{ userId: ALICE }]));
		expect(result.json('Users')).toEqual([
			{ userId: ALICE, displayName: 'Alice Martin', email: 'alice@acme.example', username: 'alice', company: 'Acme' },
		]);
	});

	test('Simplify off returns Symphony\'s whole record, as version 1 does', async () => {
		pod = await startPod();
		const v2 = await pod.harness.run(
			chain([{ name: 'Users', typeVersion: 2, parameters: getUsers({ simplify: false, user: { __rl: true, mode: 'id', value: ALICE } }) }]),
		);
		const v1 = await pod.harness.run(chain([{ name: 'Users', parameters: getUsers({ userIds: ALICE }) }]));
		expect(v2.json('Users')).toEqual(v1.json('Users'));
		expect(v2.json('Users')[0]).toMatchObject({ id: ALICE, userId: ALICE, emailAddress: 'alice@acme.example', accountType: 'NORMAL' });
	});

	test('typed modes still take several users in one request; From List gives one', async () => {
		pod = await startPod();
		const byEmail = await pod.harness.run(
			chain([{ name: 'Users', typeVersion: 2, parameters: getUsers({ user: { __rl: true, mode: 'email', value: 'alice@acme.example, bob@acme.example' } }) }]),
		);
		expect(byEmail.json('Users').map((u) => u.userId)).toEqual([ALICE, BOB]);
		expect(pod.sim.requestsTo(USERS).map((r) => r.query)).toEqual([{ email: 'alice@acme.example,bob@acme.example' }]);
		const fromList = await pod.harness.run(
			chain([{ name: 'Users', typeVersion: 2, parameters: getUsers({ user: { __rl: true, mode: 'list', value: CAROL_EXTERNAL } }) }]),
		);
		expect(fromList.json('Users').map((u) => u.userId)).toEqual([CAROL_EXTERNAL]);
	});

	test('a malformed value names the field and its mode', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Users', typeVersion: 2, continueOnFail: true, parameters: getUsers({ user: { __rl: true, mode: 'email', value: 'alice at acme' } }) }]),
		);
		expect(result.json('Users')[0].error).toMatch(/User \(By Email\): "alice" is not an email address/);
		expect(pod.sim.requests).toHaveLength(0);
	});
});
