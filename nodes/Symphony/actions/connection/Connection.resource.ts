import { operationFieldOf, type Resource } from '../types';
import * as accept from './accept.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as reject from './reject.operation';
import * as remove from './remove.operation';

const operationField = operationFieldOf('connection', {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'get',
	options: [
		{
			name: 'Accept',
			value: 'accept',
			action: 'Accept a connection request',
			description: 'Accept the connection request a person at another firm sent you',
		},
		{
			name: 'Create',
			value: 'create',
			action: 'Send a connection request',
			description: 'Ask people at other firms to connect, so their presence can be read',
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a connection',
			description: 'Whether you are connected with a person, or a request is waiting',
		},
		{
			name: 'Get Many',
			value: 'getMany',
			action: 'Get many connections',
			description: 'List your connections and requests by status',
		},
		{
			name: 'Reject',
			value: 'reject',
			action: 'Reject a connection request',
			description: 'Decline the connection request a person at another firm sent you',
		},
		{
			name: 'Remove',
			value: 'remove',
			action: 'Remove a connection',
			description: 'End the connection with a person at another firm',
		},
	],
});

export const connection: Resource<'connection'> = {
	description: [
		operationField,
		...accept.description,
		...create.description,
		...get.description,
		...getMany.description,
		...reject.description,
		...remove.description,
	],
	operations: { accept, create, get, getMany, reject, remove },
};
