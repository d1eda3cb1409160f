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

	test('without an offset and no time zone: the server\'s, as Date reads it', () => {
		expect(parseDateTime('Since', '2026-03-01T09:00:00')).toBe(new Date(2026, 2, 1, 9).getTime());
	});

	test.each([
		['winter in Paris (UTC+1)', '2026-01-15T09:00:00', 'Europe/Paris', Date.UTC(2026, 0, 15, 8)],
		['summer in Paris (UTC+2)', '2026-07-15T09:00:00', 'Europe/Paris', Date.UTC(2026, 6, 15, 7)],
		['New York (UTC-5)', '2026-01-15T09:00:00.250', 'America/New_York', Date.UTC(2026, 0, 15, 14, 0, 0, 250)],
		['just after the spring change in New York', '2026-03-08T03:30:00', 'America/New_York', Date.UTC(2026, 2, 8, 7, 30)],
		['Kolkata (UTC+5:30), minutes only', '2026-01-15T09:00', 'Asia/Kolkata', Date.UTC(2026, 0, 15, 3, 30)],
		['a date alone: midnight there', '2026-01-15', 'Asia/Tokyo', Date.UTC(2026, 0, 14, 15)],
		['UTC', '2026-01-15 09:00:00', 'UTC', Date.UTC(2026, 0, 15, 9)],
		['an offset wins over the time zone', '2026-01-15T09:00:00Z', 'Europe/Paris', Date.UTC(2026, 0, 15, 9)],
	])('without an offset, in the workflow\'s time zone: %s', (_name, value, timeZone, ms) => {
		expect(parseDateTime('Since', value, timeZone)).toBe(ms);
	});

	test('an unknown time zone name: the server\'s', () => {
		expect(parseDateTime('Since', '2026-03-01T09:00:00', 'Mars/Olympus')).toBe(new Date(2026, 2, 1, 9).getTime());
	});

	test.each([
		['empty', '', /^Since: "" is empty\. Pick a date and time/],
		['undefined', undefined, /^Since: undefined is empty/],
		['words', 'yesterday', /^Since: "yesterday" is not a date and time\. Pick a date and time, or map one such as/],
		['an impossible date', '2026-13-45T00:00:00Z', /is not a date and time/],
		['an impossible day without an offset', '2026-02-30T00:00:00', /is not a date and time/],
		['hour 24', '2026-02-03T24:00:00', /is not a date and time/],
		['negative', -5, /^Since: -5 is not a date and time/],
		['a decimal', 1.5, /is not a date and time/],
		['an object', { at: 1 }, /is not a date and time/],
		['a boolean', true, /is not a date and time/],
	])('refused: %s', (_name, value, message) => {
		expect(() => parseDateTime('Since', value)).toThrow(message);
	});
});
