import { chain } from '../../../../harness';
import { PRESENCE_PRIVILEGE, USER_PROVISIONING, type PodSimulator } from '../../../../simulator';
import { expectNoSecrets } from '../../../../support/secrets';
import { BOB, BOT, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';

const ADMIN = [{ token: SECRET_TOKEN, userId: BOT, privileges: [PRESENCE_PRIVILEGE, USER_PROVISIONING] }];
const PAGES = '/pod/v2/users/presence';

function getMany(parameters: Record<string, unknown>) {
	return { resource: 'presence', operation: 'getMany', ...parameters };
}

/** Adds `count` colleagues with IDs above the test users', every third one BUSY, and returns all internal IDs in order. */
function addColleagues(sim: PodSimulator, count: number): string[] {
	for (let i = 0; i < count; i++) {
		sim.addUser({ id: String(7215545090000 + i), presence: i % 3 === 0 ? 'BUSY' : 'AVAILABLE' });
	}
	return [...sim.users.values()]
		.filter((user) => !user.external)
		.map((user) => user.id)
		.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
}

describe('Presence → Get Many', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('Return All pages by lastUserId across 4 pages; the repeated boundary user comes out once', async () => {
		pod = await startPod({ sessions: ADMIN });
		const everyone = addColleagues(pod.sim, 22);
		const result = await pod.harness.run(chain([{ name: 'All', parameters: getMany({ returnAll: true, options: { pageSize: 8 } }) }]));

		const pages = pod.sim.requestsTo(PAGES);
		expect(pages.map((r) => r.query)).toEqual([
			{ limit: '8' },
			{ limit: '8', lastUserId: everyone[7] },
			{ limit: '8', lastUserId: everyone[14] },
			{ limit: '8', lastUserId: everyone[21] },
		]);
		const output = result.json('All');
		expect(output.map((p) => p.userId)).toEqual(everyone);
		expect(new Set(output.map((p) => p.userId)).size).toBe(everyone.length);
		expect(result.items('All').every((i) => JSON.stringify(i.pairedItem) === '{"item":0}')).toBe(true);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('Limit stops as soon as enough users are read, and asks only for what is missing', async () => {
		pod = await startPod({ sessions: ADMIN });
		const everyone = addColleagues(pod.sim, 30);
		const result = await pod.harness.run(chain([{ name: 'Some', parameters: getMany({ limit: 13, options: { pageSize: 10 } }) }]));
		expect(result.json('Some').map((p) => p.userId)).toEqual(everyone.slice(0, 13));
		// The second page asks for the 3 missing users plus the boundary user it starts with.
		expect(pod.sim.requestsTo(PAGES).map((r) => r.query)).toEqual([{ limit: '10' }, { limit: '4', lastUserId: everyone[9] }]);
	});

	test('default Limit is 50 and the default page size 1,000 (Symphony\'s)', async () => {
		pod = await startPod({ sessions: ADMIN });
		addColleagues(pod.sim, 60);
		const limited = await pod.harness.run(chain([{ name: 'Some', parameters: getMany({}) }]));
		expect(limited.json('Some')).toHaveLength(50);
		await pod.harness.run(chain([{ name: 'All', parameters: getMany({ returnAll: true }) }]));
		expect(pod.sim.requestsTo(PAGES).map((r) => r.query.limit)).toEqual(['50', '1000']);
	});

	test('Only Statuses filters, and the Limit counts matching users across pages', async () => {
		pod = await startPod({ sessions: ADMIN });
		const everyone = addColleagues(pod.sim, 30);
		const result = await pod.harness.run(
			chain([{ name: 'Busy', parameters: getMany({ limit: 8, options: { pageSize: 10, statuses: ['BUSY', 'ON_THE_PHONE'] } }) }]),
		);
		// Bob is on the phone, every third colleague busy: the 8th match is everyone[21], on the third page.
		const busy = result.json('Busy');
		expect(busy.map((p) => [p.userId, p.category])).toEqual([
			[BOB, 'ON_THE_PHONE'],
			...[0, 3, 6, 9, 12, 15, 18].map((i) => [everyone[3 + i], 'BUSY']),
		]);
		// Every page asks for a full Page Size: how many of its users match is not known before.
		expect(pod.sim.requestsTo(PAGES).map((r) => r.query)).toEqual([
			{ limit: '10' },
			{ limit: '10', lastUserId: everyone[9] },
			{ limit: '10', lastUserId: everyone[18] },
		]);
	});

	test('statuses Symphony adds later pass through', async () => {
		pod = await startPod({ sessions: ADMIN });
		pod.sim.setPresence(BOT, 'FOCUS_TIME');
		const result = await pod.harness.run(chain([{ name: 'All', parameters: getMany({ returnAll: true }) }]));
		expect(result.json('All').find((p) => p.userId === BOT)?.category).toBe('FOCUS_TIME');
	});

	test('Only Statuses selects statuses Symphony added, and refuses one Symphony cannot have, naming it', async () => {
		pod = await startPod({ sessions: ADMIN });
		addColleagues(pod.sim, 3);
		pod.sim.setPresence(BOT, 'FOCUS_TIME');
		const result = await pod.harness.run(
			chain(
				[{ name: 'Some', parameters: getMany({ returnAll: true, options: { statuses: '={{ $json.statuses }}' } }), continueOnFail: true }],
				[{ statuses: 'focus_time' }, { statuses: 'focus time' }],
			),
		);
		const [focused, refused] = result.json('Some');
		expect(focused).toMatchObject({ userId: BOT, category: 'FOCUS_TIME' });
		expect(refused.error).toMatch(/^Only Statuses: "FOCUS TIME" is not a Symphony status\. Pick statuses from the list, or type each as Symphony writes statuses/);
		expect(result.json('Some')).toHaveLength(2);
		expect(pod.sim.requestsTo(PAGES)).toHaveLength(1);
	});

	test('without the User Provisioning role: 403 that names it', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'All', parameters: getMany({ returnAll: true }), continueOnFail: true }]));
		const [item] = result.json('All');
		expect(item.error).toMatch(/refused access while reading everyone's presence \(403 Forbidden\)/);
		expect(item.description).toMatch(/needs the User Provisioning role/);
	});

	test('a bad Limit or Page Size fails its own item, paired, while the others are read', async () => {
		pod = await startPod({ sessions: ADMIN });
		addColleagues(pod.sim, 5);
		const result = await pod.harness.run(
			chain(
				[{ name: 'Some', parameters: getMany({ limit: '={{ $json.limit }}', options: { pageSize: '={{ $json.pageSize }}' } }), continueOnFail: true }],
				[
					{ limit: 2, pageSize: 100 },
					{ limit: 0, pageSize: 100 },
					{ limit: 1, pageSize: 5001 },
					{ limit: 3, pageSize: 100 },
				],
			),
		);
		const items = result.items('Some');
		expect(items.map((i) => [i.json.userId ? 'user' : 'error', i.pairedItem])).toEqual([
			['user', { item: 0 }],
			['user', { item: 0 }],
			['error', { item: 1 }],
			['error', { item: 2 }],
			['user', { item: 3 }],
			['user', { item: 3 }],
			['user', { item: 3 }],
		]);
		expect(items[2].json.error).toBe('Limit: 0 is not a whole number from 1 to 1000000. Enter a number from 1 to 1000000');
		expect(items[3].json.error).toMatch(/^Page Size: 5001 is not a whole number from 2 to 5000/);
		expect(pod.sim.requestsTo(PAGES)).toHaveLength(2);
	});
});

describe('Presence → Get Many, version 2 (Simplify)', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('Simplify is on by default: user ID, status and when it was set; off gives everything, as version 1', async () => {
		pod = await startPod({ sessions: ADMIN });
		const everyone = addColleagues(pod.sim, 3);
		const simple = await pod.harness.run(chain([{ name: 'All', typeVersion: 2, parameters: getMany({ returnAll: true }) }]));
		expect(simple.json('All').map((p) => Object.keys(p))).toEqual(everyone.map(() => ['userId', 'category', 'timestampIso']));
		expect(simple.json('All').map((p) => p.userId)).toEqual(everyone);
		const full = await pod.harness.run(chain([{ name: 'All', typeVersion: 2, parameters: getMany({ returnAll: true, simplify: false }) }]));
		const v1 = await pod.harness.run(chain([{ name: 'All', parameters: getMany({ returnAll: true }) }]));
		// OFFLINE users' timestamp is the time of the query, so compare everything else.
		const withoutTime = (output: Array<Record<string, unknown>>) => output.map((item) => {
			const rest = { ...item };
			delete rest.timestamp;
			delete rest.timestampIso;
			return rest;
		});
		expect(withoutTime(full.json('All'))).toEqual(withoutTime(v1.json('All')));
		expect(full.json('All').map((p) => Object.keys(p))).toEqual(v1.json('All').map(() => ['userId', 'category', 'timestamp', 'timestampIso']));
	});
});
