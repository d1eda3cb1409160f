import { error, int64, type PodSimulator, type SimSession, type SimUser } from '../index';

/** Symphony's limit on each uid/email/username list. */
export const MAX_LOOKUP_VALUES = 100;
const LOOKUP_KINDS = [
	{ parameter: 'uid', errorKey: 'id', valid: (value: string) => /^\d{1,19}$/.test(value), of: (user: SimUser) => user.id },
	{ parameter: 'email', errorKey: 'email', valid: (value: string) => /^[^\s@]+@[^\s@]+$/.test(value), of: (user: SimUser) => user.email },
	{ parameter: 'username', errorKey: 'username', valid: (value: string) => value !== '', of: (user: SimUser) => user.username },
];

/** UserV2 as GET /pod/v3/users and sessioninfo describe users. */
export function userV2(user: SimUser): Record<string, unknown> {
	const [firstName, ...rest] = (user.displayName ?? '').split(' ');
	return {
		id: int64(user.id),
		emailAddress: user.email,
		username: user.username,
		displayName: user.displayName,
		...(user.displayName && { firstName, lastName: rest.join(' ') }),
		company: user.company,
		accountType: 'NORMAL',
	};
}

/** Whom the caller can find: their own pod, and people at other firms they are connected to or who are discoverable. */
function visible(sim: PodSimulator, user: SimUser, session: SimSession, localOnly: boolean): boolean {
	if (user.id === session.userId) return true;
	return user.external ? !localOnly && (user.discoverable === true || sim.isConnected(session.userId, user)) : true;
}

/**
 * GET /pod/v3/users: exactly one of uid, email, username (comma-separated, at most 100); `local`
 * limits the search to the caller's pod, `active` to active or inactive accounts. Values that are
 * malformed come back in `errors`; nothing found at all is 204 with no body.
 */
export function userRoutes(sim: PodSimulator): void {
	sim.route('users', 'GET', /^\/pod\/v3\/users$/, ({ query, session }) => {
		const given = LOOKUP_KINDS.filter((kind) => query[kind.parameter] !== undefined);
		if (given.length !== 1) return error(400, 'Exactly one of uid, email or username must be given');
		const [kind] = given;
		const values = query[kind.parameter].split(',').map((value) => value.trim()).filter((value) => value !== '');
		if (values.length === 0) return error(400, `The ${kind.parameter} list is empty`);
		if (values.length > MAX_LOOKUP_VALUES) {
			return error(400, `The ${kind.parameter} list has ${values.length} elements; the maximum is ${MAX_LOOKUP_VALUES}`);
		}
		for (const flag of ['local', 'active']) {
			if (query[flag] !== undefined && query[flag] !== 'true' && query[flag] !== 'false') return error(400, `Invalid ${flag}: ${query[flag]}`);
		}
		const localOnly = query.local === 'true';
		const active = query.active === undefined ? undefined : query.active === 'true';

		const users: Array<Record<string, unknown>> = [];
		const errors: Array<Record<string, string>> = [];
		const found = new Set<string>();
		for (const value of values) {
			if (!kind.valid(value)) {
				errors.push({ error: 'invalid.format', [kind.errorKey]: value });
				continue;
			}
			const wanted = kind.parameter === 'uid' ? value.replace(/^0+(?=\d)/, '') : value.toLowerCase();
			for (const user of sim.users.values()) {
				const key = kind.of(user);
				if (key === undefined || (kind.parameter === 'uid' ? key : key.toLowerCase()) !== wanted) continue;
				if (!visible(sim, user, session!, localOnly)) continue;
				if (active !== undefined && (user.active !== false) !== active) continue;
				if (!found.has(user.id)) users.push(userV2(user));
				found.add(user.id);
			}
		}
		if (users.length === 0 && errors.length === 0) return { status: 204 };
		return { status: 200, body: { users, ...(errors.length > 0 && { errors }) } };
	});
}

/** Symphony's default page size for the user search. */
export const SEARCH_DEFAULT_LIMIT = 50;

/** Whether a user matches a search text: each word of it starts a word of the name, the username or the email. */
function matchesSearch(user: SimUser, words: string[]): boolean {
	const haystack = [user.displayName, user.username, user.email]
		.filter((part): part is string => typeof part === 'string')
		.flatMap((part) => [part.toLowerCase(), ...part.toLowerCase().split(/[\s.@_-]+/)]);
	return words.every((word) => haystack.some((part) => part.startsWith(word)));
}

/**
 * POST /pod/v1/user/search?skip=&limit=&local= with `{"query": "…", "filters": {…}}`: people whose
 * first, last or display name or email matches (inexact, unlike GET /pod/v3/users). Without
 * `local=true` it also searches other pods, whose users come back without their email address.
 * Answers `{count, skip, limit, searchQuery, users}`; `count` is the total number of matches.
 */
export function userSearchRoutes(sim: PodSimulator): void {
	sim.route('userSearch', 'POST', /^\/pod\/v1\/user\/search$/, ({ query, body, session }) => {
		let search: { query?: unknown; filters?: unknown };
		try {
			search = JSON.parse(body) as typeof search;
		} catch {
			return error(400, 'The body must be a JSON search query');
		}
		if (typeof search?.query !== 'string' || search.query.trim() === '') return error(400, 'The search query is required');
		for (const name of ['skip', 'limit']) {
			if (query[name] !== undefined && !/^\d+$/.test(query[name])) return error(400, `Invalid ${name}: ${query[name]}`);
		}
		if (query.local !== undefined && query.local !== 'true' && query.local !== 'false') return error(400, `Invalid local: ${query.local}`);
		const skip = Number(query.skip ?? 0);
		const limit = Number(query.limit ?? SEARCH_DEFAULT_LIMIT);
		const localOnly = query.local === 'true';
		const words = search.query.trim().toLowerCase().split(/\s+/);
		const matches = [...sim.users.values()].filter(
			(user) => user.id !== session!.userId && user.active !== false && !(localOnly && user.external) && matchesSearch(user, words),
		);
		const users = matches.slice(skip, skip + limit).map((user) => {
			const record: Record<string, unknown> = { ...userV2(user) };
			delete record.emailAddress;
			return user.external ? record : userV2(user);
		});
		return { status: 200, body: { count: matches.length, skip, limit, searchQuery: search, users } };
	});
}
