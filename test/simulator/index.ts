/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets -- development code: runs in Node, never packed; its secrets are fakes for the simulator */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { ROUTE_MODULES } from './routes';

/**
 * A Symphony pod on 127.0.0.1 that behaves like the real one for every call this package makes:
 * session tokens, presence interest that lapses after an hour, the one-query-per-external-user-per-
 * 5-minutes limit, scripted faults and a log of every raw request. Used by the tests, the demo,
 * the real-n8n end-to-end run and the benchmarks.
 */

export const INTEREST_LIFETIME_MS = 60 * 60 * 1000;
export const EXTERNAL_QUERY_INTERVAL_MS = 5 * 60 * 1000;
export const PRESENCE_PRIVILEGE = 'ADMIN_PRESENCE_UPDATE';
export const USER_PROVISIONING = 'USER_PROVISIONING';

export interface SimUser {
	/** int64 as digit string: the simulator never turns IDs into JS numbers. */
	id: string;
	username?: string;
	email?: string;
	displayName?: string;
	company?: string;
	/** On another pod (firm): presence visible only when connected and interest is registered. */
	external?: boolean;
	/**
	 * For external users: connected to every caller from the start (an ACCEPTED connection that the
	 * connection routes can then remove). Connections made through the routes are in `connections`.
	 */
	connected?: boolean;
	/** For external users: found in the directory (GET /pod/v3/users) even when not connected. */
	discoverable?: boolean;
	presence?: string;
	/** Epoch ms when the presence was set. */
	presenceSince?: number;
	active?: boolean;
	/** Signed in but inactive in the client: a soft AVAILABLE then shows as AWAY. */
	idle?: boolean;
	/** A status set softly while the user was offline, applied when they come online. */
	pendingPresence?: string;
}

/** Symphony's connection statuses (UserConnection.status), as seen by one side. */
export type ConnectionStatus = 'PENDING_INCOMING' | 'PENDING_OUTGOING' | 'ACCEPTED' | 'REJECTED';

/** A connection between two users of different pods, whoever asks. */
export interface SimConnection {
	requester: string;
	recipient: string;
	state: 'PENDING' | 'ACCEPTED' | 'REJECTED';
	/** Epoch ms (simulator clock). */
	firstRequestedAt: number;
	updatedAt: number;
	requestCounter: number;
}

export interface SimSession {
	token: string;
	userId: string;
	privileges?: string[];
	/** Epoch ms (simulator clock) after which the token answers 401. */
	expiresAt?: number;
	/** An app's session on behalf of a user (OBO): Agent calls need no key manager token. */
	obo?: boolean;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	/** The raw request body text, exactly as received. */
	body: string;
	status?: number;
	at: number;
}

/** A request reaching the pod or leaving it answered (a reset connection counts as answered, status 0). */
export interface PodEvent {
	kind: 'arrived' | 'answered';
	request: LoggedRequest;
}

export interface Fault {
	/** Which requests: a path prefix or pattern; all when absent. */
	path?: string | RegExp;
	method?: string;
	/** How many matching requests it hits (default 1). */
	times?: number;
	status?: number;
	retryAfter?: string;
	body?: string;
	contentType?: string;
	/** Destroy the socket without answering. */
	reset?: boolean;
	/** Extra delay before answering (or resetting). */
	delayMs?: number;
	/**
	 * The route runs first (a message is stored), then the fault's status or reset replaces its
	 * reply: a failure after processing, which a client must not repeat.
	 */
	afterProcessing?: boolean;
}

export interface SimulatorOptions {
	port?: number;
	users?: SimUser[];
	sessions?: SimSession[];
	/** The user the default session belongs to (the bot). */
	callerId?: string;
	/** Latency added to every request, or per route name (register, presence, sessioninfo, …). */
	latencyMs?: number | Record<string, number>;
	/** The clock; tests inject one to move through hours and minutes instantly. */
	now?: () => number;
	/** Whether to apply the 5-minute external query limit (default true). */
	enforceExternalRateLimit?: boolean;
	/**
	 * The interval between two reads of one external user's presence (Symphony's is 5 minutes, the
	 * default). Shorter lets a real-n8n run wait out the limit in seconds (on the real clock).
	 */
	externalQueryIntervalMs?: number;
	/** Random faults on a share of requests, reproducible from a seed (soak tests). */
	chaos?: Chaos;
	/**
	 * Symphony's per-source rate limit: a request from an address that already had this many
	 * accepted within the last second is answered 429 with `Retry-After: 1` (Symphony's limit is
	 * 400). Off when absent.
	 */
	throttlePerSecond?: number;
}

export type ChaosKind = '429' | '500' | '502' | '503' | '504' | 'reset' | 'html';

export interface Chaos {
	/** Share of requests hit, 0 to 1. */
	rate: number;
	seed: number;
	kinds: ChaosKind[];
	/** Only requests whose path starts with this. */
	pathPrefix?: string;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same faults. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function chaosFault(kind: ChaosKind): Fault {
	switch (kind) {
		case 'reset':
			return { reset: true };
		case 'html':
			return { body: '<html><body>Gateway error</body></html>', contentType: 'text/html' };
		case '429':
		case '503':
			return { status: Number(kind), retryAfter: '0' };
		default:
			return { status: Number(kind) };
	}
}

export const DEFAULT_TOKEN = 'sim-session-7f3a9c2e51d84b06';
export const DEFAULT_CALLER_ID = '7215545057281';

/** A small population: the bot, colleagues on the same pod and people at other firms. */
export function demoUsers(): SimUser[] {
	return [
		{ id: DEFAULT_CALLER_ID, username: 'presence.bot', email: 'presence.bot@acme.example', displayName: 'Presence Bot', company: 'Acme', presence: 'AVAILABLE' },
		{ id: '7215545058313', username: 'alice.acme', email: 'alice@acme.example', displayName: 'Alice Martin', company: 'Acme', presence: 'AVAILABLE' },
		{ id: '7215545058314', username: 'bob.acme', email: 'bob@acme.example', displayName: 'Bob Chen', company: 'Acme', presence: 'IN_A_MEETING' },
		{ id: '14568529068038', username: 'carol.globex', email: 'carol@globex.example', displayName: 'Carol Diaz', company: 'Globex', external: true, connected: true, presence: 'BUSY' },
		{ id: '15942919536460', username: 'dan.initech', email: 'dan@initech.example', displayName: 'Dan Okafor', company: 'Initech', external: true, connected: true, presence: 'OUT_OF_OFFICE' },
		{ id: '71811853191697', username: 'erin.umbrella', email: 'erin@umbrella.example', displayName: 'Erin Novak', company: 'Umbrella', external: true, connected: false, presence: 'AVAILABLE' },
	];
}

export type Handler = (request: ParsedRequest) => Reply | Promise<Reply>;
export interface ParsedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingMessage['headers'];
	body: string;
	/** The body's bytes, for multipart parsing. */
	raw: Buffer;
	session?: SimSession;
	params: string[];
	/** Aborts when the client goes away before the answer (a long poll the client gave up). */
	signal?: AbortSignal;
}
export interface Reply {
	status: number;
	body?: unknown;
	/** Raw text body (used as is). */
	text?: string;
	headers?: Record<string, string>;
}
interface Route {
	name: string;
	method: string;
	pattern: RegExp;
	/** Pod routes need a session token; login routes do not. */
	auth: boolean;
	handler: Handler;
}

export function error(status: number, message: string): Reply {
	return { status, body: { code: status, message } };
}

/** Serialises a reply whose int64 fields are digit strings as bare JSON numbers, digits intact. */
export function toJsonText(value: unknown): string {
	// Reads the holder, not `v`: n8n-workflow defines BigInt.prototype.toJSON, which turns bigints into strings first.
	return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
		const raw = this[key];
		return typeof raw === 'bigint' ? `@@int:${raw.toString()}@@` : v;
	}).replace(
		/"@@int:(\d+)@@"/g,
		'$1',
	);
}

/** Marks a digit string to be written as a bare JSON number. */
export function int64(id: string): bigint {
	return BigInt(id);
}

export class PodSimulator {
	readonly users = new Map<string, SimUser>();
	readonly sessions = new Map<string, SimSession>();
	/** Per caller: target user ID → when interest was last registered. */
	readonly interest = new Map<string, Map<string, number>>();
	/** Per caller:target: when the last external presence query was answered. */
	readonly lastExternalQuery = new Map<string, number>();
	/**
	 * Connections by pair (`connectionKey`); null once removed. A pair absent here falls back to
	 * the external user's `connected` flag.
	 */
	readonly connections = new Map<string, SimConnection | null>();
	/** When the simulator started: the request time of connections given by the `connected` flag. */
	readonly startedAt: number;
	readonly requests: LoggedRequest[] = [];
	/**
	 * Arrivals and answers in the order they happened: tests assert order (a retry sent only after
	 * another answer came) and overlap (`peakInFlight`) from it instead of timing the requests.
	 */
	readonly events: PodEvent[] = [];
	readonly faults: Fault[] = [];
	/** Faults injected by chaos, per kind. */
	readonly chaosInjected: Record<string, number> = {};
	private readonly chaos?: Chaos & { random: () => number };
	readonly routes: Route[] = [];
	/** Called after every presence change (presence feeds record changes here). */
	readonly presenceListeners: Array<(userId: string) => void> = [];
	latencyMs: number | Record<string, number>;
	now: () => number;
	enforceExternalRateLimit: boolean;
	externalQueryIntervalMs: number;
	throttlePerSecond?: number;
	/** Per source address: times (wall clock) of the requests accepted within the last second. */
	private readonly arrivals = new Map<string, number[]>();
	url = '';
	port = 0;
	readonly token: string;
	readonly callerId: string;
	private server?: Server;
	private readonly sockets = new Set<Socket>();

	constructor(options: SimulatorOptions = {}) {
		this.now = options.now ?? Date.now;
		this.startedAt = this.now();
		this.latencyMs = options.latencyMs ?? 0;
		this.enforceExternalRateLimit = options.enforceExternalRateLimit ?? true;
		this.externalQueryIntervalMs = options.externalQueryIntervalMs ?? EXTERNAL_QUERY_INTERVAL_MS;
		this.throttlePerSecond = options.throttlePerSecond;
		this.callerId = options.callerId ?? DEFAULT_CALLER_ID;
		if (options.chaos) this.chaos = { ...options.chaos, random: seededRandom(options.chaos.seed) };
		for (const user of options.users ?? demoUsers()) this.addUser(user);
		if (!this.users.has(this.callerId)) {
			this.addUser({ id: this.callerId, username: 'presence.bot', displayName: 'Presence Bot', presence: 'AVAILABLE' });
		}
		const sessions = options.sessions ?? [{ token: DEFAULT_TOKEN, userId: this.callerId }];
		for (const session of sessions) this.sessions.set(session.token, session);
		this.token = sessions[0]?.token ?? DEFAULT_TOKEN;
		for (const addRoutes of ROUTE_MODULES) addRoutes(this);
	}

	addUser(user: SimUser): void {
		this.users.set(user.id, { presenceSince: this.now(), active: true, ...user });
	}

	addSession(session: SimSession): void {
		this.sessions.set(session.token, session);
	}

	setPresence(userId: string, category: string): void {
		const user = this.users.get(userId);
		if (!user) throw new Error(`no simulated user ${userId}`);
		user.presence = category;
		user.presenceSince = this.now();
		for (const listener of this.presenceListeners) listener(userId);
	}

	route(name: string, method: string, pattern: RegExp, handler: Handler, auth = true): void {
		this.routes.push({ name, method, pattern, handler, auth });
	}

	/** Requests to one route (by path prefix), for assertions. */
	requestsTo(pathPrefix: string, method?: string): LoggedRequest[] {
		return this.requests.filter((r) => r.path.startsWith(pathPrefix) && (!method || r.method === method));
	}

	fault(fault: Fault): void {
		this.faults.push({ times: 1, ...fault });
	}

	/**
	 * Forgets the requests logged so far (`requests` and `events` together), e.g. a warm-up's, so
	 * what follows is asserted or measured alone. Call it with nothing in flight: an answer to a
	 * forgotten arrival would be logged without it.
	 */
	clearLog(): void {
		this.requests.length = 0;
		this.events.length = 0;
	}

	async listen(port = 0): Promise<this> {
		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, '127.0.0.1', () => resolve());
		});
		this.port = (this.server.address() as AddressInfo).port;
		this.url = `http://127.0.0.1:${this.port}`;
		return this;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private takeChaos(path: string): Fault | undefined {
		const chaos = this.chaos;
		if (!chaos || (chaos.pathPrefix && !path.startsWith(chaos.pathPrefix))) return undefined;
		if (chaos.random() >= chaos.rate) return undefined;
		const kind = chaos.kinds[Math.floor(chaos.random() * chaos.kinds.length)];
		this.chaosInjected[kind] = (this.chaosInjected[kind] ?? 0) + 1;
		return chaosFault(kind);
	}

	private takeFault(method: string, path: string): Fault | undefined {
		const index = this.faults.findIndex(
			(f) =>
				(!f.method || f.method === method) &&
				(!f.path || (typeof f.path === 'string' ? path.startsWith(f.path) : f.path.test(path))),
		);
		if (index < 0) return undefined;
		const fault = this.faults[index];
		fault.times = (fault.times ?? 1) - 1;
		if (fault.times <= 0) this.faults.splice(index, 1);
		return fault;
	}

	/** Whether this arrival is over the per-source limit; refused arrivals do not count against it. */
	private throttled(source: string): boolean {
		if (this.throttlePerSecond === undefined) return false;
		const now = Date.now();
		const accepted = this.arrivals.get(source) ?? [];
		let expired = 0;
		while (expired < accepted.length && accepted[expired] <= now - 1000) expired++;
		accepted.splice(0, expired);
		this.arrivals.set(source, accepted);
		if (accepted.length >= this.throttlePerSecond) return true;
		accepted.push(now);
		return false;
	}

	/** The most requests the pod held at once: arrived and not yet answered. */
	get peakInFlight(): number {
		let inFlight = 0;
		let peak = 0;
		for (const { kind } of this.events) {
			inFlight += kind === 'arrived' ? 1 : -1;
			peak = Math.max(peak, inFlight);
		}
		return peak;
	}

	/** Requests answered 429 by the per-source throttle or a fault. */
	get tooManyRequests(): number {
		return this.requests.filter((r) => r.status === 429).length;
	}

	private latencyFor(name: string): number {
		return typeof this.latencyMs === 'number' ? this.latencyMs : (this.latencyMs[name] ?? this.latencyMs.default ?? 0);
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks);
		const body = raw.toString('utf8');
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = req.method ?? 'GET';
		const path = url.pathname;
		const logged: LoggedRequest = {
			method,
			path,
			query: Object.fromEntries(url.searchParams),
			headers: req.headers,
			body,
			at: this.now(),
		};
		this.requests.push(logged);
		this.events.push({ kind: 'arrived', request: logged });
		const gone = new AbortController();
		res.on('close', () => {
			if (!res.writableFinished) gone.abort();
		});

		const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
		const delay = this.latencyFor(route?.name ?? 'default');
		const fault = this.throttled(req.socket.remoteAddress ?? '')
			? { status: 429, retryAfter: '1', body: toJsonText({ code: 429, message: 'Too many requests' }) }
			: (this.takeFault(method, path) ?? this.takeChaos(path));
		const wait = delay + (fault?.delayMs ?? 0);
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

		if (fault?.afterProcessing && route) {
			await this.runRoute(route, { method, path, query: logged.query, headers: req.headers, body, raw, params: route.pattern.exec(path)!.slice(1) });
		}
		if (fault?.reset) {
			logged.status = 0;
			req.socket.destroy();
			this.events.push({ kind: 'answered', request: logged });
			return;
		}
		let reply: Reply;
		if (fault?.status !== undefined) {
			reply = {
				status: fault.status,
				text: fault.body ?? toJsonText({ code: fault.status, message: 'Simulated fault' }),
				headers: {
					...(fault.retryAfter !== undefined && { 'Retry-After': fault.retryAfter }),
					...(fault.contentType && { 'Content-Type': fault.contentType }),
				},
			};
		} else if (fault?.body !== undefined) {
			reply = { status: 200, text: fault.body, headers: fault.contentType ? { 'Content-Type': fault.contentType } : {} };
		} else if (!route) {
			reply = error(404, `No such endpoint: ${method} ${path}`);
		} else {
			reply = await this.runRoute(route, { method, path, query: logged.query, headers: req.headers, body, raw, params: route.pattern.exec(path)!.slice(1), signal: gone.signal });
		}
		logged.status = reply.status;
		const text = reply.text ?? (reply.body === undefined ? '' : toJsonText(reply.body));
		res.writeHead(reply.status, {
			...(text !== '' && { 'Content-Type': 'application/json' }),
			...reply.headers,
		});
		res.end(text);
		this.events.push({ kind: 'answered', request: logged });
	}

	/** A route's answer, behind the session check for routes that need one. */
	private async runRoute(route: Route, parsed: ParsedRequest): Promise<Reply> {
		if (!route.auth) return await route.handler(parsed);
		const token = parsed.headers.sessiontoken;
		const session = typeof token === 'string' ? this.sessions.get(token) : undefined;
		if (!session || (session.expiresAt !== undefined && this.now() >= session.expiresAt)) return error(401, 'Invalid session');
		parsed.session = session;
		return await route.handler(parsed);
	}

	// ---- state helpers shared by the routes ----

	hasPrivilege(session: SimSession, privilege: string): boolean {
		return (session.privileges ?? [PRESENCE_PRIVILEGE]).includes(privilege);
	}

	registeredAt(callerId: string, targetId: string): number | undefined {
		return this.interest.get(callerId)?.get(targetId);
	}

	/** Whether two users are on different pods (firms): only then do connections apply. */
	areAtDifferentFirms(a: string, b: string): boolean {
		return (this.users.get(a)?.external === true) !== (this.users.get(b)?.external === true);
	}

	/** The connection between two users of different pods, if any (removed or never made: undefined). */
	connectionBetween(a: string, b: string): SimConnection | undefined {
		const key = connectionKey(a, b);
		if (this.connections.has(key)) return this.connections.get(key) ?? undefined;
		const external = this.users.get(a)?.external ? this.users.get(a) : this.users.get(b);
		if (!external?.connected) return undefined;
		return { requester: a === external.id ? b : a, recipient: external.id, state: 'ACCEPTED', firstRequestedAt: this.startedAt, updatedAt: this.startedAt, requestCounter: 1 };
	}

	setConnection(a: string, b: string, connection: SimConnection | null): void {
		this.connections.set(connectionKey(a, b), connection);
	}

	/** Whether `viewer` may see `user`'s presence and find them: same pod, or an accepted connection. */
	isConnected(viewer: string, user: SimUser): boolean {
		if (!this.areAtDifferentFirms(viewer, user.id)) return true;
		return this.connectionBetween(viewer, user.id)?.state === 'ACCEPTED';
	}

	/** Symphony's status of a connection as `viewer` sees it. */
	connectionStatus(viewer: string, connection: SimConnection): ConnectionStatus {
		if (connection.state === 'PENDING') return connection.requester === viewer ? 'PENDING_OUTGOING' : 'PENDING_INCOMING';
		return connection.state;
	}

	presenceOf(user: SimUser): { category: string; userId: bigint; timestamp: number } {
		const category = user.presence ?? 'OFFLINE';
		return {
			category,
			userId: int64(user.id),
			timestamp: category === 'OFFLINE' ? this.now() : (user.presenceSince ?? this.now()),
		};
	}
}

/** The key of a pair of users, whichever comes first. */
export function connectionKey(a: string, b: string): string {
	return BigInt(a) < BigInt(b) ? `${a}:${b}` : `${b}:${a}`;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<PodSimulator> {
	return await new PodSimulator(options).listen(options.port ?? 0);
}
