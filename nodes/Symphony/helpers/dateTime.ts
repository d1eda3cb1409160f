import { ParameterError } from '../errors';

/** Symphony's times are epoch milliseconds; a whole number this small is taken as seconds. */
const SECONDS_BELOW = 100_000_000_000;

/** An ISO 8601 date and time without an offset, as n8n's date picker writes it. */
const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/** How far `timeZone`'s wall clock is ahead of UTC at `epochMs`, in milliseconds. */
function offsetAt(epochMs: number, timeZone: string): number {
	const format = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	});
	const parts = Object.fromEntries(format.formatToParts(new Date(epochMs)).map((part) => [part.type, Number(part.value)]));
	const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
	return wall - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/** A wall-clock time without an offset, read in `timeZone` (or the server's zone); NaN when it is no date. */
function parseLocalIso(text: string, timeZone: string | undefined): number {
	const match = LOCAL_ISO.exec(text);
	if (!match) return Date.parse(text);
	const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part))) as number[];
	const ms = match[7] === undefined ? 0 : Number(match[7].padEnd(3, '0'));
	const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
	const check = new Date(asUtc);
	if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return NaN;
	if (timeZone === undefined) return new Date(year, month - 1, day, hour, minute, second, ms).getTime();
	try {
		// Twice: the offset at the first guess can differ from the offset at the answer (a change of daylight saving time between).
		const guess = asUtc - offsetAt(asUtc, timeZone);
		return asUtc - offsetAt(guess, timeZone);
	} catch {
		// An unknown time zone name: the server's.
		return new Date(year, month - 1, day, hour, minute, second, ms).getTime();
	}
}

/**
 * A point in time as a Date & Time field gives it (an ISO 8601 text; without an offset it is read in
 * `timeZone`, the workflow's, as n8n's date picker shows it), or as mapped from an item: epoch
 * milliseconds (or seconds), a Date, or a Luxon DateTime. Returns epoch milliseconds.
 */
export function parseDateTime(field: string, value: unknown, timeZone?: string): number {
	const fix = 'Pick a date and time, or map one such as 2026-03-01T09:00:00Z or epoch milliseconds (1772355600000)';
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		throw new ParameterError(field, value, 'is empty', fix);
	}
	let ms: number;
	if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+\s*$/.test(value))) {
		const number = Number(value);
		ms = Number.isInteger(number) && number < SECONDS_BELOW ? number * 1000 : number;
	} else if (typeof value === 'string') {
		ms = /^\s*\d{4}-\d{2}-\d{2}/.test(value) ? parseLocalIso(value.trim(), timeZone) : NaN;
	} else if (value instanceof Date) {
		ms = value.getTime();
	} else if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		ms = Number((value as { toMillis: () => unknown }).toMillis());
	} else {
		ms = NaN;
	}
	if (!Number.isInteger(ms) || ms < 0) throw new ParameterError(field, value, 'is not a date and time', fix);
	return ms;
}
