import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { updateMessage } from '../../api/messages';
import { MESSAGE_CONTENT_PARAMETERS, entityDataOption, mentionEmailsOption, messageContentFields, messageIdField, streamIdField } from '../../descriptions/messages';
import { requestOptionFields } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { ParameterError } from '../../errors';
import { parseMessageContent, type MessageFormat } from '../../helpers/messageML';
import { parseMessageId, parseStreamId } from '../../helpers/streamIds';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { readEachItem, runEachItem } from '../itemRunner';

const properties: INodeProperties[] = [
	{ ...streamIdField, description: 'The stream ID of the conversation the message is in (either form: with + / = or with - _)' },
	messageIdField,
	...messageContentFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		// Sorted by name, as n8n lists them.
		options: [
			entityDataOption,
			requestOptionFields[0],
			mentionEmailsOption,
			{
				displayName: 'Notify Members',
				name: 'notify',
				type: 'boolean',
				default: false,
				description:
					'Whether the updated message arrives as unread, notifying the members. Off: it arrives as read, as Symphony does by default.',
			},
			...requestOptionFields.slice(1),
		],
	},
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
 * Replaces the content of one message per item (POST /agent/v4/stream/{sid}/message/{mid}/update).
 * Symphony gives the new version its own message ID; the output names both. One at a time, in item
 * order.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const format: MessageFormat = this.getNodeParameter('format', 0, 'text') === 'messageML' ? 'messageML' : 'text';
	const readStreamId = itemParameterReader(this, items, 'streamId', '');
	const readMessageId = itemParameterReader(this, items, 'messageId', '');
	const readContent = itemParameterReader(this, items, MESSAGE_CONTENT_PARAMETERS[format], '');
	// Options live in a collection: read through n8n, per item (they may be expressions).
	const readOption = (name: string, fallback: unknown) => (item: number) => this.getNodeParameter(`options.${name}`, item, fallback as never) as unknown;
	const readEntityData = readOption('entityData', '{}');
	const readMentionEmails = readOption('mentionEmails', false);
	const readNotify = readOption('notify', false);
	const inputs = readEachItem(items.length, (item) => ({
		streamId: parseStreamId('Stream ID', readStreamId(item)),
		messageId: parseMessageId('Message ID', readMessageId(item)),
		...parseMessageContent(
			format,
			readContent(item),
			format === 'messageML' ? { entityData: readEntityData(item) } : { mentionEmails: readMentionEmails(item) },
		),
		silent: !parseNotify(readNotify(item)),
	}));
	return await runEachItem(this, inputs, 1, async ({ streamId, messageId, message, data, text, silent }): Promise<IDataObject[]> => {
		const updated = await updateMessage(client, streamId, messageId, message, { silent, data });
		return [{ messageId: updated.messageId, streamId: updated.streamId, timestamp: updated.timestamp, text, replacedMessageId: updated.replacedMessageId }];
	});
}
