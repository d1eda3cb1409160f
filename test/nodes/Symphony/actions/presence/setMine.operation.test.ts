import { chain } from '../../../../harness';
import { expectNoSecrets } from '../../../../support/secrets';
import { BOT, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';

function setMine(parameters: Record<string, unknown>) {
	return { resource: 'presence', operation: 'setMine', ...parameters };
}

describe('Presence → Set Mine', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('sets a listed status; the body is {category} and soft is sent as asked', async () => {
		pod = await startPod();
		pod.sim.setPresence(BOT, 'AVAILABLE');
		const result = await pod.harness.run(chain([{ name: 'Set', parameters: setMine({ status: 'BUSY', soft: true }) }]));
		expect(result.json('Set')[0]).toMatchObject({ userId: BOT, category: 'BUSY' });
		const [request] = pod.sim.requestsTo('/pod/v2/user/presence', 'POST');
		expect(request.body).toBe('{"category":"BUSY"}');
		expect(request.query).toEqual({ soft: 'true' });
		expect(pod.sim.users.get(BOT)!.presence).toBe('BUSY');
	});

	test('Soft keeps an offline user offline; without it the status applies at once', async () => {
		pod = await startPod();
		pod.sim.setPresence(BOT, 'OFFLINE');
		const soft = await pod.harness.run(chain([{ name: 'Set', parameters: setMine({ status: 'AVAILABLE', soft: true }) }]));
		expect(soft.json('Set')[0].category).toBe('OFFLINE');
		const hard = await pod.harness.run(chain([{ name: 'Set', parameters: setMine({ status: 'AVAILABLE' }) }]));
		expect(hard.json('Set')[0].category).toBe('AVAILABLE');
		expect(pod.sim.requestsTo('/pod/v2/user/presence', 'POST').map((r) => r.query.soft)).toEqual(['true', 'false']);
	});

	test('Custom Value sends a status the list does not have', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Set', parameters: setMine({ status: 'custom', customStatus: 'focus_time' }) }]));
		expect(result.json('Set')[0].category).toBe('FOCUS_TIME');
		expect(pod.sim.requests[0].body).toBe('{"category":"FOCUS_TIME"}');
	});

	test('a status from an expression that is not listed fails its item only, paired, before any request for it', async () => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Set', parameters: setMine({ status: '={{ $json.status }}' }), continueOnFail: true }], [
				{ status: 'busy' },
				{ status: 'FOCUS_TIME' },
				{ status: 'AWAY' },
			]),
		);
		const items = result.items('Set');
		expect(items.map((i) => [i.json.category ?? null, i.pairedItem])).toEqual([
			['BUSY', { item: 0 }],
			[null, { item: 1 }],
			['AWAY', { item: 2 }],
		]);
		expect(items[1].json.error).toMatch(/^Status: "FOCUS_TIME" is not one of the listed statuses/);
		expect(items[1].json.description).toMatch(/choose "Custom Value"/);
		expect(pod.sim.requests.map((r) => r.body)).toEqual(['{"category":"BUSY"}', '{"category":"AWAY"}']);

		const stopped = await pod.harness.run(
			chain([{ name: 'Set', parameters: setMine({ status: 'custom', customStatus: 'not a status' }) }]),
		);
		expect(stopped.error?.message).toMatch(/Custom Status: "not a status" is not a Symphony status/);
	});

	test('403 names the privilege Set Mine needs', async () => {
		pod = await startPod({ sessions: [{ token: SECRET_TOKEN, userId: BOT, privileges: [] }] });
		const result = await pod.harness.run(chain([{ name: 'Set', parameters: setMine({ status: 'BUSY' }), continueOnFail: true }]));
		const [item] = result.json('Set');
		expect(item.error).toMatch(/refused access while setting your own presence to BUSY \(403 Forbidden\)/);
		expect(item.description).toMatch(/needs the ADMIN_PRESENCE_UPDATE privilege/);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});
});
