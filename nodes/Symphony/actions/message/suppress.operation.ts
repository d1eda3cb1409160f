import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { suppressMessage } from '../../api/messages';
import { messageIdField } from '../../descriptions/messages';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { parseMessageId } from '../../helpers/streamIds';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { readEachItem, runEachItem } from '../itemRunner';

const properties: INodeProperties[] = [
	{
		displayName: 'Hides the message from every member of its conversation. Needs the Content Management role on the account.',
		name: 'suppressNotice',
		type: 'notice',
		default: '',
	},
	messageIdField,
	requestOptionsCollection,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['suppress'] } },
	properties,
);

/** Suppresses one message per item (POST /pod/v1/admin/messagesuppression/{id}/suppress). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const readMessageId = itemParameterReader(this, items, 'messageId', '');
	const inputs = readEachItem(items.length, (item) => parseMessageId('Message ID', readMessageId(item)));
	return await runEachItem(this, inputs, 1, async (messageId): Promise<IDataObject[]> => {
		const suppressed = await suppressMessage(client, messageId);
		return [
			{
				messageId: suppressed.messageId,
				suppressed: suppressed.suppressed,
				...(suppressed.suppressionDate !== undefined && { suppressionDate: suppressed.suppressionDate }),
			},
		];
	});
}
