/**
 * The presence trigger's rules, kept pure so they can be table-tested: which status changes to
 * emit, which users may be read at a poll, and when interest in external users must be renewed.
 * Times are epoch milliseconds passed in by the caller; nothing here reads a clock.
 */

/** Symphony answers an external user's presence at most once per 5 minutes (per caller and user). */
export const EXTERNAL_READ_INTERVAL_MS = 5 * 60 * 1000;
/** A registration of interest in external users lasts one hour. */
export const INTEREST_LIFETIME_MS = 60 * 60 * 1000;
/** Renewal happens at least this long before a registration would lapse: polls start late, requests take time. */
export const RENEWAL_MARGIN_MS = 2 * 60 * 1000;

export const TRIGGER_ON_VALUES = ['anyChange', 'becomes', 'leaves'] as const;
export type TriggerOn = (typeof TRIGGER_ON_VALUES)[number];

/** What the trigger remembers about one watched user (stored in the workflow's static data). */
export interface WatchedUserState {
	/** The status last read in this activation; absent until the user's baseline has been read. */
	status?: string;
	/** When Symphony's answer to the last read arrived. Later than the pod's own record of the read. */
	readAt?: number;
	/** External users: when interest was last registered (the time the request was sent), refused or not. */
	registeredAt?: number;
	/** External users: Symphony refused the last registration for this user (unknown user, …). */
	interestRefused?: boolean;
	/** The problem last reported for this user, so that each problem is reported once. */
	problem?: string;
}

export interface PresenceTriggerState {
	users: Record<string, WatchedUserState>;
	/**
	 * Tenant (pod) of the credential's user; watched users of other tenants are external. Empty when
	 * the session would not say: then every watched user is treated as external, which is always safe.
	 */
	callerTenant?: string;
	/** When the previous poll of this activation ran, to know how far away the next one probably is. */
	lastPollAt?: number;
	/** Users named by email or username: the ID each was found to have in this activation. */
	resolvedIds?: Record<string, string>;
	/** Emails or usernames that matched no user: the problem reported, so that it is reported once. */
	unresolved?: Record<string, string>;
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
 * Reads the stored state, tolerating anything (older shapes, hand-edited static data): what
 * cannot be understood is dropped and re-learnt.
 */
export function readState(stored: unknown): PresenceTriggerState {
	const record = (stored && typeof stored === 'object' ? stored : {}) as Partial<PresenceTriggerState>;
	const users: Record<string, WatchedUserState> = {};
	if (record.users && typeof record.users === 'object') {
		for (const [userId, value] of Object.entries(record.users)) {
			if (!value || typeof value !== 'object') continue;
			const { status, readAt, registeredAt, interestRefused, problem } = value;
			users[userId] = {
				...(typeof status === 'string' && { status }),
				...(isTime(readAt) && { readAt }),
				...(isTime(registeredAt) && { registeredAt }),
				...(interestRefused === true && { interestRefused }),
				...(typeof problem === 'string' && { problem }),
			};
		}
	}
	const resolvedIds = textRecord(record.resolvedIds);
	const unresolved = textRecord(record.unresolved);
	return {
		users,
		...(typeof record.callerTenant === 'string' && { callerTenant: record.callerTenant }),
		...(isTime(record.lastPollAt) && { lastPollAt: record.lastPollAt }),
		...(resolvedIds && { resolvedIds }),
		...(unresolved && { unresolved }),
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
 * The state at the first poll after activation: statuses, registrations, looked-up IDs and reported
 * problems are forgotten (the first poll records a new baseline, registers and looks up again and
 * reports problems again); when each user was last read is kept, so re-activating never reads an
 * external user too early.
 */
export function startActivation(state: PresenceTriggerState): PresenceTriggerState {
	const users: Record<string, WatchedUserState> = {};
	for (const [userId, { readAt }] of Object.entries(state.users)) {
		users[userId] = readAt === undefined ? {} : { readAt };
	}
	return { users };
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
 * registration is live and at least 5 minutes after the answer to their previous read arrived.
 */
export function isReadDue(user: WatchedUserState | undefined, external: boolean, now: number): boolean {
	if (!external) return true;
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
