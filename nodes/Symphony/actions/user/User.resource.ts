import { operationFieldOf, type Resource } from '../types';
import * as get from './get.operation';
import * as getMine from './getMine.operation';

const operationField = operationFieldOf('user', {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'get',
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get users',
			description: 'Look users up by ID, email or username',
		},
		{
			name: 'Get Mine',
			value: 'getMine',
			action: 'Get my user',
			description: 'Read the account behind the credential: the bot, or the user an OBO app acts for',
		},
	],
});

export const user: Resource<'user'> = {
	description: [operationField, ...get.description, ...getMine.description],
	operations: { get, getMine },
};
