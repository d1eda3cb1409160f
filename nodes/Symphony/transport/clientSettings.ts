import type { IDataObject } from 'n8n-workflow';

import { parseWholeNumber } from '../helpers/wholeNumber';
import type { ClientSettings, SymphonyCredentialType } from './index';
import { DEFAULT_REQUESTS_PER_SECOND, MAX_REQUESTS_PER_SECOND } from './pacing';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_WAIT_SECONDS, DEFAULT_TIMEOUT_SECONDS } from './retryPolicy';

/** The request-rate ceiling; the fix names Symphony's own limit, which is what the number is about. */
/** Max Requests per Second, a hard cap when the user set it; undefined leaves the pace to adapt. */
function parseRequestsPerSecond(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return parseWholeNumber(
		'Max Requests per Second',
		value,
		1,
		MAX_REQUESTS_PER_SECOND,
		DEFAULT_REQUESTS_PER_SECOND,
		`Enter a number from 1 to ${MAX_REQUESTS_PER_SECOND}: Symphony refuses more than 400 requests per second from one address, and ${DEFAULT_REQUESTS_PER_SECOND} (the default) leaves room for other clients`,
	);
}

/** Request settings from an operation's (or the trigger's) options collection. */
export function clientSettingsFromOptions(
	credentialType: SymphonyCredentialType,
	options: IDataObject,
): ClientSettings {
	const retry = ((options.retry as IDataObject | undefined)?.settings ?? {}) as IDataObject;
	return {
		credentialType,
		retry: {
			maxAttempts: parseWholeNumber('Max Attempts', retry.maxAttempts, 1, 20, DEFAULT_MAX_ATTEMPTS),
			maxWaitMs: parseWholeNumber('Max Wait (Seconds)', retry.maxWaitSeconds, 0, 600, DEFAULT_MAX_WAIT_SECONDS) * 1000,
		},
		timeoutMs: parseWholeNumber('Timeout (Seconds)', options.timeoutSeconds, 1, 300, DEFAULT_TIMEOUT_SECONDS) * 1000,
		requestsPerSecond: parseRequestsPerSecond(options.requestsPerSecond),
	};
}
