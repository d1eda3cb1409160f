import { EXTERNAL_READ_INTERVAL_MS, INTEREST_LIFETIME_MS } from '../api/presence';
import { tenantOfUserId } from '../helpers/userIds';

/**
 * The presence trigger's rules, kept pure so they can be table-tested: which status changes to
 * emit, which users may be read at a poll, and when interest in external users must be renewed.
 * Times are epoch milliseconds passed in by the caller; nothing here reads a clock.
 */

/**
 * Share of n8n's poll budget spent starting reads; the rest is room for the reads still in flight
 * and for emitting (n8n keeps a margin of its own before it abandons a poll).
 */
export const READING_SHARE_OF_BUDGET = 0.75;
/**
 * The longest a poll starts reads, whatever the budget: n8n's in-memory poller says 5 minutes and
 * starts the next poll after 1 minute at the shortest, whether or not the last one has ended.
 */
export const MAX_READING_MS = 30 * 1000;
/** The poll budget where n8n does not say (older versions): n8n's default poll timeout, 45 s. */
export const FALLBACK_POLL_BUDGET_MS = 45 * 1000;
/** Symphony's hour for a registration of interest; one constant with Get's, in api/presence.ts. */
export { INTEREST_LIFETIME_MS };
/** Renewal happens at least this long before a registration would lapse: polls start late, requests take time. */
export const RENEWAL_MARGIN_MS = 2 * 60 * 1000;

export const TRIGGER_ON_VALUES = ['anyChange', 'becomes', 'leaves'] as const;
export type TriggerOn = (typeof TRIGGER_ON_VALUES)[number];

/** What the trigger remembers about one watched user (stored in the workflow's static data). */
export interface WatchedUserState {
	/** The status last read; absent until the user's baseline has been read. */
	status?: string;
	/**
	 * When Symphony's answer to the last read arrived: later than the pod's own record of the read,
	 * so the 5-minute rule for external users errs on the safe side.
	 */
	readAt?: number;
	/** External users: when interest was last registered (the time the request was sent), refused or not. */
	registeredAt?: number;
	/** External users: Symphony refused the last registration for this user (unknown user, …). */
	interestRefused?: boolean;
	/** The problem last reported for this user, so that each problem is reported once. */
	problem?: string;
	/**
	 * When the first poll whose state n8n kept started watching this user. A first reading whose
	 * status Symphony says was set later shows a change made since then (see `isChangeSinceWatching`).
	 */
	watchedSince?: number;
}

export interface PresenceTriggerState {
	/**
	 * Whose view the state is: the credential the trigger polls with. Statuses, registrations and the
	 * caller's tenant belong to that identity; another credential starts over (see `stateFor`).
	 */
	scope?: string;
	users: Record<string, WatchedUserState>;
	/**
	 * Tenant (pod) of the credential's user; watched users of other tenants are external. Empty when
	 * the session would not say: then every watched user is treated as external, which is always safe.
	 */
	callerTenant?: string;
	/** When the previous poll ran, to know how far away the next one probably is. */
	lastPollAt?: number;
	/** Users named by email or username: the ID each was found to have. */
	resolvedIds?: Record<string, string>;
	/** Emails or usernames that matched no user: the problem reported, so that it is reported once. */
	unresolved?: Record<string, string>;
	/** The watched user the next poll starts reading at: the first the previous poll did not reach in its time. */
	readFrom?: string;
}

/**
 * Whether a change from `previous` to `current` starts the workflow. "Becomes" matches a change
 * whose new status is one of `statuses`, "leaves" one whose old status is.
 */
export function isChangeToEmit(
	triggerOn: TriggerOn,
	statuses: readonly string[],
	previous: string,
	current: string,
): boolean {
	if (previous === current) return false;
	if (triggerOn === 'becomes') return statuses.includes(current);
	if (triggerOn === 'leaves') return statuses.includes(previous);
	return true;
}

/**
 * Whether a user's first reading shows a change the trigger did not see happen: Symphony says the
 * status was set after watching began (`watchedSince`), so it replaced a status never read. That is
 * how a change made before an external user's first reading (put off by `isReadDue`, or by a 429)
 * still comes out. The status before is unknown, so "Leaves" cannot match. OFFLINE is left out:
 * Symphony gives the time of the query as its timestamp, not when it was set.
 */
export function isChangeSinceWatching(
	triggerOn: TriggerOn,
	statuses: readonly string[],
	watchedSince: number | undefined,
	current: string,
	timestamp: number | undefined,
): boolean {
	if (watchedSince === undefined || timestamp === undefined || current === 'OFFLINE') return false;
	if (timestamp <= watchedSince) return false;
	if (triggerOn === 'becomes') return statuses.includes(current);
	return triggerOn === 'anyChange';
}

/**
 * Decodes the state stored in static data, tolerating anything (older shapes, hand-edited static
 * data): what cannot be understood is dropped and re-learnt.
 */
export function decodeState(stored: unknown): PresenceTriggerState {
	const record = (stored && typeof stored === 'object' ? stored : {}) as Partial<PresenceTriggerState>;
	const users: Record<string, WatchedUserState> = {};
	if (record.users && typeof record.users === 'object') {
		for (const [userId, value] of Object.entries(record.users)) {
			if (!value || typeof value !== 'object') continue;
			const { status, readAt, registeredAt, interestRefused, problem, watchedSince } = value;
			users[userId] = {
				...(typeof status === 'string' && { status }),
				...(isTime(readAt) && { readAt }),
				...(isTime(registeredAt) && { registeredAt }),
				...(interestRefused === true && { interestRefused }),
				...(typeof problem === 'string' && { problem }),
				...(isTime(watchedSince) && { watchedSince }),
			};
		}
	}
	const resolvedIds = textRecord(record.resolvedIds);
	const unresolved = textRecord(record.unresolved);
	return {
		...(typeof record.scope === 'string' && { scope: record.scope }),
		users,
		...(typeof record.callerTenant === 'string' && { callerTenant: record.callerTenant }),
		...(isTime(record.lastPollAt) && { lastPollAt: record.lastPollAt }),
		...(resolvedIds && { resolvedIds }),
		...(unresolved && { unresolved }),
		...(typeof record.readFrom === 'string' && { readFrom: record.readFrom }),
	};
}

function isTime(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

function textRecord(value: unknown): Record<string, string> | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
	return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * The state a poll starts from. Everything n8n kept is used as it is, however the poll came about:
 * the next poll of an activation, the first after n8n restarted, after the workflow was off for a
 * while, or in a fresh poll context (n8n's durable scheduler, queue-mode workers). So the trigger
 * compares with the last status it stored, and a change made in between is emitted once.
 *
 * Only a state kept for another credential (`scope`) is set aside: its statuses, registrations and
 * tenant say nothing about this one. Read times are kept, so switching never reads too early.
 */
export function stateFor(state: PresenceTriggerState, scope: string): PresenceTriggerState {
	if (state.scope === scope) return state;
	const users: Record<string, WatchedUserState> = {};
	for (const [userId, { readAt }] of Object.entries(state.users)) {
		users[userId] = readAt === undefined ? {} : { readAt };
	}
	return { scope, users };
}

/**
 * The order in which a poll reads the watched users: the list as entered, starting at `readFrom`
 * (the first user the previous poll did not reach when it ran out of time) and wrapping round. So a
 * poll that can read k of n users leaves nobody waiting more than ceil(n / k) polls. A `readFrom`
 * no longer watched starts at the top.
 */
export function readingOrder(userIds: readonly string[], readFrom: string | undefined): string[] {
	const start = readFrom === undefined ? -1 : userIds.indexOf(readFrom);
	return start <= 0 ? [...userIds] : [...userIds.slice(start), ...userIds.slice(0, start)];
}

/**
 * Until when a poll may start reads, given the budget n8n allows a poll (`budgetMs`, absent in
 * older n8n): a share of it, leaving the rest for the reads in flight and the emission, and never
 * more than `MAX_READING_MS`.
 */
export function readingDeadline(startedAt: number, budgetMs: number | undefined): number {
	const budget = budgetMs !== undefined && Number.isFinite(budgetMs) && budgetMs >= 0 ? budgetMs : FALLBACK_POLL_BUDGET_MS;
	return startedAt + Math.min(budget * READING_SHARE_OF_BUDGET, MAX_READING_MS);
}

/**
 * Whether interest must be registered at this poll: some external user has no registration, or
 * theirs would lapse before the next poll (expected `pollGapMs` from now) plus a margin. The
 * caller then registers all external users in one request, which keeps them on one schedule;
 * users Symphony refused are tried again with that request, not at every poll.
 */
export function isRegistrationDue(
	users: Readonly<Record<string, WatchedUserState>>,
	externals: readonly string[],
	now: number,
	pollGapMs = 0,
): boolean {
	return externals.some((userId) => {
		const registeredAt = users[userId]?.registeredAt;
		return registeredAt === undefined || now + pollGapMs + RENEWAL_MARGIN_MS >= registeredAt + INTEREST_LIFETIME_MS;
	});
}

/**
 * Whether a user may be read at this poll. Internal users always; external users only while their
 * registration is live, at least 5 minutes after the answer to their previous read arrived, and not
 * at the poll that starts watching them (`startsWatching`).
 *
 * That last rule is for n8n's durable scheduler, which keeps nothing the poll at activation writes:
 * a read made there would be forgotten while Symphony still counts it, so the first scheduled poll
 * would be refused (429) and the user's first reading put off by 5 minutes. A poll that finds the
 * user in the kept state knows its writes are kept, and reads.
 */
export function isReadDue(user: WatchedUserState | undefined, external: boolean, now: number, startsWatching = false): boolean {
	if (!external) return true;
	if (startsWatching) return false;
	if (user?.registeredAt === undefined || user.interestRefused) return false;
	if (now >= user.registeredAt + INTEREST_LIFETIME_MS) return false;
	return isExternalReadAllowed(user, now);
}

/** The 5-minute rule alone: whether Symphony would answer a read of this external user now. */
export function isExternalReadAllowed(user: WatchedUserState | undefined, now: number): boolean {
	return user?.readAt === undefined || now - user.readAt >= EXTERNAL_READ_INTERVAL_MS;
}

/** The earliest time an external user may be read again. */
export function nextReadAt(user: WatchedUserState | undefined): number | undefined {
	return user?.readAt === undefined ? undefined : user.readAt + EXTERNAL_READ_INTERVAL_MS;
}

/**
 * The external users among `userIds`: those of another tenant (pod) than the caller's, and all of
 * them when the caller's tenant is unknown (''), which is always safe.
 */
export function externalsOf(userIds: readonly string[], callerTenant: string): string[] {
	return userIds.filter((userId) => callerTenant === '' || tenantOfUserId(userId) !== callerTenant);
}
