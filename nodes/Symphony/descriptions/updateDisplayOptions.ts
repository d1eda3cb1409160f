import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/**
 * Adds an operation's resource/operation conditions to each of its fields, keeping each field's own
 * conditions. `show` and `hide` are merged key by key; a plain spread would drop the field's own.
 */
export function updateDisplayOptions(
	displayOptions: IDisplayOptions,
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
