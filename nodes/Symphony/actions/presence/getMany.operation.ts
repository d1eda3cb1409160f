import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_PRESENCE_PAGE_SIZE,
	MAX_PRESENCE_PAGE_SIZE,
	listPresences,
	presenceToJson,
	type Presence,
} from '../../api/presence';
import { paginationFields } from '../../descriptions/pagination';
import { PRESENCE_STATUS_OPTIONS } from '../../descriptions/presenceStatus';
import { requestOptionFields } from '../../descriptions/requestOptions';
import { parseResultCount } from '../../helpers/resultCount';
import { parseStatusList } from '../../helpers/presenceStatus';
import { parseWholeNumber } from '../../helpers/wholeNumber';
import { simplifyField } from '../../descriptions/nodeVersion';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import type { SymphonyClient } from '../../transport';
import { readEachItem, runEachItem } from '../itemRunner';

/** A page that may repeat its first user needs room for at least one new one. */
export const MIN_PAGE_SIZE = 2;

const properties: INodeProperties[] = [
	{
		displayName:
			'Reads the presence of every active user of your pod. Needs the User Provisioning role and is not available to OBO apps.',
		name: 'getManyNotice',
		type: 'notice',
		default: '',
	},
	...paginationFields,
	simplifyField('the user ID, status (category) and when it was set (timestampIso)'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Only Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: PRESENCE_STATUS_OPTIONS,
				default: [],
				description: 'Return only users whose status is one of these. The limit counts matching users.',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: MIN_PAGE_SIZE, maxValue: MAX_PRESENCE_PAGE_SIZE },
				default: DEFAULT_PRESENCE_PAGE_SIZE,
				description: `How many users to ask Symphony for per request (at most ${MAX_PRESENCE_PAGE_SIZE.toLocaleString('en-US')})`,
			},
			...requestOptionFields,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['presence'], operation: ['getMany'] } },
	properties,
);

/** The Only Statuses filter; none selected: no filter. */
function parseStatusFilter(value: unknown): Set<string> | undefined {
	const statuses = parseStatusList('Only Statuses', value);
	return statuses.length === 0 ? undefined : new Set(statuses);
}

/**
 * Pages through GET /pod/v2/users/presence by `lastUserId` until `wanted` users are collected or
 * the list ends. Symphony starts each page at the cursor user itself, so that user is dropped
 * when it comes back. Without a status filter, a short Limit asks only for what it needs.
 */
async function collectPresences(
	client: SymphonyClient,
	wanted: number,
	pageSize: number,
	statuses: Set<string> | undefined,
): Promise<Presence[]> {
	const collected: Presence[] = [];
	const seen = new Set<string>();
	let lastUserId: string | undefined;
	for (;;) {
		const needed = wanted - collected.length + (lastUserId === undefined ? 0 : 1);
		const limit = statuses === undefined ? Math.min(pageSize, Math.max(needed, MIN_PAGE_SIZE)) : pageSize;
		const page = await listPresences(client, { lastUserId, limit });
		let fresh = 0;
		for (const presence of page) {
			if (seen.has(presence.userId)) continue;
			seen.add(presence.userId);
			fresh++;
			if (statuses !== undefined && !statuses.has(presence.category)) continue;
			collected.push(presence);
			if (collected.length >= wanted) return collected;
		}
		// A short page is the last one; a page with nobody new would only repeat itself.
		if (page.length < limit || fresh === 0) return collected;
		lastUserId = page[page.length - 1].userId;
	}
}

/** Lists presences once per input item; each item gets its own list, paired to it. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const inputs = readEachItem(items.length, (i) => {
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		const returnAll = this.getNodeParameter('returnAll', i, false);
		return {
			wanted: parseResultCount(returnAll, returnAll === true ? undefined : this.getNodeParameter('limit', i)),
			pageSize: parseWholeNumber('Page Size', options.pageSize, MIN_PAGE_SIZE, MAX_PRESENCE_PAGE_SIZE, DEFAULT_PRESENCE_PAGE_SIZE),
			statuses: parseStatusFilter(options.statuses),
			simplify: this.getNodeParameter('simplify', i, false) === true,
		};
	});
	return await runEachItem(this, inputs, 1, async ({ wanted, pageSize, statuses, simplify }) =>
		(await collectPresences(client, wanted, pageSize, statuses)).map((presence) => {
			const json = presenceToJson(presence);
			return simplify ? { userId: json.userId, category: json.category, timestampIso: json.timestampIso } : json;
		}),
	);
}
