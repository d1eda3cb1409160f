import type { IDataObject, INodeExecutionData, IPollFunctions, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { getUserPresence, registerInterestIsolatingRefusals, type Presence } from '../api/presence';
import { getSessionInfo } from '../api/session';
import { namedAs, resolveUsers } from '../api/users';
import { clientSettingsFromOptions } from '../transport/clientSettings';
import { USER_PARAMETERS } from '../descriptions/users';
import { ParameterError, SymphonyApiError, toNodeError } from '../errors';
import { mapConcurrentWhile } from '../helpers/batching';
import { parseStatusList } from '../helpers/presenceStatus';
import { tenantOfUserId } from '../helpers/userIds';
import { parseIdentifyBy, parseUserRefs, type IdentifyBy } from '../helpers/userRefs';
import { createSymphonyClient, type SymphonyClient, type SymphonyCredentialType } from '../transport';
import {
	TRIGGER_ON_VALUES,
	isChangeToEmit,
	isExternalReadAllowed,
	isReadDue,
	isRegistrationDue,
	nextReadAt,
	decodeState,
	readingDeadline,
	readingOrder,
	stateFor,
	type PresenceTriggerState,
	type TriggerOn,
	type WatchedUserState,
} from './presenceState';

/** Reads in flight at once; the rest wait their turn. */
const READ_CONCURRENCY = 5;

/** The label the trigger's user field goes by in messages, whichever kind of value it holds. */
export const USERS_TO_WATCH = 'Users to Watch';

/** A watched user as named in the node, with the ID presence is read with. */
interface WatchedUser {
	userId: string;
	email?: string;
	username?: string;
}

/** An email or username that could not be turned into a user. */
interface UnresolvedUser {
	ref: string;
	error: Error;
}

interface TriggerParameters {
	identifyBy: IdentifyBy;
	/** The users as named in the node: IDs, emails or usernames, canonical and without repeats. */
	refs: string[];
	triggerOn: TriggerOn;
	statuses: string[];
	emitOnStart: boolean;
	reportUnreadable: boolean;
	credentialType: SymphonyCredentialType;
	options: IDataObject;
}

/** What came of reading one user at this poll. */
type ReadOutcome =
	| { kind: 'read'; presence: Presence }
	/** Not read now: an external user read less than 5 minutes ago, or Symphony asked to slow down. */
	| { kind: 'later' }
	/** Something about this user (unknown, not connected, no access): reported, the others go on. */
	| { kind: 'unreadable'; error: SymphonyApiError }
	/** Something about the pod or the credential (401, 5xx, network): the poll fails as a whole. */
	| { kind: 'failed'; error: unknown };

/** A failure as n8n shows it, attached to the trigger node. */
function nodeErrorOf(context: IPollFunctions, error: unknown): NodeApiError | NodeOperationError {
	return toNodeError(context.getNode(), error);
}

/**
 * The time n8n allows this poll (`IPollFunctions.getPollBudgetMs`, in n8n 2.41); undefined on
 * versions without it, whose typings also lack it.
 */
function pollBudgetMs(context: IPollFunctions): number | undefined {
	const { getPollBudgetMs } = context as { getPollBudgetMs?: () => number };
	return typeof getPollBudgetMs === 'function' ? getPollBudgetMs.call(context) : undefined;
}

/** Whose view the stored state is: the credential, by type and n8n's ID of it. */
function scopeOf(context: IPollFunctions, credentialType: SymphonyCredentialType): string {
	return `${credentialType}:${context.getNode().credentials?.[credentialType]?.id ?? ''}`;
}

/** Statuses whose failure concerns the user asked about rather than the pod or the credential. */
const USER_LEVEL_STATUSES = new Set([400, 403, 404]);

function readParameters(context: IPollFunctions): TriggerParameters {
	try {
		const identifyBy = parseIdentifyBy(context.getNodeParameter('identifyBy', 'id'));
		const refs = parseUserRefs(identifyBy, USERS_TO_WATCH, context.getNodeParameter(USER_PARAMETERS[identifyBy].many));
		const triggerOn = context.getNodeParameter('triggerOn', 'anyChange') as TriggerOn;
		if (!TRIGGER_ON_VALUES.includes(triggerOn)) {
			throw new ParameterError('Trigger On', triggerOn, 'is not one of the choices', 'Pick Any Change, Becomes One of Statuses or Leaves One of Statuses');
		}
		const rawStatuses = triggerOn === 'anyChange' ? [] : context.getNodeParameter('statuses', []);
		const statuses = parseStatusList('Statuses', rawStatuses);
		if (triggerOn !== 'anyChange' && statuses.length === 0) {
			throw new ParameterError('Statuses', rawStatuses, 'is empty', 'Select at least one status, or set Trigger On to Any Change');
		}
		const options = context.getNodeParameter('options', {}) as IDataObject;
		return {
			identifyBy,
			refs,
			triggerOn,
			statuses,
			emitOnStart: options.emitOnStart === true,
			reportUnreadable: options.reportUnreadable !== false,
			credentialType: context.getNodeParameter('authentication', 'symphonyApi') as SymphonyCredentialType,
			options,
		};
	} catch (error) {
		throw nodeErrorOf(context, error);
	}
}

/** The static data keeps exactly the state's fields, nothing stale. */
function writeState(stored: IDataObject, state: PresenceTriggerState): void {
	for (const key of Object.keys(stored)) delete stored[key];
	Object.assign(stored, state);
}

/**
 * The tenant (pod) of the credential's user, which tells colleagues from external users. An OBO
 * app without GET_BASIC_USER_INFO may not read its session (403): then the answer is '' and every
 * watched user is handled as external, registered for and read at most once per 5 minutes.
 */
async function readCallerTenant(context: IPollFunctions, client: SymphonyClient): Promise<string> {
	try {
		return tenantOfUserId((await getSessionInfo(client)).userId);
	} catch (error) {
		if (!(error instanceof SymphonyApiError && error.report.status === 403)) throw nodeErrorOf(context, error);
		context.logger.warn(
			'Symphony Presence Trigger: the credential may not read its session info (403), so every watched user is treated as a user of another firm and read at most once per 5 minutes',
		);
		return '';
	}
}

/**
 * Registers interest in the external users in one request. Users Symphony refuses (unknown IDs)
 * are set aside and the rest registered; a refusal for everyone (403: the credential lacks the
 * privilege) marks them all. Both are tried again with the next renewal, not at every poll.
 * Failures of the pod or the credential are thrown.
 */
async function registerInterest(
	context: IPollFunctions,
	client: SymphonyClient,
	users: Record<string, WatchedUserState>,
	externals: readonly string[],
	unreadable: Map<string, SymphonyApiError>,
): Promise<void> {
	const sentAt = Date.now();
	let accepted: string[];
	let refused: Array<{ userId: string; error: SymphonyApiError }>;
	try {
		({ accepted, refused } = await registerInterestIsolatingRefusals(client, context.getNode(), externals));
	} catch (error) {
		if (!(error instanceof SymphonyApiError && error.report.status === 403)) throw nodeErrorOf(context, error);
		accepted = [];
		refused = externals.map((userId) => ({ userId, error }));
	}
	for (const userId of accepted) {
		users[userId] = { ...users[userId], registeredAt: sentAt };
		delete users[userId].interestRefused;
	}
	for (const { userId, error } of refused) {
		users[userId] = { ...users[userId], registeredAt: sentAt, interestRefused: true };
		unreadable.set(userId, error);
	}
}

async function readUser(client: SymphonyClient, userId: string): Promise<ReadOutcome> {
	try {
		return { kind: 'read', presence: await getUserPresence(client, userId, false) };
	} catch (error) {
		if (error instanceof SymphonyApiError && error.report.status === 429) return { kind: 'later' };
		if (error instanceof SymphonyApiError && USER_LEVEL_STATUSES.has(error.report.status ?? 0)) {
			return { kind: 'unreadable', error };
		}
		return { kind: 'failed', error };
	}
}

/** An output item: the user as named, the status and what it was before. */
function presenceItem(
	user: WatchedUser,
	status: string | null,
	previousStatus: string | null,
	timestamp: number | undefined,
	observedAt: number | undefined,
): IDataObject {
	const changedAt = timestamp ?? observedAt;
	return {
		userId: user.userId,
		...namedAs(user),
		status,
		previousStatus,
		changedAt: changedAt === undefined ? null : new Date(changedAt).toISOString(),
		timestamp: timestamp ?? null,
	};
}

/** The report of a user who cannot be watched: `error` and `description` say what and what to do. */
function problemItem(named: IDataObject, previousStatus: string | null, error: Error, now: number): IDataObject {
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
 * Turns the users named by email or username into IDs, looking up only those not found at an
 * earlier poll. A name that matches nobody is returned as unresolved (to be reported and looked
 * up again at the next poll); a failed lookup (401, 403, 5xx) is thrown.
 */
async function resolveWatched(
	context: IPollFunctions,
	client: SymphonyClient,
	identifyBy: IdentifyBy,
	refs: readonly string[],
	known: Record<string, string>,
): Promise<{ users: WatchedUser[]; unresolved: UnresolvedUser[] }> {
	if (identifyBy === 'id') return { users: refs.map((userId) => ({ userId })), unresolved: [] };
	const toLookUp = refs.filter((ref) => known[ref] === undefined);
	const found = toLookUp.length > 0 ? await resolveUsers(client, identifyBy, toLookUp) : new Map();
	const users: WatchedUser[] = [];
	const unresolved: UnresolvedUser[] = [];
	const seen = new Set<string>();
	for (const ref of refs) {
		const result = known[ref] !== undefined ? { userId: known[ref] } : found.get(ref);
		if (result instanceof ParameterError) {
			unresolved.push({ ref, error: result });
		} else if (result instanceof Error || result === undefined) {
			throw nodeErrorOf(context, result ?? new Error(`No lookup result for ${ref}`));
		} else {
			known[ref] = result.userId;
			// Two names of one person are watched once.
			if (seen.has(result.userId)) continue;
			seen.add(result.userId);
			users.push({ userId: result.userId, [identifyBy]: ref });
		}
	}
	return { users, unresolved };
}

/**
 * One poll of the Symphony Presence Trigger (see SymphonyPresenceTrigger.node.ts for the contract).
 *
 * In trigger mode all that passes from one poll to the next is in the workflow's static data
 * (`getWorkflowStaticData('node')`): per watched user, the status last read, when it was read and
 * when interest was registered. n8n may run each poll in a fresh context, in another process, or
 * after a restart from a copy saved polls ago (n8n saves static data when a poll emits, or after
 * every poll with durable cursors); nothing here depends on which. A user's first reading records
 * a baseline; later readings emit one item per change that Trigger On selects. External users are
 * registered for before each registration lapses and read at most once per 5 minutes.
 *
 * A copy saved polls ago can only hold older read and registration times, and statuses that later
 * polls changed without emitting (changes Trigger On does not select): starting from it costs
 * requests (an early registration, a read the pod refuses with 429), never a second emission.
 *
 * Reads stop starting once part of n8n's poll budget is spent, so n8n never abandons a poll for
 * taking too long; the next poll starts with the first user this one did not reach (round-robin).
 *
 * In manual mode ("Fetch test event") every watched user's current status is returned and the
 * state is only read (to keep to the 5-minute rule), never written.
 */
export async function pollPresence(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const startedAt = Date.now();
	const manual = this.getMode() === 'manual';
	const parameters = readParameters(this);
	const client = await createSymphonyClient(this, clientSettingsFromOptions(parameters.credentialType, parameters.options));
	const stored = this.getWorkflowStaticData('node');
	const scope = scopeOf(this, parameters.credentialType);
	const now = Date.now();

	const previous = decodeState(stored);
	const state: PresenceTriggerState = manual ? previous : stateFor(previous, scope);
	const resolvedIds: Record<string, string> = manual ? {} : { ...state.resolvedIds };
	const unresolvedReported: Record<string, string> = manual ? {} : { ...state.unresolved };
	const { users: watched, unresolved } = await resolveWatched(this, client, parameters.identifyBy, parameters.refs, resolvedIds);
	const watchedIds = watched.map((user) => user.userId);

	// A working copy of what is known per watched user (users no longer watched are dropped).
	// Manual runs take only what was read and when, to keep to the 5-minute rule.
	const users: Record<string, WatchedUserState> = {};
	for (const userId of watchedIds) {
		const { status, readAt } = state.users[userId] ?? {};
		users[userId] = manual ? { ...(status !== undefined && { status }), ...(readAt !== undefined && { readAt }) } : { ...state.users[userId] };
	}

	let callerTenant = manual ? undefined : state.callerTenant;
	// Where the next poll starts reading: moved on only by a poll that stops short of everyone.
	let readFrom = state.readFrom;
	const commit = (lastPollAt: number) => {
		if (manual) return;
		for (const ref of Object.keys(unresolvedReported)) if (!unresolved.some((u) => u.ref === ref)) delete unresolvedReported[ref];
		writeState(stored, {
			scope,
			users,
			...(callerTenant !== undefined && { callerTenant }),
			lastPollAt,
			...(Object.keys(resolvedIds).length > 0 && { resolvedIds }),
			...(Object.keys(unresolvedReported).length > 0 && { unresolved: unresolvedReported }),
			...(readFrom !== undefined && { readFrom }),
		});
	};

	callerTenant ??= await readCallerTenant(this, client);
	const externals = watchedIds.filter((userId) => callerTenant === '' || tenantOfUserId(userId) !== callerTenant);
	const isExternal = new Set(externals);

	const unreadable = new Map<string, SymphonyApiError>();
	const pollGapMs = state.lastPollAt === undefined ? 0 : Math.max(0, now - state.lastPollAt);
	// Manual runs register the external users they will read; active triggers all of them, when due.
	const toRegister = manual
		? externals.filter((userId) => isExternalReadAllowed(users[userId], now))
		: isRegistrationDue(users, externals, now, pollGapMs)
			? externals
			: [];
	if (toRegister.length > 0) {
		try {
			await registerInterest(this, client, users, toRegister, unreadable);
		} catch (error) {
			commit(now);
			throw nodeErrorOf(this, error);
		}
	}

	const ordered = readingOrder(watchedIds, state.readFrom).filter(
		(userId) => !unreadable.has(userId) && isReadDue(users[userId], isExternal.has(userId), now),
	);
	// A manual run has no budget: the editor waits for every user.
	const deadline = readingDeadline(startedAt, pollBudgetMs(this));
	const reads = await mapConcurrentWhile(ordered, READ_CONCURRENCY, () => manual || Date.now() < deadline, async (userId) => {
		const outcome = await readUser(client, userId);
		// Any answer counts against the 5-minute rule; kept even when this poll fails later.
		users[userId].readAt = Date.now();
		return outcome;
	});
	const readOutcomes = new Map(ordered.map((userId, index) => [userId, reads[index]]));
	const notReached = ordered.find((_userId, index) => reads[index] === undefined);
	if (notReached !== undefined) {
		readFrom = notReached;
		this.logger.debug(
			`Symphony Presence Trigger: read ${reads.filter((r) => r !== undefined).length} of ${ordered.length} users within this poll's time; the others are read first at the next poll`,
		);
	}
	const outcomes = watchedIds.map((userId): ReadOutcome => {
		const registrationProblem = unreadable.get(userId);
		if (registrationProblem) return { kind: 'unreadable', error: registrationProblem };
		return readOutcomes.get(userId) ?? { kind: 'later' };
	});

	const failure = outcomes.find((outcome): outcome is Extract<ReadOutcome, { kind: 'failed' }> => outcome.kind === 'failed');
	if (failure) {
		// Statuses stay as they were, so the changes this poll saw are emitted by the next one.
		commit(now);
		throw nodeErrorOf(this, failure.error);
	}

	const named = (ref: string): IDataObject => ({ [parameters.identifyBy]: ref });
	if (manual) {
		return [
			this.helpers.returnJsonArray([
				...unresolved.map(({ ref, error }) => problemItem(named(ref), null, error, now)),
				...manualItems(watched, users, outcomes, now),
			]),
		];
	}

	const emitted: IDataObject[] = [];
	for (const { ref, error } of unresolved) {
		if (unresolvedReported[ref] === error.message) continue;
		unresolvedReported[ref] = error.message;
		this.logger.warn(`Symphony Presence Trigger: ${error.message}`);
		if (parameters.reportUnreadable) emitted.push(problemItem(named(ref), null, error, now));
	}
	watched.forEach((user, index) => {
		const outcome = outcomes[index];
		const memory = users[user.userId];
		if (outcome.kind === 'read') {
			const { category, timestamp } = outcome.presence;
			const before = memory.status;
			delete memory.problem;
			memory.status = category;
			if (before === undefined) {
				if (parameters.emitOnStart) emitted.push(presenceItem(user, category, null, timestamp, now));
			} else if (isChangeToEmit(parameters.triggerOn, parameters.statuses, before, category)) {
				emitted.push(presenceItem(user, category, before, timestamp, now));
			}
		} else if (outcome.kind === 'unreadable') {
			if (memory.problem === outcome.error.message) return;
			memory.problem = outcome.error.message;
			this.logger.warn(`Symphony Presence Trigger: ${outcome.error.message}`, { userId: user.userId });
			if (parameters.reportUnreadable) {
				emitted.push(problemItem({ userId: user.userId, ...namedAs(user) }, memory.status ?? null, outcome.error, now));
			}
		}
	});
	commit(now);
	return emitted.length > 0 ? [this.helpers.returnJsonArray(emitted)] : null;
}

/** Manual mode: one item per watched user, as current as the 5-minute rule allows. */
function manualItems(
	watched: WatchedUser[],
	users: Record<string, WatchedUserState>,
	outcomes: ReadOutcome[],
	now: number,
): IDataObject[] {
	return watched.map((user, index) => {
		const outcome = outcomes[index];
		const memory = users[user.userId];
		if (outcome.kind === 'read') {
			return presenceItem(user, outcome.presence.category, null, outcome.presence.timestamp, now);
		}
		if (outcome.kind === 'unreadable') return problemItem({ userId: user.userId, ...namedAs(user) }, null, outcome.error, now);
		// Read by the active trigger less than 5 minutes ago: its last reading is the freshest allowed.
		if (memory.status !== undefined) return presenceItem(user, memory.status, null, undefined, undefined);
		const next = nextReadAt(memory);
		return {
			...presenceItem(user, null, null, undefined, undefined),
			error: `The presence of external user ${user.userId} was read less than 5 minutes ago`,
			description: `Symphony answers one read per external user every 5 minutes. Fetch again${
				next === undefined ? ' in a few minutes' : ` after ${new Date(next).toISOString()}`
			}.`,
		};
	});
}
