import type { INodeProperties } from 'n8n-workflow';

import type { Resource } from '../types';
import * as get from './get.operation';
import * as registerInterest from './registerInterest.operation';

const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['presence'] } },
	default: 'get',
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get user presence',
			description: 'Read the presence status of a user',
		},
		{
			name: 'Register Interest',
			value: 'registerInterest',
			action: 'Register presence interest',
			description: 'Subscribe to the presence of external users for the next hour',
		},
	],
};

export const presence: Resource = {
	description: [operationField, ...get.description, ...registerInterest.description],
	operations: { get, registerInterest },
};
