import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

import { authenticationField, symphonyCredentials } from './descriptions/authentication';
import { startDatafeedTrigger } from './trigger/datafeedTrigger';

export class SymphonyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Symphony Trigger',
		name: 'symphonyTrigger',
		icon: { light: 'file:../../icons/symphony.svg', dark: 'file:../../icons/symphony.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow on Symphony events: messages, form replies, connection requests and room changes',
		defaults: { name: 'Symphony Trigger' },
		eventTriggerDescription: 'Waiting for a Symphony event: for example, send the bot a message',
		activationMessage: 'The workflow now starts for each Symphony event the bot receives that matches this trigger.',
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: symphonyCredentials,
		properties: [
			{ ...authenticationField, default: 'symphonyRsaApi' },
			{
				displayName:
					'The bot reads its events from one Symphony datafeed per active workflow (Symphony allows a bot 20). Each event starts one execution; an event Symphony delivers again is recognized and skipped.',
				name: 'datafeedNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['messageReceived'],
				description: 'The Symphony events that start the workflow',
				options: [
					{ name: 'Connection Accepted', value: 'connectionAccepted', description: 'Someone accepted a connection request' },
					{ name: 'Connection Requested', value: 'connectionRequested', description: 'Someone at another firm asked to connect with the bot' },
					{ name: 'Form Replied', value: 'formReplied', description: 'Someone submitted a Symphony Elements form the bot sent' },
					{ name: 'Message Received', value: 'messageReceived', description: 'A message was posted in an IM, group chat or room the bot is in' },
					{ name: 'Room Created', value: 'roomCreated', description: 'A room the bot is in was created' },
					{ name: 'User Joined Room', value: 'userJoinedRoom', description: 'Someone joined a room the bot is in' },
					{ name: 'User Left Room', value: 'userLeftRoom', description: 'Someone left a room the bot is in' },
				],
			},
			{
				displayName: 'Message In',
				name: 'messageIn',
				type: 'options',
				default: 'all',
				description: 'Where a message must be posted to start the workflow',
				displayOptions: { show: { events: ['messageReceived'] } },
				options: [
					{ name: 'IMs and Rooms', value: 'all', description: 'Any conversation the bot is in' },
					{ name: 'IMs Only', value: 'im', description: 'One-to-one chats and group chats with the bot' },
					{ name: 'Rooms Only', value: 'room', description: 'Rooms the bot is a member of' },
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'From Users',
						name: 'fromUsers',
						type: 'string',
						default: '',
						placeholder: 'e.g. 7215545078541, alice@acme.com',
						description: 'Only events by these people: user IDs or emails, separated by commas, spaces or new lines. Empty: anyone.',
					},
					{
						displayName: 'Include Own Events',
						name: 'includeOwnEvents',
						type: 'boolean',
						default: false,
						description: 'Whether the bot\'s own events start the workflow too. Off: the bot\'s own messages (Symphony delivers them to its feed) are skipped, so a workflow that answers does not trigger itself.',
					},
					{
						displayName: 'Only When the Bot Is Mentioned',
						name: 'onlyWhenMentioned',
						type: 'boolean',
						default: false,
						description: 'Whether a message must @mention the bot to start the workflow (Message Received only)',
					},
					{
						displayName: 'Text Contains',
						name: 'textContains',
						type: 'string',
						default: '',
						placeholder: 'e.g. status',
						description: 'Only messages whose text contains this, ignoring case (Message Received only)',
					},
				],
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return await startDatafeedTrigger.call(this);
	}
}
