/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- development code: runs in Node, never packed; its secrets are fakes for the simulator */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { createHarness, type Harness } from '../harness';
import { startSimulator, type PodSimulator, type SimulatorOptions } from '../simulator';
import { simMessagingOf } from '../simulator/routes/messages';
import { simLoginOf, type SimLogin } from '../simulator/routes/login';
import { ALICE, BOT, testUsers } from './pod';

/** Key pairs are made at test time; no key file is ever committed. */
export interface TestKeyPair {
	privateKey: KeyObject;
	publicKeyPem: string;
	pkcs1: string;
	pkcs8: string;
	encryptedPkcs8: string;
	/** PKCS#1 with OpenSSL's legacy "Proc-Type: 4,ENCRYPTED" header. */
	encryptedPkcs1: string;
}

/** Distinctive enough that finding it anywhere in output means it leaked. */
export const PASSPHRASE = 'pass-SECRET-8c1e4f27';
export const BOT_USERNAME = 'presence.bot';
export const APP_ID = 'acme-presence-app';

export function makeKeyPair(): TestKeyPair {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return {
		privateKey,
		publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
		pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
		pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		encryptedPkcs8: privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }).toString(),
		encryptedPkcs1: privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }).toString(),
	};
}

let botKeys: TestKeyPair | undefined;
let appKeys: TestKeyPair | undefined;
/** The bot's key pair, made once per test file. */
export function botKeyPair(): TestKeyPair {
	return (botKeys ??= makeKeyPair());
}
/** The OBO app's key pair, made once per test file. */
export function appKeyPair(): TestKeyPair {
	return (appKeys ??= makeKeyPair());
}

/** Pieces of a PEM key's body: any of them in output means key material leaked. */
export function keyFragments(pem: string): string[] {
	const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
	return [body.slice(40, 80), body.slice(Math.floor(body.length / 2), Math.floor(body.length / 2) + 40), body.slice(-80, -40)];
}

export interface RsaPodFixture {
	sim: PodSimulator;
	login: SimLogin;
	harness: Harness;
	/** Everything that must never appear in output: key fragments, passphrase, every token and login JWT seen. */
	secrets(): string[];
}

/**
 * A simulator whose login service knows the bot (presence.bot, the BOT user) and the OBO app
 * (installed by Alice), and a harness whose RSA credential logs in as the bot with a PKCS#8 key.
 * The simulator starts with no session at all: every token comes from a login.
 */
export async function startRsaPod(options: SimulatorOptions = {}, credential: IDataObject = {}): Promise<RsaPodFixture> {
	const sim = await startSimulator({ users: testUsers(), sessions: [], ...options });
	const login = simLoginOf(sim);
	login.addBot({ username: BOT_USERNAME, userId: BOT, publicKeys: [botKeyPair().publicKeyPem] });
	login.addApp({ appId: APP_ID, publicKeys: [appKeyPair().publicKeyPem], installedFor: [ALICE] });
	const harness = createHarness({
		symphonyRsaApi: { podUrl: sim.url, loginAs: 'bot', username: BOT_USERNAME, privateKey: botKeyPair().pkcs8, ...credential },
	});
	const secrets = () => [
		...keyFragments(botKeyPair().pkcs8),
		...keyFragments(botKeyPair().pkcs1),
		...keyFragments(appKeyPair().pkcs8),
		...keyFragments(botKeyPair().encryptedPkcs8),
		PASSPHRASE,
		...login.issued,
		...login.appSessions.keys(),
		...sim.requests.filter((r) => (r.path.startsWith('/login/') || r.path.startsWith('/relay/')) && r.body).map((r) => JSON.parse(r.body).token as string),
		...simMessagingOf(sim).issued,
	];
	return { sim, login, harness, secrets };
}

/** Node parameters that pick the RSA credential. */
export const RSA = { authentication: 'symphonyRsaApi' };
