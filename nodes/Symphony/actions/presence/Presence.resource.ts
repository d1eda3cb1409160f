import { operationFieldOf, type Resource } from '../types';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getMine from './getMine.operation';
import * as registerInterest from './registerInterest.operation';
import * as setForUser from './setForUser.operation';
import * as setMine from './setMine.operation';

const operationField = operationFieldOf('presence', {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'get',
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get user presence',
			description: 'Read the presence status of a user',
		},
		{
			name: 'Get Many',
			value: 'getMany',
			action: 'Get many presences',
			description: 'Read the presence of every active user of your pod, page by page',
		},
		{
			name: 'Get Mine',
			value: 'getMine',
			action: 'Get my presence',
			description: 'Read the presence of the account behind the credential',
		},
		{
			name: 'Register Interest',
			value: 'registerInterest',
			action: 'Register presence interest',
			description: 'Subscribe to the presence of external users for the next hour',
		},
		{
			name: 'Set for User (Admin)',
			value: 'setForUser',
			action: 'Set user presence',
			description: 'Set another user\'s presence; needs the User Provisioning entitlement',
		},
		{
			name: 'Set Mine',
			value: 'setMine',
			action: 'Set my presence',
			description: 'Set the presence of the account behind the credential',
		},
	],
});

export const presence: Resource<'presence'> = {
	description: [
		operationField,
		...get.description,
		...getMany.description,
		...getMine.description,
		...registerInterest.description,
		...setForUser.description,
		...setMine.description,
	],
	operations: { get, getMany, getMine, registerInterest, setForUser, setMine },
};
