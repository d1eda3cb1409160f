import type { IDataObject } from 'n8n-workflow';

import { chain } from '../../../harness';
import { ALICE, CAROL_EXTERNAL, startPod, type PodFixture } from '../../../support/pod';

/** Node version 2 with the User locator, as the editor saves it. */
const v2 = (name: string, parameters: IDataObject) => ({ name, parameters, typeVersion: 2 });

describe('the User field: a person picked From List is output by the name the list showed', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test.each([
		['a colleague', ALICE, 'Alice Martin · alice@acme.example · Acme', 'Alice Martin'],
		['a person at another firm', CAROL_EXTERNAL, 'External · Carol Diaz · Globex', 'Carol Diaz'],
	])('Presence → Get, %s: displayName comes from the picked entry, with no request beyond the read', async (_name, userId, entry, displayName) => {
		pod = await startPod();
		pod.sim.interest.set(pod.sim.callerId, new Map([[CAROL_EXTERNAL, pod.sim.now()]]));
		const user = { __rl: true, mode: 'list', value: userId, cachedResultName: entry };
		const result = await pod.harness.run(chain([v2('Get', { resource: 'presence', operation: 'get', user })]));
		expect(result.json('Get')).toEqual([expect.objectContaining({ userId, displayName })]);
		expect(pod.sim.requests.map((r) => r.path)).toEqual([`/pod/v3/user/${userId}/presence`]);
	});

	test('User → Get outputs Symphony\'s own record (its displayName, here none), never the picked entry instead', async () => {
		pod = await startPod();
		const user = { __rl: true, mode: 'list', value: ALICE, cachedResultName: 'Alice Martin · alice@acme.example · Acme' };
		const result = await pod.harness.run(chain([v2('Users', { resource: 'user', operation: 'get', user })]));
		expect(result.json('Users')[0]).toMatchObject({ userId: ALICE, email: 'alice@acme.example', displayName: null });
	});

	test.each([
		['By ID', { __rl: true, mode: 'id', value: ALICE, cachedResultName: 'Alice Martin · alice@acme.example · Acme' }],
		['From List as an expression (a name picked earlier would name every item)', { __rl: true, mode: 'list', value: '={{ $json.userId }}', cachedResultName: 'Bob Chen' }],
		['From List saved without the entry', { __rl: true, mode: 'list', value: ALICE }],
	])('%s: no name is invented', async (_name, user) => {
		pod = await startPod();
		const result = await pod.harness.run(chain([v2('Get', { resource: 'presence', operation: 'get', user })], [{ userId: ALICE }]));
		expect(result.json('Get')[0]).toMatchObject({ userId: ALICE, category: 'AVAILABLE' });
		expect(result.json('Get')[0].displayName).toBeUndefined();
	});
});
