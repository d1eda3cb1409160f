import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { clientSettingsFromOptions } from '../transport/clientSettings';
import { createSymphonyClient, type SymphonyCredentialType } from '../transport';
import { failEveryItem } from './itemRunner';
import { presence } from './presence/Presence.resource';
import { presenceFeed } from './presenceFeed/PresenceFeed.resource';
import type { Resource } from './types';
import { user } from './user/User.resource';

export const resources: Record<string, Resource> = { presence, presenceFeed, user };

/** Finds the operation, builds the one client for this execution and hands the items over. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.operations[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of resource "${resource}" is not known`, {
			description: 'Pick a resource and operation from the lists in the node.',
		});
	}
	const credentialType = this.getNodeParameter('authentication', 0, 'symphonyApi') as SymphonyCredentialType;
	let client;
	try {
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		client = await createSymphonyClient(this, clientSettingsFromOptions(credentialType, options));
	} catch (error) {
		return [failEveryItem(this, items.length, error)];
	}
	return [await operation.execute.call(this, items, client)];
}
