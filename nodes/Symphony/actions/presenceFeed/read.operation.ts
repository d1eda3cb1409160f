import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { presenceToJson } from '../../api/presence';
import { readPresenceFeed } from '../../api/presenceFeed';
import { feedIdField } from '../../descriptions/presenceFeed';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { parseFeedId } from '../../helpers/feedId';
import type { SymphonyClient } from '../../transport';
import { readEachItem, runEachItem } from '../itemRunner';

const properties: INodeProperties[] = [
	{
		...feedIdField,
		hint: 'Each read returns the changes since the previous read, up to 500; run it again for more',
	},
	requestOptionsCollection,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['presenceFeed'], operation: ['read'] } },
	properties,
);

/** One item per presence change, paired to the item that named the feed. No changes, no items. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const inputs = readEachItem(items.length, (i) => parseFeedId(this.getNodeParameter('feedId', i)));
	return await runEachItem(this, inputs, 1, async (feedId) =>
		(await readPresenceFeed(client, feedId)).map((presence) => presenceToJson(presence)),
	);
}
