import { chain } from '../harness';
import { expectNoSecrets } from '../support/secrets';
import { ALICE, BOB, SECRET_TOKEN, getPresence, register, startPod, type PodFixture } from '../support/pod';

/** Quick retry settings so waits stay short; Retry-After up to 2 s is still obeyed. */
const RETRY = { retry: { settings: { maxAttempts: 4, maxWaitSeconds: 2 } } };
const PRESENCE = `/pod/v3/user/${ALICE}/presence`;

describe('each fault alone', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	const getAlice = async (options: object = RETRY) =>
		await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ userId: ALICE, options }), continueOnFail: true }]));

	/**
	 * Alice's read, with Bob's sent beside it and answered after `bobDelayMs`: the order of Alice's
	 * arrivals and Bob's answer, as the pod saw them.
	 */
	const getAliceBesideSlowBob = async (bobDelayMs: number, options: object = RETRY) => {
		pod.sim.fault({ path: `/pod/v3/user/${BOB}`, delayMs: bobDelayMs });
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ options: { ...options, concurrency: 2 } }), continueOnFail: true }], [{ userId: ALICE }, { userId: BOB }]),
		);
		const order = pod.sim.events
			.filter(({ kind, request }) => (request.path === PRESENCE ? kind === 'arrived' : kind === 'answered'))
			.map(({ kind, request }) => `${request.path === PRESENCE ? 'Alice' : 'Bob'} ${kind} ${request.status}`);
		return { result, order };
	};

	// Bob's answer marks a wait: after any backoff without Retry-After (0.25 to 0.5 s for the first
	// retry) comes a 0.1 s answer; after Retry-After: 1 s, a 0.6 s one (longer than any such backoff).
	// A 429 comes after 0.1 s, when Bob's read is out: the pod's throttle holds the requests not sent yet.
	test.each([
		['429 with Retry-After in seconds', { status: 429, retryAfter: '1', delayMs: 100 }, 600],
		['500', { status: 500 }, 100],
		['502', { status: 502 }, 100],
		['503 with Retry-After', { status: 503, retryAfter: '1' }, 600],
		['504', { status: 504 }, 100],
		['connection reset', { reset: true }, 100],
	])('%s: retried after the wait, then the item succeeds', async (_name, fault, bobDelayMs) => {
		pod = await startPod();
		pod.sim.fault({ path: PRESENCE, ...fault });
		const { result, order } = await getAliceBesideSlowBob(bobDelayMs);
		expect(result.json('Get').map((p) => [p.userId, p.category])).toEqual([
			[ALICE, 'AVAILABLE'],
			[BOB, 'ON_THE_PHONE'],
		]);
		expect(pod.sim.requestsTo(PRESENCE)).toHaveLength(2);
		// Alice is asked again only after Bob's answer.
		expect(order).toEqual([`Alice arrived ${'reset' in fault ? 0 : fault.status}`, 'Bob answered 200', 'Alice arrived 200']);
	});

	test('429 with Retry-After as an HTTP date: waits until then', async () => {
		pod = await startPod();
		// HTTP dates have whole seconds: 3 s ahead is at least 2 s of waiting, in which Bob's 1 s
		// answer comes; the first backoff, were the date not obeyed, is at most 0.5 s.
		// The 429 comes after 0.1 s, when Bob's read is out (the pod's throttle holds the requests not sent yet).
		pod.sim.fault({ path: PRESENCE, status: 429, retryAfter: new Date(Date.now() + 3000).toUTCString(), delayMs: 100 });
		const { result, order } = await getAliceBesideSlowBob(1000, { retry: { settings: { maxAttempts: 2, maxWaitSeconds: 5 } } });
		expect(result.json('Get')[0]).toMatchObject({ userId: ALICE, category: 'AVAILABLE' });
		expect(order).toEqual(['Alice arrived 429', 'Bob answered 200', 'Alice arrived 200']);
	});

	test('a pod slower than the timeout: the request is abandoned and retried', async () => {
		pod = await startPod();
		pod.sim.fault({ path: PRESENCE, delayMs: 1500 });
		const result = await getAlice({ ...RETRY, timeoutSeconds: 1 });
		expect(result.json('Get')[0]).toMatchObject({ category: 'AVAILABLE' });
		expect(pod.sim.requestsTo(PRESENCE)).toHaveLength(2);
	});

	test('a timeout on every attempt: an explained error after Max Attempts', async () => {
		pod = await startPod();
		pod.sim.fault({ path: PRESENCE, delayMs: 1300, times: 2 });
		const result = await getAlice({ retry: { settings: { maxAttempts: 2, maxWaitSeconds: 1 } }, timeoutSeconds: 1 });
		expect(result.json('Get')[0].error).toMatch(/^Could not reach Symphony at http:\/\/127\.0\.0\.1:\d+ while reading the presence of user 7215545058313: the pod did not answer in time after 2 attempts$/);
	});

	test.each([500, 503])('%i on every attempt: stops after Max Attempts with an explained error', async (status) => {
		pod = await startPod();
		pod.sim.fault({ path: PRESENCE, status, times: 10 });
		const result = await getAlice();
		expect(result.json('Get')[0].error).toMatch(new RegExp(`internal problem.*\\(${status}\\) after 4 attempts`));
		expect(pod.sim.requestsTo(PRESENCE)).toHaveLength(4);
	});

	test.each([400, 403, 404])('%i is never retried', async (status) => {
		pod = await startPod();
		pod.sim.fault({ path: PRESENCE, status, times: 10 });
		const result = await getAlice();
		expect(result.json('Get')[0].error).toMatch(new RegExp(`\\(${status}`));
		expect(pod.sim.requestsTo(PRESENCE)).toHaveLength(1);
	});

	test('401 with a session token: not retried by us, a clear message', async () => {
		pod = await startPod();
		pod.sim.fault({ path: PRESENCE, status: 401, times: 10 });
		const result = await getAlice();
		expect(result.json('Get')[0].error).toMatch(/invalid or has expired \(401\)/);
		// n8n itself sends once more after a 401 (it re-authenticates where the credential can).
		expect(pod.sim.requestsTo(PRESENCE).length).toBeLessThanOrEqual(2);
	});

	test('a pod that refuses connections: retried, then an explained error', async () => {
		pod = await startPod();
		await pod.sim.close();
		const result = await getAlice({ retry: { settings: { maxAttempts: 2, maxWaitSeconds: 1 } } });
		expect(result.json('Get')[0].error).toMatch(/Could not reach Symphony.*the pod refused the connection after 2 attempts/);
		expect(result.json('Get')[0].description).toMatch(/Check the Pod URL/);
	});

	test('an unknown host name: explained (DNS)', async () => {
		pod = await startPod({}, { podUrl: 'http://symphony-pod.invalid' });
		const result = await getAlice({ retry: { settings: { maxAttempts: 2, maxWaitSeconds: 1 } } });
		expect(result.json('Get')[0].error).toMatch(/Could not reach Symphony.*host name could not be (found|resolved)/);
	});

	test('register interest rides out a 503: sending the same IDs again is harmless', async () => {
		pod = await startPod();
		pod.sim.fault({ path: '/pod/v1/user/presence/register', status: 503, retryAfter: '0' });
		const result = await pod.harness.run(chain([{ name: 'Register', parameters: register(`${ALICE},${BOB}`, RETRY) }]));
		expect(result.json('Register').map((r) => r.userId)).toEqual([ALICE, BOB]);
		expect(pod.sim.requestsTo('/pod/v1/user/presence/register').map((r) => r.status)).toEqual([503, 200]);
	});

	test('a userId beyond 2^53 in a response is read exactly', async () => {
		pod = await startPod();
		pod.sim.fault({ path: PRESENCE, body: '{"category":"AWAY","userId":9223372036854775807,"timestamp":1700000000000}' });
		const result = await getAlice();
		expect(result.json('Get')[0]).toMatchObject({ userId: '9223372036854775807', category: 'AWAY', timestampIso: '2023-11-14T22:13:20.000Z' });
	});

	test('no fault path exposes the token', async () => {
		pod = await startPod();
		const faults = [
			{ status: 400 },
			{ status: 401, times: 2 }, // n8n sends once more after a 401
			{ status: 403 },
			{ status: 404 },
			{ status: 429, retryAfter: '999' },
			{ status: 500, times: 4 },
			{ reset: true, times: 4 },
			{ body: '<html>login</html>' },
		];
		for (const fault of faults) {
			pod.sim.fault({ path: PRESENCE, ...fault });
			const continued = await getAlice();
			expect([fault, continued.json('Get')[0].error]).toEqual([fault, expect.any(String)]);
			expectNoSecrets(continued.run, [SECRET_TOKEN]);
			pod.sim.fault({ path: PRESENCE, ...fault });
			const stopped = await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ userId: ALICE, options: RETRY }) }]));
			expect(stopped.error).toBeDefined();
			expectNoSecrets(stopped.run, [SECRET_TOKEN]);
		}
	});
});
