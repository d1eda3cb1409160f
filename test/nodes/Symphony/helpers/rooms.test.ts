import { ParameterError } from '../../../../nodes/Symphony/errors';
import { parseFlag, parseKeywords, parseOptionalText, parseRequiredText } from '../../../../nodes/Symphony/helpers/rooms';

function messageOf(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(ParameterError);
		return (error as Error).message;
	}
	throw new Error('nothing was thrown');
}

const FIX = 'Enter the room\'s name';

describe('parseRequiredText', () => {
	test.each<[unknown, string]>([
		['Rates', 'Rates'],
		['  Rates desk \n', 'Rates desk'],
		[42, '42'],
	])('reads %p as %p', (value, expected) => expect(parseRequiredText('Name', value, FIX)).toBe(expected));

	test.each<[unknown, string]>([
		['', 'Name: "" is empty. Enter the room\'s name'],
		[' \t', 'Name: " \\t" is empty. Enter the room\'s name'],
		[undefined, 'Name: undefined is empty. Enter the room\'s name'],
		[null, 'Name: null is empty. Enter the room\'s name'],
		[{ name: 'x' }, 'Name: {"name":"x"} is not text. Enter the room\'s name'],
		[true, 'Name: true is not text. Enter the room\'s name'],
	])('refuses %p', (value, message) => expect(messageOf(() => parseRequiredText('Name', value, FIX))).toBe(message));
});

describe('parseOptionalText', () => {
	test.each<[unknown, string | undefined]>([
		['', undefined],
		['   ', undefined],
		[undefined, undefined],
		[null, undefined],
		[' EMEA rates ', ' EMEA rates '],
		[7, '7'],
	])('reads %p as %p', (value, expected) => expect(parseOptionalText('Description', value)).toBe(expected));

	test('refuses what is not text', () => {
		expect(messageOf(() => parseOptionalText('Description', ['a']))).toBe('Description: ["a"] is not text. Enter text for Description, or leave it empty');
	});
});

describe('parseFlag', () => {
	test.each<[unknown, boolean | undefined]>([
		[true, true],
		[false, false],
		['true', true],
		[' FALSE ', false],
		[undefined, undefined],
		['', undefined],
	])('reads %p as %p', (value, expected) => expect(parseFlag('Public', value)).toBe(expected));

	test.each<[unknown]>([['yes'], [1], [0], [{}]])('refuses %p', (value) =>
		expect(messageOf(() => parseFlag('Public', value))).toMatch(/^Public: .* is not true or false\. Switch Public on or off, or map a value that is true or false$/),
	);
});

describe('parseKeywords', () => {
	test.each<[unknown, Array<{ key: string; value: string }> | undefined]>([
		[undefined, undefined],
		[{}, undefined],
		[{ keyword: [] }, undefined],
		[{ keyword: [{ key: ' region ', value: 'EMEA' }, { key: 'desk' }] }, [{ key: 'region', value: 'EMEA' }, { key: 'desk', value: '' }]],
		[{ keyword: [{ key: 7, value: 8 }] }, [{ key: '7', value: '8' }]],
	])('reads %p', (value, expected) => expect(parseKeywords('Keywords', value)).toEqual(expected));

	test.each<[unknown, RegExp]>([
		[{ keyword: [{ key: '', value: 'x' }] }, /^Keywords: \{"key":"","value":"x"\} has a keyword without a key\. Give every keyword a key/],
		[{ keyword: [null] }, /^Keywords: null has a keyword without a key/],
		[{ keyword: [{ key: 'a', value: { b: 1 } }] }, /^Keywords: .* has a keyword whose value is not text/],
		[{ keyword: 'region=EMEA' }, /^Keywords: .* is not a list of keywords\. Add each keyword with its key and value$/],
	])('refuses %p', (value, message) => expect(messageOf(() => parseKeywords('Keywords', value))).toMatch(message));
});
