import {
	NodeOperationError,
	sleep,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
} from 'n8n-workflow';

import {
	ParameterError,
	SymphonyApiError,
	describeApiFailure,
	describeUnreadableResponse,
	loginErrorOf,
	RSA_SESSION_REFUSED_HINT,
	type SymphonyLoginError,
	type ApiFailure,
	type StatusHints,
} from '../errors';
import { parseJsonLossless } from '../helpers/losslessJson';
import { normalizePodUrl } from '../helpers/podUrl';
import { paceRequest } from './pacing';
import {
	DEFAULT_RETRY_POLICY,
	DEFAULT_TIMEOUT_MS,
	decideRetry,
	parseRetryAfter,
	type Outcome,
	type RetryPolicy,
} from './retryPolicy';

export type SymphonyCredentialType = 'symphonyApi' | 'symphonyRsaApi';
export type RequestContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

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
	/** Path below the pod, e.g. `/pod/v3/user/123/presence`. */
	path: string;
	qs?: Record<string, string | number | boolean>;
	/** JSON body as text, written by the caller so int64 IDs keep every digit. */
	body?: string;
	/** What the call does, for messages: "reading the presence of user 123". */
	action: string;
	/** What a refusal means for this call (which privilege a 403 lacks, what a 404 is about). */
	hints?: StatusHints;
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
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

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
 * fills with codes such as ECONNREFUSED).
 */
function failureOf(error: unknown): { status?: number; code?: string } {
	const e = error as {
		httpCode?: string | null;
		cause?: { code?: string; response?: { status?: number } };
		errorResponse?: { code?: string; response?: { status?: number } };
		code?: string;
	};
	const status = e.cause?.response?.status ?? e.errorResponse?.response?.status;
	if (typeof status === 'number') return { status };
	if (e.httpCode && /^\d{3}$/.test(e.httpCode)) return { status: Number(e.httpCode) };
	const code = e.cause?.code ?? e.errorResponse?.code ?? e.code ?? e.httpCode ?? undefined;
	return { code: code === null ? undefined : code };
}

/** A failed RSA login as the retry policy sees it: 429, 5xx and network failures may pass on a new try. */
function loginOutcome(failure: SymphonyLoginError): Outcome {
	const { status, retryAfter, networkCode } = failure.retry ?? {};
	return status !== undefined ? { kind: 'status', status, retryAfter } : { kind: 'network', code: networkCode };
}

/**
 * The one place that sends requests to Symphony. Owns the base URL (from the credential), the
 * credential choice, retries with backoff that obeys Retry-After, and turning failures into
 * messages. Credentials are injected by n8n, which also logs in again once on a 401 for
 * credentials that can (RSA). Requests are repeated only where repeating is harmless: every
 * presence call is idempotent or, like register and set, ends in the same state when sent twice.
 */
export async function createSymphonyClient(
	context: RequestContext,
	settings: ClientSettings,
): Promise<SymphonyClient> {
	const credentials = await context.getCredentials(settings.credentialType);
	let baseUrl: string;
	try {
		baseUrl = normalizePodUrl(credentials.podUrl);
	} catch (error) {
		const message = error instanceof ParameterError ? error.message : String(error);
		throw new NodeOperationError(context.getNode(), `Symphony credential: ${message}`, {
			description: 'Open the Symphony credential and correct the Pod URL.',
		});
	}
	const stats: ClientStats = { requests: 0, retries: 0 };

	const fail = (failure: ApiFailure): never => {
		throw new SymphonyApiError(context.getNode(), {
			...describeApiFailure(failure),
			status: failure.status,
			symphonyMessage: failure.symphonyMessage,
		});
	};

	async function request(call: SymphonyRequest): Promise<SymphonyResponse> {
		const options: IHttpRequestOptions = {
			method: call.method,
			url: `${baseUrl}${call.path}`,
			qs: call.qs,
			headers: { Accept: 'application/json', ...(call.body !== undefined && { 'Content-Type': 'application/json' }) },
			body: call.body,
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			timeout: settings.timeoutMs,
			// 401 must still throw, so that n8n re-authenticates credentials that can log in again.
			ignoreHttpStatusErrors: { ignore: true, except: [401] },
		};
		for (let attempt = 1; ; attempt++) {
			await paceRequest(context, baseUrl, settings.requestsPerSecond);
			stats.requests++;
			let outcome: Outcome;
			let response: FullResponse | undefined;
			let loginFailure: SymphonyLoginError | undefined;
			try {
				response = (await context.helpers.httpRequestWithAuthentication.call(
					context,
					settings.credentialType,
					{ ...options, headers: { ...options.headers } },
				)) as FullResponse;
				outcome = { kind: 'status', status: response.statusCode, retryAfter: header(response.headers, 'retry-after') };
			} catch (error) {
				// The RSA credential's login failed before the pod was asked: retry by the login's own outcome.
				loginFailure = loginErrorOf(error);
				if (loginFailure) {
					outcome = loginOutcome(loginFailure);
				} else {
					const { status, code } = failureOf(error);
					outcome = status !== undefined ? { kind: 'status', status } : { kind: 'network', code };
				}
			}

			const decision = decideRetry(outcome, attempt, settings.retry, Date.now(), Math.random());
			if (decision.retry) {
				stats.retries++;
				await sleep(decision.delayMs);
				continue;
			}
			if (loginFailure) throw new SymphonyApiError(context.getNode(), loginFailure.report);

			const text = typeof response?.body === 'string' ? response.body : '';
			if (outcome.kind === 'network') {
				return fail({ action: call.action, networkCode: outcome.code, attempts: attempt });
			}
			if (outcome.status >= 300) {
				const retryAfterMs = parseRetryAfter(outcome.retryAfter, Date.now());
				return fail({
					action: call.action,
					hints: settings.credentialType === 'symphonyRsaApi' ? { 401: RSA_SESSION_REFUSED_HINT, ...call.hints } : call.hints,
					status: outcome.status,
					symphonyMessage: symphonyMessageOf(text),
					attempts: attempt,
					retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
				});
			}
			if (text.trim() === '') return { status: outcome.status, body: undefined };
			const body = parseJsonOrUndefined(text);
			if (body === undefined) {
				throw new SymphonyApiError(context.getNode(), {
					...describeUnreadableResponse(call.action, text.slice(0, 20), outcome.status),
					status: outcome.status,
				});
			}
			return { status: outcome.status, body };
		}
	}

	return { request, stats };
}
