import { ParameterError } from '../../../../nodes/Symphony/errors';
import { parseUserRef, parseUserRefs } from '../../../../nodes/Symphony/helpers/userRefs';
import { parseUserId, parseUserIds, tenantOfUserId, userIdFromResponse, userIdsToJsonArray } from '../../../../nodes/Symphony/helpers/userIds';

describe('parseUserIds', () => {
	test.each<[string, unknown, string[]]>([
		['a number', 7215545058313, ['7215545058313']],
		['a digit string', '7215545058313', ['7215545058313']],
		['comma separated', '7215545058313,14568529068038', ['7215545058313', '14568529068038']],
		['spaces, semicolons and new lines (a pasted column)', ' 1\n2;3\t4 , 5\r\n', ['1', '2', '3', '4', '5']],
		['an array of numbers and strings', [1, '2', 3], ['1', '2', '3']],
		['duplicates removed, first order kept', '3, 1, 3, 2, 1', ['3', '1', '2']],
		['leading zeros dropped', '007', ['7']],
		['int64 beyond 2^53 as text keeps every digit', '9007199254740993', ['9007199254740993']],
		['the largest int64', '9223372036854775807', ['9223372036854775807']],
		['a bigint', 9007199254740993n, ['9007199254740993']],
		['an array element holding a list', ['1, 2', 3], ['1', '2', '3']],
	])('reads %s', (_name, input, expected) => {
		expect(parseUserIds('User IDs', input)).toEqual(expected);
	});

	test.each<[string, unknown, RegExp]>([
		['empty text', '', /holds no user ID/],
		['only separators', ' , ;\n', /holds no user ID/],
		['null', null, /is empty/],
		['undefined', undefined, /is empty/],
		['letters', 'abc', /"abc" is not a Symphony user ID/],
		['a decimal', '12.5', /"12.5" is not a whole positive number/],
		['a decimal number', 12.5, /12.5 is not a whole positive number/],
		['a negative number', -5, /-5 is not a whole positive number/],
		['a negative text', '-5', /"-5" is not a whole positive number/],
		['zero', '0', /IDs start at 1/],
		['scientific notation', '1e5', /"1e5" is not a whole positive number/],
		['beyond int64', '9223372036854775808', /larger than any Symphony user ID/],
		// eslint-disable-next-line no-loss-of-precision -- on purpose: an ID that arrives as a number past 2^53 has already lost digits
		['a JS number beyond 2^53', 9007199254740993, /too large for JavaScript to hold exactly/],
		['NaN', Number.NaN, /not a whole positive number/],
		['nested arrays', [[1, 2]], /list inside a list/],
		['an object', { id: 1 }, /not a user ID or a list of user IDs/],
		['a boolean', true, /not a user ID/],
		['more than 10,000 IDs', Array.from({ length: 10_001 }, (_, i) => String(i + 1)).join(','), /more than 10000 IDs/],
	])('rejects %s with the field, the value and the fix', (_name, input, message) => {
		let error: unknown;
		try {
			parseUserIds('User IDs', input);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ParameterError);
		expect((error as Error).message).toMatch(/^User IDs: /);
		expect((error as Error).message).toMatch(message);
		expect((error as ParameterError).fix.length).toBeGreaterThan(10);
	});

	test('shortens long values in messages', () => {
		const long = `${'1'.repeat(30)}x${'2'.repeat(200)}`;
		expect(() => parseUserIds('User IDs', long)).toThrow(/…/);
		expect(() => parseUserIds('User IDs', long)).not.toThrow(/2{100}/);
	});
});

describe('an ID that arrives as a number above 2^53', () => {
	/** The whole text a user sees: the advice is where the ID is produced, never a conversion here. */
	const ADVICE =
		'Converting it to text now cannot bring them back. Make the ID text where the item is produced: ' +
		'in a Code or Set node write it in quotes, e.g. "9007199254740993"; ' +
		'in an HTTP Request set Options → Response → Response Format to Text and take the digits from the text; ' +
		'in a spreadsheet format the ID column as text';

	// The labels every ID field reads under: version 1's fields, version 2's User locator, the trigger.
	test.each<[string, (value: unknown) => unknown, number, string]>([
		['User IDs', (value) => parseUserIds('User IDs', value), 2 ** 60, '1152921504606847000'],
		['User ID', (value) => parseUserId('User ID', value), 2 ** 60, '1152921504606847000'],
		['User (By ID)', (value) => parseUserRef('id', 'User (By ID)', value), 2 ** 60, '1152921504606847000'],
		['User (From List)', (value) => parseUserRef('id', 'User (From List)', value), 2 ** 60, '1152921504606847000'],
		['Users to Watch', (value) => parseUserRefs('id', 'Users to Watch', value), 2 ** 60, '1152921504606847000'],
		// eslint-disable-next-line no-loss-of-precision -- on purpose: an ID that arrives as a number past 2^53 has already lost digits
		['User IDs (in a list)', (value) => parseUserIds('User IDs (in a list)', [value]), 9007199254740993, '9007199254740992'],
	])('%s: the exact message', (label, parse, value, shown) => {
		expect(() => parse(value)).toThrow(
			new ParameterError(label, value, 'arrived as a number too large for JavaScript to hold exactly, so its last digits were already lost before this node', ADVICE),
		);
		let message = '';
		try {
			parse(value);
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toBe(
			`${label}: ${shown} arrived as a number too large for JavaScript to hold exactly, so its last digits were already lost before this node. ${ADVICE}`,
		);
	});

	test('the advice suggests no expression: any conversion of the number re-reads the rounded value', () => {
		expect(ADVICE).not.toMatch(/\{\{|String\(|toString|\$json/);
		// eslint-disable-next-line no-loss-of-precision -- on purpose: what a conversion in an expression would give
		expect(String(9007199254740993)).toBe('9007199254740992');
		// The example keeps its digits because it is text from the start.
		expect(parseUserIds('User IDs', '9007199254740993')).toEqual(['9007199254740993']);
	});
});

describe('parseUserId', () => {
	test('reads one ID', () => expect(parseUserId('User ID', '42')).toBe('42'));
	test('refuses several', () => expect(() => parseUserId('User ID', '1,2')).toThrow(/more than one user ID/));
});

describe('userIdsToJsonArray', () => {
	test('writes digits without passing through numbers', () => {
		expect(userIdsToJsonArray(['9223372036854775807', '1'])).toBe('[9223372036854775807,1]');
	});
});

describe('userIdFromResponse', () => {
	test.each<[unknown, string | undefined]>([
		[7215545058313, '7215545058313'],
		['9007199254740993', '9007199254740993'],
		// eslint-disable-next-line no-loss-of-precision -- on purpose: an ID that arrives as a number past 2^53 has already lost digits
		[9007199254740993, undefined],
		[-1, undefined],
		['abc', undefined],
		[null, undefined],
	])('%p → %p', (input, expected) => expect(userIdFromResponse(input)).toBe(expected));
});

describe('tenantOfUserId', () => {
	// The documented examples (symphony-api.md §6), and IDs where a Number would lose digits.
	test.each<[string, string]>([
		['974217539631', '14'],
		['7215545058313', '105'],
		['7696581394433', '112'],
		['14568529068038', '212'],
		['71811853191697', '1045'],
		['699220675788807', '10175'],
		['68719476735', '0'],
		['68719476736', '1'],
		['9007199254740993', '131072'],
		['9223372036854775807', '134217727'],
	])('%s is on tenant %s', (userId, tenant) => {
		expect(tenantOfUserId(userId)).toBe(tenant);
	});
});
