import {
	NodeConnectionTypes,
	type INodeCredentialDescription,
	type INodeProperties,
	type INodeTypeDescription,
} from 'n8n-workflow';

export interface TestNodeFields {
	displayName: string;
	name: string;
	description: string;
	/** A trigger has no input; the others one. Default: transform. */
	group?: 'input' | 'transform' | 'trigger';
	credentials?: INodeCredentialDescription[];
	properties?: INodeProperties[];
}

/** The description of a node type that exists only in tests or bench runs: version 1, one output. */
export function testNodeDescription(fields: TestNodeFields): INodeTypeDescription {
	const group = fields.group ?? 'transform';
	return {
		displayName: fields.displayName,
		name: fields.name,
		group: [group],
		version: 1,
		description: fields.description,
		defaults: { name: fields.displayName },
		inputs: group === 'trigger' ? [] : [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		...(fields.credentials && { credentials: fields.credentials }),
		properties: fields.properties ?? [],
	};
}
