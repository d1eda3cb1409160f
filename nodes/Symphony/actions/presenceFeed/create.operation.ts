import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createPresenceFeed } from '../../api/presenceFeed';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import type { SymphonyClient } from '../../transport';
import { readEachItem, runEachItem } from '../itemRunner';

const properties: INodeProperties[] = [requestOptionsCollection];

export const description = updateDisplayOptions(
	{ show: { resource: ['presenceFeed'], operation: ['create'] } },
	properties,
);

/** Creates one feed per input item; the output's feedId feeds Read and Delete with no mapping. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const inputs = readEachItem(items.length, () => undefined);
	return await runEachItem(this, inputs, 1, async () => [{ feedId: await createPresenceFeed(client) }]);
}
