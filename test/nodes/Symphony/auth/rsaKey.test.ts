import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';

import {
	LOGIN_JWT_LIFETIME_SECONDS,
	createLoginJwt,
	isKeyProblem,
	loadPrivateKey,
	repairPrivateKeyPem,
} from '../../../../nodes/Symphony/auth/rsaKey';
import { PASSPHRASE, keyFragments, makeKeyPair } from '../../../support/rsa';

const keys = makeKeyPair();
const other = makeKeyPair();
const publicDer = (key: KeyObject) => createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
const ORIGINAL = publicDer(keys.privateKey);

/** What people's paste tools do to a PEM block. */
const damage: Array<[string, (pem: string) => string]> = [
	['as exported', (pem) => pem],
	['CRLF line ends', (pem) => pem.replace(/\n/g, '\r\n')],
	['spaces instead of new lines', (pem) => pem.trim().replace(/\n/g, ' ')],
	['no line breaks at all', (pem) => pem.replace(/\n/g, '')],
	['escaped "\\n" as in JSON or .env files', (pem) => pem.replace(/\n/g, '\\n')],
	['quotes around it', (pem) => `"${pem.trim()}"`],
	['blank lines and indentation around it', (pem) => `\n\n   ${pem.split('\n').join('\n    ')}\n\n`],
	['a public key pasted before it', (pem) => `${keys.publicKeyPem}\n${pem}`],
	['lines rewrapped at 76 characters', (pem) => {
		const lines = pem.trim().split('\n');
		const body = lines.slice(1, -1).join('');
		return [lines[0], ...(body.match(/.{1,76}/g) ?? []), lines.at(-1)].join('\n');
	}],
];

describe('loadPrivateKey: formats and paste damage', () => {
	test.each(damage)('PKCS#1 (BEGIN RSA PRIVATE KEY) with %s', (_name, hurt) => {
		const key = loadPrivateKey(hurt(keys.pkcs1), '');
		expect(isKeyProblem(key)).toBe(false);
		expect(publicDer(key as KeyObject)).toBe(ORIGINAL);
	});

	test.each(damage)('PKCS#8 (BEGIN PRIVATE KEY) with %s', (_name, hurt) => {
		const key = loadPrivateKey(hurt(keys.pkcs8), undefined);
		expect(publicDer(key as KeyObject)).toBe(ORIGINAL);
	});

	test.each(damage)('encrypted PKCS#8 with %s and its passphrase', (_name, hurt) => {
		const key = loadPrivateKey(hurt(keys.encryptedPkcs8), PASSPHRASE);
		expect(publicDer(key as KeyObject)).toBe(ORIGINAL);
	});

	test.each(damage)('encrypted PKCS#1 (Proc-Type: 4,ENCRYPTED) with %s and its passphrase', (_name, hurt) => {
		const key = loadPrivateKey(hurt(keys.encryptedPkcs1), PASSPHRASE);
		expect(publicDer(key as KeyObject)).toBe(ORIGINAL);
	});

	test('legacy encryption with DES-EDE3 (8-byte IV) survives lost line breaks too', () => {
		const des = keys.privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'des-ede3-cbc', passphrase: PASSPHRASE }).toString();
		expect(des).toMatch(/DEK-Info: DES-EDE3-CBC,[0-9A-F]{16}\n/);
		expect(publicDer(loadPrivateKey(des.replace(/\n/g, ''), PASSPHRASE) as KeyObject)).toBe(ORIGINAL);
	});

	test('a passphrase pasted with a trailing new line still opens the key', () => {
		expect(publicDer(loadPrivateKey(keys.encryptedPkcs8, `${PASSPHRASE}\n`) as KeyObject)).toBe(ORIGINAL);
	});

	test('a passphrase given for a key that is not encrypted is ignored', () => {
		expect(publicDer(loadPrivateKey(keys.pkcs8, PASSPHRASE) as KeyObject)).toBe(ORIGINAL);
	});

	test('the repaired PEM has 64-character lines between matching BEGIN and END lines', () => {
		const repaired = repairPrivateKeyPem(keys.pkcs8.replace(/\n/g, ' '));
		expect(repaired).toMatchObject({ kind: 'pkcs8', encrypted: false });
		const lines = (repaired as { pem: string }).pem.trim().split('\n');
		expect(lines[0]).toBe('-----BEGIN PRIVATE KEY-----');
		expect(lines.at(-1)).toBe('-----END PRIVATE KEY-----');
		expect(lines.slice(1, -2).every((line) => line.length === 64)).toBe(true);
	});
});

describe('loadPrivateKey: keys it cannot use, each with what to do', () => {
	const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
	const body = (pem: string) => pem.trim().split('\n').slice(1, -1);
	const cases: Array<[string, string, string | undefined, RegExp, RegExp]> = [
		['empty', '', undefined, /^is empty$/, /Paste the private key/],
		['not PEM at all', 'my-key-is-here', undefined, /not in PEM form/, /BEGIN PRIVATE KEY/],
		['cut off before the END line', keys.pkcs8.slice(0, 900), undefined, /cut off: its END line is missing/, /Copy the whole key again/],
		['a public key only', keys.publicKeyPem, undefined, /holds a public key/, /the public key is the one your Symphony administrator imports/],
		['two private keys', `${keys.pkcs8}\n${other.pkcs8}`, undefined, /more than one private key/, /only the one private key/],
		['an OpenSSH key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----', undefined, /OpenSSH format/, /ssh-keygen -p -m PKCS8/],
		['an EC key (SEC1)', ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString(), undefined, /elliptic-curve/, /RSA keys only/],
		['an EC key in PKCS#8', ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), undefined, /type "ec", not an RSA key/, /RSA keys only/],
		['foreign characters inside', keys.pkcs8.replace(/\n(.{10})/, '\n$1#!'), undefined, /characters that cannot be part of a PEM key/, /exactly as it is/],
		['lines missing from the middle', [...body(keys.pkcs8).slice(0, 3), ...body(keys.pkcs8).slice(8)].join('\n').replace(/^/, '-----BEGIN PRIVATE KEY-----\n').concat('\n-----END PRIVATE KEY-----'), undefined, /is damaged/, /Copy the key again/],
		['BEGIN and END that do not match', keys.pkcs8.replace('END PRIVATE KEY', 'END RSA PRIVATE KEY'), undefined, /begins as "PRIVATE KEY" but ends as "RSA PRIVATE KEY"/, /Copy the whole key again/],
		['encrypted, no passphrase', keys.encryptedPkcs8, '', /is encrypted, and no passphrase is given/, /Enter the key's passphrase in "Passphrase"/],
		['legacy encrypted, no passphrase', keys.encryptedPkcs1, undefined, /is encrypted, and no passphrase is given/, /"Passphrase"/],
		['encrypted, wrong passphrase', keys.encryptedPkcs8, 'not-the-passphrase', /could not be decrypted with the passphrase given/, /Check "Passphrase"/],
		['legacy encrypted, wrong passphrase', keys.encryptedPkcs1, 'not-the-passphrase', /could not be decrypted/, /Check "Passphrase"/],
		['legacy encrypted, DEK-Info line lost', keys.encryptedPkcs1.replace(/DEK-Info:.*\n/, ''), PASSPHRASE, /"DEK-Info" line is missing/, /Copy the whole key again/],
	];

	test.each(cases)('%s', (_name, raw, passphrase, problem, fix) => {
		const result = loadPrivateKey(raw, passphrase);
		expect(isKeyProblem(result)).toBe(true);
		const { problem: said, fix: todo } = result as { problem: string; fix: string };
		expect(said).toMatch(problem);
		expect(todo).toMatch(fix);
		for (const fragment of [...keyFragments(keys.pkcs8), ...keyFragments(keys.encryptedPkcs8), PASSPHRASE]) {
			expect(`${said} ${todo}`).not.toContain(fragment);
		}
	});

	test('a value that is not text is treated as empty', () => {
		expect(loadPrivateKey(undefined, undefined)).toMatchObject({ problem: 'is empty' });
		expect(loadPrivateKey(42, undefined)).toMatchObject({ problem: 'is empty' });
	});
});

describe('createLoginJwt', () => {
	const NOW = Date.parse('2026-01-05T09:00:00.750Z');
	const jwt = createLoginJwt('presence.bot', keys.privateKey, NOW);
	const [header, payload, signature] = jwt.split('.');
	const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

	test('is a JWT signed RS512 whose sub is the subject and whose exp is 240 s ahead, in whole seconds', () => {
		expect(decode(header)).toEqual({ alg: 'RS512', typ: 'JWT' });
		expect(decode(payload)).toEqual({ sub: 'presence.bot', exp: Math.floor(NOW / 1000) + LOGIN_JWT_LIFETIME_SECONDS });
		expect(LOGIN_JWT_LIFETIME_SECONDS).toBe(240);
		expect(jwt).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
	});

	test('the signature verifies with the public key, and not with another', () => {
		const signed = Buffer.from(`${header}.${payload}`);
		expect(verify('sha512', signed, createPublicKey(keys.privateKey), Buffer.from(signature, 'base64url'))).toBe(true);
		expect(verify('sha512', signed, createPublicKey(other.privateKey), Buffer.from(signature, 'base64url'))).toBe(false);
		expect(verify('sha256', signed, createPublicKey(keys.privateKey), Buffer.from(signature, 'base64url'))).toBe(false);
	});

	test('subjects with non-ASCII characters are encoded as UTF-8', () => {
		const [, body] = createLoginJwt('bøt.ünïcode', keys.privateKey, NOW).split('.');
		expect(decode(body).sub).toBe('bøt.ünïcode');
	});
});
