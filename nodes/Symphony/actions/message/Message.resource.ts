import { operationFieldOf, type Resource } from '../types';
import * as getMany from './getMany.operation';
import * as send from './send.operation';
import * as sendToMany from './sendToMany.operation';
import * as suppress from './suppress.operation';
import * as update from './update.operation';

const operationField = operationFieldOf('message', {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'send',
	options: [
		{
			name: 'Get Many',
			value: 'getMany',
			action: 'Get many messages',
			description: 'Read the messages of a conversation from a given time on',
		},
		{
			name: 'Send',
			value: 'send',
			action: 'Send a message',
			description: 'Post a message to a conversation, or to the IM with people',
		},
		{
			name: 'Send to Many',
			value: 'sendToMany',
			action: 'Send a message to many conversations',
			description: 'Post one message to many conversations at once, each reported as sent or not',
		},
		{
			name: 'Suppress',
			value: 'suppress',
			action: 'Suppress a message',
			description: 'Hide a message from everyone in its conversation (needs the Content Management role)',
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update a message',
			description: 'Replace the content of a message the account sent',
		},
	],
});

export const message: Resource<'message'> = {
	description: [
		operationField,
		...send.description,
		...sendToMany.description,
		...update.description,
		...getMany.description,
		...suppress.description,
	],
	operations: { getMany, send, sendToMany, suppress, update },
};
