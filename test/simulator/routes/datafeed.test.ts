/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
import { ALICE, BOB, BOT, testUsers } from '../../support/pod';
import { DEFAULT_TOKEN, startSimulator, type PodSimulator } from '../index';
import { simDatafeedsOf, type SimDatafeeds } from './datafeed';
import { DEFAULT_KEY_MANAGER_TOKEN, simMessagingOf } from './messages';

const AGENT = { sessionToken: DEFAULT_TOKEN, keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN, 'Content-Type': 'application/json' };

async function agent(sim: PodSimulator, method: string, path: string, body?: unknown, headers: Record<string, string> = AGENT, signal?: AbortSignal) {
	const response = await fetch(`${sim.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
	const text = await response.text();
	return { status: response.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

async function read(sim: PodSimulator, feedId: string, ackId: string, signal?: AbortSignal) {
	const { status, json, text } = await agent(sim, 'POST', `/agent/v5/datafeeds/${feedId}/read`, { ackId, updatePresence: false }, AGENT, signal);
	return { status, text, events: (json?.events ?? []) as Array<Record<string, unknown>>, ackId: json?.ackId as string };
}

async function control(sim: PodSimulator, path: string, body: unknown) {
	return await agent(sim, 'POST', path, body, { 'Content-Type': 'application/json' });
}

describe('simulator: datafeed v5', () => {
	let sim: PodSimulator;
	let feeds: SimDatafeeds;
	let now: number;
	let imId: string;
	beforeEach(async () => {
		now = Date.parse('2026-03-02T09:00:00Z');
		sim = await startSimulator({ users: testUsers(), callerId: BOT, now: () => now });
		feeds = simDatafeedsOf(sim);
		feeds.settings.waitMs = 150;
		imId = simMessagingOf(sim).imFor([BOT, ALICE]).id;
	});
	afterEach(async () => await sim.close());

	test('create (201), list by tag, delete (204); Agent calls need the key manager token', async () => {
		expect((await agent(sim, 'POST', '/agent/v5/datafeeds', {}, { sessionToken: DEFAULT_TOKEN })).status).toBe(401);
		const created = await agent(sim, 'POST', '/agent/v5/datafeeds', { tag: 'n8n-wf-1' });
		expect(created).toMatchObject({ status: 201, json: { id: expect.stringMatching(/^[0-9a-f]{32}_f$/), type: 'fanout' } });
		await agent(sim, 'POST', '/agent/v5/datafeeds', {});
		expect((await agent(sim, 'GET', '/agent/v5/datafeeds?tag=n8n-wf-1')).json).toEqual([{ id: created.json!.id, type: 'fanout' }]);
		expect(((await agent(sim, 'GET', '/agent/v5/datafeeds')).json as unknown as unknown[]).length).toBe(2);
		expect((await agent(sim, 'DELETE', `/agent/v5/datafeeds/${created.json!.id as string}`)).status).toBe(204);
		expect((await agent(sim, 'DELETE', `/agent/v5/datafeeds/${created.json!.id as string}`)).status).toBe(400);
		expect((await read(sim, created.json!.id as string, '')).status).toBe(400);
	});

	test('20 active feeds per bot: the 21st is refused with 403', async () => {
		for (let i = 0; i < 20; i++) expect((await agent(sim, 'POST', '/agent/v5/datafeeds', {})).status).toBe(201);
		const refused = await agent(sim, 'POST', '/agent/v5/datafeeds', {});
		expect(refused.status).toBe(403);
		expect(refused.json!.message).toMatch(/Maximum number of datafeeds \(20\)/);
	});

	test('a read waits, then answers nothing; a message posted wakes it; the sender sees its own message', async () => {
		const id = (await agent(sim, 'POST', '/agent/v5/datafeeds', {})).json!.id as string;
		const empty = await read(sim, id, '');
		expect(empty).toMatchObject({ status: 200, events: [], ackId: expect.any(String) });
		const pending = read(sim, id, empty.ackId);
		await control(sim, `/_sim/streams/${imId}/messages`, { userId: ALICE, text: 'Hello <bot> & co' });
		const batch = await pending;
		expect(batch.events).toEqual([
			expect.objectContaining({
				type: 'MESSAGESENT',
				initiator: { user: expect.objectContaining({ userId: Number(ALICE) }) },
				payload: { messageSent: { message: expect.objectContaining({ stream: { streamId: imId, streamType: 'IM' }, message: expect.stringContaining('Hello &lt;bot&gt; &amp; co') }) } },
			}),
		]);
		// A message the bot sends through Create Message reaches its own feed too.
		const form = new FormData();
		form.append('message', '<messageML>from the bot</messageML>');
		await fetch(`${sim.url}/agent/v4/stream/${imId}/message/create`, { method: 'POST', headers: { sessionToken: DEFAULT_TOKEN, keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN }, body: form });
		const own = await read(sim, id, batch.ackId);
		expect(own.events).toEqual([expect.objectContaining({ type: 'MESSAGESENT', initiator: { user: expect.objectContaining({ userId: Number(BOT) }) } })]);
	});

	test('events are scoped to the bot\'s streams', async () => {
		const id = (await agent(sim, 'POST', '/agent/v5/datafeeds', {})).json!.id as string;
		const opened = await control(sim, `/_sim/users/${ALICE}/im`, [Number(BOB)]);
		const other = opened.json!.id as string;
		expect(simMessagingOf(sim).streams.get(other)!.members.sort()).toEqual([ALICE, BOB].sort());
		await control(sim, `/_sim/streams/${other}/messages`, { userId: ALICE, text: 'not for the bot' });
		expect((await read(sim, id, '')).events).toEqual([]);
	});

	test('an unacknowledged batch comes again after the visibility timeout; an acknowledged one never', async () => {
		const id = (await agent(sim, 'POST', '/agent/v5/datafeeds', {})).json!.id as string;
		await control(sim, `/_sim/streams/${imId}/messages`, { userId: ALICE, text: 'one' });
		const first = await read(sim, id, '');
		expect(first.events).toHaveLength(1);
		// Read again without acknowledging, before the timeout: nothing new.
		expect((await read(sim, id, '')).events).toEqual([]);
		now += 30_000;
		const again = await read(sim, id, '');
		expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
		// Acknowledged within the timeout: gone for good.
		expect((await read(sim, id, again.ackId)).events).toEqual([]);
		now += 60_000;
		expect((await read(sim, id, '')).events).toEqual([]);
		expect(feeds.feeds.get(id)!.deliveries.get(first.events[0].id as string)).toBe(2);
	});

	test('an ackId that comes after the visibility timeout does not stop the redelivery', async () => {
		const id = (await agent(sim, 'POST', '/agent/v5/datafeeds', {})).json!.id as string;
		await control(sim, `/_sim/streams/${imId}/messages`, { userId: ALICE, text: 'late' });
		const first = await read(sim, id, '');
		now += 30_000;
		expect((await read(sim, id, first.ackId)).events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
	});

	test('a feed not read for 30 minutes is gone (400); an unknown ackId is 400; updatePresence false keeps the presence', async () => {
		const id = (await agent(sim, 'POST', '/agent/v5/datafeeds', {})).json!.id as string;
		sim.setPresence(BOT, 'BUSY');
		expect((await read(sim, id, '')).status).toBe(200);
		expect(sim.users.get(BOT)!.presence).toBe('BUSY');
		expect((await read(sim, id, 'not-an-ack-id')).status).toBe(400);
		now += 30 * 60 * 1000;
		const gone = await read(sim, id, '');
		expect(gone.status).toBe(400);
		expect(gone.text).toMatch(/no longer exists/);
		expect(feeds.feeds.has(id)).toBe(false);
	});

	test('a client that gives up a read leaves no read pending; control routes publish events and expire feeds', async () => {
		const id = (await agent(sim, 'POST', '/agent/v5/datafeeds', {})).json!.id as string;
		feeds.settings.waitMs = 10_000;
		const controller = new AbortController();
		const pending = read(sim, id, '', controller.signal).catch((e: Error) => e.name);
		while (feeds.pendingReads === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		controller.abort();
		expect(await pending).toBe('AbortError');
		while (feeds.pendingReads > 0) await new Promise((resolve) => setTimeout(resolve, 5));
		expect(feeds.reads.at(-1)).toMatchObject({ abandoned: true });

		feeds.settings.waitMs = 150;
		const event = { type: 'CONNECTIONREQUESTED', initiator: { user: { userId: Number(ALICE) } }, payload: { connectionRequested: { toUser: { userId: Number(BOT) } } } };
		expect((await control(sim, '/_sim/datafeed/events', { userIds: [BOT], event })).status).toBe(200);
		expect((await read(sim, id, '')).events).toEqual([expect.objectContaining({ type: 'CONNECTIONREQUESTED', id: expect.any(String) })]);
		expect((await control(sim, `/_sim/datafeeds/${id}/expire`, {})).status).toBe(204);
		expect((await read(sim, id, '')).status).toBe(400);
	});
});
