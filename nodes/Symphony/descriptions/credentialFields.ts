import type { ICredentialTestRequest, INodeProperties } from 'n8n-workflow';

import { POD_BASE_URL_EXPRESSION } from '../helpers/podUrl';

/** The pod address, the same field in both credentials. */
export const podUrlField: INodeProperties = {
	displayName: 'Pod URL',
	name: 'podUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. https://acme.symphony.com',
	description: 'Address of your Symphony pod. "acme.symphony.com", "https://acme.symphony.com/" and ".../pod" all work.',
};

/**
 * Test connection for both credentials: GET /pod/v2/sessioninfo, with what each refusal means for
 * that credential (n8n shows the message for the status the pod answered).
 */
export function sessionInfoTest(messages: Record<401 | 403 | 404, string>): ICredentialTestRequest {
	return {
		request: {
			baseURL: POD_BASE_URL_EXPRESSION,
			url: '/pod/v2/sessioninfo',
			method: 'GET',
		},
		rules: ([401, 403, 404] as const).map((value) => ({
			type: 'responseCode' as const,
			properties: { value, message: messages[value] },
		})),
	};
}
