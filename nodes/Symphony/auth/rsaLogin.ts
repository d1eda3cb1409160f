import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { ParameterError } from '../errors';
import { normalizePodUrl } from '../helpers/podUrl';
import { parseUserId } from '../helpers/userIds';
import { SymphonyLoginError, describeCredentialField, describeLoginFailure, type LoginFailure, type LoginStep } from './loginErrors';
import { LOGIN_JWT_LIFETIME_SECONDS, createLoginJwt, isKeyProblem, loadPrivateKey } from './rsaKey';

/**
 * Symphony's RSA login (bot, and app on behalf of a user) as the credential's preAuthentication
 * runs it: the credential's fields checked, then the login calls. The request function is n8n's,
 * passed in; everything else is plain code. loginSharing.ts makes concurrent requests share a login.
 */

export type LoginAs = 'bot' | 'oboApp';

export interface RsaLoginSettings {
	/** Pod base URL, normalised. */
	podUrl: string;
	/** Base URL that /login hangs off: the Login URL when given, else the pod. */
	loginUrl: string;
	/** Base URL that /relay (the key manager) hangs off: the Key Manager URL when given, else the pod. */
	keyManagerUrl: string;
	loginAs: LoginAs;
	/** The login token's `sub`: the service account's username (bot) or the app ID (OBO). */
	subject: string;
	privateKey: string;
	passphrase: string;
	/** OBO: the user the app acts for. */
	oboUser?: { by: 'id' | 'username'; value: string };
}

/** Field names as the credential shows them, for messages. */
const FIELDS = {
	bot: { subject: 'Username', key: 'Private Key' },
	oboApp: { subject: 'App ID', key: 'App Private Key' },
} as const;

export const LOGIN_TIMEOUT_MS = 30_000;

function fieldError(field: string, problem: string, fix: string): SymphonyLoginError {
	return new SymphonyLoginError(describeCredentialField(field, problem, fix));
}

/** Runs a parser that throws ParameterError; returns its value or the error to throw outside the catch. */
function parsed<T>(parse: () => T): T | SymphonyLoginError {
	try {
		return parse();
	} catch (error) {
		const message = error instanceof ParameterError ? error.message : String(error);
		return new SymphonyLoginError({ message: `Symphony RSA credential: ${message}`, description: 'Open the Symphony RSA credential and correct this field.' });
	}
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/** Checks the credential's fields. Throws SymphonyLoginError naming the field to fix. */
export function parseRsaLoginSettings(credentials: ICredentialDataDecryptedObject): RsaLoginSettings {
	const podUrl = parsed(() => normalizePodUrl(credentials.podUrl, 'Pod URL'));
	if (podUrl instanceof SymphonyLoginError) throw podUrl;
	const loginField = text(credentials.loginUrl).trim();
	const loginUrl = loginField === '' ? podUrl : parsed(() => normalizePodUrl(loginField, 'Login URL'));
	if (loginUrl instanceof SymphonyLoginError) throw loginUrl;
	const keyManagerField = text(credentials.keyManagerUrl).trim();
	const keyManagerUrl = keyManagerField === '' ? podUrl : parsed(() => normalizePodUrl(keyManagerField, 'Key Manager URL'));
	if (keyManagerUrl instanceof SymphonyLoginError) throw keyManagerUrl;

	const loginAs: LoginAs = credentials.loginAs === 'oboApp' ? 'oboApp' : 'bot';
	const fields = FIELDS[loginAs];
	const subject = text(loginAs === 'bot' ? credentials.username : credentials.appId).trim();
	if (subject === '') {
		throw fieldError(
			fields.subject,
			'is empty',
			loginAs === 'bot' ? "Enter the service account's username, e.g. presence.bot" : "Enter the app's ID as shown in App Management, e.g. acme-presence-app",
		);
	}
	const privateKey = text(loginAs === 'bot' ? credentials.privateKey : credentials.appPrivateKey);

	let oboUser: RsaLoginSettings['oboUser'];
	if (loginAs === 'oboApp') {
		const user = text(credentials.oboUser).trim();
		if (user === '') {
			throw fieldError('User', 'is empty', 'Enter the user the app acts for: a user ID such as 7215545078541, or a username');
		}
		if (/^\d+$/.test(user)) {
			const id = parsed(() => parseUserId('User', user));
			if (id instanceof SymphonyLoginError) throw id;
			oboUser = { by: 'id', value: id };
		} else {
			oboUser = { by: 'username', value: user };
		}
	}
	return { podUrl, loginUrl, keyManagerUrl, loginAs, subject, privateKey, passphrase: text(credentials.passphrase), oboUser };
}

/**
 * A name for one login identity that reveals nothing: logins for the same pod, account and key
 * share tokens; any change to the credential gives another name.
 */
export function loginFingerprint(settings: RsaLoginSettings): string {
	return createHash('sha256')
		.update(
			JSON.stringify([
				settings.podUrl,
				settings.loginUrl,
				settings.keyManagerUrl,
				settings.loginAs,
				settings.subject,
				settings.oboUser ?? null,
				settings.privateKey,
				settings.passphrase,
			]),
		)
		.digest('hex');
}

/**
 * True when the difference between this machine's clock and the pod's is enough for Symphony to
 * refuse the login token: it must expire after the pod's now and at most 5 minutes after it.
 * `skewMs` is pod minus local; a 2 s margin covers the Date header's whole seconds and latency.
 */
export function clockSkewBreaksLogin(skewMs: number): boolean {
	const maxAheadMs = (300 - LOGIN_JWT_LIFETIME_SECONDS) * 1000;
	const maxBehindMs = LOGIN_JWT_LIFETIME_SECONDS * 1000;
	return -skewMs > maxAheadMs - 2000 || skewMs > maxBehindMs - 2000;
}

export type LoginHttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

interface FullResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

function bodyObject(body: unknown): Record<string, unknown> | undefined {
	if (typeof body === 'object' && body !== null) return body as Record<string, unknown>;
	if (typeof body !== 'string') return undefined;
	try {
		const value: unknown = JSON.parse(body);
		return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	const first = Array.isArray(value) ? (value[0] as unknown) : value;
	return typeof first === 'string' ? first : undefined;
}

function networkCodeOf(error: unknown): string | undefined {
	const e = error as { code?: unknown; cause?: { code?: unknown } };
	const code = e?.code ?? e?.cause?.code;
	return typeof code === 'string' ? code : undefined;
}

function hostOf(url: string): string {
	return URL.canParse(url) ? new URL(url).host : url;
}

interface LoginCall {
	step: LoginStep;
	url: string;
	/** The host named in messages (the login service's unless said). */
	host?: string;
	body?: { token: string };
	sessionToken?: string;
	/** Secrets of this login, removed from anything the pod says before it is shown. */
	secrets: string[];
}

/** One POST to the login service; returns the session token or throws SymphonyLoginError. */
async function postLogin(
	request: LoginHttpRequest,
	settings: RsaLoginSettings,
	call: LoginCall,
	nowMs: () => number,
): Promise<string> {
	const failure: LoginFailure = {
		step: call.step,
		subject: settings.subject,
		loginUrl: call.host ?? hostOf(settings.loginUrl),
		oboUser: settings.oboUser && (settings.oboUser.by === 'id' ? `user ${settings.oboUser.value}` : `user "${settings.oboUser.value}"`),
	};
	let response: FullResponse | undefined;
	let networkCode: string | undefined;
	try {
		response = (await request({
			method: 'POST',
			url: call.url,
			headers: { Accept: 'application/json', ...(call.sessionToken !== undefined && { sessionToken: call.sessionToken }) },
			...(call.body && { body: call.body }),
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: LOGIN_TIMEOUT_MS,
		})) as FullResponse;
	} catch (error) {
		// The error holds the request, login token included: only its code is kept.
		networkCode = networkCodeOf(error) ?? 'unknown';
	}
	if (response === undefined || typeof response.statusCode !== 'number') {
		throw new SymphonyLoginError(describeLoginFailure({ ...failure, networkCode }), { networkCode });
	}

	const body = bodyObject(response.body);
	const { statusCode } = response;
	if (statusCode >= 200 && statusCode < 300) {
		const token = body?.token;
		if (typeof token === 'string' && token.trim() !== '') return token.trim();
		throw new SymphonyLoginError(describeLoginFailure({ ...failure, noToken: true }));
	}

	let symphonyMessage = typeof body?.message === 'string' ? body.message.slice(0, 300) : undefined;
	for (const secret of call.secrets) symphonyMessage = symphonyMessage?.split(secret).join('…');
	const podDate = Date.parse(headerOf(response.headers, 'date') ?? '');
	const skewMs = Number.isNaN(podDate) ? undefined : podDate - nowMs();
	const clockSkewMs = statusCode === 401 && skewMs !== undefined && clockSkewBreaksLogin(skewMs) ? skewMs : undefined;
	throw new SymphonyLoginError(describeLoginFailure({ ...failure, status: statusCode, symphonyMessage, clockSkewMs }), {
		status: statusCode,
		retryAfter: headerOf(response.headers, 'retry-after'),
	});
}

/**
 * Logs in with the RSA key and returns the session token to send as `sessionToken` on pod calls.
 * Bot: POST /login/pubkey/authenticate. OBO: POST /login/pubkey/app/authenticate, then the app's
 * session for the user by ID or username.
 */
export async function loginWithRsa(
	settings: RsaLoginSettings,
	request: LoginHttpRequest,
	nowMs: () => number = Date.now,
): Promise<string> {
	const fields = FIELDS[settings.loginAs];
	const key = loadPrivateKey(settings.privateKey, settings.passphrase);
	if (isKeyProblem(key)) throw fieldError(fields.key, key.problem, key.fix);

	const jwt = createLoginJwt(settings.subject, key, nowMs());
	const base = `${settings.loginUrl}/login/pubkey`;
	if (settings.loginAs === 'bot') {
		return await postLogin(request, settings, { step: 'bot', url: `${base}/authenticate`, body: { token: jwt }, secrets: [jwt] }, nowMs);
	}
	const appToken = await postLogin(request, settings, { step: 'app', url: `${base}/app/authenticate`, body: { token: jwt }, secrets: [jwt] }, nowMs);
	const user = settings.oboUser!;
	const userPath = user.by === 'id' ? `user/${user.value}` : `username/${encodeURIComponent(user.value)}`;
	return await postLogin(
		request,
		settings,
		{ step: 'oboUser', url: `${base}/app/${userPath}/authenticate`, sessionToken: appToken, secrets: [jwt, appToken] },
		nowMs,
	);
}

/**
 * The bot's key manager login, for Agent calls (sending messages): POST /relay/pubkey/authenticate
 * with a login token like the session login's. Returns the token to send as `keyManagerToken`.
 * OBO sessions need none (Symphony's Agent takes the OBO session token alone).
 */
export async function loginToKeyManager(
	settings: RsaLoginSettings,
	request: LoginHttpRequest,
	nowMs: () => number = Date.now,
): Promise<string> {
	const key = loadPrivateKey(settings.privateKey, settings.passphrase);
	if (isKeyProblem(key)) throw fieldError(FIELDS.bot.key, key.problem, key.fix);
	const jwt = createLoginJwt(settings.subject, key, nowMs());
	return await postLogin(
		request,
		settings,
		{ step: 'keyManager', url: `${settings.keyManagerUrl}/relay/pubkey/authenticate`, host: hostOf(settings.keyManagerUrl), body: { token: jwt }, secrets: [jwt] },
		nowMs,
	);
}
