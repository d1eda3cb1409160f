import { parseWholeNumber } from './wholeNumber';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1_000_000;

/** How many results to return (Return All / Limit): unbounded for Return All, otherwise the validated Limit. */
export function parseResultCount(returnAll: unknown, limit: unknown): number {
	if (returnAll === true) return Infinity;
	return parseWholeNumber('Limit', limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
}
