import type { IDataObject } from 'n8n-workflow';

import { ParameterError } from '../errors';
import { chunk, mapConcurrent } from '../helpers/batching';
import { userRefKey, type IdentifyBy } from '../helpers/userRefs';
import { userIdFromResponse } from '../helpers/userIds';
import type { SymphonyClient } from '../transport';
import { unexpectedShape } from './shape';

/** Symphony's limit on each of the uid, email and username lists of one GET /pod/v3/users. */
export const MAX_LOOKUP_VALUES = 100;
/** Lookups in flight at once when a list needs several requests. */
export const LOOKUP_CONCURRENCY = 4;

const QUERY_PARAMETER: Record<IdentifyBy, string> = { id: 'uid', email: 'email', username: 'username' };
const NOUN: Record<IdentifyBy, string> = { id: 'user ID', email: 'email', username: 'username' };

/** A user as Symphony describes it (UserV2), with `id` as a digit string. */
export interface SymphonyUser extends IDataObject {
	id: string;
	emailAddress?: string;
	username?: string;
	displayName?: string;
}

/** Decodes a user (UserV2) with `id` as a digit string, every digit kept; undefined without a readable ID. */
export function decodeUser(raw: unknown): SymphonyUser | undefined {
	const id = userIdFromResponse((raw as { id?: unknown } | null)?.id);
	return id === undefined ? undefined : ({ ...(raw as IDataObject), id } as SymphonyUser);
}

export interface UserFilter {
	/** true: only the caller's own pod; false/absent: the directory, including visible users of other pods. */
	local?: boolean;
	/** true: active users only; false: inactive only; absent: both. */
	active?: boolean;
}

/** What became of one value looked up. A value with no outcome matched no user. */
export type LookupOutcome =
	| { user: SymphonyUser }
	/** Symphony's per-entry error code for the value, e.g. "invalid.format". */
	| { refusal: string }
	/** The request that carried the value failed as a whole (401, 5xx after retries, …). */
	| { failure: Error };

interface UserList {
	users: SymphonyUser[];
	refusals: Array<{ value: string; error: string }>;
}

/**
 * GET /pod/v3/users for at most 100 values of one kind. A 204 (nobody found) is an empty list;
 * entries Symphony could not use come back in `refusals`.
 */
export async function getUsers(
	client: SymphonyClient,
	by: IdentifyBy,
	values: readonly string[],
	filter: UserFilter = {},
): Promise<UserList> {
	if (values.length === 0 || values.length > MAX_LOOKUP_VALUES) {
		throw new RangeError(`getUsers takes 1 to ${MAX_LOOKUP_VALUES} values, not ${values.length}`);
	}
	const action = values.length === 1 ? `looking up the user with ${NOUN[by]} ${values[0]}` : `looking up ${values.length} users by ${NOUN[by]}`;
	const { body } = await client.request({
		method: 'GET',
		path: '/pod/v3/users',
		qs: {
			[QUERY_PARAMETER[by]]: values.join(','),
			...(filter.local !== undefined && { local: filter.local }),
			...(filter.active !== undefined && { active: filter.active }),
		},
		action,
		hints: { 403: 'The account behind the credential may not search Symphony\'s user directory (OBO apps need the GET_BASIC_USER_INFO permission).' },
	});
	if (body === undefined) return { users: [], refusals: [] };
	const list = body as { users?: unknown; errors?: unknown };
	if (typeof list !== 'object' || list === null || (list.users !== undefined && !Array.isArray(list.users))) {
		throw unexpectedShape(action, 'a list of users');
	}
	const users = ((list.users ?? []) as unknown[]).map((raw) => {
		const user = decodeUser(raw);
		if (user === undefined) throw unexpectedShape(action, 'a list of users with readable IDs');
		return user;
	});
	const refusals = (Array.isArray(list.errors) ? (list.errors as unknown[]) : []).flatMap((raw) => {
		const entry = (raw ?? {}) as Record<string, unknown>;
		const value = entry[by] ?? entry[QUERY_PARAMETER[by]];
		const text = typeof value === 'string' ? value : (userIdFromResponse(value) ?? undefined);
		return text === undefined ? [] : [{ value: text, error: typeof entry.error === 'string' ? entry.error : 'unknown' }];
	});
	return { users, refusals };
}

function keyOfUser(by: IdentifyBy, user: SymphonyUser): string | undefined {
	const value = by === 'id' ? user.id : by === 'email' ? user.emailAddress : user.username;
	return typeof value === 'string' ? userRefKey(by, value) : undefined;
}

/**
 * Looks up any number of values of one kind in requests of 100 (a few in flight at once) and says
 * for each value what became of it. Values must be canonical (`parseUserRefs`); emails and
 * usernames match ignoring case. A value missing from the result matched no user.
 */
export async function findUsers(
	client: SymphonyClient,
	by: IdentifyBy,
	values: readonly string[],
	filter: UserFilter = {},
): Promise<Map<string, LookupOutcome>> {
	const outcomes = new Map<string, LookupOutcome>();
	await mapConcurrent(chunk(values, MAX_LOOKUP_VALUES), LOOKUP_CONCURRENCY, async (batch) => {
		let list: UserList;
		try {
			list = await getUsers(client, by, batch, filter);
		} catch (error) {
			for (const value of batch) outcomes.set(value, { failure: error as Error });
			return;
		}
		const byKey = new Map(batch.map((value) => [userRefKey(by, value), value]));
		for (const user of list.users) {
			const value = byKey.get(keyOfUser(by, user) ?? '');
			if (value !== undefined && !outcomes.has(value)) outcomes.set(value, { user });
		}
		for (const { value, error } of list.refusals) {
			const asked = byKey.get(userRefKey(by, value));
			if (asked !== undefined && !outcomes.has(asked)) outcomes.set(asked, { refusal: error });
		}
	});
	return outcomes;
}

/**
 * The error for a value Symphony's lookup refused, e.g. `{ error: "invalid.format", email: "x" }`,
 * naming the field the caller read it from.
 */
export function userRefusedError(field: string, by: IdentifyBy, value: string, code: string): ParameterError {
	const fix = {
		id: 'Check the user ID, e.g. 7215545078541',
		email: 'Check that it is a complete address, e.g. jane.doe@acme.com',
		username: 'Check the username in the user\'s Symphony profile',
	}[by];
	return new ParameterError(field, value, `was refused by Symphony (${code})`, fix);
}

/** A user named by ID, email or username, with the ID to call presence endpoints with. */
export interface ResolvedUser {
	userId: string;
	email?: string;
	username?: string;
	displayName?: string;
	/** The person's name as shown in the User field's From List when they were picked there. */
	pickedName?: string;
}

/**
 * How the user was named, for outputs: `{ email }`, `{ username }`, `{ displayName }` for a person
 * picked From List (the name the list showed, so no request), or nothing when named by ID.
 */
export function namedAs(user: ResolvedUser): IDataObject {
	return {
		...(user.email !== undefined && { email: user.email }),
		...(user.username !== undefined && { username: user.username }),
		...(user.pickedName !== undefined && { displayName: user.pickedName }),
	};
}

/**
 * Turns the users named in a parameter into Symphony user IDs: the one function the action node
 * and the presence trigger use for "Identify Users By".
 *
 * - `refs` are canonical values from `parseUserRefs(identifyBy, …)`, ideally of ALL input items
 *   at once (repeats are fine): they are looked up in as few GET /pod/v3/users requests as possible (100 per request),
 *   across the directory (`local=false`), so connected users of other firms are found too.
 * - The result has one entry per ref, keyed by the ref as given: a `ResolvedUser`, or an Error to
 *   report on the item(s) that named it. A ref that matches nobody gets a ParameterError naming
 *   `field`, the caller's label for one such value ("Email: "x@y" matches no Symphony user. Check
 *   the spelling, or that you are connected to them"), never a silent drop; a value Symphony
 *   refused names its error code; a failed request (401, 5xx after retries) gives its
 *   SymphonyApiError to every ref it carried.
 * - `identifyBy: 'id'` makes no request: each ID resolves to itself, so the ID path is unchanged.
 */
export async function resolveUsers(
	client: SymphonyClient,
	identifyBy: IdentifyBy,
	field: string,
	refs: readonly string[],
): Promise<Map<string, ResolvedUser | Error>> {
	const unique = [...new Set(refs)];
	const resolved = new Map<string, ResolvedUser | Error>();
	if (identifyBy === 'id') {
		for (const ref of unique) resolved.set(ref, { userId: ref });
		return resolved;
	}
	const outcomes = await findUsers(client, identifyBy, unique, { local: false });
	for (const ref of unique) {
		const outcome = outcomes.get(ref);
		if (outcome === undefined) {
			resolved.set(
				ref,
				new ParameterError(
					field,
					ref,
					'matches no Symphony user',
					'Check the spelling, or that you are connected to them in Symphony: people at other firms are found only once connected',
				),
			);
		} else if ('failure' in outcome) {
			resolved.set(ref, outcome.failure);
		} else if ('refusal' in outcome) {
			resolved.set(ref, userRefusedError(field, identifyBy, ref, outcome.refusal));
		} else {
			const { user } = outcome;
			resolved.set(ref, {
				userId: user.id,
				[identifyBy]: ref,
				...(typeof user.displayName === 'string' && { displayName: user.displayName }),
			});
		}
	}
	return resolved;
}

/** Users per page of Symphony's user search (its default page size). */
export const SEARCH_PAGE_SIZE = 50;

export interface UserSearchPage {
	/** Total matches Symphony reports for the query. */
	count?: number;
	skip: number;
	users: SymphonyUser[];
}

/**
 * POST /pod/v1/user/search: people whose name or email matches `query`, a page at a time
 * (`skip`, `limit`). Not `local`, so connected people at other firms are found too; Symphony
 * leaves their email out. Matches may be inexact, unlike GET /pod/v3/users.
 */
export async function searchUsers(
	client: SymphonyClient,
	query: string,
	page: { skip: number; limit: number },
): Promise<UserSearchPage> {
	const action = `searching users for "${query.slice(0, 40)}"`;
	const { body } = await client.request({
		method: 'POST',
		path: '/pod/v1/user/search',
		qs: { skip: page.skip, limit: page.limit, local: false },
		body: JSON.stringify({ query }),
		action,
		hints: { 403: 'The account behind the credential may not search Symphony\'s user directory (OBO apps need the GET_BASIC_USER_INFO permission).' },
	});
	if (body === undefined) return { skip: page.skip, users: [] };
	const results = body as { count?: unknown; skip?: unknown; users?: unknown };
	if (typeof results !== 'object' || results === null || (results.users !== undefined && !Array.isArray(results.users))) {
		throw unexpectedShape(action, 'a list of users');
	}
	const users = ((results.users ?? []) as unknown[]).flatMap((raw) => decodeUser(raw) ?? []);
	return {
		...(typeof results.count === 'number' && { count: results.count }),
		skip: typeof results.skip === 'number' ? results.skip : page.skip,
		users,
	};
}
