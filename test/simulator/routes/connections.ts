import {
	error,
	int64,
	type ConnectionStatus,
	type PodSimulator,
	type Reply,
	type SimConnection,
} from '../index';

const STATUSES: Array<ConnectionStatus | 'ALL'> = ['PENDING_INCOMING', 'PENDING_OUTGOING', 'ACCEPTED', 'REJECTED', 'ALL'];
const DIGITS = /^\d{1,19}$/;

function canonical(id: string): string {
	return id.replace(/^0+(?=\d)/, '');
}

/** UserConnectionRequest `{"userId": <int64>}`, read as text so the ID keeps every digit. */
function readUserIdBody(body: string): string | undefined {
	const match = /^\s*\{\s*"userId"\s*:\s*(\d{1,19})\s*\}\s*$/.exec(body);
	return match ? canonical(match[1]) : undefined;
}

/** UserConnection as the viewer sees it. Implicit (same-pod) connections carry no dates. */
function userConnection(sim: PodSimulator, viewer: string, other: string, connection?: SimConnection): Record<string, unknown> {
	if (!connection) return { userId: int64(other), status: 'ACCEPTED' };
	return {
		userId: int64(other),
		status: sim.connectionStatus(viewer, connection),
		firstRequestedAt: connection.firstRequestedAt,
		updatedAt: connection.updatedAt,
		requestCounter: connection.requestCounter,
	};
}

/** Everyone the viewer has an explicit connection or request with (other pods only). */
function explicitConnections(sim: PodSimulator, viewer: string): Array<{ other: string; connection: SimConnection }> {
	const found: Array<{ other: string; connection: SimConnection }> = [];
	for (const user of sim.users.values()) {
		if (user.id === viewer || !sim.areAtDifferentFirms(viewer, user.id)) continue;
		const connection = sim.connectionBetween(viewer, user.id);
		if (connection) found.push({ other: user.id, connection });
	}
	return found;
}

/**
 * The connection calls as one user makes them: the pod routes act as the session's user, the
 * control routes as any user (the other side of a request, at another firm).
 */
function connectionCalls(sim: PodSimulator) {
	const create = (viewer: string, body: string): Reply => {
		const other = readUserIdBody(body);
		if (other === undefined) return error(400, 'The body must be {"userId": <user ID>}');
		if (other === viewer) return error(400, 'Cannot connect with yourself');
		if (!sim.users.has(other)) return error(404, `User ${other} not found`);
		// Creating a connection with a user of the same pod answers the implicit ACCEPTED.
		if (!sim.areAtDifferentFirms(viewer, other)) return { status: 200, body: userConnection(sim, viewer, other) };
		const existing = sim.connectionBetween(viewer, other);
		if (existing?.state === 'ACCEPTED') return { status: 200, body: userConnection(sim, viewer, other, existing) };
		// One request per pair until the recipient declines.
		if (existing?.state === 'PENDING') return error(400, `A connection request with user ${other} is already pending`);
		const now = sim.now();
		const connection: SimConnection = {
			requester: viewer,
			recipient: other,
			state: 'PENDING',
			firstRequestedAt: existing?.firstRequestedAt ?? now,
			updatedAt: now,
			requestCounter: (existing?.requestCounter ?? 0) + 1,
		};
		sim.setConnection(viewer, other, connection);
		return { status: 200, body: userConnection(sim, viewer, other, connection) };
	};

	/** Accept or reject the request `requester` sent to `viewer`. */
	const answer = (viewer: string, body: string, state: 'ACCEPTED' | 'REJECTED'): Reply => {
		const requester = readUserIdBody(body);
		if (requester === undefined) return error(400, 'The body must be {"userId": <user ID>}');
		if (!sim.users.has(requester)) return error(404, `User ${requester} not found`);
		if (!sim.areAtDifferentFirms(viewer, requester)) {
			return error(400, `User ${requester} is in the same pod: the implicit connection cannot be ${state === 'ACCEPTED' ? 'accepted' : 'rejected'}`);
		}
		const pending = sim.connectionBetween(viewer, requester);
		if (pending?.state !== 'PENDING' || pending.recipient !== viewer) return error(404, `No pending connection request from user ${requester}`);
		const answered: SimConnection = { ...pending, state, updatedAt: sim.now() };
		sim.setConnection(viewer, requester, answered);
		return { status: 200, body: userConnection(sim, viewer, requester, answered) };
	};

	return { create, answer };
}

/** The Connection API (SPEC pod-api-public.yaml /v1/connection/…), and control routes for the other side. */
export function connectionRoutes(sim: PodSimulator): void {
	const { create, answer } = connectionCalls(sim);

	// Without status: only the PENDING_* ones. Same-pod users are implicitly ACCEPTED and come back
	// only when asked for by status ACCEPTED (or ALL) with their IDs in userIds.
	sim.route('connectionList', 'GET', /^\/pod\/v1\/connection\/list$/, ({ query, session }) => {
		const viewer = session!.userId;
		const status = query.status;
		if (status !== undefined && !STATUSES.includes(status as ConnectionStatus)) return error(400, `Invalid status: ${status}`);
		let wanted: Set<string> | undefined;
		if (query.userIds !== undefined) {
			const ids = query.userIds.split(',').map((id) => id.trim());
			if (ids.some((id) => !DIGITS.test(id))) return error(400, `Invalid userIds: ${query.userIds}`);
			wanted = new Set(ids.map(canonical));
		}
		const statusWanted = (s: ConnectionStatus) =>
			status === undefined ? s === 'PENDING_INCOMING' || s === 'PENDING_OUTGOING' : status === 'ALL' || status === s;
		const list = explicitConnections(sim, viewer)
			.filter(({ other }) => wanted === undefined || wanted.has(other))
			.map(({ other, connection }) => userConnection(sim, viewer, other, connection))
			.filter((entry) => statusWanted(entry.status as ConnectionStatus));
		if (wanted !== undefined && (status === 'ACCEPTED' || status === 'ALL')) {
			for (const id of wanted) {
				if (id !== viewer && sim.users.has(id) && !sim.areAtDifferentFirms(viewer, id)) list.push(userConnection(sim, viewer, id));
			}
		}
		return { status: 200, body: list };
	});

	sim.route('connectionInfo', 'GET', /^\/pod\/v1\/connection\/user\/([^/]+)\/info$/, ({ params, session }) => {
		const [raw] = params;
		if (!DIGITS.test(raw)) return error(400, `Invalid user ID: ${raw}`);
		const other = canonical(raw);
		if (!sim.users.has(other)) return error(404, `User ${other} not found`);
		if (!sim.areAtDifferentFirms(session!.userId, other)) return { status: 200, body: userConnection(sim, session!.userId, other) };
		const connection = sim.connectionBetween(session!.userId, other);
		// Symphony's 404 examples carry code 403.
		if (!connection) return { status: 404, body: { code: 403, message: 'Connection cannot be found' } };
		return { status: 200, body: userConnection(sim, session!.userId, other, connection) };
	});

	sim.route('connectionCreate', 'POST', /^\/pod\/v1\/connection\/create$/, ({ body, session }) => create(session!.userId, body));
	sim.route('connectionAccept', 'POST', /^\/pod\/v1\/connection\/accept$/, ({ body, session }) => answer(session!.userId, body, 'ACCEPTED'));
	sim.route('connectionReject', 'POST', /^\/pod\/v1\/connection\/reject$/, ({ body, session }) => answer(session!.userId, body, 'REJECTED'));

	sim.route('connectionRemove', 'POST', /^\/pod\/v1\/connection\/user\/([^/]+)\/remove$/, ({ params, session }) => {
		const [raw] = params;
		if (!DIGITS.test(raw)) return error(400, `Invalid user ID: ${raw}`);
		const other = canonical(raw);
		if (!sim.users.has(other)) return error(404, `User ${other} not found`);
		if (!sim.areAtDifferentFirms(session!.userId, other)) return error(400, `User ${other} is in the same pod: the implicit connection cannot be removed`);
		if (sim.connectionBetween(session!.userId, other)?.state !== 'ACCEPTED') return { status: 404, body: { code: 403, message: 'Connection cannot be found' } };
		sim.setConnection(session!.userId, other, null);
		return { status: 200, body: { format: 'TEXT', message: 'Connection Removed.' } };
	});

	// Control: another user (e.g. at another firm) sends, accepts or rejects a request. Not Symphony's API.
	sim.route(
		'control',
		'POST',
		/^\/_sim\/users\/(\d+)\/connection\/(create|accept|reject)$/,
		({ params, body }) => {
			const [actor, call] = params;
			if (!sim.users.has(actor)) return error(404, `User ${actor} not found`);
			if (call === 'create') return create(actor, body);
			return answer(actor, body, call === 'accept' ? 'ACCEPTED' : 'REJECTED');
		},
		false,
	);
}
