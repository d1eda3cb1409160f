import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { removeConnection } from '../../api/connections';
import { namedAs } from '../../api/users';
import { connectionUserFields } from '../../descriptions/connections';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import type { SymphonyClient } from '../../transport';
import { runForEachPerson } from './perPerson';

const properties: INodeProperties[] = [...connectionUserFields, requestOptionsCollection];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['remove'] } },
	properties,
);

/** Ends the connection with each item's person at another firm (POST /pod/v1/connection/user/{uid}/remove). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	return await runForEachPerson(this, items, client, async (user) => {
		await removeConnection(client, user.userId);
		return { userId: user.userId, ...namedAs(user), removed: true };
	});
}
