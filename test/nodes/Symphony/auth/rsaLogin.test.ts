import { SymphonyLoginError } from '../../../../nodes/Symphony/auth/loginErrors';
import {
	clockSkewBreaksLogin,
	loginFingerprint,
	parseRsaLoginSettings,
	type RsaLoginSettings,
} from '../../../../nodes/Symphony/auth/rsaLogin';
import { PASSPHRASE, keyFragments, makeKeyPair } from '../../../support/rsa';

const keys = makeKeyPair();
const BOT = { podUrl: 'acme.symphony.com', loginAs: 'bot', username: ' presence.bot ', privateKey: keys.pkcs8, passphrase: '' };
const OBO = { podUrl: 'https://acme.symphony.com/pod', loginAs: 'oboApp', appId: 'acme-app', appPrivateKey: keys.pkcs1, oboUser: '7215545058313' };

describe('parseRsaLoginSettings', () => {
	test('bot: the username is trimmed and the login happens at the pod unless a Login URL is given', () => {
		expect(parseRsaLoginSettings(BOT)).toEqual({
			podUrl: 'https://acme.symphony.com',
			loginUrl: 'https://acme.symphony.com',
			keyManagerUrl: 'https://acme.symphony.com',
			loginAs: 'bot',
			subject: 'presence.bot',
			privateKey: keys.pkcs8,
			passphrase: '',
			oboUser: undefined,
		});
		expect(parseRsaLoginSettings({ ...BOT, loginUrl: 'https://login.acme.example:8444/login/' }).loginUrl).toBe('https://login.acme.example:8444');
		// The key manager defaults to the pod's host, as in Symphony's BDKs; a trailing /relay is dropped.
		expect(parseRsaLoginSettings({ ...BOT, keyManagerUrl: ' https://km.acme.example:8444/relay/ ' }).keyManagerUrl).toBe('https://km.acme.example:8444');
	});

	test.each<[string, string, RsaLoginSettings['oboUser']]>([
		['a user ID', ' 7215545058313 ', { by: 'id', value: '7215545058313' }],
		['a user ID with leading zeros', '007215545058313', { by: 'id', value: '7215545058313' }],
		['a username', 'jane.doe', { by: 'username', value: 'jane.doe' }],
		['a username with digits and letters', '12ab', { by: 'username', value: '12ab' }],
	])('OBO: the user may be %s', (_name, oboUser, expected) => {
		const settings = parseRsaLoginSettings({ ...OBO, oboUser });
		expect(settings).toMatchObject({ loginAs: 'oboApp', subject: 'acme-app', privateKey: keys.pkcs1, oboUser: expected });
	});

	test.each<[string, Record<string, unknown>, RegExp]>([
		['an empty Pod URL', { ...BOT, podUrl: '' }, /^Symphony RSA credential: Pod URL: "" is empty\. Enter your pod address/],
		['a Pod URL with a query', { ...BOT, podUrl: 'https://acme.symphony.com/?a=1' }, /Pod URL: .* contains a query/],
		['a bad Login URL', { ...BOT, loginUrl: 'ftp://login.example' }, /Login URL: "ftp:\/\/login.example" uses ftp/],
		['a bad Key Manager URL', { ...BOT, keyManagerUrl: 'https://km.example/#x' }, /^Symphony RSA credential: Key Manager URL: "https:\/\/km.example\/#x" contains a query, fragment or login part/],
		['an empty Username', { ...BOT, username: '  ' }, /^Symphony RSA credential: Username is empty\. Enter the service account's username/],
		['an empty App ID', { ...OBO, appId: '' }, /App ID is empty\. Enter the app's ID as shown in App Management/],
		['an empty User', { ...OBO, oboUser: '' }, /User is empty\. Enter the user the app acts for: a user ID .* or a username/],
		['a User ID beyond int64', { ...OBO, oboUser: '99999999999999999999' }, /User: "99999999999999999999" is larger than any Symphony user ID/],
	])('%s is refused with a message naming the field', (_name, credentials, message) => {
		let thrown: unknown;
		try {
			parseRsaLoginSettings(credentials as never);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(SymphonyLoginError);
		expect((thrown as Error).message).toMatch(message);
		expect((thrown as SymphonyLoginError).retry).toBeUndefined();
	});
});

describe('loginFingerprint', () => {
	const base = parseRsaLoginSettings(BOT);

	test('is the same for the same identity and differs when anything that changes the login changes', () => {
		expect(loginFingerprint(parseRsaLoginSettings(BOT))).toBe(loginFingerprint(base));
		const variants: Array<Partial<RsaLoginSettings>> = [
			{ podUrl: 'https://other.symphony.com' },
			{ loginUrl: 'https://login.acme.example' },
			{ subject: 'other.bot' },
			{ privateKey: makeKeyPair().pkcs8 },
			{ passphrase: PASSPHRASE },
			{ loginAs: 'oboApp', oboUser: { by: 'id', value: '1' } },
		];
		const prints = variants.map((v) => loginFingerprint({ ...base, ...v }));
		expect(new Set([loginFingerprint(base), ...prints]).size).toBe(variants.length + 1);
	});

	test('reveals nothing of the key or passphrase', () => {
		const print = loginFingerprint({ ...base, passphrase: PASSPHRASE });
		expect(print).toMatch(/^[0-9a-f]{64}$/);
		for (const fragment of [...keyFragments(keys.pkcs8), PASSPHRASE]) expect(print).not.toContain(fragment);
	});
});

describe('clockSkewBreaksLogin (pod clock minus this machine\'s)', () => {
	// The login token expires 240 s after signing; Symphony takes it if that is after its now and at most 300 s ahead.
	test.each([
		[0, false],
		[30_000, false],
		[-30_000, false],
		[-57_000, false],
		[-59_000, true],
		[-10 * 60_000, true],
		[237_000, false],
		[239_000, true],
		[3 * 3600_000, true],
	])('%p ms → %p', (skewMs, breaks) => expect(clockSkewBreaksLogin(skewMs)).toBe(breaks));
});
