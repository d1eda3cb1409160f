import { normalizePodUrl } from '../../../../nodes/Symphony/helpers/podUrl';

describe('normalizePodUrl', () => {
	test.each([
		['acme.symphony.com', 'https://acme.symphony.com'],
		['https://acme.symphony.com', 'https://acme.symphony.com'],
		['https://acme.symphony.com/', 'https://acme.symphony.com'],
		['https://acme.symphony.com/pod', 'https://acme.symphony.com'],
		['https://acme.symphony.com/pod/', 'https://acme.symphony.com'],
		['  acme.symphony.com//  ', 'https://acme.symphony.com'],
		['http://127.0.0.1:8443', 'http://127.0.0.1:8443'],
		['https://gateway.example/symphony/pod', 'https://gateway.example/symphony'],
		['HTTPS://Acme.Symphony.com:443/', 'https://acme.symphony.com'],
	])('%p → %p', (input, expected) => expect(normalizePodUrl(input)).toBe(expected));

	test.each([
		['', /is empty/],
		['ftp://acme.symphony.com', /uses ftp.*Use an https:\/\/ address/],
		['not a url', /is not a web address/],
		['https://acme.symphony.com/?x=1', /query, fragment/],
		['https://acme.symphony.com/#top', /query, fragment/],
		['https://user:pw@acme.symphony.com', /login part/],
	])('rejects %p', (input, message) => {
		expect(() => normalizePodUrl(input)).toThrow(message);
		expect(() => normalizePodUrl(input)).toThrow(/^Pod URL: /);
	});

	test('never echoes a password given in the URL', () => {
		expect(() => normalizePodUrl('https://user:hunter2secret@acme.symphony.com')).toThrow(/login part/);
	});
});

describe('normalizePodUrl without a scheme', () => {
	test.each([
		['localhost:8443', 'https://localhost:8443'],
		['acme.symphony.com:443/pod', 'https://acme.symphony.com'],
	])('%p → %p', (input, expected) => expect(normalizePodUrl(input)).toBe(expected));

	test('a scheme other than http(s) without slashes is named', () => {
		expect(() => normalizePodUrl('mailto:ops@acme.example')).toThrow(/uses mailto, which Symphony does not speak/);
	});
});
