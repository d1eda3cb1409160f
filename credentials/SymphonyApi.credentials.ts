import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { agentUrlField, podUrlField, sessionInfoTest } from '../nodes/Symphony/descriptions/credentialFields';

export class SymphonyApi implements ICredentialType {
	name = 'symphonyApi';

	displayName = 'Symphony API';

	icon: Icon = { light: 'file:../icons/symphony.svg', dark: 'file:../icons/symphony.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-symphony/n8n-nodes-symphony#credentials';

	properties: INodeProperties[] = [
		podUrlField,
		{
			displayName: 'Token Type',
			name: 'sessionKind',
			type: 'options',
			default: 'sessionToken',
			options: [
				{
					name: 'Session Token',
					value: 'sessionToken',
					description: 'The session token of a bot or user, from a login to your pod',
				},
				{
					name: 'OBO Session Token',
					value: 'oboSessionToken',
					description: 'A session token an app obtained on behalf of a user (OBO)',
				},
			],
		},
		{
			displayName: 'Session Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { sessionKind: ['sessionToken'] } },
			description:
				'The "token" returned by POST /login/pubkey/authenticate for a bot. It lasts between 1 hour and 2 weeks (your pod\'s setting); for a token that renews itself, use the Symphony RSA API credential.',
		},
		{
			displayName: 'OBO Session Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { sessionKind: ['oboSessionToken'] } },
			description:
				'The "token" returned by POST /login/pubkey/app/user/{userId}/authenticate (or /username/{name}/authenticate) after the app logs in. The app needs the GET_PRESENCE (and, to set presence, SET_PRESENCE) permission.',
		},
		{
			displayName: 'Key Manager Token',
			name: 'keyManagerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { sessionKind: ['sessionToken'] } },
			description:
				'Only to send messages as a bot: the "token" returned by POST /relay/pubkey/authenticate. It lasts as long as the session token. OBO session tokens need none.',
		},
		agentUrlField,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { sessionToken: '={{ $credentials.token.trim() }}' },
		},
	};

	test: ICredentialTestRequest = sessionInfoTest({
		401: 'The pod was reached but refused the token: it is invalid or has expired. Log in again and paste the new session token.',
		403: 'The pod was reached but this token may not read session info. For an OBO token, give the app the GET_BASIC_USER_INFO permission.',
		notPod: 'Something answered at this address, but not a Symphony pod. Check the Pod URL, e.g. https://acme.symphony.com.',
	});
}
