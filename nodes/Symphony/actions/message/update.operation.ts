import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { updateMessage } from '../../api/messages';
import { messageContentFields, messageIdField, messageOptionsCollection, streamIdField } from '../../descriptions/messages';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { ParameterError } from '../../errors';
import { parseMessageId, parseStreamId } from '../../helpers/streamIds';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { readEachItem, runEachItem } from '../itemRunner';
import { messageContentReader, readAttachmentFiles } from './messageContent';

const properties: INodeProperties[] = [
	{ ...streamIdField, description: 'The stream ID of the conversation the message is in (either form: with + / = or with - _)' },
	messageIdField,
	...messageContentFields,
	messageOptionsCollection([
		{
			displayName: 'Notify Members',
			name: 'notify',
			type: 'boolean',
			default: false,
			description: 'Whether the updated message arrives as unread, notifying the members. Off: it arrives as read, as Symphony does by default.',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['update'] } },
	properties,
);

function parseNotify(value: unknown): boolean {
	if (value === undefined || value === null || value === '') return false;
	if (typeof value === 'boolean') return value;
	throw new ParameterError('Notify Members', value, 'is not true or false', 'Turn the option on or off, or map a boolean');
}

/**
 * Replaces the content of one message per item, with the item's attachments (POST
 * /agent/v4/stream/{sid}/message/{mid}/update).
 * Symphony gives the new version its own message ID; the output names both. One at a time, in item
 * order.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const readStreamId = itemParameterReader(this, items, 'streamId', '');
	const readMessageId = itemParameterReader(this, items, 'messageId', '');
	const readContent = messageContentReader(this, items);
	// An option may be an expression: read through n8n, per item.
	const readNotify = (item: number) => this.getNodeParameter('options.notify', item, false) as unknown;
	const inputs = readEachItem(items.length, (item) => ({
		streamId: parseStreamId('Stream ID', readStreamId(item)),
		messageId: parseMessageId('Message ID', readMessageId(item)),
		...readContent(item),
		silent: !parseNotify(readNotify(item)),
	}));
	return await runEachItem(this, inputs, 1, async ({ streamId, messageId, message, data, text, attachments, silent }, item): Promise<IDataObject[]> => {
		const files = await readAttachmentFiles(this, items, item, attachments);
		const updated = await updateMessage(client, streamId, messageId, message, { silent, data, attachments: files });
		return [{ messageId: updated.messageId, streamId: updated.streamId, timestamp: updated.timestamp, text, replacedMessageId: updated.replacedMessageId }];
	});
}
