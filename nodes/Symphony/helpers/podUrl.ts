import { ParameterError } from '../errors';

/** "host:8443" has no scheme; "mailto:x" or "ftp://x" has one. Without one, https:// is assumed. */
export function hasScheme(text: string): boolean {
	return /^[a-z][a-z0-9+.-]*:(\/\/|(?!\d))/i.test(text);
}

/**
 * Turns what people paste as a pod address into the base URL the API paths hang off:
 * `acme.symphony.com`, `https://acme.symphony.com/`, `https://acme.symphony.com/pod` all give
 * `https://acme.symphony.com`. Plain http is kept (local pods, the simulator).
 */
export function normalizePodUrl(raw: unknown, field = 'Pod URL'): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (text === '') {
		throw new ParameterError(field, raw, 'is empty', 'Enter your pod address, e.g. https://acme.symphony.com');
	}
	const withScheme = hasScheme(text) ? text : `https://${text}`;
	const url = URL.canParse(withScheme) ? new URL(withScheme) : undefined;
	if (!url) {
		throw new ParameterError(field, raw, 'is not a web address', 'Enter your pod address, e.g. https://acme.symphony.com');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new ParameterError(field, raw, `uses ${url.protocol.replace(':', '')}, which Symphony does not speak`, 'Use an https:// address, e.g. https://acme.symphony.com');
	}
	if (url.search || url.hash || url.username || url.password) {
		throw new ParameterError(field, raw, 'contains a query, fragment or login part', 'Enter only the pod address, e.g. https://acme.symphony.com');
	}
	if (!url.hostname || /\s/.test(text)) {
		throw new ParameterError(field, raw, 'is not a web address', 'Enter your pod address, e.g. https://acme.symphony.com');
	}
	const path = url.pathname.replace(/\/+$/, '').replace(/\/(pod|login|agent|relay)$/i, '');
	return `${url.protocol}//${url.host}${path}`;
}

/**
 * The pod address normalised as normalizePodUrl does it, written as an expression because a
 * credential's test request is declarative: adds https:// when no scheme is given, drops trailing
 * slashes and a trailing /pod. Both credentials use it.
 */
export const POD_BASE_URL_EXPRESSION =
	'={{ (/^[a-z][a-z0-9+.-]*:\\/\\//i.test($credentials.podUrl.trim()) ? "" : "https://") + $credentials.podUrl.trim().replace(/\\/+$/, "").replace(/\\/(pod|login|agent)$/i, "") }}';
