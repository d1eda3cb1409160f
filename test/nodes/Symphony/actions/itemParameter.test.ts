import type { INodeParameters } from 'n8n-workflow';

import { fieldPathOf } from '../../../../nodes/Symphony/actions/itemParameter';
import { START_TYPE, ITEMS_TYPE, createHarness, nodeTypeClasses, type WorkflowData } from '../../../harness';
import { ParameterProbe } from '../../../support/parameterProbe';
import { ITEMS, LOCATOR_TABLE, TABLE, VALUES } from '../../../support/parameterTable';

/**
 * The direct reader against n8n's own evaluation, in real n8n-core executions: for every raw
 * parameter value in the table and every input item below, both must give the same value (or the
 * same error), and the items the table marks as read directly must not have called n8n.
 */

const PROBE_TYPE = 'harness.parameterProbe';
nodeTypeClasses[PROBE_TYPE] = new ParameterProbe();

function probeWorkflow(parameters: INodeParameters): WorkflowData {
	return {
		nodes: [
			{ id: 'start', name: 'Start', type: START_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'items', name: 'Items', type: ITEMS_TYPE, typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(ITEMS) } },
			{ id: 'probe', name: 'Probe', type: PROBE_TYPE, typeVersion: 1, position: [400, 0], parameters },
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] },
		},
	};
}

describe('reading a per-item parameter directly', () => {
	const harness = createHarness({});

	async function probe(parameters: INodeParameters) {
		const result = await harness.run(probeWorkflow(parameters));
		expect(result.error).toBeUndefined();
		return result.json('Probe') as Array<{ same: boolean; direct: boolean; reader: string; n8n: string }>;
	}

	function expectReadDirectly(rows: Array<{ direct: boolean }>, expected: 'all' | 'some' | 'none') {
		const direct = rows.filter((row) => row.direct).length;
		if (expected === 'all') expect(direct).toBe(rows.length);
		if (expected === 'none') expect(direct).toBe(0);
		// 'some': the plain values are read directly, the odd ones (objects, missing fields) by n8n.
		if (expected === 'some') expect(direct).toBeGreaterThan(rows.length / 2);
	}

	test.each(TABLE)('%j gives what n8n gives, for every item', async (value, expected) => {
		const rows = await probe({ parameterName: 'value', value } as INodeParameters);
		expect(rows).toHaveLength(ITEMS.length);
		for (const row of rows) expect({ reader: row.reader, same: row.same }).toEqual({ reader: row.n8n, same: true });
		expectReadDirectly(rows, expected);
	});

	test.each(LOCATOR_TABLE)('resource locator %j gives what n8n gives, for every item', async (locator, expected) => {
		const rows = await probe({ parameterName: 'locator', locator } as INodeParameters);
		for (const row of rows) expect({ reader: row.reader, same: row.same }).toEqual({ reader: row.n8n, same: true });
		expectReadDirectly(rows, expected);
	});

	test('strings, numbers, booleans, null and flat lists are read directly; objects and nested lists by n8n', async () => {
		const rows = await probe({ parameterName: 'value', value: '={{ $json.userId }}' } as INodeParameters);
		const directly = VALUES.filter((_, i) => rows[i].direct);
		expect(directly).toEqual(VALUES.filter((v) => !(typeof v === 'object' && v !== null && (!Array.isArray(v) || v.some((e) => typeof e === 'object' && e !== null)))));
		// Missing fields and values behind a non-object go to n8n, which decides (undefined, null or an error).
		expect(rows.slice(VALUES.length).every((row) => !row.direct)).toBe(true);
	});

	test.each<[string, Array<string | number> | undefined]>([
		['={{ $json.userId }}', ['userId']],
		['={{ $json.a.b_c$1 }}', ['a', 'b_c$1']],
		['={{ $json["user id"][2] }}', ['user id', 2]],
		['={{ $json["a\\"b"] }}', undefined],
		['={{ $json["a}}b"] }}', undefined],
		['={{ $json.constructorName }}', undefined],
		['={{ $json.__secret }}', undefined],
		['={{ $json.hasOwnProperty }}', undefined],
		['={{ $json.1a }}', undefined],
		['={{ $json .userId }}', undefined],
		['={{ $json.userId }}\n', undefined],
	])('field path of %j', (expression, path) => {
		expect(fieldPathOf(expression)).toEqual(path);
	});
});
