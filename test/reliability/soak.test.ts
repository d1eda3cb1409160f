/* eslint-disable no-console -- development code: runs in Node, never packed */
import { chain } from '../harness';
import type { SimUser } from '../simulator';
import { expectNoSecrets } from '../support/secrets';
import { BOT, SECRET_TOKEN, getPresence, register, startPod } from '../support/pod';

const USERS = 1000;
const MAX_ATTEMPTS = 5;

/**
 * A 1,000-user register + get workflow while 10% of all requests fail at random (seeded): every
 * item must end either with a presence or with an explained error, none missing, none doubled, and
 * no request repeated more often than the retry policy allows.
 */
test('soak: 1,000 users, 10% random faults', async () => {
	const users: SimUser[] = [{ id: BOT }, ...Array.from({ length: USERS }, (_, i) => ({ id: String(7_215_545_100_000 + i), presence: i % 3 ? 'AVAILABLE' : 'BUSY' }))];
	const ids = users.slice(1).map((u) => u.id);
	const pod = await startPod({
		users,
		chaos: { rate: 0.1, seed: 20261128, kinds: ['429', '500', '502', '503', '504', 'reset', 'html'] },
	});
	try {
		const options = { retry: { settings: { maxAttempts: MAX_ATTEMPTS, maxWaitSeconds: 1 } } };
		const started = Date.now();
		const result = await pod.harness.run(
			chain(
				[
					{ name: 'Register', parameters: register('={{ $json.id }}', options), continueOnFail: true },
					{ name: 'Get', parameters: getPresence({ options: { ...options, concurrency: 10 } }), continueOnFail: true },
				],
				ids.map((id) => ({ id })),
			),
		);
		const seconds = (Date.now() - started) / 1000;
		expect(result.error).toBeUndefined();

		const registered = result.items('Register');
		expect(registered).toHaveLength(USERS);
		expect(registered.map((i) => i.pairedItem)).toEqual(ids.map((_, item) => ({ item })));

		const read = result.items('Get');
		expect(read).toHaveLength(USERS);
		expect(read.map((i) => i.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		const succeeded = read.filter((i) => typeof i.json.category === 'string');
		const failed = read.filter((i) => i.json.error !== undefined);
		expect(succeeded.length + failed.length).toBe(USERS);
		for (const item of failed) {
			expect(item.json.error).toMatch(/while (reading the presence|registering interest)/);
			expect(item.json.description).toEqual(expect.any(String));
		}
		for (const item of succeeded) expect(ids).toContain(item.json.userId);
		expect(new Set(succeeded.map((i) => i.json.userId)).size).toBe(succeeded.length);

		// Retries within policy: no user was asked more than MAX_ATTEMPTS times.
		const perPath = new Map<string, number>();
		for (const r of pod.sim.requestsTo('/pod/v3/user/')) perPath.set(r.path, (perPath.get(r.path) ?? 0) + 1);
		expect(Math.max(...perPath.values())).toBeLessThanOrEqual(MAX_ATTEMPTS);
		expect(perPath.size).toBe(USERS);
		const registerRequests = pod.sim.requestsTo('/pod/v1/user/presence/register').length;
		expect(registerRequests).toBeLessThanOrEqual(MAX_ATTEMPTS);

		const injected = Object.values(pod.sim.chaosInjected).reduce((a, b) => a + b, 0);
		expect(injected).toBeGreaterThan(50);
		const requests = pod.sim.requests.length;
		console.log(
			`soak: ${USERS} items in, ${registered.length} + ${read.length} items out; ${requests} requests, ` +
				`${injected} faults injected ${JSON.stringify(pod.sim.chaosInjected)}, ${requests - USERS - 1} retries; ` +
				`${succeeded.length} presences, ${failed.length} explained errors; ${seconds.toFixed(1)} s`,
		);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	} finally {
		await pod.sim.close();
	}
}, 60_000);
