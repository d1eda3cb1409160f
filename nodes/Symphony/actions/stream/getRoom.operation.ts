import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getRoom, roomToJson } from '../../api/rooms';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { roomLocatorField } from '../../descriptions/rooms';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import type { SymphonyClient } from '../../transport';
import { readEachItem, runEachItem } from '../itemRunner';
import { roomStreamIdReader } from '../roomField';

/** Room reads in flight at once; each is one short request. */
const CONCURRENCY = 5;

const properties: INodeProperties[] = [roomLocatorField, requestOptionsCollection];

export const description = updateDisplayOptions(
	{ show: { resource: ['stream'], operation: ['getRoom'] } },
	properties,
);

/** Reads each item's room (GET /pod/v3/room/{id}/info): its name, description, settings and state. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const readRoom = roomStreamIdReader(this, items);
	const inputs = readEachItem(items.length, (item) => readRoom(item));
	return await runEachItem(this, inputs, CONCURRENCY, async (streamId): Promise<IDataObject[]> => [roomToJson(await getRoom(client, streamId))]);
}
