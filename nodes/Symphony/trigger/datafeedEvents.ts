import type { IDataObject } from 'n8n-workflow';

import { ParameterError } from '../errors';
import { parseJsonLossless } from '../helpers/losslessJson';
import { presentationMLToText } from '../helpers/presentationML';
import { toUrlSafeId } from '../helpers/streamIds';
import { parseUserId, userIdFromResponse } from '../helpers/userIds';

/**
 * Pure rules of the Symphony Trigger: a datafeed event (V4Event) as the item the workflow gets,
 * the Events and filters chosen in the node, and the window of events already emitted.
 */

/** The trigger's Events, and the Symphony event type each stands for. */
export const EVENT_TYPES = {
	connectionAccepted: 'CONNECTIONACCEPTED',
	connectionRequested: 'CONNECTIONREQUESTED',
	formReplied: 'SYMPHONYELEMENTSACTION',
	messageReceived: 'MESSAGESENT',
	roomCreated: 'ROOMCREATED',
	userJoinedRoom: 'USERJOINEDROOM',
	userLeftRoom: 'USERLEFTROOM',
} as const;

export type TriggerEvent = keyof typeof EVENT_TYPES;
export const TRIGGER_EVENTS = Object.keys(EVENT_TYPES) as TriggerEvent[];

/** Where a message was posted: IMs and group chats, rooms, or both. */
export type Conversations = 'all' | 'im' | 'room';
export const CONVERSATIONS: Conversations[] = ['all', 'im', 'room'];

export interface EventFilters {
	events: TriggerEvent[];
	conversations: Conversations;
	/** Messages only: the bot is among the people mentioned. */
	onlyWhenMentioned: boolean;
	/** Messages only: the text contains this, ignoring case ('' for any text). */
	textContains: string;
	/** Who did it (the sender): user IDs (digit strings) or lower-cased emails; empty for anyone. */
	fromUsers: string[];
	/** Whether the bot's own events (its own messages, above all) start the workflow too. */
	includeOwnEvents: boolean;
}

/** The item a datafeed event becomes. Fields a type lacks are absent; `event` always holds the V4Event as received. */
export interface EventItem extends IDataObject {
	/** The trigger's name for it (one of Events), or Symphony's type for one it has no name for. */
	type: string;
	/** Symphony's event type, e.g. MESSAGESENT. */
	symphonyType: string;
	eventId?: string;
	/** Epoch milliseconds. */
	timestamp?: number;
	streamId?: string;
	/** IM, MIM, ROOM or POST. */
	streamType?: string;
	roomName?: string;
	messageId?: string;
	/** Who did it: the sender of a message or form, who asked or accepted, who changed the room. */
	senderId?: string;
	senderEmail?: string;
	senderName?: string;
	senderUsername?: string;
	/** A message's text, as a reader sees it. */
	text?: string;
	/** User IDs mentioned in a message. */
	mentions?: string[];
	/** Whether the bot is among them. */
	botMentioned?: boolean;
	formId?: string;
	/** The message that carried the form. */
	formMessageId?: string;
	/** What was entered; `action` is the name of the button pressed. */
	formValues?: IDataObject;
	/** The user the event is about: who joined or left, who was asked or accepted a connection. */
	userId?: string;
	userEmail?: string;
	userName?: string;
	event: IDataObject;
}

function record(value: unknown): IDataObject | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A V4User's ID, email and name. */
function personOf(user: unknown): { id?: string; email?: string; name?: string; username?: string } {
	const u = record(user);
	if (!u) return {};
	const name = text(u.displayName) ?? ([text(u.firstName), text(u.lastName)].filter(Boolean).join(' ') || undefined);
	return { id: userIdFromResponse(u.userId), email: text(u.email), name, username: text(u.username) };
}

/**
 * The user IDs a message mentions: from its EntityJSON (`data`, entities of type
 * com.symphony.user.mention carrying a com.symphony.user.userId) and from `<mention uid>` tags.
 * In order of first mention, without repeats, each an exact digit string.
 */
export function mentionedUserIds(message: string | undefined, data: string | undefined): string[] {
	const ids: string[] = [];
	const add = (value: unknown) => {
		const id = userIdFromResponse(value);
		if (id !== undefined && !ids.includes(id)) ids.push(id);
	};
	if (data !== undefined && data.trim() !== '') {
		let entities: unknown;
		try {
			entities = parseJsonLossless(data);
		} catch {
			entities = undefined;
		}
		for (const entity of Object.values(record(entities) ?? {})) {
			const e = record(entity);
			if (e?.type !== 'com.symphony.user.mention' || !Array.isArray(e.id)) continue;
			for (const ref of e.id) {
				const r = record(ref);
				if (r?.type === 'com.symphony.user.userId') add(r.value);
			}
		}
	}
	for (const match of (message ?? '').matchAll(/<mention\s[^>]*\buid\s*=\s*["'](\d+)["']/gi)) add(match[1]);
	return ids;
}

function triggerEventOf(symphonyType: string): TriggerEvent | undefined {
	return TRIGGER_EVENTS.find((event) => EVENT_TYPES[event] === symphonyType);
}

/** The payload key of a V4Event type: MESSAGESENT → messageSent (Symphony writes them camelCase). */
const PAYLOAD_KEYS: Record<string, string> = {
	MESSAGESENT: 'messageSent',
	SYMPHONYELEMENTSACTION: 'symphonyElementsAction',
	CONNECTIONREQUESTED: 'connectionRequested',
	CONNECTIONACCEPTED: 'connectionAccepted',
	USERJOINEDROOM: 'userJoinedRoom',
	USERLEFTROOM: 'userLeftRoom',
	ROOMCREATED: 'roomCreated',
};

/** The affected user of a payload, where the type has one. */
const AFFECTED_USER_KEYS: Record<string, string> = {
	USERJOINEDROOM: 'affectedUser',
	USERLEFTROOM: 'affectedUser',
	CONNECTIONREQUESTED: 'toUser',
	CONNECTIONACCEPTED: 'fromUser',
};

/** A datafeed event as the trigger's item, for the bot `botId`. */
export function eventToItem(event: IDataObject, botId: string): EventItem {
	const symphonyType = typeof event.type === 'string' ? event.type : '';
	const payload = record(record(event.payload)?.[PAYLOAD_KEYS[symphonyType] ?? '']);
	const message = symphonyType === 'MESSAGESENT' ? record(payload?.message) : undefined;
	const stream = record(message?.stream ?? payload?.stream);
	const sender = personOf(message?.user ?? record(event.initiator)?.user);
	const timestamp = typeof event.timestamp === 'number' ? event.timestamp : typeof event.timestamp === 'string' && /^\d+$/.test(event.timestamp) ? Number(event.timestamp) : undefined;
	const streamId = text(stream?.streamId);
	const item: EventItem = {
		type: triggerEventOf(symphonyType) ?? symphonyType,
		symphonyType,
		...(text(event.id) && { eventId: text(event.id) }),
		...(timestamp !== undefined && { timestamp }),
		...(streamId && { streamId: toUrlSafeId(streamId) }),
		...(text(stream?.streamType) && { streamType: text(stream?.streamType) }),
		...(text(stream?.roomName ?? record(payload?.roomProperties)?.name) && { roomName: text(stream?.roomName ?? record(payload?.roomProperties)?.name) }),
		...(text(message?.messageId ?? event.messageId) && { messageId: text(message?.messageId ?? event.messageId) }),
		...(sender.id && { senderId: sender.id }),
		...(sender.email && { senderEmail: sender.email }),
		...(sender.name && { senderName: sender.name }),
		...(sender.username && { senderUsername: sender.username }),
		event,
	};
	if (message) {
		const presentation = typeof message.message === 'string' ? message.message : '';
		const mentions = mentionedUserIds(presentation, typeof message.data === 'string' ? message.data : undefined);
		Object.assign(item, { text: presentationMLToText(presentation), mentions, botMentioned: mentions.includes(botId) });
	}
	if (symphonyType === 'SYMPHONYELEMENTSACTION' && payload) {
		if (text(payload.formId)) item.formId = text(payload.formId);
		if (text(payload.formMessageId)) item.formMessageId = text(payload.formMessageId);
		if (record(payload.formValues)) item.formValues = record(payload.formValues);
	}
	const affected = personOf(payload?.[AFFECTED_USER_KEYS[symphonyType] ?? '']);
	if (affected.id) item.userId = affected.id;
	if (affected.email) item.userEmail = affected.email;
	if (affected.name) item.userName = affected.name;
	// The item's `event` key names the V4Event; keep it last so it reads as the raw record.
	const { event: raw, ...rest } = item;
	return { ...rest, event: raw } as EventItem;
}

/** Whether the item is one the trigger's Events and filters ask for. */
export function matchesFilters(item: EventItem, filters: EventFilters, botId: string): boolean {
	if (!filters.events.includes(item.type as TriggerEvent)) return false;
	if (!filters.includeOwnEvents && item.senderId === botId) return false;
	if (filters.fromUsers.length > 0) {
		const from = new Set([item.senderId, item.senderEmail?.toLowerCase()].filter((v): v is string => v !== undefined));
		if (!filters.fromUsers.some((who) => from.has(who))) return false;
	}
	if (item.type !== 'messageReceived') return true;
	const isRoom = item.streamType === 'ROOM';
	if (filters.conversations === 'im' && isRoom) return false;
	if (filters.conversations === 'room' && !isRoom) return false;
	if (filters.onlyWhenMentioned && item.botMentioned !== true) return false;
	if (filters.textContains !== '' && !(item.text ?? '').toLowerCase().includes(filters.textContains.toLowerCase())) return false;
	return true;
}

// ---- parameters ----

export function parseEvents(value: unknown): TriggerEvent[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? [value] : [];
	const unknown = list.find((event) => !TRIGGER_EVENTS.includes(event as TriggerEvent));
	if (unknown !== undefined) {
		throw new ParameterError('Events', unknown, 'is not one of the choices', `Pick events from the list: ${TRIGGER_EVENTS.join(', ')}`);
	}
	if (list.length === 0) throw new ParameterError('Events', value, 'is empty', 'Select at least one event, e.g. Message Received');
	return [...new Set(list as TriggerEvent[])];
}

export function parseConversations(value: unknown): Conversations {
	if (value === undefined || value === '') return 'all';
	if (CONVERSATIONS.includes(value as Conversations)) return value as Conversations;
	throw new ParameterError('Message In', value, 'is not one of the choices', 'Pick IMs and Rooms, IMs Only or Rooms Only');
}

/** From Users: user IDs and emails, separated by commas, spaces or new lines; IDs exact, emails lower-cased. */
export function parseFromUsers(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	// A number past 2^53 has lost digits already: parseUserId says so.
	if (typeof value === 'number') return [parseUserId('From Users', value)];
	const raw = value;
	if (typeof raw !== 'string') {
		throw new ParameterError('From Users', value, 'is not a list of user IDs or emails', 'Enter user IDs or emails separated by commas, e.g. 7215545078541, alice@acme.com');
	}
	const who: string[] = [];
	for (const token of raw.split(/[\s,;]+/).filter((t) => t !== '')) {
		const value = token.includes('@') ? parseEmailToken(token) : parseUserId('From Users', token);
		if (!who.includes(value)) who.push(value);
	}
	return who;
}

function parseEmailToken(token: string): string {
	const email = token.replace(/^<|>$/g, '').toLowerCase();
	if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
		throw new ParameterError('From Users', token, 'is not an email address', 'Write emails in full (e.g. alice@acme.com), or use user IDs');
	}
	return email;
}

// ---- emitted events ----

/** How many emitted events are remembered to drop their redeliveries. */
export const SEEN_WINDOW = 1000;

/**
 * The key an event is known by when it comes again: a message by its message ID (Symphony may
 * deliver a message twice under two events), anything else by its event ID.
 */
export function eventKey(event: IDataObject): string | undefined {
	const messageId = text(record(record(record(event.payload)?.messageSent)?.message)?.messageId) ?? text(event.messageId);
	if (event.type === 'MESSAGESENT' && messageId) return `m:${messageId}`;
	const id = text(event.id);
	return id === undefined ? undefined : `e:${id}`;
}

/** The window with `keys` added at the end, the oldest dropped beyond `size`. */
export function rememberKeys(window: readonly string[], keys: readonly string[], size = SEEN_WINDOW): string[] {
	const kept = window.filter((key) => !keys.includes(key));
	return [...kept, ...keys].slice(-size);
}

/** A stored window read back: only strings, at most `size`. */
export function decodeSeenKeys(value: unknown, size = SEEN_WINDOW): string[] {
	return Array.isArray(value) ? value.filter((key): key is string => typeof key === 'string').slice(-size) : [];
}
