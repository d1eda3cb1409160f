import { ParameterError } from '../../../../nodes/Symphony/errors';
import { parseFeedId } from '../../../../nodes/Symphony/helpers/feedId';

describe('parseFeedId', () => {
	test.each<[unknown, string]>([
		['4f1b3a5e-6c2d-4e8f-9a0b-7c1d2e3f4a5b', '4f1b3a5e-6c2d-4e8f-9a0b-7c1d2e3f4a5b'],
		['  feed_1.a \n', 'feed_1.a'],
		['x'.repeat(200), 'x'.repeat(200)],
	])('reads %p as %p', (value, expected) => {
		expect(parseFeedId(value)).toBe(expected);
	});

	test.each<[unknown, string]>([
		['', 'Feed ID: "" is empty. Use the feedId returned by Presence Feed → Create, e.g. {{ $json.feedId }}'],
		['   ', 'Feed ID: "   " is empty. Use the feedId returned by Presence Feed → Create, e.g. {{ $json.feedId }}'],
		[undefined, 'Feed ID: undefined is empty. Use the feedId returned by Presence Feed → Create, e.g. {{ $json.feedId }}'],
		[42, 'Feed ID: 42 is empty. Use the feedId returned by Presence Feed → Create, e.g. {{ $json.feedId }}'],
		['../v2/sessioninfo', 'Feed ID: "../v2/sessioninfo" is not a presence feed ID. Use the feedId returned by Presence Feed → Create: letters, digits and dashes only'],
		['a b', 'Feed ID: "a b" is not a presence feed ID. Use the feedId returned by Presence Feed → Create: letters, digits and dashes only'],
	])('refuses %p naming the field', (value, message) => {
		let thrown: unknown;
		try {
			parseFeedId(value);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(ParameterError);
		expect((thrown as Error).message).toBe(message);
	});

	test('refuses an ID longer than 200 characters', () => {
		expect(() => parseFeedId('x'.repeat(201))).toThrow(/^Feed ID: "x+… is not a presence feed ID\. /);
	});
});
