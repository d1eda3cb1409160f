/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
import type { IDataObject } from 'n8n-workflow';

import { SymphonyTrigger } from '../../../nodes/Symphony/SymphonyTrigger.node';
import { activateTrigger, type ActiveTrigger, type ActiveTriggerOptions } from '../../harness/trigger';
import { SYMPHONY_TRIGGER_TYPE } from '../../harness';
import { simDatafeedsOf, type SimDatafeeds } from '../../simulator/routes/datafeed';
import { DEFAULT_KEY_MANAGER_TOKEN, simMessagingOf, type SimMessaging } from '../../simulator/routes/messages';
import { ALICE, BIG_ID, BOB, BOT, SECRET_TOKEN, startPod, type PodFixture } from '../../support/pod';
import { startRsaPod } from '../../support/rsa';

/** Polls until `check` holds: the order of what happens comes from the simulator, not from timing. */
async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describe('Symphony Trigger: description', () => {
	const { description } = new SymphonyTrigger();

	test('a trigger() node (not polling), RSA first, both credentials behind one Authentication field', () => {
		expect(description).toMatchObject({ name: 'symphonyTrigger', displayName: 'Symphony Trigger', group: ['trigger'], inputs: [] });
		expect(description.polling).toBeUndefined();
		expect(typeof new SymphonyTrigger().trigger).toBe('function');
		expect(description.properties[0]).toMatchObject({ name: 'authentication', default: 'symphonyRsaApi' });
		expect(description.credentials?.map((c) => c.name)).toEqual(['symphonyApi', 'symphonyRsaApi']);
	});

	test('Message In shows only with Message Received', () => {
		expect(description.properties.find((p) => p.name === 'messageIn')?.displayOptions?.show?.events).toEqual(['messageReceived']);
	});
});

describe('Symphony Trigger with the RSA credential', () => {
	test('logs in to the pod and the key manager, renews an ended session mid-read, and shows no secret', async () => {
		const pod = await startRsaPod();
		const feeds = simDatafeedsOf(pod.sim);
		feeds.settings.waitMs = 100;
		const messaging = simMessagingOf(pod.sim);
		const imId = messaging.imFor([BOT, ALICE]).id;
		const trigger = await activateTrigger(pod.harness, { events: ['messageReceived'] }, { credentialType: 'symphonyRsaApi' });
		try {
			await until(() => feeds.pendingReads > 0, 'a read');
			feeds.post(ALICE, imId, '<messageML>one</messageML>', 'one');
			await trigger.waitForItems(1);
			const logins = pod.login.issued.length;
			pod.login.expireSessions();
			messaging.expireKeyManagerSessions();
			// The read out when the sessions ended comes back empty at the end of its wait; the next one is refused and logs in again.
			await until(() => pod.login.issued.length > logins, 'a new login after the sessions ended');
			feeds.post(ALICE, imId, '<messageML>two</messageML>', 'two');
			expect((await trigger.waitForItems(2)).map((item) => item.text)).toEqual(['one', 'two']);
			expect(trigger.errors).toEqual([]);
			const shown = JSON.stringify([trigger.items(), trigger.staticData()]);
			for (const secret of pod.secrets()) expect(shown).not.toContain(secret);
		} finally {
			await trigger.close();
			await pod.sim.close();
		}
	});
});

describe('Symphony Trigger (datafeed v5) in n8n-core', () => {
	let pod: PodFixture;
	let feeds: SimDatafeeds;
	let messaging: SimMessaging;
	let imId: string;
	let roomId: string;
	let now: number;
	const active: ActiveTrigger[] = [];

	const activate = async (parameters: IDataObject = {}, options: ActiveTriggerOptions = {}) => {
		const trigger = await activateTrigger(pod.harness, { events: ['messageReceived'], ...parameters }, options);
		active.push(trigger);
		return trigger;
	};
	const post = (userId: string, streamId: string, text: string, messageML?: string) =>
		feeds.post(userId, streamId, messageML ?? `<messageML>${text}</messageML>`, text);
	const feedIdOf = (trigger: ActiveTrigger) => trigger.staticData().feedId as string;
	const readPending = () => until(() => feeds.pendingReads > 0, 'a read waiting at the simulator');

	beforeEach(async () => {
		now = Date.parse('2026-03-02T09:00:00Z');
		pod = await startPod({ now: () => now }, { keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN });
		feeds = simDatafeedsOf(pod.sim);
		feeds.settings.waitMs = 100;
		messaging = simMessagingOf(pod.sim);
		imId = messaging.imFor([BOT, ALICE]).id;
		roomId = messaging.addStream({ id: messaging.newId(), type: 'ROOM', members: [BOT, ALICE, BOB] }).id;
	});
	afterEach(async () => {
		for (const trigger of active.splice(0)) await trigger.close();
		await pod.sim.close();
	});

	test('activation creates one tagged feed and keeps its ID in static data (saved); reads send updatePresence false', async () => {
		const trigger = await activate();
		const feedId = feedIdOf(trigger);
		expect(feeds.feedsOf(BOT).map((feed) => feed.id)).toEqual([feedId]);
		expect(feeds.feeds.get(feedId)!.tag).toBe(`n8n-${trigger.workflow.id}-${trigger.node.id}`);
		expect(trigger.savedStaticData()).toMatchObject({ feedId });
		await readPending();
		expect(pod.sim.requestsTo(`/agent/v5/datafeeds/${feedId}/read`)[0]).toMatchObject({
			body: '{"ackId":"","updatePresence":false}',
			headers: expect.objectContaining({ sessiontoken: SECRET_TOKEN, keymanagertoken: DEFAULT_KEY_MANAGER_TOKEN }),
		});
	});

	test('each message posted starts one execution, once; each batch is acknowledged by the next read', async () => {
		const trigger = await activate();
		await readPending();
		post(ALICE, imId, 'one');
		post(ALICE, imId, 'two');
		await trigger.waitForItems(2);
		post(ALICE, roomId, 'three');
		const items = await trigger.waitForItems(3);
		expect(trigger.emissions.every((emission) => emission.length === 1 && emission[0].length === 1)).toBe(true);
		expect(items.map((item) => item.text)).toEqual(['one', 'two', 'three']);
		expect(items[0]).toMatchObject({ type: 'messageReceived', symphonyType: 'MESSAGESENT', streamId: imId, streamType: 'IM', senderId: ALICE, senderEmail: 'alice@acme.example', event: expect.objectContaining({ type: 'MESSAGESENT' }) });
		expect(items[2]).toMatchObject({ streamId: roomId, streamType: 'ROOM' });
		// Every delivered batch's ackId came back with the next read: all acknowledged, none delivered twice.
		const feed = feeds.feeds.get(feedIdOf(trigger))!;
		await until(() => feed.inFlight.size === 0, 'every batch acknowledged');
		expect([...feed.deliveries.values()]).toEqual([1, 1, 1]);
		expect(feed.acknowledged.size).toBe(3);
	});

	test('a batch Symphony delivers again (its ackId late) is not emitted twice', async () => {
		const trigger = await activate();
		await readPending();
		// The read that carries the acknowledgement fails until the visibility timeout has passed.
		pod.sim.fault({ path: /\/read$/, status: 503, times: 6 });
		post(ALICE, imId, 'only once');
		await trigger.waitForItems(1);
		now += 30_000;
		const feed = feeds.feeds.get(feedIdOf(trigger))!;
		const [eventId] = feed.deliveries.keys();
		await until(() => feed.deliveries.get(eventId) === 2, 'the redelivery');
		await until(() => feed.inFlight.size === 0 && feeds.pendingReads > 0, 'the redelivered batch acknowledged');
		expect(trigger.items().map((item) => item.text)).toEqual(['only once']);
		// The same message delivered under another event (Symphony's at-least-once across pods): skipped too.
		const [message] = messaging.messagesIn(imId);
		feeds.publishMessage(message, messaging.streams.get(imId)!);
		await until(() => feed.acknowledged.size === 2, 'the duplicate acknowledged');
		expect(trigger.items()).toHaveLength(1);
	});

	test('a feed that expired is replaced by a new one (logged); messages after that arrive', async () => {
		const trigger = await activate();
		await readPending();
		const first = feedIdOf(trigger);
		feeds.expire(first);
		await until(() => feedIdOf(trigger) !== first && feedIdOf(trigger) !== '', 'a new feed');
		const second = feedIdOf(trigger);
		expect(feeds.feedsOf(BOT).map((feed) => feed.id)).toEqual([second]);
		await until(() => feeds.feeds.get(second)!.waiters.size > 0, 'a read of the new feed');
		post(ALICE, imId, 'after the new feed');
		expect((await trigger.waitForItems(1)).map((item) => item.text)).toEqual(['after the new feed']);
		// n8n saved the new feed's ID with the emission.
		expect(trigger.savedStaticData()).toMatchObject({ feedId: second });
		expect(trigger.errors).toEqual([]);
	});

	test('a new feed refused at once, several times: the trigger waits between new feeds and reads on', async () => {
		const trigger = await activate();
		await readPending();
		pod.sim.fault({ path: /\/read$/, status: 400, times: 3 });
		await until(() => pod.sim.faults.length === 0, 'the refusals');
		await until(() => feeds.feeds.get(feedIdOf(trigger))?.waiters.size === 1, 'a read of the last feed');
		// The first feed, and one new feed per refusal.
		expect(pod.sim.requestsTo('/agent/v5/datafeeds', 'POST').filter((r) => r.path === '/agent/v5/datafeeds')).toHaveLength(4);
		post(ALICE, imId, 'after the refusals');
		expect((await trigger.waitForItems(1)).map((item) => item.text)).toEqual(['after the refusals']);
		expect(trigger.errors).toEqual([]);
	});

	test('the bot\'s 20 feeds in use: activation is refused with Symphony\'s reason and what to do', async () => {
		for (let i = 0; i < 20; i++) feeds.create(BOT);
		const refused = activateTrigger(pod.harness, { events: ['messageReceived'] });
		await expect(refused).rejects.toThrow(/Symphony refused access while creating a datafeed \(403 Forbidden\)/);
		await expect(refused).rejects.toMatchObject({ description: expect.stringContaining('already has 20 active datafeeds') });
		expect(JSON.stringify(await refused.catch((e: unknown) => e))).not.toContain(SECRET_TOKEN);
	});

	test('close aborts the read in flight: nothing is left waiting at the simulator, and no read follows', async () => {
		feeds.settings.waitMs = 10_000;
		const trigger = await activate();
		await readPending();
		await trigger.close();
		await until(() => feeds.pendingReads === 0, 'the read to end');
		expect(feeds.reads.at(-1)).toMatchObject({ abandoned: true });
		const reads = pod.sim.requestsTo('/agent/v5/datafeeds/').length;
		post(ALICE, imId, 'after close');
		// The simulator answers any read within its wait; one more wait shows none came.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(pod.sim.requestsTo('/agent/v5/datafeeds/').length).toBe(reads);
		expect(trigger.items()).toEqual([]);
		// The feed is kept for the next activation.
		expect(feeds.feedsOf(BOT)).toHaveLength(1);
	});

	test('close while the loop waits out a failure: the wait ends, and no read follows', async () => {
		const trigger = await activate();
		await readPending();
		pod.sim.fault({ path: /\/read$/, status: 503, times: 1000 });
		// Three failed tries make one call fail; the loop then waits before trying again.
		await until(() => pod.sim.requests.filter((r) => r.status === 503).length >= 3, 'a call to fail');
		await trigger.close();
		const reads = pod.sim.requestsTo('/agent/v5/datafeeds/').length;
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(pod.sim.requestsTo('/agent/v5/datafeeds/').length).toBe(reads);
		expect(trigger.errors).toEqual([]);
	});

	test('off and on again (or a restart): the same feed is read again; what was emitted is not emitted again', async () => {
		const trigger = await activate();
		await readPending();
		post(ALICE, imId, 'before');
		await trigger.waitForItems(1);
		const feedId = feedIdOf(trigger);
		await trigger.restart();
		expect(feedIdOf(trigger)).toBe(feedId);
		expect(pod.sim.requestsTo('/agent/v5/datafeeds', 'POST').filter((r) => r.path === '/agent/v5/datafeeds')).toHaveLength(1);
		await until(() => feeds.feeds.get(feedId)!.waiters.size > 0, 'a read after the restart');
		post(ALICE, imId, 'after');
		expect((await trigger.waitForItems(2)).map((item) => item.text)).toEqual(['before', 'after']);
	});

	test('n8n stopped before the acknowledgement: after the restart Symphony delivers the event again, and it is skipped', async () => {
		const trigger = await activate();
		await readPending();
		// The read that would acknowledge fails until n8n stops.
		pod.sim.fault({ path: /\/read$/, status: 503, times: 1000 });
		post(ALICE, imId, 'handled before the stop');
		await trigger.waitForItems(1);
		const feedId = feedIdOf(trigger);
		const feed = feeds.feeds.get(feedId)!;
		expect(feed.inFlight.size).toBe(1);
		await trigger.close();
		pod.sim.faults.length = 0;
		now += 30_000;
		await trigger.restart();
		const [eventId] = feed.deliveries.keys();
		await until(() => feed.deliveries.get(eventId) === 2, 'the redelivery after the restart');
		await until(() => feed.inFlight.size === 0 && feeds.pendingReads > 0, 'the redelivered batch acknowledged');
		expect(trigger.items().map((item) => item.text)).toEqual(['handled before the stop']);
	});

	/**
	 * Several mains (n8n 2.41, docs/queue-mode.md): only the leader activates triggers. When it steps
	 * down (or shuts down), n8n removes its non-webhook triggers, which calls each trigger's
	 * closeFunction; the new leader activates the workflow in a Workflow of its own, built from the
	 * workflow as stored in the database, static data included. Two activations here, each with its
	 * own Workflow: the second from the static data the first one saved.
	 */
	test('several mains, leadership moves: only the leader reads; the new leader reads the same feed, skips the batch the old one handled and did not acknowledge, loses nothing', async () => {
		const workflowId = 'wf-multi-main';
		const leader = await activate({}, { workflowId });
		await readPending();
		post(ALICE, imId, 'one');
		await leader.waitForItems(1);
		await readPending();
		const feedId = feedIdOf(leader);
		const feed = feeds.feeds.get(feedId)!;
		// One reader at the simulator: the leader's.
		expect(feeds.pendingReads).toBe(1);
		expect(feed.waiters.size).toBe(1);
		// The read that would acknowledge the next batch fails until the leader steps down.
		pod.sim.fault({ path: /\/read$/, status: 503, times: 1000 });
		post(ALICE, imId, 'two');
		await leader.waitForItems(2);
		expect(feed.inFlight.size).toBe(1);
		// Step-down: n8n removes the leader's triggers (closeFunction).
		await leader.close();
		pod.sim.faults.length = 0;
		expect(feeds.pendingReads).toBe(0);
		post(ALICE, imId, 'three, between leaders');
		now += 30_000;
		// Takeover: the new leader activates the workflow from the database's copy.
		const follower = await activateTrigger(pod.harness, { events: ['messageReceived'] }, { workflowId, staticData: { [`node:${leader.node.name}`]: leader.savedStaticData() } });
		active.push(follower);
		expect(feedIdOf(follower)).toBe(feedId);
		const [twoEventId] = [...feed.deliveries.keys()].slice(1);
		await until(() => feed.deliveries.get(twoEventId) === 2, 'the unacknowledged batch delivered to the new leader');
		expect((await follower.waitForItems(1)).map((item) => item.text)).toEqual(['three, between leaders']);
		post(ALICE, imId, 'four');
		await follower.waitForItems(2);
		await until(() => feed.inFlight.size === 0 && feeds.pendingReads === 1, 'everything acknowledged, one reader');
		// Each message once across both leaders; no second feed; the old leader emitted nothing after it stepped down.
		expect([...leader.items(), ...follower.items()].map((item) => item.text)).toEqual(['one', 'two', 'three, between leaders', 'four']);
		expect(pod.sim.requestsTo('/agent/v5/datafeeds', 'POST').filter((r) => r.path === '/agent/v5/datafeeds')).toHaveLength(1);
		expect(feeds.feedsOf(BOT).map((f) => f.id)).toEqual([feedId]);
		expect(leader.errors).toEqual([]);
		expect(follower.errors).toEqual([]);
	});

	test('static data lost: the trigger finds its own feed by its tag', async () => {
		const trigger = await activate();
		const feedId = feedIdOf(trigger);
		await trigger.close();
		feeds.create(BOT, 'another-tag');
		const again = await activateTrigger(pod.harness, { events: ['messageReceived'] }, { workflowId: trigger.workflow.id, staticData: {} });
		active.push(again);
		expect(feedIdOf(again)).toBe(feedId);
		expect(pod.sim.requestsTo('/agent/v5/datafeeds', 'GET').at(-1)!.query).toEqual({ tag: `n8n-${trigger.workflow.id}-${trigger.node.id}` });
		expect(feeds.feedsOf(BOT)).toHaveLength(2);
	});

	test('the bot\'s own messages are skipped by default, and emitted with Include Own Events', async () => {
		const trigger = await activate();
		const withOwn = await activate({ options: { includeOwnEvents: true } });
		await until(() => feeds.pendingReads >= 2, 'both triggers reading');
		post(BOT, imId, 'from the bot');
		post(ALICE, imId, 'from alice');
		expect((await trigger.waitForItems(1)).map((item) => item.text)).toEqual(['from alice']);
		expect((await withOwn.waitForItems(2)).map((item) => item.text)).toEqual(['from the bot', 'from alice']);
		await until(() => feeds.feeds.get(feedIdOf(trigger))!.acknowledged.size === 2, 'both acknowledged');
		expect(trigger.items()).toHaveLength(1);
	});

	test('filters: rooms only, the bot mentioned, text contains, from given people', async () => {
		const trigger = await activate({ messageIn: 'room', options: { onlyWhenMentioned: true, textContains: 'Status', fromUsers: `alice@acme.example ${BIG_ID}` } });
		await readPending();
		const mention = `<mention uid="${BOT}"/>`;
		post(ALICE, imId, 'status in an IM', `<messageML>${mention} status in an IM</messageML>`);
		post(ALICE, roomId, 'status without mention');
		post(BOB, roomId, 'status from bob', `<messageML>${mention} status from bob</messageML>`);
		post(ALICE, roomId, 'no keyword', `<messageML>${mention} no keyword</messageML>`);
		post(ALICE, roomId, 'status please', `<messageML>${mention} status please</messageML>`);
		const [item] = await trigger.waitForItems(1);
		expect(item).toMatchObject({ text: 'status please', streamType: 'ROOM', mentions: [BOT], botMentioned: true, senderId: ALICE });
		await until(() => feeds.feeds.get(feedIdOf(trigger))!.acknowledged.size === 5, 'all five acknowledged');
		expect(trigger.items()).toHaveLength(1);
	});

	test('other events: a form reply and a connection request, as items', async () => {
		const trigger = await activate({ events: ['connectionRequested', 'formReplied'] });
		await readPending();
		post(ALICE, imId, 'not selected');
		feeds.publish([BOT], {
			type: 'SYMPHONYELEMENTSACTION',
			body: { type: 'SYMPHONYELEMENTSACTION', initiator: { user: { userId: BigInt(ALICE), email: 'alice@acme.example' } }, payload: { symphonyElementsAction: { stream: { streamId: imId, streamType: 'IM' }, formMessageId: 'fm-1', formId: 'ask', formValues: { action: 'yes' } } } },
		});
		feeds.publish([BOT], {
			type: 'CONNECTIONREQUESTED',
			body: { type: 'CONNECTIONREQUESTED', initiator: { user: { userId: BigInt(BIG_ID) } }, payload: { connectionRequested: { toUser: { userId: BigInt(BOT) } } } },
		});
		const items = await trigger.waitForItems(2);
		expect(items).toEqual([
			expect.objectContaining({ type: 'formReplied', formId: 'ask', formValues: { action: 'yes' }, senderId: ALICE, streamId: imId }),
			expect.objectContaining({ type: 'connectionRequested', senderId: BIG_ID, userId: BOT }),
		]);
	});

	test('Symphony down for a while: the loop backs off and carries on, nothing lost', async () => {
		const trigger = await activate();
		await readPending();
		post(ALICE, imId, 'first');
		await trigger.waitForItems(1);
		// Reads fail more times than one call's retries: the loop waits and tries again by itself.
		pod.sim.fault({ path: /\/read$/, status: 502, times: 5 });
		pod.sim.fault({ path: /\/read$/, reset: true, times: 2 });
		// The read in flight ends after the simulator's wait; the next ones meet the faults.
		await until(() => (pod.sim.faults[0]?.times ?? 0) < 5, 'the first failed read');
		post(ALICE, imId, 'while failing');
		expect((await trigger.waitForItems(2, 30_000)).map((item) => item.text)).toEqual(['first', 'while failing']);
		expect(pod.sim.faults).toEqual([]);
		expect(trigger.errors).toEqual([]);
	});

	test('a session the pod refuses (token credential): the trigger reports it through emitError, without the token', async () => {
		const trigger = await activate();
		await readPending();
		pod.sim.sessions.get(SECRET_TOKEN)!.expiresAt = now;
		const error = await trigger.waitForError();
		expect(error.message).toMatch(/401/);
		expect(JSON.stringify(error)).not.toContain(SECRET_TOKEN);
	});

	test('parameters are checked at activation, naming the field and the fix', async () => {
		await expect(activateTrigger(pod.harness, { events: [] })).rejects.toThrow('Events: [] is empty. Select at least one event, e.g. Message Received');
		await expect(activateTrigger(pod.harness, { events: ['messageReceived'], options: { fromUsers: 'alice@' } })).rejects.toThrow('From Users: "alice@" is not an email address');
		expect(feeds.feedsOf(BOT)).toEqual([]);
	});

	test('Listen for test event (manual): waits for the next matching event, returns it, deletes its feed', async () => {
		const running = pod.harness.start({
			nodes: [{ id: 'manual-trigger', name: 'Symphony Trigger', type: SYMPHONY_TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: { authentication: 'symphonyApi', events: ['messageReceived'] }, credentials: { symphonyApi: { id: 'cred', name: 'Test credential' } } }],
			connections: {},
		});
		await readPending();
		post(BOT, imId, 'own: skipped');
		post(ALICE, imId, 'the test event');
		const result = await running.result;
		expect(result.error).toBeUndefined();
		expect(result.json('Symphony Trigger')).toEqual([expect.objectContaining({ text: 'the test event', senderId: ALICE })]);
		await until(() => feeds.feedsOf(BOT).length === 0, 'the test feed deleted');
	});
});
