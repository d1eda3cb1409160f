import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getMyPresence, presenceToJson } from '../../api/presence';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import type { SymphonyClient } from '../../transport';
import { readEachItem, runEachItem } from '../itemRunner';

const properties: INodeProperties[] = [requestOptionsCollection];

export const description = updateDisplayOptions(
	{ show: { resource: ['presence'], operation: ['getMine'] } },
	properties,
);

/** Reads the presence of the account behind the credential, once per input item. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const inputs = readEachItem(items.length, () => undefined);
	return await runEachItem(this, inputs, 1, async () => [presenceToJson(await getMyPresence(client))]);
}
