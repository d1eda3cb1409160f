import type { INodeProperties } from 'n8n-workflow';

import { PRESENCE_STATUSES } from '../helpers/presenceStatus';

/**
 * What a model reads about the node when n8n's AI Agent uses it as a tool (the node type
 * `n8n-nodes-symphony.symphonyTool`, shown only there through `@tool`). n8n hands the field named
 * `toolDescription` to the model as the tool's description; because the node has its own, n8n adds
 * no "Set Automatically / Set Manually" pair (docs/ai-agent.md). The operations an agent is meant to
 * call get a description written for a model; every other operation an empty field, which n8n fills
 * with "<action> in Symphony".
 */
export const TOOL_DESCRIPTIONS: Record<string, Record<string, string>> = {
	user: {
		get: 'Look people up in Symphony\'s directory by email address (or by username or user ID, as this tool\'s parameters ask). For each person found it returns userId (the numeric Symphony user ID that the other Symphony tools take), displayName, email, username and company. An empty result (no person in it) means nobody matched: ask for the correct address rather than guessing.',
	},
	presence: {
		get: `Read one person's current Symphony presence: category (one of ${PRESENCE_STATUSES.join(', ')}) and when it was set (timestampIso). Name the person the way this tool's parameters ask (email, username, or the numeric userId a lookup returned). A person at another firm can be read only if you are connected and interest in them was registered within the hour (Register Interest, unless this tool registers by itself), at most once every 5 minutes. A result with an "error" field says what went wrong and how to correct the call.`,
		registerInterest: 'Register interest in the presence of people at other firms, which Symphony requires before their presence can be read; it lasts one hour. Give the people the way this tool\'s parameters ask (emails, usernames or the numeric userIds a lookup returned; several separated by commas). Colleagues at your own firm need no registration. A result with an "error" field says which person was refused and why.',
	},
	connection: {
		get: 'Find out whether you are connected with one person at another firm: status is ACCEPTED (connected), PENDING_OUTGOING, PENDING_INCOMING, REJECTED or NOT_CONNECTED, and connected is true only for ACCEPTED. Symphony shows the presence of people at other firms only when connected.',
	},
	message: {
		send: 'Send a plain-text message on Symphony, to the conversation or people this tool\'s parameters name (people by their numeric userIds: their IM, opened if needed). Returns messageId and streamId of the sent message. Write the message as it should appear; it is sent as given.',
	},
};

/** The Description field of the node as a tool: one per resource and operation. */
export function toolDescriptionFields(operations: Record<string, string[]>): INodeProperties[] {
	const fields: INodeProperties[] = [];
	for (const [resource, names] of Object.entries(operations)) {
		for (const operation of names) {
			const field: INodeProperties = {
				displayName: 'Description',
				name: 'toolDescription',
				type: 'string',
				default: '',
				typeOptions: { rows: 3 },
				placeholder: 'Leave empty for the action\'s name, or say what the tool is for',
				description: 'What the model reads about this tool: when to call it, what to give and what comes back',
				displayOptions: { show: { '@tool': [true], resource: [resource], operation: [operation] } },
			};
			const text = TOOL_DESCRIPTIONS[resource]?.[operation];
			fields.push(text === undefined ? field : { ...field, default: text });
		}
	}
	return fields;
}
