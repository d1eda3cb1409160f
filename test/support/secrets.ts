/**
 * Serialises everything a run can expose to a user or a log (items, error messages, descriptions,
 * causes, context, stacks) so tests can assert that no secret appears anywhere in it.
 */
export function exposedText(value: unknown): string {
	const seen = new WeakSet<object>();
	const parts: string[] = [];
	const visit = (v: unknown, depth: number): void => {
		if (depth > 12 || v === null || v === undefined) return;
		if (typeof v === 'string') {
			parts.push(v);
			return;
		}
		if (typeof v !== 'object' && typeof v !== 'function') {
			parts.push(String(v));
			return;
		}
		if (seen.has(v as object)) return;
		seen.add(v as object);
		const names = new Set<string>(Object.getOwnPropertyNames(v));
		if (v instanceof Error) ['message', 'stack', 'description', 'cause', 'context'].forEach((n) => names.add(n));
		for (const name of names) {
			try {
				visit((v as Record<string, unknown>)[name], depth + 1);
			} catch {
				// getters that throw expose nothing
			}
		}
	};
	visit(value, 0);
	return parts.join('\n');
}

export function expectNoSecrets(value: unknown, secrets: string[]): void {
	const text = exposedText(value);
	for (const secret of secrets) {
		expect(secret.length).toBeGreaterThan(5);
		if (text.includes(secret)) {
			throw new Error(`A secret (${secret.slice(0, 4)}…) appears in the run's output or errors`);
		}
	}
}
