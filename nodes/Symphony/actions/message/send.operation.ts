import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createIm, createMessage } from '../../api/messages';
import { roomLocatorField } from '../../descriptions/rooms';
import { messageContentFields, messageOptionsCollection, streamIdField } from '../../descriptions/messages';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { parseConversationUserIds, parseStreamId } from '../../helpers/streamIds';
import { conversationUserIdsField } from '../../descriptions/users';
import type { SymphonyClient } from '../../transport';
import { readEachItem, runEachItem } from '../itemRunner';
import { itemParameterReader } from '../itemParameter';
import { roomStreamIdReader } from '../roomField';
import { messageContentReader, readAttachmentFiles, type MessageContent } from './messageContent';

/**
 * Sends in flight at once, across conversations. Messages to one conversation still go one after
 * the other, in item order (`oneAfterAnotherPer`); the transport's pacing keeps the rate within
 * Symphony's limits (16 in flight keep up with the default pace at up to 50 ms to the Agent).
 */
const CONCURRENCY = 16;

/**
 * Runs tasks with the same key one after the other, in the order they are asked for; tasks with
 * different keys side by side. A failed task does not stop the next one with its key.
 */
function oneAfterAnotherPer(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
	const last = new Map<string, Promise<void>>();
	return async (key, task) => {
		const previous = last.get(key) ?? Promise.resolve();
		const run = previous.then(task);
		const settled = run.then(
			() => undefined,
			() => undefined,
		);
		last.set(key, settled);
		void settled.then(() => {
			if (last.get(key) === settled) last.delete(key);
		});
		return await run;
	};
}

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
			{ name: 'Room', value: 'room', description: 'A room picked from a list of the rooms you can find, or by its stream ID' },
		],
	},
	{ ...streamIdField, displayOptions: { show: { sendTo: ['stream'] } } },
	{ ...roomLocatorField, displayOptions: { show: { sendTo: ['room'] } } },
	{ ...conversationUserIdsField, displayOptions: { show: { sendTo: ['users'] } } },
	...messageContentFields,
	messageOptionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['send'] } },
	properties,
);

interface SendInput extends MessageContent {
	to: { streamId: string } | { userIds: string[] };
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
	const readTarget = itemParameterReader(this, items, sendTo === 'users' ? 'userIds' : 'streamId', '');
	const readRoom = roomStreamIdReader(this, items);
	const readContent = messageContentReader(this, items);
	const inputs = readEachItem(items.length, (item): SendInput => {
		let to: SendInput['to'];
		if (sendTo === 'users') {
			to = { userIds: parseConversationUserIds('User IDs', readTarget(item), 'Send to a room instead, or to each person in their own item') };
		} else if (sendTo === 'room') {
			to = { streamId: readRoom(item) };
		} else {
			to = { streamId: parseStreamId('Stream ID', readTarget(item)) };
		}
		return { to, ...readContent(item) };
	});

	// The IM of a set of people, opened once per execution.
	const imKeyOf = (userIds: string[]) => [...userIds].sort().join(',');
	const ims = new Map<string, Promise<string>>();
	const imOf = async (userIds: string[]): Promise<string> => {
		const key = imKeyOf(userIds);
		let im = ims.get(key);
		if (!im) {
			im = createIm(client, userIds);
			ims.set(key, im);
			// A failed opening is that item's failure; the next item with these people tries again.
			im.catch(() => ims.delete(key));
		}
		return await im;
	};

	const send = async ({ to, message, data, attachments, text }: SendInput, item: number): Promise<IDataObject[]> => {
		const files = await readAttachmentFiles(this, items, item, attachments);
		const streamId = 'streamId' in to ? to.streamId : await imOf(to.userIds);
		const sent = await createMessage(client, streamId, message, data, files);
		return [{ messageId: sent.messageId, streamId: sent.streamId, timestamp: sent.timestamp, text }];
	};

	const inConversationOrder = oneAfterAnotherPer();
	// Items start in item order, so each one queues behind the earlier items of its conversation.
	return await runEachItem(this, inputs, CONCURRENCY, async (input, item) =>
		await inConversationOrder('streamId' in input.to ? `stream ${input.to.streamId}` : `people ${imKeyOf(input.to.userIds)}`, async () => await send(input, item)),
	);
}
