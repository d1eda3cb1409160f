import type { IDataObject } from 'n8n-workflow';

import { namedAs } from '../api/users';
import { ParameterError, SymphonyApiError } from '../errors';

/**
 * The trigger's output items. Saved workflows read their fields (`status`, `previousStatus`,
 * `changedAt`, `error`, …), and the trigger has no versions to change them by: they stay as they are.
 */

/** A watched user as named in the node, with the ID presence is read with. */
export interface WatchedUser {
	userId: string;
	email?: string;
	username?: string;
}

/** How items name a watched user: the ID, and the email or username the node gave. */
export function namedUser(user: WatchedUser): IDataObject {
	return { userId: user.userId, ...namedAs(user) };
}

/**
 * A user's status and what it was before (null for a first reading). `changedAt` is when Symphony
 * says the status was set (`timestamp`), else when the trigger saw it (`observedAt`), else null.
 */
export function statusItem(
	user: WatchedUser,
	status: string | null,
	previousStatus: string | null,
	timestamp: number | undefined,
	observedAt: number | undefined,
): IDataObject {
	const changedAt = timestamp ?? observedAt;
	return {
		...namedUser(user),
		status,
		previousStatus,
		changedAt: changedAt === undefined ? null : new Date(changedAt).toISOString(),
		timestamp: timestamp ?? null,
	};
}

/** The report of a user who cannot be watched: `error` and `description` say what and what to do. */
export function problemItem(named: IDataObject, previousStatus: string | null, error: Error, now: number): IDataObject {
	return {
		userId: null,
		...named,
		status: null,
		previousStatus,
		changedAt: new Date(now).toISOString(),
		timestamp: null,
		error: error.message,
		...(error instanceof SymphonyApiError && error.description && { description: error.description }),
		...(error instanceof ParameterError && { description: error.fix }),
	};
}

/**
 * Manual mode: an external user read too recently for Symphony to answer again, with no status
 * known. `nextReadAt` is when Symphony will answer, if known.
 */
export function readTooRecentlyItem(user: WatchedUser, nextReadAt: number | undefined): IDataObject {
	return {
		...statusItem(user, null, null, undefined, undefined),
		error: `The presence of external user ${user.userId} was read less than 5 minutes ago`,
		description: `Symphony answers one read per external user every 5 minutes. Fetch again${
			nextReadAt === undefined ? ' in a few minutes' : ` after ${new Date(nextReadAt).toISOString()}`
		}.`,
	};
}
