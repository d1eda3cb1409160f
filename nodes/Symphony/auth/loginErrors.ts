import { NETWORK_HINTS, type UserMessage } from '../errors';

/**
 * What a user sees when the RSA login (credential "Symphony RSA API") fails, and the error that
 * carries it from the credential's preAuthentication to the transport. None of it ever carries a
 * token, key, passphrase or header value.
 */

/** Which call of an RSA login failed: the bot login, the app login, or the app's session for a user (OBO). */
/** `keyManager`: the bot's key manager login (`/relay`), needed for Agent calls such as sending messages. */
export type LoginStep = 'bot' | 'app' | 'oboUser' | 'keyManager';

export interface LoginFailure {
	step: LoginStep;
	/** The service account's username (bot) or the app ID (OBO). */
	subject: string;
	/** OBO: the user the app asked to act for, as shown in messages: `user 7215545078541`, `user "jane.doe"`. */
	oboUser?: string;
	/** The login service's address, without path. */
	loginUrl: string;
	status?: number;
	networkCode?: string;
	symphonyMessage?: string;
	/** Pod clock minus this machine's clock, given only when the difference is enough to refuse logins. */
	clockSkewMs?: number;
	/** The login answered 2xx without a session token. */
	noToken?: boolean;
}

/** What a failed login call came to, so the transport's retry policy can decide (429, 5xx and network failures are retried). */
export interface LoginRetryOutcome {
	status?: number;
	retryAfter?: string;
	networkCode?: string;
}

const LOGIN_NETWORK_HINTS: Record<string, string> = {
	...NETWORK_HINTS,
	ECONNREFUSED: 'the host refused the connection',
	ENOTFOUND: 'the host name could not be found',
	EAI_AGAIN: 'the host name could not be resolved (DNS)',
	ETIMEDOUT: 'the host did not answer in time',
	ECONNABORTED: 'the host did not answer in time',
};

function describeSkew(skewMs: number): string {
	const seconds = Math.round(Math.abs(skewMs) / 1000);
	const amount = seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${seconds} seconds`;
	return `this machine's clock is ${amount} ${skewMs < 0 ? 'ahead of' : 'behind'} the pod's`;
}

function who(failure: LoginFailure): string {
	return failure.step === 'bot' ? `service account "${failure.subject}"` : `app "${failure.subject}"`;
}

/** The bot's key manager login: after the session login worked, so the key and account are right. */
function describeKeyManagerFailure(failure: LoginFailure, said: string): UserMessage {
	const fix = 'Check the Key Manager URL in the Symphony RSA credential (empty means the Pod URL\'s host), e.g. https://acme-km.symphony.com, and that this n8n instance can reach it.';
	if (failure.status === undefined) {
		const hint = failure.noToken ? 'it answered without a key manager token' : (LOGIN_NETWORK_HINTS[failure.networkCode ?? ''] ?? 'the host could not be reached');
		return { message: `Could not log service account "${failure.subject}" in to Symphony's key manager at ${failure.loginUrl}: ${hint}`, description: fix };
	}
	return {
		message: `Symphony's key manager at ${failure.loginUrl} answered ${failure.status} to the login of service account "${failure.subject}"`,
		description:
			(failure.status === 401
				? 'The pod accepted the same key: the key manager may belong to another pod, or the account may not send messages. '
				: failure.status === 429 || failure.status >= 500
					? 'This is on Symphony\'s side; try again later. '
					: '') + `${fix}${said}`,
	};
}

/** Every way an RSA login can fail, worded so the message alone (all a credential test shows) says what to fix. */
export function describeLoginFailure(failure: LoginFailure): UserMessage {
	const { status, step, subject } = failure;
	const said = failure.symphonyMessage ? ` Symphony said: "${failure.symphonyMessage}".` : '';
	const fields = 'Check the Pod URL, and the Login URL if your pod\'s /login lives on another host, in the Symphony RSA credential.';
	if (step === 'keyManager') return describeKeyManagerFailure(failure, said);

	if (failure.noToken) {
		return {
			message: `Symphony's login service at ${failure.loginUrl} answered without a session token`,
			description: `Something answered that is not Symphony's login service, such as a web page or proxy. ${fields}`,
		};
	}
	if (status === undefined) {
		const hint = LOGIN_NETWORK_HINTS[failure.networkCode ?? ''] ?? 'the host could not be reached';
		return {
			message: `Could not reach Symphony's login service at ${failure.loginUrl}: ${hint}`,
			description: `${fields} Make sure this n8n instance can reach that host through its network or proxy.`,
		};
	}
	if (failure.clockSkewMs !== undefined && (step === 'bot' || step === 'app')) {
		return {
			message: `Symphony refused the login of ${who(failure)} (${status}): ${describeSkew(failure.clockSkewMs)}. Set this machine's clock right (NTP) and try again`,
			description:
				'The login token is signed with this machine\'s clock and is valid for 4 minutes; Symphony refuses it when the clocks differ by more than that window.',
		};
	}
	if (step === 'oboUser' && (status === 401 || status === 403)) {
		return {
			message: `App "${subject}" logged in, but Symphony refused it a session for ${failure.oboUser} (${status}): that user must exist and have the app installed`,
			description: `Install the app for this user (Admin Portal → the user → Apps, or the user installs it from the Symphony Marketplace), check the User field (a user ID such as 7215545078541, or a username), and that the app may act on behalf of users.${said}`,
		};
	}
	if (status === 401) {
		const message =
			step === 'bot'
				? `Symphony refused the login of service account "${subject}" (401): import the public key of this Private Key for "${subject}", and check that "${subject}" is the account's username`
				: `Symphony refused the login of app "${subject}" (401): import the public key of this App Private Key for app "${subject}", and check the App ID and that the app is enabled`;
		return {
			message,
			description:
				(step === 'bot'
					? 'In the Admin Portal, open the service account and paste the public key (publickey.pem) under its RSA key; use its username, not its display name or email.'
					: 'In the Admin Portal, open App Management, edit the app and paste its public key (publickey.pem) under Authentication; the App ID is the app\'s ID there.') +
				` Symphony answers the same way to an unknown account and to a key it does not know. If both are right, check that this machine's clock is correct.${said}`,
		};
	}
	if (status === 403) {
		return {
			message: `Symphony refused the login of ${who(failure)} (403 Forbidden): the account is disabled or may not log in with a key`,
			description: `Ask your Symphony administrator to enable it and allow RSA authentication.${said}`,
		};
	}
	if (status === 404) {
		return {
			message:
				step === 'oboUser'
					? `App "${subject}" logged in, but Symphony does not know ${failure.oboUser} (404): check the User field`
					: `There is no Symphony login service at ${failure.loginUrl} (404)`,
			description: step === 'oboUser' ? `Enter a user ID such as 7215545078541, or a username.${said}` : fields,
		};
	}
	if (status === 429 || status >= 500) {
		return {
			message: `Symphony's login service had a problem while logging in ${who(failure)} (${status})`,
			description: `This is on Symphony's side; try again later. If it persists, contact your Symphony administrator.${said}`,
		};
	}
	return {
		message: `Symphony's login service answered ${status} while logging in ${who(failure)}`,
		description: `${said ? said.trim() + ' ' : ''}${step === 'oboUser' ? 'Check the User field and the App ID. ' : ''}${fields}`,
	};
}

/** A 401 for the RSA credential comes after n8n logged in again and retried, so the new session was refused too. */
export const RSA_SESSION_REFUSED_HINT =
	'The pod refused the session token the Symphony RSA credential had just obtained by logging in. Check that the Pod URL and the Login URL belong to the same pod; if they do, ask your Symphony administrator whether the account\'s sessions are being ended.';

/** A credential field the RSA login cannot use. Never shows the value: it may be a key or passphrase. */
export function describeCredentialField(field: string, problem: string, fix: string): UserMessage {
	return {
		message: `Symphony RSA credential: ${field} ${problem}. ${fix}`,
		description: 'Open the Symphony RSA credential and correct this field.',
	};
}

/**
 * Recent login failures by message: n8n re-wraps what preAuthentication throws and may drop the
 * original. Process state: see loginSharing.ts.
 */
const recentLoginFailures = new Map<string, SymphonyLoginError>();
const MAX_RECENT_LOGIN_FAILURES = 32;

/**
 * A failed RSA login, thrown from the credential's preAuthentication. n8n turns it into a
 * NodeApiError that keeps its message and description; the transport finds the original by that
 * message (every login message is distinct from the pod's). It has no `status` or `code` property
 * on purpose: n8n would read those as the HTTP status of the pod call.
 */
export class SymphonyLoginError extends Error {
	readonly description: string;

	constructor(
		readonly report: UserMessage,
		/** The login's own status or network code, for the transport's retry policy; absent when no call was made. */
		readonly retry?: LoginRetryOutcome,
	) {
		super(report.message);
		this.name = 'SymphonyLoginError';
		this.description = report.description;
		recentLoginFailures.delete(this.message);
		recentLoginFailures.set(this.message, this);
		if (recentLoginFailures.size > MAX_RECENT_LOGIN_FAILURES) {
			recentLoginFailures.delete(recentLoginFailures.keys().next().value as string);
		}
	}
}

/** The login failure behind an error from n8n's request helper, if that is what it is. */
export function loginErrorOf(error: unknown): SymphonyLoginError | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		if (current instanceof SymphonyLoginError) return current;
		current = (current as { cause?: unknown }).cause;
	}
	const message = (error as { message?: unknown } | undefined)?.message;
	return typeof message === 'string' ? recentLoginFailures.get(message) : undefined;
}
