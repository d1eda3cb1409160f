import { parseResultCount } from '../../../../nodes/Symphony/helpers/resultCount';

describe('parseResultCount', () => {
	test.each<[unknown, unknown, number]>([
		[true, 0, Infinity],
		[true, undefined, Infinity],
		[false, 1, 1],
		[false, 2500, 2500],
		[false, '30', 30],
		[false, undefined, 50],
	])('returnAll %p, limit %p → %p', (returnAll, limit, expected) => {
		expect(parseResultCount(returnAll, limit)).toBe(expected);
	});

	test.each([0, -1, 1.5, 'ten', 1_000_001])('limit %p is refused naming the field, the value and the range', (limit) => {
		expect(() => parseResultCount(false, limit)).toThrow(/^Limit: .* is not a whole number from 1 to 1000000\. Enter a number from 1 to 1000000$/);
	});
});
