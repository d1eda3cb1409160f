import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

/**
 * Private keys as people paste them, and the signed login token Symphony's RSA login expects.
 * Pure: no I/O, the clock is an argument. Nothing here ever puts key material into a message.
 */

/** BDK-J and BDK-P sign login tokens valid for 240 s; Symphony accepts at most 5 minutes ahead. */
export const LOGIN_JWT_LIFETIME_SECONDS = 240;
const PEM_LINE_LENGTH = 64;

/** Why a key cannot be used: `problem` reads after the field name, `fix` says what to do. */
export interface KeyProblem {
	problem: string;
	fix: string;
}

export type PemKind = 'pkcs1' | 'pkcs8' | 'encryptedPkcs8';

/** A private key rebuilt into clean PEM, and what it holds. */
export interface RepairedPem {
	pem: string;
	kind: PemKind;
	encrypted: boolean;
}

const PRIVATE_KEY_LABELS: Record<string, PemKind> = {
	'RSA PRIVATE KEY': 'pkcs1',
	'PRIVATE KEY': 'pkcs8',
	'ENCRYPTED PRIVATE KEY': 'encryptedPkcs8',
};

const CONVERT_FIX =
	'Paste the private key in PEM form, from "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----" to the matching END line';

const OTHER_LABELS: Record<string, KeyProblem> = {
	'PUBLIC KEY': {
		problem: 'holds a public key',
		fix: 'Paste the private key here; the public key is the one your Symphony administrator imports into the pod',
	},
	'RSA PUBLIC KEY': {
		problem: 'holds a public key',
		fix: 'Paste the private key here; the public key is the one your Symphony administrator imports into the pod',
	},
	CERTIFICATE: {
		problem: 'holds a certificate, not a private key',
		fix: CONVERT_FIX,
	},
	'OPENSSH PRIVATE KEY': {
		problem: 'is in OpenSSH format, which Symphony logins do not use',
		fix: 'Convert it to PEM with "ssh-keygen -p -m PKCS8 -f <key file>" (it rewrites the file in place), or create an RSA key with openssl as the README shows',
	},
	'EC PRIVATE KEY': {
		problem: 'is an elliptic-curve key',
		fix: 'Symphony logs in with RSA keys only: create one with "openssl genrsa -out privatekey.pem 4096"',
	},
};

/** Undoes what pasting does to a PEM block: escaped or CRLF line breaks, surrounding quotes, lost new lines. */
function unescape(text: string): string {
	return text
		.replace(/\\r\\n|\\n|\\r/g, '\n')
		.replace(/\r\n?/g, '\n')
		.trim()
		.replace(/^(["'])([\s\S]*)\1$/, '$2')
		.trim();
}

function wrap(base64: string): string {
	const lines: string[] = [];
	for (let i = 0; i < base64.length; i += PEM_LINE_LENGTH) lines.push(base64.slice(i, i + PEM_LINE_LENGTH));
	return lines.join('\n');
}

/** Hex length of the IV in a legacy "DEK-Info" line, by cipher (16-byte blocks for AES, 8 for DES and the like). */
const IV_HEX_LENGTH: Array<[string, number]> = [
	['AES-', 32],
	['CAMELLIA-', 32],
	['ARIA-', 32],
	['DES-', 16],
	['DES3', 16],
	['BF-', 16],
	['CAST', 16],
	['IDEA-', 16],
];

const BLOCK = /-----\s*BEGIN\s+([A-Z0-9][A-Z0-9 ]*?)\s*-----([\s\S]*?)-----\s*END\s+([A-Z0-9][A-Z0-9 ]*?)\s*-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Rebuilds a pasted private key into clean PEM. Accepts PKCS#1 and PKCS#8 (plain or encrypted),
 * with line breaks turned into spaces, lost, escaped as "\n" or written as CRLF, with quotes
 * around it, or with a certificate pasted alongside. Returns a problem when the text is not
 * unambiguously one private key.
 */
export function repairPrivateKeyPem(raw: unknown): RepairedPem | KeyProblem {
	const text = typeof raw === 'string' ? unescape(raw) : '';
	if (text === '') return { problem: 'is empty', fix: CONVERT_FIX };

	const blocks = [...text.matchAll(BLOCK)].map((m) => ({
		label: m[1].replace(/\s+/g, ' '),
		endLabel: m[3].replace(/\s+/g, ' '),
		body: m[2],
	}));
	if (blocks.length === 0) {
		if (/-----\s*BEGIN/.test(text)) {
			return { problem: 'is cut off: its END line is missing', fix: `Copy the whole key again. ${CONVERT_FIX}` };
		}
		return { problem: 'is not in PEM form (no BEGIN line)', fix: CONVERT_FIX };
	}
	const keys = blocks.filter((b) => b.label in PRIVATE_KEY_LABELS);
	if (keys.length === 0) {
		const known = OTHER_LABELS[blocks[0].label];
		return known ?? { problem: `holds a "${blocks[0].label}" block, not a private key`, fix: CONVERT_FIX };
	}
	if (keys.length > 1) {
		return { problem: 'holds more than one private key', fix: 'Paste only the one private key whose public key is imported into the pod' };
	}
	const [{ label, endLabel, body }] = keys;
	if (endLabel !== label) {
		return { problem: `begins as "${label}" but ends as "${endLabel}"`, fix: `Copy the whole key again. ${CONVERT_FIX}` };
	}

	// Legacy OpenSSL encryption of PKCS#1 keys: "Proc-Type: 4,ENCRYPTED" and "DEK-Info: <cipher>,<hex IV>".
	let rest = body;
	let procType = '';
	let dekInfo = '';
	const procMatch = /Proc-Type:\s*4\s*,\s*ENCRYPTED/i.exec(rest);
	if (procMatch) {
		procType = 'Proc-Type: 4,ENCRYPTED';
		rest = rest.replace(procMatch[0], ' ');
		const dekMatch = /DEK-Info:\s*([A-Za-z0-9-]+)\s*,\s*([0-9A-Fa-f]+)/.exec(rest);
		if (!dekMatch) {
			return { problem: 'is encrypted but its "DEK-Info" line is missing or damaged', fix: `Copy the whole key again. ${CONVERT_FIX}` };
		}
		// With its line break lost, the IV runs into the key text; the cipher says how long the IV is.
		const cipher = dekMatch[1].toUpperCase();
		const ivLength = IV_HEX_LENGTH.find(([prefix]) => cipher.startsWith(prefix))?.[1] ?? dekMatch[2].length;
		const iv = dekMatch[2].slice(0, ivLength);
		dekInfo = `DEK-Info: ${cipher},${iv.toUpperCase()}`;
		rest = rest.replace(`${dekMatch[0].slice(0, dekMatch[0].length - dekMatch[2].length)}${iv}`, ' ');
	}
	const base64 = rest.replace(/\s+/g, '');
	if (base64 === '') return { problem: 'has nothing between its BEGIN and END lines', fix: `Copy the whole key again. ${CONVERT_FIX}` };
	if (!BASE64.test(base64)) {
		return {
			problem: 'contains characters that cannot be part of a PEM key',
			fix: `Copy the key again from the file, exactly as it is. ${CONVERT_FIX}`,
		};
	}
	const headers = procType ? `${procType}\n${dekInfo}\n\n` : '';
	const kind = PRIVATE_KEY_LABELS[label];
	return {
		pem: `-----BEGIN ${label}-----\n${headers}${wrap(base64)}\n-----END ${label}-----\n`,
		kind,
		encrypted: kind === 'encryptedPkcs8' || procType !== '',
	};
}

export function isKeyProblem(value: unknown): value is KeyProblem {
	return typeof value === 'object' && value !== null && 'problem' in value && 'fix' in value;
}

/**
 * Loads a pasted private key, decrypting it with the passphrase when it is encrypted. Returns a
 * problem (never the key text or the passphrase) when it cannot be used for an RSA login.
 */
export function loadPrivateKey(raw: unknown, passphrase: unknown, passphraseField = 'Passphrase'): KeyObject | KeyProblem {
	const repaired = repairPrivateKeyPem(raw);
	if (isKeyProblem(repaired)) return repaired;
	const secret = typeof passphrase === 'string' && passphrase !== '' ? passphrase : undefined;
	if (repaired.encrypted && secret === undefined) {
		return { problem: 'is encrypted, and no passphrase is given', fix: `Enter the key's passphrase in "${passphraseField}"` };
	}

	const attempt = (phrase: string | undefined): KeyObject | string => {
		try {
			return createPrivateKey({ key: repaired.pem, format: 'pem', ...(repaired.encrypted && { passphrase: phrase }) });
		} catch (error) {
			return String((error as { code?: unknown }).code ?? '');
		}
	};
	let key = attempt(secret);
	// A passphrase pasted with a trailing new line or spaces: try it once more without them.
	if (typeof key === 'string' && repaired.encrypted && secret !== undefined && secret.trim() !== secret) {
		const retried = attempt(secret.trim());
		if (typeof retried !== 'string') key = retried;
	}
	if (typeof key === 'string') {
		if (repaired.encrypted) {
			return {
				problem: 'could not be decrypted with the passphrase given',
				fix: `Check "${passphraseField}": it must be the passphrase the key was encrypted with`,
			};
		}
		return {
			problem: 'is damaged: its PEM text does not decode to a private key',
			fix: `Copy the key again from the file, exactly as it is. ${CONVERT_FIX}`,
		};
	}
	if (key.asymmetricKeyType !== 'rsa') {
		return {
			problem: `is a key of type "${key.asymmetricKeyType ?? 'unknown'}", not an RSA key`,
			fix: 'Symphony logs in with RSA keys only: create one with "openssl genrsa -out privatekey.pem 4096"',
		};
	}
	return key;
}

function base64UrlJson(value: unknown): string {
	return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * The login token of Symphony's RSA authentication: a JWT signed RS512 whose `sub` is the service
 * account's username (bot) or the app ID (OBO), valid for LOGIN_JWT_LIFETIME_SECONDS from `nowMs`.
 */
export function createLoginJwt(subject: string, key: KeyObject, nowMs: number): string {
	const header = base64UrlJson({ alg: 'RS512', typ: 'JWT' });
	const payload = base64UrlJson({ sub: subject, exp: Math.floor(nowMs / 1000) + LOGIN_JWT_LIFETIME_SECONDS });
	const signingInput = `${header}.${payload}`;
	const signature = sign('sha512', Buffer.from(signingInput, 'utf8'), key).toString('base64url');
	return `${signingInput}.${signature}`;
}
