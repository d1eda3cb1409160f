import { sleep, type IDataObject } from 'n8n-workflow';

import { chain } from '../../../../harness';
import { DEFAULT_KEY_MANAGER_TOKEN, simMessagingOf, type SimMessage } from '../../../../simulator/routes/messages';
import { ALICE, BOT, QUICK_RETRY, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';
import { ALL_BYTES, fieldsOf, partsOf } from '../../../../support/multipart';
import { expectNoSecrets } from '../../../../support/secrets';

const update = (parameters: IDataObject): IDataObject => ({ resource: 'message', operation: 'update', ...parameters });
const SECRETS = [SECRET_TOKEN, DEFAULT_KEY_MANAGER_TOKEN];

const ROOM_URL_SAFE = 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA';
const ROOM_AS_SHOWN = 'lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==';
/** A message ID whose standard Base64 form has `+`, `/` and `=`. */
const MESSAGE_URL_SAFE = 'gq2ml-4kHzQ_aBc3sFz2ZX___nDrDnDhdA';
const MESSAGE_AS_SHOWN = 'gq2ml+4kHzQ/aBc3sFz2ZX///nDrDnDhdA==';

const CHART = { name: 'chart.png', contentType: 'image/png', size: ALL_BYTES.length, data: ALL_BYTES };

describe('Message → Update', () => {
	let pod: PodFixture;
	let original: SimMessage;
	afterEach(async () => await pod.sim.close());

	async function start(): Promise<PodFixture> {
		pod = await startPod({}, { keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN });
		const messaging = simMessagingOf(pod.sim);
		messaging.addStream({ id: ROOM_URL_SAFE, type: 'ROOM', members: [BOT, ALICE] });
		original = messaging.addMessage({ messageId: MESSAGE_URL_SAFE, streamId: ROOM_URL_SAFE, timestamp: 1_000, userId: BOT, text: 'Desk opens at 9' });
		return pod;
	}

	test('IDs pasted as Symphony shows them: one multipart request to the URL-safe path, silent by default; output exact', async () => {
		await start();
		const result = await pod.harness.run(chain([{ name: 'Update', parameters: update({ streamId: ROOM_AS_SHOWN, messageId: ` ${MESSAGE_AS_SHOWN} `, text: 'Desk opens at 10 & not 9' }) }]));
		expect(result.error).toBeUndefined();
		const [request] = pod.sim.requests;
		expect(pod.sim.requests).toHaveLength(1);
		expect(`${request.method} ${request.path}`).toBe(`POST /agent/v4/stream/${ROOM_URL_SAFE}/message/${MESSAGE_URL_SAFE}/update`);
		expect(request.headers.sessiontoken).toBe(SECRET_TOKEN);
		expect(request.headers.keymanagertoken).toBe(DEFAULT_KEY_MANAGER_TOKEN);
		expect(fieldsOf(request)).toEqual([['message', '<messageML>Desk opens at 10 &amp; not 9</messageML>'], ['silent', 'true']]);
		const [stored] = simMessagingOf(pod.sim).messagesIn(ROOM_URL_SAFE);
		expect(stored).toMatchObject({ text: 'Desk opens at 10 & not 9', replacing: original.messageId });
		expect(result.items('Update')).toEqual([
			{
				json: { messageId: stored.messageId, streamId: ROOM_URL_SAFE, timestamp: stored.timestamp, text: 'Desk opens at 10 & not 9', replacedMessageId: MESSAGE_URL_SAFE },
				pairedItem: { item: 0 },
			},
		]);
		expect(simMessagingOf(pod.sim).updates).toEqual([{ messageId: stored.messageId, silent: true }]);
		expectNoSecrets(result.run, SECRETS);
	});

	test('Notify Members sends silent=false; MessageML is sent as written', async () => {
		await start();
		const messageML = '<messageML><b>Closed</b> today</messageML>';
		const result = await pod.harness.run(
			chain([{ name: 'Update', parameters: update({ streamId: ROOM_URL_SAFE, messageId: MESSAGE_URL_SAFE, format: 'messageML', messageML, options: { notify: true } }) }]),
		);
		expect(result.error).toBeUndefined();
		expect(fieldsOf(pod.sim.requests[0])).toEqual([['message', messageML], ['silent', 'false']]);
		expect(simMessagingOf(pod.sim).updates.map((u) => u.silent)).toEqual([false]);
	});

	test('MessageML with Entity Data: sent as the data field, between message and silent', async () => {
		await start();
		const entityData = '{"quote":{"type":"com.acme.quote","version":"1.0","price":1.09}}';
		const messageML = '<messageML><span class="entity" data-entity-id="quote">EUR/USD</span></messageML>';
		const result = await pod.harness.run(
			chain([{ name: 'Update', parameters: update({ streamId: ROOM_URL_SAFE, messageId: MESSAGE_URL_SAFE, format: 'messageML', messageML, options: { entityData } }) }]),
		);
		expect(result.error).toBeUndefined();
		expect(fieldsOf(pod.sim.requests[0])).toEqual([['message', messageML], ['data', entityData], ['silent', 'true']]);
		expect(simMessagingOf(pod.sim).messagesIn(ROOM_URL_SAFE)[0].data).toBe(entityData);
	});

	test("Attachments: sent with the update, bytes, names and types exact, and the new version has them; a missing one fails only its item", async () => {
		await start();
		const messaging = simMessagingOf(pod.sim);
		const second = messaging.addMessage({ streamId: ROOM_URL_SAFE, timestamp: 2_000, userId: BOT, text: 'Desk closes at 5' });
		const third = messaging.addMessage({ streamId: ROOM_URL_SAFE, timestamp: 3_000, userId: BOT, text: 'Desk on floor 2' });
		const csv = 'desk,opens\nRates,10:00\n';
		const result = await pod.harness.run(
			chain(
				[
					{
						name: 'Update',
						parameters: update({ streamId: ROOM_URL_SAFE, messageId: '={{ $json.id }}', text: '={{ $json.say }}', options: { attachments: '={{ $json.files }}' } }),
						continueOnFail: true,
					},
				],
				[
					{
						id: MESSAGE_URL_SAFE,
						say: 'Desk opens at 10, chart attached',
						files: 'chart, table',
						$binary: { chart: { base64: ALL_BYTES.toString('base64'), mimeType: 'image/png', fileName: 'chart.png' }, table: { text: csv, mimeType: 'text/csv', fileName: 'hours "desk".csv' } },
					},
					{ id: second.messageId, say: 'not sent', files: 'chart', $binary: { other: { text: 'x', mimeType: 'text/plain', fileName: 'x.txt' } } },
					{ id: third.messageId, say: 'Desk on floor 3', files: '' },
				],
			),
		);
		expect(result.error).toBeUndefined();
		const requests = pod.sim.requests;
		expect(requests.map((r) => r.path)).toEqual([
			`/agent/v4/stream/${ROOM_URL_SAFE}/message/${MESSAGE_URL_SAFE}/update`,
			`/agent/v4/stream/${ROOM_URL_SAFE}/message/${third.messageId}/update`,
		]);
		expect(partsOf(requests[0])).toEqual([
			['message', undefined, 'text/plain; charset=utf-8'],
			['silent', undefined, 'text/plain; charset=utf-8'],
			['attachment', 'chart.png', 'image/png'],
			['attachment', 'hours %22desk%22.csv', 'text/csv'],
		]);
		expect(fieldsOf(requests[1])).toEqual([['message', '<messageML>Desk on floor 3</messageML>'], ['silent', 'true']]);
		const [first, unchanged, moved] = messaging.messagesIn(ROOM_URL_SAFE);
		expect(first).toMatchObject({ replacing: MESSAGE_URL_SAFE, text: 'Desk opens at 10, chart attached' });
		expect(first.attachments).toEqual([CHART, { name: 'hours %22desk%22.csv', contentType: 'text/csv', size: Buffer.byteLength(csv), data: Buffer.from(csv) }]);
		expect(unchanged).toBe(second);
		expect(moved).toMatchObject({ replacing: third.messageId, text: 'Desk on floor 3', attachments: [] });
		const out = result.items('Update');
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toEqual({ messageId: first.messageId, streamId: ROOM_URL_SAFE, timestamp: first.timestamp, text: 'Desk opens at 10, chart attached', replacedMessageId: MESSAGE_URL_SAFE });
		expect(out[1].json.error).toContain('Attachments: "chart" is not a binary property of this item (the item\'s are: other).');
		expect(out[2].json).toMatchObject({ messageId: moved.messageId, replacedMessageId: third.messageId });
	});

	test('a 400 to an update with attachments also names the Symphony version that takes them; without, it does not', async () => {
		await start();
		const withFile = [{ $binary: { chart: { base64: ALL_BYTES.toString('base64'), mimeType: 'image/png', fileName: 'chart.png' } } }];
		for (const [attachments, mentioned] of [['chart', true], ['', false]] as const) {
			pod.sim.fault({ path: '/agent/', status: 400 });
			const result = await pod.harness.run(chain([{ name: 'Update', parameters: update({ streamId: ROOM_URL_SAFE, messageId: MESSAGE_URL_SAFE, text: 'x', options: { attachments } }) }], withFile));
			expect(result.error?.description).toContain('Symphony refused the update');
			expect(result.error?.description?.includes('Attachments on an update need Symphony 24.1 or later.')).toBe(mentioned);
		}
	});

	test('someone else\'s message: Symphony\'s 403 with what it means, not sent again', async () => {
		await start();
		const hers = simMessagingOf(pod.sim).addMessage({ streamId: ROOM_URL_SAFE, timestamp: 2_000, userId: ALICE, text: 'mine' });
		const result = await pod.harness.run(chain([{ name: 'Update', parameters: update({ streamId: ROOM_URL_SAFE, messageId: hers.messageId, text: 'x' }) }]));
		expect(result.error?.message).toBe(`Symphony refused access while updating message ${hers.messageId} in stream ${ROOM_URL_SAFE} (403 Forbidden)`);
		expect(result.error?.description).toContain('The account may update only its own messages');
		expect(pod.sim.requests).toHaveLength(1);
	});

	test('bad IDs and content are refused before anything is sent', async () => {
		await start();
		for (const [parameters, message] of [
			[{ streamId: ROOM_URL_SAFE, messageId: '={{ "" }}', text: 'x' }, /^Message ID: "" is empty\. Enter a message ID/],
			[{ streamId: '../admin', messageId: MESSAGE_URL_SAFE, text: 'x' }, /^Stream ID: "\.\.\/admin" is not a stream ID/],
			[{ streamId: ROOM_URL_SAFE, messageId: MESSAGE_URL_SAFE, text: ' ' }, /^Text: " " is empty/],
			[{ streamId: ROOM_URL_SAFE, messageId: MESSAGE_URL_SAFE, text: 'x', options: { notify: '={{ "yes" }}' } }, /^Notify Members: "yes" is not true or false/],
		] as Array<[IDataObject, RegExp]>) {
			const result = await pod.harness.run(chain([{ name: 'Update', parameters: update(parameters) }]));
			expect(result.error?.message).toMatch(message);
		}
		expect(pod.sim.requests).toEqual([]);
	});

	describe('an update is never carried out twice by a retry', () => {
		test('502 after the Agent updated the message: not retried', async () => {
			await start();
			pod.sim.fault({ path: '/agent/', status: 502, afterProcessing: true });
			const result = await pod.harness.run(chain([{ name: 'Update', parameters: update({ streamId: ROOM_URL_SAFE, messageId: MESSAGE_URL_SAFE, text: 'once', options: QUICK_RETRY }) }]));
			expect(result.error?.description).toContain('It was not sent again, because Symphony may have carried it out before the failure');
			expect(pod.sim.requests).toHaveLength(1);
			expect(simMessagingOf(pod.sim).updates).toHaveLength(1);
		});

		test('the connection dropped after the Agent updated it: not retried', async () => {
			await start();
			pod.sim.fault({ path: '/agent/', reset: true, afterProcessing: true });
			const result = await pod.harness.run(chain([{ name: 'Update', parameters: update({ streamId: ROOM_URL_SAFE, messageId: MESSAGE_URL_SAFE, text: 'once', options: QUICK_RETRY }) }]));
			expect(result.error).toBeDefined();
			expect(pod.sim.requests).toHaveLength(1);
			expect(simMessagingOf(pod.sim).updates).toHaveLength(1);
		});

		test('no answer in time (the Agent updates it later): not retried', async () => {
			await start();
			pod.sim.fault({ path: '/agent/', delayMs: 1500 });
			const result = await pod.harness.run(
				chain([{ name: 'Update', parameters: update({ streamId: ROOM_URL_SAFE, messageId: MESSAGE_URL_SAFE, text: 'late', options: { ...QUICK_RETRY, timeoutSeconds: 1 } }) }]),
			);
			expect(result.error?.description).toContain('may have carried it out');
			await sleep(800);
			expect(pod.sim.requests).toHaveLength(1);
			expect(simMessagingOf(pod.sim).updates).toHaveLength(1);
		});

		test('502 after the Agent updated it, with attachments: not retried', async () => {
			await start();
			pod.sim.fault({ path: '/agent/', status: 502, afterProcessing: true });
			const result = await pod.harness.run(
				chain([{ name: 'Update', parameters: update({ streamId: ROOM_URL_SAFE, messageId: MESSAGE_URL_SAFE, text: 'once', options: { ...QUICK_RETRY, attachments: 'chart' } }) }], [
					{ $binary: { chart: { base64: ALL_BYTES.toString('base64'), mimeType: 'image/png', fileName: 'chart.png' } } },
				]),
			);
			expect(result.error?.description).toContain('It was not sent again, because Symphony may have carried it out before the failure');
			expect(pod.sim.requests).toHaveLength(1);
			expect(simMessagingOf(pod.sim).messagesIn(ROOM_URL_SAFE).map((m) => m.attachments)).toEqual([[CHART]]);
		});

		test('429 answered before processing, with attachments: retried with the same files, updated once', async () => {
			await start();
			pod.sim.fault({ path: '/agent/', status: 429, retryAfter: '0' });
			const result = await pod.harness.run(
				chain([{ name: 'Update', parameters: update({ streamId: ROOM_URL_SAFE, messageId: MESSAGE_URL_SAFE, text: 'once', options: { ...QUICK_RETRY, attachments: 'chart' } }) }], [
					{ $binary: { chart: { base64: ALL_BYTES.toString('base64'), mimeType: 'image/png', fileName: 'chart.png' } } },
				]),
			);
			expect(result.error).toBeUndefined();
			expect(pod.sim.requests.map((r) => r.status)).toEqual([429, 200]);
			expect(pod.sim.requests[0].body).toBe(pod.sim.requests[1].body);
			expect(simMessagingOf(pod.sim).updates).toHaveLength(1);
			expect(simMessagingOf(pod.sim).messagesIn(ROOM_URL_SAFE).map((m) => m.attachments)).toEqual([[CHART]]);
		});

		test('429 answered before processing: retried, updated once', async () => {
			await start();
			pod.sim.fault({ path: '/agent/', status: 429, retryAfter: '0' });
			const result = await pod.harness.run(chain([{ name: 'Update', parameters: update({ streamId: ROOM_URL_SAFE, messageId: MESSAGE_URL_SAFE, text: 'once', options: QUICK_RETRY }) }]));
			expect(result.error).toBeUndefined();
			expect(pod.sim.requests.map((r) => r.status)).toEqual([429, 200]);
			expect(simMessagingOf(pod.sim).updates).toHaveLength(1);
		});
	});
});
