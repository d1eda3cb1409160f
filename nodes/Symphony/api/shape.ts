import { ApplicationError } from 'n8n-workflow';

/**
 * A 2xx answer without the documented shape. Thrown as a plain error: the item runner attaches the
 * node and item, and the message tells the user what was expected.
 */
export class UnexpectedResponseError extends ApplicationError {}

export function unexpectedShape(action: string, expected: string): UnexpectedResponseError {
	return new UnexpectedResponseError(
		`Symphony's answer while ${action} was not ${expected}. Check that the Pod URL points at your Symphony pod; if it does, the pod may be running an unsupported version`,
		{ level: 'warning' },
	);
}
