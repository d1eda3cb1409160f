import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { changeRoomMembership } from '../../api/rooms';
import { parseUserIds } from '../../helpers/userIds';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { readEachItem, runEachItem } from '../itemRunner';
import { roomStreamIdReader } from '../roomField';

/**
 * Add Member and Remove Member: each item's room and people, checked before any request, then one
 * request per person (Symphony takes one), one at a time so the pod sees them in input order.
 * One output item per person.
 */
export async function changeMembersOfEachItem(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
	change: 'add' | 'remove',
): Promise<INodeExecutionData[]> {
	const readRoom = roomStreamIdReader(context, items);
	const readUserIds = itemParameterReader(context, items, 'userIds', '');
	const inputs = readEachItem(items.length, (item) => ({ streamId: readRoom(item), userIds: parseUserIds('User IDs', readUserIds(item)) }));
	return await runEachItem(context, inputs, 1, async ({ streamId, userIds }): Promise<IDataObject[]> => {
		const done: IDataObject[] = [];
		for (const userId of userIds) {
			await changeRoomMembership(client, streamId, userId, change);
			done.push({ streamId, userId, [change === 'add' ? 'added' : 'removed']: true });
		}
		return done;
	});
}
