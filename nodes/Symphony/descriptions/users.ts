import type { INodeProperties } from 'n8n-workflow';

/** The users a presence operation works on. One or many IDs per item. */
export const userIdsField: INodeProperties = {
	displayName: 'User IDs',
	name: 'userIds',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 7215545078541, 7215545078461',
	description:
		'Symphony user IDs: one, or many separated by commas, spaces or new lines, or a list mapped from an earlier node. IDs from all input items are combined, so one request covers many items.',
	hint: 'Give large IDs as text: numbers above 9007199254740991 lose digits in JavaScript and are rejected',
};

/** One user per item, read from the previous node by default so Register Interest → Get needs no mapping. */
export const userIdField: INodeProperties = {
	displayName: 'User ID',
	name: 'userId',
	type: 'string',
	default: '={{ $json.userId }}',
	required: true,
	placeholder: 'e.g. 7215545078541',
	description: 'The Symphony user ID whose presence to read. By default it is taken from the incoming item\'s userId.',
};
