/**
 * JSON.parse that keeps every digit of large integers. Integer literals outside the safe range are
 * turned into strings before parsing, so an int64 user ID above 2^53 arrives as its exact digits.
 * (JSON.parse's reviver `context.source` would do this, but Node 20 does not provide it.)
 */
export function parseJsonLossless(text: string): unknown {
	let out = '';
	let last = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (inString) {
			if (ch === '\\') i++;
			else if (ch === '"') inString = false;
			continue;
		}
		if (ch === '"') {
			inString = true;
			continue;
		}
		if (ch === '-' || (ch >= '0' && ch <= '9')) {
			let end = i + 1;
			while (end < text.length && /[0-9.eE+-]/.test(text[end])) end++;
			const literal = text.slice(i, end);
			if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
				out += text.slice(last, i) + `"${literal}"`;
				last = end;
			}
			i = end - 1;
		}
	}
	return JSON.parse(out + text.slice(last));
}
