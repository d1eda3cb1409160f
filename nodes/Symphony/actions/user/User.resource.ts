import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../types';
import * as get from './get.operation';

const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['user'] } },
	default: 'get',
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get users',
			description: 'Look users up by ID, email or username',
		},
	],
};

export const user: Resource = {
	description: [operationField, ...get.description],
	operations: { get },
};
