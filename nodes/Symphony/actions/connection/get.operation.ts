import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { connectionToJson, getConnection, notConnectedJson } from '../../api/connections';
import { namedAs } from '../../api/users';
import { connectionUserFields } from '../../descriptions/connections';
import { requestOptionFields } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { SINGLE_USER } from '../../descriptions/users';
import type { SymphonyClient } from '../../transport';
import { readEachItemWithUsers, readUserField } from '../userField';
import { readForAllItems, runEachItem } from '../itemRunner';

/** Connection reads in flight at once; each is one short request. */
const CONCURRENCY = 10;

const properties: INodeProperties[] = [
	...connectionUserFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: requestOptionFields,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['get'] } },
	properties,
);

/**
 * Reads the connection with each item's person (GET /pod/v1/connection/user/{id}/info). No
 * connection and no request is not an error: the item says NOT_CONNECTED, connected: false.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const settings = readForAllItems(this, items.length, () => readUserField(this, SINGLE_USER));
	if ('failed' in settings) return settings.failed;
	const inputs = await readEachItemWithUsers(this, items, client, settings.value, () => ({}));
	return await runEachItem(this, inputs, CONCURRENCY, async ({ users: [{ user }] }): Promise<IDataObject[]> => {
		if (user instanceof Error) throw user;
		const connection = await getConnection(client, user.userId);
		return [connection === undefined ? notConnectedJson(user.userId, namedAs(user)) : connectionToJson(connection, namedAs(user))];
	});
}
