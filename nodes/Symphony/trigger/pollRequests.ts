import type { IPollFunctions } from 'n8n-workflow';

import { createConnection, describeConnectionForPresence, explainForbiddenRead, getConnection } from '../api/connections';
import { getUserPresence, registerInterestIsolatingRefusals, type Presence } from '../api/presence';
import { getSessionUser } from '../api/session';
import { resolveUsers } from '../api/users';
import { USER_PARAMETERS } from '../descriptions/users';
import { ParameterError, SymphonyApiError, toNodeError } from '../errors';
import { mapConcurrentWhile } from '../helpers/batching';
import { tenantOfUserId } from '../helpers/userIds';
import type { IdentifyBy } from '../helpers/userRefs';
import type { SymphonyClient } from '../transport';
import { inFlightForPace } from '../transport/pacing';
import type { WatchedUser } from './outputItems';
import { isReadDue, readingOrder, type WatchedUserState } from './presenceState';

/**
 * The requests of a poll, in both modes: who the watched users are, whose colleagues they are,
 * interest in the external ones, and their presence. Each says which refusals concern one user
 * (reported, the others go on) and which the pod or the credential (the poll fails).
 */

/** What the trigger does about interest, for the explanation of a refused read. */
const TRIGGER_INTEREST =
	'the trigger registers it every hour, so Symphony refusing it points at the privilege: check that the account behind the credential has ADMIN_PRESENCE_UPDATE (OBO apps: GET_PRESENCE).';

/** HTTP statuses whose failure concerns the user asked about rather than the pod or the credential. */
const USER_LEVEL_HTTP_STATUSES = new Set([400, 403, 404]);

/** An email or username that could not be turned into a user. */
export interface UnresolvedUser {
	ref: string;
	error: Error;
}

/** The users a poll watches, and the emails or usernames that matched nobody. */
export interface Watched {
	users: WatchedUser[];
	ids: string[];
	unresolved: UnresolvedUser[];
}

/** What came of reading one user at this poll. */
export type ReadOutcome =
	| { kind: 'read'; presence: Presence }
	/** Not read now: an external user read less than 5 minutes ago, or Symphony asked to slow down. */
	| { kind: 'later' }
	/** Something about this user (unknown, not connected, no access): reported, the others go on. */
	| { kind: 'unreadable'; error: SymphonyApiError }
	/** Something about the pod or the credential (401, 5xx, network): the poll fails as a whole. */
	| { kind: 'failed'; error: unknown };

/** Who a poll reads, and until when it starts reads. */
export interface ReadingPlan {
	/** The watched users, in the order of the node's list. */
	ids: readonly string[];
	/** Where reading starts (see `readingOrder`). */
	readFrom: string | undefined;
	externals: readonly string[];
	/** Users whose registration of interest Symphony refused at this poll: not read, reported. */
	refused: ReadonlyMap<string, SymphonyApiError>;
	/** Users this poll starts watching (trigger mode): external ones are read from the next poll on. */
	startsWatching?: ReadonlySet<string>;
	now: number;
	/** Whether another read may start. */
	mayStart: () => boolean;
	/** Send Connection Requests: ask people at other firms with no connection to connect. */
	requestConnections?: boolean;
}

/**
 * Turns the users named by email or username into IDs, looking up only those not found at an
 * earlier poll (`known`, updated). A name that matches nobody is returned as unresolved (to be
 * reported and looked up again at the next poll); a failed lookup (401, 403, 5xx) is thrown.
 */
export async function resolveWatched(
	context: IPollFunctions,
	client: SymphonyClient,
	identifyBy: IdentifyBy,
	refs: readonly string[],
	known: Record<string, string>,
): Promise<Watched> {
	if (identifyBy === 'id') return { users: refs.map((userId) => ({ userId })), ids: [...refs], unresolved: [] };
	const toLookUp = refs.filter((ref) => known[ref] === undefined);
	const found = toLookUp.length > 0 ? await resolveUsers(client, identifyBy, USER_PARAMETERS[identifyBy].oneLabel, toLookUp) : new Map();
	const users: WatchedUser[] = [];
	const unresolved: UnresolvedUser[] = [];
	const seen = new Set<string>();
	for (const ref of refs) {
		const result = known[ref] !== undefined ? { userId: known[ref] } : found.get(ref);
		if (result instanceof ParameterError) {
			unresolved.push({ ref, error: result });
		} else if (result instanceof Error || result === undefined) {
			throw toNodeError(context.getNode(), result ?? new Error(`No lookup result for ${ref}`));
		} else {
			known[ref] = result.userId;
			// Two names of one person are watched once.
			if (seen.has(result.userId)) continue;
			seen.add(result.userId);
			users.push({ userId: result.userId, [identifyBy]: ref });
		}
	}
	return { users, ids: users.map((user) => user.userId), unresolved };
}

/**
 * The tenant (pod) of the credential's user, which tells colleagues from external users. An OBO
 * app without GET_BASIC_USER_INFO may not read its session (403): then the answer is '' and every
 * watched user is handled as external, registered for and read at most once per 5 minutes.
 */
export async function findCallerTenant(context: IPollFunctions, client: SymphonyClient): Promise<string> {
	try {
		return tenantOfUserId((await getSessionUser(client)).id);
	} catch (error) {
		if (!(error instanceof SymphonyApiError && error.report.status === 403)) throw toNodeError(context.getNode(), error);
		context.logger.warn(
			'Symphony Presence Trigger: the credential may not read its session info (403), so every watched user is treated as a user of another firm and read at most once per 5 minutes',
		);
		return '';
	}
}

/**
 * Registers interest in the external users in one request, and returns those Symphony refused.
 * Users Symphony refuses (unknown IDs) are set aside and the rest registered; a refusal for
 * everyone (403: the credential lacks the privilege) marks them all. Both are tried again with the
 * next renewal, not at every poll. Failures of the pod or the credential are thrown.
 */
export async function registerInterest(
	context: IPollFunctions,
	client: SymphonyClient,
	users: Record<string, WatchedUserState>,
	externals: readonly string[],
): Promise<Map<string, SymphonyApiError>> {
	const sentAt = Date.now();
	let accepted: string[];
	let refused: Array<{ userId: string; error: SymphonyApiError }>;
	try {
		({ accepted, refused } = await registerInterestIsolatingRefusals(client, context.getNode(), externals));
	} catch (error) {
		if (!(error instanceof SymphonyApiError && error.report.status === 403)) throw toNodeError(context.getNode(), error);
		accepted = [];
		refused = externals.map((userId) => ({ userId, error }));
	}
	for (const userId of accepted) {
		users[userId] = { ...users[userId], registeredAt: sentAt };
		delete users[userId].interestRefused;
	}
	for (const { userId } of refused) {
		users[userId] = { ...users[userId], registeredAt: sentAt, interestRefused: true };
	}
	return new Map(refused.map(({ userId, error }) => [userId, error]));
}

/**
 * Reads the users due at this poll (`isReadDue`) in reading order, starting reads while
 * `mayStart` allows, and records when each answer came. Returns the outcome per watched user, in
 * the order of `ids`, and the first due user not reached.
 */
export async function readWatched(
	context: IPollFunctions,
	client: SymphonyClient,
	users: Record<string, WatchedUserState>,
	{ ids, readFrom, externals, refused, startsWatching, now, mayStart, requestConnections }: ReadingPlan,
): Promise<{ outcomes: ReadOutcome[]; notReached: string | undefined }> {
	const isExternal = new Set(externals);
	const due = readingOrder(ids, readFrom).filter(
		(userId) => !refused.has(userId) && isReadDue(users[userId], isExternal.has(userId), now, startsWatching?.has(userId)),
	);
	// As many reads in flight as keep the client's pace filled at the pod's latency (75 at 300/s,
	// capped at 100 so a slow pod never gets hundreds of sockets): the transport's pacing keeps the
	// rate, `mayStart` the poll's budget. A read started just before the deadline may wait up to
	// LATENCY_COVERED_MS for its slot, inside the budget's share kept for reads in flight.
	const reads = await mapConcurrentWhile(due, inFlightForPace(client.requestsPerSecond), mayStart, async (userId) => {
		const outcome = await fetchPresence(client, userId);
		// Any answer counts against the 5-minute rule; kept even when this poll fails later.
		users[userId].readAt = Date.now();
		// A person at another firm refused: the item says the connection status (one request).
		if (outcome.kind === 'unreadable' && outcome.error.report.status === 403 && isExternal.has(userId)) {
			const explained = requestConnections
				? await requestConnectionIfNone(client, outcome.error, userId)
				: await explainForbiddenRead(client, outcome.error, userId, TRIGGER_INTEREST);
			return { kind: 'unreadable', error: explained } as const;
		}
		return outcome;
	});
	const readOutcomes = new Map(due.map((userId, index) => [userId, reads[index]]));
	const notReached = due.find((_userId, index) => reads[index] === undefined);
	if (notReached !== undefined) {
		context.logger.debug(
			`Symphony Presence Trigger: read ${reads.filter((r) => r !== undefined).length} of ${due.length} users within this poll's time; the others are read first at the next poll`,
		);
	}
	const outcomes = ids.map((userId): ReadOutcome => {
		const refusal = refused.get(userId);
		if (refusal) return { kind: 'unreadable', error: refusal };
		return readOutcomes.get(userId) ?? { kind: 'later' };
	});
	return { outcomes, notReached };
}

/**
 * Send Connection Requests: a refused person at another firm with no connection at all gets one
 * request. Symphony keeps the request's state, so a later poll finds it waiting (or declined) and
 * sends none again; the item says what was done or what the connection is.
 */
async function requestConnectionIfNone(client: SymphonyClient, refusal: SymphonyApiError, userId: string): Promise<SymphonyApiError> {
	let connection;
	try {
		connection = await getConnection(client, userId);
	} catch {
		return await explainForbiddenRead(client, refusal, userId, TRIGGER_INTEREST);
	}
	let description = describeConnectionForPresence(userId, connection, TRIGGER_INTEREST);
	if (connection === undefined) {
		try {
			await createConnection(client, userId);
			description = `You were not connected with user ${userId}, who is at another firm, so a connection request was sent to them now (Send Connection Requests). Their presence can be read once they accept it; ask them to.`;
		} catch (error) {
			description = `${description} Sending them a connection request failed: ${(error as Error).message}.`;
		}
	}
	return new SymphonyApiError(refusal.node, { ...refusal.report, description });
}

/** One user's presence; Symphony asking to slow down (429) means later, a refusal about the user unreadable. */
async function fetchPresence(client: SymphonyClient, userId: string): Promise<ReadOutcome> {
	try {
		return { kind: 'read', presence: await getUserPresence(client, userId, false) };
	} catch (error) {
		if (error instanceof SymphonyApiError && error.report.status === 429) return { kind: 'later' };
		if (error instanceof SymphonyApiError && USER_LEVEL_HTTP_STATUSES.has(error.report.status ?? 0)) {
			return { kind: 'unreadable', error };
		}
		return { kind: 'failed', error };
	}
}

/** The first outcome, in the watched users' order, that fails the poll. */
export function failureAmong(outcomes: readonly ReadOutcome[]): Extract<ReadOutcome, { kind: 'failed' }> | undefined {
	return outcomes.find((outcome): outcome is Extract<ReadOutcome, { kind: 'failed' }> => outcome.kind === 'failed');
}
