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
	const REGISTER = '/pod/v1/user/presence/register';
	/** Arrivals and answers of the register requests, each named by its user: "arrived <id>", "answered <id>". */
	const registerEvents = () =>
		pod.sim.events.filter(({ request }) => request.path === REGISTER).map(({ kind, request }) => `${kind} ${request.body.slice(1, -1)}`);

	test('sends one register request per item with the credential, all at once by default', async () => {
		pod = await startPod({ latencyMs: 200 });
		const result = await pod.harness.run(registerPerItem({ pacing: 'allAtOnce' }));
		expect(result.error).toBeUndefined();
		const requests = pod.sim.requestsTo(REGISTER, 'POST');
		expect(requests.map((r) => r.body).sort()).toEqual(users.map((id) => `[${id}]`).sort());
		for (const request of requests) expect(request.headers.sessiontoken).toBe(SECRET_TOKEN);
		expect(result.items('HTTP Request').map((item) => [item.json.response, item.pairedItem])).toEqual(
			users.map((_, item) => [{ format: 'TEXT', message: 'OK' }, { item }]),
		);
		// All three were sent before the first answer (200 ms) came back.
		expect(pod.sim.events.map((e) => e.kind)).toEqual(['arrived', 'arrived', 'arrived', 'answered', 'answered', 'answered']);
	});

	test('one at a time sends each item after the previous answer', async () => {
		pod = await startPod({ latencyMs: 40 });
		await pod.harness.run(registerPerItem({ pacing: 'oneAtATime' }));
		expect(registerEvents()).toEqual(users.flatMap((id) => [`arrived ${id}`, `answered ${id}`]));
	});

	test('batched sends a batch at once and the next after the interval, without waiting for answers', async () => {
		// Answers take 100 ms, the first one 700 ms; batches of 2, 300 ms apart. The third item comes
		// after the second's answer (so not with the first batch) and before the first's (so not
		// held up by the answers).
		pod = await startPod({ latencyMs: 100 });
		pod.sim.fault({ path: REGISTER, delayMs: 600 });
		await pod.harness.run(registerPerItem({ pacing: 'batched', batchSize: 2, batchInterval: 300 }));
		const [first, second] = pod.sim.requestsTo(REGISTER).map((r) => r.body.slice(1, -1));
		expect([first, second].sort()).toEqual([ALICE, BOB].sort());
		expect(registerEvents()).toEqual([
			`arrived ${first}`,
			`arrived ${second}`,
			`answered ${second}`,
			`arrived ${CAROL_EXTERNAL}`,
			`answered ${CAROL_EXTERNAL}`,
			`answered ${first}`,
		]);
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
