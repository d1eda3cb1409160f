import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

/**
 * Every message a user of the Symphony node can see. Each names what was wrong and what to do;
 * none ever carries a token, key or header value.
 */

const MAX_SHOWN_VALUE = 60;

/** A parameter value the node cannot use. Pure helpers throw it; the item runner attaches the item. */
export class ParameterError extends Error {
	constructor(
		readonly field: string,
		readonly value: unknown,
		problem: string,
		readonly fix: string,
	) {
		super(`${field}: ${showValue(value)} ${problem}. ${fix}`);
		this.name = 'ParameterError';
	}
}

/** Renders a user-supplied value for a message: quoted, one line, shortened when long. */
export function showValue(value: unknown): string {
	let text: string;
	if (value === undefined) text = 'undefined';
	else if (typeof value === 'string') text = JSON.stringify(value);
	else if (typeof value === 'bigint') text = value.toString();
	else {
		try {
			text = JSON.stringify(value) ?? String(value);
		} catch {
			text = String(value);
		}
	}
	return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE - 1)}…` : text;
}

/** What a failed Symphony call means for the user, by HTTP status (never by the body's `code`). */
export interface ApiFailure {
	status?: number;
	/** Symphony's own `message`, when the body had one. */
	symphonyMessage?: string;
	/** Network-level failure code such as ECONNREFUSED, when no response arrived. */
	networkCode?: string;
	/** The pod address tried, scheme included, for network failures. */
	url?: string;
	/** The Pod URL had no scheme and https:// was assumed. */
	schemeAdded?: boolean;
	/** The TLS handshake was answered in plain http ("wrong version number"). */
	plainHttp?: boolean;
	/** What was being done, e.g. "reading the presence of user 123". */
	action: string;
	/** How many attempts were made (shown when retries ran out). */
	attempts?: number;
	/** Seconds Symphony asked us to wait, for 429. */
	retryAfterSeconds?: number;
	/** What a status means for this particular call, replacing the general explanation. */
	hints?: StatusHints;
}

/**
 * Per-call explanations by HTTP status, e.g. `{ 403: 'Get Many needs the User Provisioning role.' }`:
 * the general wording cannot know which privilege a call needs or what a 404 there means.
 */
export type StatusHints = Partial<Record<400 | 401 | 403 | 404, string>>;

export interface UserMessage {
	message: string;
	description: string;
}

const NETWORK_HINTS: Record<string, string> = {
	ECONNREFUSED: 'the pod refused the connection',
	ECONNRESET: 'the connection was dropped',
	ENOTFOUND: 'the pod host name could not be found',
	EAI_AGAIN: 'the pod host name could not be resolved (DNS)',
	ETIMEDOUT: 'the pod did not answer in time',
	ECONNABORTED: 'the pod did not answer in time',
	EPIPE: 'the connection was dropped',
	EPROTO: 'the secure (https) connection could not be set up',
};

/** Why a network failure happened and what to check, naming the address tried. */
function describeNetworkFailure(failure: ApiFailure, tries: string): UserMessage {
	const { url, action } = failure;
	const at = url ? ` at ${url}` : '';
	const plainHttp = failure.plainHttp === true && url?.startsWith('https://');
	const hint = plainHttp
		? 'the server there speaks plain http, not https'
		: (NETWORK_HINTS[failure.networkCode ?? ''] ?? 'the pod could not be reached');
	const message = `Could not reach Symphony${at} while ${action}: ${hint}${tries}`;
	const httpUrl = url?.replace(/^https:/, 'http:');
	if (plainHttp && failure.schemeAdded) {
		return {
			message,
			description: `The Pod URL in the credential has no scheme, so https:// was added. If this pod (or a local test pod) speaks plain http, enter the Pod URL as ${httpUrl}; otherwise check the port.`,
		};
	}
	if (plainHttp) {
		return {
			message,
			description: `Check the Pod URL in the credential: if the server speaks plain http, use ${httpUrl}; otherwise check the port.`,
		};
	}
	const added = failure.schemeAdded ? ' The Pod URL in the credential has no scheme, so https:// was added.' : '';
	return {
		message,
		description: `Check the Pod URL in the credential (e.g. https://acme.symphony.com), that this n8n instance can reach the pod through its network or proxy, and try again.${added}`,
	};
}

export function describeApiFailure(failure: ApiFailure): UserMessage {
	const general = describeAnyCall(failure);
	const hint = failure.status === undefined ? undefined : failure.hints?.[failure.status as keyof StatusHints];
	if (hint === undefined) return general;
	const said = failure.symphonyMessage ? ` Symphony said: "${failure.symphonyMessage}".` : '';
	return { message: general.message, description: `${hint}${said}` };
}

function describeAnyCall(failure: ApiFailure): UserMessage {
	const { status, action } = failure;
	const said = failure.symphonyMessage ? ` Symphony said: "${failure.symphonyMessage}".` : '';
	const tries = failure.attempts && failure.attempts > 1 ? ` after ${failure.attempts} attempts` : '';

	if (status === undefined) return describeNetworkFailure(failure, tries);
	switch (status) {
		case 400:
			return {
				message: `Symphony rejected the request while ${action} (400 Bad Request)`,
				description: `The values sent were not accepted.${said} Check the user IDs and other parameters of this node.`,
			};
		case 401:
			return {
				message: `The Symphony session token is invalid or has expired (401) while ${action}`,
				description:
					'Renew the token in the Symphony credential, or use the RSA key credential, which logs in again by itself when a session ends.',
			};
		case 403:
			return {
				message: `Symphony refused access while ${action} (403 Forbidden)`,
				description: `The account behind the credential lacks a privilege this call needs, or is not connected to that user.${said} Registering presence interest needs the ADMIN_PRESENCE_UPDATE privilege; reading an external user's presence needs a connection with them and interest registered within the last hour.`,
			};
		case 404:
			return {
				message: `Not found while ${action} (404)`,
				description: `Symphony knows no such user or resource.${said} Check the user ID; IDs are numbers such as 7215545078541.`,
			};
		case 429:
			return {
				message: `Symphony asked to slow down while ${action} (429 Too Many Requests)${tries}`,
				description: `Symphony allows one presence query per external user every 5 minutes and throttles busy pods.${
					failure.retryAfterSeconds !== undefined ? ` It asked to wait ${failure.retryAfterSeconds} s, longer than this node's maximum wait.` : ''
				} Run the workflow less often (every 5 minutes or more), or raise "Max Wait" in the node's retry options. Presence → Get can instead wait, skip the item or return the last known presence (Options → If Read Too Recently).`,
			};
		default:
			if (status >= 500) {
				return {
					message: `Symphony had an internal problem while ${action} (${status})${tries}`,
					description: `${said ? said.trim() + ' ' : ''}This is on Symphony's side; try again later. If it persists, contact your Symphony administrator.`,
				};
			}
			return {
				message: `Symphony answered ${status} while ${action}`,
				description: `${said ? said.trim() + ' ' : ''}Check the node's parameters and the credential.`,
			};
	}
}

export function describeUnreadableResponse(action: string, bodyStart: string, status: number): UserMessage {
	const looksHtml = /^\s*</.test(bodyStart);
	return {
		message: `Symphony's answer could not be read while ${action} (status ${status})`,
		description: looksHtml
			? 'The pod sent a web page instead of data. Check that the Pod URL in the credential points at your Symphony pod (e.g. https://acme.symphony.com), not at a login page or proxy.'
			: 'The pod sent an empty, cut-off or unexpected body. Try again; if it persists, check the Pod URL and any proxy between n8n and Symphony.',
	};
}

/** A failed Symphony call, already worded for the user. Re-created per item by the item runner. */
export class SymphonyApiError extends NodeApiError {
	constructor(
		node: INode,
		readonly report: UserMessage & { status?: number; symphonyMessage?: string; retryAfterSeconds?: number },
		itemIndex?: number,
	) {
		super(node, { message: report.message } as JsonObject, {
			message: report.message,
			description: report.description,
			httpCode: report.status === undefined ? undefined : String(report.status),
			itemIndex,
		});
		this.name = 'SymphonyApiError';
	}

	/** True when the pod refused the values sent (400/404), so splitting the batch can isolate them. */
	get isValueRejection(): boolean {
		return this.report.status === 400 || this.report.status === 404;
	}

	/** The same refusal worded for another action, e.g. for one user of a batch refused as a whole. */
	forAction(node: INode, action: string): SymphonyApiError {
		const { status, symphonyMessage } = this.report;
		return new SymphonyApiError(node, { ...describeApiFailure({ status, symphonyMessage, action }), status, symphonyMessage });
	}
}

// ---- RSA key login (credential "Symphony RSA API") ----

/** Which call of an RSA login failed: the bot login, the app login, or the app's session for a user (OBO). */
export type LoginStep = 'bot' | 'app' | 'oboUser';

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

/** Every way an RSA login can fail, worded so the message alone (all a credential test shows) says what to fix. */
export function describeLoginFailure(failure: LoginFailure): UserMessage {
	const { status, step, subject } = failure;
	const said = failure.symphonyMessage ? ` Symphony said: "${failure.symphonyMessage}".` : '';
	const fields = 'Check the Pod URL, and the Login URL if your pod\'s /login lives on another host, in the Symphony RSA credential.';

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
 * original. Written and read within one request in one process, so it holds with many workers too.
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

/**
 * Any failure as n8n shows it, attached to the node (and to an item when `itemIndex` is given).
 * A failure shared by several items is re-created so that each gets its own index.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof ParameterError) {
		return new NodeOperationError(node, error.message, { itemIndex, description: error.fix });
	}
	if (error instanceof SymphonyApiError) return itemIndex === undefined ? error : new SymphonyApiError(node, error.report, itemIndex);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}
