import { createHash } from 'node:crypto';

/**
 * One RSA login shared by the requests of this process that need it: `LoginCoalescer`, and the
 * session handover from the node to the credential's preAuthentication.
 *
 * The only state the RSA login keeps in the process is here and in one cache of loginErrors.ts:
 * - the coalescer's sessions per login identity (one coalescer per process, in the credential
 *   type): the latest token, when and why it was obtained, digests of the tokens it replaced, and
 *   the login running now;
 * - the handover: a WeakMap from the credential object the node hands to n8n to what the node
 *   knew of the session, written and read within one request;
 * - `recentLoginFailures` (loginErrors.ts): the last login failures by message, written and read
 *   within one request so the transport finds the failure behind n8n's re-wrapped error.
 * This is safe with queue-mode workers and n8n's durable scheduler, where executions run in many
 * processes that each start fresh: each process keeps its own, and nothing here decides behaviour
 * that must persist. The coalescer and the handover only save logins (the session token itself is
 * written by n8n to the credential in its database, where the other processes read it with their
 * next execution); the failure cache serves the request that filled it. A fresh process costs at
 * most one more login per identity.
 */

const MAX_REMEMBERED_TOKENS = 16;
/** How long a login counts as fresh: pods do not end sessions again within seconds. */
const FRESH_LOGIN_MS = 30 * 1000;

/** What a login brings: the session token, and for a bot that sends messages its key manager token. */
export interface LoginTokens {
	sessionToken: string;
	keyManagerToken?: string;
}

type Tokens = string | LoginTokens;

function sessionOf(tokens: Tokens): string {
	return typeof tokens === 'string' ? tokens : tokens.sessionToken;
}

interface IdentitySessions<T extends Tokens> {
	latest?: T;
	/** When `latest` was obtained (this process's clock). */
	latestAt?: number;
	/** Whether `latest` was obtained because a session had ended (a 401), not for a first use. */
	latestAfterEnd?: boolean;
	/** SHA-256 of tokens this process minted before `latest`: a request that failed with one of them is just late. */
	superseded: string[];
	inFlight?: Promise<T>;
}

function digest(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** What the node knows of the session a login is for: the token refused (or '' for none) and when it was read. */
export interface SessionHandover {
	failedToken: string;
	readAt: number;
	/** The request goes to the Agent: the login must bring a key manager token too. */
	keyManager?: boolean;
	/**
	 * The session token is still good and only the key manager token is missing (a first Agent
	 * call): the login is the key manager's alone, and this session is kept.
	 */
	keepSession?: string;
}

/**
 * The node blanks the token in the credential object it hands to n8n so that n8n logs in; what it
 * knew of the session goes along here, keyed by that object, for the credential's preAuthentication
 * (which n8n calls with that very object). A WeakMap: nothing is kept once n8n drops the object, and
 * where an n8n version handed over a copy the answer would be "unknown", which costs a login, never
 * a wrong token.
 */
const handovers = new WeakMap<object, SessionHandover>();

export function handOverSession(credentials: object, handover: SessionHandover): void {
	handovers.set(credentials, handover);
}

export function sessionHandedOver(credentials: object): SessionHandover | undefined {
	return handovers.get(credentials);
}

/**
 * Whether a request that had `failedToken` (empty: none, or one the node does not hand over) gets
 * this process's latest token rather than a new login.
 */
function latestServes<T extends Tokens>(sessions: IdentitySessions<T>, failedToken: string, readAt: number | undefined, now: number): boolean {
	if (sessions.latest === undefined || failedToken === sessionOf(sessions.latest)) return false;
	// The latest login here came after the request read its token: it supersedes that token.
	if (readAt !== undefined && (sessions.latestAt ?? 0) > readAt) return true;
	if (failedToken === '') return false;
	// A token this process replaced: the request is just late.
	if (sessions.superseded.includes(digest(failedToken))) return true;
	// Another process's token (queue-mode workers share the credential): when sessions end, its
	// requests fail along with this process's, whose fresh login after that end serves them too.
	const fresh = now - (sessions.latestAt ?? 0) < FRESH_LOGIN_MS;
	return fresh && sessions.latestAfterEnd === true;
}

/**
 * Makes requests that find their session expired together cause one login, not one each. n8n
 * calls preAuthentication once per request that got a 401; requests that arrive while a login is
 * running wait for it, and a request whose token was already replaced gets the newer one (see
 * `latestServes`).
 */
export class LoginCoalescer<T extends Tokens = string> {
	private readonly identities = new Map<string, IdentitySessions<T>>();

	/**
	 * `serves` says whether tokens are enough for this request (a request to the Agent needs a key
	 * manager token): a login in flight or the latest one that is not enough is followed by a new one.
	 */
	async sessionToken(
		fingerprint: string,
		failedToken: string,
		login: () => Promise<T>,
		readAt?: number,
		serves: (tokens: T) => boolean = () => true,
	): Promise<T> {
		let sessions = this.identities.get(fingerprint);
		if (!sessions) {
			sessions = { superseded: [] };
			this.identities.set(fingerprint, sessions);
		}
		if (sessions.inFlight) {
			const shared = await sessions.inFlight;
			if (serves(shared)) return shared;
			// The shared login did not bring enough: another (or join the one a request started meanwhile).
			return await this.sessionToken(fingerprint, failedToken, login, readAt, serves);
		} else if (latestServes(sessions, failedToken, readAt, Date.now()) && serves(sessions.latest!)) {
			return sessions.latest!;
		}
		const state = sessions;
		const inFlight = login()
			.then((token) => {
				if (state.latest !== undefined && sessionOf(state.latest) !== sessionOf(token)) {
					state.superseded = [digest(sessionOf(state.latest)), ...state.superseded].slice(0, MAX_REMEMBERED_TOKENS);
				}
				state.latest = token;
				state.latestAt = Date.now();
				state.latestAfterEnd = failedToken !== '';
				return token;
			})
			.finally(() => {
				state.inFlight = undefined;
			});
		state.inFlight = inFlight;
		return await inFlight;
	}
}
