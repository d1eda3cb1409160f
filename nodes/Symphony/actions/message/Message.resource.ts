import { operationFieldOf, type Resource } from '../types';
import * as send from './send.operation';

const operationField = operationFieldOf('message', {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'send',
	options: [
		{
			name: 'Send',
			value: 'send',
			action: 'Send a message',
			description: 'Post a message to a conversation, or to the IM with people',
		},
	],
});

export const message: Resource<'message'> = {
	description: [operationField, ...send.description],
	operations: { send },
};
