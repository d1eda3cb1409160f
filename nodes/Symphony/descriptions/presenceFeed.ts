import type { INodeProperties } from 'n8n-workflow';

import { ParameterError } from '../errors';

/** Feed IDs as Symphony issues them: letters, digits, dashes, underscores, dots. */
const FEED_ID = /^[A-Za-z0-9._-]{1,200}$/;

/** The feed Read and Delete work on; by default the feedId that Create put on the incoming item. */
export const feedIdField: INodeProperties = {
	displayName: 'Feed ID',
	name: 'feedId',
	type: 'string',
	default: '={{ $json.feedId }}',
	required: true,
	placeholder: 'e.g. 4f1b3a5e-6c2d-4e8f-9a0b-7c1d2e3f4a5b',
	description: 'The ID that Create returned. By default it is taken from the incoming item\'s feedId.',
};

/** Reads a feed ID, trimmed; refuses anything that could not be one (and would change the URL path). */
export function parseFeedId(value: unknown): string {
	const id = typeof value === 'string' ? value.trim() : value;
	if (typeof id !== 'string' || id === '') {
		throw new ParameterError('Feed ID', value, 'is empty', 'Use the feedId returned by Presence Feed → Create, e.g. {{ $json.feedId }}');
	}
	if (!FEED_ID.test(id)) {
		throw new ParameterError(
			'Feed ID',
			value,
			'is not a presence feed ID',
			'Use the feedId returned by Presence Feed → Create: letters, digits and dashes only',
		);
	}
	return id;
}
