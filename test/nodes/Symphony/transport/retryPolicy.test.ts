import {
	backoffDelay,
	decideRetry,
	parseRetryAfter,
	type Outcome,
} from '../../../../nodes/Symphony/transport/retryPolicy';

const policy = { maxAttempts: 5, maxWaitMs: 30_000 };
const now = Date.parse('2026-01-01T00:00:00Z');

describe('decideRetry', () => {
	test.each<[string, Outcome, number, object]>([
		['200 is done', { kind: 'status', status: 200 }, 1, { retry: false, reason: 'success' }],
		['400 is never retried', { kind: 'status', status: 400 }, 1, { retry: false, reason: 'not-retriable' }],
		['401 is left to n8n re-authentication', { kind: 'status', status: 401 }, 1, { retry: false, reason: 'not-retriable' }],
		['403 is never retried', { kind: 'status', status: 403 }, 1, { retry: false, reason: 'not-retriable' }],
		['404 is never retried', { kind: 'status', status: 404 }, 1, { retry: false, reason: 'not-retriable' }],
		['501 is not retried', { kind: 'status', status: 501 }, 1, { retry: false, reason: 'not-retriable' }],
		['429 with Retry-After seconds waits that long', { kind: 'status', status: 429, retryAfter: '3' }, 1, { retry: true, delayMs: 3000 }],
		['429 with an HTTP date', { kind: 'status', status: 429, retryAfter: 'Thu, 01 Jan 2026 00:00:07 GMT' }, 1, { retry: true, delayMs: 7000 }],
		['429 asking for more than the cap stops', { kind: 'status', status: 429, retryAfter: '300' }, 1, { retry: false, reason: 'wait-too-long', retryAfterMs: 300_000 }],
		['503 with Retry-After 0 retries at once', { kind: 'status', status: 503, retryAfter: '0' }, 2, { retry: true, delayMs: 0 }],
		['500 on the last attempt stops', { kind: 'status', status: 500 }, 5, { retry: false, reason: 'attempts-exhausted' }],
		['connection reset retried', { kind: 'network', code: 'ECONNRESET' }, 1, { retry: true }],
		['connection refused retried', { kind: 'network', code: 'ECONNREFUSED' }, 4, { retry: true }],
		['DNS failure retried', { kind: 'network', code: 'EAI_AGAIN' }, 1, { retry: true }],
		['timeout retried', { kind: 'network', code: 'ECONNABORTED' }, 1, { retry: true }],
		['TLS failure not retried', { kind: 'network', code: 'CERT_HAS_EXPIRED' }, 1, { retry: false, reason: 'not-retriable' }],
		['unknown failure not retried', { kind: 'network' }, 1, { retry: false, reason: 'not-retriable' }],
	])('%s', (_name, outcome, attempt, expected) => {
		expect(decideRetry(outcome, attempt, policy, now, 0.5)).toMatchObject(expected);
	});

	test.each<[string, Outcome, boolean]>([
		['429 (refused before processing)', { kind: 'status', status: 429, retryAfter: '1' }, true],
		['503 (refused before processing)', { kind: 'status', status: 503 }, true],
		['connection refused', { kind: 'network', code: 'ECONNREFUSED' }, true],
		['host not found', { kind: 'network', code: 'ENOTFOUND' }, true],
		['DNS failure', { kind: 'network', code: 'EAI_AGAIN' }, true],
		['500 (may have been processed)', { kind: 'status', status: 500 }, false],
		['502', { kind: 'status', status: 502 }, false],
		['504', { kind: 'status', status: 504 }, false],
		['connection reset', { kind: 'network', code: 'ECONNRESET' }, false],
		['timeout', { kind: 'network', code: 'ECONNABORTED' }, false],
		['timeout (ETIMEDOUT)', { kind: 'network', code: 'ETIMEDOUT' }, false],
		['broken pipe', { kind: 'network', code: 'EPIPE' }, false],
	])('not idempotent (a send): %s retried: %s', (_name, outcome, retried) => {
		expect(decideRetry(outcome, 1, policy, now, 0.5, false).retry).toBe(retried);
		// The same failure of an idempotent call is retried.
		expect(decideRetry(outcome, 1, policy, now, 0.5, true).retry).toBe(true);
	});

	test('backoff doubles from 500 ms with jitter, capped', () => {
		expect([1, 2, 3, 4].map((a) => backoffDelay(a, 30_000, 0))).toEqual([250, 500, 1000, 2000]);
		expect([1, 2, 3, 4].map((a) => backoffDelay(a, 30_000, 1))).toEqual([500, 1000, 2000, 4000]);
		expect(backoffDelay(20, 30_000, 1)).toBe(30_000);
	});

	test('Retry-After forms', () => {
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(' 12 ', now)).toBe(12_000);
		expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
	});
});
