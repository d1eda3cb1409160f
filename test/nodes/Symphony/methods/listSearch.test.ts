import { SEARCH_PAGE_SIZE } from '../../../../nodes/Symphony/api/users';
import { ROOM_PAGE_SIZE } from '../../../../nodes/Symphony/methods/listSearch';
import { MAX_ENTRY_LENGTH } from '../../../../nodes/Symphony/helpers/userEntries';
import { tenantOfUserId } from '../../../../nodes/Symphony/helpers/userIds';
import type { SimUser } from '../../../simulator';
import { simRoomsOf } from '../../../simulator/routes/rooms';
import { ALICE, BOT, CAROL_EXTERNAL, SECRET_TOKEN, startPod, testUsers, type PodFixture } from '../../../support/pod';
import { RSA, startRsaPod } from '../../../support/rsa';
import { expectNoSecrets } from '../../../support/secrets';

/** The editor's parameters for Presence → Get (version 2) while the User field is being filled. */
const EDITOR_PARAMETERS = { resource: 'presence', operation: 'get', user: { __rl: true, mode: 'list', value: '' } };

function people(): SimUser[] {
	return testUsers().map((user) =>
		user.id === ALICE ? { ...user, displayName: 'Alice Martin', company: 'Acme' } : user.id === CAROL_EXTERNAL ? { ...user, displayName: 'Carol Diaz', company: 'Globex' } : user,
	);
}

describe('User field → From List (listSearch searchUsers)', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('lists matches with display name, email and company; people of other pods are marked external and their value is the exact ID', async () => {
		pod = await startPod({ users: people() });
		const alice = await pod.harness.listSearch({ method: 'searchUsers', parameters: EDITOR_PARAMETERS, typeVersion: 2, filter: 'alice' });
		expect(alice).toEqual({ results: [{ name: 'Alice Martin · alice@acme.example · Acme', value: ALICE }] });
		expect(pod.sim.requestsTo('/pod/v2/sessioninfo')).toHaveLength(1);

		const carol = await pod.harness.listSearch({ method: 'searchUsers', parameters: EDITOR_PARAMETERS, typeVersion: 2, filter: 'Carol' });
		// Symphony leaves the email of people at other firms out of search results.
		expect(carol.results).toEqual([{ name: 'External · Carol Diaz · Globex', value: CAROL_EXTERNAL }]);

		const [search] = pod.sim.requestsTo('/pod/v1/user/search', 'POST');
		expect(search.query).toEqual({ skip: '0', limit: String(SEARCH_PAGE_SIZE), local: 'false' });
		expect(JSON.parse(search.body)).toEqual({ query: 'alice' });
		expect(search.headers.sessiontoken).toBe(SECRET_TOKEN);
	});

	test('long entries keep the External marker and stay within the width the panel shows uncut', async () => {
		const long: SimUser[] = [
			{ id: '7215545058399', username: 'amelia', email: 'amelia.smithers@acme-bank.example', displayName: 'Amelia Smithers', company: 'Acme Bank' },
			{ id: '14568529068099', username: 'amelia.x', email: 'amelia.smithers@globex-bank.example', displayName: 'Amelia Smithers', company: 'Globex Bank', external: true, connected: true },
			{
				id: '14568529068100',
				username: 'long.name',
				displayName: 'Amelia Konstantinopoulou-Vanderbilt-Smithers of Globex',
				company: 'Globex Bank',
				external: true,
				connected: true,
			},
		];
		pod = await startPod({ users: [...testUsers(), ...long] });
		const found = await pod.harness.listSearch({ method: 'searchUsers', parameters: EDITOR_PARAMETERS, typeVersion: 2, filter: 'amelia' });
		expect(found.results).toEqual([
			// The email does not fit beside the name, the company does.
			{ name: 'Amelia Smithers · Acme Bank', value: '7215545058399' },
			{ name: 'External · Amelia Smithers · Globex Bank', value: '14568529068099' },
			{ name: 'External · Amelia Konstantinopoulou-Vanderb…', value: '14568529068100' },
		]);
		for (const entry of found.results) expect(entry.name.length).toBeLessThanOrEqual(MAX_ENTRY_LENGTH);
	});

	test('pages through n8n\'s paginationToken until Symphony\'s count is reached', async () => {
		const many: SimUser[] = Array.from({ length: SEARCH_PAGE_SIZE + 7 }, (_, index) => ({
			id: String(7215545060000n + BigInt(index)),
			username: `trader${index}`,
			displayName: `Trader ${String(index).padStart(3, '0')}`,
			company: 'Acme',
		}));
		pod = await startPod({ users: [...testUsers(), ...many] });
		const first = await pod.harness.listSearch({ method: 'searchUsers', parameters: EDITOR_PARAMETERS, typeVersion: 2, filter: 'trader' });
		expect(first.results).toHaveLength(SEARCH_PAGE_SIZE);
		expect(first.paginationToken).toBe(`${SEARCH_PAGE_SIZE}:${tenantOfUserId(BOT)}`);
		const second = await pod.harness.listSearch({
			method: 'searchUsers',
			parameters: EDITOR_PARAMETERS,
			typeVersion: 2,
			filter: 'trader',
			paginationToken: first.paginationToken as string,
		});
		expect(second.results).toHaveLength(7);
		expect(second.paginationToken).toBeUndefined();
		const values = [...first.results, ...second.results].map((entry) => entry.value);
		expect(new Set(values)).toEqual(new Set(many.map((user) => user.id)));
		expect(pod.sim.requestsTo('/pod/v1/user/search', 'POST').map((r) => r.query.skip)).toEqual(['0', String(SEARCH_PAGE_SIZE)]);
		// The caller's tenant is read with the first page and carried to the next in the token.
		expect(pod.sim.requestsTo('/pod/v2/sessioninfo')).toHaveLength(1);
	});

	test('an empty search sends nothing; no match is an empty list', async () => {
		pod = await startPod();
		expect(await pod.harness.listSearch({ method: 'searchUsers', parameters: EDITOR_PARAMETERS, typeVersion: 2, filter: '  ' })).toEqual({ results: [] });
		expect(pod.sim.requests).toHaveLength(0);
		expect(await pod.harness.listSearch({ method: 'searchUsers', parameters: EDITOR_PARAMETERS, typeVersion: 2, filter: 'nobody' })).toEqual({ results: [] });
	});

	test('a refused token gives the node\'s message, without the token', async () => {
		pod = await startPod();
		pod.sim.sessions.clear();
		const failure = await pod.harness
			.listSearch({ method: 'searchUsers', parameters: EDITOR_PARAMETERS, typeVersion: 2, filter: 'alice' })
			.then(() => undefined, (error: Error) => error);
		expect(failure?.message).toMatch(/session token is invalid or has expired \(401\) while (searching users for "alice"|reading the session info)/);
		expectNoSecrets(failure, [SECRET_TOKEN]);
	});

	test('with the RSA key credential the search logs in first and uses the new session', async () => {
		const rsa = await startRsaPod();
		pod = rsa;
		const found = await rsa.harness.listSearch({
			method: 'searchUsers',
			parameters: { ...EDITOR_PARAMETERS, ...RSA },
			typeVersion: 2,
			filter: 'alice',
			credentials: 'symphonyRsaApi',
		});
		expect(found.results.map((entry) => entry.value)).toEqual([ALICE]);
		expect(rsa.sim.requestsTo('/login/pubkey/authenticate', 'POST')).toHaveLength(1);
		const [search] = rsa.sim.requestsTo('/pod/v1/user/search', 'POST');
		expect(rsa.login.issued).toContain(search.headers.sessiontoken);
	});
});

/** The editor's parameters for Stream → Get Room while the Room field is being filled. */
const ROOM_EDITOR_PARAMETERS = { resource: 'stream', operation: 'getRoom', room: { __rl: true, mode: 'list', value: '' } };

describe('Room field → From List (listSearch searchRooms)', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	test('lists rooms the account may see with name and description, deactivated ones marked; the value is the stream ID', async () => {
		pod = await startPod();
		const rooms = simRoomsOf(pod.sim);
		const rates = rooms.create(BOT, { name: 'Rates desk', description: 'EMEA rates' });
		const old = rooms.create(ALICE, { name: 'Old rates', discoverable: true });
		old.active = false;
		rooms.create(ALICE, { name: 'Hidden rates' });
		const found = await pod.harness.listSearch({ method: 'searchRooms', parameters: ROOM_EDITOR_PARAMETERS, filter: ' rates ' });
		expect(found).toEqual({
			results: [
				{ name: 'Rates desk · EMEA rates', value: rates.stream.id },
				{ name: 'Old rates · Inactive', value: old.stream.id },
			],
		});
		const [search] = pod.sim.requestsTo('/pod/v3/room/search', 'POST');
		expect(search.query).toEqual({ skip: '0', limit: String(ROOM_PAGE_SIZE) });
		expect(search.body).toBe('{"query":"rates"}');
		expect(search.headers.sessiontoken).toBe(SECRET_TOKEN);
	});

	test('pages through n8n\'s paginationToken until Symphony\'s count is reached; an empty search sends nothing', async () => {
		pod = await startPod();
		for (let i = 0; i < ROOM_PAGE_SIZE + 3; i++) simRoomsOf(pod.sim).create(BOT, { name: `Desk ${i}` });
		expect(await pod.harness.listSearch({ method: 'searchRooms', parameters: ROOM_EDITOR_PARAMETERS, filter: '' })).toEqual({ results: [] });
		expect(pod.sim.requests).toHaveLength(0);
		const first = await pod.harness.listSearch({ method: 'searchRooms', parameters: ROOM_EDITOR_PARAMETERS, filter: 'desk' });
		expect(first.results).toHaveLength(ROOM_PAGE_SIZE);
		expect(first.paginationToken).toBe(String(ROOM_PAGE_SIZE));
		const second = await pod.harness.listSearch({ method: 'searchRooms', parameters: ROOM_EDITOR_PARAMETERS, filter: 'desk', paginationToken: first.paginationToken as string });
		expect(second.results.map((entry) => entry.name)).toEqual([`Desk ${ROOM_PAGE_SIZE}`, `Desk ${ROOM_PAGE_SIZE + 1}`, `Desk ${ROOM_PAGE_SIZE + 2}`]);
		expect(second.paginationToken).toBeUndefined();
	});
});
