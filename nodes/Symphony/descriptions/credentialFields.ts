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

/** Where the Agent (messages) lives, in both credentials. */
export const agentUrlField: INodeProperties = {
	displayName: 'Agent URL',
	name: 'agentUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://acme-agent.symphony.com',
	description: "Only if your Agent (which sends messages) is not on the Pod URL's host, e.g. an on-premise Agent. Leave empty to use the Pod URL's host.",
};

/** Server errors a pod reports in its JSON body (`{ code, message }`), worded once for both credentials. */
const SERVER_ERRORS = [500, 502, 503, 504] as const;

/**
 * Test connection for both credentials: GET /pod/v2/sessioninfo, read whatever its status, so a
 * refusal costs one request (n8n retries a request that failed with 401 once) and n8n logs no stack
 * for it. The answer is judged by its body: Symphony's error body carries the status as `code`; an
 * answer without the account's `id` did not come from a pod's session info.
 */
export function sessionInfoTest(messages: { 401: string; 403: string; notPod: string }): ICredentialTestRequest {
	const byCode = (value: number, message: string) => ({ type: 'responseSuccessBody' as const, properties: { key: 'code', value, message } });
	return {
		request: {
			baseURL: POD_BASE_URL_EXPRESSION,
			url: '/pod/v2/sessioninfo',
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			byCode(401, messages[401]),
			byCode(403, messages[403]),
			...SERVER_ERRORS.map((code) => byCode(code, `The pod had an internal problem (${code}). Try again later; if it persists, contact your Symphony administrator.`)),
			{ type: 'responseSuccessBody', properties: { key: 'id', value: undefined, message: messages.notPod } },
		],
	};
}
