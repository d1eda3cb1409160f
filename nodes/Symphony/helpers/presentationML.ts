/**
 * The plain text a reader sees in a message as Symphony returns it (PresentationML: XHTML in a
 * `<div data-format="PresentationML">`): tags dropped, line breaks and block ends as new lines,
 * entities decoded, a mention or tag as the text it shows (`@Alice Martin`, `#rates`).
 */

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));/g;
/** Elements that end a line of their own: paragraphs, headings, list items, table rows, and the like. */
const BLOCK_END = /<\/(?:p|div|h[1-6]|li|tr|pre|blockquote|header|body|card|table|ul|ol|form)\s*>/gi;

function decodeEntity(whole: string, decimal?: string, hex?: string, name?: string): string {
	const code = decimal !== undefined ? Number(decimal) : hex !== undefined ? parseInt(hex, 16) : undefined;
	if (code !== undefined) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
	return NAMED_ENTITIES[name!] ?? whole;
}

export function presentationMLToText(message: unknown): string {
	if (typeof message !== 'string') return '';
	const text = message
		.replace(/\r\n?/g, '\n')
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/t[dh]\s*>/gi, '\t')
		.replace(BLOCK_END, '\n')
		.replace(/<[^>]*>/g, '')
		.replace(ENTITY, decodeEntity);
	return text
		.split('\n')
		.map((line) => line.replace(/[ \t]+$/, ''))
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
