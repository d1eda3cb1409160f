import { ParameterError } from '../errors';
import { parseUserIds } from './userIds';

/**
 * Stream and message IDs. Symphony's API takes them URL-safe (Base64 with `-` and `_`, no `=`);
 * its client shows them in standard Base64 (`+`, `/`, `=` padding). Either form is accepted and
 * sent URL-safe, as Symphony's Java BDK does.
 */

const ANY_BASE64 = /^[A-Za-z0-9+/_-]+=*$/;

export function toUrlSafeId(id: string): string {
	return id.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const STREAM_FIX = 'Enter a stream ID as Symphony shows it, e.g. lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA== (from the conversation\'s details, or the streamId of a sent message)';
const MESSAGE_FIX = 'Enter a message ID as Symphony gives it, e.g. the messageId of a sent message or of Message → Get Many (either form: with + / = or with - _)';

/** One Base64 ID (a stream or a message) as pasted, spaces around it ignored, URL-safe. */
function parseBase64Id(field: string, value: unknown, what: string, fix: string): string {
	const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
	if (text === undefined || text === '') throw new ParameterError(field, value, 'is empty', fix);
	if (!ANY_BASE64.test(text) || (/[+/]/.test(text) && /[_-]/.test(text))) throw new ParameterError(field, value, `is not ${what}`, fix);
	const id = toUrlSafeId(text);
	if (id.length < 8) throw new ParameterError(field, value, `is too short to be ${what}`, fix);
	return id;
}

/** A stream ID as pasted (either form, spaces around it ignored), URL-safe. */
export function parseStreamId(field: string, value: unknown): string {
	return parseBase64Id(field, value, 'a stream ID', STREAM_FIX);
}

/** A message ID as pasted (either form, spaces around it ignored), URL-safe. */
export function parseMessageId(field: string, value: unknown): string {
	return parseBase64Id(field, value, 'a message ID', MESSAGE_FIX);
}

/** The most stream IDs one item may name for Send to Many (sent 100 per request). */
export const MAX_STREAM_IDS_PER_ITEM = 10_000;

/**
 * Several stream IDs: a list, or text separated by commas, semicolons, spaces or new lines (no
 * form of Base64 holds those). Each in either form, returned URL-safe, in order, duplicates
 * (also the same stream in both forms) removed.
 */
export function parseStreamIds(field: string, value: unknown): string[] {
	const pieces: unknown[] = [];
	const collect = (entry: unknown, depth: number): void => {
		if (Array.isArray(entry)) {
			if (depth > 0) throw new ParameterError(field, value, 'is a list inside a list', 'Pass a flat list of stream IDs, e.g. {{ $json.streamIds.flat() }}');
			for (const inner of entry) collect(inner, depth + 1);
		} else if (typeof entry === 'string') {
			pieces.push(...entry.split(/[\s,;]+/).filter((piece) => piece !== ''));
		} else if (entry !== null && entry !== undefined) {
			throw new ParameterError(field, value, 'is not a stream ID or a list of stream IDs', 'Map a field that holds the stream IDs, e.g. {{ $json.streamId }}, not a whole object');
		}
	};
	collect(value, 0);
	if (pieces.length === 0) throw new ParameterError(field, value, 'holds no stream ID', `${STREAM_FIX}; several separated by commas`);
	const ids = [...new Set(pieces.map((piece) => parseBase64Id(field, piece, 'a stream ID', STREAM_FIX)))];
	if (ids.length > MAX_STREAM_IDS_PER_ITEM) {
		throw new ParameterError(field, `${ids.length} IDs`, `is more than ${MAX_STREAM_IDS_PER_ITEM} stream IDs in one item`, 'Split the list across several input items');
	}
	return ids;
}

/** The most people in one IM or group chat (Symphony's Create IM); more need a room. */
export const MAX_CONVERSATION_PEOPLE = 15;

/**
 * The people of one IM or group chat: user IDs as `parseUserIds` takes them, at most
 * MAX_CONVERSATION_PEOPLE. `instead` is the fix the operation offers for more people.
 */
export function parseConversationUserIds(field: string, value: unknown, instead: string): string[] {
	const userIds = parseUserIds(field, value);
	if (userIds.length > MAX_CONVERSATION_PEOPLE) {
		throw new ParameterError(field, `${userIds.length} IDs`, `is more than ${MAX_CONVERSATION_PEOPLE} people for one conversation`, instead);
	}
	return userIds;
}
