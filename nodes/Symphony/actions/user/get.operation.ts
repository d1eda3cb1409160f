import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { findUsers, userRefusedError, type UserFilter } from '../../api/users';
import { requestOptionFields } from '../../descriptions/requestOptions';
import { fromVersion2, onlyInVersion1, simplifyField } from '../../descriptions/nodeVersion';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { USER_LOOKUP, identifyByField, userLocatorField, userListFields } from '../../descriptions/users';
import { ParameterError } from '../../errors';
import { mergeWithSources } from '../../helpers/batching';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { readUserField, userRefsReader } from '../userField';
import { userItem } from './userItem';
import { ItemFailure, toOutputItems, readEachItem, readForAllItems, type ItemOutcome } from '../itemRunner';

const ACCOUNT_STATES: Record<string, boolean | undefined> = { any: undefined, active: true, inactive: false };

const properties: INodeProperties[] = [
	onlyInVersion1(identifyByField),
	...userListFields.map(onlyInVersion1),
	fromVersion2(userLocatorField(true)),
	simplifyField('the user ID, display name, email, username and company'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Account Status',
				name: 'active',
				type: 'options',
				default: 'any',
				options: [
					{ name: 'Active Only', value: 'active' },
					{ name: 'Any', value: 'any' },
					{ name: 'Inactive Only', value: 'inactive' },
				],
				description: 'Which accounts to return: deactivated accounts are left out with Active Only',
			},
			{
				displayName: 'Local Only',
				name: 'local',
				type: 'boolean',
				default: false,
				description:
					'Whether to search only your own pod. Leave off to also find people at other firms you are connected to.',
			},
			...requestOptionFields,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['get'] } },
	properties,
);

/** The lookup filter from the Options collection: Account Status and Local Only. */
function parseUserFilter(options: IDataObject): UserFilter {
	const state = options.active ?? 'any';
	if (typeof state !== 'string' || !Object.hasOwn(ACCOUNT_STATES, state)) {
		throw new ParameterError('Account Status', state, 'is not one of Any, Active Only, Inactive Only', 'Pick one of the listed values');
	}
	return {
		...(options.local === true && { local: true }),
		...(ACCOUNT_STATES[state] !== undefined && { active: ACCOUNT_STATES[state] }),
	};
}

/**
 * Looks users up. The values of all items that share the same options go out together, 100 per
 * request. Each user found becomes one item (with `id`, and the same digits as `userId` so presence
 * operations read it with no mapping), paired to every item that asked for it. Values Symphony
 * refused become errors on their items; values that match nobody give no item, as in any search.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const settings = readForAllItems(this, items.length, () => readUserField(this, USER_LOOKUP));
	if ('failed' in settings) return settings.failed;
	const userField = settings.value;
	const lookUpBy = userField.identifyBy;
	const readRefs = userRefsReader(this, items, userField);
	const readOptions = itemParameterReader(this, items, 'options', {});
	const readSimplify = itemParameterReader(this, items, 'simplify', false);
	const inputs = readEachItem(items.length, (i) => {
		const filter = parseUserFilter(readOptions(i) as IDataObject);
		const simplify = readSimplify(i) === true;
		const values = readRefs(i);
		return { values, filter, simplify, group: JSON.stringify({ filter, simplify }) };
	});

	const groups = new Map<string, { filter: UserFilter; simplify: boolean }>();
	for (const input of inputs) if (!(input instanceof ItemFailure)) groups.set(input.group, { filter: input.filter, simplify: input.simplify });
	const itemOutcomes: ItemOutcome[][] = inputs.map((input, item) => (input instanceof ItemFailure ? [{ error: input.error, item }] : []));
	for (const [group, { filter, simplify }] of groups) {
		const { values, sources } = mergeWithSources(inputs.map((input) => (input instanceof ItemFailure || input.group !== group ? undefined : input.values)));
		const outcomes = await findUsers(client, lookUpBy, values, filter);
		const emitted = new Set<string>();
		for (const value of values) {
			const outcome = outcomes.get(value);
			const askedBy = sources.get(value) ?? [];
			if (outcome === undefined) continue;
			if ('user' in outcome) {
				if (emitted.has(outcome.user.id)) continue;
				emitted.add(outcome.user.id);
				itemOutcomes[askedBy[0]].push({ json: userItem(outcome.user, simplify), items: askedBy });
			} else {
				const error = 'failure' in outcome ? outcome.failure : userRefusedError(userField.label, lookUpBy, value, outcome.refusal);
				for (const item of askedBy) itemOutcomes[item].push({ error, item, json: { [lookUpBy === 'id' ? 'userId' : lookUpBy]: value } });
			}
		}
	}
	return toOutputItems(this, itemOutcomes.flat());
}
