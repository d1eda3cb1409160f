import { ParameterError } from '../errors';

/**
 * Text and MessageML as Symphony's Agent takes them (its MessageML parser's rules, in
 * shared/symphony-messaging.md §4-§5), checked before anything is sent so that a message the
 * Agent would refuse never leaves the node.
 */

/** About 60,000 plain characters fit in Symphony's 81,130 characters of encrypted markdown. */
export const MAX_TEXT_CHARACTERS = 60_000;
/** Symphony's limit for `message` and `data` together. */
export const MAX_MESSAGE_BYTES = 1.5 * 1024 * 1024;

// eslint-disable-next-line no-control-regex -- the characters Symphony refuses in a message
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** `&` first; `$` and `#` because `${` and `#{` start Freemarker, which the Agent runs on messages. */
const ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&apos;',
	$: '&#36;',
	'#': '&#35;',
};

function refuseControlCharacter(field: string, value: string): void {
	const found = CONTROL_CHARACTER.exec(value);
	if (!found) return;
	const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
	throw new ParameterError(
		field,
		value,
		`contains the control character U+${code} at position ${found.index + 1}, which Symphony refuses in a message`,
		"Remove it, e.g. with {{ $json.text.replace(/[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]/g, '') }}; line breaks and tabs are fine",
	);
}

/** Symphony's limit of entities (tags and mentions) in one message. */
export const MAX_ENTITIES = 80;

/**
 * `@` and an email address, not inside a word or another address: `@carol@globex.example`. The
 * address ends before a final dot, so a sentence may end with one.
 */
const EMAIL_MENTION = /(^|[^\w.@+%-])@([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})(?![\w-])/g;

export interface TextOptions {
	/** `@email` becomes a mention of that person (`<mention email="…"/>`). */
	mentionEmails?: boolean;
}

/**
 * Plain text as MessageML that shows exactly that text: every special character escaped, line
 * breaks kept as `<br/>`, wrapped in `<messageML>`; with `mentionEmails`, `@` before an email
 * address mentions that person. Refuses what cannot be sent: an empty text, control characters,
 * more than Symphony's limit of characters or mentions.
 */
export function textToMessageML(field: string, value: unknown, options: TextOptions = {}): string {
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw new ParameterError(field, value, 'is not text', 'Enter the message text, or an expression that gives text, e.g. {{ $json.message }}');
	}
	const text = String(value);
	if (text.trim() === '') throw new ParameterError(field, value, 'is empty', 'Enter the message text; Symphony does not send empty messages');
	refuseControlCharacter(field, text);
	const characters = [...text].length;
	if (characters > MAX_TEXT_CHARACTERS) {
		throw new ParameterError(
			field,
			value,
			`is ${characters.toLocaleString('en-US')} characters long, more than Symphony's limit of about ${MAX_TEXT_CHARACTERS.toLocaleString('en-US')}`,
			'Shorten it, or split it over several messages',
		);
	}
	let escaped = text.replace(/[&<>"'$#]/g, (char) => ESCAPES[char]).replace(/\r\n|\r|\n/g, '<br/>');
	if (options.mentionEmails) {
		// Escaping leaves addresses as they are: none of their characters is special in MessageML.
		let mentions = 0;
		escaped = escaped.replace(EMAIL_MENTION, (_, before: string, email: string) => {
			mentions++;
			return `${before}<mention email="${email}"/>`;
		});
		if (mentions > MAX_ENTITIES) {
			throw new ParameterError(
				field,
				value,
				`mentions ${mentions} people, more than Symphony's limit of ${MAX_ENTITIES} mentions in one message`,
				'Mention fewer people, or split the message',
			);
		}
	}
	return `<messageML>${escaped}</messageML>`;
}

/** MessageML as written, checked for what Symphony would refuse before parsing it. */
export function parseMessageML(field: string, value: unknown): string {
	const fix = 'Enter MessageML such as <messageML>Hello <b>desk</b></messageML>, or pick Text to send plain text';
	if (typeof value !== 'string' || value.trim() === '') throw new ParameterError(field, value, 'is empty', fix);
	if (!/^\s*<messageML[\s>/]/.test(value)) throw new ParameterError(field, value, 'does not start with <messageML>', fix);
	refuseControlCharacter(field, value);
	const bytes = Buffer.byteLength(value);
	if (bytes > MAX_MESSAGE_BYTES) {
		throw new ParameterError(field, value, `is ${bytes.toLocaleString('en-US')} bytes, more than Symphony's limit of 1.5 MB`, 'Shorten it, or split it over several messages');
	}
	return value;
}

const INVALID_JSON = Symbol('invalid JSON');

function parseJsonOrInvalid(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return INVALID_JSON;
	}
}

/**
 * The message's EntityJSON (Symphony's `data` field, for `data-entity-id` elements): a JSON object,
 * given as one or as its text. Returned as the text to send.
 */
export function parseEntityData(field: string, value: unknown): string {
	const fix = 'Enter a JSON object whose keys are the data-entity-id values of your MessageML, e.g. {"quote": {"type": "com.acme.quote", "price": 101.5}}';
	let parsed: unknown = value;
	if (typeof value === 'string') {
		parsed = parseJsonOrInvalid(value);
		if (parsed === INVALID_JSON) throw new ParameterError(field, value, 'is not valid JSON', fix);
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ParameterError(field, value, 'is not a JSON object', fix);
	return typeof value === 'string' ? value : JSON.stringify(parsed);
}

/** The message and its data together stay within Symphony's 1.5 MB. */
export function checkMessageSize(field: string, message: string, data: string | undefined): void {
	const bytes = Buffer.byteLength(message) + Buffer.byteLength(data ?? '');
	if (bytes > MAX_MESSAGE_BYTES) {
		throw new ParameterError(
			field,
			message,
			`and its entity data are ${bytes.toLocaleString('en-US')} bytes together, more than Symphony's limit of 1.5 MB`,
			'Shorten the message or its entity data, or split it over several messages',
		);
	}
}

/** The Message Format field's values. */
export type MessageFormat = 'text' | 'messageML';

/**
 * A message's content as the Message Format, Text and MessageML fields and their options give it:
 * the MessageML to send, its EntityJSON (MessageML only; the empty object the field starts with
 * sends none), and what was asked to send (the text, or the MessageML) for the output.
 */
export function parseMessageContent(
	format: MessageFormat,
	value: unknown,
	options: { entityData?: unknown; mentionEmails?: unknown } = {},
): { message: string; data?: string; text: string } {
	if (format === 'messageML') {
		const message = parseMessageML('MessageML', value);
		const { entityData } = options;
		const none = entityData === undefined || entityData === '' || (typeof entityData === 'string' && /^\s*\{\s*\}\s*$/.test(entityData));
		const data = none ? undefined : parseEntityData('Entity Data (JSON)', entityData);
		checkMessageSize('MessageML', message, data);
		return { message, ...(data !== undefined && { data }), text: String(value) };
	}
	return { message: textToMessageML('Text', value, { mentionEmails: options.mentionEmails === true }), text: String(value) };
}
