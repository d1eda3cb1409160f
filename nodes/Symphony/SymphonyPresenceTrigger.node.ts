import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { authenticationField, symphonyCredentials } from './descriptions/authentication';
import { PRESENCE_STATUS_OPTIONS } from './descriptions/presenceStatus';
import { requestOptionFields } from './descriptions/requestOptions';
import { identifyByField, userListFields } from './descriptions/users';
import { USERS_TO_WATCH } from './trigger/parameters';
import { pollPresence } from './trigger/poll';

/** The shared user fields, worded for watching: a trigger has no input items to combine. */
const WATCH_DESCRIPTIONS: Record<string, string> = {
	userIds: 'Symphony user IDs of the people to watch: one, or many separated by commas, spaces or new lines',
	emails:
		'Email addresses of the people to watch: one, or many separated by commas, spaces or new lines (pasted "Name &lt;address&gt;" lists work)',
	usernames: 'Symphony usernames of the people to watch: one, or many separated by commas, spaces or new lines',
};

export class SymphonyPresenceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Symphony Presence Trigger',
		name: 'symphonyPresenceTrigger',
		icon: { light: 'file:../../icons/symphony.svg', dark: 'file:../../icons/symphony.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ { anyChange: "Any change", becomes: "Becomes " + $parameter["statuses"], leaves: "Leaves " + $parameter["statuses"] }[$parameter["triggerOn"]] }}',
		description: 'Starts the workflow when the presence of watched Symphony users changes',
		defaults: { name: 'Symphony Presence Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: symphonyCredentials,
		properties: [
			authenticationField,
			{
				displayName:
					'People at other firms (external users) are read at most once every 5 minutes, as Symphony allows, however often this trigger polls; colleagues on your pod are read at every poll. Interest in external users is registered for you and renewed before each hour is up.',
				name: 'pollingNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName:
					'Each item already carries the user\'s status (status, previousStatus): no Symphony Get is needed after this trigger. For people at other firms a Get within 5 minutes of the trigger\'s read is refused by Symphony.',
				name: 'statusNotice',
				type: 'notice',
				default: '',
			},
			{
				...identifyByField,
				description: 'How the users to watch are named. Emails and usernames are looked up at the first poll that watches them, and remembered.',
			},
			...userListFields.map((field) => ({
				...field,
				displayName: USERS_TO_WATCH,
				description: WATCH_DESCRIPTIONS[field.name] ?? field.description,
			})),
			{
				displayName: 'Trigger On',
				name: 'triggerOn',
				type: 'options',
				noDataExpression: true,
				default: 'anyChange',
				options: [
					{ name: 'Any Change', value: 'anyChange', description: 'Any change of a watched user\'s status' },
					{
						name: 'Becomes One of Statuses',
						value: 'becomes',
						description: 'A watched user\'s status changes to one of the statuses selected below',
					},
					{
						name: 'Leaves One of Statuses',
						value: 'leaves',
						description: 'A watched user\'s status changes from one of the statuses selected below',
					},
				],
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: ['AVAILABLE'],
				required: true,
				options: PRESENCE_STATUS_OPTIONS,
				description: 'The statuses whose start (Becomes) or end (Leaves) starts the workflow',
				displayOptions: { show: { triggerOn: ['becomes', 'leaves'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Emit Current Statuses on Start',
						name: 'emitOnStart',
						type: 'boolean',
						default: false,
						description:
							'Whether to emit each watched user\'s status when it is first read (at the first poll, or after the user is added), with previousStatus empty. Off: the first reading is only recorded.',
					},
					{
						displayName: 'Report Unreadable Users',
						name: 'reportUnreadable',
						type: 'boolean',
						default: true,
						description:
							'Whether to emit an item with an error field when a watched user cannot be read (unknown user, not connected, no access). Each problem is reported once, when it starts; the other users are watched as usual.',
					},
					{
						displayName: 'Send Connection Requests',
						name: 'requestConnections',
						type: 'boolean',
						default: false,
						description:
							'Whether to send a connection request to watched people at other firms who are not connected with you, so that their presence can be read once they accept. Each gets one request: none while it waits for their answer, none again after they decline.',
					},
					...requestOptionFields,
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollPresence.call(this);
	}
}
