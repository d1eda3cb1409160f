import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { registerInterestIsolatingRefusals } from '../../api/presence';
import { callerTenantOnce } from '../../api/session';
import { namedAs } from '../../api/users';
import { requestOptionFields } from '../../descriptions/requestOptions';
import { parseWholeNumber } from '../../helpers/wholeNumber';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { USER_LIST, USER_PARAMETERS, identifyByField, userListFields } from '../../descriptions/users';
import { chunk, mapConcurrentWhile, mergeWithSources } from '../../helpers/batching';
import { tenantOfUserId } from '../../helpers/userIds';
import type { SymphonyClient } from '../../transport';
import { inFlightForPace } from '../../transport/pacing';
import { readEachItemWithUsers, readUserField } from '../userField';
import { ItemFailure, toOutputItems, readForAllItems, type ItemOutcome } from '../itemRunner';
import { explainRefusedRegistrations } from './externalPresence';

export const DEFAULT_BATCH_SIZE = 1000;
export const MAX_BATCH_SIZE = 10_000;

/** User IDs the pod works on at once: batches of 1,000 go ten side by side, one of 10,000 alone. */
export const MAX_IDS_IN_FLIGHT = 10_000;

/**
 * How many batches go side by side: enough to fill the pace at the pod's latency
 * (`inFlightForPace`), but never more IDs at once than `MAX_IDS_IN_FLIGHT`, since each ID is work
 * for the pod and a large batch is slow to answer. At least one.
 */
export function batchesInFlight(batchSize: number, requestsPerSecond: number): number {
	return Math.max(1, Math.min(inFlightForPace(requestsPerSecond), Math.floor(MAX_IDS_IN_FLIGHT / batchSize)));
}

const properties: INodeProperties[] = [
	{
		displayName:
			'Symphony shows an external user\'s presence only for one hour after interest is registered: run this every hour (e.g. from a Schedule Trigger) before reading presence. Needs the ADMIN_PRESENCE_UPDATE privilege.',
		name: 'registerNotice',
		type: 'notice',
		default: '',
	},
	identifyByField,
	...userListFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE },
				default: DEFAULT_BATCH_SIZE,
				description:
					'How many user IDs to send per request. The IDs of all input items are combined and de-duplicated first, so 5,000 items usually need only a few requests.',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'perUser',
				options: [
					{
						name: 'One Item per User',
						value: 'perUser',
						description: 'Each registered user becomes an item with its userId (and the email or username given), ready for Get',
					},
					{
						name: 'One Item per Input Item',
						value: 'perItem',
						description: 'Each input item becomes one item listing the user IDs (and emails or usernames) registered for it',
					},
				],
			},
			...requestOptionFields,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['presence'], operation: ['registerInterest'] } },
	properties,
);

type IdOutcome = { registeredAt: string } | { error: unknown };

/** What came of one batch: its IDs accepted and refused, or a failure not about particular IDs. */
type BatchOutcome = Awaited<ReturnType<typeof registerInterestIsolatingRefusals>> & { registeredAt: string } | { error: unknown };

/**
 * People at other firms refused with 403 get the connection with them as their message (not
 * connected, a request waiting, declined); the caller's tenant, to tell them apart, costs one
 * request, made only when something was refused with 403.
 */
async function explainRefusals(client: SymphonyClient, outcomes: Map<string, IdOutcome>): Promise<void> {
	const refusals = new Map<string, unknown>();
	for (const [userId, outcome] of outcomes) if ('error' in outcome) refusals.set(userId, outcome.error);
	const callerTenant = callerTenantOnce(client);
	// An unknown tenant explains nothing: the refusal is left as Symphony gave it.
	const isExternal = async (userId: string) => {
		const tenant = await callerTenant();
		return tenant !== undefined && tenantOfUserId(userId) !== tenant;
	};
	for (const [userId, error] of await explainRefusedRegistrations(client, refusals, isExternal)) outcomes.set(userId, { error });
}

/**
 * Registers every user of every input item in as few requests as possible: emails or usernames of
 * all items are resolved together, then the IDs are sent in batches, side by side within the pace.
 * A batch refused for one bad ID (400/404) is split until the bad IDs stand alone; the rest are
 * still registered.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const settings = readForAllItems(this, items.length, () => ({
		batchSize: parseWholeNumber('Batch Size', options.batchSize, 1, MAX_BATCH_SIZE, DEFAULT_BATCH_SIZE),
		userField: readUserField(this, USER_LIST),
	}));
	if ('failed' in settings) return settings.failed;
	const { batchSize, userField } = settings.value;
	const { identifyBy } = userField;
	const perItem = await readEachItemWithUsers(this, items, client, userField, () => ({}));
	const { values, sources } = mergeWithSources(
		perItem.map((input) => (input instanceof ItemFailure ? undefined : input.users.flatMap(({ user }) => (user instanceof Error ? [] : [user.userId])))),
	);

	// Batches go side by side (each isolating its own refused IDs); once one fails for a reason not
	// about particular IDs (expired token, pod down), no further batch starts.
	let stopped = false;
	const sent = await mapConcurrentWhile(chunk(values, batchSize), batchesInFlight(batchSize, client.requestsPerSecond), () => !stopped, async (batch): Promise<BatchOutcome> => {
		try {
			const result = await registerInterestIsolatingRefusals(client, this.getNode(), batch);
			return { ...result, registeredAt: new Date().toISOString() };
		} catch (error) {
			stopped = true;
			return { error };
		}
	});
	const outcomes = new Map<string, IdOutcome>();
	let failure: { error: unknown } | undefined;
	for (const result of sent) {
		if (result === undefined) continue;
		if ('error' in result) {
			failure ??= result;
			continue;
		}
		for (const id of result.accepted) outcomes.set(id, { registeredAt: result.registeredAt });
		for (const { userId, error } of result.refused) outcomes.set(userId, { error });
	}
	// Every ID of a failed batch, or of one never sent, fails alike, with the first failure in batch order.
	if (failure) for (const id of values) if (!outcomes.has(id)) outcomes.set(id, { error: failure.error });

	await explainRefusals(client, outcomes);

	const perUser = (options.output ?? 'perUser') === 'perUser';
	const itemOutcomes: ItemOutcome[] = [];
	const givenKey = identifyBy === 'id' ? undefined : USER_PARAMETERS[identifyBy].many;
	perItem.forEach((input, item) => {
		if (input instanceof ItemFailure) {
			itemOutcomes.push({ error: input.error, item });
			return;
		}
		const registered: string[] = [];
		const given: string[] = [];
		let registeredAt = '';
		for (const { ref, user } of input.users) {
			if (user instanceof Error) {
				itemOutcomes.push({ error: user, item, json: { [identifyBy === 'id' ? 'userId' : identifyBy]: ref } });
				continue;
			}
			const { userId } = user;
			const outcome = outcomes.get(userId) as IdOutcome;
			if ('error' in outcome) {
				itemOutcomes.push({ error: outcome.error, item, json: { userId, ...namedAs(user) } });
			} else if (!perUser) {
				registered.push(userId);
				given.push(ref);
				registeredAt = outcome.registeredAt;
			} else if (sources.get(userId)?.[0] === item) {
				// Each user once, paired to every item that named it, so the next node reads each user once.
				itemOutcomes.push({
					json: { userId, ...namedAs(user), registered: true, registeredAt: outcome.registeredAt },
					items: sources.get(userId) ?? [item],
				});
			}
		}
		if (!perUser && registered.length > 0) {
			itemOutcomes.push({
				json: { userIds: registered, ...(givenKey && { [givenKey]: given }), registered: true, registeredAt },
				items: [item],
			});
		}
	});
	return toOutputItems(this, itemOutcomes);
}
