import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { resources } from '../../../../nodes/Symphony/actions/router';
import {
	operationFieldOf,
	resourceFieldOf,
	type Operation,
	type Resource,
	type ResourceMap,
	type SymphonyMap,
} from '../../../../nodes/Symphony/actions/types';
import { updateDisplayOptions } from '../../../../nodes/Symphony/descriptions/updateDisplayOptions';
import { Symphony } from '../../../../nodes/Symphony/Symphony.node';

/*
 * Compile-time checks: `tsc -p tsconfig.test.json` fails when a line marked @ts-expect-error
 * compiles ("Unused '@ts-expect-error' directive"), so each mistake below must stay an error.
 * Jest compiles without type checks and never calls `compileTimeChecks`; the tests further down
 * check the fields as built.
 */

/** The Operation field of the presenceFeed resource, but for its options. */
const feedOperations = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'read',
} as const;

export function compileTimeChecks(operation: Operation): unknown[] {
	return [
		// A resource lacking one of its operations.
		// @ts-expect-error Property 'deleteFeed' is missing
		{ description: [], operations: { create: operation, read: operation } } satisfies Resource<'presenceFeed'>,

		// A resource with an operation the map does not have.
		// @ts-expect-error 'update' does not exist in type
		{ description: [], operations: { create: operation, deleteFeed: operation, read: operation, update: operation } } satisfies Resource<'presenceFeed'>,

		// The router without one of the resources.
		// @ts-expect-error Property 'user' is missing
		{ presence: resources.presence, presenceFeed: resources.presenceFeed } satisfies ResourceMap,

		// An option whose value is not an operation of the resource (here: of another resource).
		operationFieldOf('presenceFeed', {
			...feedOperations,
			options: [
				{ name: 'Create', value: 'create', action: 'Create presence feed' },
				{ name: 'Delete', value: 'deleteFeed', action: 'Delete presence feed' },
				// @ts-expect-error Type '"getMine"' is not assignable
				{ name: 'Get Mine', value: 'getMine', action: 'Get my presence' },
				{ name: 'Read', value: 'read', action: 'Read presence feed' },
			],
		}),

		// An operation without an option.
		// @ts-expect-error Property 'missingOptionsFor' is missing ... '{ missingOptionsFor: "deleteFeed"; }'
		operationFieldOf('presenceFeed', {
			...feedOperations,
			options: [
				{ name: 'Create', value: 'create', action: 'Create presence feed' },
				{ name: 'Read', value: 'read', action: 'Read presence feed' },
			],
		}),

		// A default that is not one of the options.
		operationFieldOf('user', {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			// @ts-expect-error Type '"read"' is not assignable to type '"get"'
			default: 'read',
			options: [{ name: 'Get', value: 'get', action: 'Get users' }],
		}),

		// An option without the action n8n lists the operation under.
		operationFieldOf('user', {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			default: 'get',
			// @ts-expect-error Property 'action' is missing
			options: [{ name: 'Get', value: 'get' }],
		}),

		// The Resource field lacking a resource, or listing one the map does not have.
		// @ts-expect-error Property 'missingOptionsFor' is missing ... '{ missingOptionsFor: "presenceFeed"; }'
		resourceFieldOf({
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			default: 'presence',
			options: [
				{ name: 'Presence', value: 'presence' },
				{ name: 'User', value: 'user' },
			],
		}),
		resourceFieldOf({
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			default: 'presence',
			options: [
				{ name: 'Presence', value: 'presence' },
				{ name: 'Presence Feed', value: 'presenceFeed' },
				// @ts-expect-error Type '"room"' is not assignable
				{ name: 'Room', value: 'room' },
				{ name: 'User', value: 'user' },
			],
		}),

		// An operation's fields shown for an operation of another resource.
		// @ts-expect-error Type '"getMany"' is not assignable to type '"get" | "getMine"'
		updateDisplayOptions({ show: { resource: ['user'], operation: ['getMany'] } }, []),
	];
}

/** What the node shows: its fields as n8n reads them from the description. */
const properties = new Symphony().description.properties;

function optionValues(field: INodeProperties | undefined): unknown[] {
	return ((field?.options ?? []) as INodePropertyOptions[]).map((option) => option.value);
}

describe('the Resource and Operation fields of the node', () => {
	test('the Resource field lists exactly the resources the router runs', () => {
		const resourceField = properties.find((property) => property.name === 'resource');
		expect(optionValues(resourceField).sort()).toEqual(Object.keys(resources).sort());
	});

	test.each(Object.keys(resources) as Array<keyof SymphonyMap>)(
		'%s: one Operation field, shown for it only, listing exactly the operations the router runs',
		(resource) => {
			const fields = properties.filter(
				(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
			);
			expect(fields).toHaveLength(1);
			expect(fields[0].displayOptions).toEqual({ show: { resource: [resource] } });
			expect(optionValues(fields[0]).sort()).toEqual(Object.keys(resources[resource].operations).sort());
		},
	);

	// The types let an operation's file name any operation of its resource; only its own is right.
	test.each(
		Object.entries(resources).flatMap(([resource, { operations }]) =>
			Object.entries(operations as Record<string, Operation>).map(([name, { description }]) => [resource, name, description] as const),
		),
	)('%s → %s: every field of the operation is shown for that operation only', (resource, name, description) => {
		expect(description.length).toBeGreaterThan(0);
		for (const field of description) {
			expect(field.displayOptions?.show).toMatchObject({ resource: [resource], operation: [name] });
		}
	});
});

describe('operationFieldOf', () => {
	test('adds the condition showing the field for its resource only, and keeps the rest as written', () => {
		const options = [
			{ name: 'Get', value: 'get' as const, action: 'Get users', description: 'Look users up' },
			{ name: 'Get Mine', value: 'getMine' as const, action: 'Get my user', description: 'Read the account behind the credential' },
		];
		expect(
			operationFieldOf('user', { displayName: 'Operation', name: 'operation', type: 'options', noDataExpression: true, default: 'get', options }),
		).toEqual({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			default: 'get',
			options,
			displayOptions: { show: { resource: ['user'] } },
		});
	});
});
