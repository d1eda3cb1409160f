import { operationFieldOf, type Resource } from '../types';
import * as createIm from './createIm.operation';

const operationField = operationFieldOf('stream', {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'createIm',
	options: [
		{
			name: 'Create IM',
			value: 'createIm',
			action: 'Create an IM',
			description: 'Open the IM with people, or get the one that exists, for its stream ID',
		},
	],
});

export const stream: Resource<'stream'> = {
	description: [operationField, ...createIm.description],
	operations: { createIm },
};
