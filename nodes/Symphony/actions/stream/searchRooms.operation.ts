import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { MAX_ROOM_SEARCH_LIMIT, roomToJson, searchRooms, type Room, type RoomSearchFilter } from '../../api/rooms';
import { paginationFields } from '../../descriptions/pagination';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { ParameterError } from '../../errors';
import { parseResultCount } from '../../helpers/resultCount';
import { parseFlag, parseRequiredText } from '../../helpers/rooms';
import { parseUserId } from '../../helpers/userIds';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { readEachItem, runEachItem } from '../itemRunner';

const properties: INodeProperties[] = [
	{
		displayName: 'Search Text',
		name: 'query',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. rates',
		description: 'Words to find in the rooms\' names, descriptions and keywords',
	},
	...paginationFields,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Active',
				name: 'active',
				type: 'boolean',
				default: true,
				description: 'Whether to return only active rooms (on), or only deactivated ones (off)',
			},
			{
				displayName: 'Include Non-Discoverable',
				name: 'includeNonDiscoverable',
				type: 'boolean',
				default: false,
				description: 'Whether to include rooms that are not discoverable, where the account may see them',
			},
			{
				displayName: 'Member ID',
				name: 'memberId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 7215545078541',
				description: 'Return only rooms this Symphony user is a member of',
			},
			{
				displayName: 'Private',
				name: 'private',
				type: 'boolean',
				default: true,
				description: 'Whether to return only private rooms (on), or only public ones (off)',
			},
		],
	},
	requestOptionsCollection,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['stream'], operation: ['searchRooms'] } },
	properties,
);

function parseFilters(value: unknown): Omit<RoomSearchFilter, 'query'> {
	if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
		throw new ParameterError('Filters', value, 'is not a set of filters', 'Add filters from the list, or none');
	}
	const filters = (value ?? {}) as IDataObject;
	const active = parseFlag('Active', filters.active);
	const isPrivate = parseFlag('Private', filters.private);
	const includeNonDiscoverable = parseFlag('Include Non-Discoverable', filters.includeNonDiscoverable);
	const member = filters.memberId;
	const memberId = member === undefined || member === null || member === '' ? undefined : parseUserId('Member ID', member);
	return {
		...(active !== undefined && { active }),
		...(isPrivate !== undefined && { private: isPrivate }),
		...(memberId !== undefined && { memberId }),
		...(includeNonDiscoverable !== undefined && { includeNonDiscoverable }),
	};
}

/**
 * Pages through POST /pod/v3/room/search by `skip`, up to MAX_ROOM_SEARCH_LIMIT a request, until
 * `wanted` rooms are collected or Symphony has no more.
 */
async function collectRooms(client: SymphonyClient, filter: RoomSearchFilter, wanted: number): Promise<Room[]> {
	const rooms: Room[] = [];
	const seen = new Set<string>();
	let skip = 0;
	for (;;) {
		const limit = Math.min(MAX_ROOM_SEARCH_LIMIT, wanted - rooms.length);
		const page = await searchRooms(client, filter, { skip, limit });
		let fresh = 0;
		for (const room of page.rooms) {
			if (seen.has(room.streamId)) continue;
			seen.add(room.streamId);
			fresh++;
			rooms.push(room);
			if (rooms.length >= wanted) return rooms;
		}
		skip += page.rooms.length;
		// A short page is the last; so is one with nothing new, or the count reached.
		if (page.rooms.length < limit || fresh === 0 || (page.count !== undefined && skip >= page.count)) return rooms;
	}
}

/** Searches rooms once per input item; each room found becomes an item paired to it. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const readQuery = itemParameterReader(this, items, 'query', '');
	const readFilters = itemParameterReader(this, items, 'filters', {});
	const inputs = readEachItem(items.length, (item) => {
		const returnAll = this.getNodeParameter('returnAll', item, false);
		return {
			filter: { query: parseRequiredText('Search Text', readQuery(item), 'Enter words to find in room names, e.g. rates'), ...parseFilters(readFilters(item)) },
			wanted: parseResultCount(returnAll, returnAll === true ? undefined : this.getNodeParameter('limit', item)),
		};
	});
	return await runEachItem(this, inputs, 1, async ({ filter, wanted }) => (await collectRooms(client, filter, wanted)).map(roomToJson));
}
