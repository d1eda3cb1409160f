/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development code: runs in Node, never packed */
import { isDeepStrictEqual, inspect } from 'util';

import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { itemParameterReader } from '../../nodes/Symphony/actions/itemParameter';

/**
 * A node that reads one of its parameters for every item twice, through the package's direct
 * reader and through n8n's own `getNodeParameter`, and reports both and whether they agree. Used
 * to prove the direct reader gives what n8n's evaluation gives. It imports nothing from n8n at run
 * time, so the real-n8n test can load it as a custom node.
 */

type Settled = { value: unknown } | { error: string };

function settle(read: () => unknown): Settled {
	try {
		return { value: read() };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

export class ParameterProbe implements INodeType {
	description = {
		displayName: 'Parameter Probe',
		name: 'parameterProbe',
		group: ['transform'],
		version: 1,
		description: 'Reads a parameter per item two ways',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Parameter Name', name: 'parameterName', type: 'string', default: 'value' },
			{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			{
				displayName: 'Locator',
				name: 'locator',
				type: 'resourceLocator',
				default: { mode: 'id', value: '' },
				modes: [{ displayName: 'ID', name: 'id', type: 'string' }],
			},
		],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const name = this.getNodeParameter('parameterName', 0) as string;
		let calls = 0;
		// The reader's own calls to getNodeParameter are counted: none means the item was read directly.
		const counted = Object.create(this, {
			getNodeParameter: {
				value: (...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
					calls++;
					return this.getNodeParameter(...args);
				},
			},
		}) as IExecuteFunctions;
		const read = itemParameterReader(counted, items, name);
		return [
			items.map((_, i) => {
				const before = calls;
				const direct = settle(() => read(i));
				const viaN8n = settle(() => this.getNodeParameter(name, i));
				return {
					json: {
						same: isDeepStrictEqual(direct, viaN8n),
						direct: calls === before,
						reader: inspect(direct, { depth: 5 }),
						n8n: inspect(viaN8n, { depth: 5 }),
					},
					pairedItem: { item: i },
				};
			}),
		];
	}
}
