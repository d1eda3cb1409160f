import { LoginCoalescer, handOverSession, sessionHandedOver } from '../../../../nodes/Symphony/auth/loginSharing';
import { useTestClock, type TestClock } from '../../../support/clock';

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

	/** A coalescer and a login that at once mints T1, T2, … in turn; `minted()` is how many it minted. */
	function mintingLogin() {
		let minted = 0;
		return { coalescer: new LoginCoalescer(), login: async () => `T${++minted}`, minted: () => minted };
	}

	/** Runs `steps` on the test clock, and gives real time back whatever they do. */
	async function onTestClock(steps: (clock: TestClock) => Promise<void>): Promise<void> {
		const clock = useTestClock();
		try {
			await steps(clock);
		} finally {
			clock.restore();
		}
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

	test('a request that needs a key manager token is not served by a login without one: it logs in again', async () => {
		const coalescer = new LoginCoalescer<{ sessionToken: string; keyManagerToken?: string }>();
		let logins = 0;
		const podOnly = async () => ({ sessionToken: `S${++logins}` });
		const withKeyManager = async () => ({ sessionToken: `S${++logins}`, keyManagerToken: `K${logins}` });
		const needsKeyManager = (tokens: { keyManagerToken?: string }) => tokens.keyManagerToken !== undefined;
		// A pod login runs; an Agent request arriving meanwhile waits for it, then logs in for both.
		const pod = coalescer.sessionToken('id', '', podOnly);
		const agent = coalescer.sessionToken('id', '', withKeyManager, undefined, needsKeyManager);
		expect(await pod).toEqual({ sessionToken: 'S1' });
		expect(await agent).toEqual({ sessionToken: 'S2', keyManagerToken: 'K2' });
		// A request refused with S1 gets the newer tokens, which serve pod and Agent calls alike.
		expect(await coalescer.sessionToken('id', 'S1', podOnly)).toEqual({ sessionToken: 'S2', keyManagerToken: 'K2' });
		expect(await coalescer.sessionToken('id', 'S1', withKeyManager, undefined, needsKeyManager)).toEqual({ sessionToken: 'S2', keyManagerToken: 'K2' });
		expect(logins).toBe(2);
	});

	test('a request whose token was already replaced gets the newer token without a login', async () => {
		const { coalescer, login, minted } = mintingLogin();
		expect(await coalescer.sessionToken('id', '', login)).toBe('T1');
		expect(await coalescer.sessionToken('id', 'T1', login)).toBe('T2');
		// Late requests that still carried T1 when they got their 401:
		expect(await coalescer.sessionToken('id', 'T1', login)).toBe('T2');
		expect(await coalescer.sessionToken('id', 'T1', login)).toBe('T2');
		expect(minted()).toBe(2);
		// T2 itself failing means the session really ended.
		expect(await coalescer.sessionToken('id', 'T2', login)).toBe('T3');
		expect(await coalescer.sessionToken('id', 'T1', login)).toBe('T3');
		expect(minted()).toBe(3);
	});

	test('a token another worker minted that fails within 30 s of this process\'s login after the end of a session gets that login\'s token', async () => {
		await onTestClock(async (clock) => {
			const { coalescer, login, minted } = mintingLogin();
			await coalescer.sessionToken('id', '', login);
			// Sessions end: this process's token and another worker's fail together.
			clock.advance(60_000);
			expect(await coalescer.sessionToken('id', 'T1', login)).toBe('T2');
			clock.advance(1_000);
			expect(await coalescer.sessionToken('id', 'from-another-worker', login)).toBe('T2');
			expect(minted()).toBe(2);
			// Later, a failing token this process never minted means another end of sessions.
			clock.advance(30_000);
			expect(await coalescer.sessionToken('id', 'from-another-worker', login)).toBe('T3');
			expect(minted()).toBe(3);
		});
	});

	test('a login for a first use does not serve another worker\'s failed token: the sessions may have ended since', async () => {
		await onTestClock(async (clock) => {
			const { coalescer, login, minted } = mintingLogin();
			await coalescer.sessionToken('id', '', login);
			clock.advance(1_000);
			expect(await coalescer.sessionToken('id', 'from-another-worker', login)).toBe('T2');
			// This process's own earlier token, failing late, gets the new one.
			expect(await coalescer.sessionToken('id', 'T1', login)).toBe('T2');
			expect(minted()).toBe(2);
		});
	});

	test('a request logs in, unless a login is running or was made after it read its token', async () => {
		await onTestClock(async (clock) => {
			const { coalescer, login, minted } = mintingLogin();
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
			expect(minted()).toBe(4);
		});
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

describe('session handover', () => {
	test('the node hands the refused session over on the credential object it passes to n8n', () => {
		const credentials = { sessionToken: '' };
		expect(sessionHandedOver(credentials)).toBeUndefined();
		handOverSession(credentials, { failedToken: 'T1', readAt: 1234 });
		expect(sessionHandedOver(credentials)).toEqual({ failedToken: 'T1', readAt: 1234 });
		// A copy (as an n8n version that cloned the credential would make) carries nothing: a login, never a stale token.
		expect(sessionHandedOver({ ...credentials })).toBeUndefined();
	});
});
