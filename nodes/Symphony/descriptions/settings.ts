import type { IDataObject } from 'n8n-workflow';

import { ParameterError } from '../errors';
import {
	DEFAULT_MAX_ATTEMPTS,
	DEFAULT_MAX_WAIT_SECONDS,
	DEFAULT_TIMEOUT_SECONDS,
} from '../transport/retryPolicy';
import { DEFAULT_REQUESTS_PER_SECOND, MAX_REQUESTS_PER_SECOND } from '../transport/pacing';
import type { ClientSettings, SymphonyCredentialType } from '../transport';

/** Reads a whole-number option, with a message naming the field when it is out of range. */
export function readWholeNumber(
	field: string,
	value: unknown,
	min: number,
	max: number,
	fallback: number,
	fix = `Enter a number from ${min} to ${max}`,
): number {
	if (value === undefined || value === null || value === '') return fallback;
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		throw new ParameterError(field, value, `is not a whole number from ${min} to ${max}`, fix);
	}
	return number;
}

/** The request-rate ceiling; the fix names Symphony's own limit, which is what the number is about. */
function readRequestsPerSecond(value: unknown): number {
	return readWholeNumber(
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
			maxAttempts: readWholeNumber('Max Attempts', retry.maxAttempts, 1, 20, DEFAULT_MAX_ATTEMPTS),
			maxWaitMs: readWholeNumber('Max Wait (Seconds)', retry.maxWaitSeconds, 0, 600, DEFAULT_MAX_WAIT_SECONDS) * 1000,
		},
		timeoutMs: readWholeNumber('Timeout (Seconds)', options.timeoutSeconds, 1, 300, DEFAULT_TIMEOUT_SECONDS) * 1000,
		requestsPerSecond: readRequestsPerSecond(options.requestsPerSecond),
	};
}
