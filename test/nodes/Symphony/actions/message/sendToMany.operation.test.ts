import { sleep, type IDataObject } from 'n8n-workflow';

import { chain } from '../../../../harness';
import { DEFAULT_KEY_MANAGER_TOKEN, simMessagingOf } from '../../../../simulator/routes/messages';
import { ALICE, BOB, BOT, QUICK_RETRY, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';
import { ALL_BYTES, fieldsOf, partsOf } from '../../../../support/multipart';
import { expectNoSecrets } from '../../../../support/secrets';

const blast = (parameters: IDataObject): IDataObject => ({ resource: 'message', operation: 'sendToMany', ...parameters });
const SECRETS = [SECRET_TOKEN, DEFAULT_KEY_MANAGER_TOKEN];

/** A room whose standard Base64 form (as Symphony's client shows it) has `/`, `+` and `=`. */
const ROOM_URL_SAFE = 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA';
const ROOM_AS_SHOWN = 'lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==';
const DESK = 'desk-room-stream-0002';
/** A room the bot is not in. */
const OTHERS = 'others-room-stream-0003';


describe('Message → Send to Many', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	async function start(options: Parameters<typeof startPod>[0] = {}): Promise<PodFixture> {
		pod = await startPod(options, { keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN });
		const messaging = simMessagingOf(pod.sim);
		messaging.addStream({ id: ROOM_URL_SAFE, type: 'ROOM', members: [BOT, ALICE, BOB] });
		messaging.addStream({ id: DESK, type: 'ROOM', members: [BOT, ALICE] });
		messaging.addStream({ id: OTHERS, type: 'ROOM', members: [ALICE, BOB] });
		return pod;
	}

	test('one Blast per item with the URL-safe stream IDs, once each; every stream an output item paired to its item, the failed ones with sent: false', async () => {
		await start();
		const result = await pod.harness.run(
			chain([{ name: 'Blast', parameters: blast({ streamIds: '={{ $json.to }}', text: '={{ $json.say }}' }) }], [
				{ to: `${ROOM_AS_SHOWN}, ${DESK}\n${ROOM_URL_SAFE}; unknown-stream-0009, ${OTHERS}`, say: 'P&L < 0' },
				{ to: [DESK], say: 'second' },
			]),
		);
		expect(result.error).toBeUndefined();
		const requests = pod.sim.requests;
		expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /agent/v4/message/blast', 'POST /agent/v4/message/blast']);
		for (const request of requests) {
			expect(request.headers.sessiontoken).toBe(SECRET_TOKEN);
			expect(request.headers.keymanagertoken).toBe(DEFAULT_KEY_MANAGER_TOKEN);
		}
		expect(fieldsOf(requests[0])).toEqual([
			['message', '<messageML>P&amp;L &lt; 0</messageML>'],
			['sids', `${ROOM_URL_SAFE},${DESK},unknown-stream-0009,${OTHERS}`],
		]);
		expect(fieldsOf(requests[1])).toEqual([['message', '<messageML>second</messageML>'], ['sids', DESK]]);
		const messaging = simMessagingOf(pod.sim);
		const [inRoom] = messaging.messagesIn(ROOM_URL_SAFE);
		const [atDesk, atDeskAgain] = messaging.messagesIn(DESK);
		expect(result.items('Blast')).toEqual([
			{ json: { streamId: ROOM_URL_SAFE, sent: true, messageId: inRoom.messageId, timestamp: inRoom.timestamp, text: 'P&L < 0' }, pairedItem: { item: 0 } },
			{ json: { streamId: DESK, sent: true, messageId: atDesk.messageId, timestamp: atDesk.timestamp, text: 'P&L < 0' }, pairedItem: { item: 0 } },
			{ json: { streamId: 'unknown-stream-0009', sent: false, errorCode: 400, errorMessage: 'Stream unknown-stream-0009 not found', text: 'P&L < 0' }, pairedItem: { item: 0 } },
			{ json: { streamId: OTHERS, sent: false, errorCode: 403, errorMessage: 'The caller is not a member of this stream', text: 'P&L < 0' }, pairedItem: { item: 0 } },
			{ json: { streamId: DESK, sent: true, messageId: atDeskAgain.messageId, timestamp: atDeskAgain.timestamp, text: 'second' }, pairedItem: { item: 1 } },
		]);
		expect(messaging.messagesIn(OTHERS)).toEqual([]);
		expectNoSecrets(result.run, SECRETS);
	});

	test('150 streams: two requests of 100 and 50, in order; 150 output items', async () => {
		await start();
		const messaging = simMessagingOf(pod.sim);
		const ids = Array.from({ length: 150 }, (_, i) => messaging.addStream({ id: `bulk-stream-${String(i).padStart(4, '0')}`, type: 'IM', members: [BOT, ALICE] }).id);
		const result = await pod.harness.run(chain([{ name: 'Blast', parameters: blast({ streamIds: ids.join(','), format: 'messageML', messageML: '<messageML><b>all</b></messageML>' }) }]));
		expect(result.error).toBeUndefined();
		const sids = pod.sim.requests.map((request) => new Map(fieldsOf(request)).get('sids')!.split(','));
		expect(sids).toEqual([ids.slice(0, 100), ids.slice(100)]);
		const output = result.json('Blast');
		expect(output.map((json) => [json.streamId, json.sent, json.text])).toEqual(ids.map((id) => [id, true, '<messageML><b>all</b></messageML>']));
		expect(messaging.allMessages()).toHaveLength(150);
	});

	test('the second request refused (403): the first 100 are output as sent, the error item names the 50 not sent', async () => {
		await start({ latencyMs: { messageBlast: 150 } });
		const messaging = simMessagingOf(pod.sim);
		const ids = Array.from({ length: 150 }, (_, i) => messaging.addStream({ id: `bulk-stream-${String(i).padStart(4, '0')}`, type: 'IM', members: [BOT, ALICE] }).id);
		const running = pod.harness.run(chain([{ name: 'Blast', parameters: blast({ streamIds: ids, text: 'hi' }), continueOnFail: true }], [{ n: 1 }]));
		// The first request is held 150 ms at the pod: the fault is in place before the second arrives.
		while (pod.sim.requests.length === 0) await sleep(2);
		pod.sim.fault({ path: '/agent/v4/message/blast', status: 403 });
		const result = await running;
		const items = result.items('Blast');
		expect(items).toHaveLength(101);
		expect(items.slice(0, 100).map((item) => [item.json.streamId, item.json.sent, item.pairedItem])).toEqual(ids.slice(0, 100).map((id) => [id, true, { item: 0 }]));
		expect(items[100].pairedItem).toEqual({ item: 0 });
		expect(items[100].json).toMatchObject({ sent: false, streamIds: ids.slice(100), text: 'hi', error: expect.stringContaining('(403 Forbidden)') });
		expect(messaging.allMessages()).toHaveLength(100);
	});

	test('Send\'s content options: Mention People by Email for Text, Entity Data for MessageML', async () => {
		await start();
		const mentioned = await pod.harness.run(chain([{ name: 'Blast', parameters: blast({ streamIds: DESK, text: 'Ask @alice@acme.example', options: { mentionEmails: true } }) }]));
		expect(mentioned.error).toBeUndefined();
		expect(fieldsOf(pod.sim.requests[0])).toEqual([['message', '<messageML>Ask <mention email="alice@acme.example"/></messageML>'], ['sids', DESK]]);
		pod.sim.clearLog();
		const entityData = '{"quote":{"type":"com.acme.quote","version":"1.0","price":1.08}}';
		const messageML = '<messageML><span class="entity" data-entity-id="quote">EUR/USD</span></messageML>';
		const withData = await pod.harness.run(chain([{ name: 'Blast', parameters: blast({ streamIds: DESK, format: 'messageML', messageML, options: { entityData } }) }]));
		expect(withData.error).toBeUndefined();
		expect(fieldsOf(pod.sim.requests[0])).toEqual([['message', messageML], ['data', entityData], ['sids', DESK]]);
		pod.sim.clearLog();
		const badData = await pod.harness.run(chain([{ name: 'Blast', parameters: blast({ streamIds: DESK, format: 'messageML', messageML, options: { entityData: '{"quote":' } }) }]));
		expect(badData.error?.message).toMatch(/^Entity Data \(JSON\): "\{\\"quote\\":" is not valid JSON/);
		expect(pod.sim.requests).toEqual([]);
	});

	test("Attachments: every stream gets the item's binary properties, bytes, names and types exact, in each request of 100; a missing one fails only its item", async () => {
		await start();
		const messaging = simMessagingOf(pod.sim);
		const ids = Array.from({ length: 101 }, (_, i) => messaging.addStream({ id: `bulk-stream-${String(i).padStart(4, '0')}`, type: 'IM', members: [BOT, ALICE] }).id);
		const csv = 'desk,status\nRates,OPEN\nZoë,BUSY\n';
		const result = await pod.harness.run(
			chain([{ name: 'Blast', parameters: blast({ streamIds: '={{ $json.to }}', text: '={{ $json.say }}', options: { attachments: '={{ $json.files }}' } }), continueOnFail: true }], [
				{
					to: ids,
					say: 'Desk status attached',
					files: 'chart, table',
					$binary: { chart: { base64: ALL_BYTES.toString('base64'), mimeType: 'image/png', fileName: 'chart.png' }, table: { text: csv, mimeType: 'text/csv', fileName: 'desk "status".csv' } },
				},
				{ to: [DESK], say: 'not sent', files: 'chart', $binary: { other: { text: 'x', mimeType: 'text/plain', fileName: 'x.txt' } } },
				{ to: [DESK], say: 'not sent', files: 'chart' },
				{ to: [DESK, OTHERS], say: 'Second', files: 'notes', $binary: { notes: { text: 'see attached' } } },
			]),
		);
		expect(result.error).toBeUndefined();
		const requests = pod.sim.requests;
		expect(requests.map((r) => new Map(fieldsOf(r)).get('sids')!.split(','))).toEqual([ids.slice(0, 100), ids.slice(100), [DESK, OTHERS]]);
		const chartAndTable = [
			['attachment', 'chart.png', 'image/png'],
			['attachment', 'desk %22status%22.csv', 'text/csv'],
		];
		expect(partsOf(requests[0])).toEqual([['message', undefined, 'text/plain; charset=utf-8'], ['sids', undefined, 'text/plain; charset=utf-8'], ...chartAndTable]);
		expect(partsOf(requests[1]).slice(2)).toEqual(chartAndTable);
		// Without a file name, the property's name; the type is the one n8n gave the data.
		expect(partsOf(requests[2])[2]).toEqual(['attachment', 'notes', 'text/plain']);
		const chart = { name: 'chart.png', contentType: 'image/png', size: ALL_BYTES.length, data: ALL_BYTES };
		const table = { name: 'desk %22status%22.csv', contentType: 'text/csv', size: Buffer.byteLength(csv), data: Buffer.from(csv) };
		for (const id of ids) expect(messaging.messagesIn(id).map((m) => m.attachments)).toEqual([[chart, table]]);
		const [atDesk] = messaging.messagesIn(DESK);
		expect(atDesk.text).toBe('Second');
		expect(atDesk.attachments).toEqual([{ name: 'notes', contentType: 'text/plain', size: 12, data: Buffer.from('see attached') }]);
		const out = result.items('Blast');
		expect(out).toHaveLength(105);
		expect(out.slice(0, 101).map((item) => [item.json.streamId, item.json.sent, item.pairedItem])).toEqual(ids.map((id) => [id, true, { item: 0 }]));
		expect(out[101].pairedItem).toEqual({ item: 1 });
		expect(out[101].json.error).toContain('Attachments: "chart" is not a binary property of this item (the item\'s are: other).');
		expect(out[102].pairedItem).toEqual({ item: 2 });
		expect(out[102].json.error).toContain('Attachments: "chart" is not a binary property of this item (the item has no binary data).');
		expect(out.slice(103).map((item) => [item.json.streamId, item.json.sent, item.pairedItem])).toEqual([
			[DESK, true, { item: 3 }],
			[OTHERS, false, { item: 3 }],
		]);
	});

	test('a stream\'s error that echoes a token: the token is hidden in the output', async () => {
		await start();
		const said = `Stream ${DESK} refused for session ${SECRET_TOKEN} and key ${DEFAULT_KEY_MANAGER_TOKEN}`;
		pod.sim.fault({ path: '/agent/v4/message/blast', body: JSON.stringify({ messages: [], errors: { [DESK]: { code: 403, message: said } } }), contentType: 'application/json' });
		const result = await pod.harness.run(chain([{ name: 'Blast', parameters: blast({ streamIds: DESK, text: 'hi' }) }]));
		expect(result.json('Blast')).toEqual([{ streamId: DESK, sent: false, errorCode: 403, errorMessage: `Stream ${DESK} refused for session [hidden] and key [hidden]`, text: 'hi' }]);
		expectNoSecrets(result.run, SECRETS);
	});

	test('a stream ID that is none: refused before anything is sent, naming it', async () => {
		await start();
		const result = await pod.harness.run(chain([{ name: 'Blast', parameters: blast({ streamIds: `${DESK}, not/a_stream`, text: 'hi' }) }]));
		expect(result.error?.message).toMatch(/^Stream IDs: "not\/a_stream" is not a stream ID\. Enter a stream ID as Symphony shows it/);
		expect(pod.sim.requests).toEqual([]);
	});

	describe('a Blast is never sent twice by a retry', () => {
		test('502 after the Agent sent it: not retried; the message says it may have been sent', async () => {
			await start();
			pod.sim.fault({ path: '/agent/v4/message/blast', status: 502, afterProcessing: true });
			const result = await pod.harness.run(chain([{ name: 'Blast', parameters: blast({ streamIds: `${DESK},${ROOM_URL_SAFE}`, text: 'once', options: QUICK_RETRY }) }]));
			expect(result.error?.message).toContain('(502');
			expect(result.error?.description).toContain('It was not sent again, because Symphony may have carried it out before the failure');
			expect(pod.sim.requests).toHaveLength(1);
			expect(simMessagingOf(pod.sim).allMessages().map((m) => m.text)).toEqual(['once', 'once']);
		});

		test('the connection dropped after the Agent sent it: not retried; under Continue On Fail the error item names the streams not confirmed', async () => {
			await start();
			pod.sim.fault({ path: '/agent/v4/message/blast', reset: true, afterProcessing: true });
			const result = await pod.harness.run(
				chain([{ name: 'Blast', parameters: blast({ streamIds: `${DESK},${ROOM_URL_SAFE}`, text: 'once', options: QUICK_RETRY }), continueOnFail: true }], [{ n: 1 }]),
			);
			expect(pod.sim.requests).toHaveLength(1);
			expect(simMessagingOf(pod.sim).allMessages()).toHaveLength(2);
			expect(result.items('Blast')).toEqual([
				{ json: expect.objectContaining({ sent: false, streamIds: [DESK, ROOM_URL_SAFE], error: expect.any(String) }), pairedItem: { item: 0 } },
			]);
		});

		test('no answer in time (the Agent sends it later): not retried', async () => {
			await start();
			pod.sim.fault({ path: '/agent/v4/message/blast', delayMs: 1500 });
			const result = await pod.harness.run(chain([{ name: 'Blast', parameters: blast({ streamIds: DESK, text: 'late', options: { ...QUICK_RETRY, timeoutSeconds: 1 } }) }]));
			expect(result.error?.description).toContain('may have carried it out');
			await sleep(800);
			expect(pod.sim.requests).toHaveLength(1);
			expect(simMessagingOf(pod.sim).allMessages().map((m) => m.text)).toEqual(['late']);
		});

		test('503 answered before processing, with attachments: retried with the same files, sent once', async () => {
			await start();
			pod.sim.fault({ path: '/agent/v4/message/blast', status: 503, retryAfter: '0' });
			const result = await pod.harness.run(
				chain([{ name: 'Blast', parameters: blast({ streamIds: DESK, text: 'once', options: { ...QUICK_RETRY, attachments: 'chart' } }) }], [
					{ $binary: { chart: { base64: ALL_BYTES.toString('base64'), mimeType: 'image/png', fileName: 'chart.png' } } },
				]),
			);
			expect(result.error).toBeUndefined();
			expect(pod.sim.requests.map((r) => r.status)).toEqual([503, 200]);
			expect(pod.sim.requests[0].body).toBe(pod.sim.requests[1].body);
			expect(simMessagingOf(pod.sim).allMessages().map((m) => m.attachments)).toEqual([[{ name: 'chart.png', contentType: 'image/png', size: ALL_BYTES.length, data: ALL_BYTES }]]);
		});

		test('503 answered before processing: retried, sent once', async () => {
			await start();
			pod.sim.fault({ path: '/agent/v4/message/blast', status: 503, retryAfter: '0' });
			const result = await pod.harness.run(chain([{ name: 'Blast', parameters: blast({ streamIds: DESK, text: 'once', options: QUICK_RETRY }) }]));
			expect(result.error).toBeUndefined();
			expect(pod.sim.requests.map((r) => r.status)).toEqual([503, 200]);
			expect(simMessagingOf(pod.sim).allMessages()).toHaveLength(1);
		});
	});
});
