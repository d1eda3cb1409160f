import { NodeApiError, type JsonObject } from 'n8n-workflow';

import {
	SymphonyLoginError,
	describeCredentialField,
	describeLoginFailure,
	loginErrorOf,
	type LoginFailure,
} from '../../../../nodes/Symphony/auth/loginErrors';
import { loginWithRsa, parseRsaLoginSettings } from '../../../../nodes/Symphony/auth/rsaLogin';
import { testNode } from '../../../support/node';
import { PASSPHRASE, keyFragments, makeKeyPair } from '../../../support/rsa';
import { expectNoSecrets } from '../../../support/secrets';

const NODE = testNode('n8n-nodes-symphony.symphony', 'Symphony');

/** A login refused for `subject`: each test uses its own subject, so its message is its own. */
function refusedLogin(subject: string): SymphonyLoginError {
	const failure: LoginFailure = { step: 'bot', subject, loginUrl: 'acme.symphony.com', status: 401 };
	return new SymphonyLoginError(describeLoginFailure(failure), { status: 401 });
}

describe('describeCredentialField', () => {
	test('names the field, what is wrong and what to do; it takes no value, so it can show none', () => {
		expect(describeCredentialField('Private Key', 'is empty', 'Paste the private key in PEM form')).toEqual({
			message: 'Symphony RSA credential: Private Key is empty. Paste the private key in PEM form',
			description: 'Open the Symphony RSA credential and correct this field.',
		});
		expect(describeCredentialField).toHaveLength(3);
	});

	test('a key the login cannot use is refused before any request, naming the field and showing no key or passphrase', async () => {
		const keys = makeKeyPair();
		const sent: unknown[] = [];
		const settings = parseRsaLoginSettings({
			podUrl: 'acme.symphony.com',
			loginAs: 'bot',
			username: 'presence.bot',
			privateKey: keys.encryptedPkcs8,
			passphrase: `${PASSPHRASE}-wrong`,
		});
		const thrown = await loginWithRsa(settings, async (options) => sent.push(options)).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(thrown).toBeInstanceOf(SymphonyLoginError);
		expect((thrown as SymphonyLoginError).report).toEqual({
			message:
				'Symphony RSA credential: Private Key could not be decrypted with the passphrase given. Check "Passphrase": it must be the passphrase the key was encrypted with',
			description: 'Open the Symphony RSA credential and correct this field.',
		});
		expect(sent).toEqual([]);
		expectNoSecrets(thrown, [...keyFragments(keys.encryptedPkcs8), ...keyFragments(keys.pkcs8), PASSPHRASE]);
	});
});

describe('SymphonyLoginError', () => {
	test('carries the message and description, and the retry outcome apart from any status or code n8n would read', () => {
		const error = refusedLogin('carrier.bot');
		expect(error.name).toBe('SymphonyLoginError');
		expect(error.message).toBe(
			'Symphony refused the login of service account "carrier.bot" (401): import the public key of this Private Key for "carrier.bot", and check that "carrier.bot" is the account\'s username',
		);
		expect(error.description).toBe(error.report.description);
		expect(error.retry).toEqual({ status: 401 });
		expect('status' in error).toBe(false);
		expect('code' in error).toBe(false);
	});
});

describe('loginErrorOf', () => {
	test('finds the login failure itself, and behind a cause', () => {
		const failure = refusedLogin('direct.bot');
		expect(loginErrorOf(failure)).toBe(failure);
		expect(loginErrorOf(new Error('request failed', { cause: failure }))).toBe(failure);
	});

	test('finds it through n8n\'s re-wrap, which keeps the message but drops the original', () => {
		const failure = refusedLogin('rewrapped.bot');
		// As n8n-core's request helper wraps what preAuthentication threw.
		const rewrapped = new NodeApiError(NODE, failure as unknown as JsonObject);
		expect(rewrapped.message).toBe(failure.message);
		expect(rewrapped.description).toBe(failure.description);
		expect(loginErrorOf(rewrapped)).toBe(failure);
		// And with the message given again, as other n8n versions do.
		expect(loginErrorOf(new NodeApiError(NODE, failure as unknown as JsonObject, { message: failure.message }))).toBe(failure);
	});

	test('does not take an unrelated error for a login failure', () => {
		const known = refusedLogin('known.bot');
		expect(loginErrorOf(new NodeApiError(NODE, { message: 'socket hang up' } as JsonObject, { message: 'socket hang up' }))).toBeUndefined();
		expect(loginErrorOf(new Error(known.message.replaceAll('known.bot', 'other.bot')))).toBeUndefined();
		expect(loginErrorOf(new Error('Symphony refused the login'))).toBeUndefined();
		expect(loginErrorOf(undefined)).toBeUndefined();
		expect(loginErrorOf('a string')).toBeUndefined();
	});

	test('remembers the 32 most recent failures by message; the same failure again counts as recent', () => {
		const oldest = refusedLogin('oldest.bot');
		const renewed = refusedLogin('renewed.bot');
		const fillers = Array.from({ length: 31 }, (_, i) => refusedLogin(`filler${i}.bot`));
		// 32 failures since the oldest: it is forgotten by message, found directly all the same.
		expect(loginErrorOf(new Error(oldest.message))).toBeUndefined();
		expect(loginErrorOf(oldest)).toBe(oldest);
		// Failing again makes it the most recent, so the next failure forgets the first filler instead.
		const renewedAgain = refusedLogin('renewed.bot');
		refusedLogin('one.more.bot');
		expect(loginErrorOf(new Error(renewed.message))).toBe(renewedAgain);
		expect(loginErrorOf(new Error(fillers[0].message))).toBeUndefined();
		expect(loginErrorOf(new Error(fillers[1].message))).toBe(fillers[1]);
	});
});

describe('describeLoginFailure: the key manager login', () => {
	const base: LoginFailure = { step: 'keyManager', subject: 'presence.bot', loginUrl: 'km.acme.example' };
	test.each<[string, Partial<LoginFailure>, string, RegExp]>([
		['out of reach', { networkCode: 'ECONNREFUSED' }, 'Could not log service account "presence.bot" in to Symphony\'s key manager at km.acme.example: the host refused the connection', /^Check the Key Manager URL/],
		['no token in the answer', { noToken: true }, 'Could not log service account "presence.bot" in to Symphony\'s key manager at km.acme.example: it answered without a key manager token', /Key Manager URL/],
		['401', { status: 401, symphonyMessage: 'Invalid token' }, 'Symphony\'s key manager at km.acme.example answered 401 to the login of service account "presence.bot"', /^The pod accepted the same key: .* Symphony said: "Invalid token"\.$/],
		['503', { status: 503 }, 'Symphony\'s key manager at km.acme.example answered 503 to the login of service account "presence.bot"', /^This is on Symphony's side; try again later\. Check the Key Manager URL/],
	])('%s: names the key manager and its field', (_name, failure, message, description) => {
		const described = describeLoginFailure({ ...base, ...failure });
		expect(described.message).toBe(message);
		expect(described.description).toMatch(description);
	});
});
