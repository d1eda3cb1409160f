import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { presenceToJson, setMyPresence } from '../../api/presence';
import { presenceStatusFields, softField } from '../../descriptions/presenceStatus';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { parseStatus } from '../../helpers/presenceStatus';
import type { SymphonyClient } from '../../transport';
import { readEachItem, runEachItem } from '../itemRunner';

const properties: INodeProperties[] = [
	...presenceStatusFields,
	softField,
	requestOptionsCollection,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['presence'], operation: ['setMine'] } },
	properties,
);

/** Sets the presence of the account behind the credential; items run in order, so the last one wins. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const inputs = readEachItem(items.length, (i) => ({
		status: parseStatus(this.getNodeParameter('status', i), this.getNodeParameter('customStatus', i, '')),
		soft: this.getNodeParameter('soft', i, false) === true,
	}));
	return await runEachItem(this, inputs, 1, async ({ status, soft }) => [
		presenceToJson(await setMyPresence(client, status, soft)),
	]);
}
