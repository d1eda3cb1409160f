import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { MAX_MESSAGES_PAGE, listMessages, type ListedMessage } from '../../api/messages';
import { streamIdField } from '../../descriptions/messages';
import { simplifyField } from '../../descriptions/nodeVersion';
import { paginationFields } from '../../descriptions/pagination';
import { requestOptionFields } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { ParameterError } from '../../errors';
import { parseDateTime } from '../../helpers/dateTime';
import { presentationMLToText } from '../../helpers/presentationML';
import { parseResultCount } from '../../helpers/resultCount';
import { parseStreamId } from '../../helpers/streamIds';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { readEachItem, runEachItem } from '../itemRunner';

const properties: INodeProperties[] = [
	{ ...streamIdField, description: 'The conversation to read, by its stream ID (either form: with + / = or with - _)' },
	{
		displayName: 'Since',
		name: 'since',
		type: 'dateTime',
		default: '',
		required: true,
		description: "The earliest messages to return: those sent at or after this time, oldest first. Without a time zone it is the workflow's.",
	},
	...paginationFields,
	simplifyField('the message ID, stream ID, time, sender and text'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			...requestOptionFields,
			{
				displayName: 'Until',
				name: 'until',
				type: 'dateTime',
				default: '',
				description: 'The latest messages to return: none sent after this time',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['getMany'] } },
	properties,
);

interface ListInput {
	streamId: string;
	since: number;
	until?: number;
	wanted: number;
	simplify: boolean;
}

/**
 * Pages through GET /agent/v4/stream/{sid}/message as Symphony documents it: the next page starts at
 * the last message's time (`since`), passing over (`skip`) the messages already seen at that time.
 */
async function collectMessages(client: SymphonyClient, { streamId, since: start, until, wanted }: ListInput): Promise<ListedMessage[]> {
	const collected: ListedMessage[] = [];
	const seen = new Set<string>();
	let since = start;
	let skip = 0;
	for (;;) {
		const limit = Math.min(MAX_MESSAGES_PAGE, wanted - collected.length);
		const page = await listMessages(client, streamId, { since, until, skip, limit });
		let fresh = 0;
		for (const message of page) {
			if (seen.has(message.messageId)) continue;
			seen.add(message.messageId);
			fresh++;
			collected.push(message);
			if (collected.length >= wanted) return collected;
		}
		// A short page is the last one; a page with nothing new would only repeat itself.
		if (page.length < limit || fresh === 0) return collected;
		since = page[page.length - 1].timestamp;
		skip = collected.filter((message) => message.timestamp === since).length;
	}
}

function messageToJson(message: ListedMessage, simplify: boolean): IDataObject {
	const json: IDataObject = {
		messageId: message.messageId,
		streamId: message.streamId,
		timestamp: message.timestamp,
		sender: message.sender,
		text: presentationMLToText(message.message),
	};
	return simplify ? json : { ...json, raw: message.raw };
}

/** Reads one stream's messages per input item; each message becomes an item paired to it. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const readStreamId = itemParameterReader(this, items, 'streamId', '');
	const readSince = itemParameterReader(this, items, 'since', '');
	const readOptions = itemParameterReader(this, items, 'options', {});
	// A time picked without an offset is the workflow's time zone's, as n8n's date picker shows it.
	const timeZone = this.getTimezone();
	const inputs = readEachItem(items.length, (item): ListInput => {
		const streamId = parseStreamId('Stream ID', readStreamId(item));
		const since = parseDateTime('Since', readSince(item), timeZone);
		const untilValue = (readOptions(item) as IDataObject).until;
		const until = untilValue === undefined || untilValue === '' ? undefined : parseDateTime('Until', untilValue, timeZone);
		if (until !== undefined && until < since) {
			throw new ParameterError('Until', untilValue, `is before Since (${new Date(since).toISOString()})`, 'Pick an Until after Since, or remove it to read up to now');
		}
		const returnAll = this.getNodeParameter('returnAll', item, false);
		return {
			streamId,
			since,
			until,
			wanted: parseResultCount(returnAll, returnAll === true ? undefined : this.getNodeParameter('limit', item, 50)),
			simplify: this.getNodeParameter('simplify', item, false) === true,
		};
	});
	return await runEachItem(this, inputs, 1, async (input) => (await collectMessages(client, input)).map((message) => messageToJson(message, input.simplify)));
}
