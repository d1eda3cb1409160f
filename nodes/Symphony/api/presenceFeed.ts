import type { SymphonyClient } from '../transport';
import { decodePresenceList, type Presence } from './presence';
import { unexpectedShape } from './shape';

/**
 * Presence feeds (POST /pod/v1/presence/feed/…): deprecated by Symphony since 24.1, kept for pods
 * that still rely on them. A feed collects the presence changes of the whole pod between reads.
 */

/** Symphony returns at most this many changes per read. */
export const MAX_FEED_CHANGES_PER_READ = 500;

const FEED_HINTS = {
	404: 'Symphony knows no presence feed with this ID: it was deleted, or the ID is not one returned by Create.',
};

function decodeFeedId(body: unknown, action: string): string {
	const id = (body as { id?: unknown } | undefined)?.id;
	if (typeof id !== 'string' || id === '') throw unexpectedShape(action, 'a presence feed ID');
	return id;
}

/** POST /pod/v1/presence/feed/create: a new feed; returns its ID. */
export async function createPresenceFeed(client: SymphonyClient): Promise<string> {
	const action = 'creating a presence feed';
	const { body } = await client.request({ method: 'POST', path: '/pod/v1/presence/feed/create', action });
	return decodeFeedId(body, action);
}

/** GET /pod/v1/presence/feed/{feedId}/read: the changes since the last read, up to 500. */
export async function readPresenceFeed(client: SymphonyClient, feedId: string): Promise<Presence[]> {
	const action = `reading presence feed ${feedId}`;
	const { body } = await client.request({
		method: 'GET',
		path: `/pod/v1/presence/feed/${encodeURIComponent(feedId)}/read`,
		action,
		hints: FEED_HINTS,
	});
	return decodePresenceList(body, action);
}

/** POST /pod/v1/presence/feed/{feedId}/delete: only the account that created the feed may. */
export async function deletePresenceFeed(client: SymphonyClient, feedId: string): Promise<string> {
	const action = `deleting presence feed ${feedId}`;
	const { body } = await client.request({
		method: 'POST',
		path: `/pod/v1/presence/feed/${encodeURIComponent(feedId)}/delete`,
		action,
		hints: {
			...FEED_HINTS,
			403: 'A presence feed can be deleted only by the account that created it. Use the credential of the account that ran Create.',
		},
	});
	return body === undefined ? feedId : decodeFeedId(body, action);
}
