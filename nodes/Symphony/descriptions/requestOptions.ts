import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_REQUESTS_PER_SECOND, MAX_REQUESTS_PER_SECOND } from '../transport/pacing';
import {
	DEFAULT_MAX_ATTEMPTS,
	DEFAULT_MAX_WAIT_SECONDS,
	DEFAULT_TIMEOUT_SECONDS,
} from '../transport/retryPolicy';

/** Options every operation (and the trigger) offers for how requests are sent. Sorted by name. */
export const requestOptionFields: INodeProperties[] = [
	{
		displayName: 'Max Requests per Second',
		name: 'requestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_REQUESTS_PER_SECOND },
		default: DEFAULT_REQUESTS_PER_SECOND,
		description:
			'A hard cap on the requests this workflow run sends to the pod per second, shared by all Symphony nodes of the run. Without it the pace adapts: 350 per second at first, up to 375 while Symphony accepts (it refuses more than 400 per second from one address), halved at a refusal (429). Set it when other systems share your pod\'s quota.',
	},
	{
		displayName: 'Retry',
		name: 'retry',
		type: 'fixedCollection',
		default: {},
		description:
			'How often to try again when Symphony is busy (429), has a server problem (5xx) or the connection drops. Bad requests (400, 403, 404) are never retried.',
		options: [
			{
				displayName: 'Settings',
				name: 'settings',
				values: [
					{
						displayName: 'Max Attempts',
						name: 'maxAttempts',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 20 },
						default: DEFAULT_MAX_ATTEMPTS,
						description: 'How many times to send a request in all, the first try included',
					},
					{
						displayName: 'Max Wait (Seconds)',
						name: 'maxWaitSeconds',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 600 },
						default: DEFAULT_MAX_WAIT_SECONDS,
						description:
							'The longest single wait before trying again. If Symphony asks to wait longer (Retry-After), the node stops and says so.',
					},
				],
			},
		],
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 300 },
		default: DEFAULT_TIMEOUT_SECONDS,
		description: 'How long to wait for Symphony to answer one request before counting it as failed',
	},
];

/** The Options collection of operations whose only options are how requests are sent. */
export const requestOptionsCollection: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: requestOptionFields,
};
