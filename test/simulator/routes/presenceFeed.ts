import { randomUUID } from 'node:crypto';

import { error, type PodSimulator } from '../index';

/** Symphony returns at most this many changes per feed read. */
export const MAX_FEED_CHANGES_PER_READ = 500;

interface Feed {
	owner: string;
	/** Users whose presence changed since the last read, oldest change first. */
	changed: Set<string>;
}

/**
 * Presence feeds: a feed records which users' presence changed since it was last read (the whole
 * pod); a read returns up to 500 of them, oldest first, and forgets those. Only the creator may
 * delete a feed (403 for anyone else).
 */
export function presenceFeedRoutes(sim: PodSimulator): void {
	const feeds = new Map<string, Feed>();
	sim.presenceListeners.push((userId) => {
		for (const feed of feeds.values()) {
			// Re-inserting moves the user to the end: the order is that of the latest changes.
			feed.changed.delete(userId);
			feed.changed.add(userId);
		}
	});

	sim.route('createFeed', 'POST', /^\/pod\/v1\/presence\/feed\/create$/, ({ session }) => {
		const id = randomUUID();
		feeds.set(id, { owner: session!.userId, changed: new Set() });
		return { status: 200, body: { id } };
	});

	sim.route('readFeed', 'GET', /^\/pod\/v1\/presence\/feed\/([^/]+)\/read$/, ({ params }) => {
		const feed = feeds.get(decodeURIComponent(params[0]));
		if (!feed) return error(404, `Presence feed ${params[0]} not found`);
		const batch = [...feed.changed].slice(0, MAX_FEED_CHANGES_PER_READ);
		for (const userId of batch) feed.changed.delete(userId);
		return { status: 200, body: batch.map((userId) => sim.presenceOf(sim.users.get(userId)!)) };
	});

	sim.route('deleteFeed', 'POST', /^\/pod\/v1\/presence\/feed\/([^/]+)\/delete$/, ({ params, session }) => {
		const id = decodeURIComponent(params[0]);
		const feed = feeds.get(id);
		if (!feed) return error(404, `Presence feed ${id} not found`);
		if (feed.owner !== session!.userId) return error(403, 'The presence feed was created by another user');
		feeds.delete(id);
		return { status: 200, body: { id } };
	});
}
