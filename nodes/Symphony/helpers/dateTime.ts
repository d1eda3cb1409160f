import { ParameterError } from '../errors';

/** Symphony's times are epoch milliseconds; a whole number this small is taken as seconds. */
const SECONDS_BELOW = 100_000_000_000;

/**
 * A point in time as a Date & Time field gives it (an ISO 8601 text; without an offset it is read in
 * the n8n server's time zone), or as mapped from an item: epoch milliseconds (or seconds), a Date,
 * or a Luxon DateTime. Returns epoch milliseconds.
 */
export function parseDateTime(field: string, value: unknown): number {
	const fix = 'Pick a date and time, or map one such as 2026-03-01T09:00:00Z or epoch milliseconds (1772355600000)';
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		throw new ParameterError(field, value, 'is empty', fix);
	}
	let ms: number;
	if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+\s*$/.test(value))) {
		const number = Number(value);
		ms = Number.isInteger(number) && number < SECONDS_BELOW ? number * 1000 : number;
	} else if (typeof value === 'string') {
		ms = /^\s*\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value.trim()) : NaN;
	} else if (value instanceof Date) {
		ms = value.getTime();
	} else if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		ms = Number((value as { toMillis: () => unknown }).toMillis());
	} else {
		ms = NaN;
	}
	if (!Number.isInteger(ms) || ms < 0 || !Number.isFinite(ms)) throw new ParameterError(field, value, 'is not a date and time', fix);
	return ms;
}
