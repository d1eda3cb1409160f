/**
 * The entries of the User field's From List, and the name read back from a picked entry.
 *
 * n8n shows an entry on one line and cuts what does not fit with "…" (no tooltip), at about
 * MAX_ENTRY_LENGTH characters in the parameter panel's default width. So an entry is kept within
 * that length: a detail that does not fit (email, company) is left out, and a name too long is shortened.
 * People at other firms start with EXTERNAL_MARKER, the one part never dropped or cut.
 *
 * n8n stores the picked entry as the locator's `cachedResultName`; `nameOfUserEntry` reads the
 * person's name back from it, so an operation can output it without another request.
 */

/** The most characters an entry shows uncut in the node panel at its default width (Chromium, n8n 2.41). */
export const MAX_ENTRY_LENGTH = 44;
export const EXTERNAL_MARKER = 'External · ';
const SEPARATOR = ' · ';

export interface UserEntryParts {
	/** Symphony's display name, else the username, else the ID. */
	name: string;
	/** Email, company: the details that tell people of the same name apart, most useful first. */
	details: string[];
	external: boolean;
}

/** "Alice Martin · alice@acme.example · Acme", "External · Carol Diaz · Globex", never over MAX_ENTRY_LENGTH. */
export function userEntryName({ name, details, external }: UserEntryParts): string {
	const marker = external ? EXTERNAL_MARKER : '';
	const room = MAX_ENTRY_LENGTH - marker.length;
	const shownName = name.length > room ? `${name.slice(0, room - 1).trimEnd()}…` : name;
	let text = shownName;
	for (const detail of details) {
		const longer = `${text}${SEPARATOR}${detail}`;
		if (longer.length <= room) text = longer;
	}
	return marker + text;
}

/** The person's name in an entry written by `userEntryName` (shortened if the entry shortened it). */
export function nameOfUserEntry(entry: string): string | undefined {
	const withoutMarker = entry.startsWith(EXTERNAL_MARKER) ? entry.slice(EXTERNAL_MARKER.length) : entry;
	const name = withoutMarker.split(SEPARATOR)[0].trim();
	return name === '' ? undefined : name;
}
