import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { clientSettingsFromOptions } from '../transport/clientSettings';
import { createSymphonyClient, type SymphonyCredentialType } from '../transport';
import { connection } from './connection/Connection.resource';
import { failEveryItem } from './itemRunner';
import { message } from './message/Message.resource';
import { presence } from './presence/Presence.resource';
import { presenceFeed } from './presenceFeed/PresenceFeed.resource';
import { stream } from './stream/Stream.resource';
import type { Operation, ResourceMap, SymphonyEntity, SymphonyMap, SymphonyResource } from './types';
import { user } from './user/User.resource';

export const resources: ResourceMap = { connection, message, presence, presenceFeed, stream, user };

/** The pair a workflow names, if it is one of this node's: a workflow from elsewhere can hold anything. */
function knownEntity(resource: unknown, operation: unknown): SymphonyEntity | undefined {
	if (typeof resource !== 'string' || !Object.hasOwn(resources, resource)) return undefined;
	const { operations } = resources[resource as SymphonyResource];
	if (typeof operation !== 'string' || !Object.hasOwn(operations, operation)) return undefined;
	return { resource, operation } as SymphonyEntity;
}

function operationOf<R extends SymphonyResource>(entity: { resource: R; operation: SymphonyMap[R] }): Operation {
	return resources[entity.resource].operations[entity.operation];
}

/** Finds the operation, builds the one client for this execution and hands the items over. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource: unknown = this.getNodeParameter('resource', 0);
	const operationName: unknown = this.getNodeParameter('operation', 0);
	const entity = knownEntity(resource, operationName);
	if (entity === undefined) {
		throw new NodeOperationError(this.getNode(), `The operation "${String(operationName)}" of resource "${String(resource)}" is not known`, {
			description: 'Pick a resource and operation from the lists in the node.',
		});
	}
	const operation = operationOf(entity);
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
