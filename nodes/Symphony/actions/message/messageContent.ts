import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { MESSAGE_CONTENT_PARAMETERS } from '../../descriptions/messages';
import { ParameterError } from '../../errors';
import { parseMessageContent, type MessageFormat } from '../../helpers/messageML';
import type { MultipartFile } from '../../helpers/multipart';
import { itemParameterReader } from '../itemParameter';

/** One item's message as the sending operations send it. */
export interface MessageContent {
	/** MessageML. */
	message: string;
	/** EntityJSON, when the item gave any. */
	data?: string;
	/** What the item asked to send: the text, or the MessageML. */
	text: string;
	/** Names of the item's binary properties to attach, each one the item has. */
	attachments: string[];
}

/** The Attachments option: binary property names, each one the item has. */
export function parseAttachmentNames(value: unknown, item: INodeExecutionData): string[] {
	if (value === undefined || value === null || value === '') return [];
	const fix = "Enter the names of the item's binary properties, separated by commas, e.g. data";
	if (typeof value !== 'string') throw new ParameterError('Attachments', value, 'is not a list of names', fix);
	const names = [...new Set(value.split(',').map((name) => name.trim()).filter((name) => name !== ''))];
	const available = Object.keys(item.binary ?? {});
	for (const name of names) {
		if (!available.includes(name)) {
			const has = available.length === 0 ? 'the item has no binary data' : `the item's are: ${available.join(', ')}`;
			throw new ParameterError('Attachments', name, `is not a binary property of this item (${has})`, fix);
		}
	}
	return names;
}

/**
 * Reads and checks, for one item, the content of a message as the sending operations take it
 * (descriptions/messages.ts): the Message Format, the Text or MessageML, and the content options
 * (Entity Data for MessageML, Mention People by Email for Text, Attachments for both; options may be
 * expressions, so each is read per item through n8n). Throws a ParameterError naming the field, so a
 * bad item fails before anything is sent. The attached files are read at send time
 * (`readAttachmentFiles`).
 */
export function messageContentReader(context: IExecuteFunctions, items: INodeExecutionData[]): (item: number) => MessageContent {
	const format: MessageFormat = context.getNodeParameter('format', 0, 'text') === 'messageML' ? 'messageML' : 'text';
	const readContent = itemParameterReader(context, items, MESSAGE_CONTENT_PARAMETERS[format], '');
	const readOption = (name: string, fallback: unknown, item: number) => context.getNodeParameter(`options.${name}`, item, fallback as never) as unknown;
	return (item) => ({
		...parseMessageContent(
			format,
			readContent(item),
			format === 'messageML' ? { entityData: readOption('entityData', '{}', item) } : { mentionEmails: readOption('mentionEmails', false, item) },
		),
		attachments: parseAttachmentNames(readOption('attachments', '', item), items[item]),
	});
}

/**
 * The item's binary properties named by `names` (from `messageContentReader`) as files: their bytes
 * through n8n (memory or file system storage alike), their file name (else the property's name) and
 * media type (else application/octet-stream).
 */
export async function readAttachmentFiles(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	item: number,
	names: readonly string[],
): Promise<MultipartFile[]> {
	const files: MultipartFile[] = [];
	for (const name of names) {
		const binary = items[item].binary![name];
		files.push({
			filename: binary.fileName ?? name,
			contentType: binary.mimeType || 'application/octet-stream',
			data: await context.helpers.getBinaryDataBuffer(item, name),
		});
	}
	return files;
}
