import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { USER_PARAMETERS } from '../descriptions/users';
import { ParameterError, toNodeError } from '../errors';
import { parseStatusList } from '../helpers/presenceStatus';
import { parseIdentifyBy, parseUserRefs, type IdentifyBy } from '../helpers/userRefs';
import type { SymphonyCredentialType } from '../transport';
import { TRIGGER_ON_VALUES, type TriggerOn } from './presenceState';

/** The label the trigger's user field goes by in messages, whichever kind of value it holds. */
export const USERS_TO_WATCH = 'Users to Watch';

/**
 * How many people one trigger watches. A trigger has no input items to split a list across, so the
 * action nodes' 10,000 per item would cap it below large pods; the state kept per person (about 100
 * bytes of static data, saved after every poll) is what bounds it.
 */
export const MAX_WATCHED_USERS = 50_000;
const WATCH_LIMIT = {
	max: MAX_WATCHED_USERS,
	scope: ' to watch in one trigger',
	fix: 'Split them across several Presence Trigger workflows',
};

/** The trigger's parameters, checked. */
export interface TriggerParameters {
	identifyBy: IdentifyBy;
	/** The users as named in the node: IDs, emails or usernames, canonical and without repeats. */
	refs: string[];
	triggerOn: TriggerOn;
	/** The statuses Becomes and Leaves compare with; none for Any Change. */
	statuses: string[];
	emitOnStart: boolean;
	reportUnreadable: boolean;
	/** Send a connection request to watched people at other firms with no connection (Send Connection Requests). */
	requestConnections: boolean;
	credentialType: SymphonyCredentialType;
	options: IDataObject;
}

export function parseTriggerOn(value: unknown): TriggerOn {
	if (!TRIGGER_ON_VALUES.includes(value as TriggerOn)) {
		throw new ParameterError('Trigger On', value, 'is not one of the choices', 'Pick Any Change, Becomes One of Statuses or Leaves One of Statuses');
	}
	return value as TriggerOn;
}

/** The Statuses of Becomes and Leaves: at least one, each written as Symphony writes statuses. */
export function parseTriggerStatuses(value: unknown): string[] {
	const statuses = parseStatusList('Statuses', value);
	if (statuses.length === 0) {
		throw new ParameterError('Statuses', value, 'is empty', 'Select at least one status, or set Trigger On to Any Change');
	}
	return statuses;
}

/** Reads and checks the trigger's parameters; a bad one fails the poll with a message naming it. */
export function readTriggerParameters(context: IPollFunctions): TriggerParameters {
	try {
		const identifyBy = parseIdentifyBy(context.getNodeParameter('identifyBy', 'id'));
		const refs = parseUserRefs(identifyBy, USERS_TO_WATCH, context.getNodeParameter(USER_PARAMETERS[identifyBy].many), WATCH_LIMIT);
		const triggerOn = parseTriggerOn(context.getNodeParameter('triggerOn', 'anyChange'));
		// Any Change hides Statuses: whatever it holds is not used.
		const statuses = triggerOn === 'anyChange' ? [] : parseTriggerStatuses(context.getNodeParameter('statuses', []));
		const options = context.getNodeParameter('options', {}) as IDataObject;
		return {
			identifyBy,
			refs,
			triggerOn,
			statuses,
			emitOnStart: options.emitOnStart === true,
			reportUnreadable: options.reportUnreadable !== false,
			requestConnections: options.requestConnections === true,
			credentialType: context.getNodeParameter('authentication', 'symphonyApi') as SymphonyCredentialType,
			options,
		};
	} catch (error) {
		throw toNodeError(context.getNode(), error);
	}
}
