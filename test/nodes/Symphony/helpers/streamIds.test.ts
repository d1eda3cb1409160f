import { parseStreamId, toUrlSafeId } from '../../../../nodes/Symphony/helpers/streamIds';

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
});
