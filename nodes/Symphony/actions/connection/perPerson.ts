import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ResolvedUser } from '../../api/users';
import { SINGLE_USER } from '../../descriptions/users';
import type { SymphonyClient } from '../../transport';
import { readEachItemWithUsers, readUserField } from '../userField';
import { readForAllItems, runEachItem } from '../itemRunner';

/**
 * Runs one connection call per item's person (Accept, Reject, Remove: Symphony takes one person
 * per request), one at a time so the pod sees them in input order.
 */
export async function runForEachPerson(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
	call: (user: ResolvedUser) => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	const settings = readForAllItems(context, items.length, () => readUserField(context, SINGLE_USER));
	if ('failed' in settings) return settings.failed;
	const inputs = await readEachItemWithUsers(context, items, client, settings.value, () => ({}));
	return await runEachItem(context, inputs, 1, async ({ users: [{ user }] }) => {
		if (user instanceof Error) throw user;
		return [await call(user)];
	});
}
