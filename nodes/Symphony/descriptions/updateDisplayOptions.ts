import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { SymphonyMap, SymphonyResource } from '../actions/types';

/**
 * Adds an operation's resource/operation conditions to each of its fields, keeping each field's own
 * conditions. `show` and `hide` are merged key by key; a plain spread would drop the field's own.
 * The operation must be one of the resource's (`SymphonyMap`).
 */
export function updateDisplayOptions<R extends SymphonyResource>(
	displayOptions: IDisplayOptions & { show: { resource: [R]; operation: [SymphonyMap[R]] } },
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...displayOptions.show, ...property.displayOptions?.show },
			...((displayOptions.hide || property.displayOptions?.hide) && {
				hide: { ...displayOptions.hide, ...property.displayOptions?.hide },
			}),
		},
	}));
}
