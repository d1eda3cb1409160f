import { ParameterError } from '../../../../nodes/Symphony/errors';
import { PRESENCE_STATUSES, isPresenceStatus, parseStatus, parseStatusList } from '../../../../nodes/Symphony/helpers/presenceStatus';

describe('isPresenceStatus: written as Symphony writes statuses, listed or not', () => {
	test.each<[string, boolean]>([
		['AVAILABLE', true],
		['FOCUS_TIME', true],
		['LEVEL_2', true],
		['X'.repeat(64), true],
		['X'.repeat(65), false],
		['available', false],
		['ON THE PHONE', false],
		['_AWAY', false],
		['2FA', false],
		['', false],
	])('%p → %p', (text, expected) => {
		expect(isPresenceStatus(text)).toBe(expected);
	});

	test('every listed status is one', () => {
		expect(PRESENCE_STATUSES.filter((status) => !isPresenceStatus(status))).toEqual([]);
	});
});

describe('parseStatus', () => {
	test.each<[unknown, unknown, string]>([
		['AVAILABLE', '', 'AVAILABLE'],
		['available', undefined, 'AVAILABLE'],
		[' out_of_office ', undefined, 'OUT_OF_OFFICE'],
		['custom', 'FOCUS_TIME', 'FOCUS_TIME'],
		['custom', '  focus_time ', 'FOCUS_TIME'],
		['custom', 'AVAILABLE', 'AVAILABLE'],
	])('status %p, custom %p → %p', (status, custom, expected) => {
		expect(parseStatus(status, custom)).toBe(expected);
	});

	test.each<[unknown, unknown, RegExp]>([
		['FOCUS_TIME', '', /^Status: "FOCUS_TIME" is not one of the listed statuses\. Pick one of AVAILABLE, AWAY, .*, OUT_OF_OFFICE, or choose "Custom Value"/],
		['AVAILABLEE', '', /Status: "AVAILABLEE" is not one of the listed statuses/],
		[undefined, '', /Status: undefined is not one of the listed statuses/],
		[3, '', /Status: 3 is not one of the listed statuses/],
		['custom', '', /^Custom Status: "" is empty\. Enter the status as Symphony writes it/],
		['custom', 'focus time', /Custom Status: "focus time" is not a Symphony status\. Use capitals, digits and underscores/],
		['custom', 'X'.repeat(65), /is not a Symphony status/],
		['custom', { a: 1 }, /Custom Status: \{"a":1\} is empty/],
	])('status %p, custom %p is refused with field, value and fix', (status, custom, message) => {
		const parse = () => parseStatus(status, custom);
		expect(parse).toThrow(ParameterError);
		expect(parse).toThrow(message);
	});

	test('every listed status is accepted as it is', () => {
		for (const status of PRESENCE_STATUSES) expect(parseStatus(status, '')).toBe(status);
	});
});

describe('parseStatusList: any status written as Symphony writes them, so filters can select statuses Symphony adds', () => {
	test.each<[unknown, string[]]>([
		[undefined, []],
		[null, []],
		['', []],
		[[], []],
		[['BUSY', 'ON_THE_PHONE'], ['BUSY', 'ON_THE_PHONE']],
		[[' busy ', 'Away'], ['BUSY', 'AWAY']],
		[['FOCUS_TIME'], ['FOCUS_TIME']],
		['busy, on_the_phone,', ['BUSY', 'ON_THE_PHONE']],
		[['', ' '], []],
	])('%p → %p', (value, expected) => {
		expect(parseStatusList('Only Statuses', value)).toEqual(expected);
	});

	test.each<[unknown, RegExp]>([
		[3, /^Only Statuses: 3 is not a list of statuses\. Pick statuses from the list/],
		[{ BUSY: true }, /^Only Statuses: \{"BUSY":true\} is not a list of statuses/],
		[['BUSY', 'on the phone'], /^Only Statuses: "ON THE PHONE" is not a Symphony status\. Pick statuses from the list, or type each as Symphony writes statuses/],
		['BUSY, ON-THE-PHONE', /^Only Statuses: "ON-THE-PHONE" is not a Symphony status/],
		[['BUSY', 7], /^Only Statuses: 7 is not a Symphony status/],
	])('%p is refused with the field, the value and the fix', (value, message) => {
		const parse = () => parseStatusList('Only Statuses', value);
		expect(parse).toThrow(ParameterError);
		expect(parse).toThrow(message);
	});
});
