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

/** A stream ID as pasted (either form, spaces around it ignored), URL-safe. */
export function parseStreamId(field: string, value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
	const fix = 'Enter a stream ID as Symphony shows it, e.g. lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA== (from the conversation\'s details, or the streamId of a sent message)';
	if (text === undefined || text === '') throw new ParameterError(field, value, 'is empty', fix);
	if (!ANY_BASE64.test(text) || (/[+/]/.test(text) && /[_-]/.test(text))) throw new ParameterError(field, value, 'is not a stream ID', fix);
	const id = toUrlSafeId(text);
	if (id.length < 8) throw new ParameterError(field, value, 'is too short to be a stream ID', fix);
	return id;
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
