import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { changeRoomMembership } from '../../api/rooms';
import { SymphonyApiError } from '../../errors';
import { parseUserIds } from '../../helpers/userIds';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { ItemFailure, readEachItem, toOutputItems, type ItemOutcome } from '../itemRunner';
import { roomStreamIdReader } from '../roomField';

/**
 * Add Member and Remove Member: each item's room and people, checked before any request, then one
 * request per person (Symphony takes one), one at a time so the pod sees them in input order.
 * One output item per person. A person Symphony refuses (400, 404) is that person's error item and
 * the others go on; any other failure (the room, the account, the pod) is given to the item's
 * remaining people without asking again.
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
	const outcomes: ItemOutcome[] = [];
	for (const [item, input] of inputs.entries()) {
		if (input instanceof ItemFailure) {
			outcomes.push({ error: input.error, item });
			continue;
		}
		const { streamId, userIds } = input;
		let stopped: unknown;
		for (const userId of userIds) {
			const about: IDataObject = { streamId, userId };
			if (stopped !== undefined) {
				outcomes.push({ error: stopped, item, json: about });
				continue;
			}
			try {
				await changeRoomMembership(client, streamId, userId, change);
				outcomes.push({ json: { ...about, [change === 'add' ? 'added' : 'removed']: true }, items: [item] });
			} catch (error) {
				outcomes.push({ error, item, json: about });
				if (!(error instanceof SymphonyApiError && error.isValueRefusal)) stopped = error;
			}
		}
	}
	return toOutputItems(context, outcomes);
}
