import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { agentUrlField, podUrlField, sessionInfoTest } from '../nodes/Symphony/descriptions/credentialFields';
import { LoginCoalescer, sessionHandedOver, type LoginTokens } from '../nodes/Symphony/auth/loginSharing';
import { loginFingerprint, loginToKeyManager, loginWithRsa, parseRsaLoginSettings } from '../nodes/Symphony/auth/rsaLogin';

/** One per process, shared by every use of this credential type: what it keeps and why that is safe is in auth/loginSharing.ts. */
const logins = new LoginCoalescer<LoginTokens>();

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

export class SymphonyRsaApi implements ICredentialType {
	name = 'symphonyRsaApi';

	displayName = 'Symphony RSA API';

	icon: Icon = { light: 'file:../icons/symphony.svg', dark: 'file:../icons/symphony.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-symphony/n8n-nodes-symphony#symphony-rsa-api-key-based';

	properties: INodeProperties[] = [
		podUrlField,
		{
			displayName: 'Login URL',
			name: 'loginUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://acme-login.symphony.com',
			description: "Only if your pod's /login service lives on another host. Leave empty to log in at the Pod URL.",
		},
		agentUrlField,
		{
			displayName: 'Key Manager URL',
			name: 'keyManagerUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://acme-km.symphony.com',
			displayOptions: { show: { loginAs: ['bot'] } },
			description:
				"Only if your key manager (/relay) is not on the Pod URL's host. A bot logs in there too before it sends its first message; an app acting for a user (OBO) needs no key manager.",
		},
		{
			displayName: 'Login As',
			name: 'loginAs',
			type: 'options',
			default: 'bot',
			options: [
				{
					name: 'App on Behalf of a User (OBO)',
					value: 'oboApp',
					description: 'An extension app logs in with its key and acts for one user who has installed it',
				},
				{
					name: 'Bot (Service Account)',
					value: 'bot',
					description: 'A service account logs in with its key',
				},
			],
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. presence.bot',
			displayOptions: { show: { loginAs: ['bot'] } },
			description: "The service account's username (not its display name or email)",
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { loginAs: ['bot'] } },
			description:
				'The service account\'s RSA private key in PEM form, "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----" through the END line. Its public key must be imported for this account in the Admin Portal.',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. acme-presence-app',
			displayOptions: { show: { loginAs: ['oboApp'] } },
			description: "The app's ID as shown in the Admin Portal's App Management",
		},
		{
			displayName: 'App Private Key',
			name: 'appPrivateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { loginAs: ['oboApp'] } },
			description: "The app's RSA private key in PEM form. Its public key must be imported for the app in App Management.",
		},
		{
			displayName: 'User',
			name: 'oboUser',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 7215545078541 or jane.doe',
			displayOptions: { show: { loginAs: ['oboApp'] } },
			description: 'The user the app acts for: a user ID (digits only) or a username. The user must have the app installed.',
		},
		{
			displayName: 'Passphrase',
			name: 'passphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for an encrypted private key ("BEGIN ENCRYPTED PRIVATE KEY", or "Proc-Type: 4,ENCRYPTED")',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			// Renewed with the session: the login that replaces an ended session brings a new one too.
			displayName: 'Key Manager Token',
			name: 'keyManagerToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	/**
	 * Logs in with the key. n8n calls this when there is no token yet, after a 401 and in a credential
	 * test. A bot also logs in to the key manager when a request to the Agent asks for it, and from
	 * then on with every login, so both tokens are renewed together.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const settings = parseRsaLoginSettings(credentials);
		// The node blanks the token so that n8n logs in, and hands over the one that was refused.
		const handover = sessionHandedOver(credentials);
		const stored = text(credentials.sessionToken);
		const withKeyManager = settings.loginAs === 'bot' && (handover?.keyManager === true || text(credentials.keyManagerToken) !== '');
		const request = async (options: IHttpRequestOptions) => await this.helpers.httpRequest(options);
		const tokens = await logins.sessionToken(
			loginFingerprint(settings),
			stored !== '' ? stored : (handover?.failedToken ?? ''),
			async () => {
				const kept = withKeyManager ? (handover?.keepSession ?? '') : '';
				const sessionToken = kept !== '' ? kept : await loginWithRsa(settings, request);
				return withKeyManager ? { sessionToken, keyManagerToken: await loginToKeyManager(settings, request) } : { sessionToken };
			},
			handover?.readAt,
			(found) => !withKeyManager || (found.keyManagerToken ?? '') !== '',
		);
		return tokens.keyManagerToken === undefined ? { sessionToken: tokens.sessionToken } : { sessionToken: tokens.sessionToken, keyManagerToken: tokens.keyManagerToken };
	}

	/**
	 * `sessionToken` on every request; `keyManagerToken` only on requests to the Agent, which the
	 * node marks by sending that header (empty) for the credential to fill.
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const headers: Record<string, string> = { ...(requestOptions.headers as Record<string, string>), sessionToken: text(credentials.sessionToken) };
		if (headers.keyManagerToken !== undefined) headers.keyManagerToken = text(credentials.keyManagerToken);
		return { ...requestOptions, headers };
	}

	test: ICredentialTestRequest = sessionInfoTest({
		401: 'The login worked, but the pod refused the session token it issued. Check that the Pod URL and the Login URL belong to the same pod.',
		403: 'The login worked, but this account may not read session info. For an app acting for a user (OBO), give the app the GET_BASIC_USER_INFO permission.',
		notPod: 'The login worked, but something that is not a Symphony pod answered at the Pod URL. Check the Pod URL, e.g. https://acme.symphony.com.',
	});
}
