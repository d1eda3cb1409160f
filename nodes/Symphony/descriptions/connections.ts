import type { INodeProperties } from 'n8n-workflow';

import { fromVersion2, onlyInVersion1 } from './nodeVersion';
import { identifyByField, singleUserFields, userListFields, userLocatorField } from './users';

/** One person per item: "Identify Users By" in version 1, the User locator (four modes) from version 2. */
export const connectionUserFields: INodeProperties[] = [
	onlyInVersion1(identifyByField),
	...singleUserFields.map(onlyInVersion1),
	fromVersion2(userLocatorField(false)),
];

/** One or several people per item (Connection → Create). */
export const connectionUsersFields: INodeProperties[] = [
	onlyInVersion1(identifyByField),
	...userListFields.map(onlyInVersion1),
	fromVersion2(userLocatorField(true)),
];

/** Connection → Get Many's status filter: its values are Symphony's. */
export const connectionStatusFilterField: INodeProperties = {
	displayName: 'Status',
	name: 'status',
	type: 'options',
	default: 'ALL',
	options: [
		{ name: 'Accepted', value: 'ACCEPTED', description: 'People you are connected with' },
		{ name: 'All', value: 'ALL', description: 'Every connection and request, whatever its status' },
		{ name: 'Pending Incoming', value: 'PENDING_INCOMING', description: 'Requests people sent you, waiting for your answer' },
		{ name: 'Pending Outgoing', value: 'PENDING_OUTGOING', description: 'Requests you sent, waiting for their answer' },
		{ name: 'Rejected', value: 'REJECTED', description: 'Requests that were declined' },
	],
	description: 'Which connections to return',
};
