import { ParameterError } from '../../../../nodes/Symphony/errors';
import { parseIdentifyBy, parseUserRef, parseUserRefs, userRefKey } from '../../../../nodes/Symphony/helpers/userRefs';

describe('parseUserRefs: emails', () => {
	test.each<[string, unknown, string[]]>([
		['one address', 'jane.doe@acme.com', ['jane.doe@acme.com']],
		['trimmed and lower-cased', '  Jane.Doe@ACME.com \n', ['jane.doe@acme.com']],
		['commas, semicolons, spaces and new lines', 'a@x.io, b@x.io;c@x.io d@x.io\ne@x.io', ['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io', 'e@x.io']],
		['a list pasted from a mail client', 'Jane Doe <jane@acme.com>; "Lee, Sam" <SAM@globex.com>', ['jane@acme.com', 'sam@globex.com']],
		['a mailto link', 'mailto:jane@acme.com', ['jane@acme.com']],
		['an array from an expression', ['a@x.io', ' B@x.io ', 'c@x.io, d@x.io'], ['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io']],
		['duplicates ignoring case removed, first kept', 'a@x.io, A@X.IO, b@x.io', ['a@x.io', 'b@x.io']],
		['plus addressing and sub-domains', 'jane+ops@eu.mail.acme.co.uk', ['jane+ops@eu.mail.acme.co.uk']],
	])('reads %s', (_name, input, expected) => {
		expect(parseUserRefs('email', 'Emails', input)).toEqual(expected);
	});

	test.each<[string, unknown, RegExp]>([
		['no @', 'jane.doe', /^Emails: "jane.doe" is not an email address\. Enter complete addresses \(e\.g\. jane\.doe@acme\.com\)/],
		['no domain dot', 'jane@localhost', /"jane@localhost" is not an email address/],
		['two @', 'a@b@c.com', /"a@b@c.com" is not an email address/],
		['a trailing dot', 'jane@acme.', /"jane@acme." is not an email address/],
		['one bad among good ones', 'a@x.io, nope, b@x.io', /"nope" is not an email address/],
		['empty text', '', /Emails: "" holds no email address\. Enter at least one email address/],
		['only separators', ' ,; ', /holds no email address/],
		['undefined', undefined, /Emails: undefined is empty/],
		['a number', 42, /42 is not an email address or a list of them\. Map a field that holds the email address/],
		['an object', { email: 'a@x.io' }, /is not an email address or a list of them/],
		['nested lists', [['a@x.io']], /is a list inside a list/],
		['more than 10,000', Array.from({ length: 10_001 }, (_, i) => `u${i}@x.io`), /more than 10000 users in one item/],
	])('rejects %s naming the field, the value and the fix', (_name, input, message) => {
		const read = () => parseUserRefs('email', 'Emails', input);
		expect(read).toThrow(ParameterError);
		expect(read).toThrow(message);
	});
});

describe('parseUserRefs: usernames', () => {
	test.each<[string, unknown, string[]]>([
		['trimmed, case kept', '  Jane.Doe ', ['Jane.Doe']],
		['a list', 'alice, bob;carol\ndan', ['alice', 'bob', 'carol', 'dan']],
		['duplicates ignoring case removed', 'alice, ALICE', ['alice']],
		['usernames that look like addresses', 'bot@acme.com', ['bot@acme.com']],
		['characters past the control range', 'a\u007fb, josé', ['a\u007fb', 'josé']],
	])('reads %s', (_name, input, expected) => {
		expect(parseUserRefs('username', 'Usernames', input)).toEqual(expected);
	});

	test.each<[string, unknown, RegExp]>([
		['angle brackets', 'a<b>', /Usernames: "a<b>" is not a Symphony username/],
		['control characters', 'a\u0007b', /is not a Symphony username/],
		['the first control character', 'a\u0000b', /is not a Symphony username/],
		['the last control character', 'a\u001fb', /is not a Symphony username/],
		['too long', 'x'.repeat(257), /is not a Symphony username/],
		['empty', '', /holds no username/],
		['a number', 7, /7 is not a username or a list of them/],
	])('rejects %s', (_name, input, message) => {
		expect(() => parseUserRefs('username', 'Usernames', input)).toThrow(message);
	});
});

describe('parseUserRefs: IDs', () => {
	test('follow the ID rules, digits exact', () => {
		expect(parseUserRefs('id', 'User IDs', '9007199254740993, 7')).toEqual(['9007199254740993', '7']);
		expect(() => parseUserRefs('id', 'User IDs', 'jane@acme.com')).toThrow(/"jane@acme.com" is not a Symphony user ID/);
	});
});

describe('parseUserRef', () => {
	test.each<[Parameters<typeof parseUserRef>[0], unknown, string]>([
		['email', ' Jane@Acme.com', 'jane@acme.com'],
		['username', 'jane', 'jane'],
		['id', 7215545058313, '7215545058313'],
	])('reads one %s', (identifyBy, input, expected) => {
		expect(parseUserRef(identifyBy, 'User', input)).toBe(expected);
	});

	test('refuses several users', () => {
		expect(() => parseUserRef('email', 'Email', 'a@x.io, b@x.io')).toThrow(/Email: "a@x.io, b@x.io" holds 2 users .*Give one user per item/);
		expect(() => parseUserRef('id', 'User ID', '1,2')).toThrow(/holds more than one user ID/);
	});
});

test('userRefKey ignores case for emails and usernames only', () => {
	expect(userRefKey('email', 'A@X.io')).toBe('a@x.io');
	expect(userRefKey('username', 'Jane')).toBe('jane');
	expect(userRefKey('id', '7')).toBe('7');
});

describe('parseIdentifyBy', () => {
	test.each(['id', 'email', 'username'])('accepts %p', (value) => {
		expect(parseIdentifyBy(value)).toBe(value);
	});

	test.each([['phone'], [''], [undefined], ['Email']])('refuses %p naming the field and the choices', (value) => {
		expect(() => parseIdentifyBy(value)).toThrow(/^Identify Users By: .* is not one of the choices\. Pick ID, Email or Username$/);
	});
});
