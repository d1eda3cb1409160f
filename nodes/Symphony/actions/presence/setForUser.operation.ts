import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { presenceToJson, setUserPresence } from '../../api/presence';
import { namedAs, resolveUsers, type ResolvedUser } from '../../api/users';
import { presenceStatusFields, readPresenceStatus, softField } from '../../descriptions/presenceStatus';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { USER_PARAMETERS, identifyByField, userFields } from '../../descriptions/users';
import { parseIdentifyBy, parseUserRef } from '../../helpers/userRefs';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { ItemFailure, readEachItem, readForAllItems, runEachItem } from '../itemRunner';

const properties: INodeProperties[] = [
	{
		displayName:
			'Setting another user\'s presence needs a service account with the User Provisioning entitlement. Symphony refuses it (403) for other accounts.',
		name: 'setForUserNotice',
		type: 'notice',
		default: '',
	},
	identifyByField,
	...userFields,
	...presenceStatusFields,
	softField,
	requestOptionsCollection,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['presence'], operation: ['setForUser'] } },
	properties,
);

/**
 * Sets each item's user's presence. Emails or usernames of all items are resolved together first;
 * items then run in order, so for one user the last item wins.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const settings = readForAllItems(this, items.length, () => parseIdentifyBy(this.getNodeParameter('identifyBy', 0, 'id')));
	if ('failed' in settings) return settings.failed;
	const identifyBy = settings.value;
	const { one, oneLabel } = USER_PARAMETERS[identifyBy];
	const readUser = itemParameterReader(this, items, one);
	const inputs = readEachItem(items.length, (i) => ({
		ref: parseUserRef(identifyBy, oneLabel, readUser(i)),
		category: readPresenceStatus(this.getNodeParameter('status', i), this.getNodeParameter('customStatus', i, '')),
		soft: this.getNodeParameter('soft', i, false) === true,
	}));
	const refs = inputs.flatMap((input) => (input instanceof ItemFailure ? [] : [input.ref]));
	const users = await resolveUsers(client, identifyBy, refs);
	return await runEachItem(this, inputs, 1, async ({ ref, category, soft }) => {
		const user = users.get(ref) as ResolvedUser | Error;
		if (user instanceof Error) throw user;
		return [presenceToJson(await setUserPresence(client, user.userId, category, soft), namedAs(user))];
	});
}
