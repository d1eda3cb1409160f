import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ParameterError } from '../errors';

/**
 * Symphony's documented presence categories. Symphony may add others, so statuses read from it pass
 * through unchanged, and setting one not listed here goes through "Custom Value".
 */
export const PRESENCE_STATUS_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Available', value: 'AVAILABLE' },
	{ name: 'Away', value: 'AWAY' },
	{ name: 'Be Right Back', value: 'BE_RIGHT_BACK', description: 'External users see Away' },
	{ name: 'Busy', value: 'BUSY' },
	{ name: 'Do Not Disturb', value: 'DO_NOT_DISTURB', description: 'Deprecated by Symphony; external users see Away' },
	{ name: 'In a Meeting', value: 'IN_A_MEETING' },
	{ name: 'Off Work', value: 'OFF_WORK', description: 'Deprecated by Symphony; external users see Offline' },
	{ name: 'Offline', value: 'OFFLINE' },
	{ name: 'On the Phone', value: 'ON_THE_PHONE' },
	{ name: 'Out of Office', value: 'OUT_OF_OFFICE' },
];

export const CUSTOM_STATUS = 'custom';
const KNOWN = new Set(PRESENCE_STATUS_OPTIONS.map((option) => option.value as string));
/** How Symphony writes categories: capitals, digits and underscores. */
const CATEGORY = /^[A-Z][A-Z0-9_]*$/;
const MAX_CATEGORY_LENGTH = 64;

/** Whether text is written as Symphony writes statuses (listed or not), e.g. FOCUS_TIME. */
export function isPresenceCategory(text: string): boolean {
	return CATEGORY.test(text) && text.length <= MAX_CATEGORY_LENGTH;
}

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

/**
 * Reads the status to set. Listed statuses may arrive by expression in any case ("available");
 * anything else must be chosen as "Custom Value", so a typo is caught here instead of being set.
 */
export function readPresenceStatus(status: unknown, customStatus: unknown): string {
	if (status === CUSTOM_STATUS) {
		const custom = typeof customStatus === 'string' ? customStatus.trim().toUpperCase() : customStatus;
		if (typeof custom !== 'string' || custom === '') {
			throw new ParameterError('Custom Status', customStatus, 'is empty', 'Enter the status as Symphony writes it, e.g. FOCUS_TIME');
		}
		if (!isPresenceCategory(custom)) {
			throw new ParameterError(
				'Custom Status',
				customStatus,
				'is not a Symphony status',
				'Use capitals, digits and underscores only, as Symphony writes statuses (e.g. FOCUS_TIME)',
			);
		}
		return custom;
	}
	const listed = typeof status === 'string' ? status.trim().toUpperCase() : undefined;
	if (listed === undefined || !KNOWN.has(listed)) {
		throw new ParameterError(
			'Status',
			status,
			'is not one of the listed statuses',
			`Pick one of ${[...KNOWN].join(', ')}, or choose "Custom Value" and type the status in Custom Status`,
		);
	}
	return listed;
}

/** Symphony's `soft` flag of both set calls, in plain words. */
export const softField: INodeProperties = {
	displayName: 'Soft',
	name: 'soft',
	type: 'boolean',
	default: false,
	description:
		'Whether to respect what the user is doing: someone offline stays offline and gets the new status when they next sign in, and someone idle set to Available shows as Away until they are back. When off, the status applies at once.',
};
