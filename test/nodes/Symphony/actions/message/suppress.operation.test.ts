import type { IDataObject } from 'n8n-workflow';

import { chain } from '../../../../harness';
import { PRESENCE_PRIVILEGE } from '../../../../simulator';
import { SUPPRESS_PRIVILEGE, simMessagingOf, type SimMessage } from '../../../../simulator/routes/messages';
import { ALICE, BOT, QUICK_RETRY, SECRET_TOKEN, startPod, type PodFixture } from '../../../../support/pod';
import { expectNoSecrets } from '../../../../support/secrets';

const suppress = (parameters: IDataObject): IDataObject => ({ resource: 'message', operation: 'suppress', ...parameters });

const MESSAGE_URL_SAFE = 'gq2ml-4kHzQ_aBc3sFz2ZX___nDrDnDhdA';
const MESSAGE_AS_SHOWN = 'gq2ml+4kHzQ/aBc3sFz2ZX///nDrDnDhdA==';

describe('Message → Suppress', () => {
	let pod: PodFixture;
	let message: SimMessage;
	afterEach(async () => await pod.sim.close());

	async function start(privileges = [PRESENCE_PRIVILEGE, SUPPRESS_PRIVILEGE]): Promise<PodFixture> {
		pod = await startPod({ sessions: [{ token: SECRET_TOKEN, userId: BOT, privileges }] });
		const messaging = simMessagingOf(pod.sim);
		messaging.addStream({ id: 'room-stream-0001', type: 'ROOM', members: [BOT, ALICE] });
		message = messaging.addMessage({ messageId: MESSAGE_URL_SAFE, streamId: 'room-stream-0001', timestamp: 1_000, userId: ALICE, text: 'oops' });
		return pod;
	}

	test('a message ID pasted as Symphony shows it: one pod request to the URL-safe path; output exact; safe to repeat', async () => {
		await start();
		const result = await pod.harness.run(chain([{ name: 'Suppress', parameters: suppress({ messageId: MESSAGE_AS_SHOWN }) }]));
		expect(result.error).toBeUndefined();
		expect(pod.sim.requests.map((r) => `${r.method} ${r.path} ${r.body}`)).toEqual([`POST /pod/v1/admin/messagesuppression/${MESSAGE_URL_SAFE}/suppress `]);
		expect(pod.sim.requests[0].headers.sessiontoken).toBe(SECRET_TOKEN);
		expect(message.suppressedAt).toEqual(expect.any(Number));
		expect(result.items('Suppress')).toEqual([{ json: { messageId: MESSAGE_URL_SAFE, suppressed: true, suppressionDate: message.suppressedAt }, pairedItem: { item: 0 } }]);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('without the Content Management role: the 403 says which role the account needs', async () => {
		await start([PRESENCE_PRIVILEGE]);
		const result = await pod.harness.run(chain([{ name: 'Suppress', parameters: suppress({ messageId: MESSAGE_URL_SAFE }) }]));
		expect(result.error?.message).toBe(`Symphony refused access while suppressing message ${MESSAGE_URL_SAFE} (403 Forbidden)`);
		expect(result.error?.description).toContain('Suppressing messages needs the Content Management role on the account');
		expect(message.suppressedAt).toBeUndefined();
	});

	test('an unknown message: the 404 says so', async () => {
		await start();
		const result = await pod.harness.run(chain([{ name: 'Suppress', parameters: suppress({ messageId: 'no-such-message-01' }) }]));
		expect(result.error?.message).toContain('(404');
		expect(result.error?.description).toContain('Symphony has no message with this ID');
	});

	test('a 502 after processing is retried (suppressing twice changes nothing)', async () => {
		await start();
		pod.sim.fault({ path: '/pod/v1/admin/messagesuppression/', status: 502, afterProcessing: true });
		const result = await pod.harness.run(chain([{ name: 'Suppress', parameters: suppress({ messageId: MESSAGE_URL_SAFE, options: QUICK_RETRY }) }]));
		expect(result.error).toBeUndefined();
		expect(pod.sim.requests.map((r) => r.status)).toEqual([502, 200]);
		expect(result.json('Suppress')).toEqual([{ messageId: MESSAGE_URL_SAFE, suppressed: true, suppressionDate: message.suppressedAt }]);
	});

	test('a message ID that would change the URL is refused before any request', async () => {
		await start();
		const result = await pod.harness.run(chain([{ name: 'Suppress', parameters: suppress({ messageId: '../../v2/admin' }) }]));
		expect(result.error?.message).toMatch(/^Message ID: "\.\.\/\.\.\/v2\/admin" is not a message ID\. Enter a message ID as Symphony gives it/);
		expect(pod.sim.requests).toEqual([]);
	});
});
