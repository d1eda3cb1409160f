import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

/**
 * Every message a user of the Symphony node can see, except the RSA login's (auth/loginErrors.ts).
 * Each names what was wrong and what to do; none ever carries a token, key or header value.
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
	/** The address tried (the pod's, or the Agent's for an Agent call), scheme included, for network failures. */
	url?: string;
	/** The call went to the Agent (messages, datafeed): a network failure names the Agent URL, not the Pod URL. */
	agent?: boolean;
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
	/**
	 * The call is not idempotent (a send): a failure that may have come after Symphony carried it out
	 * was not retried, and the message says that it may have been done.
	 */
	notRepeated?: boolean;
}

/**
 * Per-call explanations by HTTP status, e.g. `{ 403: 'Get Many needs the User Provisioning role.' }`:
 * the general wording cannot know which privilege a call needs or what a 404 there means.
 */
export type StatusHints = Partial<Record<400 | 401 | 403 | 404 | 429, string>>;

export interface UserMessage {
	message: string;
	description: string;
}

/** Network failure codes in words; the RSA login's messages reuse them. */
export const NETWORK_HINTS: Record<string, string> = {
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
	const hint = plainHttp ? 'the server there speaks plain http, not https' : (NETWORK_HINTS[failure.networkCode ?? ''] ?? 'the pod could not be reached');
	if (failure.agent === true) {
		return {
			message: `Could not reach Symphony's Agent${at} while ${action}: ${hint.replace(/^the pod\b/, 'the Agent')}${tries}`,
			description:
				"Check the Agent URL in the Symphony credential (when it is empty, the Agent is expected on the Pod URL's host; an on-premise Agent needs its own address), and that this n8n instance can reach it through its network or proxy.",
		};
	}
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

/** Whether a failure of a non-idempotent call leaves it unknown if Symphony carried it out. */
function mayHaveBeenDone(failure: ApiFailure): boolean {
	if (failure.notRepeated !== true) return false;
	if (failure.status === undefined) return failure.networkCode !== 'ECONNREFUSED' && failure.networkCode !== 'ENOTFOUND' && failure.networkCode !== 'EAI_AGAIN';
	return failure.status >= 500 && failure.status !== 503;
}

const MAY_HAVE_BEEN_DONE =
	' It was not sent again, because Symphony may have carried it out before the failure: check the conversation before running this item again.';

export function describeApiFailure(failure: ApiFailure): UserMessage {
	const described = describeApiFailureOnce(failure);
	return mayHaveBeenDone(failure) ? { ...described, description: `${described.description}${MAY_HAVE_BEEN_DONE}` } : described;
}

function describeApiFailureOnce(failure: ApiFailure): UserMessage {
	const general = describeAnyCall(failure);
	const hint = failure.status === undefined ? undefined : failure.hints?.[failure.status as keyof StatusHints];
	if (hint === undefined) return general;
	const said = failure.symphonyMessage ? ` Symphony said: "${failure.symphonyMessage}".` : '';
	return { message: general.message, description: `${askedToWait(failure)}${hint}${said}` };
}

/** For a 429: how long Symphony asked to wait, when it said, as a sentence ending in a space. */
function askedToWait(failure: ApiFailure): string {
	return failure.status === 429 && failure.retryAfterSeconds !== undefined ? `Symphony asked to wait ${failure.retryAfterSeconds} s. ` : '';
}

function describeAnyCall(failure: ApiFailure): UserMessage {
	const { status, action } = failure;
	const said = failure.symphonyMessage ? ` Symphony said: "${failure.symphonyMessage}".` : '';
	const tries = failure.attempts && failure.attempts > 1 ? ` after ${failure.attempts} attempts` : '';

	if (status === undefined) return describeNetworkFailure(failure, tries);
	switch (status) {
		case 400:
			return {
				message: `Symphony refused the request while ${action} (400 Bad Request)`,
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
				description: `${askedToWait(failure)}Symphony slows down busy pods, and allows one presence read per person at another firm every 5 minutes. Run the workflow less often, or raise Options → Retry → Max Wait (Seconds) so the node waits as long as Symphony asks.`,
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
	get isValueRefusal(): boolean {
		return this.report.status === 400 || this.report.status === 404;
	}

	/** The same refusal worded for another action, e.g. for one user of a batch refused as a whole. */
	forAction(node: INode, action: string): SymphonyApiError {
		const { status, symphonyMessage } = this.report;
		return new SymphonyApiError(node, { ...describeApiFailure({ status, symphonyMessage, action }), status, symphonyMessage });
	}
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
