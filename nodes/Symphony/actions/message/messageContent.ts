import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { MESSAGE_CONTENT_PARAMETERS } from '../../descriptions/messages';
import { parseMessageContent, type MessageFormat } from '../../helpers/messageML';
import { itemParameterReader } from '../itemParameter';

/**
 * Reads and checks, for one item, the content of a message as the sending operations take it
 * (descriptions/messages.ts): the Message Format, the Text or MessageML, and the content options
 * (Entity Data for MessageML, Mention People by Email for Text; options may be expressions, so each
 * is read per item through n8n). Throws a ParameterError naming the field.
 */
export function messageContentReader(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
): (item: number) => { message: string; data?: string; text: string } {
	const format: MessageFormat = context.getNodeParameter('format', 0, 'text') === 'messageML' ? 'messageML' : 'text';
	const readContent = itemParameterReader(context, items, MESSAGE_CONTENT_PARAMETERS[format], '');
	const readOption = (name: string, fallback: unknown, item: number) => context.getNodeParameter(`options.${name}`, item, fallback as never) as unknown;
	return (item) =>
		parseMessageContent(
			format,
			readContent(item),
			format === 'messageML' ? { entityData: readOption('entityData', '{}', item) } : { mentionEmails: readOption('mentionEmails', false, item) },
		);
}
