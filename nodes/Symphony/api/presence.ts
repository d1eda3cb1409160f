import type { IDataObject, INode } from 'n8n-workflow';

import { SymphonyApiError, type StatusHints } from '../errors';
import { sendIsolatingRefusals } from '../helpers/batching';
import { userIdFromResponse, userIdsToJsonArray } from '../helpers/userIds';
import type { SymphonyClient } from '../transport';
import { unexpectedShape } from './shape';

/**
 * Presence as Symphony returns it (V2Presence), with the user ID as a digit string.
 *
 * Symphony names the presence value `category`; the UI and the rest of the code call it a status.
 * This shape keeps Symphony's name because it passes unchanged into the action node's outputs
 * (`presenceToJson`), which therefore say `category`, while the trigger's own items say `status`
 * and `previousStatus`. Saved workflows' expressions read both, so neither may change.
 */
export interface Presence {
	userId: string;
	/** The status, in Symphony's word. */
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

/**
 * Registers interest in many users while isolating the IDs Symphony refuses (400/404): the rest are
 * still registered, and each refusal is worded for its own user. Symphony's 404 may name the unknown
 * IDs; then one more request registers the rest, else the batch is halved. Failures that are not
 * about particular IDs (401, 403, 5xx after retries) are thrown.
 */
export async function registerInterestIsolatingRefusals(
	client: SymphonyClient,
	node: INode,
	userIds: readonly string[],
): Promise<{ accepted: string[]; refused: Array<{ userId: string; error: SymphonyApiError }> }> {
	const result = await sendIsolatingRefusals(
		userIds,
		async (ids) => await registerPresenceInterest(client, ids),
		(error): error is SymphonyApiError => error instanceof SymphonyApiError && error.isValueRefusal,
		(error) => error.report.symphonyMessage?.match(/\d+/g) ?? [],
	);
	return {
		accepted: result.accepted,
		// Reworded per user: the refusal may have spoken of all the users sent together.
		refused: result.refused.map(({ value, error }) => ({
			userId: value,
			error: error.forAction(node, `registering interest in user ${value}`),
		})),
	};
}

/** Decodes one presence object; any status passes through, Symphony may add new ones. */
export function decodePresence(body: unknown, action: string, expectedUserId?: string): Presence {
	const record = body as { category?: unknown; userId?: unknown; timestamp?: unknown } | undefined;
	if (!record || typeof record !== 'object' || typeof record.category !== 'string') {
		throw unexpectedShape(action, 'a presence with a category');
	}
	const userId = record.userId === undefined ? expectedUserId : userIdFromResponse(record.userId);
	if (userId === undefined) throw unexpectedShape(action, 'a presence with a readable user ID');
	const timestamp = typeof record.timestamp === 'number' && Number.isFinite(record.timestamp) ? record.timestamp : undefined;
	return { userId, category: record.category, timestamp };
}

/** How long a registration of interest lasts: Symphony asks to register again every hour. */
export const INTEREST_LIFETIME_MS = 60 * 60 * 1000;

/** Symphony answers an external user's presence at most once per 5 minutes (per caller and user). */
export const EXTERNAL_READ_INTERVAL_MS = 5 * 60 * 1000;

/**
 * GET /pod/v3/user/{uid}/presence: a user's presence; `local` limits the query to the caller's pod.
 * `hints` word a refusal for the caller's fields (e.g. the setting that handles a 429).
 */
export async function getUserPresence(client: SymphonyClient, userId: string, local: boolean, hints?: StatusHints): Promise<Presence> {
	const action = `reading the presence of user ${userId}`;
	const { body } = await client.request({
		method: 'GET',
		path: `/pod/v3/user/${userId}/presence`,
		qs: local ? { local: true } : undefined,
		action,
		...(hints && { hints }),
	});
	return decodePresence(body, action, userId);
}

/**
 * The item a presence becomes: the raw fields plus the timestamp as ISO text. `namedAs` is how the
 * user was named when not by ID (`{ email }` or `{ username }`), kept beside the resolved userId.
 */
export function presenceToJson(presence: Presence, namedAs: IDataObject = {}): IDataObject {
	return {
		userId: presence.userId,
		...namedAs,
		category: presence.category,
		timestamp: presence.timestamp ?? null,
		timestampIso: presence.timestamp === undefined ? null : new Date(presence.timestamp).toISOString(),
	};
}

/** GET /pod/v2/user/presence: the caller's own presence. */
export async function getMyPresence(client: SymphonyClient): Promise<Presence> {
	const action = 'reading your own presence';
	const { body } = await client.request({ method: 'GET', path: '/pod/v2/user/presence', action });
	return decodePresence(body, action);
}

/** The V2PresenceStatus body, written as text like every body this package sends. */
function presenceStatusBody(status: string, userId?: string): string {
	return `{"category":${JSON.stringify(status)}${userId === undefined ? '' : `,"userId":${userId}`}}`;
}

/**
 * POST /pod/v2/user/presence: sets the caller's own presence. With `soft`, Symphony takes the
 * current state into account (an offline user stays offline until they come online).
 */
export async function setMyPresence(client: SymphonyClient, status: string, soft: boolean): Promise<Presence> {
	const action = `setting your own presence to ${status}`;
	const { body } = await client.request({
		method: 'POST',
		path: '/pod/v2/user/presence',
		qs: { soft },
		body: presenceStatusBody(status),
		action,
		hints: {
			400: `Symphony did not accept the status ${status}. Pick a listed status, or check the spelling of the custom one.`,
			403: 'Setting presence needs the ADMIN_PRESENCE_UPDATE privilege (OBO apps: the SET_PRESENCE permission).',
		},
	});
	return decodePresence(body, action);
}

/**
 * POST /pod/v3/user/presence: sets another user's presence. The caller must be a service account
 * with the User Provisioning entitlement. The user ID is written into the body as exact digits.
 */
export async function setUserPresence(client: SymphonyClient, userId: string, status: string, soft: boolean): Promise<Presence> {
	const action = `setting the presence of user ${userId} to ${status}`;
	const { body } = await client.request({
		method: 'POST',
		path: '/pod/v3/user/presence',
		qs: { soft },
		body: presenceStatusBody(status, userId),
		action,
		hints: {
			400: `Symphony did not accept the status ${status} for user ${userId}. Pick a listed status, or check the spelling of the custom one.`,
			403: 'Setting another user\'s presence needs a service account with the User Provisioning entitlement (OBO apps: the SET_PRESENCE permission).',
		},
	});
	return decodePresence(body, action, userId);
}

/** Symphony's page size for GET /pod/v2/users/presence: default and maximum. */
export const DEFAULT_PRESENCE_PAGE_SIZE = 1000;
export const MAX_PRESENCE_PAGE_SIZE = 5000;

const USER_PROVISIONING_HINT = 'Reading everyone\'s presence needs the User Provisioning role; OBO sessions cannot use it.';

/** Decodes a bare JSON array of presences (V2PresenceList). */
export function decodePresenceList(body: unknown, action: string): Presence[] {
	if (body === undefined) return [];
	if (!Array.isArray(body)) throw unexpectedShape(action, 'a list of presences');
	return body.map((entry) => decodePresence(entry, action));
}

/**
 * GET /pod/v2/users/presence: one page of every active user's presence, sorted by user ID. The
 * page starts at `lastUserId`, which may itself come back again: callers drop the repeat.
 */
export async function listPresences(client: SymphonyClient, page: { lastUserId?: string; limit: number }): Promise<Presence[]> {
	const action = page.lastUserId === undefined ? 'reading everyone\'s presence' : `reading everyone's presence after user ${page.lastUserId}`;
	const { body } = await client.request({
		method: 'GET',
		path: '/pod/v2/users/presence',
		qs: { limit: page.limit, ...(page.lastUserId !== undefined && { lastUserId: page.lastUserId }) },
		action,
		hints: { 403: USER_PROVISIONING_HINT },
	});
	return decodePresenceList(body, action);
}
