import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * Reads a per-item parameter for every item at the cost of a field access where that is exactly
 * what n8n would compute, and through `getNodeParameter` everywhere else.
 *
 * Why: n8n evaluates an expression such as `{{ $json.userId }}` once per item, and in n8n 2.x with
 * its default expression engine (`vm`) that costs about half a millisecond an item, most of a
 * 10,000-item run. The commonest value of a user field is exactly such a read of the incoming
 * item, so the raw parameter is inspected once, and when it is (or, for an object value like a
 * resource locator, contains only) expressions of the form
 *
 *     ={{ $json.a }}   ={{ $json.a.b }}   ={{ $json["user id"] }}   ={{ $json['a'][0] }}
 *
 * (the whole value one expression, only spaces, tabs or line breaks around it) the item's JSON is
 * read directly. Each read gives a value only when it is one n8n gives back unchanged: a string,
 * a finite number, a boolean, null, or a list of those, reached through own properties of plain
 * objects and lists. Anything else (a missing field, an object, a Date, a key n8n's sandbox
 * refuses) is read for that item through `getNodeParameter`, so n8n gives the value or the error.
 */

/** The raw parameter compiled once: how to produce its value for one item, or undefined to ask n8n. */
type Plan = (json: IDataObject) => { value: unknown } | undefined;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** `={{ $json… }}`: the whole value one expression, only ASCII blanks inside the braces. */
const FIELD_EXPRESSION = /^=\{\{[ \t\r\n]*\$json((?:\.[A-Za-z_$][A-Za-z0-9_$]*|\[(?:"[^"\\{}\r\n]*"|'[^'\\{}\r\n]*'|\d{1,9})\])+)[ \t\r\n]*\}\}$/;
const SEGMENT = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(?:"([^"]*)"|'([^']*)'|(\d+))\]/g;

/**
 * Keys never read directly: those n8n's expression sandbox refuses or rewrites (`isSafeObjectProperty`
 * in n8n-workflow, and its `.constructor` check), and anything inherited from Object.prototype.
 */
const REFUSED_KEYS = new Set([
	'__proto__',
	'prototype',
	'constructor',
	'getPrototypeOf',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'caller',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
]);

function isReadableKey(key: string): boolean {
	return !REFUSED_KEYS.has(key) && !key.startsWith('__') && !(key in Object.prototype) && !key.includes('constructor');
}

/** The keys of a `$json…` access, or undefined when the expression is anything else. */
export function fieldPathOf(expression: string): Array<string | number> | undefined {
	const match = FIELD_EXPRESSION.exec(expression);
	if (!match) return undefined;
	const path: Array<string | number> = [];
	for (const [, identifier, doubleQuoted, singleQuoted, index] of match[1].matchAll(SEGMENT)) {
		if (index !== undefined) {
			path.push(Number(index));
			continue;
		}
		const key = identifier ?? doubleQuoted ?? singleQuoted;
		if (!isReadableKey(key) || (identifier !== undefined && !IDENTIFIER.test(key))) return undefined;
		path.push(key);
	}
	return path;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

function isSimpleValue(value: unknown): boolean {
	return (
		typeof value === 'string' ||
		typeof value === 'boolean' ||
		value === null ||
		(typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0))
	);
}

function ownData(container: unknown, key: string | number): { value: unknown } | undefined {
	if (typeof key === 'number') {
		if (!Array.isArray(container) || key >= container.length || !Object.prototype.hasOwnProperty.call(container, key)) {
			return undefined;
		}
	} else if (!isPlainObject(container)) {
		return undefined;
	}
	const descriptor = Object.getOwnPropertyDescriptor(container, key);
	return descriptor && 'value' in descriptor ? { value: descriptor.value } : undefined;
}

function fieldPlan(path: Array<string | number>): Plan {
	return (json) => {
		let value: unknown = json;
		for (const key of path) {
			const read = ownData(value, key);
			if (read === undefined) return undefined;
			value = read.value;
		}
		if (isSimpleValue(value)) return { value };
		if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype && value.every(isSimpleValue)) {
			// A copy, as n8n gives: the caller may not change the item's own list.
			return { value: value.slice() };
		}
		return undefined;
	};
}

/** Compiles a raw parameter value, or gives undefined when any part of it needs n8n's evaluation. */
export function planOf(raw: unknown, depth = 0): Plan | undefined {
	if (typeof raw === 'string') {
		if (!raw.startsWith('=')) return () => ({ value: raw });
		const path = fieldPathOf(raw);
		return path === undefined ? undefined : fieldPlan(path);
	}
	if (typeof raw === 'number' || typeof raw === 'boolean' || raw === null) return () => ({ value: raw });
	// Objects such as a resource locator `{ __rl, mode, value }`: each entry compiled, a new object per item.
	if (isPlainObject(raw) && depth < 4) {
		const entries: Array<[string, Plan]> = [];
		for (const [key, value] of Object.entries(raw)) {
			const plan = planOf(value, depth + 1);
			if (plan === undefined) return undefined;
			entries.push([key, plan]);
		}
		return (json) => {
			const result: IDataObject = {};
			for (const [key, plan] of entries) {
				const read = plan(json);
				if (read === undefined) return undefined;
				result[key] = read.value as IDataObject[string];
			}
			return { value: result };
		};
	}
	return undefined;
}

/**
 * A reader of parameter `name` for each item (top-level parameter names only). The raw value is
 * read once; `getNodeParameter` is called only for the items the direct read cannot answer.
 */
export function itemParameterReader(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	name: string,
	fallback?: unknown,
): (itemIndex: number) => unknown {
	const slow = (itemIndex: number) => context.getNodeParameter(name, itemIndex, fallback as never) as unknown;
	const parameters = context.getNode().parameters;
	const raw = Object.prototype.hasOwnProperty.call(parameters, name) ? parameters[name] : fallback;
	if (raw === undefined) return slow;
	const plan = planOf(raw);
	if (plan === undefined) return slow;
	return (itemIndex) => {
		const json = items[itemIndex]?.json;
		const read = json === undefined ? undefined : plan(json);
		return read === undefined ? slow(itemIndex) : read.value;
	};
}
