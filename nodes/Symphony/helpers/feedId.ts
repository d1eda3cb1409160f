import { ParameterError } from '../errors';

/** Feed IDs as Symphony issues them: letters, digits, dashes, underscores, dots. */
const FEED_ID = /^[A-Za-z0-9._-]{1,200}$/;

/** Parses a feed ID, trimmed; refuses anything that could not be one (and would change the URL path). */
export function parseFeedId(value: unknown): string {
	const id = typeof value === 'string' ? value.trim() : value;
	if (typeof id !== 'string' || id === '') {
		throw new ParameterError('Feed ID', value, 'is empty', 'Use the feedId returned by Presence Feed → Create, e.g. {{ $json.feedId }}');
	}
	if (!FEED_ID.test(id)) {
		throw new ParameterError(
			'Feed ID',
			value,
			'is not a presence feed ID',
			'Use the feedId returned by Presence Feed → Create: letters, digits and dashes only',
		);
	}
	return id;
}
