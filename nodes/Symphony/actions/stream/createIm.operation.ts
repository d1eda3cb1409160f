import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createIm } from '../../api/messages';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { parseConversationUserIds } from '../../helpers/streamIds';
import { conversationUserIdsField } from '../../descriptions/users';
import type { SymphonyClient } from '../../transport';
import { readEachItem, runEachItem } from '../itemRunner';
import { itemParameterReader } from '../itemParameter';

/** Opening an IM is one short request, and safe to repeat. */
const CONCURRENCY = 5;

const properties: INodeProperties[] = [conversationUserIdsField, requestOptionsCollection];

export const description = updateDisplayOptions(
	{ show: { resource: ['stream'], operation: ['createIm'] } },
	properties,
);

/**
 * Opens the IM of the account with each item's people (POST /pod/v1/im/create). Symphony answers
 * the existing one for the same people, so running it again gives the same stream ID.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const readUserIds = itemParameterReader(this, items, 'userIds', '');
	const inputs = readEachItem(items.length, (item) =>
		parseConversationUserIds('User IDs', readUserIds(item), 'Create a room instead, or give each person their own item'),
	);
	return await runEachItem(this, inputs, CONCURRENCY, async (userIds): Promise<IDataObject[]> => [{ streamId: await createIm(client, userIds), userIds }]);
}
