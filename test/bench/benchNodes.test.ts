import { PER_ITEM_REQUEST_TYPE, READ_PARAMETER_TYPE, registerBenchNodes } from '../../bench/benchNodes';
import { chain } from '../harness';
import { ALICE, BOB, CAROL_EXTERNAL, SECRET_TOKEN, startPod, type PodFixture } from '../support/pod';

/** The benchmarks' baseline must be what it claims: one authenticated request per item, paced as asked. */
describe('bench node types', () => {
	let pod: PodFixture;
	beforeAll(() => registerBenchNodes());
	afterEach(async () => await pod.sim.close());

	const users = [ALICE, BOB, CAROL_EXTERNAL];
	const registerPerItem = (parameters: Record<string, unknown>) =>
		chain(
			[
				{
					name: 'HTTP Request',
					type: PER_ITEM_REQUEST_TYPE,
					parameters: { method: 'POST', url: `${pod.sim.url}/pod/v1/user/presence/register`, jsonBody: '=[{{ $json.userId }}]', ...parameters },
				},
			],
			users.map((userId) => ({ userId })),
		);
	const arrivals = () => pod.sim.requestsTo('/pod/v1/user/presence/register', 'POST').map((r) => r.at);

	test('sends one register request per item with the credential, all at once by default', async () => {
		pod = await startPod({ latencyMs: 50 });
		const result = await pod.harness.run(registerPerItem({ pacing: 'allAtOnce' }));
		expect(result.error).toBeUndefined();
		const requests = pod.sim.requestsTo('/pod/v1/user/presence/register', 'POST');
		expect(requests.map((r) => r.body).sort()).toEqual(users.map((id) => `[${id}]`).sort());
		for (const request of requests) expect(request.headers.sessiontoken).toBe(SECRET_TOKEN);
		expect(result.items('HTTP Request').map((item) => [item.json.response, item.pairedItem])).toEqual(
			users.map((_, item) => [{ format: 'TEXT', message: 'OK' }, { item }]),
		);
		// All three were sent before the first answer (50 ms) came back.
		expect(Math.max(...arrivals()) - Math.min(...arrivals())).toBeLessThan(50);
	});

	test('one at a time waits for each answer; batched waits the interval between batches', async () => {
		pod = await startPod({ latencyMs: 40 });
		await pod.harness.run(registerPerItem({ pacing: 'oneAtATime' }));
		const sequential = arrivals();
		expect(sequential).toHaveLength(3);
		for (let i = 1; i < 3; i++) expect(sequential[i] - sequential[i - 1]).toBeGreaterThanOrEqual(40);

		pod.sim.requests.length = 0;
		const started = Date.now();
		await pod.harness.run(registerPerItem({ pacing: 'batched', batchSize: 2, batchInterval: 150 }));
		const batched = arrivals();
		expect(batched[1] - batched[0]).toBeLessThan(40);
		// Measured from the start of the run: the first request's connection set-up can delay its
		// arrival on a busy machine, the run's start cannot come after its sending.
		expect(batched[2] - started).toBeGreaterThanOrEqual(150);
	});

	test('a refused request stops the node, as the HTTP Request node without Continue On Fail', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain(
				[
					{
						name: 'HTTP Request',
						type: PER_ITEM_REQUEST_TYPE,
						parameters: { method: 'GET', url: `=${pod.sim.url}/pod/v3/user/{{ $json.userId }}/presence`, pacing: 'allAtOnce' },
					},
				],
				[{ userId: ALICE }, { userId: '424242' }],
			),
		);
		// n8n's own message for a 404, as the HTTP Request node shows it.
		expect(result.error?.message).toBe('The resource you are requesting could not be found');
		expect((result.error as { httpCode?: string }).httpCode).toBe('404');
	});

	test('Read Parameter evaluates the parameter once per item and sends nothing', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Read Parameter', type: READ_PARAMETER_TYPE, parameters: { value: '={{ $json.userId }}' } }], users.map((userId) => ({ userId }))),
		);
		expect(result.json('Read Parameter')).toEqual([{ items: 3, characters: users.join('').length }]);
		expect(pod.sim.requests).toHaveLength(0);
	});
});
