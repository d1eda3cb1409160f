import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { MAX_BLAST_STREAMS, blastMessage } from '../../api/messages';
import { messageContentFields, messageOptionsCollection } from '../../descriptions/messages';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { chunk, mapConcurrent } from '../../helpers/batching';
import type { MultipartFile } from '../../helpers/multipart';
import { parseStreamIds } from '../../helpers/streamIds';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { ItemFailure, readEachItem, toOutputItems, type ItemOutcome } from '../itemRunner';
import { messageContentReader, readAttachmentFiles, type MessageContent } from './messageContent';

const properties: INodeProperties[] = [
	{
		displayName: 'Stream IDs',
		name: 'streamIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==, …',
		description:
			'The conversations, by stream ID (either form): several separated by commas, spaces or new lines, or a list mapped from an earlier node. Sent 100 streams per request; a stream named twice gets the message once.',
	},
	...messageContentFields,
	messageOptionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendToMany'] } },
	properties,
);

interface BlastInput extends MessageContent {
	streamIds: string[];
}

/**
 * Sends each item's message, with its attachments, to its streams with Blast (POST
 * /agent/v4/message/blast), 100 streams a request. Every stream becomes an output item paired to
 * its input item: `sent: true` with the message ID, or `sent: false` with what Symphony said (it
 * answers 200 when only some streams failed). A request that fails stops that item: the streams
 * sent before are output, the rest are named in its error item.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const readStreamIds = itemParameterReader(this, items, 'streamIds', '');
	const readContent = messageContentReader(this, items);
	const inputs = readEachItem(items.length, (item): BlastInput => ({
		streamIds: parseStreamIds('Stream IDs', readStreamIds(item)),
		...readContent(item),
	}));

	// One item at a time, in item order, like Send.
	const perItem = await mapConcurrent(inputs, 1, async (input, item): Promise<ItemOutcome[]> => {
		if (input instanceof ItemFailure) return [{ error: input.error, item }];
		const outcomes: ItemOutcome[] = [];
		const batches = chunk(input.streamIds, MAX_BLAST_STREAMS);
		let files: MultipartFile[];
		try {
			// Read once: every request of the item sends the same files.
			files = await readAttachmentFiles(this, items, item, input.attachments);
		} catch (error) {
			return [{ error, item, json: { sent: false, streamIds: input.streamIds, text: input.text } }];
		}
		for (const [index, batch] of batches.entries()) {
			try {
				for (const outcome of await blastMessage(client, batch, input.message, input.data, files)) {
					const json: IDataObject = outcome.sent
						? { streamId: outcome.streamId, sent: true, messageId: outcome.messageId, timestamp: outcome.timestamp, text: input.text }
						: {
								streamId: outcome.streamId,
								sent: false,
								...(outcome.errorCode !== undefined && { errorCode: outcome.errorCode }),
								errorMessage: outcome.errorMessage,
								text: input.text,
							};
					outcomes.push({ json, items: [item] });
				}
			} catch (error) {
				// This request's streams and the later ones' were not confirmed sent.
				const notConfirmed = batches.slice(index).flat();
				outcomes.push({ error, item, json: { sent: false, streamIds: notConfirmed, text: input.text } });
				break;
			}
		}
		return outcomes;
	});
	return toOutputItems(this, perItem.flat());
}
