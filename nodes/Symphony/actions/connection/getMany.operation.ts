import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CONNECTION_STATUSES, connectionToJson, listConnections, type ConnectionStatus } from '../../api/connections';
import { connectionStatusFilterField } from '../../descriptions/connections';
import { requestOptionFields } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { ParameterError } from '../../errors';
import { parseUserIds } from '../../helpers/userIds';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { readEachItem, runEachItem } from '../itemRunner';

type StatusFilter = ConnectionStatus | 'ALL';
const STATUS_FILTERS: readonly StatusFilter[] = [...CONNECTION_STATUSES, 'ALL'];

const properties: INodeProperties[] = [
	connectionStatusFilterField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Only These Users',
				name: 'userIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 7215545078541, 14568529068038',
				description:
					'Symphony user IDs: return only the connections with these people, asked in one request per 100. Colleagues on your own pod appear (always Accepted) only when named here.',
			},
			...requestOptionFields,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['getMany'] } },
	properties,
);

function parseStatusFilter(value: unknown): StatusFilter {
	if (STATUS_FILTERS.includes(value as StatusFilter)) return value as StatusFilter;
	throw new ParameterError('Status', value, 'is not one of the choices', 'Pick Accepted, All, Pending Incoming, Pending Outgoing or Rejected');
}

/**
 * Lists the caller's connections by status (GET /pod/v1/connection/list), once per input item;
 * each connection becomes an item. With Only These Users, Symphony's own userIds filter narrows
 * the list, so many people cost one request per 100 instead of one each.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const readStatus = itemParameterReader(this, items, 'status', 'ALL');
	const readOptions = itemParameterReader(this, items, 'options', {});
	const inputs = readEachItem(items.length, (i) => {
		const status = parseStatusFilter(readStatus(i));
		const only = (readOptions(i) as IDataObject).userIds;
		const userIds = only === undefined || only === '' ? undefined : parseUserIds('Only These Users', only);
		return { status, userIds };
	});
	return await runEachItem(this, inputs, 1, async ({ status, userIds }) =>
		(await listConnections(client, { status, userIds })).map((connection) => connectionToJson(connection)),
	);
}
