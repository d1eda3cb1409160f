import { operationFieldOf, type Resource } from '../types';
import * as get from './get.operation';

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
	],
});

export const user: Resource<'user'> = {
	description: [operationField, ...get.description],
	operations: { get },
};
