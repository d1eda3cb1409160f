import { PRESENCE_PRIVILEGE, USER_PROVISIONING, error, type PodSimulator, type Reply, type SimUser } from '../index';

/** GET /pod/v2/users/presence: default and maximum page size. */
export const DEFAULT_PRESENCE_PAGE_SIZE = 1000;
export const MAX_PRESENCE_PAGE_SIZE = 5000;
/** How Symphony writes categories; anything else is refused with 400. */
const CATEGORY = /^[A-Z][A-Z0-9_]*$/;

function compareIds(a: string, b: string): number {
	const x = BigInt(a);
	const y = BigInt(b);
	return x < y ? -1 : x > y ? 1 : 0;
}

/** Reads the body of both set calls: `{category}` (v2) or `{category, userId}` (v3), userId as exact digits. */
function readStatusBody(body: string): { category?: string; userId?: string } | undefined {
	try {
		const parsed = JSON.parse(body.replace(/"userId"\s*:\s*(\d+)/, '"userId":"$1"')) as { category?: unknown; userId?: unknown };
		return {
			category: typeof parsed.category === 'string' ? parsed.category : undefined,
			userId: typeof parsed.userId === 'string' ? parsed.userId.replace(/^0+(?=\d)/, '') : undefined,
		};
	} catch {
		return undefined;
	}
}

/**
 * What `soft` means (SPEC): an offline user stays offline and gets the status when back online;
 * an idle user set to AVAILABLE shows as AWAY. Without `soft` the status applies at once.
 */
function applyStatus(sim: PodSimulator, user: SimUser, category: string, soft: boolean): void {
	if (soft && (user.presence ?? 'OFFLINE') === 'OFFLINE') {
		user.pendingPresence = category;
		return;
	}
	sim.setPresence(user.id, soft && user.idle && category === 'AVAILABLE' ? 'AWAY' : category);
}

function setStatus(sim: PodSimulator, user: SimUser, body: { category?: string }, softQuery: string | undefined): Reply {
	if (body.category === undefined) return error(400, 'category is required');
	if (!CATEGORY.test(body.category)) return error(400, `Invalid presence category: ${body.category}`);
	if (softQuery !== undefined && softQuery !== 'true' && softQuery !== 'false') return error(400, `Invalid soft: ${softQuery}`);
	applyStatus(sim, user, body.category, softQuery === 'true');
	return { status: 200, body: sim.presenceOf(user) };
}

/** The caller's own presence (get and set), setting another user's presence, and everyone's presence paged. */
export function presenceAdminRoutes(sim: PodSimulator): void {
	sim.route('myPresence', 'GET', /^\/pod\/v2\/user\/presence$/, ({ session }) => {
		const me = sim.users.get(session!.userId);
		return me ? { status: 200, body: sim.presenceOf(me) } : error(404, 'Session user not found');
	});

	sim.route('setMyPresence', 'POST', /^\/pod\/v2\/user\/presence$/, ({ body, query, session }) => {
		if (!sim.hasPrivilege(session!, PRESENCE_PRIVILEGE)) return error(403, `The caller lacks the ${PRESENCE_PRIVILEGE} privilege`);
		const status = readStatusBody(body);
		if (!status) return error(400, 'The body must be a JSON object with a category');
		const me = sim.users.get(session!.userId);
		return me ? setStatus(sim, me, status, query.soft) : error(404, 'Session user not found');
	});

	sim.route('setUserPresence', 'POST', /^\/pod\/v3\/user\/presence$/, ({ body, query, session }) => {
		if (!sim.hasPrivilege(session!, USER_PROVISIONING)) return error(403, 'The caller lacks the User Provisioning entitlement');
		const status = readStatusBody(body);
		if (!status || status.userId === undefined) return error(400, 'The body must be a JSON object with a category and a userId');
		const user = sim.users.get(status.userId);
		if (!user || user.external) return error(404, `User ${status.userId} not found`);
		return setStatus(sim, user, status, query.soft);
	});

	// Every active user of the pod, sorted by ID. Paging starts AT lastUserId, so the boundary user
	// of one page comes back first on the next, as the spec's wording allows.
	sim.route('allPresence', 'GET', /^\/pod\/v2\/users\/presence$/, ({ query, session }) => {
		if (!sim.hasPrivilege(session!, USER_PROVISIONING)) return error(403, 'The caller lacks the User Provisioning role');
		const limitText = query.limit ?? String(DEFAULT_PRESENCE_PAGE_SIZE);
		if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_PRESENCE_PAGE_SIZE) {
			return error(400, `Invalid limit ${limitText}: it must be from 1 to ${MAX_PRESENCE_PAGE_SIZE}`);
		}
		if (query.lastUserId !== undefined && !/^\d{1,19}$/.test(query.lastUserId)) return error(400, `Invalid lastUserId: ${query.lastUserId}`);
		const page = [...sim.users.values()]
			.filter((user) => !user.external && user.active !== false)
			.filter((user) => query.lastUserId === undefined || compareIds(user.id, query.lastUserId) >= 0)
			.sort((a, b) => compareIds(a.id, b.id))
			.slice(0, Number(limitText))
			.map((user) => sim.presenceOf(user));
		return { status: 200, body: page };
	});
}

