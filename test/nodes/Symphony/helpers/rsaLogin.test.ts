import { SymphonyLoginError } from '../../../../nodes/Symphony/auth/loginErrors';
import {
	LoginCoalescer,
	handOverSession,
	sessionHandedOver,
	clockSkewBreaksLogin,
	loginFingerprint,
	readRsaLoginSettings,
	type RsaLoginSettings,
} from '../../../../nodes/Symphony/helpers/rsaLogin';
import { useTestClock } from '../../../support/clock';
import { PASSPHRASE, keyFragments, makeKeyPair } from '../../../support/rsa';

const keys = makeKeyPair();
const BOT = { podUrl: 'acme.symphony.com', loginAs: 'bot', username: ' presence.bot ', privateKey: keys.pkcs8, passphrase: '' };
const OBO = { podUrl: 'https://acme.symphony.com/pod', loginAs: 'oboApp', appId: 'acme-app', appPrivateKey: keys.pkcs1, oboUser: '7215545058313' };

describe('readRsaLoginSettings', () => {
	test('bot: the username is trimmed and the login happens at the pod unless a Login URL is given', () => {
		expect(readRsaLoginSettings(BOT)).toEqual({
			podUrl: 'https://acme.symphony.com',
			loginUrl: 'https://acme.symphony.com',
			loginAs: 'bot',
			subject: 'presence.bot',
			privateKey: keys.pkcs8,
			passphrase: '',
			oboUser: undefined,
		});
		expect(readRsaLoginSettings({ ...BOT, loginUrl: 'https://login.acme.example:8444/login/' }).loginUrl).toBe('https://login.acme.example:8444');
	});

	test.each<[string, string, RsaLoginSettings['oboUser']]>([
		['a user ID', ' 7215545058313 ', { by: 'id', value: '7215545058313' }],
		['a user ID with leading zeros', '007215545058313', { by: 'id', value: '7215545058313' }],
		['a username', 'jane.doe', { by: 'username', value: 'jane.doe' }],
		['a username with digits and letters', '12ab', { by: 'username', value: '12ab' }],
	])('OBO: the user may be %s', (_name, oboUser, expected) => {
		const settings = readRsaLoginSettings({ ...OBO, oboUser });
		expect(settings).toMatchObject({ loginAs: 'oboApp', subject: 'acme-app', privateKey: keys.pkcs1, oboUser: expected });
	});

	test.each<[string, Record<string, unknown>, RegExp]>([
		['an empty Pod URL', { ...BOT, podUrl: '' }, /^Symphony RSA credential: Pod URL: "" is empty\. Enter your pod address/],
		['a Pod URL with a query', { ...BOT, podUrl: 'https://acme.symphony.com/?a=1' }, /Pod URL: .* contains a query/],
		['a bad Login URL', { ...BOT, loginUrl: 'ftp://login.example' }, /Login URL: "ftp:\/\/login.example" uses ftp/],
		['an empty Username', { ...BOT, username: '  ' }, /^Symphony RSA credential: Username is empty\. Enter the service account's username/],
		['an empty App ID', { ...OBO, appId: '' }, /App ID is empty\. Enter the app's ID as shown in App Management/],
		['an empty User', { ...OBO, oboUser: '' }, /User is empty\. Enter the user the app acts for: a user ID .* or a username/],
		['a User ID beyond int64', { ...OBO, oboUser: '99999999999999999999' }, /User: "99999999999999999999" is larger than any Symphony user ID/],
	])('%s is refused with a message naming the field', (_name, credentials, message) => {
		let thrown: unknown;
		try {
			readRsaLoginSettings(credentials as never);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(SymphonyLoginError);
		expect((thrown as Error).message).toMatch(message);
		expect((thrown as SymphonyLoginError).retry).toBeUndefined();
	});
});

describe('loginFingerprint', () => {
	const base = readRsaLoginSettings(BOT);

	test('is the same for the same identity and differs when anything that changes the login changes', () => {
		expect(loginFingerprint(readRsaLoginSettings(BOT))).toBe(loginFingerprint(base));
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

describe('LoginCoalescer', () => {
	/** A login that counts itself and finishes when the test says so. */
	function scriptedLogin() {
		let count = 0;
		const pending: Array<{ resolve: (token: string) => void; reject: (error: Error) => void }> = [];
		const login = () => {
			count++;
			return new Promise<string>((resolve, reject) => pending.push({ resolve, reject }));
		};
		return { login, pending, count: () => count };
	}

	test('requests that need a token while a login runs all wait for that one login', async () => {
		const coalescer = new LoginCoalescer();
		const script = scriptedLogin();
		const waiting = [coalescer.sessionToken('id', '', script.login), coalescer.sessionToken('id', '', script.login), coalescer.sessionToken('id', 'T0', script.login)];
		await Promise.resolve();
		script.pending[0].resolve('T1');
		expect(await Promise.all(waiting)).toEqual(['T1', 'T1', 'T1']);
		expect(script.count()).toBe(1);
	});

	test('a request whose token was already replaced gets the newer token without a login', async () => {
		const coalescer = new LoginCoalescer();
		let minted = 0;
		const login = async () => `T${++minted}`;
		expect(await coalescer.sessionToken('id', '', login)).toBe('T1');
		expect(await coalescer.sessionToken('id', 'T1', login)).toBe('T2');
		// Late requests that still carried T1 when they got their 401:
		expect(await coalescer.sessionToken('id', 'T1', login)).toBe('T2');
		expect(await coalescer.sessionToken('id', 'T1', login)).toBe('T2');
		expect(minted).toBe(2);
		// T2 itself failing means the session really ended.
		expect(await coalescer.sessionToken('id', 'T2', login)).toBe('T3');
		expect(await coalescer.sessionToken('id', 'T1', login)).toBe('T3');
		expect(minted).toBe(3);
	});

	test('a token another worker minted that fails within 30 s of this process\'s login after the end of a session gets that login\'s token', async () => {
		const clock = useTestClock();
		try {
			const coalescer = new LoginCoalescer();
			let minted = 0;
			const login = async () => `T${++minted}`;
			await coalescer.sessionToken('id', '', login);
			// Sessions end: this process's token and another worker's fail together.
			clock.advance(60_000);
			expect(await coalescer.sessionToken('id', 'T1', login)).toBe('T2');
			clock.advance(1_000);
			expect(await coalescer.sessionToken('id', 'from-another-worker', login)).toBe('T2');
			expect(minted).toBe(2);
			// Later, a failing token this process never minted means another end of sessions.
			clock.advance(30_000);
			expect(await coalescer.sessionToken('id', 'from-another-worker', login)).toBe('T3');
			expect(minted).toBe(3);
		} finally {
			clock.restore();
		}
	});

	test('a login for a first use does not serve another worker\'s failed token: the sessions may have ended since', async () => {
		const clock = useTestClock();
		try {
			const coalescer = new LoginCoalescer();
			let minted = 0;
			const login = async () => `T${++minted}`;
			await coalescer.sessionToken('id', '', login);
			clock.advance(1_000);
			expect(await coalescer.sessionToken('id', 'from-another-worker', login)).toBe('T2');
			// This process's own earlier token, failing late, gets the new one.
			expect(await coalescer.sessionToken('id', 'T1', login)).toBe('T2');
			expect(minted).toBe(2);
		} finally {
			clock.restore();
		}
	});

	test('a request logs in, unless a login is running or was made after it read its token', async () => {
		const clock = useTestClock();
		try {
			const coalescer = new LoginCoalescer();
			let minted = 0;
			const login = async () => `T${++minted}`;
			const readBeforeT1 = Date.now();
			clock.advance(1_000);
			expect(await coalescer.sessionToken('id', '', login)).toBe('T1');
			clock.advance(1_000);
			// A request that read the credential before T1 was obtained gets T1.
			expect(await coalescer.sessionToken('id', '', login, readBeforeT1)).toBe('T1');
			// One that read its token after T1 (T1 was refused to it) logs in.
			expect(await coalescer.sessionToken('id', 'T1', login, Date.now())).toBe('T2');
			// Without a read time or a token (a credential test) it logs in.
			expect(await coalescer.sessionToken('id', '', login)).toBe('T3');
			// Other settings (another key, user or pod) never share a login.
			expect(await coalescer.sessionToken('other', '', login, readBeforeT1)).toBe('T4');
			expect(minted).toBe(4);
		} finally {
			clock.restore();
		}
	});

	test('the node hands the refused session over on the credential object it passes to n8n', () => {
		const credentials = { sessionToken: '' };
		expect(sessionHandedOver(credentials)).toBeUndefined();
		handOverSession(credentials, { failedToken: 'T1', readAt: 1234 });
		expect(sessionHandedOver(credentials)).toEqual({ failedToken: 'T1', readAt: 1234 });
		// A copy (as an n8n version that cloned the credential would make) carries nothing: a login, never a stale token.
		expect(sessionHandedOver({ ...credentials })).toBeUndefined();
	});

	test('a failed login fails every waiting request; the next request tries again', async () => {
		const coalescer = new LoginCoalescer();
		const script = scriptedLogin();
		const waiting = [coalescer.sessionToken('id', '', script.login), coalescer.sessionToken('id', '', script.login)];
		await Promise.resolve();
		script.pending[0].reject(new Error('refused'));
		await expect(Promise.all(waiting)).rejects.toThrow('refused');
		await expect(waiting[1]).rejects.toThrow('refused');
		const again = coalescer.sessionToken('id', '', script.login);
		await Promise.resolve();
		script.pending[1].resolve('T1');
		expect(await again).toBe('T1');
		expect(script.count()).toBe(2);
	});

	test('identities do not share tokens or logins', async () => {
		const coalescer = new LoginCoalescer();
		const script = scriptedLogin();
		const a = coalescer.sessionToken('a', '', script.login);
		const b = coalescer.sessionToken('b', '', script.login);
		await Promise.resolve();
		script.pending[0].resolve('A1');
		script.pending[1].resolve('B1');
		expect([await a, await b]).toEqual(['A1', 'B1']);
		expect(script.count()).toBe(2);
	});
});
