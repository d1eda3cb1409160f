/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- development code, never packed: its secrets are fakes for the simulator */
import { randomBytes } from 'node:crypto';

import { error, int64, type ParsedRequest, type PodSimulator, type Reply } from '../index';
import { simLoginOf } from './login';

/**
 * The key manager (`/relay`) and the Agent's messages (`/agent`) on the simulator's host, with the
 * pod's IM creation, as Symphony documents them (shared/symphony-messaging.md §1-§5):
 * - `POST /relay/pubkey/authenticate` takes the bot's login JWT and answers `{token, name}`;
 * - Agent calls need `sessionToken` and `keyManagerToken` (an OBO session needs no key manager token);
 * - Create Message v4 is multipart/form-data (`message`, optional `data`, `version`, attachments),
 *   its MessageML checked as the Agent's parser does (root tag, well-formed XML, entities,
 *   Freemarker markers, control characters, limits) with a 400 and a message; Blast and Update take
 *   the same fields, attachments included (every stream of a Blast gets them);
 * - `POST /pod/v1/im/create` answers the existing IM for the same participants;
 * - stream and message IDs are URL-safe Base64 without padding.
 */

export const DEFAULT_KEY_MANAGER_TOKEN = 'sim-km-0c4e8a1f93b27d65';
/**
 * The desk's room, which the caller is in from the start (examples/daily-availability-to-room.json
 * posts there). URL-safe form; Symphony's client shows it as lJai2OG/1uf4SuQvZN9Y3n//v8QY/3qOdQ==.
 */
export const DESK_ROOM_ID = 'lJai2OG_1uf4SuQvZN9Y3n__v8QY_3qOdQ';
/** About 60,000 plain characters fit in Symphony's 81,130 characters of encrypted markdown. */
export const MAX_TEXT_LENGTH = 60_000;
export const MAX_ENTITIES = 80;
/** `message` plus `data`. */
export const MAX_PAYLOAD_BYTES = 1.5 * 1024 * 1024;
/** The most streams of one Blast. */
export const MAX_BLAST_STREAMS = 100;
/** The largest page of List Messages. */
export const MAX_LIST_LIMIT = 500;
/** The privilege of the Content Management role that Suppress needs. */
export const SUPPRESS_PRIVILEGE = 'SUPPRESS_MESSAGE';

export interface SimStream {
	id: string;
	type: 'IM' | 'MIM' | 'ROOM';
	/** User IDs (digit strings). */
	members: string[];
}

export interface SimAttachment {
	name: string;
	contentType?: string;
	size: number;
	data: Buffer;
}

export interface SimMessage {
	messageId: string;
	streamId: string;
	timestamp: number;
	userId: string;
	/** The `message` field exactly as received. */
	messageML: string;
	/** What a reader sees: tags dropped, `<br/>` as a line break, entities decoded. */
	text: string;
	data?: string;
	/** The `attachment` parts as received: file name, media type and bytes. */
	attachments: SimAttachment[];
	/** Set by Update: the ID of the version this one replaced, and of the first version. */
	replacing?: string;
	initialMessageId?: string;
	/** Set by Suppress (simulator clock). */
	suppressedAt?: number;
}

export class SimMessaging {
	/** Key manager tokens: the user they belong to and when they end (simulator clock). */
	readonly keyManagerTokens = new Map<string, { userId: string; expiresAt?: number }>();
	readonly streams = new Map<string, SimStream>();
	readonly messages = new Map<string, SimMessage[]>();
	readonly keyManagerLogins: Array<{ subject?: string; status: number }> = [];
	/** Key manager tokens issued by a login, in order. */
	readonly issued: string[] = [];
	/** Every update carried out, in order, with whether it was silent. */
	readonly updates: Array<{ messageId: string; silent: boolean }> = [];
	/** Called after every message stored (datafeeds turn them into MESSAGESENT events). */
	readonly messageListeners: Array<(message: SimMessage, stream: SimStream) => void> = [];

	constructor(private readonly sim: PodSimulator) {
		this.keyManagerTokens.set(DEFAULT_KEY_MANAGER_TOKEN, { userId: sim.callerId });
		this.addStream({ id: DESK_ROOM_ID, type: 'ROOM', members: [sim.callerId] });
	}

	/** A new stream ID: 24 random bytes, URL-safe Base64 without padding (32 characters). */
	newId(): string {
		return randomBytes(24).toString('base64url');
	}

	addStream(stream: SimStream): SimStream {
		this.streams.set(stream.id, stream);
		return stream;
	}

	/** Stores a message as if the user had sent it (tests set the time and text). */
	addMessage(message: Omit<SimMessage, 'messageId' | 'attachments' | 'messageML'> & { messageId?: string }): SimMessage {
		const stored: SimMessage = { messageId: this.newId(), attachments: [], messageML: `<messageML>${escapeXml(message.text)}</messageML>`, ...message };
		this.messages.set(stored.streamId, [...this.messagesIn(stored.streamId), stored].sort((a, b) => a.timestamp - b.timestamp));
		return stored;
	}

	/** A stored message by ID, wherever it is. */
	findMessage(messageId: string): SimMessage | undefined {
		for (const messages of this.messages.values()) {
			const found = messages.find((m) => m.messageId === messageId);
			if (found) return found;
		}
		return undefined;

	}

	/** Stores a message and tells the listeners. */
	store(message: SimMessage, stream: SimStream): void {
		this.messages.set(message.streamId, [...this.messagesIn(message.streamId), message]);
		for (const listener of this.messageListeners) listener(message, stream);
	}

	messagesIn(streamId: string): SimMessage[] {
		return this.messages.get(streamId) ?? [];
	}

	/** Every message stored, in order. */
	allMessages(): SimMessage[] {
		return [...this.messages.values()].flat().sort((a, b) => a.timestamp - b.timestamp);
	}

	/** Ends every key manager session issued by a login, as if its lifetime had passed. */
	expireKeyManagerSessions(): void {
		for (const token of this.issued) {
			const entry = this.keyManagerTokens.get(token);
			if (entry) entry.expiresAt = this.sim.now();
		}
	}

	/** The IM for exactly these participants, created when there is none. */
	imFor(participants: string[]): SimStream {
		const members = [...new Set(participants)].sort();
		for (const stream of this.streams.values()) {
			if (stream.type !== 'ROOM' && stream.members.length === members.length && [...stream.members].sort().every((m, i) => m === members[i])) return stream;
		}
		return this.addStream({ id: this.newId(), type: members.length > 2 ? 'MIM' : 'IM', members });
	}
}

const messagings = new WeakMap<PodSimulator, SimMessaging>();

export function simMessagingOf(sim: PodSimulator): SimMessaging {
	let messaging = messagings.get(sim);
	if (!messaging) {
		messaging = new SimMessaging(sim);
		messagings.set(sim, messaging);
	}
	return messaging;
}

// ---- multipart/form-data ----

export interface FormPart {
	name: string;
	filename?: string;
	contentType?: string;
	data: Buffer;
}

/** Splits a multipart/form-data body into its parts; undefined when it is not one. */
export function parseMultipart(contentType: string | undefined, raw: Buffer): FormPart[] | undefined {
	const match = /^multipart\/form-data\s*;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
	if (!match) return undefined;
	const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
	const parts: FormPart[] = [];
	let start = raw.indexOf(delimiter);
	if (start < 0) return undefined;
	for (;;) {
		const afterDelimiter = start + delimiter.length;
		if (raw.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts;
		const headerStart = afterDelimiter + 2; // CRLF
		const headerEnd = raw.indexOf('\r\n\r\n', headerStart);
		if (headerEnd < 0) return undefined;
		const next = raw.indexOf(delimiter, headerEnd + 4);
		if (next < 0) return undefined;
		const headers = raw.subarray(headerStart, headerEnd).toString('utf8');
		const disposition = /content-disposition:\s*form-data\s*;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
		const name = /(?:^|;)\s*name="([^"]*)"/.exec(disposition)?.[1];
		if (name === undefined) return undefined;
		const filename = /filename="([^"]*)"/.exec(disposition)?.[1];
		const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
		parts.push({ name, filename, contentType: type, data: raw.subarray(headerEnd + 4, next - 2) });
		start = next;
	}
}

// ---- MessageML ----

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|([a-zA-Z]+));/g;
const TAG = /<(\/?)([a-zA-Z][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;

function decodeEntities(text: string): string {
	return text.replace(ENTITY, (_, dec: string, hex: string, name: string) =>
		dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : NAMED_ENTITIES[name],
	);
}

function lineAndColumn(text: string, index: number): string {
	const before = text.slice(0, index).split('\n');
	return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/**
 * Checks a message as the Agent's MessageML parser does and returns the 400's message, or the text
 * a reader sees. Not every MessageML rule: well-formedness, the root tag, entities, the
 * Freemarker markers, control characters and the size limits.
 */
export function checkMessageML(message: string | undefined, data: string | undefined): { problem: string } | { text: string; entities: number } {
	if (message === undefined || message.trim() === '') return { problem: 'Error parsing message: the message cannot be null or empty' };
	if (Buffer.byteLength(message) + Buffer.byteLength(data ?? '') > MAX_PAYLOAD_BYTES) {
		return { problem: 'Message payload is too large: status=PAYLOAD_TOO_LARGE, code=LIMIT_MESSAGE_CONTENT_MAX_TOTAL_SIZE_REACHED' };
	}
	// eslint-disable-next-line no-control-regex -- the characters the parser refuses
	if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(message)) return { problem: 'Invalid control characters in message' };
	const freemarker = /<#|<@|\$\{|#\{/.exec(message);
	if (freemarker) return { problem: `Error parsing Freemarker template: invalid input at ${lineAndColumn(message, freemarker.index)}` };
	const trimmed = message.trim();
	const presentationML = /^<div\s[^>]*data-format="PresentationML"/.test(trimmed);
	if (!/^<messageML[\s>/]/.test(trimmed) && !presentationML) return { problem: 'Root tag must be <messageML>' };

	const stack: string[] = [];
	let text = '';
	let entities = 0;
	let index = 0;
	while (index < trimmed.length) {
		const char = trimmed[index];
		if (char === '<') {
			TAG.lastIndex = index;
			const tag = TAG.exec(trimmed);
			if (!tag) return { problem: `Invalid messageML: the content of elements must consist of well-formed character data or markup (${lineAndColumn(trimmed, index)})` };
			const [whole, closing, name, , selfClosing] = tag;
			if (stack.length === 0 && index > 0) return { problem: 'Invalid messageML: content is not allowed after the root element' };
			if (closing) {
				const open = stack.pop();
				if (open !== name) return { problem: `Invalid messageML: the element type "${open ?? name}" must be terminated by the matching end-tag "</${open ?? name}>"` };
			} else {
				if (name === 'mention' || name === 'hash' || name === 'cash' || name === 'tag') entities++;
				if (name === 'br') text += '\n';
				if (!selfClosing) stack.push(name);
			}
			index += whole.length;
			continue;
		}
		if (stack.length === 0) {
			if (/\s/.test(char)) {
				index++;
				continue;
			}
			return { problem: 'Invalid messageML: content is not allowed outside the root element' };
		}
		if (char === '&') {
			const entity = /^&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);/.exec(trimmed.slice(index, index + 12));
			if (!entity || (entity[0].match(/^&[a-zA-Z]/) && NAMED_ENTITIES[entity[0].slice(1, -1)] === undefined)) {
				return { problem: `Invalid messageML: the entity name must immediately follow the '&' in the entity reference (${lineAndColumn(trimmed, index)})` };
			}
			text += decodeEntities(entity[0]);
			index += entity[0].length;
			continue;
		}
		text += char;
		index++;
	}
	if (stack.length > 0) return { problem: `Invalid messageML: XML document structures must start and end within the same entity (<${stack[stack.length - 1]}> is not closed)` };
	if ([...text].length > MAX_TEXT_LENGTH) return { problem: `Message is too long: more than ${MAX_TEXT_LENGTH} characters` };
	if (entities > MAX_ENTITIES) return { problem: `Message contains more than ${MAX_ENTITIES} entities (tags and mentions)` };
	return { text, entities };
}

function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** PresentationML of a stored message, as the Agent returns it. */
function presentationOf(message: SimMessage): string {
	const lines = message.text.split('\n').map(escapeXml);
	return `<div data-format="PresentationML" data-version="2.0" class="wysiwyg"><p>${lines.join('<br/>')}</p></div>`;
}

// ---- routes ----

/** The caller's key manager session, or the 401 an Agent call gets without one. OBO sessions need none. */
function keyManagerRefusal(messaging: SimMessaging, sim: PodSimulator, request: ParsedRequest): Reply | undefined {
	if (request.session?.obo) return undefined;
	const header = request.headers.keymanagertoken;
	const entry = typeof header === 'string' ? messaging.keyManagerTokens.get(header) : undefined;
	if (!entry || (entry.expiresAt !== undefined && sim.now() >= entry.expiresAt)) return error(401, 'Invalid key manager token');
	if (entry.userId !== request.session!.userId) return error(401, 'The key manager token belongs to another user');
	return undefined;
}

const URL_SAFE_ID = /^[A-Za-z0-9_-]+$/;

export function v4Message(sim: PodSimulator, message: SimMessage, stream: SimStream): Record<string, unknown> {
	const user = sim.users.get(message.userId);
	return {
		messageId: message.messageId,
		timestamp: message.timestamp,
		...(message.replacing !== undefined && { replacing: message.replacing, initialMessageId: message.initialMessageId }),
		message: presentationOf(message),
		data: message.data ?? '{}',
		attachments: message.attachments.map((a, i) => ({ id: `internal_${message.messageId}_${i}`, name: a.name, size: a.size })),
		user: { userId: int64(message.userId), displayName: user?.displayName, email: user?.email, username: user?.username },
		stream: { streamId: stream.id, streamType: stream.type },
		originalFormat: 'com.symphony.messageml.v2',
		silent: true,
	};
}

/** Reads a bare JSON array of user IDs as digit strings; undefined when the body is not one. */
function readUserIdArray(body: string): string[] | undefined {
	const match = /^\s*\[\s*((?:"?\d{1,19}"?\s*,\s*)*"?\d{1,19}"?)\s*\]\s*$/.exec(body);
	if (!match) return undefined;
	return match[1].split(',').map((id) => id.trim().replace(/"/g, '').replace(/^0+(?=\d)/, ''));
}

export function messageRoutes(sim: PodSimulator): void {
	const messaging = simMessagingOf(sim);
	const login = simLoginOf(sim);

	sim.route(
		'keyManagerLogin',
		'POST',
		/^\/relay\/pubkey\/authenticate$/,
		({ body }) => {
			let jwt: unknown;
			try {
				jwt = (JSON.parse(body) as { token?: unknown })?.token;
			} catch {
				jwt = undefined;
			}
			const checked = login.verifyLoginToken(jwt, (sub) => login.bots.get(sub)?.publicKeys);
			if ('reason' in checked) {
				messaging.keyManagerLogins.push({ subject: checked.subject, status: 401 });
				return error(401, 'Invalid token');
			}
			const bot = login.bots.get(checked.subject)!;
			const token = login.newToken('sim-km-session');
			messaging.keyManagerTokens.set(token, { userId: bot.userId, expiresAt: sim.now() + login.sessionLifetimeMs });
			messaging.issued.push(token);
			messaging.keyManagerLogins.push({ subject: bot.username, status: 200 });
			return { status: 200, body: { token, name: 'keyManagerToken' } };
		},
		false,
	);

	sim.route('imCreate', 'POST', /^\/pod\/v1\/im\/create$/, ({ body, session }) => {
		const ids = readUserIdArray(body);
		if (ids === undefined || ids.length === 0) return error(400, 'The body must be a list of user IDs, e.g. [7215545078541]');
		const unknown = ids.find((id) => !sim.users.has(id));
		if (unknown !== undefined) return error(400, `User ${unknown} not found`);
		const caller = session!.userId;
		const stream = messaging.imFor([caller, ...ids]);
		return { status: 200, body: { id: stream.id } };
	});

	/** The message fields of a multipart body, checked as the Agent does; or the 400. */
	const readMessageForm = (request: ParsedRequest): { fields: (name: string) => string | undefined; parts: FormPart[]; messageML: string; text: string; data?: string } | Reply => {
		const parts = parseMultipart(request.headers['content-type'], request.raw);
		if (!parts) return error(400, 'The request must be multipart/form-data');
		const fields = (name: string) => parts.find((p) => p.name === name && p.filename === undefined)?.data.toString('utf8');
		const data = fields('data');
		if (data !== undefined && data.trim() !== '') {
			try {
				JSON.parse(data);
			} catch {
				return error(400, 'Invalid data: the EntityJSON is not valid JSON');
			}
		}
		const checked = checkMessageML(fields('message'), data);
		if ('problem' in checked) return error(400, checked.problem);
		return { fields, parts, messageML: fields('message')!, text: checked.text, data };
	};

	/** The attachments of a message form: every `attachment` file part, in order. */
	const attachmentsOf = (parts: FormPart[]): SimAttachment[] =>
		parts
			.filter((p) => p.name === 'attachment')
			.map((p) => ({ name: p.filename ?? 'attachment', contentType: p.contentType, size: p.data.length, data: Buffer.from(p.data) }));

	/** Stores a new message in a stream, as sent by the caller. */
	const store = (request: ParsedRequest, stream: SimStream, form: { parts: FormPart[]; messageML: string; text: string; data?: string }): SimMessage => {
		const message: SimMessage = {
			messageId: messaging.newId(),
			streamId: stream.id,
			timestamp: sim.now(),
			userId: request.session!.userId,
			messageML: form.messageML,
			text: form.text,
			data: form.data,
			attachments: attachmentsOf(form.parts),
		};
		messaging.store(message, stream);
		return message;
	};

	/** The stream a caller may use, or why not: its ID's form, whether it exists, membership. */
	const streamFor = (request: ParsedRequest, streamId: string): SimStream | Reply => {
		if (!URL_SAFE_ID.test(streamId)) return error(400, `Invalid stream ID ${streamId}: use the URL-safe form (- and _ instead of + and /, no =)`);
		const stream = messaging.streams.get(streamId);
		if (!stream) return error(400, `Stream ${streamId} not found`);
		if (!stream.members.includes(request.session!.userId)) return error(403, 'The caller is not a member of this stream');
		return stream;
	};
	const isReply = (value: unknown): value is Reply => typeof value === 'object' && value !== null && typeof (value as Reply).status === 'number';

	sim.route('messageCreate', 'POST', /^\/agent\/v4\/stream\/([^/]+)\/message\/create$/, (request) => {
		const refusal = keyManagerRefusal(messaging, sim, request);
		if (refusal) return refusal;
		const stream = streamFor(request, request.params[0]);
		if (isReply(stream)) return stream;
		const form = readMessageForm(request);
		if (isReply(form)) return form;
		return { status: 200, body: v4Message(sim, store(request, stream, form), stream) };
	});

	/**
	 * Blast: the same message to every stream of `sids` (comma-joined, at most 100). 200 even when
	 * some streams fail: `{messages, errors: {<sid>: {code, message}}}`. A bad message or `sids`
	 * refuses the whole request (400).
	 */
	sim.route('messageBlast', 'POST', /^\/agent\/v4\/message\/blast$/, (request) => {
		const refusal = keyManagerRefusal(messaging, sim, request);
		if (refusal) return refusal;
		const form = readMessageForm(request);
		if (isReply(form)) return form;
		const sids = (form.fields('sids') ?? '').split(',').map((sid) => sid.trim()).filter((sid) => sid !== '');
		if (sids.length === 0) return error(400, 'sids is required: the stream IDs, separated by commas');
		if (sids.length > MAX_BLAST_STREAMS) return error(400, `At most ${MAX_BLAST_STREAMS} streams per blast, got ${sids.length}`);
		const messages: Array<Record<string, unknown>> = [];
		const errors: Record<string, { code: number; message: string }> = {};
		for (const sid of [...new Set(sids)]) {
			const stream = streamFor(request, sid);
			if (isReply(stream)) {
				errors[sid] = stream.body as { code: number; message: string };
				continue;
			}
			messages.push(v4Message(sim, store(request, stream, form), stream));
		}
		return { status: 200, body: { messages, errors } };
	});

	/**
	 * Update: a new version of one of the caller's messages (not suppressed), with its own ID, in
	 * the old one's place in the stream. `silent` (default true) is kept on the version. Symphony
	 * takes attachments on an update from SBE 24.1; the version has the ones sent with it (its
	 * content is what the update sent; what becomes of the old version's files is not documented).
	 */
	sim.route('messageUpdate', 'POST', /^\/agent\/v4\/stream\/([^/]+)\/message\/([^/]+)\/update$/, (request) => {
		const refusal = keyManagerRefusal(messaging, sim, request);
		if (refusal) return refusal;
		const stream = streamFor(request, request.params[0]);
		if (isReply(stream)) return stream;
		const messageId = request.params[1];
		if (!URL_SAFE_ID.test(messageId)) return error(400, `Invalid message ID ${messageId}: use the URL-safe form (- and _ instead of + and /, no =)`);
		const stored = messaging.messagesIn(stream.id);
		const index = stored.findIndex((m) => m.messageId === messageId);
		if (index < 0) return error(400, `Message ${messageId} not found in stream ${stream.id}`);
		const old = stored[index];
		if (old.suppressedAt !== undefined) return error(400, `Message ${messageId} is suppressed and cannot be updated`);
		if (old.userId !== request.session!.userId) return error(403, 'Only the sender of a message may update it');
		const form = readMessageForm(request);
		if (isReply(form)) return form;
		const silent = form.fields('silent');
		if (silent !== undefined && silent !== 'true' && silent !== 'false') return error(400, 'silent must be true or false');
		const updated: SimMessage = {
			...old,
			messageId: messaging.newId(),
			timestamp: sim.now(),
			messageML: form.messageML,
			text: form.text,
			data: form.data,
			attachments: attachmentsOf(form.parts),
			replacing: old.messageId,
			initialMessageId: old.initialMessageId ?? old.messageId,
		};
		messaging.messages.set(stream.id, stored.map((m, i) => (i === index ? updated : m)));
		messaging.updates.push({ messageId: updated.messageId, silent: silent !== 'false' });
		return { status: 200, body: { ...v4Message(sim, updated, stream), silent: silent !== 'false' } };
	});

	/**
	 * List Messages: the stream's messages at or after `since` (required, epoch ms) and at or before
	 * `until`, oldest first, `skip` of them passed over, at most `limit` (default 50, max 500).
	 * 204 when there are none.
	 */
	sim.route('messageList', 'GET', /^\/agent\/v4\/stream\/([^/]+)\/message$/, (request) => {
		const refusal = keyManagerRefusal(messaging, sim, request);
		if (refusal) return refusal;
		const stream = streamFor(request, request.params[0]);
		if (isReply(stream)) return stream;
		const number = (name: string): number | undefined | Reply => {
			const raw = request.query[name];
			if (raw === undefined) return undefined;
			return /^\d+$/.test(raw) ? Number(raw) : error(400, `${name} must be a whole number, got ${raw}`);
		};
		const since = number('since');
		if (since === undefined) return error(400, 'since is required (epoch milliseconds)');
		const until = number('until');
		const skip = number('skip') ?? 0;
		const limit = number('limit') ?? 50;
		for (const value of [since, until, skip, limit]) if (isReply(value)) return value;
		if ((limit as number) > MAX_LIST_LIMIT || limit === 0) return error(400, `limit must be from 1 to ${MAX_LIST_LIMIT}`);
		const page = messaging
			.messagesIn(stream.id)
			.filter((m) => m.timestamp >= (since as number) && (until === undefined || m.timestamp <= (until as number)))
			.sort((a, b) => a.timestamp - b.timestamp)
			.slice(skip as number, (skip as number) + (limit as number));
		if (page.length === 0) return { status: 204 };
		return { status: 200, body: page.map((m) => v4Message(sim, m, stream)) };
	});

	/**
	 * Suppress (pod admin): needs the Content Management role. Answers
	 * `{messageId, suppressed, suppressionDate}`; a suppressed message stays so (the date of the first).
	 */
	sim.route('messageSuppress', 'POST', /^\/pod\/v1\/admin\/messagesuppression\/([^/]+)\/suppress$/, ({ params, session }) => {
		if (!sim.hasPrivilege(session!, SUPPRESS_PRIVILEGE)) return error(403, 'The caller lacks the Content Management role (SUPPRESS_MESSAGE)');
		const messageId = params[0];
		if (!URL_SAFE_ID.test(messageId)) return error(400, `Invalid message ID ${messageId}`);
		const message = messaging.findMessage(messageId);
		if (!message) return error(404, `Message ${messageId} not found`);
		message.suppressedAt ??= sim.now();
		return { status: 200, body: { messageId, suppressed: true, suppressionDate: message.suppressedAt } };
	});
}
