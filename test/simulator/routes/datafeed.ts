/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
import { randomBytes } from 'node:crypto';

import { error, int64, type ParsedRequest, type PodSimulator, type Reply } from '../index';
import { simMessagingOf, v4Message, type SimMessage, type SimMessaging, type SimStream } from './messages';

/**
 * Datafeed v5 (`/agent/v5/datafeeds`) as Symphony documents it (shared/symphony-messaging.md §7):
 * - create (201 `{id, type}`), list (by `tag`), delete (204); at most 20 active feeds per bot (403);
 * - a read waits for events up to `waitMs` (the Agent's long poll; short in tests) and answers
 *   `{events, ackId}`; the next read's `ackId` acknowledges that batch;
 * - events not acknowledged within `visibilityMs` (about 30 s at Symphony) are delivered again;
 * - a feed not read for `ttlMs` (30 minutes) is gone: reads answer 400;
 * - each event goes to the feeds of the users it concerns (a message: the members of its stream,
 *   the sender included, so a bot sees its own messages);
 * - `updatePresence` (default true) marks the reader AVAILABLE.
 * Times of visibility and expiry are on the simulator's clock; the long poll's wait is real time.
 *
 * Control routes (not Symphony's API) let a test or a person post as any user:
 * `POST /_sim/users/{userId}/im` `[userIds]` (the IM, opened when there is none),
 * `POST /_sim/streams/{streamId}/messages` `{userId, message | text, data?}`,
 * `POST /_sim/datafeed/events` `{userIds, event}`, `POST /_sim/datafeeds/{id}/expire`.
 */

export interface DatafeedSettings {
	/** How long a read with nothing to deliver waits (real ms). */
	waitMs: number;
	/** After this long (simulator clock) a delivered batch not acknowledged is delivered again. */
	visibilityMs: number;
	/** A feed not read for this long (simulator clock) is gone. */
	ttlMs: number;
	maxFeedsPerUser: number;
	/** Events per read at most. */
	maxEventsPerRead: number;
}

export const DEFAULT_DATAFEED_SETTINGS: DatafeedSettings = {
	waitMs: 30_000,
	visibilityMs: 30_000,
	ttlMs: 30 * 60 * 1000,
	maxFeedsPerUser: 20,
	maxEventsPerRead: 100,
};

export interface SimEvent {
	id: string;
	type: string;
	/** The V4Event as delivered (int64 fields as bigint, written as bare numbers). */
	body: Record<string, unknown>;
}

interface Delivery {
	events: SimEvent[];
	deliveredAt: number;
}

export interface SimFeed {
	id: string;
	owner: string;
	tag?: string;
	createdAt: number;
	lastReadAt: number;
	queue: SimEvent[];
	/** Batches delivered and not yet acknowledged, by ackId. */
	inFlight: Map<string, Delivery>;
	/** Every ackId this feed gave out (an old one sent again is taken as already acknowledged). */
	issued: Set<string>;
	/** Reads waiting for events. */
	waiters: Set<() => void>;
	/** Events delivered, acknowledged, per event ID: how often each was delivered. */
	deliveries: Map<string, number>;
	acknowledged: Set<string>;
}

export interface SimReadRecord {
	feedId: string;
	ackId: string;
	updatePresence: unknown;
	status: number;
	events: string[];
	/** The client went away before the answer. */
	abandoned?: boolean;
}

export class SimDatafeeds {
	readonly settings: DatafeedSettings = { ...DEFAULT_DATAFEED_SETTINGS };
	readonly feeds = new Map<string, SimFeed>();
	/** Every read answered (or abandoned), in order. */
	readonly reads: SimReadRecord[] = [];
	/** Feed IDs that expired or were deleted. */
	readonly gone = new Set<string>();

	constructor(
		private readonly sim: PodSimulator,
		private readonly messaging: SimMessaging,
	) {}

	newId(bytes = 16): string {
		return randomBytes(bytes).toString('hex');
	}

	/** The feed, unless it is unknown or has expired (an expired one is removed then). */
	live(feedId: string): SimFeed | undefined {
		const feed = this.feeds.get(feedId);
		if (!feed) return undefined;
		if (this.sim.now() - feed.lastReadAt >= this.settings.ttlMs) {
			this.remove(feed);
			return undefined;
		}
		return feed;
	}

	feedsOf(userId: string): SimFeed[] {
		return [...this.feeds.values()].filter((feed) => feed.owner === userId && this.live(feed.id) !== undefined);
	}

	create(owner: string, tag?: string): SimFeed {
		const now = this.sim.now();
		const feed: SimFeed = {
			id: `${this.newId()}_f`,
			owner,
			tag,
			createdAt: now,
			lastReadAt: now,
			queue: [],
			inFlight: new Map(),
			issued: new Set(),
			waiters: new Set(),
			deliveries: new Map(),
			acknowledged: new Set(),
		};
		this.feeds.set(feed.id, feed);
		return feed;
	}

	remove(feed: SimFeed): void {
		this.feeds.delete(feed.id);
		this.gone.add(feed.id);
		for (const wake of feed.waiters) wake();
	}

	/** Ends a feed now, as its time to live would: its next read is refused with 400. */
	expire(feedId: string): boolean {
		const feed = this.feeds.get(feedId);
		if (!feed) return false;
		this.remove(feed);
		return true;
	}

	/** Reads waiting for events now, over all feeds. */
	get pendingReads(): number {
		let count = 0;
		for (const feed of this.feeds.values()) count += feed.waiters.size;
		return count;
	}

	/** Queues an event on the live feeds of these users and wakes their waiting reads. */
	publish(userIds: Iterable<string>, event: Omit<SimEvent, 'id'> & { id?: string }): SimEvent {
		const full: SimEvent = { ...event, id: event.id ?? this.newId(12) };
		full.body = { id: full.id, ...full.body };
		const owners = new Set(userIds);
		for (const feed of [...this.feeds.values()]) {
			if (!owners.has(feed.owner) || this.live(feed.id) === undefined) continue;
			feed.queue.push(full);
			for (const wake of feed.waiters) wake();
		}
		return full;
	}

	/** A MESSAGESENT event for a stored message, to the members of its stream. */
	publishMessage(message: SimMessage, stream: SimStream): SimEvent {
		const user = this.sim.users.get(message.userId);
		const body = v4Message(this.sim, message, stream);
		if (message.data === undefined || message.data.trim() === '' || message.data.trim() === '{}') {
			// The Agent turns <mention uid> tags into EntityJSON mentions.
			const mentions = [...message.messageML.matchAll(/<mention\s[^>]*\buid\s*=\s*["'](\d+)["']/g)].map((m) => m[1]);
			if (mentions.length > 0) {
				const entities: Record<string, unknown> = {};
				mentions.forEach((id, index) => (entities[String(index)] = { id: [{ type: 'com.symphony.user.userId', value: int64(id) }], type: 'com.symphony.user.mention' }));
				body.data = entities;
			}
		}
		if (typeof body.data === 'object') body.data = JSON.stringify(body.data, (_key, value: unknown) => (typeof value === 'bigint' ? `@@${value}@@` : value)).replace(/"@@(\d+)@@"/g, '$1');
		return this.publish(stream.members, {
			type: 'MESSAGESENT',
			body: {
				messageId: message.messageId,
				timestamp: message.timestamp,
				type: 'MESSAGESENT',
				initiator: { user: { userId: int64(message.userId), displayName: user?.displayName, email: user?.email, username: user?.username } },
				payload: { messageSent: { message: body } },
			},
		});
	}

	/** Batches delivered longer than the visibility timeout ago go back to the front of the queue. */
	private requeueExpired(feed: SimFeed): void {
		const now = this.sim.now();
		const back: SimEvent[] = [];
		for (const [ackId, delivery] of feed.inFlight) {
			if (now - delivery.deliveredAt < this.settings.visibilityMs) continue;
			feed.inFlight.delete(ackId);
			back.push(...delivery.events.filter((event) => !feed.acknowledged.has(event.id)));
		}
		feed.queue.unshift(...back);
	}

	private deliver(feed: SimFeed): { events: SimEvent[]; ackId: string } {
		const events = feed.queue.splice(0, this.settings.maxEventsPerRead);
		const ackId = this.newId(20);
		feed.issued.add(ackId);
		if (events.length > 0) feed.inFlight.set(ackId, { events, deliveredAt: this.sim.now() });
		for (const event of events) feed.deliveries.set(event.id, (feed.deliveries.get(event.id) ?? 0) + 1);
		return { events, ackId };
	}

	async read(request: ParsedRequest, feedId: string): Promise<Reply> {
		let parsed: { ackId?: unknown; updatePresence?: unknown } = {};
		try {
			parsed = request.body.trim() === '' ? {} : (JSON.parse(request.body) as typeof parsed);
		} catch {
			return error(400, 'The body must be {"ackId": "...", "updatePresence": false}');
		}
		const ackId = typeof parsed.ackId === 'string' ? parsed.ackId : '';
		const record: SimReadRecord = { feedId, ackId, updatePresence: parsed.updatePresence, status: 400, events: [] };
		this.reads.push(record);
		const feed = this.live(feedId);
		if (!feed || feed.owner !== request.session!.userId) {
			return error(400, `Datafeed ${feedId} no longer exists: feeds not read for 30 minutes (ttl) are removed, create a new one`);
		}
		if (ackId !== '' && !feed.issued.has(ackId)) return error(400, `Invalid ackId ${ackId}`);
		// A batch past its visibility timeout is back in the queue before the ackId counts: acknowledging it late does not stop its redelivery.
		this.requeueExpired(feed);
		const acknowledged = ackId === '' ? undefined : feed.inFlight.get(ackId);
		if (acknowledged) {
			for (const event of acknowledged.events) feed.acknowledged.add(event.id);
			feed.inFlight.delete(ackId);
		}
		feed.lastReadAt = this.sim.now();
		if (parsed.updatePresence !== false) this.sim.setPresence(feed.owner, 'AVAILABLE');
		if (feed.queue.length === 0) {
			let wake = () => {};
			const woken = new Promise<void>((resolve) => (wake = resolve));
			feed.waiters.add(wake);
			const timer = setTimeout(wake, this.settings.waitMs);
			request.signal?.addEventListener('abort', wake, { once: true });
			await woken;
			clearTimeout(timer);
			request.signal?.removeEventListener('abort', wake);
			feed.waiters.delete(wake);
			if (request.signal?.aborted) {
				record.abandoned = true;
				record.status = 0;
				return error(499, 'The client went away');
			}
			if (!this.feeds.has(feed.id)) return error(400, `Datafeed ${feedId} no longer exists`);
			feed.lastReadAt = this.sim.now();
			this.requeueExpired(feed);
		}
		const batch = this.deliver(feed);
		record.status = 200;
		record.events = batch.events.map((event) => event.id);
		return { status: 200, body: { events: batch.events.map((event) => event.body), ackId: batch.ackId } };
	}

	/** Stores a message posted by anyone (control route), as the create route would, and publishes it. */
	post(userId: string, streamId: string, messageML: string, text: string, data?: string): SimMessage {
		const stream = this.messaging.streams.get(streamId);
		if (!stream) throw new Error(`no simulated stream ${streamId}`);
		const message: SimMessage = {
			messageId: this.messaging.newId(),
			streamId,
			timestamp: this.sim.now(),
			userId,
			messageML,
			text,
			data,
			attachments: [],
		};
		this.messaging.store(message, stream);
		return message;
	}
}

const datafeeds = new WeakMap<PodSimulator, SimDatafeeds>();

export function simDatafeedsOf(sim: PodSimulator): SimDatafeeds {
	let state = datafeeds.get(sim);
	if (!state) {
		state = new SimDatafeeds(sim, simMessagingOf(sim));
		datafeeds.set(sim, state);
	}
	return state;
}

/** Agent calls need the key manager token as well (an OBO session needs none). */
function keyManagerRefusal(sim: PodSimulator, request: ParsedRequest): Reply | undefined {
	if (request.session?.obo) return undefined;
	const header = request.headers.keymanagertoken;
	const entry = typeof header === 'string' ? simMessagingOf(sim).keyManagerTokens.get(header) : undefined;
	if (!entry || (entry.expiresAt !== undefined && sim.now() >= entry.expiresAt)) return error(401, 'Invalid key manager token');
	if (entry.userId !== request.session!.userId) return error(401, 'The key manager token belongs to another user');
	return undefined;
}

function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function datafeedRoutes(sim: PodSimulator): void {
	const state = simDatafeedsOf(sim);
	simMessagingOf(sim).messageListeners.push((message, stream) => void state.publishMessage(message, stream));

	sim.route('datafeedList', 'GET', /^\/agent\/v5\/datafeeds$/, (request) => {
		const refusal = keyManagerRefusal(sim, request);
		if (refusal) return refusal;
		const tag = request.query.tag;
		const feeds = state.feedsOf(request.session!.userId).filter((feed) => tag === undefined || feed.tag === tag);
		return { status: 200, body: feeds.map((feed) => ({ id: feed.id, type: 'fanout' })) };
	});

	sim.route('datafeedCreate', 'POST', /^\/agent\/v5\/datafeeds$/, (request) => {
		const refusal = keyManagerRefusal(sim, request);
		if (refusal) return refusal;
		let tag: string | undefined;
		if (request.body.trim() !== '') {
			try {
				const body = JSON.parse(request.body) as { tag?: unknown };
				if (body.tag !== undefined && (typeof body.tag !== 'string' || body.tag.length > 100)) return error(400, 'tag must be a string of at most 100 characters');
				tag = body.tag as string | undefined;
			} catch {
				return error(400, 'The body must be JSON');
			}
		}
		const owner = request.session!.userId;
		if (state.feedsOf(owner).length >= state.settings.maxFeedsPerUser) {
			return error(403, `Maximum number of datafeeds (${state.settings.maxFeedsPerUser}) reached for this user`);
		}
		const feed = state.create(owner, tag);
		return { status: 201, body: { id: feed.id, type: 'fanout' } };
	});

	sim.route('datafeedRead', 'POST', /^\/agent\/v5\/datafeeds\/([^/]+)\/read$/, async (request) => {
		const refusal = keyManagerRefusal(sim, request);
		if (refusal) return refusal;
		return await state.read(request, decodeURIComponent(request.params[0]));
	});

	sim.route('datafeedDelete', 'DELETE', /^\/agent\/v5\/datafeeds\/([^/]+)$/, (request) => {
		const refusal = keyManagerRefusal(sim, request);
		if (refusal) return refusal;
		const feed = state.live(decodeURIComponent(request.params[0]));
		if (!feed || feed.owner !== request.session!.userId) return error(400, `Datafeed ${request.params[0]} does not exist`);
		state.remove(feed);
		return { status: 204 };
	});

	// ---- control routes: not Symphony's API ----

	sim.route(
		'control',
		'POST',
		/^\/_sim\/streams\/([^/]+)\/messages$/,
		({ params, body }) => {
			let parsed: { userId?: unknown; message?: unknown; text?: unknown; data?: unknown };
			try {
				parsed = JSON.parse(body) as typeof parsed;
			} catch {
				return error(400, 'The body must be {"userId": "…", "text": "…"} or {"userId": "…", "message": "<messageML>…</messageML>"}');
			}
			const userId = String(parsed.userId ?? '');
			if (!sim.users.has(userId)) return error(404, `User ${userId} not found`);
			const stream = simMessagingOf(sim).streams.get(params[0]);
			if (!stream) return error(404, `Stream ${params[0]} not found`);
			if (!stream.members.includes(userId)) return error(403, `User ${userId} is not a member of stream ${params[0]}`);
			const text = typeof parsed.text === 'string' ? parsed.text : typeof parsed.message === 'string' ? parsed.message.replace(/<[^>]*>/g, '') : '';
			const messageML = typeof parsed.message === 'string' ? parsed.message : `<messageML>${escapeXml(text)}</messageML>`;
			const message = state.post(userId, stream.id, messageML, text, typeof parsed.data === 'string' ? parsed.data : undefined);
			return { status: 200, body: { messageId: message.messageId, streamId: stream.id } };
		},
		false,
	);

	// The IM (or group chat) of a user with others, as that user's Create IM would open it.
	sim.route(
		'control',
		'POST',
		/^\/_sim\/users\/(\d+)\/im$/,
		({ params, body }) => {
			const ids = /^\s*\[([\d\s,"]*)\]\s*$/.exec(body)?.[1].split(',').map((id) => id.trim().replace(/"/g, '')).filter((id) => id !== '');
			if (!ids || ids.length === 0) return error(400, 'The body must be a list of user IDs, e.g. [7215545057281]');
			const unknown = [params[0], ...ids].find((id) => !sim.users.has(id));
			if (unknown !== undefined) return error(404, `User ${unknown} not found`);
			return { status: 200, body: { id: simMessagingOf(sim).imFor([params[0], ...ids]).id } };
		},
		false,
	);

	sim.route(
		'control',
		'POST',
		/^\/_sim\/datafeed\/events$/,
		({ body }) => {
			let parsed: { userIds?: unknown; event?: unknown };
			try {
				parsed = JSON.parse(body) as typeof parsed;
			} catch {
				return error(400, 'The body must be {"userIds": ["…"], "event": {"type": "…", …}}');
			}
			const event = parsed.event as Record<string, unknown> | undefined;
			if (!Array.isArray(parsed.userIds) || typeof event?.type !== 'string') return error(400, 'The body must be {"userIds": ["…"], "event": {"type": "…", …}}');
			const published = state.publish(parsed.userIds.map(String), { type: event.type, body: { timestamp: sim.now(), ...event } });
			return { status: 200, body: { id: published.id } };
		},
		false,
	);

	sim.route(
		'control',
		'POST',
		/^\/_sim\/datafeeds\/([^/]+)\/expire$/,
		({ params }) => (state.expire(params[0]) ? { status: 204 } : error(404, `Datafeed ${params[0]} not found`)),
		false,
	);
}
