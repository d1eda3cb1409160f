import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createIm } from '../../api/messages';
import { ParameterError } from '../../errors';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { parseUserIds } from '../../helpers/userIds';
import type { SymphonyClient } from '../../transport';
import { readEachItem, runEachItem } from '../itemRunner';
import { itemParameterReader } from '../itemParameter';

/** Opening an IM is one short request, and safe to repeat. */
const CONCURRENCY = 5;
const MAX_PEOPLE = 15;

const properties: INodeProperties[] = [
	{
		displayName: 'User IDs',
		name: 'userIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 7215545078541 or {{ $json.userId }}',
		description: 'One person (an IM) or several separated by commas (a group chat). The same people always get the same conversation.',
	},
	requestOptionsCollection,
];

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
	const inputs = readEachItem(items.length, (item) => {
		const userIds = parseUserIds('User IDs', readUserIds(item));
		if (userIds.length > MAX_PEOPLE) {
			throw new ParameterError('User IDs', `${userIds.length} IDs`, `is more than ${MAX_PEOPLE} people for one conversation`, 'Create a room instead, or give each person their own item');
		}
		return userIds;
	});
	return await runEachItem(this, inputs, CONCURRENCY, async (userIds): Promise<IDataObject[]> => [{ streamId: await createIm(client, userIds), userIds }]);
}
