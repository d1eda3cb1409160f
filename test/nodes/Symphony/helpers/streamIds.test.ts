import { parseMessageId, parseStreamId, parseStreamIds, toUrlSafeId } from '../../../../nodes/Symphony/helpers/streamIds';

describe('stream IDs', () => {
	test.each([
		['standard Base64 with padding, as the client shows it', 'lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==', 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA'],
		['already URL-safe', 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA', 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA'],
		['plus signs', 'ab+cd+efGH12ij==', 'ab-cd-efGH12ij'],
		['spaces around it', '  xyzXYZ0123456789  ', 'xyzXYZ0123456789'],
	])('%s', (_name, pasted, urlSafe) => {
		expect(parseStreamId('Stream ID', pasted)).toBe(urlSafe);
	});

	test.each([
		['empty', '', /^Stream ID: "" is empty\. Enter a stream ID/],
		['a path', '../../pod/v1/x', /is not a stream ID/],
		['spaces inside', 'abc def ghi jkl', /is not a stream ID/],
		['both forms mixed', 'abc+def_ghijk', /is not a stream ID/],
		['padding inside', 'abc=defghijk', /is not a stream ID/],
		['too short', 'abc', /is too short to be a stream ID/],
		['not text', { id: 'x' }, /is empty/],
	])('refused: %s', (_name, value, message) => {
		expect(() => parseStreamId('Stream ID', value)).toThrow(message);
	});

	test('toUrlSafeId leaves URL-safe IDs alone', () => {
		expect(toUrlSafeId('a-b_c')).toBe('a-b_c');
		expect(toUrlSafeId('a+b/c==')).toBe('a-b_c');
	});

	test.each([
		['one', 'lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==', ['lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA']],
		['separated by commas, spaces, semicolons and lines', 'aaaaaaaa1, bbbbbbbb2;cccccccc3\ndddddddd4  eeeeeeee5', ['aaaaaaaa1', 'bbbbbbbb2', 'cccccccc3', 'dddddddd4', 'eeeeeeee5']],
		['a list', ['aaaaaaaa1', ' bbbbbbbb2 '], ['aaaaaaaa1', 'bbbbbbbb2']],
		['the same stream in both forms, once', ['lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==', 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA', 'aaaaaaaa1'], ['lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA', 'aaaaaaaa1']],
		['a list of texts with several each', ['aaaaaaaa1,bbbbbbbb2', 'cccccccc3'], ['aaaaaaaa1', 'bbbbbbbb2', 'cccccccc3']],
	])('several stream IDs: %s', (_name, value, ids) => {
		expect(parseStreamIds('Stream IDs', value)).toEqual(ids);
	});

	test.each([
		['empty', '', /^Stream IDs: "" holds no stream ID\. Enter a stream ID/],
		['only separators', ' , ; ', /holds no stream ID/],
		['an empty list', [], /holds no stream ID/],
		['one bad among good', 'aaaaaaaa1, not/a_stream', /^Stream IDs: "not\/a_stream" is not a stream ID/],
		['one too short', 'aaaaaaaa1 abc', /^Stream IDs: "abc" is too short to be a stream ID/],
		['a list inside a list', [['aaaaaaaa1']], /is a list inside a list/],
		['an object', { id: 'aaaaaaaa1' }, /is not a stream ID or a list of stream IDs\. Map a field/],
		['more than 10,000', Array.from({ length: 10_001 }, (_, i) => `stream${String(i).padStart(6, '0')}`), /^Stream IDs: "10001 IDs" is more than 10000 stream IDs in one item/],
	])('several stream IDs refused: %s', (_name, value, message) => {
		expect(() => parseStreamIds('Stream IDs', value)).toThrow(message);
	});

	test.each([
		['standard Base64', 'gq2ml+4kHzQ/aBc3sFz2ZX///nDrDnDhdA==', 'gq2ml-4kHzQ_aBc3sFz2ZX___nDrDnDhdA'],
		['URL-safe', ' gq2ml-4kHzQ_aBc3sFz2ZX___nDrDnDhdA ', 'gq2ml-4kHzQ_aBc3sFz2ZX___nDrDnDhdA'],
	])('message ID: %s', (_name, value, id) => {
		expect(parseMessageId('Message ID', value)).toBe(id);
	});

	test.each([
		['empty', '', /^Message ID: "" is empty\. Enter a message ID as Symphony gives it/],
		['a path', '../admin', /^Message ID: "\.\.\/admin" is not a message ID/],
		['too short', 'abc', /is too short to be a message ID/],
	])('message ID refused: %s', (_name, value, message) => {
		expect(() => parseMessageId('Message ID', value)).toThrow(message);
	});
});
