import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { SymphonyApiError, toNodeError } from '../errors';
import { clientSettingsFromOptions } from '../transport/clientSettings';
import { createSymphonyClient, type SymphonyClient, type SymphonyCredentialType } from '../transport';
import { namedUser, problemItem, readTooRecentlyItem, statusItem, type WatchedUser } from './outputItems';
import { readTriggerParameters, type TriggerParameters } from './parameters';
import {
	failureAmong,
	findCallerTenant,
	readWatched,
	registerInterest,
	resolveWatched,
	type ReadOutcome,
	type UnresolvedUser,
} from './pollRequests';
import {
	decodeState,
	externalsOf,
	isChangeSinceWatching,
	isChangeToEmit,
	isExternalReadAllowed,
	isRegistrationDue,
	nextReadAt,
	readingDeadline,
	stateFor,
	type PresenceTriggerState,
	type WatchedUserState,
} from './presenceState';

/**
 * One poll of the Symphony Presence Trigger (see SymphonyPresenceTrigger.node.ts for the contract).
 * An active trigger emits the changes since the last poll (`pollForChanges`); "Fetch test event" in
 * the editor returns every watched user's current status (`fetchCurrentStatuses`).
 */
export async function pollPresence(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const startedAt = Date.now();
	const parameters = readTriggerParameters(this);
	const client = await createSymphonyClient(this, clientSettingsFromOptions(parameters.credentialType, parameters.options));
	if (this.getMode() === 'manual') return [this.helpers.returnJsonArray(await fetchCurrentStatuses(this, client, parameters))];
	return await pollForChanges(this, client, parameters, startedAt);
}

/**
 * Trigger mode. All that passes from one poll to the next is in the workflow's static data
 * (`getWorkflowStaticData('node')`): per watched user, the status last read, when it was read and
 * when interest was registered. n8n may run each poll in a fresh context, in another process, or
 * after a restart from a copy saved polls ago (n8n saves static data when a poll emits, or after
 * every poll with durable cursors); nothing here depends on which. A user's first reading records
 * a baseline; later readings emit one item per change that Trigger On selects. External users are
 * registered for before each registration lapses and read at most once per 5 minutes.
 *
 * n8n's durable scheduler keeps nothing the poll at activation writes unless it emits, so any poll
 * may be one whose state is forgotten. Two rules make that harmless: external users are first read
 * at a poll after the one that starts watching them (`isReadDue`), and a first reading whose status
 * was set after watching began comes out as a change (`isChangeSinceWatching`).
 *
 * A copy saved polls ago can only hold older read and registration times, and statuses that later
 * polls changed without emitting (changes Trigger On does not select): starting from it costs
 * requests (an early registration, a read the pod refuses with 429), never a second emission.
 *
 * Reads stop starting once part of n8n's poll budget is spent, so n8n never abandons a poll for
 * taking too long; the next poll starts with the first user this one did not reach (round-robin).
 */
async function pollForChanges(
	context: IPollFunctions,
	client: SymphonyClient,
	parameters: TriggerParameters,
	startedAt: number,
): Promise<INodeExecutionData[][] | null> {
	const stored = context.getWorkflowStaticData('node');
	const scope = scopeOf(context, parameters.credentialType);
	const now = Date.now();
	const state = stateFor(decodeState(stored), scope);
	const resolvedIds: Record<string, string> = { ...state.resolvedIds };
	const unresolvedReported: Record<string, string> = { ...state.unresolved };
	const watched = await resolveWatched(context, client, parameters.identifyBy, parameters.refs, resolvedIds);

	// A working copy of what is known per watched user (users no longer watched are dropped); users
	// the kept state does not know as watched start being watched now.
	const users: Record<string, WatchedUserState> = {};
	const startsWatching = new Set<string>();
	for (const userId of watched.ids) {
		users[userId] = { ...state.users[userId] };
		if (users[userId].watchedSince !== undefined) continue;
		users[userId].watchedSince = now;
		startsWatching.add(userId);
	}
	const callerTenant = state.callerTenant ?? (await findCallerTenant(context, client));

	// Writes the working copy into the static data; a failing poll writes it too, for the requests it sent.
	const save = (readFrom: string | undefined) => {
		for (const ref of Object.keys(unresolvedReported)) if (!watched.unresolved.some((u) => u.ref === ref)) delete unresolvedReported[ref];
		saveState(stored, {
			scope,
			users,
			callerTenant,
			lastPollAt: now,
			...(Object.keys(resolvedIds).length > 0 && { resolvedIds }),
			...(Object.keys(unresolvedReported).length > 0 && { unresolved: unresolvedReported }),
			...(readFrom !== undefined && { readFrom }),
		});
	};

	// All external users are registered together, when some registration is due.
	const externals = externalsOf(watched.ids, callerTenant);
	const pollGapMs = state.lastPollAt === undefined ? 0 : Math.max(0, now - state.lastPollAt);
	let refused = new Map<string, SymphonyApiError>();
	if (isRegistrationDue(users, externals, now, pollGapMs)) {
		try {
			refused = await registerInterest(context, client, users, externals);
		} catch (error) {
			save(state.readFrom);
			throw toNodeError(context.getNode(), error);
		}
	}

	const deadline = readingDeadline(startedAt, pollBudgetMs(context));
	const { outcomes, notReached } = await readWatched(context, client, users, {
		ids: watched.ids,
		readFrom: state.readFrom,
		externals,
		refused,
		startsWatching,
		now,
		mayStart: () => Date.now() < deadline,
		requestConnections: parameters.requestConnections,
	});
	// Where the next poll starts reading: moved on only by a poll that stops short of everyone.
	const readFrom = notReached ?? state.readFrom;
	const failure = failureAmong(outcomes);
	if (failure) {
		// Statuses stay as they were, so the changes this poll saw are emitted by the next one.
		save(readFrom);
		throw toNodeError(context.getNode(), failure.error);
	}

	const emitted = [
		...reportUnresolved(context, parameters, watched.unresolved, unresolvedReported, now),
		...recordOutcomes(context, parameters, watched.users, users, outcomes, now),
	];
	save(readFrom);
	return emitted.length > 0 ? [context.helpers.returnJsonArray(emitted)] : null;
}

/**
 * Manual mode ("Fetch test event"): every watched user's current status, as current as the
 * 5-minute rule allows. The stored state is only read, to keep to that rule, never written.
 */
async function fetchCurrentStatuses(context: IPollFunctions, client: SymphonyClient, parameters: TriggerParameters): Promise<IDataObject[]> {
	const state = decodeState(context.getWorkflowStaticData('node'));
	const now = Date.now();
	const watched = await resolveWatched(context, client, parameters.identifyBy, parameters.refs, {});

	// Only what was read and when, to keep to the 5-minute rule.
	const users: Record<string, WatchedUserState> = {};
	for (const userId of watched.ids) {
		const { status, readAt } = state.users[userId] ?? {};
		users[userId] = { ...(status !== undefined && { status }), ...(readAt !== undefined && { readAt }) };
	}
	const externals = externalsOf(watched.ids, await findCallerTenant(context, client));

	// Only the external users that may be read now are registered for.
	const toRegister = externals.filter((userId) => isExternalReadAllowed(users[userId], now));
	const refused = toRegister.length > 0 ? await registerInterest(context, client, users, toRegister) : new Map<string, SymphonyApiError>();

	const { outcomes } = await readWatched(context, client, users, {
		ids: watched.ids,
		readFrom: state.readFrom,
		externals,
		refused,
		now,
		// A manual run has no budget: the editor waits for every user.
		mayStart: () => true,
	});
	const failure = failureAmong(outcomes);
	if (failure) throw toNodeError(context.getNode(), failure.error);

	return [
		...watched.unresolved.map(({ ref, error }) => problemItem({ [parameters.identifyBy]: ref }, null, error, now)),
		...currentStatusItems(watched.users, users, outcomes, now),
	];
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

/** The static data keeps exactly the state's fields, nothing stale. */
function saveState(stored: IDataObject, state: PresenceTriggerState): void {
	for (const key of Object.keys(stored)) delete stored[key];
	Object.assign(stored, state);
}

/**
 * Trigger mode: the emails or usernames that match nobody, each reported once while it lasts
 * (`reported`: the problem last reported per name, updated).
 */
function reportUnresolved(
	context: IPollFunctions,
	parameters: TriggerParameters,
	unresolved: readonly UnresolvedUser[],
	reported: Record<string, string>,
	now: number,
): IDataObject[] {
	const items: IDataObject[] = [];
	for (const { ref, error } of unresolved) {
		if (reported[ref] === error.message) continue;
		reported[ref] = error.message;
		context.logger.warn(`Symphony Presence Trigger: ${error.message}`);
		if (parameters.reportUnreadable) items.push(problemItem({ [parameters.identifyBy]: ref }, null, error, now));
	}
	return items;
}

/**
 * Trigger mode: records what each read found in `users`, and returns the items it gives: the
 * changes Trigger On selects, first readings with Emit Current Statuses on Start, and each new
 * problem of an unreadable user, once.
 */
function recordOutcomes(
	context: IPollFunctions,
	parameters: TriggerParameters,
	watched: readonly WatchedUser[],
	users: Record<string, WatchedUserState>,
	outcomes: readonly ReadOutcome[],
	now: number,
): IDataObject[] {
	const items: IDataObject[] = [];
	watched.forEach((user, index) => {
		const outcome = outcomes[index];
		const memory = users[user.userId];
		if (outcome.kind === 'read') {
			const { category: status, timestamp } = outcome.presence;
			const before = memory.status;
			delete memory.problem;
			memory.status = status;
			if (before === undefined) {
				const changedSinceWatching = isChangeSinceWatching(parameters.triggerOn, parameters.statuses, memory.watchedSince, status, timestamp);
				if (parameters.emitOnStart || changedSinceWatching) items.push(statusItem(user, status, null, timestamp, now));
			} else if (isChangeToEmit(parameters.triggerOn, parameters.statuses, before, status)) {
				items.push(statusItem(user, status, before, timestamp, now));
			}
		} else if (outcome.kind === 'unreadable') {
			if (memory.problem === outcome.error.message) return;
			memory.problem = outcome.error.message;
			context.logger.warn(`Symphony Presence Trigger: ${outcome.error.message}`, { userId: user.userId });
			if (parameters.reportUnreadable) items.push(problemItem(namedUser(user), memory.status ?? null, outcome.error, now));
		}
	});
	return items;
}

/** Manual mode: one item per watched user, as current as the 5-minute rule allows. */
function currentStatusItems(
	watched: readonly WatchedUser[],
	users: Record<string, WatchedUserState>,
	outcomes: readonly ReadOutcome[],
	now: number,
): IDataObject[] {
	return watched.map((user, index) => {
		const outcome = outcomes[index];
		const memory = users[user.userId];
		if (outcome.kind === 'read') return statusItem(user, outcome.presence.category, null, outcome.presence.timestamp, now);
		if (outcome.kind === 'unreadable') return problemItem(namedUser(user), null, outcome.error, now);
		// Read by the active trigger less than 5 minutes ago: its last reading is the freshest allowed.
		if (memory.status !== undefined) return statusItem(user, memory.status, null, undefined, undefined);
		return readTooRecentlyItem(user, nextReadAt(memory));
	});
}
