import { parseDateTime } from '../../../../nodes/Symphony/helpers/dateTime';

describe('parseDateTime', () => {
	test.each([
		['ISO with Z', '2026-03-01T09:00:00Z', Date.UTC(2026, 2, 1, 9)],
		['ISO with an offset', '2026-03-01T10:00:00+01:00', Date.UTC(2026, 2, 1, 9)],
		['ISO with milliseconds', '2026-03-01T09:00:00.123Z', Date.UTC(2026, 2, 1, 9, 0, 0, 123)],
		['epoch milliseconds', 1772355600000, 1772355600000],
		['epoch milliseconds as text', ' 1772355600000 ', 1772355600000],
		['epoch seconds', 1772355600, 1772355600000],
		['zero', 0, 0],
		['a Date', new Date(Date.UTC(2026, 0, 2)), Date.UTC(2026, 0, 2)],
		['a Luxon-like DateTime', { toMillis: () => 1772355600000 }, 1772355600000],
	])('%s', (_name, value, ms) => {
		expect(parseDateTime('Since', value)).toBe(ms);
	});

	test('without an offset: the server\'s time zone, as Date reads it', () => {
		expect(parseDateTime('Since', '2026-03-01T09:00:00')).toBe(new Date(2026, 2, 1, 9).getTime());
	});

	test.each([
		['empty', '', /^Since: "" is empty\. Pick a date and time/],
		['undefined', undefined, /^Since: undefined is empty/],
		['words', 'yesterday', /^Since: "yesterday" is not a date and time\. Pick a date and time, or map one such as/],
		['an impossible date', '2026-13-45T00:00:00Z', /is not a date and time/],
		['negative', -5, /^Since: -5 is not a date and time/],
		['a decimal', 1.5, /is not a date and time/],
		['an object', { at: 1 }, /is not a date and time/],
		['a boolean', true, /is not a date and time/],
	])('refused: %s', (_name, value, message) => {
		expect(() => parseDateTime('Since', value)).toThrow(message);
	});
});
