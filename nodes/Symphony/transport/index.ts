import {
	NodeOperationError,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type ITriggerFunctions,
} from 'n8n-workflow';

import { loginErrorOf, RSA_SESSION_REFUSED_HINT, type SymphonyLoginError } from '../auth/loginErrors';
import { handOverSession } from '../auth/loginSharing';
import {
	ParameterError,
	SymphonyApiError,
	describeApiFailure,
	describeUnreadableResponse,
	type ApiFailure,
	type StatusHints,
} from '../errors';
import { parseJsonLossless } from '../helpers/losslessJson';
import { hasScheme, normalizePodUrl } from '../helpers/podUrl';
import { executionCancelSignal, sleep } from '../helpers/sleep';
import { ADAPTIVE_CEILING_PER_SECOND, isPodThrottle, paceRequest, reportThrottled } from './pacing';
import {
	DEFAULT_RETRY_POLICY,
	DEFAULT_TIMEOUT_MS,
	decideRetry,
	parseRetryAfter,
	type Outcome,
	type RetryPolicy,
} from './retryPolicy';

export type SymphonyCredentialType = 'symphonyApi' | 'symphonyRsaApi';
export type RequestContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions | ITriggerFunctions;

export interface ClientSettings {
	credentialType: SymphonyCredentialType;
	retry: RetryPolicy;
	timeoutMs: number;
	/** Ceiling of this execution's requests to the pod (transport/pacing.ts). */
	requestsPerSecond?: number;
}

export const DEFAULT_CLIENT_SETTINGS: Omit<ClientSettings, 'credentialType'> = {
	retry: DEFAULT_RETRY_POLICY,
	timeoutMs: DEFAULT_TIMEOUT_MS,
};

export interface SymphonyRequest {
	method: IHttpRequestMethods;
	/** Path below the pod (or the Agent), e.g. `/pod/v3/user/123/presence`. */
	path: string;
	/**
	 * `agent`: the call goes to the credential's Agent URL (the pod's host by default) and carries the
	 * key manager token beside the session token (none for OBO).
	 */
	host?: 'pod' | 'agent';
	qs?: Record<string, string | number | boolean>;
	/** JSON body as text, written by the caller so int64 IDs keep every digit; or another type named in `contentType`. */
	body?: string | Buffer;
	/** The body's type when it is not JSON, e.g. `multipart/form-data; boundary=…`. */
	contentType?: string;
	/**
	 * False for a call that must not be carried out twice (a send): it is retried only when it
	 * provably did not reach Symphony (transport/retryPolicy.ts `isRetriableWhenNotIdempotent`).
	 */
	idempotent?: boolean;
	/** What the call does, for messages: "reading the presence of user 123". */
	action: string;
	/** What a refusal means for this call (which privilege a 403 lacks, what a 404 is about). */
	hints?: StatusHints;
	/** This call's timeout instead of the client's, e.g. a long poll's, a little above the server's wait. */
	timeoutMs?: number;
	/**
	 * Ends the call, and any wait before a retry, when it aborts (a trigger being closed). Without it,
	 * the execution's cancel signal does that where the context has one.
	 */
	abortSignal?: AbortSignal;
}

export interface SymphonyResponse {
	status: number;
	/** Parsed JSON (large integers as digit strings); undefined for an empty body. */
	body: unknown;
}

export interface ClientStats {
	requests: number;
	retries: number;
}

export interface SymphonyClient {
	request(request: SymphonyRequest): Promise<SymphonyResponse>;
	readonly stats: ClientStats;
	/** The ceiling this client's requests keep to (transport/pacing.ts), for callers sizing their concurrency. */
	readonly requestsPerSecond: number;
	/**
	 * Text the pod said in a successful answer, made fit to show: any secret of the credential, and
	 * the session in use, blanked out (as in every error message), and at most 300 characters.
	 */
	showable(said: string): string;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** Credential fields whose values must never be shown, whatever the pod answers. */
const SECRET_FIELDS = ['token', 'sessionToken', 'keyManagerToken', 'privateKey', 'appPrivateKey', 'passphrase'] as const;
/** Shorter values (a stray one-letter token) would blank out ordinary words: they are never real secrets. */
const MIN_SECRET_LENGTH = 8;

function header(headers: FullResponse['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** Symphony's `{code, message}` error body, read leniently: any shape may arrive. */
function symphonyMessageOf(text: string): string | undefined {
	try {
		const parsed = JSON.parse(text) as { message?: unknown };
		return typeof parsed?.message === 'string' ? parsed.message.slice(0, 300) : undefined;
	} catch {
		return undefined;
	}
}

function parseJsonOrUndefined(text: string): unknown {
	try {
		return parseJsonLossless(text);
	} catch {
		return undefined;
	}
}

/**
 * The HTTP status or network code of an error thrown by n8n's request helper. Depending on the n8n
 * version it sits on the wrapped cause, on the original error, or in `httpCode` (which n8n also
 * fills with codes such as ECONNREFUSED). `plainHttp` marks a TLS handshake answered by a server
 * speaking plain http ("wrong version number").
 */
function failureOf(error: unknown): { status?: number; code?: string; plainHttp?: boolean } {
	const e = error as {
		httpCode?: string | null;
		message?: unknown;
		cause?: { code?: string; message?: unknown; response?: { status?: number } };
		errorResponse?: { code?: string; response?: { status?: number } };
		code?: string;
	};
	const status = e.cause?.response?.status ?? e.errorResponse?.response?.status;
	if (typeof status === 'number') return { status };
	if (e.httpCode && /^\d{3}$/.test(e.httpCode)) return { status: Number(e.httpCode) };
	const code = e.cause?.code ?? e.errorResponse?.code ?? e.code ?? e.httpCode ?? undefined;
	const text = `${String(e.message ?? '')} ${String(e.cause?.message ?? '')}`;
	return { code: code === null ? undefined : code, plainHttp: /wrong version number/i.test(text) };
}

/** A failed RSA login as the retry policy sees it: 429, 5xx and network failures may pass on a new try. */
function loginOutcome(failure: SymphonyLoginError): Outcome {
	const { status, retryAfter, networkCode } = failure.retry ?? {};
	return status !== undefined ? { kind: 'status', status, retryAfter } : { kind: 'network', code: networkCode };
}

/** The Agent URL of the credential, the pod's address when it is empty. */
function agentBaseUrl(context: RequestContext, field: unknown, podUrl: string): string {
	const raw = text(field).trim();
	if (raw === '') return podUrl;
	try {
		return normalizePodUrl(raw, 'Agent URL');
	} catch (error) {
		const message = error instanceof ParameterError ? error.message : String(error);
		throw new NodeOperationError(context.getNode(), `Symphony credential: ${message}`, {
			description: "Open the Symphony credential and correct the Agent URL, or empty it to use the Pod URL's host.",
		});
	}
}

/** A 401 from the Agent with the token credential: usually the key manager token, missing or ended. */
const AGENT_TOKEN_REFUSED_HINT =
	'The Agent refused the session token or the key manager token. A bot needs both: enter a current Key Manager Token (from POST /relay/pubkey/authenticate) and Session Token in the Symphony credential, or use the Symphony RSA API credential, which logs in to both by itself. An OBO session token needs no key manager token.';

/** Whether the credential can log in again by itself (RSA) when the pod ends its session. */
function canLogIn(credentialType: SymphonyCredentialType): boolean {
	return credentialType === 'symphonyRsaApi';
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/**
 * The one place that sends requests to Symphony. Owns the base URL (from the credential), the
 * session header, retries with backoff that obey Retry-After, and turning failures into messages.
 * Requests are repeated only where repeating is harmless: every presence call is idempotent or,
 * like register and set, ends in the same state when sent twice.
 *
 * The credential is read once per client (one node execution or poll), and each request carries
 * its session token as the `sessionToken` header, sent through n8n's `httpRequest` with every
 * status returned: this costs one header per request instead of a credential read and an
 * expression per request, and works alike in every n8n version (older n8n-core versions read any
 * truthy `ignoreHttpStatusErrors` as "ignore all", so a 401 would never reach n8n's re-login).
 * The RSA credential logs in through n8n: when there is no token yet, or the pod answered 401,
 * the call goes through `httpRequestWithAuthentication` with the token blanked, so n8n runs the
 * credential's preAuthentication (login), stores the new token and sends the call with it.
 */
export async function createSymphonyClient(
	context: RequestContext,
	settings: ClientSettings,
): Promise<SymphonyClient> {
	const { credentialType } = settings;
	const credentials = await context.getCredentials(credentialType);
	let baseUrl: string;
	try {
		baseUrl = normalizePodUrl(credentials.podUrl);
	} catch (error) {
		const message = error instanceof ParameterError ? error.message : String(error);
		throw new NodeOperationError(context.getNode(), `Symphony credential: ${message}`, {
			description: 'Open the Symphony credential and correct the Pod URL.',
		});
	}
	const agentUrl = agentBaseUrl(context, credentials.agentUrl, baseUrl);
	const schemeAdded = !hasScheme(text(credentials.podUrl).trim());
	/** A bot logged in by the RSA credential: its Agent calls need a key manager token, which it logs in for. */
	const rsaBot = canLogIn(credentialType) && credentials.loginAs !== 'oboApp';
	const stats: ClientStats = { requests: 0, retries: 0 };

	/** The session token requests carry now; '' until the RSA credential's first login. */
	let sessionToken = (canLogIn(credentialType) ? text(credentials.sessionToken) : text(credentials.token)).trim();
	/** When `sessionToken` was read from the credential or brought by a login. */
	let sessionTokenReadAt = Date.now();
	/** The key manager token Agent calls carry: the RSA bot's ('' until its first key manager login), or the token credential's field. */
	let keyManagerToken = credentialType === 'symphonyApi' && credentials.sessionKind === 'oboSessionToken' ? '' : text(credentials.keyManagerToken).trim();
	/** The login in progress, if any: requests refused meanwhile wait for it instead of logging in too. */
	let renewal: Promise<unknown> | undefined;
	/** Sessions one attempt may try before its 401 stands (each new one brought by a login). */
	const MAX_SESSION_ROUNDS = 3;

	/**
	 * What the pod says is shown to the user, and a pod or proxy may echo the request back in it:
	 * any secret of the credential, and the session in use, is blanked out first.
	 */
	const hideSecrets = (said: string): string => {
		const secrets = [sessionToken, keyManagerToken, ...SECRET_FIELDS.map((field) => text(credentials[field]).trim())];
		return secrets.reduce((shown, secret) => (secret.length < MIN_SECRET_LENGTH ? shown : shown.split(secret).join('[hidden]')), said);
	};

	const fail = (failure: ApiFailure): never => {
		if (failure.symphonyMessage !== undefined) failure = { ...failure, symphonyMessage: hideSecrets(failure.symphonyMessage) };
		throw new SymphonyApiError(context.getNode(), {
			...describeApiFailure(failure),
			status: failure.status,
			symphonyMessage: failure.symphonyMessage,
			...(failure.retryAfterSeconds !== undefined && { retryAfterSeconds: failure.retryAfterSeconds }),
		});
	};

	async function sendWithToken(options: IHttpRequestOptions, token: string, keyManager?: string): Promise<FullResponse> {
		await paceRequest(context, baseUrl, settings.requestsPerSecond);
		stats.requests++;
		return (await context.helpers.httpRequest({
			...options,
			headers: { ...options.headers, sessionToken: token, ...(keyManager !== undefined && keyManager !== '' && { keyManagerToken: keyManager }) },
		})) as FullResponse;
	}

	/** Sends through n8n's credential path with the token blanked: n8n logs in, stores the token and sends. */
	async function sendAfterLogin(options: IHttpRequestOptions, withKeyManager: boolean, keepSession: string | undefined): Promise<FullResponse> {
		const live = { ...credentials, sessionToken: '', keyManagerToken };
		// What the credential's login needs to share one login among requests refused together.
		handOverSession(live, { failedToken: sessionToken, readAt: sessionTokenReadAt, keyManager: withKeyManager, keepSession });
		const stored = context.getNode().credentials?.[credentialType];
		await paceRequest(context, baseUrl, settings.requestsPerSecond);
		stats.requests++;
		try {
			return (await context.helpers.httpRequestWithAuthentication.call(
				context,
				credentialType,
				// An empty keyManagerToken header asks the credential's authenticate to fill it in.
				{ ...options, headers: { ...options.headers, ...(withKeyManager && { keyManagerToken: '' }) } },
				{ credentialsDecrypted: { id: stored?.id ?? '', name: stored?.name ?? '', type: credentialType, data: live } },
			)) as FullResponse;
		} finally {
			// n8n-core merges what preAuthentication returned into the object passed in; n8n also stores it.
			const renewed = text(live.sessionToken).trim();
			if (renewed !== '' && renewed !== sessionToken) {
				sessionToken = renewed;
				sessionTokenReadAt = Date.now();
			}
			const renewedKeyManager = text(live.keyManagerToken).trim();
			if (renewedKeyManager !== '') keyManagerToken = renewedKeyManager;
		}
	}

	/** Logs in (through n8n) and sends the call; requests refused meanwhile wait for this one. */
	async function renewAndSend(options: IHttpRequestOptions, withKeyManager: boolean, keepSession?: string): Promise<FullResponse> {
		const sent = sendAfterLogin(options, withKeyManager, keepSession);
		// Settles with the failure, if any, so that no rejection goes unhandled when nobody waits.
		renewal = sent.then(
			() => undefined,
			(error: unknown) => error,
		);
		try {
			return await sent;
		} finally {
			renewal = undefined;
		}
	}

	/**
	 * One attempt: the call with the current token. For RSA, a login first when there is no token
	 * yet, and after a 401 either the session another request has just brought or a new login.
	 * The answer to a call sent right after its own login stands, 401 included.
	 */
	async function exchange(options: IHttpRequestOptions, agent: boolean): Promise<FullResponse> {
		if (!canLogIn(credentialType)) return await sendWithToken(options, sessionToken, agent ? keyManagerToken : undefined);
		const withKeyManager = agent && rsaBot;
		for (let round = 1; ; round++) {
			const used = sessionToken;
			const usedKeyManager = keyManagerToken;
			/** A session that has not been refused, and only the key manager token missing: log in to the key manager alone. */
			let keepSession: string | undefined;
			if (used !== '' && (!withKeyManager || usedKeyManager !== '')) {
				const response = await sendWithToken(options, used, withKeyManager ? usedKeyManager : undefined);
				if (response.statusCode !== 401 || round >= MAX_SESSION_ROUNDS) return response;
				if (sessionToken !== used || keyManagerToken !== usedKeyManager) continue;
			} else if (used !== '') {
				keepSession = used;
			}
			if (renewal) {
				// A failed login is this request's failure too; any other failure was the other request's own.
				const failure = await renewal;
				if (loginErrorOf(failure)) throw failure;
				continue;
			}
			return await renewAndSend(options, withKeyManager, keepSession);
		}
	}

	async function request(call: SymphonyRequest): Promise<SymphonyResponse> {
		const agent = call.host === 'agent';
		const base = agent ? agentUrl : baseUrl;
		const idempotent = call.idempotent !== false;
		const cancelSignal = call.abortSignal ?? executionCancelSignal(context);
		const options: IHttpRequestOptions = {
			method: call.method,
			url: `${base}${call.path}`,
			qs: call.qs,
			headers: { Accept: 'application/json', ...(call.body !== undefined && { 'Content-Type': call.contentType ?? 'application/json' }) },
			body: call.body,
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			timeout: call.timeoutMs ?? settings.timeoutMs,
			ignoreHttpStatusErrors: true,
			...(call.abortSignal !== undefined && { abortSignal: call.abortSignal }),
		};
		for (let attempt = 1; ; attempt++) {
			let outcome: Outcome;
			let response: FullResponse | undefined;
			let loginFailure: SymphonyLoginError | undefined;
			let plainHttp = false;
			try {
				response = await exchange(options, agent);
				outcome = { kind: 'status', status: response.statusCode, retryAfter: header(response.headers, 'retry-after') };
				if (outcome.status === 429) {
					// The pod's throttle slows every request of this process to the pod, not only this one.
					const retryAfterMs = parseRetryAfter(outcome.retryAfter, Date.now());
					if (isPodThrottle(retryAfterMs)) reportThrottled(baseUrl, retryAfterMs);
				}
			} catch (error) {
				// The RSA credential's login failed before the pod was asked: retry by the login's own outcome.
				loginFailure = loginErrorOf(error);
				if (loginFailure) {
					outcome = loginOutcome(loginFailure);
				} else {
					const failure = failureOf(error);
					plainHttp = failure.plainHttp === true;
					outcome = failure.status !== undefined ? { kind: 'status', status: failure.status } : { kind: 'network', code: failure.code };
				}
			}

			// A failed login never reached the call itself: it may be retried whatever the call.
			const decision = decideRetry(outcome, attempt, settings.retry, Date.now(), Math.random(), idempotent || loginFailure !== undefined);
			if (decision.retry) {
				stats.retries++;
				// A cancelled execution stops waiting for its retry.
				await sleep(decision.delayMs, cancelSignal);
				continue;
			}
			if (loginFailure) throw new SymphonyApiError(context.getNode(), loginFailure.report);

			const body = typeof response?.body === 'string' ? response.body : '';
			if (outcome.kind === 'network') {
				return fail({ action: call.action, networkCode: outcome.code, attempts: attempt, url: base, agent, schemeAdded, plainHttp, notRepeated: !idempotent });
			}
			if (outcome.status >= 300) {
				const retryAfterMs = parseRetryAfter(outcome.retryAfter, Date.now());
				return fail({
					action: call.action,
					hints: canLogIn(credentialType)
						? { 401: RSA_SESSION_REFUSED_HINT, ...call.hints }
						: agent
							? { 401: AGENT_TOKEN_REFUSED_HINT, ...call.hints }
							: call.hints,
					notRepeated: !idempotent,
					status: outcome.status,
					symphonyMessage: symphonyMessageOf(body),
					attempts: attempt,
					retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
				});
			}
			if (body.trim() === '') return { status: outcome.status, body: undefined };
			const parsed = parseJsonOrUndefined(body);
			if (parsed === undefined) {
				throw new SymphonyApiError(context.getNode(), {
					...describeUnreadableResponse(call.action, body.slice(0, 20), outcome.status),
					status: outcome.status,
				});
			}
			return { status: outcome.status, body: parsed };
		}
	}

	const showable = (said: string): string => hideSecrets(said).slice(0, 300);

	return { request, stats, requestsPerSecond: settings.requestsPerSecond ?? ADAPTIVE_CEILING_PER_SECOND, showable };
}
