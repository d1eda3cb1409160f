import type { IDataObject } from 'n8n-workflow';

import { userIdFromResponse, userIdsToJsonArray } from '../helpers/userIds';
import type { SymphonyClient } from '../transport';
import { unexpectedShape } from './shape';

/** Presence as Symphony returns it (V2Presence), with the user ID as a digit string. */
export interface Presence {
	userId: string;
	category: string;
	/** Epoch milliseconds when the state was set. */
	timestamp?: number;
}

/**
 * Registers interest in external users' presence (POST /pod/v1/user/presence/register).
 * The body is the bare JSON array written from digit strings. Sending it again is harmless: it only
 * renews the one-hour registration.
 */
export async function registerPresenceInterest(client: SymphonyClient, userIds: readonly string[]): Promise<void> {
	await client.request({
		method: 'POST',
		path: '/pod/v1/user/presence/register',
		body: userIdsToJsonArray(userIds),
		action: userIds.length === 1 ? `registering interest in user ${userIds[0]}` : `registering interest in ${userIds.length} users`,
	});
}

/** Reads one presence object; any category passes through, Symphony may add new ones. */
export function readPresence(body: unknown, action: string, expectedUserId?: string): Presence {
	const record = body as { category?: unknown; userId?: unknown; timestamp?: unknown } | undefined;
	if (!record || typeof record !== 'object' || typeof record.category !== 'string') {
		throw unexpectedShape(action, 'a presence with a category');
	}
	const userId = record.userId === undefined ? expectedUserId : userIdFromResponse(record.userId);
	if (userId === undefined) throw unexpectedShape(action, 'a presence with a readable user ID');
	const timestamp = typeof record.timestamp === 'number' && Number.isFinite(record.timestamp) ? record.timestamp : undefined;
	return { userId, category: record.category, timestamp };
}

/** GET /pod/v3/user/{uid}/presence: a user's presence; `local` limits the query to the caller's pod. */
export async function getUserPresence(client: SymphonyClient, userId: string, local: boolean): Promise<Presence> {
	const action = `reading the presence of user ${userId}`;
	const { body } = await client.request({
		method: 'GET',
		path: `/pod/v3/user/${userId}/presence`,
		qs: local ? { local: true } : undefined,
		action,
	});
	return readPresence(body, action, userId);
}

/** The item a presence becomes: the raw fields plus the timestamp as ISO text. */
export function presenceToJson(presence: Presence): IDataObject {
	return {
		userId: presence.userId,
		category: presence.category,
		timestamp: presence.timestamp ?? null,
		timestampIso: presence.timestamp === undefined ? null : new Date(presence.timestamp).toISOString(),
	};
}
