import { parseJsonLossless } from '../../../../nodes/Symphony/helpers/losslessJson';

describe('parseJsonLossless', () => {
	test.each<[string, unknown]>([
		['{"userId":9007199254740993}', { userId: '9007199254740993' }],
		['[9223372036854775807, 1]', ['9223372036854775807', 1]],
		['{"userId":7215545058313,"timestamp":1700000000000}', { userId: 7215545058313, timestamp: 1700000000000 }],
		['{"text":"id 9007199254740993 in a string"}', { text: 'id 9007199254740993 in a string' }],
		['{"escaped":"a\\"9007199254740993","n":-9007199254740993}', { escaped: 'a"9007199254740993', n: '-9007199254740993' }],
		['{"ratio":1.5e300,"small":-12}', { ratio: 1.5e300, small: -12 }],
		['  []  ', []],
	])('%s', (text, expected) => expect(parseJsonLossless(text)).toEqual(expected));

	test.each(['<html>', '', '{"a":', 'null x'])('throws on %p', (text) => {
		expect(() => parseJsonLossless(text)).toThrow();
	});
});
