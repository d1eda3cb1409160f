import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { router, resources } from './actions/router';
import { operationSubtitle, resourceFieldOf } from './actions/types';
import { authenticationField, symphonyCredentials } from './descriptions/authentication';
import { nodeHints } from './descriptions/hints';
import { toolDescriptionFields } from './descriptions/toolDescriptions';
import { searchRooms, searchUsers } from './methods/listSearch';

export class Symphony implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Symphony',
		name: 'symphony',
		icon: { light: 'file:../../icons/symphony.svg', dark: 'file:../../icons/symphony.dark.svg' },
		group: ['output'],
		// 2: one user per item in a "User" resource locator (From List, By ID, By Email, By Username)
		// and Simplify on by default. Workflows saved with 1 keep "Identify Users By" and full outputs.
		// 3: Presence → Get registers interest in people at other firms by itself (Register Interest
		// for Other Firms, on). Workflows saved with 1 or 2 keep reading without registering.
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle: operationSubtitle(resources),
		description: 'Read and set presence, register presence interest, manage connections and rooms, send messages and look up users on Symphony',
		defaults: { name: 'Symphony' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: symphonyCredentials,
		hints: nodeHints,
		properties: [
			authenticationField,
			resourceFieldOf({
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Connection', value: 'connection' },
					{ name: 'Message', value: 'message' },
					{ name: 'Presence', value: 'presence' },
					{ name: 'Presence Feed', value: 'presenceFeed' },
					{ name: 'Stream', value: 'stream' },
					{ name: 'User', value: 'user' },
				],
				default: 'presence',
			}),
			...Object.values(resources).flatMap((resource) => resource.description),
			// Only where the node is an AI Agent's tool: what the model reads about each operation.
			...toolDescriptionFields(Object.fromEntries(Object.entries(resources).map(([name, resource]) => [name, Object.keys(resource.operations)]))),
		],
	};

	methods = { listSearch: { searchRooms, searchUsers } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
