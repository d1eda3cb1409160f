import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createIm, createMessage } from '../../api/messages';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { parseMessageML, textToMessageML } from '../../helpers/messageML';
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
	{
		displayName: 'Stream ID',
		name: 'streamId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==',
		displayOptions: { show: { sendTo: ['stream'] } },
		description: 'The conversation\'s stream ID, as Symphony shows it (either form: with + / = or with - _)',
	},
	{ ...conversationUserIdsField, displayOptions: { show: { sendTo: ['users'] } } },
	{
		displayName: 'Message Format',
		name: 'format',
		type: 'options',
		noDataExpression: true,
		default: 'text',
		options: [
			{ name: 'Text', value: 'text', description: 'Plain text, shown exactly as typed; line breaks kept' },
			{ name: 'MessageML', value: 'messageML', description: "Symphony's markup (bold, tables, mentions, cards), sent as written" },
		],
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.displayName }} is now available',
		displayOptions: { show: { format: ['text'] } },
		description: 'Sent as typed: characters such as <, & and ${ are escaped for Symphony',
	},
	{
		displayName: 'MessageML',
		name: 'messageML',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		required: true,
		placeholder: 'e.g. <messageML>Desk: <b>{{ $json.displayName }}</b> is available</messageML>',
		displayOptions: { show: { format: ['messageML'] } },
		description: 'Well-formed MessageML in a messageML element, sent as written: close every tag, and escape the ampersand and the less-than sign',
	},
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
	const format = this.getNodeParameter('format', 0, 'text') as string;
	const readTarget = itemParameterReader(this, items, sendTo === 'users' ? 'userIds' : 'streamId', '');
	const readContent = itemParameterReader(this, items, format === 'messageML' ? 'messageML' : 'text', '');
	const inputs = readEachItem(items.length, (item): SendInput => {
		const target = readTarget(item);
		let to: SendInput['to'];
		if (sendTo === 'users') {
			to = { userIds: parseConversationUserIds('User IDs', target, 'Send to a room instead, or to each person in their own item') };
		} else {
			to = { streamId: parseStreamId('Stream ID', target) };
		}
		const content = readContent(item);
		const message = format === 'messageML' ? parseMessageML('MessageML', content) : textToMessageML('Text', content);
		return { to, message, text: String(content) };
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
