import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { connectionToJson, createConnection, listConnections, type Connection } from '../../api/connections';
import { namedAs, type ResolvedUser } from '../../api/users';
import { connectionUsersFields } from '../../descriptions/connections';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { USER_LOOKUP } from '../../descriptions/users';
import { mergeWithSources } from '../../helpers/batching';
import type { SymphonyClient } from '../../transport';
import { readEachItemWithUsers, readUserField } from '../userField';
import { ItemFailure, readForAllItems, toOutputItems, type ItemOutcome } from '../itemRunner';

const properties: INodeProperties[] = [
	{
		displayName:
			'Sends each person one connection request; they accept it in Symphony. Until then their presence stays hidden. People already connected, or with a request waiting, get no new one.',
		name: 'createNotice',
		type: 'notice',
		default: '',
	},
	...connectionUsersFields,
	requestOptionsCollection,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['create'] } },
	properties,
);

/** What became of one person: `result` says it in a word an IF node can test. */
type PersonOutcome = { json: IDataObject } | { error: unknown; json: IDataObject };

function resultOf(existing: Connection): 'alreadyConnected' | 'alreadyPending' | undefined {
	if (existing.status === 'ACCEPTED') return 'alreadyConnected';
	if (existing.status === 'PENDING_OUTGOING' || existing.status === 'PENDING_INCOMING') return 'alreadyPending';
	// REJECTED, or nothing: a new request may be sent.
	return undefined;
}

/**
 * Sends connection requests to the people of all items, each person once. One list request per
 * 100 people (Symphony's userIds filter) first finds who is already connected or has a request
 * waiting, either way; only the others get a request (POST /pod/v1/connection/create, one per
 * person: Symphony takes one). One item per person: result sent, alreadyConnected or
 * alreadyPending; a request Symphony refused is that person's error item (result refused).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const settings = readForAllItems(this, items.length, () => readUserField(this, USER_LOOKUP));
	if ('failed' in settings) return settings.failed;
	const perItem = await readEachItemWithUsers(this, items, client, settings.value, () => ({}));
	const people = new Map<string, ResolvedUser>();
	for (const input of perItem) {
		if (input instanceof ItemFailure) continue;
		for (const { user } of input.users) if (!(user instanceof Error) && !people.has(user.userId)) people.set(user.userId, user);
	}
	const { sources } = mergeWithSources(
		perItem.map((input) => (input instanceof ItemFailure ? undefined : input.users.flatMap(({ user }) => (user instanceof Error ? [] : [user.userId])))),
	);

	const outcomes = new Map<string, PersonOutcome>();
	try {
		const existing = new Map((await listConnections(client, { status: 'ALL', userIds: [...people.keys()] })).map((c) => [c.userId, c]));
		for (const [userId, user] of people) {
			const known = existing.get(userId);
			const result = known === undefined ? undefined : resultOf(known);
			if (known !== undefined && result !== undefined) {
				outcomes.set(userId, { json: { ...connectionToJson(known, namedAs(user)), result } });
				continue;
			}
			try {
				const created = await createConnection(client, userId);
				// A colleague on the same pod is connected already: Symphony answers ACCEPTED.
				const sent = created.status === 'ACCEPTED' ? 'alreadyConnected' : 'sent';
				outcomes.set(userId, { json: { ...connectionToJson(created, namedAs(user)), result: sent } });
			} catch (error) {
				outcomes.set(userId, { error, json: { userId, ...namedAs(user), result: 'refused' } });
			}
		}
	} catch (error) {
		// Not about one person (token, privilege, pod down): everyone not yet done fails alike.
		for (const [userId, user] of people) if (!outcomes.has(userId)) outcomes.set(userId, { error, json: { userId, ...namedAs(user) } });
	}

	const itemOutcomes: ItemOutcome[] = [];
	perItem.forEach((input, item) => {
		if (input instanceof ItemFailure) {
			itemOutcomes.push({ error: input.error, item });
			return;
		}
		for (const { ref, user } of input.users) {
			if (user instanceof Error) {
				itemOutcomes.push({ error: user, item, json: { [settings.value.identifyBy === 'id' ? 'userId' : settings.value.identifyBy]: ref } });
				continue;
			}
			const outcome = outcomes.get(user.userId) as PersonOutcome;
			if ('error' in outcome) {
				itemOutcomes.push({ error: outcome.error, item, json: outcome.json });
			} else if (sources.get(user.userId)?.[0] === item) {
				// Each person once, paired to every item that named them.
				itemOutcomes.push({ json: outcome.json, items: sources.get(user.userId) ?? [item] });
			}
		}
	});
	return toOutputItems(this, itemOutcomes);
}
