import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getSessionUser } from '../../api/session';
import { simplifyField } from '../../descriptions/nodeVersion';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { readEachItem, runEachItem } from '../itemRunner';
import { userItem } from './userItem';

const properties: INodeProperties[] = [
	simplifyField('the user ID, display name, email, username and company'),
	requestOptionsCollection,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getMine'] } },
	properties,
);

/** Reads the account behind the credential (the bot, or the user an OBO app acts for), once per input item. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const readSimplify = itemParameterReader(this, items, 'simplify', false);
	const inputs = readEachItem(items.length, (i) => readSimplify(i) === true);
	return await runEachItem(this, inputs, 1, async (simplify) => [userItem(await getSessionUser(client), simplify)]);
}
