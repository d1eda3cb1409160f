import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getUserPresence, presenceToJson } from '../../api/presence';
import { namedAs, resolveUsers, type ResolvedUser } from '../../api/users';
import { requestOptionFields } from '../../descriptions/requestOptions';
import { readWholeNumber } from '../../descriptions/settings';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { USER_PARAMETERS, identifyByField, userFields } from '../../descriptions/users';
import { parseIdentifyBy, parseUserRef } from '../../helpers/userRefs';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { ItemFailure, readEachItem, readForAllItems, runEachItem } from '../itemRunner';

/**
 * Reads are paced by the request-rate ceiling (Max Requests per Second); concurrency only caps how
 * many wait for Symphony at once. In flight are then about rate × latency: 30 at 300/s and 100 ms.
 */
export const DEFAULT_CONCURRENCY = 100;
export const MAX_CONCURRENCY = 500;

const properties: INodeProperties[] = [
	identifyByField,
	...userFields,
	{
		displayName: 'Local Only',
		name: 'local',
		type: 'boolean',
		default: false,
		description:
			'Whether to ask only your own pod. Users of other firms then always show as OFFLINE; leave off to see external users you are connected to and have registered interest in.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
				default: DEFAULT_CONCURRENCY,
				description:
					'The most users read at the same time. Reads are spaced by Max Requests per Second, so this many wait for Symphony at once only when it answers slowly. Results always come out in input order.',
			},
			...requestOptionFields,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['presence'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const settings = readForAllItems(this, items.length, () => ({
		concurrency: readWholeNumber('Concurrency', options.concurrency, 1, MAX_CONCURRENCY, DEFAULT_CONCURRENCY),
		identifyBy: parseIdentifyBy(this.getNodeParameter('identifyBy', 0, 'id')),
	}));
	if ('failed' in settings) return settings.failed;
	const { concurrency, identifyBy } = settings.value;
	const { one, oneLabel } = USER_PARAMETERS[identifyBy];
	const readUser = itemParameterReader(this, items, one);
	const readLocal = itemParameterReader(this, items, 'local', false);
	const inputs = readEachItem(items.length, (i) => ({
		ref: parseUserRef(identifyBy, oneLabel, readUser(i)),
		local: readLocal(i) === true,
	}));
	// Emails and usernames of all items are looked up together before any presence is read.
	const refs = inputs.flatMap((input) => (input instanceof ItemFailure ? [] : [input.ref]));
	const users = await resolveUsers(client, identifyBy, refs);
	return await runEachItem(this, inputs, concurrency, async ({ ref, local }) => {
		const user = users.get(ref) as ResolvedUser | Error;
		if (user instanceof Error) throw user;
		return [presenceToJson(await getUserPresence(client, user.userId, local), namedAs(user))];
	});
}
