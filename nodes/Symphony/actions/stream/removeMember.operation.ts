import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { memberUserIdsField, roomLocatorField } from '../../descriptions/rooms';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import type { SymphonyClient } from '../../transport';
import { changeMembersOfEachItem } from './membership';

const properties: INodeProperties[] = [roomLocatorField, memberUserIdsField, requestOptionsCollection];

export const description = updateDisplayOptions(
	{ show: { resource: ['stream'], operation: ['removeMember'] } },
	properties,
);

/** Removes each item's people from its room (POST /pod/v1/room/{id}/membership/remove), one request per person. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	return await changeMembersOfEachItem(this, items, client, 'remove');
}
