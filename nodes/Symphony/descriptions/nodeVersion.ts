import type { INodeProperties } from 'n8n-workflow';

/**
 * The Symphony node's versions. 2 added the "User" resource locator for one user per item
 * (replacing "Identify Users By" there) and Simplify, on by default. Workflows saved with 1 keep
 * their fields and full outputs: these wrappers show each field only in the versions it belongs to.
 */
export const VERSION_2 = 2;
/** 3: Presence → Get registers interest in people at other firms by itself (on by default). */
export const VERSION_3 = 3;

/** Shows a field only in version 1. */
export function onlyInVersion1(property: INodeProperties): INodeProperties {
	return { ...property, displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, '@version': [1] } } };
}

/** Shows a field from version 2 on. */
export function fromVersion2(property: INodeProperties): INodeProperties {
	return {
		...property,
		displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, '@version': [{ _cnd: { gte: VERSION_2 } }] } },
	};
}

/** Shows a field from version 3 on. */
export function fromVersion3(property: INodeProperties): INodeProperties {
	return {
		...property,
		displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, '@version': [{ _cnd: { gte: VERSION_3 } }] } },
	};
}

/** Simplify: on by default from version 2; version 1 has no such field and returns everything. */
export function simplifyField(fields: string): INodeProperties {
	return fromVersion2({
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: `Whether to return only ${fields} instead of everything Symphony returns`,
	});
}
