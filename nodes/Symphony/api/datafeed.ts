import type { IDataObject } from 'n8n-workflow';

import type { SymphonyClient } from '../transport';
import { unexpectedShape } from './shape';

/**
 * Datafeed v5 (Agent API): a queue of the bot's real-time events. A read waits (long poll) until
 * events arrive or the Agent's wait ends, and answers them with an `ackId`; the next read sends that
 * `ackId` back, which acknowledges the batch. Events not acknowledged come again after about 30 s
 * (at least once, in no guaranteed order).
 */

/** Symphony allows a bot this many active feeds; a create beyond them is refused with 403. */
export const MAX_DATAFEEDS_PER_BOT = 20;
/** Symphony's tag is at most 100 characters. */
export const MAX_DATAFEED_TAG_LENGTH = 100;

export interface Datafeed {
	id: string;
	type?: string;
}

export interface DatafeedBatch {
	/** Each V4Event as Symphony sent it (int64 IDs above 2^53 as digit strings). */
	events: IDataObject[];
	/** Sent with the next read, it acknowledges these events. */
	ackId: string;
}

/** What a 400 on a read means: the feed is gone (expired after its time to live, or deleted), or the ackId was not its own. */
export const FEED_GONE_HINT =
	'The datafeed no longer exists (Symphony removes a feed that is not read for a while) or the acknowledgement was not for this feed. The trigger creates a new feed by itself.';

/** What a 403 on create means. */
export const FEED_LIMIT_HINT = `The bot already has ${MAX_DATAFEEDS_PER_BOT} active datafeeds, Symphony's limit. Each active Symphony Trigger uses one: deactivate workflows you no longer need, or delete unused feeds (DELETE /agent/v5/datafeeds/{id}); Symphony also removes feeds nobody reads after a while.`;

function decodeDatafeed(value: unknown): Datafeed | undefined {
	const feed = value as { id?: unknown; type?: unknown } | undefined;
	if (typeof feed?.id !== 'string' || feed.id === '') return undefined;
	return { id: feed.id, ...(typeof feed.type === 'string' && { type: feed.type }) };
}

/** GET /agent/v5/datafeeds: the bot's active feeds, only those with `tag` when given. */
export async function listDatafeeds(client: SymphonyClient, tag?: string, abortSignal?: AbortSignal): Promise<Datafeed[]> {
	const action = 'listing the bot\'s datafeeds';
	const { body } = await client.request({
		method: 'GET',
		host: 'agent',
		path: '/agent/v5/datafeeds',
		...(tag !== undefined && { qs: { tag } }),
		action,
		abortSignal,
	});
	if (body === undefined) return [];
	if (!Array.isArray(body)) throw unexpectedShape(action, 'a list of datafeeds');
	const feeds = body.map(decodeDatafeed);
	if (feeds.some((feed) => feed === undefined)) throw unexpectedShape(action, 'a list of datafeeds with their IDs');
	return feeds as Datafeed[];
}

/** POST /agent/v5/datafeeds: a new feed, tagged so it can be found again (201 `{id, type}`). */
export async function createDatafeed(client: SymphonyClient, tag?: string, abortSignal?: AbortSignal): Promise<Datafeed> {
	const action = 'creating a datafeed';
	const { body } = await client.request({
		method: 'POST',
		host: 'agent',
		path: '/agent/v5/datafeeds',
		body: JSON.stringify(tag === undefined ? {} : { tag: tag.slice(0, MAX_DATAFEED_TAG_LENGTH) }),
		// Two creates make two feeds, and each counts against the bot's limit.
		idempotent: false,
		action,
		hints: { 403: FEED_LIMIT_HINT },
		abortSignal,
	});
	const feed = decodeDatafeed(body);
	if (feed === undefined) throw unexpectedShape(action, 'a datafeed with its ID');
	return feed;
}

/**
 * POST /agent/v5/datafeeds/{id}/read with `{ackId, updatePresence: false}` (a read would otherwise
 * mark the bot AVAILABLE each time). Waits until events arrive or the Agent's wait ends; `timeoutMs`
 * must be a little above that wait, and `abortSignal` ends the wait early.
 */
export async function readDatafeed(
	client: SymphonyClient,
	feedId: string,
	ackId: string,
	options: { timeoutMs: number; abortSignal?: AbortSignal },
): Promise<DatafeedBatch> {
	const action = `reading datafeed ${feedId}`;
	const { body } = await client.request({
		method: 'POST',
		host: 'agent',
		path: `/agent/v5/datafeeds/${encodeURIComponent(feedId)}/read`,
		body: JSON.stringify({ ackId, updatePresence: false }),
		action,
		hints: { 400: FEED_GONE_HINT },
		timeoutMs: options.timeoutMs,
		abortSignal: options.abortSignal,
	});
	// An Agent with nothing to deliver may answer without a body.
	if (body === undefined) return { events: [], ackId };
	const batch = body as { events?: unknown; ackId?: unknown };
	const events = batch.events ?? [];
	if (typeof batch !== 'object' || batch === null || !Array.isArray(events) || events.some((e) => typeof e !== 'object' || e === null)) {
		throw unexpectedShape(action, 'a batch of events with an ackId');
	}
	return { events: events as IDataObject[], ackId: typeof batch.ackId === 'string' ? batch.ackId : ackId };
}

/** DELETE /agent/v5/datafeeds/{id} (204). */
export async function deleteDatafeed(client: SymphonyClient, feedId: string, abortSignal?: AbortSignal): Promise<void> {
	await client.request({
		method: 'DELETE',
		host: 'agent',
		path: `/agent/v5/datafeeds/${encodeURIComponent(feedId)}`,
		action: `deleting datafeed ${feedId}`,
		hints: { 400: FEED_GONE_HINT },
		abortSignal,
	});
}
