/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development code: runs in Node, never packed */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { sleep, type IDataObject } from 'n8n-workflow';

import { chain } from '../../../../harness';
import { DEFAULT_KEY_MANAGER_TOKEN, parseMultipart, simMessagingOf } from '../../../../simulator/routes/messages';
import { simRoomsOf } from '../../../../simulator/routes/rooms';
import { ALICE, BOB, BOT, QUICK_RETRY, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';
import { fieldsOf } from '../../../../support/multipart';
import { expectNoSecrets } from '../../../../support/secrets';

const send = (parameters: IDataObject): IDataObject => ({ resource: 'message', operation: 'send', ...parameters });
const SECRETS = [SECRET_TOKEN, DEFAULT_KEY_MANAGER_TOKEN];

/** A stream ID whose standard Base64 form (as Symphony's client shows it) has `/`, `+` and `=`. */
const STREAM_URL_SAFE = 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA';
const STREAM_AS_SHOWN = 'lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==';

describe('Message → Send', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	async function start(): Promise<PodFixture> {
		pod = await startPod({}, { keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN });
		simMessagingOf(pod.sim).addStream({ id: STREAM_URL_SAFE, type: 'ROOM', members: [BOT, ALICE, BOB] });
		return pod;
	}

	test('to a stream ID pasted as Symphony shows it: one multipart request to the URL-safe path with both tokens; output exact', async () => {
		await start();
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: ` ${STREAM_AS_SHOWN} `, text: 'Alice is available' }) }]));
		const [request] = pod.sim.requests;
		expect(pod.sim.requests).toHaveLength(1);
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/agent/v4/stream/${STREAM_URL_SAFE}/message/create`);
		expect(request.headers.sessiontoken).toBe(SECRET_TOKEN);
		expect(request.headers.keymanagertoken).toBe(DEFAULT_KEY_MANAGER_TOKEN);
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(fieldsOf(request)).toEqual([['message', '<messageML>Alice is available</messageML>']]);
		const [stored] = simMessagingOf(pod.sim).messagesIn(STREAM_URL_SAFE);
		expect(result.items('Send')).toEqual([
			{ json: { messageId: stored.messageId, streamId: STREAM_URL_SAFE, timestamp: stored.timestamp, text: 'Alice is available' }, pairedItem: { item: 0 } },
		]);
		expectNoSecrets(result.run, SECRETS);
	});

	test.each([
		['less-than and ampersand', 'P&L < 0 > -1', '<messageML>P&amp;L &lt; 0 &gt; -1</messageML>'],
		['quotes', `He said "go" and 'stop'`, '<messageML>He said &quot;go&quot; and &apos;stop&apos;</messageML>'],
		['Freemarker markers', 'Price ${price} #{count} <#if x>', '<messageML>Price &#36;{price} &#35;{count} &lt;&#35;if x&gt;</messageML>'],
		['a hashtag and cashtag as typed', '#rates $EUR', '<messageML>&#35;rates &#36;EUR</messageML>'],
		['line breaks and tabs', 'line 1\nline 2\r\nline 3\tend', '<messageML>line 1<br/>line 2<br/>line 3\tend</messageML>'],
		['emoji and accents', 'Café ☕ 😀 👩‍💻', '<messageML>Café ☕ 😀 👩‍💻</messageML>'],
		['something that looks like markup', '<b>not bold</b> &amp;', '<messageML>&lt;b&gt;not bold&lt;/b&gt; &amp;amp;</messageML>'],
		['10,000 characters', 'x'.repeat(9_990) + '<&>${}#{}', `<messageML>${'x'.repeat(9_990)}&lt;&amp;&gt;&#36;{}&#35;{}</messageML>`],
	])('text with %s arrives as typed', async (_name, text, messageML) => {
		await start();
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text }) }]));
		expect(result.error).toBeUndefined();
		expect(fieldsOf(pod.sim.requests[0])).toEqual([['message', messageML]]);
		// What a reader sees, line ends as the Agent keeps them.
		expect(simMessagingOf(pod.sim).messagesIn(STREAM_URL_SAFE).map((m) => m.text)).toEqual([text.replace(/\r\n/g, '\n')]);
		expect(result.json('Send')[0].text).toBe(text);
	});

	test.each([
		['a control character', 'bell \u0007 here', 'Text: "bell \\u0007 here" contains the control character U+0007 at position 6, which Symphony refuses in a message. Remove it'],
		['an empty text', '  ', 'Text: "  " is empty. Enter the message text; Symphony does not send empty messages'],
		['more than the limit', 'y'.repeat(60_001), "is 60,001 characters long, more than Symphony's limit of about 60,000. Shorten it, or split it over several messages"],
	])('text with %s is refused before anything is sent, naming field, value and fix', async (_name, text, message) => {
		await start();
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text }) }]));
		expect(result.error?.message).toContain(message);
		expect(pod.sim.requests).toEqual([]);
	});

	test('MessageML is sent as written; without its root tag it is refused before sending', async () => {
		await start();
		const messageML = '<messageML>Desk: <b>Alice</b> &amp; <i>Bob</i><br/><mention uid="7215545058313"/></messageML>';
		const sent = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, format: 'messageML', messageML }) }]));
		expect(fieldsOf(pod.sim.requests[0])).toEqual([['message', messageML]]);
		expect(sent.json('Send')[0]).toMatchObject({ text: messageML, streamId: STREAM_URL_SAFE });
		pod.sim.clearLog();
		const refused = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, format: 'messageML', messageML: '<b>hi</b>' }) }]));
		expect(refused.error?.message).toBe('MessageML: "<b>hi</b>" does not start with <messageML>. Enter MessageML such as <messageML>Hello <b>desk</b></messageML>, or pick Text to send plain text');
		expect(pod.sim.requests).toEqual([]);
	});

	test('MessageML the Agent refuses: its 400 message is shown, and it is not sent again', async () => {
		await start();
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, format: 'messageML', messageML: '<messageML><b>open</messageML>' }) }]));
		expect(result.error?.message).toBe(`Symphony refused the request while sending a message to stream ${STREAM_URL_SAFE} (400 Bad Request)`);
		expect(result.error?.description).toContain('Symphony said: "Invalid messageML: the element type "b" must be terminated by the matching end-tag "</b>""');
		expect(pod.sim.requests).toHaveLength(1);
	});

	test.each([
		['one address', 'Ask @carol@globex.example first', '<messageML>Ask <mention email="carol@globex.example"/> first</messageML>'],
		['at the start, with a sentence-ending dot', '@alice@acme.example.', '<messageML><mention email="alice@acme.example"/>.</messageML>'],
		['two, beside punctuation and a line break', '(@a.b+desk@acme.example),\n@c@globex.example', '<messageML>(<mention email="a.b+desk@acme.example"/>),<br/><mention email="c@globex.example"/></messageML>'],
		['an address without @ before it stays text', 'write to carol@globex.example', '<messageML>write to carol@globex.example</messageML>'],
		['@ inside a word stays text', 'x@carol@globex.example', '<messageML>x@carol@globex.example</messageML>'],
	])('Mention People by Email: %s', async (_name, text, messageML) => {
		await start();
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text, options: { mentionEmails: true } }) }]));
		expect(result.error).toBeUndefined();
		expect(fieldsOf(pod.sim.requests[0])).toEqual([['message', messageML]]);
		expect(result.json('Send')[0].text).toBe(text);
	});

	test('without Mention People by Email, @email is sent as text', async () => {
		await start();
		await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text: 'Ask @carol@globex.example' }) }]));
		expect(fieldsOf(pod.sim.requests[0])).toEqual([['message', '<messageML>Ask @carol@globex.example</messageML>']]);
	});

	test('more mentions than Symphony allows in one message are refused before sending', async () => {
		await start();
		const text = Array.from({ length: 81 }, (_, i) => `@p${i}@acme.example`).join(' ');
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text, options: { mentionEmails: true } }) }]));
		expect(result.error?.message).toContain("mentions 81 people, more than Symphony's limit of 80 mentions in one message. Mention fewer people, or split the message");
		expect(pod.sim.requests).toEqual([]);
	});

	test('Entity Data goes with MessageML as the data part, as given; bad JSON is refused naming the field', async () => {
		await start();
		const messageML = '<messageML><div class="entity" data-entity-id="quote">EUR 1.08</div></messageML>';
		const entityData = '{"quote":{"type":"com.acme.quote","version":"1.0","price":1.08}}';
		const sent = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, format: 'messageML', messageML, options: { entityData } }) }]));
		expect(sent.error).toBeUndefined();
		expect(fieldsOf(pod.sim.requests[0])).toEqual([
			['message', messageML],
			['data', entityData],
		]);
		expect(simMessagingOf(pod.sim).messagesIn(STREAM_URL_SAFE)[0].data).toBe(entityData);
		pod.sim.clearLog();
		// The field's starting value, an empty object, sends no data part.
		await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, format: 'messageML', messageML, options: { entityData: '{}' } }) }]));
		expect(fieldsOf(pod.sim.requests[0]).map(([name]) => name)).toEqual(['message']);
		pod.sim.clearLog();
		for (const [bad, problem] of [
			['{"quote": ', 'is not valid JSON'],
			['[1, 2]', 'is not a JSON object'],
		]) {
			const refused = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, format: 'messageML', messageML, options: { entityData: bad } }) }]));
			expect(refused.error?.message).toBe(
				`Entity Data (JSON): ${JSON.stringify(bad)} ${problem}. Enter a JSON object whose keys are the data-entity-id values of your MessageML, e.g. {"quote": {"type": "com.acme.quote", "price": 101.5}}`,
			);
		}
		expect(pod.sim.requests).toEqual([]);
	});

	test("Attachments: the item's binary properties are sent as files, bytes, names and types exact; a missing one fails only its item", async () => {
		await start();
		const csv = 'name,status\nAlice,AVAILABLE\nZoë,BUSY\n';
		const items = [
			{ n: 1, $binary: { data: { text: csv, mimeType: 'text/csv', fileName: 'desk "status".csv' }, notes: { text: 'see attached', mimeType: 'text/plain', fileName: 'notes.txt' } } },
			{ n: 2, $binary: { other: { text: 'x', mimeType: 'text/plain', fileName: 'x.txt' } } },
			{ n: 3 },
		];
		const result = await pod.harness.run(
			chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text: 'Statuses attached', options: { attachments: 'data, notes' } }), continueOnFail: true }], items),
		);
		expect(pod.sim.requests).toHaveLength(1);
		const parts = parseMultipart(pod.sim.requests[0].headers['content-type'] as string, Buffer.from(pod.sim.requests[0].body, 'utf8'));
		expect(parts?.map((p) => [p.name, p.filename, p.contentType, p.data.toString('utf8')])).toEqual([
			['message', undefined, 'text/plain; charset=utf-8', '<messageML>Statuses attached</messageML>'],
			['attachment', 'desk %22status%22.csv', 'text/csv', csv],
			['attachment', 'notes.txt', 'text/plain', 'see attached'],
		]);
		expect(simMessagingOf(pod.sim).messagesIn(STREAM_URL_SAFE)[0].attachments).toEqual([
			{ name: 'desk %22status%22.csv', contentType: 'text/csv', size: Buffer.byteLength(csv), data: Buffer.from(csv) },
			{ name: 'notes.txt', contentType: 'text/plain', size: 12, data: Buffer.from('see attached') },
		]);
		const out = result.items('Send');
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.messageId).toEqual(expect.any(String));
		expect(out[1].json.error).toContain('Attachments: "data" is not a binary property of this item (the item\'s are: other).');
		expect(out[2].json.error).toContain('Attachments: "data" is not a binary property of this item (the item has no binary data).');
	});

	test('to people: the IM is opened once per execution and reused by Symphony afterwards; each item paired; conversations side by side, each in item order', async () => {
		await start();
		const result = await pod.harness.run(
			chain([{ name: 'Send', parameters: send({ sendTo: 'users', userIds: '={{ $json.to }}', text: '={{ $json.say }}' }) }], [
				{ to: ALICE, say: 'one' },
				{ to: `${ALICE}`, say: 'two' },
				{ to: `${BOB}, ${ALICE}`, say: 'group' },
			]),
		);
		const messaging = simMessagingOf(pod.sim);
		const im = messaging.imFor([BOT, ALICE]).id;
		const group = messaging.imFor([BOT, ALICE, BOB]).id;
		expect(result.items('Send').map((i) => [i.json.streamId, i.json.text, i.pairedItem])).toEqual([
			[im, 'one', { item: 0 }],
			[im, 'two', { item: 1 }],
			[group, 'group', { item: 2 }],
		]);
		const requests = pod.sim.requests.map((r) => `${r.method} ${r.path}${r.path.startsWith('/pod/') ? ` ${r.body}` : ''}`);
		expect([...requests].sort()).toEqual(
			[
				`POST /pod/v1/im/create [${ALICE}]`,
				`POST /agent/v4/stream/${im}/message/create`,
				`POST /agent/v4/stream/${im}/message/create`,
				`POST /pod/v1/im/create [${BOB},${ALICE}]`,
				`POST /agent/v4/stream/${group}/message/create`,
			].sort(),
		);
		// Alice's messages in item order; the group's conversation did not wait for them.
		expect(messaging.messagesIn(im).map((m) => m.text)).toEqual(['one', 'two']);
		expect(requests.indexOf(`POST /pod/v1/im/create [${BOB},${ALICE}]`)).toBeLessThan(requests.lastIndexOf(`POST /agent/v4/stream/${im}/message/create`));
		// A second execution opens the IM again and gets the same one.
		const again = await pod.harness.run(chain([{ name: 'Send', parameters: send({ sendTo: 'users', userIds: ALICE, text: 'three' }) }]));
		expect(again.json('Send')[0].streamId).toBe(im);
	});

	test('to a room picked From List or given By ID as Symphony shows it: the room\'s URL-safe path; a bad room ID is refused before sending', async () => {
		await start();
		const room = simRoomsOf(pod.sim).create(BOT, { name: 'Rates desk' });
		const shown = Buffer.from(room.stream.id, 'base64url').toString('base64');
		const result = await pod.harness.run(
			chain([{ name: 'Send', parameters: send({ sendTo: 'room', room: '={{ $json.room }}', text: '={{ $json.say }}' }), continueOnFail: true }], [
				{ room: { __rl: true, mode: 'list', value: room.stream.id, cachedResultName: 'Rates desk' }, say: 'from the list' },
				{ room: { __rl: true, mode: 'id', value: shown }, say: 'by ID' },
				{ room: { __rl: true, mode: 'id', value: 'not a room!' }, say: 'never sent' },
			]),
		);
		expect(simMessagingOf(pod.sim).messagesIn(room.stream.id).map((m) => m.text)).toEqual(['from the list', 'by ID']);
		expect(pod.sim.requests.map((r) => r.path)).toEqual([`/agent/v4/stream/${room.stream.id}/message/create`, `/agent/v4/stream/${room.stream.id}/message/create`]);
		const out = result.items('Send');
		expect(out.map((item) => item.json.streamId ?? null)).toEqual([room.stream.id, room.stream.id, null]);
		expect(out[2].json.error).toMatch(/^Room \(By ID\): "not a room!" is not a stream ID/);
	});

	test('many items to one conversation go one after the other, in item order, even when the Agent is slow', async () => {
		await start();
		pod.sim.latencyMs = 30;
		const items = Array.from({ length: 40 }, (_, i) => ({ say: `message ${i + 1}` }));
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text: '={{ $json.say }}' }) }], items));
		expect(result.error).toBeUndefined();
		expect(simMessagingOf(pod.sim).messagesIn(STREAM_URL_SAFE).map((m) => m.text)).toEqual(items.map((item) => item.say));
		// Never two sends to the conversation in flight: in the pod's event log each send arrives after the one before was answered.
		const events = pod.sim.events.filter((e) => e.request.path.endsWith('/message/create')).map((e) => e.kind);
		expect(events).toEqual(items.flatMap(() => ['arrived', 'answered']));
	});

	test('Continue On Fail: a bad item is its own error item, paired; the others are sent', async () => {
		await start();
		const result = await pod.harness.run(
			chain([{ name: 'Send', parameters: send({ sendTo: 'users', userIds: '={{ $json.to }}', text: 'hi' }), continueOnFail: true }], [
				{ to: ALICE },
				{ to: '12.5' },
				{ to: BOB },
			]),
		);
		const items = result.items('Send');
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].json.error).toMatch(/^User IDs: "12.5" is not a whole positive number/);
		expect(items[0].json.messageId).toEqual(expect.any(String));
		expect(items[2].json.messageId).toEqual(expect.any(String));
		expect(simMessagingOf(pod.sim).allMessages()).toHaveLength(2);
	});

	test('a bad stream ID is refused before anything is sent', async () => {
		await start();
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: 'not a stream!', text: 'hi' }) }]));
		expect(result.error?.message).toMatch(/^Stream ID: "not a stream!" is not a stream ID\. Enter a stream ID as Symphony shows it/);
		expect(pod.sim.requests).toEqual([]);
	});

	test('the token credential without a key manager token: the Agent\'s 401 says what to enter', async () => {
		pod = await startPod();
		simMessagingOf(pod.sim).addStream({ id: STREAM_URL_SAFE, type: 'ROOM', members: [BOT] });
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text: 'hi' }) }]));
		expect(pod.sim.requests[0].headers.keymanagertoken).toBeUndefined();
		expect(result.error?.description).toContain('enter a current Key Manager Token');
		expect(pod.sim.requests).toHaveLength(1);
	});

	test('an Agent out of reach: the message names the Agent and its address, the fix names the Agent URL, not the Pod URL', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const { port } = closed.address() as AddressInfo;
		await new Promise((resolve) => closed.close(resolve));
		pod = await startPod({}, { keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN, agentUrl: `http://127.0.0.1:${port}` });
		const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text: 'hi', options: QUICK_RETRY }) }]));
		expect(result.error?.message).toMatch(new RegExp(`^Could not reach Symphony's Agent at http://127\\.0\\.0\\.1:${port} while .*: the Agent refused the connection after 3 attempts$`));
		expect(result.error?.description).toContain('Check the Agent URL in the Symphony credential');
		expect(result.error?.description).not.toContain('Pod URL in the credential (e.g.');
		// Nothing reached the pod: the message goes to the Agent only.
		expect(pod.sim.requests).toHaveLength(0);
		expectNoSecrets(result.run, SECRETS);
	});

	describe('a send is never posted twice by a retry', () => {
		test('502 after the Agent stored the message: not retried; the message says it may have been posted', async () => {
			await start();
			pod.sim.fault({ path: '/agent/', status: 502, afterProcessing: true });
			const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text: 'once', options: QUICK_RETRY }) }]));
			expect(result.error?.message).toContain('(502');
			expect(result.error?.description).toContain('It was not sent again, because Symphony may have carried it out before the failure');
			expect(pod.sim.requests).toHaveLength(1);
			expect(simMessagingOf(pod.sim).allMessages().map((m) => m.text)).toEqual(['once']);
		});

		test('a dropped connection after the Agent stored the message: not retried', async () => {
			await start();
			pod.sim.fault({ path: '/agent/', reset: true, afterProcessing: true });
			const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text: 'once', options: QUICK_RETRY }) }]));
			expect(result.error).toBeDefined();
			expect(pod.sim.requests).toHaveLength(1);
			expect(simMessagingOf(pod.sim).allMessages()).toHaveLength(1);
		});

		test('no answer in time (the Agent stores it later): not retried', async () => {
			await start();
			pod.sim.fault({ path: '/agent/', delayMs: 1500 });
			const result = await pod.harness.run(
				chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text: 'late', options: { ...QUICK_RETRY, timeoutSeconds: 1 } }) }]),
			);
			expect(result.error?.description).toContain('may have carried it out');
			await sleep(800);
			expect(pod.sim.requests).toHaveLength(1);
			expect(simMessagingOf(pod.sim).allMessages().map((m) => m.text)).toEqual(['late']);
		});

		test.each([503, 429])('%s answered before processing: retried, posted once', async (status) => {
			await start();
			pod.sim.fault({ path: '/agent/', status, retryAfter: '0' });
			const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text: 'once', options: QUICK_RETRY }) }]));
			expect(result.error).toBeUndefined();
			expect(pod.sim.requests.map((r) => r.status)).toEqual([status, 200]);
			expect(simMessagingOf(pod.sim).allMessages()).toHaveLength(1);
		});

		test('500 and 504 are not retried for a send (they are for reads)', async () => {
			await start();
			pod.sim.fault({ path: '/agent/', status: 500, times: 1 });
			const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ streamId: STREAM_URL_SAFE, text: 'x', options: QUICK_RETRY }) }]));
			expect(result.error?.message).toContain('(500');
			expect(pod.sim.requests).toHaveLength(1);
		});

		test('Create IM is safe to repeat: a 502 there is retried', async () => {
			await start();
			pod.sim.fault({ path: '/pod/v1/im/create', status: 502 });
			const result = await pod.harness.run(chain([{ name: 'Send', parameters: send({ sendTo: 'users', userIds: ALICE, text: 'x', options: QUICK_RETRY }) }]));
			expect(result.error).toBeUndefined();
			expect(pod.sim.requests.map((r) => `${r.path} ${r.status}`)).toEqual(['/pod/v1/im/create 502', '/pod/v1/im/create 200', expect.stringMatching(/^\/agent\/.* 200$/)]);
		});
	});
});
