import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { answerConnectionRequest, connectionToJson } from '../../api/connections';
import { namedAs } from '../../api/users';
import { connectionUserFields } from '../../descriptions/connections';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import type { SymphonyClient } from '../../transport';
import { runForEachPerson } from './perPerson';

const properties: INodeProperties[] = [...connectionUserFields, requestOptionsCollection];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['accept'] } },
	properties,
);

/** Accepts the connection request each item's person sent (POST /pod/v1/connection/accept). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	return await runForEachPerson(this, items, client, async (user) =>
		connectionToJson(await answerConnectionRequest(client, user.userId, 'accept'), namedAs(user)),
	);
}
