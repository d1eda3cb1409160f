import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CUSTOM_STATUS, PRESENCE_STATUSES, type ListedPresenceStatus } from '../helpers/presenceStatus';

const STATUS_LABELS: Record<ListedPresenceStatus, { name: string; description?: string }> = {
	AVAILABLE: { name: 'Available' },
	AWAY: { name: 'Away' },
	BE_RIGHT_BACK: { name: 'Be Right Back', description: 'External users see Away' },
	BUSY: { name: 'Busy' },
	DO_NOT_DISTURB: { name: 'Do Not Disturb', description: 'Deprecated by Symphony; external users see Away' },
	IN_A_MEETING: { name: 'In a Meeting' },
	OFF_WORK: { name: 'Off Work', description: 'Deprecated by Symphony; external users see Offline' },
	OFFLINE: { name: 'Offline' },
	ON_THE_PHONE: { name: 'On the Phone' },
	OUT_OF_OFFICE: { name: 'Out of Office' },
};

/**
 * Symphony's documented presence statuses as options. Symphony may add others, so statuses read
 * from it pass through unchanged, and setting one not listed here goes through "Custom Value".
 */
export const PRESENCE_STATUS_OPTIONS: INodePropertyOptions[] = PRESENCE_STATUSES.map((value) => {
	const { name, description } = STATUS_LABELS[value];
	return { name, value, ...(description !== undefined && { description }) };
});

/** The status to set, and the free-text status shown when "Custom Value" is picked. */
export const presenceStatusFields: INodeProperties[] = [
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		default: 'AVAILABLE',
		options: [
			...PRESENCE_STATUS_OPTIONS,
			{ name: 'Custom Value', value: CUSTOM_STATUS, description: 'A status not in this list, typed below' },
		].sort((a, b) => a.name.localeCompare(b.name)),
		description: 'The presence to show',
	},
	{
		displayName: 'Custom Status',
		name: 'customStatus',
		type: 'string',
		default: '',
		// Not `required`: n8n would then demand it whenever Status is an expression.
		placeholder: 'e.g. FOCUS_TIME',
		description: 'A status Symphony knows but this list does not, in capitals with underscores',
		displayOptions: { show: { status: [CUSTOM_STATUS] } },
	},
];

/** Symphony's `soft` flag of both set calls, in plain words. */
export const softField: INodeProperties = {
	displayName: 'Soft',
	name: 'soft',
	type: 'boolean',
	default: false,
	description:
		'Whether to respect what the user is doing: someone offline stays offline and gets the new status when they next sign in, and someone idle set to Available shows as Away until they are back. When off, the status applies at once.',
};
