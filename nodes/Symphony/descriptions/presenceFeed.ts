import type { INodeProperties } from 'n8n-workflow';

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
