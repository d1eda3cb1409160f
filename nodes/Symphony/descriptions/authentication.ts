import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/** How the node authenticates: a pasted session token, or an RSA key that logs in and renews sessions itself. */
export const authenticationField: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'RSA Key',
			value: 'symphonyRsaApi',
			description: 'A bot or app logs in with its RSA key; sessions renew themselves',
		},
		{
			name: 'Session Token',
			value: 'symphonyApi',
			description: 'A session token from a login, pasted; it expires after your pod\'s session lifetime',
		},
	],
	default: 'symphonyApi',
};

/** The credential each Authentication choice asks for. */
export const symphonyCredentials: INodeCredentialDescription[] = [
	{ name: 'symphonyApi', required: true, displayOptions: { show: { authentication: ['symphonyApi'] } } },
	{ name: 'symphonyRsaApi', required: true, displayOptions: { show: { authentication: ['symphonyRsaApi'] } } },
];
