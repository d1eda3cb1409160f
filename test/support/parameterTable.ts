import type { IDataObject } from 'n8n-workflow';

/**
 * The raw parameter values and input items on which the direct per-item reader
 * (nodes/Symphony/actions/itemParameter.ts) is compared with n8n's own evaluation, in process
 * (test/nodes/Symphony/actions/itemParameter.test.ts) and inside n8n 2.41 (test/e2e).
 */

/** Values users can send along: the same value under several keys, so each expression meets each. */
export const VALUES: unknown[] = [
	'7215545078541',
	'9007199254740993',
	'',
	'  padded  ',
	'7215545078541, 7215545078542',
	'{{ not evaluated again }}',
	'=not an expression either',
	'jane.doe@acme.com',
	'ünïcødé 名前',
	0,
	-3,
	1.5,
	7215545078541,
	1e21,
	true,
	false,
	null,
	['7215545078541', '7215545078542'],
	[7215545078541, 'x', null, true],
	[],
	[['nested']],
	[{ userId: '1' }],
	{ userId: '7215545078541' },
	{},
];

function itemFor(value: unknown): IDataObject {
	return { userId: value, 'user id': value, a: { b: value }, list: [value] } as IDataObject;
}

/** Items that miss the field or hold something that is not an object on the way. */
const ODD_ITEMS: IDataObject[] = [{}, { a: null }, { a: 'text' }, { a: [1] }, { list: {} }, { userId: undefined } as IDataObject];

export const ITEMS = [...VALUES.map(itemFor), ...ODD_ITEMS];

/** [raw parameter value, which items are read directly: 'all' | 'some' | 'none'] */
export const TABLE: Array<[unknown, 'all' | 'some' | 'none']> = [
	['={{ $json.userId }}', 'some'],
	['={{$json.userId}}', 'some'],
	['={{ \n\t$json.userId  \r\n}}', 'some'],
	['={{ $json["user id"] }}', 'some'],
	["={{ $json['user id'] }}", 'some'],
	['={{ $json.a.b }}', 'some'],
	['={{ $json["a"]["b"] }}', 'some'],
	['={{ $json.list[0] }}', 'some'],
	['={{ $json.list[1] }}', 'none'],
	['={{ $json.missing }}', 'none'],
	['={{ $json.userId }} ', 'none'],
	[' ={{ $json.userId }}', 'all'],
	['={{ $json.userId }}{{ $json.userId }}', 'none'],
	['=id {{ $json.userId }}', 'none'],
	['={{ $json.userId.toString() }}', 'none'],
	['={{ $json.userId ?? "none" }}', 'none'],
	['={{ $json?.userId }}', 'none'],
	["={{ $('Items').item.json.userId }}", 'none'],
	['={{ $input.item.json.userId }}', 'none'],
	['={{ $json.constructor }}', 'none'],
	['={{ $json["__proto__"] }}', 'none'],
	['={{ $json.toString }}', 'none'],
	['={{ $json }}', 'none'],
	['={{ $json[0] }}', 'none'],
	['=7215545078541', 'none'],
	['7215545078541', 'all'],
	['', 'all'],
	['{{ $json.userId }}', 'all'],
];

/** Resource-locator values, read from a parameter of that type. */
export const LOCATOR_TABLE: Array<[unknown, 'all' | 'some' | 'none']> = [
	[{ __rl: true, mode: 'id', value: '={{ $json.userId }}' }, 'some'],
	[{ __rl: true, mode: 'id', value: '={{ $json.a.b }}', cachedResultName: 'Jane' }, 'some'],
	[{ __rl: true, mode: 'id', value: '7215545078541' }, 'all'],
	[{ __rl: true, mode: 'id', value: '={{ $json.userId.trim() }}' }, 'none'],
];

