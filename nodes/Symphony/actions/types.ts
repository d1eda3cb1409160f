import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { SymphonyClient } from '../transport';

/** What every `<operation>.operation.ts` exports. */
export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, items: INodeExecutionData[], client: SymphonyClient): Promise<INodeExecutionData[]>;
}

/** A resource: its Operation field and operations keyed by operation value (= file stem). */
export interface Resource {
	description: INodeProperties[];
	operations: Record<string, Operation>;
}
