import { ParameterError } from '../errors';

/**
 * Presence statuses (Symphony's API calls them presence categories: see api/presence.ts) and the
 * checks of statuses typed into a node. Symphony documents the statuses below but may add others,
 * and a pod may have its own; so a status is accepted when it is written as Symphony writes them,
 * listed or not, wherever one can be typed: a custom status to set, a status to filter by.
 */

/** Symphony's documented presence statuses, in the order the node lists them. */
export const PRESENCE_STATUSES = [
	'AVAILABLE',
	'AWAY',
	'BE_RIGHT_BACK',
	'BUSY',
	'DO_NOT_DISTURB',
	'IN_A_MEETING',
	'OFF_WORK',
	'OFFLINE',
	'ON_THE_PHONE',
	'OUT_OF_OFFICE',
] as const;
export type ListedPresenceStatus = (typeof PRESENCE_STATUSES)[number];

/** The Status option that means "the status typed in Custom Status". */
export const CUSTOM_STATUS = 'custom';

const LISTED = new Set<string>(PRESENCE_STATUSES);
/** How Symphony writes statuses: capitals, digits and underscores. */
const STATUS_PATTERN = /^[A-Z][A-Z0-9_]*$/;
const MAX_STATUS_LENGTH = 64;
const NOT_A_STATUS = 'is not a Symphony status';

/** Whether text is written as Symphony writes statuses (listed or not), e.g. FOCUS_TIME. */
export function isPresenceStatus(text: string): boolean {
	return STATUS_PATTERN.test(text) && text.length <= MAX_STATUS_LENGTH;
}

/** Statuses arrive by expression in any case and with spaces around: "available" is AVAILABLE. */
function normalized(value: unknown): unknown {
	return typeof value === 'string' ? value.trim().toUpperCase() : value;
}

/**
 * The status to set, from the Status and Custom Status fields. Listed statuses may arrive by
 * expression in any case ("available"); anything else must be chosen as "Custom Value", so a typo
 * is caught here instead of being set.
 */
export function parseStatus(status: unknown, customStatus: unknown): string {
	if (status === CUSTOM_STATUS) {
		const custom = normalized(customStatus);
		if (typeof custom !== 'string' || custom === '') {
			throw new ParameterError('Custom Status', customStatus, 'is empty', 'Enter the status as Symphony writes it, e.g. FOCUS_TIME');
		}
		if (!isPresenceStatus(custom)) {
			throw new ParameterError(
				'Custom Status',
				customStatus,
				NOT_A_STATUS,
				'Use capitals, digits and underscores only, as Symphony writes statuses (e.g. FOCUS_TIME)',
			);
		}
		return custom;
	}
	const listed = normalized(status);
	if (typeof listed !== 'string' || !LISTED.has(listed)) {
		throw new ParameterError(
			'Status',
			status,
			'is not one of the listed statuses',
			`Pick one of ${PRESENCE_STATUSES.join(', ')}, or choose "Custom Value" and type the status in Custom Status`,
		);
	}
	return listed;
}

/**
 * The statuses of a filter `field`: a multi-options value, or text separated by commas from an
 * expression. Empty entries are left out, so nothing selected gives an empty list (the caller says
 * whether that is allowed). Each status may be unlisted, as long as it is written as Symphony
 * writes statuses: a filter must be able to select the statuses Symphony adds.
 */
export function parseStatusList(field: string, value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const entries: unknown[] | undefined = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
	if (entries === undefined) {
		throw new ParameterError(field, value, 'is not a list of statuses', 'Pick statuses from the list, e.g. AVAILABLE and BUSY');
	}
	const statuses: string[] = [];
	for (const entry of entries.map(normalized)) {
		if (entry === '') continue;
		if (typeof entry !== 'string' || !isPresenceStatus(entry)) {
			throw new ParameterError(
				field,
				entry,
				NOT_A_STATUS,
				'Pick statuses from the list, or type each as Symphony writes statuses: capitals, digits and underscores (e.g. FOCUS_TIME)',
			);
		}
		statuses.push(entry);
	}
	return statuses;
}
