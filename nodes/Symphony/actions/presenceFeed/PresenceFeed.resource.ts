import type { INodeProperties } from 'n8n-workflow';

import { operationFieldOf, type Resource } from '../types';
import * as create from './create.operation';
import * as deleteFeed from './deleteFeed.operation';
import * as read from './read.operation';

const operationField = operationFieldOf('presenceFeed', {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'read',
	options: [
		{
			name: 'Create',
			value: 'create',
			action: 'Create presence feed',
			description: 'Start collecting the presence changes of your whole pod',
		},
		{
			name: 'Delete',
			value: 'deleteFeed',
			action: 'Delete presence feed',
			description: 'Stop a presence feed that this account created',
		},
		{
			name: 'Read',
			value: 'read',
			action: 'Read presence feed',
			description: 'Get the presence changes since the last read, up to 500',
		},
	],
});

const deprecationNotice: INodeProperties = {
	displayName:
		'Symphony deprecated presence feeds in version 24.1; they still work on pods that keep them. For new workflows, use Presence → Get Many or the Symphony Presence Trigger.',
	name: 'presenceFeedNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { resource: ['presenceFeed'] } },
};

export const presenceFeed: Resource<'presenceFeed'> = {
	description: [operationField, deprecationNotice, ...create.description, ...deleteFeed.description, ...read.description],
	operations: { create, deleteFeed, read },
};
