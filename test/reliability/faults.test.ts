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

	test.each([
		['429 with Retry-After in seconds', { status: 429, retryAfter: '1' }, 950],
		['500', { status: 500 }, 200],
		['502', { status: 502 }, 200],
		['503 with Retry-After', { status: 503, retryAfter: '1' }, 950],
		['504', { status: 504 }, 200],
		['connection reset', { reset: true }, 200],
	])('%s: retried, then the item succeeds', async (_name, fault, minimumWaitMs) => {
		pod = await startPod();
		pod.sim.fault({ path: PRESENCE, ...fault });
		const started = Date.now();
		const result = await getAlice();
		expect(result.json('Get')).toEqual([expect.objectContaining({ userId: ALICE, category: 'AVAILABLE' })]);
		expect(pod.sim.requestsTo(PRESENCE)).toHaveLength(2);
		expect(Date.now() - started).toBeGreaterThanOrEqual(minimumWaitMs);
	});

	test('429 with Retry-After as an HTTP date: waits until then', async () => {
		pod = await startPod();
		// HTTP dates have whole seconds: 3 s ahead is at least 2 s of waiting.
		pod.sim.fault({ path: PRESENCE, status: 429, retryAfter: new Date(Date.now() + 3000).toUTCString() });
		const started = Date.now();
		const result = await getAlice({ retry: { settings: { maxAttempts: 2, maxWaitSeconds: 5 } } });
		expect(result.json('Get')[0]).toMatchObject({ category: 'AVAILABLE' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
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
