/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
import type { IDataObject } from 'n8n-workflow';

import { chain } from '../../../../harness';
import { MINUTE, useTestClock, type TestClock } from '../../../../support/clock';
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
	startPod,
	type PodFixture,
} from '../../../../support/pod';

describe('Presence → Get', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('reads each item\'s user with bounded concurrency; output keeps input order and pairing', async () => {
		pod = await startPod({ latencyMs: { presence: 200 } });
		const users = [ALICE, BOB, ALICE, BOB, ALICE, BOB, ALICE, BOB];
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ options: { concurrency: 4 } }) }], users.map((userId) => ({ userId }))),
		);
		expect(result.items('Get').map((i) => [i.json.userId, i.pairedItem])).toEqual(users.map((u, item) => [u, { item }]));
		// 4 in flight together (each answer takes 200 ms), never a 5th before one of them was answered.
		expect(pod.sim.requestsTo('/pod/v3/user/')).toHaveLength(8);
		expect(pod.sim.peakInFlight).toBe(4);
	});

	test('Local Only sends local=true; external users then read as OFFLINE', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ userId: CAROL_EXTERNAL, local: true }) }]));
		expect(result.json('Get')[0]).toMatchObject({ userId: CAROL_EXTERNAL, category: 'OFFLINE' });
		expect(pod.sim.requests[0].query).toEqual({ local: 'true' });
	});

	test('unknown categories and IDs beyond 2^53 pass through exactly', async () => {
		pod = await startPod();
		pod.sim.setPresence(ALICE, 'FOCUS_TIME');
		pod.sim.interest.set(pod.sim.callerId, new Map([[BIG_ID, pod.sim.now()]]));
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ userId: '={{ $json.id }}' }) }], [{ id: ALICE }, { id: BIG_ID }]),
		);
		expect(result.json('Get').map((p) => [p.userId, p.category])).toEqual([
			[ALICE, 'FOCUS_TIME'],
			[BIG_ID, 'AWAY'],
		]);
	});

	test.each<[string, (pod: PodFixture) => void, string, RegExp, RegExp]>([
		['401', (p) => p.sim.sessions.clear(), ALICE, /session token is invalid or has expired \(401\)/, /Renew the token/],
		['403 not connected', () => {}, ERIN_NOT_CONNECTED, /refused access while reading the presence of user 71811853191697 \(403/, /^You are not connected with user 71811853191697, who is at another firm.*Connection → Create/],
		['403 no interest', () => {}, CAROL_EXTERNAL, /refused access.*\(403/, /^You are connected with user 14568529068038, so interest in their presence is missing: turn on Register Interest for Other Firms/],
		['404', () => {}, '424242', /Not found while reading the presence of user 424242 \(404\)/, /Check the user ID/],
		['500', (p) => p.sim.fault({ status: 500, body: '{"code":500,"message":"Database unavailable"}', times: 3 }), ALICE, /internal problem.*\(500\) after 3 attempts/, /Database unavailable/],
		['400', (p) => p.sim.fault({ status: 400, body: '{"code":400,"message":"Bad uid"}' }), ALICE, /refused the request.*\(400 Bad Request\)/, /Bad uid/],
	])('%s gets a message a person can act on', async (_name, arrange, userId, message, description) => {
		pod = await startPod();
		arrange(pod);
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ userId, options: QUICK_RETRY }), continueOnFail: true }]),
		);
		const [item] = result.json('Get');
		expect(item.error).toMatch(message);
		expect(item.description).toMatch(description);
		expectNoSecrets(result.run, [SECRET_TOKEN]);

		arrange(pod);
		const failed = await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ userId, options: QUICK_RETRY }) }]));
		expect(failed.error?.message).toMatch(message);
		expectNoSecrets(failed.run, [SECRET_TOKEN]);
	});

	test('429: waits as Retry-After says, then succeeds', async () => {
		pod = await startPod();
		// Bob's read, sent beside Alice's, takes 0.6 s: more than the backoff without Retry-After
		// (at most 0.5 s), less than the 1 s Symphony asks for. Alice's 429 comes after 0.1 s, when
		// Bob's read is out (a 429 pauses the requests not sent yet).
		pod.sim.fault({ path: `/pod/v3/user/${ALICE}`, status: 429, retryAfter: '1', delayMs: 100 });
		pod.sim.fault({ path: `/pod/v3/user/${BOB}`, delayMs: 600 });
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ options: { concurrency: 2 } }) }], [{ userId: ALICE }, { userId: BOB }]),
		);
		expect(result.json('Get').map((p) => [p.userId, p.category])).toEqual([
			[ALICE, 'AVAILABLE'],
			[BOB, 'ON_THE_PHONE'],
		]);
		// Alice is asked again only after Bob's answer.
		const order = pod.sim.events
			.filter(({ kind, request }) => (request.path.includes(ALICE) ? kind === 'arrived' : kind === 'answered'))
			.map(({ kind, request }) => `${request.path.includes(ALICE) ? 'Alice' : 'Bob'} ${kind} ${request.status}`);
		expect(order).toEqual(['Alice arrived 429', 'Bob answered 200', 'Alice arrived 200']);
	});

	test('429 past the wait cap explains the one-query-per-5-minutes rule', async () => {
		pod = await startPod();
		pod.sim.interest.set(pod.sim.callerId, new Map([[CAROL_EXTERNAL, pod.sim.now()]]));
		const result = await pod.harness.run(
			chain(
				[{ name: 'Get', parameters: getPresence({ userId: '={{ $json.id }}' }), continueOnFail: true }],
				[{ id: CAROL_EXTERNAL }, { id: CAROL_EXTERNAL }],
			),
		);
		const [first, second] = result.json('Get');
		expect(first).toMatchObject({ category: 'BUSY' });
		expect(second.error).toMatch(/asked to slow down.*\(429 Too Many Requests\)/);
		expect(second.description).toMatch(/^Symphony asked to wait 300 s\. Symphony allows one read of the presence of a person at another firm every 5 minutes/);
		expect(pod.sim.requestsTo('/pod/v3/user/')).toHaveLength(2);
	});

	test.each([
		['={{ $json.noSuchField }}', /User ID: undefined is empty/],
		['={{ "" }}', /User ID: "" holds no user ID/],
		['1,2', /holds more than one user ID/],
		['abc', /"abc" is not a Symphony user ID/],
	])('User ID %p is refused before any request', async (userId, message) => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ userId }), continueOnFail: true }]));
		expect(result.json('Get')[0].error).toMatch(message);
		expect(pod.sim.requests).toHaveLength(0);
	});

	test.each([0, 501])('concurrency %p is refused with its range', async (concurrency) => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ userId: ALICE, options: { concurrency } }) }]));
		expect(result.error?.message).toMatch(new RegExp(`Concurrency: ${concurrency} is not a whole number from 1 to 500`));
	});

	test('an answer that is a web page or not a presence gives a clear error, not undefined fields', async () => {
		pod = await startPod();
		pod.sim.fault({ body: '<html>Sign in</html>', contentType: 'text/html' });
		pod.sim.fault({ body: '{"status":"ok"}' });
		pod.sim.fault({ body: '' });
		pod.sim.fault({ body: '{"category":"AVAI' });
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ userId: '={{ $json.id }}', options: { concurrency: 1 } }), continueOnFail: true }], [
				{ id: ALICE },
				{ id: ALICE },
				{ id: ALICE },
				{ id: ALICE },
			]),
		);
		const [html, shape, empty, truncated] = result.json('Get');
		expect(html.error).toMatch(/could not be read/);
		expect(html.description).toMatch(/web page instead of data/);
		expect(shape.error).toMatch(/was not a presence with a category/);
		expect(empty.error).toMatch(/was not a presence with a category/);
		expect(truncated.error).toMatch(/could not be read/);
		for (const item of [html, shape, empty, truncated]) expect(item.category).toBeUndefined();
	});
});

describe('Presence → Get, users named by email or username', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('emails of all items are resolved in one lookup; outputs carry userId and email; an unknown address fails only its item', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ identifyBy: 'email' }), continueOnFail: true }], [
				{ email: 'alice@acme.example' },
				{ email: ' BOB@acme.example ' },
				{ email: 'nobody@acme.example' },
				{ email: 'alice@acme.example' },
			]),
		);
		const items = result.items('Get');
		expect(items.map((i) => [i.json.userId ?? null, i.json.email ?? null, i.json.category ?? null, i.pairedItem])).toEqual([
			[ALICE, 'alice@acme.example', 'AVAILABLE', { item: 0 }],
			[BOB, 'bob@acme.example', 'ON_THE_PHONE', { item: 1 }],
			[null, null, null, { item: 2 }],
			[ALICE, 'alice@acme.example', 'AVAILABLE', { item: 3 }],
		]);
		expect(items[2].json.error).toMatch(/^Email: "nobody@acme.example" matches no Symphony user\. Check the spelling, or that you are connected to them/);
		expect(pod.sim.requestsTo('/pod/v3/users').map((r) => r.query.email)).toEqual(['alice@acme.example,bob@acme.example,nobody@acme.example']);
		expect(pod.sim.requestsTo('/pod/v3/user/').map((r) => r.path)).toEqual([
			`/pod/v3/user/${ALICE}/presence`,
			`/pod/v3/user/${BOB}/presence`,
			`/pod/v3/user/${ALICE}/presence`,
		]);
	});

	test('by username, the default reads $json.username', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ identifyBy: 'username' }) }], [{ username: 'bob' }]));
		expect(result.json('Get')).toEqual([expect.objectContaining({ userId: BOB, username: 'bob', category: 'ON_THE_PHONE' })]);
	});

	test('an Identify Users By value that is not a choice fails every item before any request', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ identifyBy: 'phone' }), continueOnFail: true }], [{ userId: ALICE }, { userId: BOB }]),
		);
		expect(result.items('Get').map((i) => [i.json.error, i.pairedItem])).toEqual([
			['Identify Users By: "phone" is not one of the choices. Pick ID, Email or Username', { item: 0 }],
			['Identify Users By: "phone" is not one of the choices. Pick ID, Email or Username', { item: 1 }],
		]);
		expect(pod.sim.requests).toHaveLength(0);
	});

	test('a malformed email is refused before any request, naming the field, the value and the fix', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ identifyBy: 'email', email: 'alice' }) }]));
		expect(result.error?.message).toBe('Email: "alice" is not an email address. Enter complete addresses (e.g. jane.doe@acme.com), separated by commas, spaces or new lines');
		expect(pod.sim.requests).toHaveLength(0);
	});
});

/** Get in node version 2: the User resource locator. */
function getV2(parameters: IDataObject = {}): { name: string; parameters: IDataObject; typeVersion: number; continueOnFail?: boolean } {
	return { name: 'Get', parameters: { resource: 'presence', operation: 'get', ...parameters }, typeVersion: 2 };
}

describe('Presence → Get, version 2 (User resource locator)', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('by default reads the incoming item\'s userId, as version 1 did', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([getV2()], [{ userId: ALICE }, { userId: BOB }]));
		expect(result.json('Get').map((p) => [p.userId, p.category])).toEqual([
			[ALICE, 'AVAILABLE'],
			[BOB, 'ON_THE_PHONE'],
		]);
	});

	test.each([
		['list', ALICE, {}],
		['id', ` ${ALICE} `, {}],
		['email', 'Alice@Acme.example', { email: 'alice@acme.example' }],
		['username', 'alice', { username: 'alice' }],
	])('mode %s names the user', async (mode, value, named) => {
		pod = await startPod();
		const result = await pod.harness.run(chain([getV2({ user: { __rl: true, mode, value } })]));
		expect(result.json('Get')).toEqual([expect.objectContaining({ userId: ALICE, ...named, category: 'AVAILABLE' })]);
	});

	test('Identify Users By and its fields are version 1 only: a version 2 node ignores them', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([getV2({ identifyBy: 'email', email: 'bob@acme.example', user: { __rl: true, mode: 'id', value: ALICE } })]),
		);
		expect(result.json('Get')).toEqual([expect.objectContaining({ userId: ALICE })]);
		expect(result.json('Get')[0].email).toBeUndefined();
	});

	test.each([
		['id', '={{ "abc" }}', /User \(By ID\): "abc" is not a Symphony user ID/],
		['email', 'not-an-address', /User \(By Email\): "not-an-address" is not an email address/],
		['username', '={{ "" }}', /User \(By Username\): "" holds no username/],
	])('a bad %s value is refused before any request, naming the field', async (mode, value, message) => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ ...getV2({ user: { __rl: true, mode, value } }), continueOnFail: true }]));
		expect(result.json('Get')[0].error).toMatch(message);
		expect(pod.sim.requests).toHaveLength(0);
	});

	test('a mode the field does not have (a hand-edited workflow) fails every item before any request', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ ...getV2({ user: { __rl: true, mode: 'url', value: 'https://x' } }), continueOnFail: true }], [{}, {}]));
		expect(result.json('Get').map((item) => item.error)).toEqual([
			expect.stringMatching(/User: "url" is not one of the modes\. Pick From List, By ID, By Email or By Username/),
			expect.stringMatching(/User: "url" is not one of the modes/),
		]);
		expect(pod.sim.requests).toHaveLength(0);
	});

	test.each([
		['id', 'abc'],
		['list', ''],
	])('n8n itself stops a typed %s value the field cannot hold (%p) before the run', async (mode, value) => {
		pod = await startPod();
		await expect(pod.harness.run(chain([getV2({ user: { __rl: true, mode, value } })]))).rejects.toThrow(/workflow has issues/);
		expect(pod.sim.requests).toHaveLength(0);
	});
});

describe('Presence → Get, If Read Too Recently (Symphony\'s 5-minute rule, on the simulator\'s clock)', () => {
	let pod: PodFixture;
	let clock: TestClock;
	beforeEach(async () => {
		clock = useTestClock('2026-03-02T09:00:00Z');
		pod = await startPod({ now: () => clock.now() });
		pod.sim.interest.set(pod.sim.callerId, new Map([[CAROL_EXTERNAL, clock.now()]]));
	});
	afterEach(async () => {
		await pod.sim.close();
		clock.restore();
	});

	const getCarol = (ifReadTooRecently?: string, options: IDataObject = {}) => ({
		...getV2({ user: { __rl: true, mode: 'id', value: CAROL_EXTERNAL }, options: { ...(ifReadTooRecently && { ifReadTooRecently }), ...options } }),
		continueOnFail: true,
	});

	test('Fail (the default): the second read within 5 minutes is an error that names the way out', async () => {
		expect((await pod.harness.run(chain([getCarol()]))).json('Get')[0]).toMatchObject({ category: 'BUSY' });
		clock.advance(MINUTE);
		const [refused] = (await pod.harness.run(chain([getCarol()]))).json('Get');
		expect(refused.error).toMatch(/asked to slow down.*\(429 Too Many Requests\)/);
		// One setting, the one on this node; nothing about Retry's Max Wait or "Presence → Get" while on it.
		expect(refused.description).toBe(
			'Symphony asked to wait 240 s. Symphony allows one read of the presence of a person at another firm every 5 minutes, and slows down busy pods. To wait, skip the item or output the last known presence instead of failing, choose it in Options → If Read Too Recently. After the Symphony Presence Trigger no Get is needed: its items already carry each user\'s status. Symphony said: "Presence of external user 14568529068038 can be read once every 5 minutes".',
		);
	});

	test('Skip the Item: outputs the user with the time it may be read again, and nothing else fails', async () => {
		await pod.harness.run(chain([getCarol('skip')]));
		clock.advance(MINUTE);
		const result = await pod.harness.run(
			chain([{ ...getCarol('skip'), parameters: { ...getCarol('skip').parameters, user: { __rl: true, mode: 'id', value: '={{ $json.userId }}' } } }], [
				{ userId: CAROL_EXTERNAL },
				{ userId: ALICE },
			]),
		);
		expect(result.json('Get')).toEqual([
			{ userId: CAROL_EXTERNAL, skipped: true, readableAgainAt: '2026-03-02T09:05:00.000Z' },
			expect.objectContaining({ userId: ALICE, category: 'AVAILABLE' }),
		]);
		expect(result.items('Get').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('Return Last Known: a later run of the active workflow gets the kept presence, marked stale with its read time', async () => {
		const first = await pod.harness.run(chain([getCarol('returnLastKnown')]));
		expect(first.json('Get')).toEqual([expect.objectContaining({ userId: CAROL_EXTERNAL, category: 'BUSY', stale: false, readAt: '2026-03-02T09:00:00.000Z' })]);
		pod.sim.setPresence(CAROL_EXTERNAL, 'AVAILABLE');
		clock.advance(2 * MINUTE);
		// n8n saves static data after runs of active workflows: the next run starts from it.
		const second = await pod.harness.run({ ...chain([getCarol('returnLastKnown')]), staticData: first.staticData });
		expect(second.json('Get')).toEqual([
			expect.objectContaining({ userId: CAROL_EXTERNAL, category: 'BUSY', stale: true, readAt: '2026-03-02T09:00:00.000Z' }),
		]);
		expect(second.json('Get')[0].error).toBeUndefined();
		clock.advance(3 * MINUTE);
		const third = await pod.harness.run({ ...chain([getCarol('returnLastKnown')]), staticData: second.staticData });
		expect(third.json('Get')).toEqual([expect.objectContaining({ category: 'AVAILABLE', stale: false, readAt: '2026-03-02T09:05:00.000Z' })]);
	});

	test('Return Last Known keeps only people of other pods, and fails clearly when nothing is kept (a manual run)', async () => {
		const first = await pod.harness.run(chain([{ ...getCarol('returnLastKnown'), parameters: { ...getCarol('returnLastKnown').parameters, user: { __rl: true, mode: 'id', value: '={{ $json.userId }}' } } }], [
			{ userId: ALICE },
			{ userId: CAROL_EXTERNAL },
		]));
		const kept = (first.staticData['node:Get'] as { lastKnownPresence?: object } | undefined)?.lastKnownPresence;
		expect(Object.keys(kept ?? {})).toEqual([CAROL_EXTERNAL]);
		clock.advance(MINUTE);
		// A manual run starts without what the first run kept.
		const [refused] = (await pod.harness.run(chain([getCarol('returnLastKnown')]))).json('Get');
		expect(refused.error).toMatch(/429 Too Many Requests/);
		expect(refused.description).toMatch(/^No earlier presence of this user is kept.*manual test runs do not save it/);
	});

	test('Wait: waits as long as Symphony asks, then reads', async () => {
		await pod.harness.run(chain([getCarol('wait')]));
		clock.advance(5 * MINUTE - 2000);
		pod.sim.setPresence(CAROL_EXTERNAL, 'AVAILABLE');
		// Retry-After is 2 s; Max Wait 0 keeps the request retries out of it, so the wait is Wait's own.
		const running = pod.harness.run(chain([getCarol('wait', { retry: { settings: { maxAttempts: 1, maxWaitSeconds: 0 } } })]));
		while (!pod.sim.requests.some((r) => r.status === 429)) await new Promise((resolve) => setTimeout(resolve, 20));
		// The node now sleeps 2 s of real time; the pod's clock moves on by as much.
		clock.advance(2000);
		const result = await running;
		expect(result.json('Get')).toEqual([expect.objectContaining({ userId: CAROL_EXTERNAL, category: 'AVAILABLE' })]);
		expect(pod.sim.requestsTo(`/pod/v3/user/${CAROL_EXTERNAL}/presence`).map((r) => r.status)).toEqual([200, 429, 200]);
	});

	test('Wait: cancelling the execution ends the wait at once, and nothing more is read', async () => {
		await pod.harness.run(chain([getCarol('wait')]));
		clock.advance(MINUTE);
		// Retry-After is 240 s of real time: only the cancel signal ends the wait within the test's time.
		const running = pod.harness.start(chain([getCarol('wait', { retry: { settings: { maxAttempts: 1, maxWaitSeconds: 0 } } })]));
		while (!pod.sim.requests.some((r) => r.status === 429)) await new Promise((resolve) => setTimeout(resolve, 20));
		running.cancel();
		const result = await running.result;
		expect(result.run.status).toBe('canceled');
		expect(pod.sim.requestsTo(`/pod/v3/user/${CAROL_EXTERNAL}/presence`).map((r) => r.status)).toEqual([200, 429]);
	});

	test('Wait refuses a wait longer than 5 minutes and says so', async () => {
		pod.sim.fault({ path: `/pod/v3/user/${CAROL_EXTERNAL}`, status: 429, retryAfter: '900' });
		const [refused] = (await pod.harness.run(chain([getCarol('wait')]))).json('Get');
		expect(refused.error).toMatch(/429 Too Many Requests/);
		expect(refused.description).toMatch(/^Symphony asked to wait 900 s, longer than the 300 s that Wait allows/);
	});
});

describe('Presence → Get, hints', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('users refused with 403 leave a hint after the run pointing to Register Interest', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ ...getV2({ user: { __rl: true, mode: 'id', value: '={{ $json.userId }}' } }), continueOnFail: true }], [{ userId: CAROL_EXTERNAL }, { userId: ALICE }]),
		);
		expect(result.json('Get')[1]).toMatchObject({ userId: ALICE, category: 'AVAILABLE' });
		const hints = result.run.data.resultData.runData.Get[0].hints ?? [];
		expect(hints).toEqual([expect.objectContaining({ message: expect.stringMatching(/presence of 1 user \(403\).*Register Interest/), type: 'warning' })]);
	});

	test('no hint when every read succeeds', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([getV2()], [{ userId: ALICE }]));
		expect(result.run.data.resultData.runData.Get[0].hints ?? []).toEqual([]);
	});
});
