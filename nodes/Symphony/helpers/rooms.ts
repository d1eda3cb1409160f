import { ParameterError } from '../errors';

/**
 * Room parameters: the name, description, yes/no settings, keywords and search text, checked
 * before any request. Pure: each takes the field's label for its message.
 */

/** A required piece of text (a room's name, a search): trimmed, never empty. */
export function parseRequiredText(field: string, value: unknown, fix: string): string {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') {
		throw new ParameterError(field, value, value === undefined || value === null ? 'is empty' : 'is not text', fix);
	}
	const text = value.trim();
	if (text === '') throw new ParameterError(field, value, 'is empty', fix);
	return text;
}

/** Optional text (a room's description): undefined when empty. */
export function parseOptionalText(field: string, value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') throw new ParameterError(field, value, 'is not text', `Enter text for ${field}, or leave it empty`);
	return value.trim() === '' ? undefined : value;
}

/** A yes/no setting: a boolean, or "true"/"false" from an expression; undefined when not given. */
export function parseFlag(field: string, value: unknown): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^\s*(true|false)\s*$/i.test(value)) return value.trim().toLowerCase() === 'true';
	throw new ParameterError(field, value, 'is not true or false', `Switch ${field} on or off, or map a value that is true or false`);
}

/** The Keywords setting as n8n holds it: `{ keyword: [{ key, value }] }`. Entries without a key are refused. */
export function parseKeywords(field: string, value: unknown): Array<{ key: string; value: string }> | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const entries = typeof value === 'object' && !Array.isArray(value) ? (value as { keyword?: unknown }).keyword : undefined;
	if (entries === undefined) return undefined;
	if (!Array.isArray(entries)) throw new ParameterError(field, value, 'is not a list of keywords', 'Add each keyword with its key and value');
	const keywords = entries.map((entry: unknown) => {
		const { key, value: text } = (entry ?? {}) as { key?: unknown; value?: unknown };
		const keyText = typeof key === 'number' ? String(key) : key;
		const valueText = typeof text === 'number' ? String(text) : (text ?? '');
		if (typeof keyText !== 'string' || keyText.trim() === '') {
			throw new ParameterError(field, entry, 'has a keyword without a key', 'Give every keyword a key, e.g. region, or remove it');
		}
		if (typeof valueText !== 'string') throw new ParameterError(field, entry, 'has a keyword whose value is not text', 'Give every keyword a text value, e.g. EMEA');
		return { key: keyText.trim(), value: valueText };
	});
	return keywords.length === 0 ? undefined : keywords;
}
