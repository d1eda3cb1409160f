import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { presenceToJson, setUserPresence } from '../../api/presence';
import { namedAs, resolveUsers, type ResolvedUser } from '../../api/users';
import { presenceStatusFields, softField } from '../../descriptions/presenceStatus';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { fromVersion2, onlyInVersion1 } from '../../descriptions/nodeVersion';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import {
	SINGLE_USER,
	identifyByField,
	userFields,
	userLocatorField,
} from '../../descriptions/users';
import { parseStatus } from '../../helpers/presenceStatus';
import { parseUserRef } from '../../helpers/userRefs';
import type { SymphonyClient } from '../../transport';
import { readUserField, userValueReader } from '../userField';
import { ItemFailure, readEachItem, readForAllItems, runEachItem } from '../itemRunner';

const properties: INodeProperties[] = [
	{
		displayName:
			'Setting another user\'s presence needs a service account with the User Provisioning entitlement. Symphony refuses it (403) for other accounts.',
		name: 'setForUserNotice',
		type: 'notice',
		default: '',
	},
	onlyInVersion1(identifyByField),
	...userFields.map(onlyInVersion1),
	fromVersion2(userLocatorField(false)),
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
	const settings = readForAllItems(this, items.length, () => readUserField(this, SINGLE_USER));
	if ('failed' in settings) return settings.failed;
	const userField = settings.value;
	const { identifyBy } = userField;
	const readUser = userValueReader(this, items, userField);
	const inputs = readEachItem(items.length, (i) => ({
		ref: parseUserRef(identifyBy, userField.label, readUser(i)),
		category: parseStatus(this.getNodeParameter('status', i), this.getNodeParameter('customStatus', i, '')),
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
