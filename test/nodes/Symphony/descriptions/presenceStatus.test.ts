import { ParameterError } from '../../../../nodes/Symphony/errors';
import { PRESENCE_STATUS_OPTIONS, presenceStatusFields, readPresenceStatus } from '../../../../nodes/Symphony/descriptions/presenceStatus';

describe('readPresenceStatus', () => {
	test.each<[unknown, unknown, string]>([
		['AVAILABLE', '', 'AVAILABLE'],
		['available', undefined, 'AVAILABLE'],
		[' out_of_office ', undefined, 'OUT_OF_OFFICE'],
		['custom', 'FOCUS_TIME', 'FOCUS_TIME'],
		['custom', '  focus_time ', 'FOCUS_TIME'],
		['custom', 'AVAILABLE', 'AVAILABLE'],
	])('status %p, custom %p → %p', (status, custom, expected) => {
		expect(readPresenceStatus(status, custom)).toBe(expected);
	});

	test.each<[unknown, unknown, RegExp]>([
		['FOCUS_TIME', '', /^Status: "FOCUS_TIME" is not one of the listed statuses\. Pick one of AVAILABLE, .*or choose "Custom Value"/],
		['AVAILABLEE', '', /Status: "AVAILABLEE" is not one of the listed statuses/],
		[undefined, '', /Status: undefined is not one of the listed statuses/],
		[3, '', /Status: 3 is not one of the listed statuses/],
		['custom', '', /^Custom Status: "" is empty\. Enter the status as Symphony writes it/],
		['custom', 'focus time', /Custom Status: "focus time" is not a Symphony status\. Use capitals, digits and underscores/],
		['custom', 'X'.repeat(65), /is not a Symphony status/],
		['custom', { a: 1 }, /Custom Status: \{"a":1\} is empty/],
	])('status %p, custom %p is refused with field, value and fix', (status, custom, message) => {
		const read = () => readPresenceStatus(status, custom);
		expect(read).toThrow(ParameterError);
		expect(read).toThrow(message);
	});

	test('every listed option is accepted as it is, and the Status field lists them sorted with Custom Value', () => {
		for (const option of PRESENCE_STATUS_OPTIONS) expect(readPresenceStatus(option.value, '')).toBe(option.value);
		const names = presenceStatusFields[0].options!.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(names).toContain('Custom Value');
	});
});
