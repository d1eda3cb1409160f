import type { INodeProperties } from 'n8n-workflow';

import type { IdentifyBy } from '../helpers/userRefs';

/**
 * How an operation names its users, and the user fields for each choice. The action node and the
 * trigger share these: read `identifyBy` (a selector, so at item 0), then the parameter named in
 * `USER_PARAMETERS[identifyBy]`, parse it with `parseUserRefs`/`parseUserRef` (helpers/userRefs.ts)
 * under the label given there, and turn emails or usernames into IDs with `resolveUsers` (api/users.ts).
 * The action node's operations do all of that through actions/userField.ts.
 */
export const identifyByField: INodeProperties = {
	displayName: 'Identify Users By',
	name: 'identifyBy',
	type: 'options',
	noDataExpression: true,
	default: 'id',
	options: [
		{ name: 'Email', value: 'email', description: 'Email addresses, looked up in Symphony\'s directory' },
		{ name: 'ID', value: 'id', description: 'Symphony user IDs, e.g. 7215545078541' },
		{ name: 'Username', value: 'username', description: 'Symphony usernames, looked up in Symphony\'s directory' },
	],
	description:
		'How the users are named. Emails and usernames of all input items are looked up together, 100 per request.',
};

/** Per choice: the parameter holding several users, the one holding a single user, and their labels. */
export const USER_PARAMETERS: Record<IdentifyBy, { many: string; manyLabel: string; one: string; oneLabel: string }> = {
	id: { many: 'userIds', manyLabel: 'User IDs', one: 'userId', oneLabel: 'User ID' },
	email: { many: 'emails', manyLabel: 'Emails', one: 'email', oneLabel: 'Email' },
	username: { many: 'usernames', manyLabel: 'Usernames', one: 'username', oneLabel: 'Username' },
};

/** The User IDs field: one or many IDs per item. */
const userIdListField: INodeProperties = {
	displayName: 'User IDs',
	name: 'userIds',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 7215545078541, 7215545078461',
	description:
		'Symphony user IDs: one, or many separated by commas, spaces or new lines, or a list mapped from an earlier node. IDs from all input items are combined, so one request covers many items.',
	displayOptions: { show: { identifyBy: ['id'] } },
};

/** A list of users per item (one or many), by whichever kind `identifyBy` names. */
export const userListFields: INodeProperties[] = [
	userIdListField,
	{
		displayName: 'Emails',
		name: 'emails',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. jane.doe@acme.com, sam.lee@globex.com',
		description:
			'Email addresses: one, or many separated by commas, spaces or new lines (pasted "Name &lt;address&gt;" lists work), or a list mapped from an earlier node',
		hint: 'People at other firms are found only if you are connected to them in Symphony',
		displayOptions: { show: { identifyBy: ['email'] } },
	},
	{
		displayName: 'Usernames',
		name: 'usernames',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. jane.doe, sam.lee',
		description: 'Symphony usernames: one, or many separated by commas, spaces or new lines, or a list mapped from an earlier node',
		displayOptions: { show: { identifyBy: ['username'] } },
	},
];

/** The User ID field: exactly one user per item, read from the previous node by default so Register Interest → Get needs no mapping. */
const singleUserIdField: INodeProperties = {
	displayName: 'User ID',
	name: 'userId',
	type: 'string',
	default: '={{ $json.userId }}',
	required: true,
	placeholder: 'e.g. 7215545078541',
	description: 'The Symphony user ID. By default it is taken from the incoming item\'s userId.',
	displayOptions: { show: { identifyBy: ['id'] } },
};

/** Exactly one user per item, by whichever kind `identifyBy` names; each defaults to the incoming item's field. */
export const singleUserFields: INodeProperties[] = [
	singleUserIdField,
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '={{ $json.email }}',
		required: true,
		placeholder: 'e.g. jane.doe@acme.com',
		description: 'The user\'s email address. By default it is taken from the incoming item\'s email.',
		displayOptions: { show: { identifyBy: ['email'] } },
	},
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '={{ $json.username }}',
		required: true,
		placeholder: 'e.g. jane.doe',
		description: 'The user\'s Symphony username. By default it is taken from the incoming item\'s username.',
		displayOptions: { show: { identifyBy: ['username'] } },
	},
];

// ---- Version 2: one user per item picked with a resource locator ----

/** The locator's modes and what each names users by. "From list" stores the picked user's ID. */
export const LOCATOR_MODES: Record<string, IdentifyBy> = { list: 'id', id: 'id', email: 'email', username: 'username' };
export const LOCATOR_MODE_LABELS: Record<string, string> = { list: 'From List', id: 'By ID', email: 'By Email', username: 'By Username' };

/**
 * The "User" resource locator: From List (Symphony's user search, as you type), By ID, By Email,
 * By Username. Defaults to By ID reading the incoming item's userId, so Register Interest → Get
 * chains with no mapping. `several` lets the typed modes take a list (User → Get).
 */
export function userLocatorField(several: boolean): INodeProperties {
	return {
		displayName: 'User',
		name: 'user',
		type: 'resourceLocator',
		default: { mode: 'id', value: '={{ $json.userId }}' },
		required: true,
		description: several
			? 'The Symphony user, or several separated by commas. By default the incoming item\'s userId; pick From List to search people by name.'
			: 'The Symphony user. By default the incoming item\'s userId; pick From List to search people by name.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				// Shown in this mode only: nothing is searched By ID, By Email or By Username.
				hint: 'People at other firms are found only if you are connected to them in Symphony',
				placeholder: 'Type a name or email to search…',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true, searchFilterRequired: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: several ? 'e.g. 7215545078541, 7215545078461' : 'e.g. 7215545078541',
				...(!several && {
					validation: [
						{
							type: 'regex',
							properties: { regex: '^\\s*\\d{1,19}\\s*$', errorMessage: 'Enter a Symphony user ID: digits only, e.g. 7215545078541' },
						},
					],
				}),
			},
			{ displayName: 'By Email', name: 'email', type: 'string', placeholder: several ? 'e.g. jane.doe@acme.com, sam.lee@globex.com' : 'e.g. jane.doe@acme.com' },
			{ displayName: 'By Username', name: 'username', type: 'string', placeholder: several ? 'e.g. jane.doe, sam.lee' : 'e.g. jane.doe' },
		],
	};
}

/**
 * How an operation's user field is shaped: one user or several per item, and whether it becomes
 * the "User" locator from VERSION_2 on (Register Interest and the trigger keep lists).
 */
export interface UserFieldShape {
	several: boolean;
	locator: boolean;
}

export const SINGLE_USER: UserFieldShape = { several: false, locator: true };
export const USER_LOOKUP: UserFieldShape = { several: true, locator: true };
export const USER_LIST: UserFieldShape = { several: true, locator: false };

/** The people of one IM or group chat, as Message → Send and Stream → Create IM take them. */
export const conversationUserIdsField: INodeProperties = {
	displayName: 'User IDs',
	name: 'userIds',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 7215545078541 or {{ $json.userId }}',
	description: 'One person (an IM) or several separated by commas (a group chat). The same people always get the same conversation.',
};
