import { operationFieldOf, type Resource } from '../types';
import * as addMember from './addMember.operation';
import * as createIm from './createIm.operation';
import * as createRoom from './createRoom.operation';
import * as getRoom from './getRoom.operation';
import * as removeMember from './removeMember.operation';
import * as searchRooms from './searchRooms.operation';

const operationField = operationFieldOf('stream', {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'createIm',
	options: [
		{
			name: 'Add Member',
			value: 'addMember',
			action: 'Add members to a room',
			description: 'Add people to a room',
		},
		{
			name: 'Create IM',
			value: 'createIm',
			action: 'Create an IM',
			description: 'Open the IM with people, or get the one that exists, for its stream ID',
		},
		{
			name: 'Create Room',
			value: 'createRoom',
			action: 'Create a room',
			description: 'Create a room, optionally with members, for its stream ID',
		},
		{
			name: 'Get Room',
			value: 'getRoom',
			action: 'Get a room',
			description: 'Read a room\'s name, description, settings and state',
		},
		{
			name: 'Remove Member',
			value: 'removeMember',
			action: 'Remove members from a room',
			description: 'Take people out of a room',
		},
		{
			name: 'Search Rooms',
			value: 'searchRooms',
			action: 'Search rooms',
			description: 'Find rooms by words in their names, descriptions and keywords',
		},
	],
});

export const stream: Resource<'stream'> = {
	description: [
		operationField,
		...addMember.description,
		...createIm.description,
		...createRoom.description,
		...getRoom.description,
		...removeMember.description,
		...searchRooms.description,
	],
	operations: { addMember, createIm, createRoom, getRoom, removeMember, searchRooms },
};
