import type { IDataObject } from 'n8n-workflow';

import { chain } from '../harness';
import { expectNoSecrets } from '../support/secrets';
import { call } from '../simulator/call';
import { DEFAULT_KEY_MANAGER_TOKEN, SUPPRESS_PRIVILEGE, simMessagingOf } from '../simulator/routes/messages';
import { simRoomsOf } from '../simulator/routes/rooms';
import { freePort } from '../e2e/n8n';
import { ALICE, BOB, BOT, CAROL_EXTERNAL, SECRET_TOKEN, getPresence, register, startPod, type PodFixture } from '../support/pod';

/**
 * Bad input, one case per row. A per-item parameter (User IDs, User ID) is given bad in the middle
 * item of three: that item becomes an error item paired to it, the good items go through. A
 * node-wide option or the credential is bad for every item, so every item gets the explanation.
 * Every message names the field, shows the value (shortened when long) and says what to do.
 */

const TEN_THOUSAND_AND_ONE = Array.from({ length: 10_001 }, (_, i) => String(i + 1)).join(',');

/** [case, bad value for the middle item, field shown, value shown, problem] */
const perItemUserIds: Array<[string, unknown, RegExp]> = [
	['empty text', '', /^User IDs: "" holds no user ID\. Enter at least one user ID/],
	['only separators', ' ,; ', /^User IDs: " ,; " holds no user ID\./],
	['letters', 'abc', /^User IDs: "abc" is not a Symphony user ID\. Use numeric user IDs/],
	['a good ID with letters after it', '7215545058313 abc', /^User IDs: "abc" is not a Symphony user ID/],
	['a decimal as text', '12.5', /^User IDs: "12.5" is not a whole positive number\. Use the user's numeric Symphony ID/],
	['a decimal number', 12.5, /^User IDs: 12.5 is not a whole positive number/],
	['a negative number', -5, /^User IDs: -5 is not a whole positive number/],
	['a negative as text', '-5', /^User IDs: "-5" is not a whole positive number/],
	['zero', '0', /^User IDs: "0" is not a valid user ID \(IDs start at 1\)/],
	['zero as a number', 0, /^User IDs: 0 is not a whole positive number/],
	['scientific notation', '1e5', /^User IDs: "1e5" is not a whole positive number/],
	['hexadecimal', '0x1F', /^User IDs: "0x1F" is not a Symphony user ID/],
	['digits with underscores', '1_000', /^User IDs: "1_000" is not a Symphony user ID/],
	['non-ASCII digits', '١٢٣', /^User IDs: "١٢٣" is not a Symphony user ID/],
	['one past the largest int64', '9223372036854775808', /^User IDs: "9223372036854775808" is larger than any Symphony user ID \(int64\)/],
	['twenty digits', '12345678901234567890', /is larger than any Symphony user ID/],
	// eslint-disable-next-line no-loss-of-precision -- on purpose: an ID that arrives as a number past 2^53 has already lost digits
	['a JS number beyond 2^53', 9007199254740993, /^User IDs: 9007199254740992 arrived as a number too large for JavaScript.*Make the ID text where the item is produced/],
	['null', null, /^User IDs: null is empty\./],
	['nested arrays', [[1, 2]], /^User IDs: \[1,2\] is a list inside a list\. Pass a flat list/],
	['an empty array', [], /^User IDs: \[\] holds no user ID/],
	['an object', { id: 7215545058313 }, /^User IDs: \{"id":7215545058313\} is not a user ID or a list of user IDs\. Map a field/],
	['a boolean', true, /^User IDs: true is not a user ID/],
	['10,001 IDs in one field', TEN_THOUSAND_AND_ONE, /^User IDs: "10001 IDs" is more than 10000 IDs in one item\. Split the list/],
	['a very long bad value (shortened)', `x${'9'.repeat(500)}`, /^User IDs: "x9{50,60}… is not a Symphony user ID/],
];

const perItemUserId: Array<[string, unknown, RegExp]> = [
	['empty', '', /^User ID: "" holds no user ID/],
	['two IDs', `${ALICE},${BOB}`, /^User ID: "7215545058313,7215545058314" holds more than one user ID\. Give one ID per item/],
	['letters', 'alice', /^User ID: "alice" is not a Symphony user ID/],
	['a negative number', -1, /^User ID: -1 is not a whole positive number/],
	['a decimal', 1.5, /^User ID: 1.5 is not a whole positive number/],
	['2^60 as a number', 2 ** 60, /^User ID: 1152921504606847000 arrived as a number too large/],
	['beyond int64', '99999999999999999999', /^User ID: "99999999999999999999" is larger than any Symphony user ID/],
	['an object', {}, /^User ID: \{\} is not a user ID/],
	['an array of two', [ALICE, BOB], /holds more than one user ID/],
	['undefined (field missing on the item)', undefined, /^User ID: undefined is empty/],
];

/** [case, operation parameters, message every item gets] */
const nodeWide: Array<[string, IDataObject, RegExp]> = [
	['batch size 0', register(ALICE, { batchSize: 0 }), /^Batch Size: 0 is not a whole number from 1 to 10000\. Enter a number from 1 to 10000/],
	['batch size 10,001', register(ALICE, { batchSize: 10_001 }), /^Batch Size: 10001 is not a whole number from 1 to 10000/],
	['batch size 2.5', register(ALICE, { batchSize: 2.5 }), /^Batch Size: 2.5 is not a whole number/],
	['concurrency 0', getPresence({ userId: ALICE, options: { concurrency: 0 } }), /^Concurrency: 0 is not a whole number from 1 to 500/],
	['concurrency 501', getPresence({ userId: ALICE, options: { concurrency: 501 } }), /^Concurrency: 501 is not a whole number from 1 to 500/],
	['max attempts 0', getPresence({ userId: ALICE, options: { retry: { settings: { maxAttempts: 0 } } } }), /^Max Attempts: 0 is not a whole number from 1 to 20/],
	['max attempts 21', getPresence({ userId: ALICE, options: { retry: { settings: { maxAttempts: 21 } } } }), /^Max Attempts: 21 is not a whole number from 1 to 20/],
	['max wait -1', getPresence({ userId: ALICE, options: { retry: { settings: { maxWaitSeconds: -1 } } } }), /^Max Wait \(Seconds\): -1 is not a whole number from 0 to 600/],
	['max wait 601', getPresence({ userId: ALICE, options: { retry: { settings: { maxWaitSeconds: 601 } } } }), /^Max Wait \(Seconds\): 601 is not a whole number/],
	['requests per second 0', getPresence({ userId: ALICE, options: { requestsPerSecond: 0 } }), /^Max Requests per Second: 0 is not a whole number from 1 to 10000\. Enter a number from 1 to 10000: Symphony refuses more than 400/],
	['requests per second 2.5', register(ALICE, { requestsPerSecond: 2.5 }), /^Max Requests per Second: 2.5 is not a whole number/],
	['requests per second "fast"', getPresence({ userId: ALICE, options: { requestsPerSecond: 'fast' } }), /^Max Requests per Second: "fast" is not a whole number/],
	['timeout 0', getPresence({ userId: ALICE, options: { timeoutSeconds: 0 } }), /^Timeout \(Seconds\): 0 is not a whole number from 1 to 300/],
	['timeout 301', getPresence({ userId: ALICE, options: { timeoutSeconds: 301 } }), /^Timeout \(Seconds\): 301 is not a whole number/],
];

/** [case, Pod URL in the credential, message every item gets] */
const podUrls: Array<[string, string, RegExp]> = [
	['ftp', 'ftp://acme.symphony.com', /^Symphony credential: Pod URL: "ftp:\/\/acme.symphony.com" uses ftp, which Symphony does not speak\. Use an https:\/\/ address/],
	['not a URL', 'not a url', /^Symphony credential: Pod URL: "not a url" is not a web address\. Enter your pod address/],
	['a query string', 'https://acme.symphony.com/?tenant=1', /Pod URL: "https:\/\/acme.symphony.com\/\?tenant=1" contains a query, fragment or login part/],
	['a fragment', 'https://acme.symphony.com/#/chat', /contains a query, fragment or login part/],
	['empty', '', /^Symphony credential: Pod URL: "" is empty/],
	['a mailto address', 'mailto:ops@acme.example', /^Symphony credential: Pod URL: "mailto:ops@acme.example" uses mailto, which Symphony does not speak/],
];

/** Other per-item parameters: [case, node parameters reading $json.v, a good value, the bad value, message] */
const perItemOther: Array<[string, IDataObject, unknown, unknown, RegExp]> = [
	['a status not in the list', { resource: 'presence', operation: 'setMine', status: '={{ $json.v }}' }, 'AWAY', 'SLEEPING', /^Status: "SLEEPING" is not one of the listed statuses\. Pick one of AVAILABLE, .* or choose "Custom Value"/],
	['a custom status Symphony cannot have', { resource: 'presence', operation: 'setMine', status: 'custom', customStatus: '={{ $json.v }}' }, 'FOCUS_TIME', 'not a status!', /^Custom Status: "not a status!" is not a Symphony status\. Use capitals, digits and underscores/],
	['a malformed email (Register Interest)', { resource: 'presence', operation: 'registerInterest', identifyBy: 'email', emails: '={{ $json.v }}' }, 'alice@acme.example', 'alice@@acme', /^Emails: "alice@@acme" is not an email address\. Enter complete addresses/],
	['an email without @ (Get)', { resource: 'presence', operation: 'get', identifyBy: 'email', email: '={{ $json.v }}' }, 'alice@acme.example', 'no-at-sign.example', /^Email: "no-at-sign.example" is not an email address/],
	['a half email (User → Get)', { resource: 'user', operation: 'get', identifyBy: 'email', emails: '={{ $json.v }}' }, 'alice@acme.example', 'x@', /^Emails: "x@" is not an email address/],
	['several usernames where one is expected', { resource: 'presence', operation: 'get', identifyBy: 'username', username: '={{ $json.v }}' }, 'alice', 'has space here', /^Username: "has space here" holds 3 users.*Give one user per item/],
	['a limit of 0', { resource: 'presence', operation: 'getMany', returnAll: false, limit: '={{ $json.v }}' }, 5, 0, /^Limit: 0 is not a whole number from 1 to 1000000/],
	['a person that is no ID (Connection → Get)', { resource: 'connection', operation: 'get', userId: '={{ $json.v }}' }, CAROL_EXTERNAL, 'carol', /^User ID: "carol" is not a Symphony user ID/],
	['a decimal among the people (Connection → Create)', { resource: 'connection', operation: 'create', userIds: '={{ $json.v }}' }, CAROL_EXTERNAL, `${ALICE} 1.5`, /^User IDs: "1.5" is not a whole positive number/],
	['a status not in the list (Connection → Get Many)', { resource: 'connection', operation: 'getMany', status: '={{ $json.v }}' }, 'ACCEPTED', 'connected', /^Status: "connected" is not one of the choices\. Pick Accepted, All/],
	['a person that is no ID (Connection → Get Many, Only These Users)', { resource: 'connection', operation: 'getMany', status: 'ALL', options: { userIds: '={{ $json.v }}' } }, CAROL_EXTERNAL, 'carol@globex', /^Only These Users: "carol@globex" is not a Symphony user ID/],
	['a person that is no ID (Stream → Create IM)', { resource: 'stream', operation: 'createIm', userIds: '={{ $json.v }}' }, ALICE, 'alice@acme', /^User IDs: "alice@acme" is not/],
	['a feed ID that would change the URL', { resource: 'presenceFeed', operation: 'read', feedId: '={{ $json.v }}' }, '@feed', '../../etc', /^Feed ID: "\.\.\/\.\.\/etc" is not a presence feed ID\. Use the feedId returned by Presence Feed → Create/],
];

/** Message → Send: [case, node parameters reading $json.v, a good value, the bad value, message]. Nothing of a bad item reaches the Agent. */
const SEND_STREAM = 'room-stream-id-0001';
const sendWith = (parameters: IDataObject): IDataObject => ({ resource: 'message', operation: 'send', sendTo: 'stream', streamId: SEND_STREAM, text: 'hi', ...parameters });
const messageInputs: Array<[string, IDataObject, unknown, unknown, RegExp]> = [
	['a stream ID with spaces and punctuation', sendWith({ streamId: '={{ $json.v }}' }), SEND_STREAM, 'not a stream!', /^Stream ID: "not a stream!" is not a stream ID\. Enter a stream ID as Symphony shows it/],
	['a room By ID that is not a stream ID', sendWith({ sendTo: 'room', room: { __rl: true, mode: 'id', value: '={{ $json.v }}' } }), SEND_STREAM, 'room: rates', /^Room \(By ID\): "room: rates" is not a stream ID/],
	['an empty stream ID', sendWith({ streamId: '={{ $json.v }}' }), SEND_STREAM, '', /^Stream ID: "" is empty\. Enter a stream ID/],
	['a stream ID mixing both Base64 forms', sendWith({ streamId: '={{ $json.v }}' }), SEND_STREAM, 'abc+def_ghi/jkl', /^Stream ID: "abc\+def_ghi\/jkl" is not a stream ID/],
	['a stream ID that would change the URL', sendWith({ streamId: '={{ $json.v }}' }), SEND_STREAM, '../../pod/v1/admin', /^Stream ID: "\.\.\/\.\.\/pod\/v1\/admin" is not a stream ID/],
	['a decimal among the people', sendWith({ sendTo: 'users', userIds: '={{ $json.v }}' }), ALICE, `${BOB} 1.5`, /^User IDs: "1.5" is not a whole positive number/],
	['16 people for one conversation', sendWith({ sendTo: 'users', userIds: '={{ $json.v }}' }), ALICE, Array.from({ length: 16 }, (_, i) => String(7215545058400 + i)).join(','), /^User IDs: "16 IDs" is more than 15 people for one conversation\. Send to a room instead/],
	['an empty text', sendWith({ text: '={{ $json.v }}' }), 'ok', '', /^Text: "" is empty\. Enter the message text/],
	['a text with a NUL character', sendWith({ text: '={{ $json.v }}' }), 'ok', 'a\u0000b', /^Text: "a\\u0000b" contains the control character U\+0000 at position 2, which Symphony refuses in a message\. Remove it/],
	['a text longer than Symphony takes', sendWith({ text: '={{ $json.v }}' }), 'ok', 'z'.repeat(60_001), /^Text: "z+… is 60,001 characters long, more than Symphony's limit of about 60,000\. Shorten it/],
	['MessageML without its root tag', sendWith({ format: 'messageML', messageML: '={{ $json.v }}' }), '<messageML>ok</messageML>', '<p>hi</p>', /^MessageML: "<p>hi<\/p>" does not start with <messageML>\. Enter MessageML such as/],
	['empty MessageML', sendWith({ format: 'messageML', messageML: '={{ $json.v }}' }), '<messageML>ok</messageML>', ' ', /^MessageML: " " is empty/],
	['MessageML with a control character', sendWith({ format: 'messageML', messageML: '={{ $json.v }}' }), '<messageML>ok</messageML>', '<messageML>\u001b[31m</messageML>', /^MessageML: .* contains the control character U\+001B/],
	['entity data that is not JSON', sendWith({ format: 'messageML', messageML: '<messageML>ok</messageML>', options: { entityData: '={{ $json.v }}' } }), '{"a":{}}', '{a: 1}', /^Entity Data \(JSON\): "\{a: 1\}" is not valid JSON\. Enter a JSON object whose keys are the data-entity-id values/],
	['entity data that is a list', sendWith({ format: 'messageML', messageML: '<messageML>ok</messageML>', options: { entityData: '={{ $json.v }}' } }), '{"a":{}}', '[]', /^Entity Data \(JSON\): "\[\]" is not a JSON object\./],
	['an attachment the item does not have', sendWith({ options: { attachments: '={{ $json.v }}' } }), '', 'report', /^Attachments: "report" is not a binary property of this item \(the item has no binary data\)\. Enter the names of the item's binary properties/],
	['81 mentions in one text', sendWith({ text: '={{ $json.v }}', options: { mentionEmails: true } }), 'ok', Array.from({ length: 81 }, (_, i) => `@p${i}@acme.example`).join(' '), /^Text: .* mentions 81 people, more than Symphony's limit of 80 mentions in one message\. Mention fewer people/],
];

/**
 * The other Message operations: [case, node parameters reading $json.v (and $json.m, a message of the
 * bot's, one per item), a good value, the bad value, message]. Nothing of a bad item reaches Symphony.
 */
const toMany = (parameters: IDataObject): IDataObject => ({ resource: 'message', operation: 'sendToMany', streamIds: SEND_STREAM, text: 'hi', ...parameters });
const updateWith = (parameters: IDataObject): IDataObject => ({ resource: 'message', operation: 'update', streamId: SEND_STREAM, messageId: '={{ $json.m }}', text: 'hi', ...parameters });
const readWith = (parameters: IDataObject): IDataObject => ({ resource: 'message', operation: 'getMany', streamId: SEND_STREAM, since: '2026-01-01T00:00:00Z', ...parameters });
const messageOperationInputs: Array<[string, IDataObject, unknown, unknown, RegExp]> = [
	['Send to Many: no stream ID', toMany({ streamIds: '={{ $json.v }}' }), SEND_STREAM, ' , ', /^Stream IDs: " , " holds no stream ID\. Enter a stream ID as Symphony shows it/],
	['Send to Many: one bad stream ID among good ones', toMany({ streamIds: '={{ $json.v }}' }), SEND_STREAM, `${SEND_STREAM}, ab/c_d`, /^Stream IDs: "ab\/c_d" is not a stream ID/],
	['Send to Many: a list inside a list', toMany({ streamIds: '={{ $json.v }}' }), [SEND_STREAM], [[SEND_STREAM]], /^Stream IDs: \[\["room-stream-id-0001"\]\] is a list inside a list\. Pass a flat list/],
	['Send to Many: an object', toMany({ streamIds: '={{ $json.v }}' }), SEND_STREAM, { id: SEND_STREAM }, /^Stream IDs: \{"id":"room-stream-id-0001"\} is not a stream ID or a list of stream IDs/],
	['Send to Many: an empty text', toMany({ text: '={{ $json.v }}' }), 'ok', '', /^Text: "" is empty/],
	['Send to Many: MessageML without its root tag', toMany({ format: 'messageML', messageML: '={{ $json.v }}' }), '<messageML>ok</messageML>', '<b>x</b>', /^MessageML: "<b>x<\/b>" does not start with <messageML>/],
	['Update: a stream ID that would change the URL', updateWith({ streamId: '={{ $json.v }}' }), SEND_STREAM, '../../v1/admin', /^Stream ID: "\.\.\/\.\.\/v1\/admin" is not a stream ID/],
	['Update: a message ID that would change the URL', updateWith({ messageId: '={{ $json.v }}' }), '@message', '../suppress', /^Message ID: "\.\.\/suppress" is not a message ID\. Enter a message ID as Symphony gives it/],
	['Update: an empty message ID', updateWith({ messageId: '={{ $json.v }}' }), '@message', '', /^Message ID: "" is empty/],
	['Update: a text with a control character', updateWith({ text: '={{ $json.v }}' }), 'ok', 'a\u0007', /^Text: "a\\u0007" contains the control character U\+0007/],
	['Update: Notify Members that is no boolean', updateWith({ options: { notify: '={{ $json.v }}' } }), true, 'yes', /^Notify Members: "yes" is not true or false/],
	['Get Many: a Since that is no time', readWith({ since: '={{ $json.v }}' }), '2026-01-01T00:00:00Z', 'tomorrow', /^Since: "tomorrow" is not a date and time\. Pick a date and time/],
	['Get Many: an empty Since', readWith({ since: '={{ $json.v }}' }), 1767225600000, '', /^Since: "" is empty/],
	['Get Many: an Until before Since', readWith({ options: { until: '={{ $json.v }}' } }), '2026-01-03T00:00:00Z', '2025-12-31T00:00:00Z', /^Until: "2025-12-31T00:00:00Z" is before Since/],
	['Get Many: a limit of 0', readWith({ limit: '={{ $json.v }}' }), 5, 0, /^Limit: 0 is not a whole number from 1/],
	['Get Many: a stream ID mixing both forms', readWith({ streamId: '={{ $json.v }}' }), SEND_STREAM, 'ab+cd_efgh', /^Stream ID: "ab\+cd_efgh" is not a stream ID/],
	['Suppress: a message ID with a space', { resource: 'message', operation: 'suppress', messageId: '={{ $json.v }}' }, '@message', 'msg 0001', /^Message ID: "msg 0001" is not a message ID/],
];

/**
 * The Stream resource's room operations: [case, node parameters reading $json.v, a good value, the bad value, message,
 * requests the two good items make]. ROOM_ID is a room of the account with Alice in it, named "Rates desk".
 */
const ROOM_ID = 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA';
const ROOM_AS_SHOWN = 'lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==';
const byId = { __rl: true, mode: 'id', value: '={{ $json.v }}' };
const createRoomWith = (parameters: IDataObject): IDataObject => ({ resource: 'stream', operation: 'createRoom', name: 'Desk', ...parameters });
const roomInputs: Array<[string, IDataObject, unknown, unknown, RegExp, number]> = [
	['an empty room name', createRoomWith({ name: '={{ $json.v }}' }), 'Desk', '  ', /^Name: " {2}" is empty\. Enter the room's name, e.g\. EMEA Rates Desk$/, 2],
	['a room name that is an object', createRoomWith({ name: '={{ $json.v }}' }), 'Desk', { a: 1 }, /^Name: \{"a":1\} is not text\. Enter the room's name/, 2],
	['a decimal among the members', createRoomWith({ members: '={{ $json.v }}' }), ALICE, `${ALICE} 1.5`, /^Members: "1.5" is not a whole positive number/, 4],
	['a member ID beyond int64', createRoomWith({ members: '={{ $json.v }}' }), BOB, '9223372036854775808', /^Members: "9223372036854775808" is larger than any Symphony user ID \(int64\)/, 4],
	['a read-only setting that is not true or false', createRoomWith({ additionalFields: { readOnly: '={{ $json.v }}' } }), true, 'yes', /^Read Only: "yes" is not true or false\. Switch Read Only on or off/, 2],
	['a keyword without a key', createRoomWith({ additionalFields: { keywords: { keyword: [{ key: '={{ $json.v }}', value: 'EMEA' }] } } }), 'region', ' ', /^Keywords: .* has a keyword without a key\. Give every keyword a key/, 2],
	['an empty search', { resource: 'stream', operation: 'searchRooms', query: '={{ $json.v }}' }, 'rates', '', /^Search Text: "" is empty\. Enter words to find in room names/, 2],
	['a member filter that is no ID', { resource: 'stream', operation: 'searchRooms', query: 'rates', filters: { memberId: '={{ $json.v }}' } }, BOT, 'alice', /^Member ID: "alice" is not a Symphony user ID/, 2],
	['a search limit of 0', { resource: 'stream', operation: 'searchRooms', query: 'rates', limit: '={{ $json.v }}' }, 5, 0, /^Limit: 0 is not a whole number from 1 to 1000000/, 2],
	['an Active filter that is not true or false', { resource: 'stream', operation: 'searchRooms', query: 'rates', filters: { active: '={{ $json.v }}' } }, true, 'maybe', /^Active: "maybe" is not true or false/, 2],
	['a room ID with spaces and punctuation (Get Room)', { resource: 'stream', operation: 'getRoom', room: byId }, ROOM_AS_SHOWN, 'not a room!', /^Room \(By ID\): "not a room!" is not a stream ID\. Enter a stream ID as Symphony shows it/, 2],
	['an empty room ID (Get Room)', { resource: 'stream', operation: 'getRoom', room: byId }, ROOM_ID, '', /^Room \(By ID\): "" is empty\. Enter a stream ID/, 2],
	['a room ID that would change the URL (Add Member)', { resource: 'stream', operation: 'addMember', room: byId, userIds: BOB }, ROOM_ID, '../../pod/v1/admin', /^Room \(By ID\): "\.\.\/\.\.\/pod\/v1\/admin" is not a stream ID/, 2],
	['a picked room mixing both Base64 forms (Add Member)', { resource: 'stream', operation: 'addMember', room: { __rl: true, mode: 'list', value: '={{ $json.v }}' }, userIds: BOB }, ROOM_ID, 'abc+def_ghi/jkl', /^Room \(From List\): "abc\+def_ghi\/jkl" is not a stream ID/, 2],
	['user ID zero (Add Member)', { resource: 'stream', operation: 'addMember', room: { __rl: true, mode: 'id', value: ROOM_ID }, userIds: '={{ $json.v }}' }, BOB, '0', /^User IDs: "0" is not a valid user ID/, 2],
	['a person that is no ID (Remove Member)', { resource: 'stream', operation: 'removeMember', room: { __rl: true, mode: 'id', value: ROOM_ID }, userIds: '={{ $json.v }}' }, BOB, 'bob@acme', /^User IDs: "bob@acme" is not a Symphony user ID/, 2],
];

describe('bad input', () => {
	let pod: PodFixture;
	afterEach(async () => await pod?.sim.close());

	it('covers at least 40 cases', () => {
		// A floor, not a count: the claim is how much bad input is covered, and a new row must not break it.
		expect(perItemUserIds.length + perItemUserId.length + perItemOther.length + nodeWide.length + podUrls.length + roomInputs.length).toBeGreaterThanOrEqual(40);
	});

	const expectErrorItemAmongGood = (items: Array<{ json: IDataObject; pairedItem?: unknown }>, message: RegExp) => {
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.error).toBeUndefined();
		expect(items[2].json.error).toBeUndefined();
		expect(items[1].json.error).toMatch(message);
	};

	test.each(perItemUserIds)('Register Interest, User IDs: %s', async (_name, bad, message) => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: register('={{ $json.ids }}'), continueOnFail: true }], [{ ids: ALICE }, { ids: bad as string }, { ids: BOB }]),
		);
		expectErrorItemAmongGood(result.items('Register'), message);
		expect(pod.sim.requestsTo('/pod/v1/user/presence/register').map((r) => r.body)).toEqual([`[${ALICE},${BOB}]`]);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test.each(perItemUserId)('Get, User ID: %s', async (_name, bad, message) => {
		pod = await startPod();
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ userId: '={{ $json.id }}' }), continueOnFail: true }], [{ id: ALICE }, { id: bad as string }, { id: BOB }]),
		);
		expectErrorItemAmongGood(result.items('Get'), message);
		expect(pod.sim.requests).toHaveLength(2);
	});

	test('Get version 2, User (By ID): an ID mapped as a number above 2^53 is refused where it was produced, not re-read', async () => {
		pod = await startPod();
		const user = { __rl: true, mode: 'id', value: '={{ $json.id }}' };
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ user }), typeVersion: 2, continueOnFail: true }], [{ id: ALICE }, { id: 2 ** 60 }, { id: BOB }]),
		);
		expectErrorItemAmongGood(
			result.items('Get'),
			/^User \(By ID\): 1152921504606847000 arrived as a number too large for JavaScript to hold exactly, so its last digits were already lost before this node\. Converting it to text now cannot bring them back\. Make the ID text where the item is produced: in a Code or Set node write it in quotes, e\.g\. "9007199254740993"; in an HTTP Request set Options → Response → Response Format to Text and take the digits from the text; in a spreadsheet format the ID column as text$/,
		);
		expect(result.items('Get')[1].json.error).not.toMatch(/String\(/);
		expect(pod.sim.requests).toHaveLength(2);
	});

	test.each(perItemOther)('%s', async (_name, parameters, good, bad, message) => {
		pod = await startPod({ sessions: [{ token: SECRET_TOKEN, userId: BOT, privileges: ['ADMIN_PRESENCE_UPDATE', 'USER_PROVISIONING'] }] });
		// '@feed' stands for a feed this account created just now.
		let goodValue = good;
		if (good === '@feed') {
			goodValue = (JSON.parse((await call(pod.sim, 'POST', '/pod/v1/presence/feed/create', undefined, SECRET_TOKEN)).text) as { id: string }).id;
			pod.sim.setPresence(ALICE, 'BUSY');
		}
		const result = await pod.harness.run(
			chain([{ name: 'Node', parameters, continueOnFail: true }], [{ v: goodValue }, { v: bad }, { v: goodValue }] as IDataObject[]),
		);
		// An output may be paired to several items (one user named by two items).
		const sources = (item: { pairedItem?: unknown }) =>
			([] as Array<{ item: number }>).concat(item.pairedItem as { item: number }).map((p) => p.item);
		const items = result.items('Node');
		const fromBad = items.filter((item) => sources(item).includes(1));
		const fromGood = items.filter((item) => !sources(item).includes(1));
		expect(fromBad).toEqual([expect.objectContaining({ json: expect.objectContaining({ error: expect.stringMatching(message) }) })]);
		// Both good items went through, as one output or several; a feed read right after another has
		// nothing new and gives none, so there the pod's log shows it.
		expect([...new Set(fromGood.flatMap(sources))].sort()).toEqual(good === '@feed' ? [0] : [0, 2]);
		if (good === '@feed') expect(pod.sim.requestsTo(`/pod/v1/presence/feed/${String(goodValue)}/read`)).toHaveLength(2);
		for (const item of fromGood) expect(item.json.error).toBeUndefined();
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test.each(messageInputs)('Message → Send: %s', async (_name, parameters, good, bad, message) => {
		pod = await startPod({}, { keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN });
		simMessagingOf(pod.sim).addStream({ id: SEND_STREAM, type: 'ROOM', members: [BOT, ALICE] });
		const result = await pod.harness.run(
			chain([{ name: 'Node', parameters, continueOnFail: true }], [{ v: good }, { v: bad }, { v: good }] as IDataObject[]),
		);
		expectErrorItemAmongGood(result.items('Node'), message);
		// Only the good items reached the Agent.
		expect(pod.sim.requestsTo('/agent/')).toHaveLength(2);
		expect(simMessagingOf(pod.sim).allMessages()).toHaveLength(2);
		expectNoSecrets(result.run, [SECRET_TOKEN, DEFAULT_KEY_MANAGER_TOKEN]);
	});

	test.each(messageOperationInputs)('Message: %s', async (_name, parameters, good, bad, message) => {
		pod = await startPod({ sessions: [{ token: SECRET_TOKEN, userId: BOT, privileges: ['ADMIN_PRESENCE_UPDATE', SUPPRESS_PRIVILEGE] }] }, { keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN });
		const messaging = simMessagingOf(pod.sim);
		messaging.addStream({ id: SEND_STREAM, type: 'ROOM', members: [BOT, ALICE] });
		const mine = [0, 1, 2].map((i) => messaging.addMessage({ messageId: `bot-message-000${i}`, streamId: SEND_STREAM, timestamp: Date.UTC(2026, 0, 2) + i, userId: BOT, text: `m${i}` }).messageId);
		// '@message' stands for the item's own message of the bot's.
		const input = [good, bad, good].map((v, i) => ({ v: v === '@message' ? mine[i] : v, m: mine[i] })) as IDataObject[];
		const result = await pod.harness.run(chain([{ name: 'Node', parameters, continueOnFail: true }], input));
		// Get Many gives several items per good item; each output comes from one item.
		const items = result.items('Node');
		const from = (item: { pairedItem?: unknown }) => (item.pairedItem as { item: number }).item;
		expect(items.filter((item) => from(item) === 1)).toEqual([expect.objectContaining({ json: expect.objectContaining({ error: expect.stringMatching(message) }) })]);
		const fromGood = items.filter((item) => from(item) !== 1);
		expect([...new Set(fromGood.map(from))]).toEqual([0, 2]);
		for (const item of fromGood) expect(item.json.error).toBeUndefined();
		// Only the good items reached Symphony.
		expect(pod.sim.requests).toHaveLength(2);
		expectNoSecrets(result.run, [SECRET_TOKEN, DEFAULT_KEY_MANAGER_TOKEN]);
	});

	test.each(roomInputs)('Stream: %s', async (_name, parameters, good, bad, message, goodRequests) => {
		pod = await startPod();
		simRoomsOf(pod.sim).create(BOT, { id: ROOM_ID, name: 'Rates desk' }).stream.members.push(ALICE);
		const result = await pod.harness.run(
			chain([{ name: 'Node', parameters, continueOnFail: true }], [{ v: good }, { v: bad }, { v: good }] as IDataObject[]),
		);
		expectErrorItemAmongGood(result.items('Node'), message);
		// Nothing of the bad item reached the pod.
		expect(pod.sim.requests).toHaveLength(goodRequests);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test.each([
		['ftp', 'ftp://agent.acme.example', /^Symphony credential: Agent URL: "ftp:\/\/agent.acme.example" uses ftp, which Symphony does not speak/],
		['a query string', 'https://agent.acme.example/?x=1', /^Symphony credential: Agent URL: .* contains a query, fragment or login part/],
	])('credential Agent URL: %s', async (_name, agentUrl, message) => {
		pod = await startPod({}, { agentUrl, keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN });
		const result = await pod.harness.run(chain([{ name: 'Node', parameters: sendWith({}), continueOnFail: true }], [{ n: 1 }]));
		expect(result.items('Node')[0].json.error).toMatch(message);
		expect(pod.sim.requests).toHaveLength(0);
	});

	test.each(nodeWide)('node-wide option: %s', async (_name, parameters, message) => {
		pod = await startPod();
		const continued = await pod.harness.run(
			chain([{ name: 'Node', parameters: { ...parameters, userId: ALICE }, continueOnFail: true }], [{ n: 1 }, { n: 2 }]),
		);
		const items = continued.items('Node');
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of items) expect(item.json.error).toMatch(message);
		const stopped = await pod.harness.run(chain([{ name: 'Node', parameters: { ...parameters, userId: ALICE } }]));
		expect(stopped.error?.message).toMatch(message);
		expect(pod.sim.requests).toHaveLength(0);
	});

	test.each(podUrls)('credential Pod URL: %s', async (_name, podUrl, message) => {
		pod = await startPod({}, { podUrl });
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence(), continueOnFail: true }], [{ userId: ALICE }, { userId: BOB }]),
		);
		const items = result.items('Get');
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of items) expect(item.json.error).toMatch(message);
		expect(pod.sim.requests).toHaveLength(0);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	/** [case, Pod URL from the running pod's address, message, description] */
	const unreachable: Array<[string, (pod: { host: string; closedPort: number }) => string, RegExp, RegExp]> = [
		[
			'host:port of a plain-http pod, no scheme (https:// assumed)',
			({ host }) => host,
			/^Could not reach Symphony at https:\/\/127\.0\.0\.1:\d+ while reading the presence of user \d+: the server there speaks plain http, not https$/,
			/^The Pod URL in the credential has no scheme, so https:\/\/ was added\. If this pod \(or a local test pod\) speaks plain http, enter the Pod URL as http:\/\/127\.0\.0\.1:\d+/,
		],
		[
			'https:// given for a plain-http pod',
			({ host }) => `https://${host}`,
			/^Could not reach Symphony at https:\/\/127\.0\.0\.1:\d+ while .*: the server there speaks plain http, not https$/,
			/^Check the Pod URL in the credential: if the server speaks plain http, use http:\/\/127\.0\.0\.1:\d+/,
		],
		[
			'a closed port',
			({ closedPort }) => `http://127.0.0.1:${closedPort}`,
			/^Could not reach Symphony at http:\/\/127\.0\.0\.1:\d+ while .*: the pod refused the connection after 2 attempts$/,
			/^Check the Pod URL in the credential/,
		],
		[
			'a closed port, no scheme',
			({ closedPort }) => `127.0.0.1:${closedPort}`,
			/^Could not reach Symphony at https:\/\/127\.0\.0\.1:\d+ while .*: the pod refused the connection after 2 attempts$/,
			/has no scheme, so https:\/\/ was added/,
		],
	];

	test.each(unreachable)('credential Pod URL: %s', async (_name, podUrlOf, message, description) => {
		pod = await startPod();
		const closedPort = await freePort();
		const podUrl = podUrlOf({ host: pod.sim.url.replace(/^http:\/\//, ''), closedPort });
		pod.harness.credentialsHelper.setCredentials('symphonyApi', { podUrl, sessionKind: 'sessionToken', token: SECRET_TOKEN });
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ options: { retry: { settings: { maxAttempts: 2, maxWaitSeconds: 1 } } } }), continueOnFail: true }], [{ userId: ALICE }]),
		);
		const [item] = result.json('Get');
		expect(item.error).toMatch(message);
		expect(item.description).toMatch(description);
		expect(pod.sim.requests).toHaveLength(0);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});
});
