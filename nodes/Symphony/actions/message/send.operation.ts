import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createIm, createMessage } from '../../api/messages';
import { MESSAGE_CONTENT_PARAMETERS, messageContentFields, streamIdField } from '../../descriptions/messages';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { parseMessageContent, type MessageFormat } from '../../helpers/messageML';
import { parseConversationUserIds, parseStreamId } from '../../helpers/streamIds';
import { conversationUserIdsField } from '../../descriptions/users';
import type { SymphonyClient } from '../../transport';
import { readEachItem, runEachItem } from '../itemRunner';
import { itemParameterReader } from '../itemParameter';

/**
 * One at a time, in item order: messages to one conversation arrive in the order of the items.
 * The transport's pacing keeps the rate within Symphony's limits.
 */
const CONCURRENCY = 1;

const properties: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		noDataExpression: true,
		default: 'stream',
		options: [
			{ name: 'Conversation (Stream ID)', value: 'stream', description: 'An IM, group chat or room, by its stream ID' },
			{ name: 'People (User IDs)', value: 'users', description: 'The IM with these people, opened if there is none yet' },
		],
	},
	{ ...streamIdField, displayOptions: { show: { sendTo: ['stream'] } } },
	{ ...conversationUserIdsField, displayOptions: { show: { sendTo: ['users'] } } },
	...messageContentFields,
	requestOptionsCollection,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['send'] } },
	properties,
);

interface SendInput {
	to: { streamId: string } | { userIds: string[] };
	message: string;
	/** What the item asked to send: the text, or the MessageML. */
	text: string;
}

/**
 * Sends one message per item (POST /agent/v4/stream/{sid}/message/create), to a conversation by
 * stream ID or to the IM with people (POST /pod/v1/im/create first, which reuses their IM). Each
 * item's target and content are checked before anything is sent.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const sendTo = this.getNodeParameter('sendTo', 0, 'stream') as string;
	const format: MessageFormat = this.getNodeParameter('format', 0, 'text') === 'messageML' ? 'messageML' : 'text';
	const readTarget = itemParameterReader(this, items, sendTo === 'users' ? 'userIds' : 'streamId', '');
	const readContent = itemParameterReader(this, items, MESSAGE_CONTENT_PARAMETERS[format], '');
	const inputs = readEachItem(items.length, (item): SendInput => {
		const target = readTarget(item);
		let to: SendInput['to'];
		if (sendTo === 'users') {
			to = { userIds: parseConversationUserIds('User IDs', target, 'Send to a room instead, or to each person in their own item') };
		} else {
			to = { streamId: parseStreamId('Stream ID', target) };
		}
		return { to, ...parseMessageContent(format, readContent(item)) };
	});

	// The IM of a set of people, opened once per execution.
	const ims = new Map<string, Promise<string>>();
	const imOf = async (userIds: string[]): Promise<string> => {
		const key = [...userIds].sort().join(',');
		let im = ims.get(key);
		if (!im) {
			im = createIm(client, userIds);
			ims.set(key, im);
			// A failed opening is that item's failure; the next item with these people tries again.
			im.catch(() => ims.delete(key));
		}
		return await im;
	};

	return await runEachItem(this, inputs, CONCURRENCY, async ({ to, message, text }): Promise<IDataObject[]> => {
		const streamId = 'streamId' in to ? to.streamId : await imOf(to.userIds);
		const sent = await createMessage(client, streamId, message);
		return [{ messageId: sent.messageId, streamId: sent.streamId, timestamp: sent.timestamp, text }];
	});
}
