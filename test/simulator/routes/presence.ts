import {
	EXTERNAL_QUERY_INTERVAL_MS,
	INTEREST_LIFETIME_MS,
	PRESENCE_PRIVILEGE,
	error,
	type PodSimulator,
} from '../index';

const ID_LIST = /^\s*\[\s*(?:\d+\s*(?:,\s*\d+\s*)*)?\]\s*$/;

/** Register interest and read one user's presence (v3). */
export function presenceRoutes(sim: PodSimulator): void {
	// Register interest: the body must be a bare JSON array of integers. It is read as text so an
	// ID that lost digits on the way (rounded through a JS number) cannot match a real user.
	sim.route('register', 'POST', /^\/pod\/v1\/user\/presence\/register$/, ({ body, session }) => {
		if (!sim.hasPrivilege(session!, PRESENCE_PRIVILEGE)) {
			return error(403, `The caller lacks the ${PRESENCE_PRIVILEGE} privilege`);
		}
		if (!ID_LIST.test(body)) return error(400, 'The body must be a JSON array of user IDs');
		const ids = (body.match(/\d+/g) ?? []).map((digits) => digits.replace(/^0+(?=\d)/, ''));
		if (ids.length === 0) return error(400, 'The list of user IDs is empty');
		const unknown = ids.filter((id) => !sim.users.has(id));
		if (unknown.length > 0) return error(404, `User(s) not found: ${unknown.join(', ')}`);
		const mine = sim.interest.get(session!.userId) ?? new Map<string, number>();
		for (const id of ids) mine.set(id, sim.now());
		sim.interest.set(session!.userId, mine);
		return { status: 200, body: { format: 'TEXT', message: 'OK' } };
	});

	sim.route('presence', 'GET', /^\/pod\/v3\/user\/([^/]+)\/presence$/, ({ params, query, session }) => {
		const [uid] = params;
		if (!/^\d{1,19}$/.test(uid)) return error(400, `Invalid user ID: ${uid}`);
		const user = sim.users.get(uid.replace(/^0+(?=\d)/, ''));
		if (!user) return error(404, `User ${uid} not found`);
		if (!user.external) return { status: 200, body: sim.presenceOf(user) };
		if (query.local === 'true') return { status: 200, body: { ...sim.presenceOf(user), category: 'OFFLINE' } };
		if (!sim.isConnected(session!.userId, user)) return error(403, `The caller is not connected to user ${uid}`);
		const registered = sim.registeredAt(session!.userId, user.id);
		if (registered === undefined || sim.now() - registered >= INTEREST_LIFETIME_MS) {
			return error(403, `No presence interest registered for user ${uid} in the last hour`);
		}
		const key = `${session!.userId}:${user.id}`;
		const last = sim.lastExternalQuery.get(key);
		const interval = sim.externalQueryIntervalMs;
		if (sim.enforceExternalRateLimit && last !== undefined && sim.now() - last < interval) {
			const seconds = Math.ceil((interval - (sim.now() - last)) / 1000);
			const every = interval === EXTERNAL_QUERY_INTERVAL_MS ? '5 minutes' : `${interval / 1000} seconds`;
			return { ...error(429, `Presence of external user ${uid} can be read once every ${every}`), headers: { 'Retry-After': String(seconds) } };
		}
		sim.lastExternalQuery.set(key, sim.now());
		return { status: 200, body: sim.presenceOf(user) };
	});
}

