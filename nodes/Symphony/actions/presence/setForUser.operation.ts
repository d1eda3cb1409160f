import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { presenceToJson, setUserPresence } from '../../api/presence';
import { namedAs } from '../../api/users';
import { presenceStatusFields, softField } from '../../descriptions/presenceStatus';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { fromVersion2, onlyInVersion1 } from '../../descriptions/nodeVersion';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import {
	SINGLE_USER,
	identifyByField,
	singleUserFields,
	userLocatorField,
} from '../../descriptions/users';
import { parseStatus } from '../../helpers/presenceStatus';
import type { SymphonyClient } from '../../transport';
import { readEachItemWithUsers, readUserField } from '../userField';
import { readForAllItems, runEachItem } from '../itemRunner';

const properties: INodeProperties[] = [
	{
		displayName:
			'Setting another user\'s presence needs a service account with the User Provisioning entitlement. Symphony refuses it (403) for other accounts.',
		name: 'setForUserNotice',
		type: 'notice',
		default: '',
	},
	onlyInVersion1(identifyByField),
	...singleUserFields.map(onlyInVersion1),
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
	const inputs = await readEachItemWithUsers(this, items, client, settings.value, (i) => ({
		status: parseStatus(this.getNodeParameter('status', i), this.getNodeParameter('customStatus', i, '')),
		soft: this.getNodeParameter('soft', i, false) === true,
	}));
	return await runEachItem(this, inputs, 1, async ({ users: [{ user }], status, soft }) => {
		if (user instanceof Error) throw user;
		return [presenceToJson(await setUserPresence(client, user.userId, status, soft), namedAs(user))];
	});
}
