/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- development code, never packed: its secrets are fakes for the simulator */
import { sign, type KeyObject } from 'node:crypto';

import { ALICE, BOB, BOT, testUsers } from '../../support/pod';
import { APP_ID, BOT_USERNAME, appKeyPair, botKeyPair } from '../../support/rsa';
import { DEFAULT_TOKEN, PRESENCE_PRIVILEGE, startSimulator, type PodSimulator } from '../index';
import { simLoginOf } from './login';
import { DEFAULT_KEY_MANAGER_TOKEN, MAX_TEXT_LENGTH, SUPPRESS_PRIVILEGE, checkMessageML, simMessagingOf, type SimMessaging } from './messages';

function jwt(key: KeyObject, sub: string): string {
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const input = `${encode({ alg: 'RS512', typ: 'JWT' })}.${encode({ sub, exp: Math.floor(Date.now() / 1000) + 240 })}`;
	return `${input}.${sign('sha512', Buffer.from(input), key).toString('base64url')}`;
}

async function get(sim: PodSimulator, path: string, headers: Record<string, string>) {
	const response = await fetch(`${sim.url}${path}`, { headers });
	const text = await response.text();
	return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

async function post(sim: PodSimulator, path: string, body: string | FormData, headers: Record<string, string>) {
	const response = await fetch(`${sim.url}${path}`, { method: 'POST', headers, body });
	const text = await response.text();
	return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

function form(fields: Record<string, string>, files: Array<{ name: string; content: string }> = []): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) data.append(name, value);
	for (const file of files) data.append('attachment', new Blob([file.content]), file.name);
	return data;
}

const BOTH = { sessionToken: DEFAULT_TOKEN, keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN };

describe('simulator: key manager, IMs and Create Message v4', () => {
	let sim: PodSimulator;
	let messaging: SimMessaging;
	let streamId: string;
	beforeEach(async () => {
		sim = await startSimulator({ users: testUsers(), callerId: BOT });
		messaging = simMessagingOf(sim);
		streamId = messaging.imFor([BOT, ALICE]).id;
	});
	afterEach(async () => await sim.close());

	test('key manager login: the bot\'s login JWT gives a keyManagerToken; a bad one is 401', async () => {
		const login = simLoginOf(sim);
		login.addBot({ username: BOT_USERNAME, userId: BOT, publicKeys: [botKeyPair().publicKeyPem] });
		const ok = await post(sim, '/relay/pubkey/authenticate', JSON.stringify({ token: jwt(botKeyPair().privateKey, BOT_USERNAME) }), { 'Content-Type': 'application/json' });
		expect(ok).toEqual({ status: 200, json: { token: expect.stringMatching(/^sim-km-session-/), name: 'keyManagerToken' } });
		const bad = await post(sim, '/relay/pubkey/authenticate', JSON.stringify({ token: jwt(appKeyPair().privateKey, BOT_USERNAME) }), { 'Content-Type': 'application/json' });
		expect(bad.status).toBe(401);
		// The new token serves Agent calls, until its session ends.
		const token = ok.json!.token as string;
		expect((await post(sim, `/agent/v4/stream/${streamId}/message/create`, form({ message: '<messageML>hi</messageML>' }), { sessionToken: DEFAULT_TOKEN, keyManagerToken: token })).status).toBe(200);
		messaging.expireKeyManagerSessions();
		expect((await post(sim, `/agent/v4/stream/${streamId}/message/create`, form({ message: '<messageML>hi</messageML>' }), { sessionToken: DEFAULT_TOKEN, keyManagerToken: token })).status).toBe(401);
	});

	test('create IM: the caller plus the users; the same participants get the same IM; IDs are URL-safe', async () => {
		const first = await post(sim, '/pod/v1/im/create', `[${BOB}]`, { sessionToken: DEFAULT_TOKEN, 'Content-Type': 'application/json' });
		expect(first.status).toBe(200);
		const id = first.json!.id as string;
		expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
		expect(messaging.streams.get(id)?.members.sort()).toEqual([BOB, BOT].sort());
		expect((await post(sim, '/pod/v1/im/create', `[${BOB}]`, { sessionToken: DEFAULT_TOKEN, 'Content-Type': 'application/json' })).json).toEqual({ id });
		expect((await post(sim, '/pod/v1/im/create', `[${ALICE}]`, { sessionToken: DEFAULT_TOKEN, 'Content-Type': 'application/json' })).json).toEqual({ id: streamId });
		expect((await post(sim, '/pod/v1/im/create', '{"id":1}', { sessionToken: DEFAULT_TOKEN, 'Content-Type': 'application/json' })).status).toBe(400);
		expect((await post(sim, '/pod/v1/im/create', '[123]', { sessionToken: DEFAULT_TOKEN, 'Content-Type': 'application/json' })).status).toBe(400);
	});

	test('create message: both tokens needed; the message is stored in its stream and answered as a V4Message', async () => {
		const path = `/agent/v4/stream/${streamId}/message/create`;
		const body = () => form({ message: '<messageML>Hello <b>desk</b><br/>2 &lt; 3 &#38; 4</messageML>', data: '{}' }, [{ name: 'a.txt', content: 'abc' }]);
		expect((await post(sim, path, body(), { sessionToken: DEFAULT_TOKEN })).status).toBe(401);
		expect((await post(sim, path, body(), { keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN })).status).toBe(401);
		const sent = await post(sim, path, body(), BOTH);
		expect(sent.status).toBe(200);
		expect(sent.json).toMatchObject({
			messageId: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
			timestamp: expect.any(Number),
			message: expect.stringMatching(/^<div data-format="PresentationML" data-version="2.0"/),
			stream: { streamId, streamType: 'IM' },
			user: { userId: Number(BOT) },
			attachments: [{ name: 'a.txt', size: 3, id: expect.any(String) }],
		});
		expect(messaging.messagesIn(streamId)).toEqual([expect.objectContaining({ text: 'Hello desk\n2 < 3 & 4', messageId: sent.json!.messageId })]);
	});

	test('create message: refusals (bad stream ID form, unknown stream, not multipart, not a member)', async () => {
		const other = messaging.imFor([ALICE, BOB]).id;
		const message = () => form({ message: '<messageML>x</messageML>' });
		expect((await post(sim, '/agent/v4/stream/ab+c/message/create', message(), BOTH)).status).toBe(400);
		expect((await post(sim, '/agent/v4/stream/nope/message/create', message(), BOTH)).json).toEqual({ code: 400, message: 'Stream nope not found' });
		expect((await post(sim, `/agent/v4/stream/${streamId}/message/create`, '{"message":"x"}', { ...BOTH, 'Content-Type': 'application/json' })).status).toBe(400);
		expect((await post(sim, `/agent/v4/stream/${other}/message/create`, message(), BOTH)).status).toBe(403);
		expect(messaging.allMessages()).toEqual([]);
	});

	test('an OBO session sends without a key manager token', async () => {
		const login = simLoginOf(sim);
		login.addApp({ appId: APP_ID, publicKeys: [appKeyPair().publicKeyPem], installedFor: [BOT] });
		sim.addSession({ token: 'obo-session-token-1234', userId: BOT, obo: true });
		const sent = await post(sim, `/agent/v4/stream/${streamId}/message/create`, form({ message: '<messageML>x</messageML>' }), { sessionToken: 'obo-session-token-1234' });
		expect(sent.status).toBe(200);
	});

	test.each([
		['', 'Error parsing message: the message cannot be null or empty'],
		['Hello', 'Root tag must be <messageML>'],
		['<p>Hello</p>', 'Root tag must be <messageML>'],
		['<messageML>a < b</messageML>', expect.stringMatching(/^Invalid messageML: /)],
		['<messageML>a & b</messageML>', expect.stringMatching(/^Invalid messageML: /)],
		['<messageML>a &nbsp; b</messageML>', expect.stringMatching(/^Invalid messageML: /)],
		['<messageML><b>x</messageML>', expect.stringMatching(/^Invalid messageML: /)],
		['<messageML>x</messageML><messageML>y</messageML>', expect.stringMatching(/^Invalid messageML: /)],
		['<messageML>cost ${price}</messageML>', 'Error parsing Freemarker template: invalid input at line 1, column 17'],
		['<messageML>#{x}</messageML>', expect.stringMatching(/^Error parsing Freemarker template/)],
		['<messageML>bell \u0007</messageML>', 'Invalid control characters in message'],
		[`<messageML>${'a'.repeat(MAX_TEXT_LENGTH + 1)}</messageML>`, `Message is too long: more than ${MAX_TEXT_LENGTH} characters`],
		[`<messageML>${'<mention uid="1"/>'.repeat(81)}</messageML>`, 'Message contains more than 80 entities (tags and mentions)'],
	])('MessageML %#: refused with a 400 that says why', async (message, problem) => {
		expect(checkMessageML(message, undefined)).toEqual({ problem });
		const res = await post(sim, `/agent/v4/stream/${streamId}/message/create`, form({ message }), BOTH);
		expect(res).toEqual({ status: 400, json: { code: 400, message: problem } });
		expect(messaging.allMessages()).toEqual([]);
	});

	test.each([
		['<messageML>a &lt; b &#38; c &gt; &quot;q&quot; &apos; &#36;{x} &#35;{y}</messageML>', 'a < b & c > "q" \' ${x} #{y}'],
		['<messageML>line 1<br/>line 2\ttab 😀</messageML>', 'line 1\nline 2\ttab 😀'],
		['<div data-format="PresentationML" data-version="2.0">Hi</div>', 'Hi'],
		[`<messageML>${'é'.repeat(MAX_TEXT_LENGTH)}</messageML>`, 'é'.repeat(MAX_TEXT_LENGTH)],
	])('MessageML %#: accepted, read as typed', (message, text) => {
		expect(checkMessageML(message, undefined)).toEqual({ text, entities: 0 });
	});

	test('a fault after processing: the message is stored, the client gets the error', async () => {
		sim.fault({ path: '/agent/v4/stream/', status: 502, afterProcessing: true });
		const res = await post(sim, `/agent/v4/stream/${streamId}/message/create`, form({ message: '<messageML>once</messageML>' }), BOTH);
		expect(res.status).toBe(502);
		expect(messaging.messagesIn(streamId).map((m) => m.text)).toEqual(['once']);
	});

	describe('blast', () => {
		test('one message to several streams; unknown streams and streams the caller is not in are errors in a 200', async () => {
			const room = messaging.addStream({ id: 'room-with-bot-0001', type: 'ROOM', members: [BOT, ALICE, BOB] }).id;
			const notMine = messaging.imFor([ALICE, BOB]).id;
			const res = await post(sim, '/agent/v4/message/blast', form({ message: '<messageML>all hands</messageML>', sids: `${streamId},${room},nope-not-a-stream,${notMine}` }), BOTH);
			expect(res.status).toBe(200);
			const messages = res.json!.messages as Array<{ stream: { streamId: string }; messageId: string }>;
			expect(messages.map((m) => m.stream.streamId)).toEqual([streamId, room]);
			expect(res.json!.errors).toEqual({
				'nope-not-a-stream': { code: 400, message: 'Stream nope-not-a-stream not found' },
				[notMine]: { code: 403, message: 'The caller is not a member of this stream' },
			});
			expect(messaging.messagesIn(streamId).map((m) => m.text)).toEqual(['all hands']);
			expect(messaging.messagesIn(room).map((m) => m.messageId)).toEqual([messages[1].messageId]);
			expect(messaging.messagesIn(notMine)).toEqual([]);
		});

		test('attachments: every stream\'s message gets them', async () => {
			const room = messaging.addStream({ id: 'room-with-bot-0001', type: 'ROOM', members: [BOT, ALICE, BOB] }).id;
			const res = await post(sim, '/agent/v4/message/blast', form({ message: '<messageML>all hands</messageML>', sids: `${streamId},${room}` }, [{ name: 'a.txt', content: 'abc' }]), BOTH);
			expect((res.json!.messages as Array<{ attachments: unknown }>).map((m) => m.attachments)).toEqual([
				[{ name: 'a.txt', size: 3, id: expect.any(String) }],
				[{ name: 'a.txt', size: 3, id: expect.any(String) }],
			]);
			expect([streamId, room].map((id) => messaging.messagesIn(id)[0].attachments.map((a) => a.data.toString()))).toEqual([['abc'], ['abc']]);
		});

		test('refused whole: no key manager token, no sids, more than 100 streams, bad MessageML', async () => {
			expect((await post(sim, '/agent/v4/message/blast', form({ message: '<messageML>x</messageML>', sids: streamId }), { sessionToken: DEFAULT_TOKEN })).status).toBe(401);
			expect((await post(sim, '/agent/v4/message/blast', form({ message: '<messageML>x</messageML>' }), BOTH)).status).toBe(400);
			const many = Array.from({ length: 101 }, (_, i) => `stream-${String(i).padStart(4, '0')}`).join(',');
			expect((await post(sim, '/agent/v4/message/blast', form({ message: '<messageML>x</messageML>', sids: many }), BOTH)).json).toEqual({ code: 400, message: 'At most 100 streams per blast, got 101' });
			expect((await post(sim, '/agent/v4/message/blast', form({ message: '<messageML>a & b</messageML>', sids: streamId }), BOTH)).status).toBe(400);
			expect(messaging.allMessages()).toEqual([]);
		});
	});

	describe('update', () => {
		test('a new version with its own ID replaces the caller\'s message in place; silent unless told otherwise', async () => {
			const first = messaging.addMessage({ streamId, timestamp: 1_000, userId: BOT, text: 'draft' });
			const later = messaging.addMessage({ streamId, timestamp: 2_000, userId: ALICE, text: 'reply' });
			const res = await post(sim, `/agent/v4/stream/${streamId}/message/${first.messageId}/update`, form({ message: '<messageML>final</messageML>' }), BOTH);
			expect(res.status).toBe(200);
			expect(res.json).toMatchObject({ replacing: first.messageId, initialMessageId: first.messageId, silent: true, stream: { streamId } });
			const newId = res.json!.messageId as string;
			expect(newId).not.toBe(first.messageId);
			expect(messaging.messagesIn(streamId).map((m) => [m.messageId, m.text])).toEqual([[newId, 'final'], [later.messageId, 'reply']]);
			const loud = await post(sim, `/agent/v4/stream/${streamId}/message/${newId}/update`, form({ message: '<messageML>again</messageML>', silent: 'false' }), BOTH);
			expect(loud.json).toMatchObject({ initialMessageId: first.messageId, replacing: newId, silent: false });
			expect(messaging.updates.map((u) => u.silent)).toEqual([true, false]);
		});

		test('attachments: the new version has the files sent with the update, and only those', async () => {
			const first = messaging.addMessage({ streamId, timestamp: 1_000, userId: BOT, text: 'draft' });
			const res = await post(sim, `/agent/v4/stream/${streamId}/message/${first.messageId}/update`, form({ message: '<messageML>final</messageML>' }, [{ name: 'b.csv', content: 'a,b' }]), BOTH);
			expect(res.json).toMatchObject({ attachments: [{ name: 'b.csv', size: 3, id: expect.any(String) }] });
			expect(messaging.messagesIn(streamId)[0].attachments).toEqual([{ name: 'b.csv', contentType: 'application/octet-stream', size: 3, data: Buffer.from('a,b') }]);
			const again = await post(sim, `/agent/v4/stream/${streamId}/message/${res.json!.messageId as string}/update`, form({ message: '<messageML>text only</messageML>' }), BOTH);
			expect(again.json).toMatchObject({ attachments: [] });
		});

		test('refusals: someone else\'s message (403), unknown or suppressed message, bad MessageML (400)', async () => {
			const alices = messaging.addMessage({ streamId, timestamp: 1_000, userId: ALICE, text: 'hers' });
			const mine = messaging.addMessage({ streamId, timestamp: 1_001, userId: BOT, text: 'mine' });
			const update = (id: string, message = '<messageML>x</messageML>') => post(sim, `/agent/v4/stream/${streamId}/message/${id}/update`, form({ message }), BOTH);
			expect((await update(alices.messageId)).status).toBe(403);
			expect((await update('unknown-message-id')).status).toBe(400);
			expect((await update(mine.messageId, '<messageML><b>x</messageML>')).status).toBe(400);
			mine.suppressedAt = 5;
			expect((await update(mine.messageId)).json).toEqual({ code: 400, message: `Message ${mine.messageId} is suppressed and cannot be updated` });
			expect(messaging.messagesIn(streamId).map((m) => m.text)).toEqual(['hers', 'mine']);
		});
	});

	describe('list', () => {
		test('since required; oldest first; until inclusive; skip and limit; 204 for none; 500 at most', async () => {
			for (const [timestamp, text] of [[100, 'a'], [200, 'b'], [200, 'c'], [300, 'd']] as const) messaging.addMessage({ streamId, timestamp, userId: ALICE, text });
			const list = (query: string) => get(sim, `/agent/v4/stream/${streamId}/message${query}`, BOTH);
			const texts = (res: { json?: unknown }) => (res.json as Array<{ message: string }>).map((m) => /<p>(.*)<\/p>/.exec(m.message)?.[1]);
			expect((await list('')).status).toBe(400);
			expect(texts(await list('?since=0'))).toEqual(['a', 'b', 'c', 'd']);
			expect(texts(await list('?since=200&until=200'))).toEqual(['b', 'c']);
			expect(texts(await list('?since=200&skip=1&limit=2'))).toEqual(['c', 'd']);
			expect((await list('?since=301')).status).toBe(204);
			expect((await list('?since=0&limit=501')).status).toBe(400);
			const [first] = (await list('?since=0&limit=1')).json as Array<Record<string, unknown>>;
			expect(first).toMatchObject({ user: { userId: Number(ALICE), email: 'alice@acme.example' }, stream: { streamId }, timestamp: 100 });
			expect((await get(sim, `/agent/v4/stream/${messaging.imFor([ALICE, BOB]).id}/message?since=0`, BOTH)).status).toBe(403);
			expect((await get(sim, `/agent/v4/stream/${streamId}/message?since=0`, { sessionToken: DEFAULT_TOKEN })).status).toBe(401);
		});
	});

	describe('suppress', () => {
		test('needs the Content Management role; answers the suppression, the same date when repeated; 404 for an unknown message', async () => {
			const message = messaging.addMessage({ streamId, timestamp: 1_000, userId: ALICE, text: 'oops' });
			const path = `/pod/v1/admin/messagesuppression/${message.messageId}/suppress`;
			expect((await post(sim, path, '', { sessionToken: DEFAULT_TOKEN })).status).toBe(403);
			sim.addSession({ token: 'compliance-session-01', userId: BOT, privileges: [PRESENCE_PRIVILEGE, SUPPRESS_PRIVILEGE] });
			const first = await post(sim, path, '', { sessionToken: 'compliance-session-01' });
			expect(first).toEqual({ status: 200, json: { messageId: message.messageId, suppressed: true, suppressionDate: expect.any(Number) } });
			expect((await post(sim, path, '', { sessionToken: 'compliance-session-01' })).json).toEqual(first.json);
			expect((await post(sim, '/pod/v1/admin/messagesuppression/nope-no-message/suppress', '', { sessionToken: 'compliance-session-01' })).status).toBe(404);
		});
	});
});
