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

/** Whom the caller can find: their own pod, and people at other firms they are connected to. */
function visible(user: SimUser, session: SimSession, localOnly: boolean): boolean {
	if (user.id === session.userId) return true;
	return user.external ? !localOnly && user.connected === true : true;
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
				if (!visible(user, session!, localOnly)) continue;
				if (active !== undefined && (user.active !== false) !== active) continue;
				if (!found.has(user.id)) users.push(userV2(user));
				found.add(user.id);
			}
		}
		if (users.length === 0 && errors.length === 0) return { status: 204 };
		return { status: 200, body: { users, ...(errors.length > 0 && { errors }) } };
	});
}
