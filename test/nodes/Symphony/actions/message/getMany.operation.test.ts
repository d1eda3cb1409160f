import type { IDataObject } from 'n8n-workflow';

import { chain } from '../../../../harness';
import { DEFAULT_KEY_MANAGER_TOKEN, simMessagingOf } from '../../../../simulator/routes/messages';
import { ALICE, BIG_ID, BOB, BOT, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';
import { expectNoSecrets } from '../../../../support/secrets';

const getMany = (parameters: IDataObject): IDataObject => ({ resource: 'message', operation: 'getMany', ...parameters });
const SECRETS = [SECRET_TOKEN, DEFAULT_KEY_MANAGER_TOKEN];

const ROOM_URL_SAFE = 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA';
const ROOM_AS_SHOWN = 'lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==';
const JAN_5 = Date.UTC(2026, 0, 5);
const SINCE = '2026-01-05T00:00:00Z';
/** The node version where Simplify is shown and on by default. */
const LATEST = 3;

describe('Message → Get Many', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	async function start(): Promise<PodFixture> {
		pod = await startPod({}, { keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN });
		simMessagingOf(pod.sim).addStream({ id: ROOM_URL_SAFE, type: 'ROOM', members: [BOT, ALICE, BIG_ID] });
		return pod;
	}

	test('from Since on, oldest first: sender with an exact int64 ID, the plain text; one request with both tokens', async () => {
		await start();
		const messaging = simMessagingOf(pod.sim);
		messaging.addMessage({ streamId: ROOM_URL_SAFE, timestamp: JAN_5 - 1, userId: ALICE, text: 'before' });
		const first = messaging.addMessage({ streamId: ROOM_URL_SAFE, timestamp: JAN_5, userId: BIG_ID, text: 'P&L < 0\nsee "desk"' });
		const second = messaging.addMessage({ streamId: ROOM_URL_SAFE, timestamp: JAN_5 + 60_000, userId: ALICE, text: 'ok' });
		const result = await pod.harness.run(chain([{ name: 'Read', parameters: getMany({ streamId: ROOM_AS_SHOWN, since: SINCE }), typeVersion: LATEST }]));
		expect(result.error).toBeUndefined();
		expect(pod.sim.requests.map((r) => [r.method, r.path, r.query])).toEqual([['GET', `/agent/v4/stream/${ROOM_URL_SAFE}/message`, { since: String(JAN_5), limit: '50' }]]);
		expect(pod.sim.requests[0].headers.keymanagertoken).toBe(DEFAULT_KEY_MANAGER_TOKEN);
		expect(result.items('Read')).toEqual([
			{
				json: { messageId: first.messageId, streamId: ROOM_URL_SAFE, timestamp: JAN_5, sender: { userId: BIG_ID, email: 'big@far.example' }, text: 'P&L < 0\nsee "desk"' },
				pairedItem: { item: 0 },
			},
			{
				json: { messageId: second.messageId, streamId: ROOM_URL_SAFE, timestamp: JAN_5 + 60_000, sender: { userId: ALICE, email: 'alice@acme.example' }, text: 'ok' },
				pairedItem: { item: 0 },
			},
		]);
		expectNoSecrets(result.run, SECRETS);
	});

	test('Return All pages by the last time and the count already seen at it, 500 a page: every message once, in order', async () => {
		await start();
		const messaging = simMessagingOf(pod.sim);
		// Seven messages share each millisecond, so pages end in the middle of one.
		const ids = Array.from({ length: 1100 }, (_, i) => messaging.addMessage({ streamId: ROOM_URL_SAFE, timestamp: JAN_5 + Math.floor(i / 7), userId: ALICE, text: `m${i}` }).messageId);
		const result = await pod.harness.run(chain([{ name: 'Read', parameters: getMany({ streamId: ROOM_URL_SAFE, since: SINCE, returnAll: true }), typeVersion: LATEST }]));
		expect(result.error).toBeUndefined();
		expect(pod.sim.requests.map((r) => r.query)).toEqual([
			{ since: String(JAN_5), limit: '500' },
			{ since: String(JAN_5 + 71), skip: '3', limit: '500' },
			{ since: String(JAN_5 + 142), skip: '6', limit: '500' },
		]);
		expect(result.json('Read').map((json) => json.messageId)).toEqual(ids);
	});

	test('Limit asks only for what it needs; Until is passed on; no messages (204) gives no items', async () => {
		await start();
		const messaging = simMessagingOf(pod.sim);
		for (let i = 0; i < 10; i++) messaging.addMessage({ streamId: ROOM_URL_SAFE, timestamp: JAN_5 + i * 1000, userId: ALICE, text: `m${i}` });
		const limited = await pod.harness.run(chain([{ name: 'Read', parameters: getMany({ streamId: ROOM_URL_SAFE, since: SINCE, limit: 3 }), typeVersion: LATEST }]));
		expect(limited.json('Read').map((json) => json.text)).toEqual(['m0', 'm1', 'm2']);
		expect(pod.sim.requests.map((r) => r.query.limit)).toEqual(['3']);
		pod.sim.clearLog();
		const until = await pod.harness.run(
			chain([{ name: 'Read', parameters: getMany({ streamId: ROOM_URL_SAFE, since: SINCE, options: { until: '2026-01-05T00:00:02Z' } }), typeVersion: LATEST }]),
		);
		expect(until.json('Read').map((json) => json.text)).toEqual(['m0', 'm1', 'm2']);
		expect(pod.sim.requests[0].query).toEqual({ since: String(JAN_5), until: String(JAN_5 + 2000), limit: '50' });
		pod.sim.clearLog();
		const none = await pod.harness.run(chain([{ name: 'Read', parameters: getMany({ streamId: ROOM_URL_SAFE, since: '2026-02-01T00:00:00Z' }), typeVersion: LATEST }]));
		expect(none.error).toBeUndefined();
		expect(pod.sim.requests.map((r) => r.status)).toEqual([204]);
		expect(none.json('Read')).toEqual([]);
	});

	test('a Since picked without a time zone is the workflow\'s time zone\'s', async () => {
		await start();
		const workflow = chain([{ name: 'Read', parameters: getMany({ streamId: ROOM_URL_SAFE, since: '2026-01-05T09:00:00', options: { until: '2026-01-05T18:00:00' } }), typeVersion: LATEST }]);
		const result = await pod.harness.run({ ...workflow, settings: { timezone: 'Europe/Paris' } });
		expect(result.error).toBeUndefined();
		expect(pod.sim.requests[0].query).toEqual({ since: String(Date.UTC(2026, 0, 5, 8)), until: String(Date.UTC(2026, 0, 5, 17)), limit: '50' });
	});

	test('Simplify off: Symphony\'s whole message under raw', async () => {
		await start();
		const message = simMessagingOf(pod.sim).addMessage({ streamId: ROOM_URL_SAFE, timestamp: JAN_5, userId: ALICE, text: 'hi' });
		const result = await pod.harness.run(chain([{ name: 'Read', parameters: getMany({ streamId: ROOM_URL_SAFE, since: SINCE, simplify: false }), typeVersion: LATEST }]));
		expect(result.json('Read')).toEqual([
			expect.objectContaining({
				messageId: message.messageId,
				text: 'hi',
				raw: expect.objectContaining({ messageId: message.messageId, message: expect.stringContaining('data-format="PresentationML"'), stream: { streamId: ROOM_URL_SAFE, streamType: 'ROOM' } }),
			}),
		]);
	});

	test('a stream the account is not in: Symphony\'s 403 with what it means', async () => {
		await start();
		const theirs = simMessagingOf(pod.sim).imFor([ALICE, BOB]).id;
		const result = await pod.harness.run(chain([{ name: 'Read', parameters: getMany({ streamId: theirs, since: SINCE }) }]));
		expect(result.error?.message).toBe(`Symphony refused access while reading the messages of stream ${theirs} (403 Forbidden)`);
		expect(result.error?.description).toContain('The account is not a member of this conversation');
	});

	test.each([
		['an empty Since', { since: '={{ "" }}' }, /^Since: "" is empty\. Pick a date and time/],
		['a Since that is no time', { since: 'last week' }, /^Since: "last week" is not a date and time/],
		['an Until before Since', { options: { until: '2026-01-04T00:00:00Z' } }, /^Until: "2026-01-04T00:00:00Z" is before Since \(2026-01-05T00:00:00.000Z\)\. Pick an Until after Since/],
		['a limit of 0', { limit: 0 }, /^Limit: 0 is not a whole number from 1/],
		['a bad stream ID', { streamId: 'a/b_c-d+e' }, /^Stream ID: "a\/b_c-d\+e" is not a stream ID/],
	])('%s is refused before any request', async (_name, parameters, message) => {
		await start();
		const result = await pod.harness.run(chain([{ name: 'Read', parameters: getMany({ streamId: ROOM_URL_SAFE, since: SINCE, ...parameters }), typeVersion: LATEST }]));
		expect(result.error?.message).toMatch(message);
		expect(pod.sim.requests).toEqual([]);
	});
});
