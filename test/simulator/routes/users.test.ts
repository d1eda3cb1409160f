import { call } from '../call';
import { startSimulator, type PodSimulator } from '../index';

const BOT = '7215545057281';
const ALICE = '7215545058313';
const CAROL = '14568529068038';
const ERIN = '71811853191697';
const BIG = '9007199254740993';

describe('simulator: GET /pod/v3/users', () => {
	let sim: PodSimulator;
	beforeEach(async () => {
		sim = await startSimulator({
			users: [
				{ id: BOT, username: 'bot', email: 'bot@acme.example' },
				{ id: ALICE, username: 'alice', email: 'Alice@Acme.example', displayName: 'Alice Martin', company: 'Acme' },
				{ id: '7215545058315', username: 'gone', email: 'gone@acme.example', active: false },
				{ id: CAROL, username: 'carol', email: 'carol@globex.example', external: true, connected: true },
				{ id: ERIN, username: 'erin', email: 'erin@umbrella.example', external: true, connected: false },
				{ id: BIG, username: 'big', email: 'big@far.example', external: true, connected: true },
			],
		});
	});
	afterEach(async () => await sim.close());

	const get = async (query: string) => await call(sim, 'GET', `/pod/v3/users?${query}`);

	test('finds by email ignoring case, as UserV2 with the id as an exact bare number', async () => {
		const { status, text, json } = await get('email=alice@acme.example,BIG@far.example');
		expect(status).toBe(200);
		expect(text).toContain(`"id":${BIG}`);
		expect((json!.users as Array<Record<string, unknown>>).map((u) => [u.username, u.displayName])).toEqual([
			['alice', 'Alice Martin'],
			['big', undefined],
		]);
		expect(json!.errors).toBeUndefined();
	});

	test('by uid and by username', async () => {
		expect((await get(`uid=${ALICE},${CAROL}`)).json!.users).toHaveLength(2);
		expect(((await get('username=carol')).json!.users as Array<{ emailAddress: string }>)[0].emailAddress).toBe('carol@globex.example');
	});

	test('people at other firms are found only when connected, and never with local=true', async () => {
		expect((await get('email=erin@umbrella.example')).status).toBe(204);
		expect((await get('email=carol@globex.example&local=true')).status).toBe(204);
		expect((await get('email=carol@globex.example&local=false')).status).toBe(200);
	});

	test('active=true leaves out deactivated accounts, active=false keeps only them', async () => {
		expect((await get('username=gone&active=true')).status).toBe(204);
		expect((await get('username=gone&active=false')).status).toBe(200);
		expect((await get('username=alice&active=false')).status).toBe(204);
		expect((await get('username=gone')).status).toBe(200);
	});

	test('nothing found is 204 with no body', async () => {
		const { status, text } = await get('email=nobody@acme.example');
		expect([status, text]).toEqual([204, '']);
	});

	test('malformed values come back as per-entry errors beside the users found', async () => {
		const { status, json } = await get('email=notanemail,alice@acme.example');
		expect(status).toBe(200);
		expect(json!.errors).toEqual([{ error: 'invalid.format', email: 'notanemail' }]);
		expect(json!.users).toHaveLength(1);
		expect((await get('uid=12x')).json!.errors).toEqual([{ error: 'invalid.format', id: '12x' }]);
	});

	test.each([
		['more than 100 values', `email=${Array.from({ length: 101 }, (_, i) => `u${i}@acme.example`).join(',')}`, /101 elements; the maximum is 100/],
		['no list', 'local=true', /Exactly one of uid, email or username/],
		['two lists', 'uid=1&email=a@b.c', /Exactly one of uid, email or username/],
		['a bad flag', 'uid=1&active=yes', /Invalid active/],
	])('%s is a 400', async (_name, query, message) => {
		const { status, json } = await get(query);
		expect(status).toBe(400);
		expect(json!.message).toMatch(message);
	});

	test('100 values are fine', async () => {
		const emails = Array.from({ length: 99 }, (_, i) => `u${i}@acme.example`).concat('alice@acme.example');
		expect((await get(`email=${emails.join(',')}`)).status).toBe(200);
	});

	test('needs a session', async () => {
		expect((await call(sim, 'GET', '/pod/v3/users?uid=1', undefined, null)).status).toBe(401);
	});
});

describe('simulator: POST /pod/v1/user/search', () => {
	let sim: PodSimulator;
	beforeEach(async () => {
		sim = await startSimulator({
			users: [
				{ id: BOT, username: 'bot', email: 'bot@acme.example', displayName: 'Presence Bot' },
				{ id: ALICE, username: 'alice', email: 'alice@acme.example', displayName: 'Alice Martin', company: 'Acme' },
				{ id: '7215545058314', username: 'al', email: 'albert@acme.example', displayName: 'Albert Stone', company: 'Acme' },
				{ id: '7215545058315', username: 'gone', email: 'alan@acme.example', displayName: 'Alan Gone', active: false },
				{ id: CAROL, username: 'carol', email: 'carol@globex.example', displayName: 'Carol Diaz', company: 'Globex', external: true },
			],
		});
	});
	afterEach(async () => await sim.close());

	const search = async (qs: string, body: unknown) => await call(sim, 'POST', `/pod/v1/user/search${qs}`, JSON.stringify(body));

	test('matches the start of any name word or the email, pages by skip and limit, and counts all matches', async () => {
		const first = await search('?skip=0&limit=1', { query: 'al' });
		expect(first.status).toBe(200);
		expect(first.json).toMatchObject({ count: 2, skip: 0, limit: 1, searchQuery: { query: 'al' } });
		expect((first.json!.users as Array<{ displayName: string }>).map((u) => u.displayName)).toEqual(['Alice Martin']);
		const second = await search('?skip=1&limit=1', { query: 'AL' });
		expect((second.json!.users as Array<{ displayName: string }>).map((u) => u.displayName)).toEqual(['Albert Stone']);
		expect((await search('', { query: 'martin' })).json!.count).toBe(1);
		expect((await search('', { query: 'albert@acme' })).json!.count).toBe(1);
	});

	test('other pods are searched unless local=true, and their users come without email', async () => {
		const all = await search('', { query: 'carol' });
		expect(all.text).toContain(`"id":${CAROL}`);
		expect(all.json!.users).toEqual([expect.not.objectContaining({ emailAddress: expect.anything() })]);
		expect((all.json!.users as Array<Record<string, unknown>>)[0]).toMatchObject({ displayName: 'Carol Diaz', company: 'Globex' });
		expect((await search('?local=true', { query: 'carol' })).json!.count).toBe(0);
	});

	test('no query, a bad body or bad paging is a 400', async () => {
		expect((await search('', { query: '  ' })).status).toBe(400);
		expect((await search('', {})).status).toBe(400);
		expect((await call(sim, 'POST', '/pod/v1/user/search', 'not json')).status).toBe(400);
		expect((await search('?limit=x', { query: 'al' })).status).toBe(400);
		expect((await search('?local=yes', { query: 'al' })).status).toBe(400);
	});
});
