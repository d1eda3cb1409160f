import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { deletePresenceFeed } from '../../api/presenceFeed';
import { feedIdField } from '../../descriptions/presenceFeed';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { parseFeedId } from '../../helpers/feedId';
import type { SymphonyClient } from '../../transport';
import { readEachItem, runEachItem } from '../itemRunner';

const properties: INodeProperties[] = [
	{
		displayName:
			'Only the account that created a feed can delete it: with another account\'s credential Symphony answers 403 Forbidden',
		name: 'deleteFeedNotice',
		type: 'notice',
		default: '',
	},
	feedIdField,
	requestOptionsCollection,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['presenceFeed'], operation: ['deleteFeed'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const inputs = readEachItem(items.length, (i) => parseFeedId(this.getNodeParameter('feedId', i)));
	return await runEachItem(this, inputs, 1, async (feedId) => [
		{ feedId: await deletePresenceFeed(client, feedId), deleted: true },
	]);
}
