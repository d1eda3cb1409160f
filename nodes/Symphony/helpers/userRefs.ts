import { ParameterError, showValue } from '../errors';
import { parseUserId, parseUserIds, type UserListLimit } from './userIds';

/**
 * Users named the way people know them: by Symphony ID, email address or username. Parsing only;
 * turning emails and usernames into IDs is `resolveUsers` in api/users.ts.
 */

/** How users are named in a parameter: the value of the "Identify Users By" field. */
export type IdentifyBy = 'id' | 'email' | 'username';

export const MAX_REFS_PER_FIELD = 10_000;
const EMAIL_EXAMPLE = 'e.g. jane.doe@acme.com';
const USERNAME_EXAMPLE = 'e.g. jane.doe';
const SEPARATORS = /[\s,;]+/;
/** One address: no spaces, quotes or list punctuation, one @, a dot in the domain. */
const EMAIL = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:.][^\s@<>()[\]",;:]*$/;
const MAX_USERNAME_LENGTH = 256;

const KIND = {
	email: { noun: 'email address', nounWithArticle: 'an email address', example: EMAIL_EXAMPLE },
	username: { noun: 'username', nounWithArticle: 'a username', example: USERNAME_EXAMPLE },
};

/** The item-level key an email or username is matched by: addresses and usernames ignore case. */
export function userRefKey(identifyBy: IdentifyBy, ref: string): string {
	return identifyBy === 'id' ? ref : ref.toLowerCase();
}

/**
 * Splits pasted text into tokens. `Jane Doe <jane@acme.com>` (as copied from a mail client) and
 * `mailto:` links give the bare address.
 */
function tokensOf(identifyBy: 'email' | 'username', text: string): string[] {
	const unwrapped =
		identifyBy === 'email'
			? text.replace(/"[^"]*"\s*(?=<)/g, ' ').replace(/[^,;<>\n]*<([^<>]*)>/g, ' $1 ')
			: text;
	return unwrapped.split(SEPARATORS).filter((token) => token !== '');
}

/** Control characters (U+0000 to U+001F) and angle brackets, which no Symphony username contains. */
function hasCharOutsideUsernames(token: string): boolean {
	for (let i = 0; i < token.length; i++) {
		const code = token.charCodeAt(i);
		if (code <= 0x1f || code === 0x3c || code === 0x3e) return true;
	}
	return false;
}

function canonicalRef(field: string, identifyBy: 'email' | 'username', token: string): string {
	if (identifyBy === 'email') {
		const address = token.replace(/^mailto:/i, '').toLowerCase();
		if (!EMAIL.test(address)) {
			throw new ParameterError(
				field,
				token,
				'is not an email address',
				`Enter complete addresses (${EMAIL_EXAMPLE}), separated by commas, spaces or new lines`,
			);
		}
		return address;
	}
	if (token.length > MAX_USERNAME_LENGTH || hasCharOutsideUsernames(token)) {
		throw new ParameterError(
			field,
			token,
			'is not a Symphony username',
			`Enter usernames as shown in the user's Symphony profile (${USERNAME_EXAMPLE}), separated by commas, spaces or new lines`,
		);
	}
	return token;
}

function collect(field: string, identifyBy: 'email' | 'username', value: unknown, out: string[], depth: number): void {
	const { noun, nounWithArticle, example } = KIND[identifyBy];
	if (value === null || value === undefined) {
		throw new ParameterError(field, value, 'is empty', `Enter at least one ${noun} (${example})`);
	}
	if (typeof value === 'string') {
		for (const token of tokensOf(identifyBy, value)) out.push(canonicalRef(field, identifyBy, token));
	} else if (Array.isArray(value)) {
		if (depth > 0) {
			throw new ParameterError(field, value, 'is a list inside a list', `Pass a flat list, e.g. {{ $json.${identifyBy}s.flat() }}`);
		}
		for (const element of value) collect(field, identifyBy, element, out, depth + 1);
	} else {
		throw new ParameterError(
			field,
			value,
			`is not ${nounWithArticle} or a list of them`,
			`Map a field that holds the ${noun}, e.g. {{ $json.${identifyBy} }}, not a whole object or a number`,
		);
	}
}

/**
 * Reads one or many users from a parameter value, named as `identifyBy` says: text separated by
 * commas, spaces, semicolons or new lines, or a list from an expression. Emails are trimmed and
 * lower-cased; usernames are trimmed and keep their case; IDs follow `parseUserIds`. Returns the
 * canonical values in input order, duplicates removed (emails and usernames ignoring case).
 */
export function parseUserRefs(identifyBy: IdentifyBy, field: string, value: unknown, limit?: UserListLimit): string[] {
	if (identifyBy === 'id') return parseUserIds(field, value, limit);
	const { noun, example } = KIND[identifyBy];
	const refs: string[] = [];
	collect(field, identifyBy, value, refs, 0);
	if (refs.length === 0) {
		throw new ParameterError(field, value, `holds no ${noun}`, `Enter at least one ${noun} (${example})`);
	}
	const unique = new Map<string, string>();
	for (const ref of refs) if (!unique.has(userRefKey(identifyBy, ref))) unique.set(userRefKey(identifyBy, ref), ref);
	const { max, scope, fix } = limit ?? {
		max: MAX_REFS_PER_FIELD,
		scope: ' in one item',
		fix: 'Split the list across several input items; the node still looks them up in as few requests as possible',
	};
	if (unique.size > max) throw new ParameterError(field, `${unique.size} values`, `is more than ${max} users${scope}`, fix);
	return [...unique.values()];
}

/** Reads exactly one user, named as `identifyBy` says. */
export function parseUserRef(identifyBy: IdentifyBy, field: string, value: unknown): string {
	if (identifyBy === 'id') return parseUserId(field, value);
	const refs = parseUserRefs(identifyBy, field, value);
	if (refs.length > 1) {
		throw new ParameterError(
			field,
			value,
			`holds ${refs.length} users (${showValue(refs.slice(0, 3).join(', '))}${refs.length > 3 ? ', …' : ''})`,
			'Give one user per item; to work on several users, send one item per user',
		);
	}
	return refs[0];
}

/** Reads the "Identify Users By" choice; only a hand-edited workflow can hold anything else. */
export function parseIdentifyBy(value: unknown): IdentifyBy {
	if (value === 'id' || value === 'email' || value === 'username') return value;
	throw new ParameterError('Identify Users By', value, 'is not one of the choices', 'Pick ID, Email or Username');
}
