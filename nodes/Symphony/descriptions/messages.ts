import type { INodeProperties } from 'n8n-workflow';

import { requestOptionFields, requestOptionsCollection } from './requestOptions';

/**
 * The fields of the Message operations: a stream ID, a message ID, the content (Message Format, then
 * Text or MessageML) and the content's options (Entity Data, Mention People by Email, Attachments).
 * The sending operations read them with `messageContentReader` (actions/message/messageContent.ts).
 */

export const streamIdField: INodeProperties = {
	displayName: 'Stream ID',
	name: 'streamId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. lJaLjhvX1ufTwCLmdSFDwH///nfEBjq5dA==',
	description: 'The conversation\'s stream ID, as Symphony shows it (either form: with + / = or with - _)',
};

export const messageIdField: INodeProperties = {
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. {{ $json.messageId }}',
	description: 'The message\'s ID, e.g. the messageId a Send or Get Many gave (either form: with + / = or with - _)',
};

/** The parameter holding the content, per Message Format. */
export const MESSAGE_CONTENT_PARAMETERS = { text: 'text', messageML: 'messageML' } as const;

/** Message Format, then the Text or MessageML field it shows. */
export const messageContentFields: INodeProperties[] = [
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
];

/** Options of a message's content, for an Options collection (sorted there by name). MessageML only. */
export const entityDataOption: INodeProperties = {
	displayName: 'Entity Data (JSON)',
	name: 'entityData',
	type: 'json',
	default: '{}',
	displayOptions: { show: { '/format': ['messageML'] } },
	description: "The message's structured data (EntityJSON), keyed by the entity names the MessageML refers to",
};

/** Text only. */
export const mentionEmailsOption: INodeProperties = {
	displayName: 'Mention People by Email',
	name: 'mentionEmails',
	type: 'boolean',
	default: false,
	displayOptions: { show: { '/format': ['text'] } },
	description: 'Whether @ followed by an email address, e.g. @carol@globex.example, mentions that person (they are notified)',
};

/** Both formats: the item's binary properties, sent as files with the message. */
export const attachmentsOption: INodeProperties = {
	displayName: 'Attachments',
	name: 'attachments',
	type: 'string',
	default: '',
	placeholder: 'e.g. data, report',
	description: "The item's binary properties to attach, by name, separated by commas. Each is sent as a file with its file name and type.",
};

/**
 * The Options collection of an operation that sends a message's content: its `extra` options, the
 * content options above and the request options, sorted by name as n8n lists them.
 */
export function messageOptionsCollection(extra: INodeProperties[] = []): INodeProperties {
	const options = [...extra, attachmentsOption, entityDataOption, mentionEmailsOption, ...requestOptionFields];
	return { ...requestOptionsCollection, options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)) };
}
