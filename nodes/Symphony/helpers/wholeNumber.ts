import { ParameterError } from '../errors';

/** Parses a whole-number option, with a message naming the field when it is out of range. */
export function parseWholeNumber(
	field: string,
	value: unknown,
	min: number,
	max: number,
	fallback: number,
	fix = `Enter a number from ${min} to ${max}`,
): number {
	if (value === undefined || value === null || value === '') return fallback;
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		throw new ParameterError(field, value, `is not a whole number from ${min} to ${max}`, fix);
	}
	return number;
}
