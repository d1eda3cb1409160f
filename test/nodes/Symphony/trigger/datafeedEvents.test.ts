import type { IDataObject } from 'n8n-workflow';

import { ParameterError } from '../../../../nodes/Symphony/errors';
import {
	decodeSeenKeys,
	eventKey,
	eventToItem,
	matchesFilters,
	mentionedUserIds,
	parseConversations,
	parseEvents,
	parseFromUsers,
	rememberKeys,
	type EventFilters,
} from '../../../../nodes/Symphony/trigger/datafeedEvents';
import { presentationMLToText } from '../../../../nodes/Symphony/helpers/presentationML';

const BOT = '7215545057281';
const ALICE = '7215545058313';
const BIG_ID = '9007199254740993';

const ALICE_USER = { userId: Number(ALICE), displayName: 'Alice Martin', email: 'alice@acme.example', username: 'alice' };

/** A MESSAGESENT event as the datafeed delivers it (user IDs above 2^53 already digit strings, as the lossless parser gives them). */
function messageEvent(overrides: { text?: string; data?: string; streamType?: string; user?: IDataObject; id?: string; messageId?: string } = {}): IDataObject {
	const user = overrides.user ?? ALICE_USER;
	return {
		id: overrides.id ?? 'ev-1',
		messageId: overrides.messageId ?? 'msg-1',
		timestamp: 1772442000000,
		type: 'MESSAGESENT',
		initiator: { user },
		payload: {
			messageSent: {
				message: {
					messageId: overrides.messageId ?? 'msg-1',
					timestamp: 1772442000000,
					message: `<div data-format="PresentationML" data-version="2.0" class="wysiwyg"><p>${overrides.text ?? 'Hello'}</p></div>`,
					data: overrides.data ?? '{}',
					user,
					stream: { streamId: 'iWyZBIOdQQzQj0tKOLRivX///qcHu6pSdA==', streamType: overrides.streamType ?? 'IM' },
				},
			},
		},
	};
}

const MENTION_DATA = (id: string | number) => JSON.stringify({ 0: { id: [{ type: 'com.symphony.user.userId', value: id }], type: 'com.symphony.user.mention' } });

describe('the text of a datafeed message (presentationMLToText)', () => {
	test.each([
		['<div data-format="PresentationML" data-version="2.0"><p>Hello <b>desk</b></p></div>', 'Hello desk'],
		['<div data-format="PresentationML"><p>line 1<br/>line 2</p></div>', 'line 1\nline 2'],
		['<div><p>a &lt; b &amp; c &#36;{x} &#x41;</p></div>', 'a < b & c ${x} A'],
		['<div><p>one</p><p>two</p></div>', 'one\ntwo'],
		['<div><p>Hi <span class="entity" data-entity-id="0">@Presence Bot</span></p></div>', 'Hi @Presence Bot'],
		['<messageML>plain</messageML>', 'plain'],
		['', ''],
	])('%s → %j', (presentation, expected) => {
		expect(presentationMLToText(presentation)).toBe(expected);
	});
});

describe('mentionedUserIds', () => {
	test.each<[string, string | undefined, string | undefined, string[]]>([
		['EntityJSON mention, number', '', MENTION_DATA(Number(BOT)), [BOT]],
		['EntityJSON mention above 2^53 keeps every digit', '', `{"0":{"id":[{"type":"com.symphony.user.userId","value":${BIG_ID}}],"type":"com.symphony.user.mention"}}`, [BIG_ID]],
		['EntityJSON mention as a string', '', MENTION_DATA(ALICE), [ALICE]],
		['mention tags', `<messageML><mention uid="${ALICE}"/> and <mention uid="${BOT}"/></messageML>`, undefined, [ALICE, BOT]],
		['both, no repeats', `<mention uid="${BOT}"/>`, MENTION_DATA(Number(BOT)), [BOT]],
		['hashtags are not mentions', '', '{"0":{"id":[{"type":"org.symphonyoss.taxonomy.hashtag","value":"n8n"}],"type":"org.symphonyoss.taxonomy"}}', []],
		['unreadable data', '', '{not json', []],
		['nothing', undefined, undefined, []],
	])('%s', (_name, message, data, expected) => {
		expect(mentionedUserIds(message, data)).toEqual(expected);
	});
});

describe('eventToItem', () => {
	test('a message: stream, sender, text, mentions, the event under one key', () => {
		const event = messageEvent({ text: 'Hi <span class="entity" data-entity-id="0">@Bot</span>, status?', data: MENTION_DATA(Number(BOT)) });
		expect(eventToItem(event, BOT)).toEqual({
			type: 'messageReceived',
			symphonyType: 'MESSAGESENT',
			eventId: 'ev-1',
			timestamp: 1772442000000,
			streamId: 'iWyZBIOdQQzQj0tKOLRivX___qcHu6pSdA',
			streamType: 'IM',
			messageId: 'msg-1',
			senderId: ALICE,
			senderEmail: 'alice@acme.example',
			senderName: 'Alice Martin',
			senderUsername: 'alice',
			text: 'Hi @Bot, status?',
			mentions: [BOT],
			botMentioned: true,
			event,
		});
	});

	test('a sender ID above 2^53 stays exact', () => {
		const item = eventToItem(messageEvent({ user: { userId: BIG_ID, firstName: 'Big', lastName: 'Far' } }), BOT);
		expect(item).toMatchObject({ senderId: BIG_ID, senderName: 'Big Far' });
	});

	test.each<[string, IDataObject, IDataObject]>([
		[
			'form replied',
			{ id: 'ev-2', type: 'SYMPHONYELEMENTSACTION', initiator: { user: ALICE_USER }, payload: { symphonyElementsAction: { stream: { streamId: 'abc_def-123', streamType: 'IM' }, formMessageId: 'fm-1', formId: 'ask', formValues: { action: 'yes', note: 'ok' } } } },
			{ type: 'formReplied', streamId: 'abc_def-123', formId: 'ask', formMessageId: 'fm-1', formValues: { action: 'yes', note: 'ok' }, senderId: ALICE },
		],
		[
			'connection requested: who asked, and whom',
			{ id: 'ev-3', type: 'CONNECTIONREQUESTED', initiator: { user: ALICE_USER }, payload: { connectionRequested: { toUser: { userId: Number(BOT), displayName: 'Bot' } } } },
			{ type: 'connectionRequested', senderId: ALICE, userId: BOT, userName: 'Bot' },
		],
		[
			'connection accepted',
			{ id: 'ev-4', type: 'CONNECTIONACCEPTED', initiator: { user: ALICE_USER }, payload: { connectionAccepted: { fromUser: ALICE_USER } } },
			{ type: 'connectionAccepted', senderId: ALICE, userId: ALICE, userEmail: 'alice@acme.example' },
		],
		[
			'user joined a room',
			{ id: 'ev-5', type: 'USERJOINEDROOM', initiator: { user: { userId: Number(BOT) } }, payload: { userJoinedRoom: { stream: { streamId: 'room-1', streamType: 'ROOM', roomName: 'Desk' }, affectedUser: ALICE_USER } } },
			{ type: 'userJoinedRoom', streamId: 'room-1', streamType: 'ROOM', roomName: 'Desk', senderId: BOT, userId: ALICE },
		],
		[
			'room created: its name from the room properties',
			{ id: 'ev-6', type: 'ROOMCREATED', initiator: { user: ALICE_USER }, payload: { roomCreated: { stream: { streamId: 'room-2', streamType: 'ROOM' }, roomProperties: { name: 'Rates' } } } },
			{ type: 'roomCreated', streamId: 'room-2', roomName: 'Rates', senderId: ALICE },
		],
		[
			'a type the trigger has no name for keeps Symphony\'s',
			{ id: 'ev-7', type: 'ROOMUPDATED', payload: {} },
			{ type: 'ROOMUPDATED', symphonyType: 'ROOMUPDATED', eventId: 'ev-7' },
		],
	])('%s', (_name, event, expected) => {
		const item = eventToItem(event, BOT);
		expect(item).toMatchObject({ ...expected, event });
		expect(Object.keys(item).at(-1)).toBe('event');
	});
});

describe('matchesFilters', () => {
	const base: EventFilters = { events: ['messageReceived'], conversations: 'all', onlyWhenMentioned: false, textContains: '', fromUsers: [], includeOwnEvents: false };
	const im = eventToItem(messageEvent({ text: 'Need the Rates desk' }), BOT);
	const room = eventToItem(messageEvent({ streamType: 'ROOM', data: MENTION_DATA(Number(BOT)) }), BOT);
	const own = eventToItem(messageEvent({ user: { userId: Number(BOT), email: 'bot@acme.example' } }), BOT);
	const form = eventToItem({ id: 'f', type: 'SYMPHONYELEMENTSACTION', initiator: { user: ALICE_USER }, payload: { symphonyElementsAction: { formId: 'x' } } }, BOT);

	test.each<[string, typeof im, Partial<EventFilters>, boolean]>([
		['a message, defaults', im, {}, true],
		['not among Events', form, {}, false],
		['form among Events', form, { events: ['formReplied'] }, true],
		['the bot\'s own message is dropped', own, {}, false],
		['unless Include Own Events', own, { includeOwnEvents: true }, true],
		['IMs only: an IM', im, { conversations: 'im' }, true],
		['IMs only: a room message', room, { conversations: 'room' }, true],
		['Rooms only: an IM', im, { conversations: 'room' }, false],
		['IMs only: a room', room, { conversations: 'im' }, false],
		['mentioned: yes', room, { onlyWhenMentioned: true }, true],
		['mentioned: no', im, { onlyWhenMentioned: true }, false],
		['text contains, any case', im, { textContains: 'rates DESK' }, true],
		['text does not contain', im, { textContains: 'fx' }, false],
		['from a user ID', im, { fromUsers: [ALICE] }, true],
		['from an email', im, { fromUsers: ['alice@acme.example'] }, true],
		['from someone else', im, { fromUsers: [BOT] }, false],
		['from filters forms too', form, { events: ['formReplied'], fromUsers: [BOT] }, false],
		['message-only filters do not apply to forms', form, { events: ['formReplied'], textContains: 'zzz', onlyWhenMentioned: true }, true],
	])('%s', (_name, item, filters, expected) => {
		expect(matchesFilters(item, { ...base, ...filters }, BOT)).toBe(expected);
	});
});

describe('parameters', () => {
	test.each<[unknown, string[]]>([
		[['messageReceived'], ['messageReceived']],
		[['formReplied', 'messageReceived', 'formReplied'], ['formReplied', 'messageReceived']],
		['roomCreated', ['roomCreated']],
	])('Events %j', (value, expected) => {
		expect(parseEvents(value)).toEqual(expected);
	});

	test.each<[unknown, string]>([
		[[], 'Events: [] is empty. Select at least one event, e.g. Message Received'],
		[['messageSent'], 'Events: "messageSent" is not one of the choices.'],
	])('Events %j refused', (value, message) => {
		expect(() => parseEvents(value)).toThrow(ParameterError);
		expect(() => parseEvents(value)).toThrow(message);
	});

	test('Message In', () => {
		expect(parseConversations(undefined)).toBe('all');
		expect(parseConversations('room')).toBe('room');
		expect(() => parseConversations('chats')).toThrow('Message In: "chats" is not one of the choices. Pick IMs and Rooms, IMs Only or Rooms Only');
	});

	test.each<[unknown, string[]]>([
		['', []],
		[undefined, []],
		[`${ALICE}, Alice@Acme.example\n${BIG_ID} ${ALICE}`, [ALICE, 'alice@acme.example', BIG_ID]],
		[Number(ALICE), [ALICE]],
	])('From Users %j', (value, expected) => {
		expect(parseFromUsers(value)).toEqual(expected);
	});

	test.each<[unknown, string]>([
		['alice@', 'From Users: "alice@" is not an email address'],
		['12.5', 'From Users: "12.5" is not a whole positive number'],
		[['x'], 'From Users: ["x"] is not a list of user IDs or emails'],
		// eslint-disable-next-line no-loss-of-precision -- on purpose: an ID that arrives as a number past 2^53 has already lost digits
		[9007199254740993, 'From Users: 9007199254740992 arrived as a number too large for JavaScript'],
	])('From Users %j refused', (value, message) => {
		expect(() => parseFromUsers(value)).toThrow(message);
	});
});

describe('the window of emitted events', () => {
	test('a message is known by its message ID, other events by their event ID', () => {
		expect(eventKey(messageEvent({ id: 'a', messageId: 'm1' }))).toBe('m:m1');
		expect(eventKey(messageEvent({ id: 'b', messageId: 'm1' }))).toBe('m:m1');
		expect(eventKey({ id: 'ev-9', type: 'USERJOINEDROOM' })).toBe('e:ev-9');
		expect(eventKey({ type: 'USERJOINEDROOM' })).toBeUndefined();
	});

	test('bounded: the oldest keys go first; a key seen again moves to the end', () => {
		expect(rememberKeys(['a', 'b', 'c'], ['d'], 3)).toEqual(['b', 'c', 'd']);
		expect(rememberKeys(['a', 'b', 'c'], ['a'], 3)).toEqual(['b', 'c', 'a']);
		expect(decodeSeenKeys(['a', 1, 'b', null, 'c'], 2)).toEqual(['b', 'c']);
		expect(decodeSeenKeys(undefined)).toEqual([]);
	});
});
