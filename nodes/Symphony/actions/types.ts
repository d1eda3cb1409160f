import type {
	AllEntities,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { SymphonyClient } from '../transport';

/**
 * The node's resources and each one's operations: the values of the Resource and Operation fields,
 * and the folder and file stems under actions/. Everything keyed by them is typed from this map, so
 * renaming, adding or removing an operation fails to compile until its resource, its option and the
 * router agree.
 */
export type SymphonyMap = {
	connection: 'accept' | 'create' | 'get' | 'getMany' | 'reject' | 'remove';
	message: 'getMany' | 'send' | 'sendToMany' | 'suppress' | 'update';
	presence: 'get' | 'getMany' | 'getMine' | 'registerInterest' | 'setForUser' | 'setMine';
	presenceFeed: 'create' | 'deleteFeed' | 'read';
	stream: 'addMember' | 'createIm' | 'createRoom' | 'getRoom' | 'removeMember' | 'searchRooms';
	user: 'get' | 'getMine';
};

export type SymphonyResource = keyof SymphonyMap;

/** A resource and one of its operations, as a workflow of this node names them. */
export type SymphonyEntity = AllEntities<SymphonyMap>;

/** What every `<operation>.operation.ts` exports. */
export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, items: INodeExecutionData[], client: SymphonyClient): Promise<INodeExecutionData[]>;
}

/** A resource: its fields (the Operation field first) and exactly its operations, keyed by operation. */
export interface Resource<R extends SymphonyResource> {
	description: INodeProperties[];
	operations: { [O in SymphonyMap[R]]: Operation };
}

/** Every resource of the node, each with exactly its operations: what the router runs. */
export type ResourceMap = { [R in SymphonyResource]: Resource<R> };

/** Nothing more when every value of `All` is listed; else a property the field lacks, naming the values missing. */
type EveryOneListed<All extends string, Listed extends string> = [Exclude<All, Listed>] extends [never]
	? unknown
	: { missingOptionsFor: Exclude<All, Listed> };

/** An options field as written out in full (so n8n's linter checks its options), without its display conditions. */
type OptionsField<Value extends string> = Omit<INodeProperties, 'default' | 'displayOptions' | 'options' | 'type'> & {
	type: 'options';
	default: NoInfer<Value>;
	options: Array<INodePropertyOptions & { value: Value }>;
};

/**
 * A resource's Operation field, shown for that resource only. Compiles only when each option's
 * value is an operation of the resource, each operation has an option and the default is listed.
 */
export function operationFieldOf<R extends SymphonyResource, const Listed extends SymphonyMap[R]>(
	resource: R,
	field: OptionsField<Listed> & { options: Array<{ action: string }> } & EveryOneListed<SymphonyMap[R], Listed>,
): INodeProperties {
	return { ...field, displayOptions: { show: { resource: [resource] } } };
}

/** The Resource field. Compiles only when its options are exactly the resources of `SymphonyMap`. */
export function resourceFieldOf<const Listed extends SymphonyResource>(
	field: OptionsField<Listed> & EveryOneListed<SymphonyResource, Listed>,
): INodeProperties {
	return field;
}

/**
 * The canvas subtitle: the chosen operation's action ("Register presence interest"), looked up by
 * resource and operation in a table written from the Operation fields, so it follows every change.
 */
export function operationSubtitle(resources: ResourceMap): string {
	const actions: Record<string, string> = {};
	for (const [resource, { description }] of Object.entries(resources)) {
		const field = description.find((property) => property.name === 'operation');
		for (const option of (field?.options ?? []) as INodePropertyOptions[]) {
			actions[`${resource}.${String(option.value)}`] = option.action ?? option.name;
		}
	}
	return `={{ ${JSON.stringify(actions)}[$parameter["resource"] + "." + $parameter["operation"]] || "" }}`;
}
