/**
 * When to try a Symphony call again, and how long to wait first. Pure: the clock and the random
 * source are arguments so the rules can be table-tested.
 *
 * Defaults follow Symphony's BDKs (500 ms, doubling) but stop sooner, as suits one workflow step:
 * 5 attempts in all, and never a single wait longer than 30 s. Unlike the BDKs, Retry-After is obeyed.
 */

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_MAX_WAIT_SECONDS = 30;
export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_MAX_WAIT_MS = DEFAULT_MAX_WAIT_SECONDS * 1000;
export const DEFAULT_TIMEOUT_MS = DEFAULT_TIMEOUT_SECONDS * 1000;
const INITIAL_DELAY_MS = 500;
const MULTIPLIER = 2;

export interface RetryPolicy {
	maxAttempts: number;
	maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: DEFAULT_MAX_ATTEMPTS,
	maxWaitMs: DEFAULT_MAX_WAIT_MS,
};

/** Network failures worth another try: the request may never have reached the pod, or its answer was lost. */
const RETRIABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EPIPE',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Network failures that prove the request never reached the server: no connection was made. */
const NOT_CONNECTED_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

export type Outcome =
	| { kind: 'status'; status: number; retryAfter?: string | null }
	| { kind: 'network'; code?: string };

export type Decision =
	| { retry: true; delayMs: number }
	| { retry: false; reason: 'success' | 'not-retriable' | 'attempts-exhausted' | 'wait-too-long'; retryAfterMs?: number };

export function isRetriableStatus(status: number): boolean {
	return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

export function isRetriableNetworkCode(code: string | undefined): boolean {
	return code !== undefined && RETRIABLE_NETWORK_CODES.has(code);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
	if (header === null || header === undefined || header.trim() === '') return undefined;
	const text = header.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries from many items spread out. */
export function backoffDelay(attempt: number, maxWaitMs: number, random: number): number {
	const base = Math.min(maxWaitMs, INITIAL_DELAY_MS * MULTIPLIER ** (attempt - 1));
	return Math.round(base / 2 + (base / 2) * random);
}

/**
 * For a call that must not be carried out twice (a send): only failures that prove it was not
 * processed. No connection was made, or Symphony answered 429 (rate limit) or 503 (unavailable),
 * which refuse a request before processing it. A timeout, a dropped connection, 500, 502 or 504 may
 * come after the message was posted: those are not retried.
 */
export function isRetriableWhenNotIdempotent(outcome: Outcome): boolean {
	if (outcome.kind === 'network') return outcome.code !== undefined && NOT_CONNECTED_NETWORK_CODES.has(outcome.code);
	return outcome.status === 429 || outcome.status === 503;
}

/**
 * Decides after attempt number `attempt` (1-based) whether to try again.
 * Never retried: 400, 401 (the client logs the RSA credential in again once itself), 403, 404 and other 4xx.
 * `idempotent: false` (a send) narrows the retries to `isRetriableWhenNotIdempotent`.
 */
export function decideRetry(
	outcome: Outcome,
	attempt: number,
	policy: RetryPolicy,
	nowMs: number,
	random: number,
	idempotent = true,
): Decision {
	if (outcome.kind === 'status') {
		if (outcome.status < 400) return { retry: false, reason: 'success' };
		if (!isRetriableStatus(outcome.status)) return { retry: false, reason: 'not-retriable' };
	} else if (!isRetriableNetworkCode(outcome.code)) {
		return { retry: false, reason: 'not-retriable' };
	}
	if (!idempotent && !isRetriableWhenNotIdempotent(outcome)) return { retry: false, reason: 'not-retriable' };
	if (attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };

	const retryAfterMs =
		outcome.kind === 'status' ? parseRetryAfter(outcome.retryAfter, nowMs) : undefined;
	if (retryAfterMs !== undefined) {
		if (retryAfterMs > policy.maxWaitMs) return { retry: false, reason: 'wait-too-long', retryAfterMs };
		return { retry: true, delayMs: retryAfterMs };
	}
	return { retry: true, delayMs: backoffDelay(attempt, policy.maxWaitMs, random) };
}
