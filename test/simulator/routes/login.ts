import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';

import { error, type ParsedRequest, type PodSimulator, type Reply } from '../index';

/**
 * Symphony's RSA login (SPEC login-api-public.yaml): the bot login, the OBO app login and the app's
 * session for a user. Login tokens are JWTs checked as the pod does: RS512 only, a known `sub`,
 * a signature by a public key imported for it, and `exp` after now and at most 5 minutes ahead.
 *
 * Two clocks: sessions expire by the simulator clock (`sim.now()`), which tests move to end
 * sessions mid-workflow; login tokens are judged by the wall clock plus `clockOffsetMs`, because
 * the credential signs them with the machine's real clock (a non-zero offset plays a pod whose
 * clock is off).
 */

export const DEFAULT_SESSION_LIFETIME_MS = 60 * 60 * 1000;
export const LOGIN_TOKEN_MAX_AHEAD_MS = 5 * 60 * 1000;

export type LoginKind = 'bot' | 'app' | 'oboUser';

export interface SimBotAccount {
	username: string;
	/** The service account's user ID (int64 digit string). */
	userId: string;
	/** Imported public keys, PEM or KeyObject. */
	publicKeys: Array<KeyObject | string>;
	privileges?: string[];
	disabled?: boolean;
}

export interface SimApp {
	appId: string;
	publicKeys: Array<KeyObject | string>;
	/** User IDs who have installed the app: only they can get an OBO session. */
	installedFor: string[];
	/** Privileges of OBO sessions (the app's permissions). */
	privileges?: string[];
	disabled?: boolean;
}

export interface LoginAttempt {
	kind: LoginKind;
	/** `sub` of the login token, or the OBO user asked for. */
	subject?: string;
	status: number;
	/** Why a login was refused, for tests; the pod itself says only "Invalid token". */
	reason?: string;
	at: number;
}

function base64UrlJson(part: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

export class SimLogin {
	sessionLifetimeMs = DEFAULT_SESSION_LIFETIME_MS;
	/** How far the pod's wall clock is from this machine's. */
	clockOffsetMs = 0;
	readonly bots = new Map<string, SimBotAccount>();
	readonly apps = new Map<string, SimApp>();
	/** App session tokens: valid only for the OBO user logins, never for pod calls. */
	readonly appSessions = new Map<string, { appId: string; expiresAt: number }>();
	readonly attempts: LoginAttempt[] = [];
	/** Session tokens issued by a login (bot or OBO user), in order. */
	readonly issued: string[] = [];

	constructor(private readonly sim: PodSimulator) {}

	addBot(bot: SimBotAccount): void {
		this.bots.set(bot.username, bot);
	}

	addApp(app: SimApp): void {
		this.apps.set(app.appId, app);
	}

	/** Successful logins (that issued a token) of one kind, or of every kind. */
	logins(kind?: LoginKind): number {
		return this.attempts.filter((a) => a.status === 200 && (!kind || a.kind === kind)).length;
	}

	/** Refused logins, with their reasons. */
	refusals(): LoginAttempt[] {
		return this.attempts.filter((a) => a.status !== 200);
	}

	/** Ends every session issued so far, as if their lifetime had passed. */
	expireSessions(): void {
		for (const token of this.issued) {
			const session = this.sim.sessions.get(token);
			if (session) session.expiresAt = this.sim.now();
		}
		for (const session of this.appSessions.values()) session.expiresAt = this.sim.now();
	}

	wallClock(): number {
		return Date.now() + this.clockOffsetMs;
	}

	/** The `sub` of a valid login token signed by one of the keys `keysOf(sub)` returns, or why it is refused. */
	verifyLoginToken(token: unknown, keysOf: (subject: string) => Array<KeyObject | string> | undefined): { subject: string } | { reason: string; subject?: string } {
		if (typeof token !== 'string') return { reason: 'no token in the body' };
		const parts = token.split('.');
		if (parts.length !== 3) return { reason: 'not a JWT' };
		const [headerPart, payloadPart, signaturePart] = parts;
		const header = base64UrlJson(headerPart);
		const payload = base64UrlJson(payloadPart);
		if (!header || !payload) return { reason: 'not a JWT' };
		if (header.alg !== 'RS512') return { reason: `algorithm ${String(header.alg)} is not accepted` };
		const subject = payload.sub;
		if (typeof subject !== 'string' || subject === '') return { reason: 'no sub' };
		const keys = keysOf(subject);
		if (!keys) return { reason: 'unknown sub', subject };
		if (typeof payload.exp !== 'number') return { reason: 'no exp', subject };
		const expMs = payload.exp * 1000;
		const now = this.wallClock();
		if (expMs <= now) return { reason: 'expired', subject };
		if (expMs > now + LOGIN_TOKEN_MAX_AHEAD_MS) return { reason: 'exp more than 5 minutes ahead', subject };
		const signature = Buffer.from(signaturePart, 'base64url');
		const signed = Buffer.from(`${headerPart}.${payloadPart}`, 'utf8');
		const matches = keys.some((key) => verify('sha512', signed, typeof key === 'string' ? createPublicKey(key) : key, signature));
		if (!matches) return { reason: 'signature does not match an imported key', subject };
		return { subject };
	}

	newToken(prefix: string): string {
		return `${prefix}-${randomBytes(16).toString('hex')}`;
	}
}

const logins = new WeakMap<PodSimulator, SimLogin>();

/** The login service of a simulator, made on first use: accounts, apps, counters. */
export function simLoginOf(sim: PodSimulator): SimLogin {
	let login = logins.get(sim);
	if (!login) {
		login = new SimLogin(sim);
		logins.set(sim, login);
	}
	return login;
}

function tokenOf(body: string): unknown {
	try {
		return (JSON.parse(body) as { token?: unknown })?.token;
	} catch {
		return undefined;
	}
}

export function loginRoutes(sim: PodSimulator): void {
	const login = simLoginOf(sim);

	const answer = (kind: LoginKind, subject: string | undefined, reply: Reply, reason?: string): Reply => {
		login.attempts.push({ kind, subject, status: reply.status, reason, at: sim.now() });
		return { ...reply, headers: { ...reply.headers, Date: new Date(login.wallClock()).toUTCString() } };
	};
	const refuse = (kind: LoginKind, subject: string | undefined, reason: string) =>
		answer(kind, subject, error(401, 'Invalid token'), reason);
	const issue = (kind: LoginKind, subject: string, token: string) =>
		answer(kind, subject, { status: 200, body: { name: 'sessionToken', token, authorizationToken: login.newToken('sim-authz') } });

	sim.route(
		'login',
		'POST',
		/^\/login\/pubkey\/authenticate$/,
		({ body }) => {
			const checked = login.verifyLoginToken(tokenOf(body), (sub) => login.bots.get(sub)?.publicKeys);
			if ('reason' in checked) return refuse('bot', checked.subject, checked.reason);
			const bot = login.bots.get(checked.subject)!;
			if (bot.disabled) return answer('bot', bot.username, error(403, 'Account is disabled'), 'disabled');
			const token = login.newToken('sim-bot-session');
			sim.addSession({ token, userId: bot.userId, privileges: bot.privileges, expiresAt: sim.now() + login.sessionLifetimeMs });
			login.issued.push(token);
			return issue('bot', bot.username, token);
		},
		false,
	);

	sim.route(
		'login',
		'POST',
		/^\/login\/pubkey\/app\/authenticate$/,
		({ body }) => {
			const checked = login.verifyLoginToken(tokenOf(body), (sub) => login.apps.get(sub)?.publicKeys);
			if ('reason' in checked) return refuse('app', checked.subject, checked.reason);
			const app = login.apps.get(checked.subject)!;
			if (app.disabled) return answer('app', app.appId, error(403, 'App is disabled'), 'disabled');
			const token = login.newToken('sim-app-session');
			login.appSessions.set(token, { appId: app.appId, expiresAt: sim.now() + login.sessionLifetimeMs });
			return issue('app', app.appId, token);
		},
		false,
	);

	const oboUser = (by: 'id' | 'username') => (request: ParsedRequest) => {
		const asked = by === 'id' ? request.params[0] : decodeURIComponent(request.params[0]);
		const header = request.headers.sessiontoken;
		const appSession = typeof header === 'string' ? login.appSessions.get(header) : undefined;
		if (!appSession || sim.now() >= appSession.expiresAt) return refuse('oboUser', asked, 'no valid app session');
		const app = login.apps.get(appSession.appId);
		if (!app) return refuse('oboUser', asked, 'app removed');
		const user = by === 'id' ? sim.users.get(asked) : [...sim.users.values()].find((u) => u.username === asked);
		if (!user) return refuse('oboUser', asked, 'unknown user');
		if (!app.installedFor.includes(user.id)) return refuse('oboUser', asked, 'app not installed for the user');
		const token = login.newToken('sim-obo-session');
		sim.addSession({ token, userId: user.id, privileges: app.privileges, expiresAt: sim.now() + login.sessionLifetimeMs, obo: true });
		login.issued.push(token);
		return issue('oboUser', asked, token);
	};
	sim.route('login', 'POST', /^\/login\/pubkey\/app\/user\/(\d+)\/authenticate$/, oboUser('id'), false);
	sim.route('login', 'POST', /^\/login\/pubkey\/app\/username\/([^/]+)\/authenticate$/, oboUser('username'), false);
}
