import type { INodeProperties } from 'n8n-workflow';

/** The Room locator's modes and their labels in messages. Both give a stream ID. */
export const ROOM_LOCATOR_MODE_LABELS: Record<string, string> = { list: 'From List', id: 'By ID' };

/**
 * The "Room" resource locator: From List (Symphony's room search, as you type) or By ID (a stream
 * ID in either form: as Symphony's client shows it, with + / =, or URL-safe, with - _). Operations
 * read it with actions/roomField.ts.
 */
export const roomLocatorField: INodeProperties = {
	displayName: 'Room',
	name: 'room',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Symphony room. Pick From List to search rooms by name, or give its stream ID.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			hint: 'Lists rooms the account is a member of or can discover',
			placeholder: 'Type a room name to search…',
			typeOptions: { searchListMethod: 'searchRooms', searchable: true, searchFilterRequired: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[A-Za-z0-9+/_-]{8,}=*\\s*$',
						errorMessage: 'Enter a stream ID as Symphony shows it, e.g. lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==',
					},
				},
			],
		},
	],
};

/** The people an operation adds to or removes from a room. */
export const memberUserIdsField: INodeProperties = {
	displayName: 'User IDs',
	name: 'userIds',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 7215545078541, 7215545078461',
	description: 'Symphony user IDs: one, or many separated by commas, spaces or new lines, or a list mapped from an earlier node. Symphony takes one person per request.',
};
