import type { INodeProperties } from 'n8n-workflow';

import { parseWholeNumber } from '../helpers/wholeNumber';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1_000_000;

/** n8n's Return All / Limit pair for operations that list things. */
export const paginationFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** How many results to return: unbounded for Return All, otherwise the validated Limit. */
export function readResultCount(returnAll: unknown, limit: unknown): number {
	if (returnAll === true) return Infinity;
	return parseWholeNumber('Limit', limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
}
