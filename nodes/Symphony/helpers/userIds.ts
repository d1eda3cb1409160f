import { ParameterError } from '../errors';

/**
 * Symphony user IDs are int64. They are handled as decimal digit strings from the parameter to the
 * wire so that no ID ever passes through a JavaScript number and loses digits.
 */

export const MAX_INT64 = 9223372036854775807n;
export const MAX_IDS_PER_FIELD = 10_000;

/**
 * How many users one field may hold, and what to do about more: per item for the action nodes, whose
 * input can be split across items; a trigger has no input and says its own (see trigger/parameters.ts).
 */
export interface UserListLimit {
	max: number;
	/** Where the limit applies, for the message: ' in one item' for the action nodes. */
	scope: string;
	/** What the message about more than `max` tells the user to do. */
	fix: string;
}
const ID_EXAMPLE = 'e.g. 7215545078541';
const SEPARATORS = /[\s,;]+/;

/** Returns the canonical digit string for one ID token, or a reason it is not an ID. */
function canonicalId(token: string): string | { problem: string; fix: string } {
	if (!/^\d+$/.test(token)) {
		if (/^[+-]?\d*\.\d+$|^[+-]?\d+(\.\d*)?e[+-]?\d+$/i.test(token) || /^-\d+$/.test(token)) {
			return {
				problem: 'is not a whole positive number',
				fix: `Use the user's numeric Symphony ID, written out in full (${ID_EXAMPLE})`,
			};
		}
		return {
			problem: 'is not a Symphony user ID',
			fix: `Use numeric user IDs (${ID_EXAMPLE}), separated by commas, spaces or new lines`,
		};
	}
	const digits = token.replace(/^0+(?=\d)/, '');
	if (digits === '0') {
		return { problem: 'is not a valid user ID (IDs start at 1)', fix: `Use the user's Symphony ID (${ID_EXAMPLE})` };
	}
	if (digits.length > 19 || BigInt(digits) > MAX_INT64) {
		return {
			problem: 'is larger than any Symphony user ID (int64)',
			fix: `Check that the value is a user ID (${ID_EXAMPLE}) and not, for example, two IDs run together`,
		};
	}
	return digits;
}

/**
 * An ID above 2^53 that arrives as a number was rounded when the item was made: converting it
 * here (String(), toString()) only writes out the rounded number, another user's ID. So the advice
 * points at where the item is produced and suggests no expression.
 */
export const LARGE_NUMBER_PROBLEM =
	'arrived as a number too large for JavaScript to hold exactly, so its last digits were already lost before this node';
export const LARGE_NUMBER_FIX =
	'Converting it to text now cannot bring them back. Make the ID text where the item is produced: ' +
	'in a Code or Set node write it in quotes, e.g. "9007199254740993"; ' +
	'in an HTTP Request set Options → Response → Response Format to Text and take the digits from the text; ' +
	'in a spreadsheet format the ID column as text';

function idFromNumber(field: string, value: number): string {
	if (!Number.isFinite(value) || !Number.isInteger(value) || value <= 0) {
		throw new ParameterError(
			field,
			value,
			'is not a whole positive number',
			`Use the user's numeric Symphony ID (${ID_EXAMPLE})`,
		);
	}
	if (!Number.isSafeInteger(value)) {
		throw new ParameterError(field, value, LARGE_NUMBER_PROBLEM, LARGE_NUMBER_FIX);
	}
	return String(value);
}

function collect(field: string, value: unknown, out: string[], depth: number): void {
	if (value === null || value === undefined) {
		throw new ParameterError(field, value, 'is empty', `Enter at least one user ID (${ID_EXAMPLE})`);
	}
	if (typeof value === 'number') {
		out.push(idFromNumber(field, value));
	} else if (typeof value === 'bigint') {
		const id = canonicalId(value.toString());
		if (typeof id !== 'string') throw new ParameterError(field, value, id.problem, id.fix);
		out.push(id);
	} else if (typeof value === 'string') {
		for (const token of value.split(SEPARATORS)) {
			if (token === '') continue;
			const id = canonicalId(token);
			if (typeof id !== 'string') throw new ParameterError(field, token, id.problem, id.fix);
			out.push(id);
		}
	} else if (Array.isArray(value)) {
		if (depth > 0) {
			throw new ParameterError(
				field,
				value,
				'is a list inside a list',
				'Pass a flat list of IDs, e.g. {{ $json.ids.flat() }}',
			);
		}
		for (const element of value) collect(field, element, out, depth + 1);
	} else {
		throw new ParameterError(
			field,
			value,
			'is not a user ID or a list of user IDs',
			'Map a field that holds the IDs, e.g. {{ $json.userId }}, not a whole object',
		);
	}
}

/**
 * Reads one or many user IDs from a parameter value: a number, a digit string, an array, or text
 * separated by commas, spaces, semicolons or new lines (as pasted from a spreadsheet).
 * Returns canonical digit strings in input order, duplicates removed.
 */
export function parseUserIds(
	field: string,
	value: unknown,
	limit: UserListLimit = { max: MAX_IDS_PER_FIELD, scope: ' in one item', fix: 'Split the list across several input items; the node still sends them in as few requests as possible' },
): string[] {
	const ids: string[] = [];
	collect(field, value, ids, 0);
	if (ids.length === 0) {
		throw new ParameterError(field, value, 'holds no user ID', `Enter at least one user ID (${ID_EXAMPLE})`);
	}
	const unique = [...new Set(ids)];
	if (unique.length > limit.max) {
		throw new ParameterError(field, `${unique.length} IDs`, `is more than ${limit.max} IDs${limit.scope}`, limit.fix);
	}
	return unique;
}

/** Reads exactly one user ID. */
export function parseUserId(field: string, value: unknown): string {
	const ids = parseUserIds(field, value);
	if (ids.length > 1) {
		throw new ParameterError(
			field,
			value,
			'holds more than one user ID',
			'Give one ID per item; to read several users, send one item per user (Register Interest outputs exactly that)',
		);
	}
	return ids[0];
}

/** The register body: a JSON array written from the digit strings, so no ID becomes a JS number. */
export function userIdsToJsonArray(ids: readonly string[]): string {
	return `[${ids.join(',')}]`;
}

/** Reads a user ID out of a Symphony response: a safe number or a digit string (from the lossless parser). */
export function userIdFromResponse(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
	if (typeof value === 'string' && /^\d{1,19}$/.test(value)) return value.replace(/^0+(?=\d)/, '');
	return undefined;
}

/** Bits of a user ID below the tenant (pod) number: Symphony packs the tenant into the upper bits. */
const TENANT_SHIFT = 36n;

/**
 * The tenant (pod) a user belongs to, from the ID alone (`userId >> 36`), as a digit string.
 * Two users share a pod, and so see each other's presence without registering, when these match.
 */
export function tenantOfUserId(userId: string): string {
	return (BigInt(userId) >> TENANT_SHIFT).toString();
}
