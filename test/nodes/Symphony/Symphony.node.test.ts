import type { INode, INodeParameters, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { resources } from '../../../nodes/Symphony/actions/router';
import { Symphony } from '../../../nodes/Symphony/Symphony.node';
import { createWorkflow, SYMPHONY_TYPE } from '../../harness';

/** The subtitle n8n's canvas shows under the node, evaluated by n8n's own expression engine. */
function subtitleFor(parameters: INodeParameters): unknown {
	const node: INode = { id: 'n', name: 'Symphony', type: SYMPHONY_TYPE, typeVersion: 2, position: [0, 0], parameters };
	const workflow = createWorkflow({ nodes: [node], connections: {} });
	return workflow.expression.getSimpleParameterValue(workflow.getNode('Symphony')!, new Symphony().description.subtitle!, 'internal', {});
}

describe('Symphony node: what the canvas shows', () => {
	const operations = Object.entries(resources).flatMap(([resource, { description }]) =>
		((description.find((p) => p.name === 'operation')?.options ?? []) as INodePropertyOptions[]).map(
			(option) => [resource, String(option.value), option.action] as const,
		),
	);

	test('every operation is listed', () => {
		expect(operations.length).toBeGreaterThanOrEqual(11);
		expect(operations).toContainEqual(['presence', 'registerInterest', 'Register presence interest']);
	});

	test.each(operations)('%s → %s: the subtitle is the operation\'s action, "%s"', (resource, operation, action) => {
		expect(subtitleFor({ resource, operation })).toBe(action);
	});

	test('no internal name reaches the canvas, whatever the parameters', () => {
		expect(subtitleFor({ resource: 'presence', operation: 'registerInterest' })).not.toMatch(/registerInterest|presence$/);
		expect(subtitleFor({ resource: 'presence', operation: 'unknown' })).toBe('');
	});
});

describe('Symphony node: what the panel shows', () => {
	/** The dropdown shows two lines of an option's description (about 55 characters each in n8n 2.41's panel). */
	const TWO_LINES = 110;

	test('Return Last Known says in its first two lines that manual runs keep nothing; the panel hint says the rest', () => {
		const ifReadTooRecently = new Symphony().description.properties
			.filter((p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('get') && p.displayOptions?.show?.resource?.includes('presence'))
			.flatMap((p) => p.options as INodeProperties[])
			.find((option) => option.name === 'ifReadTooRecently');
		const returnLastKnown = (ifReadTooRecently?.options as INodePropertyOptions[]).find((option) => option.value === 'returnLastKnown');
		expect(returnLastKnown?.description).toBe('Active workflows only (manual runs keep nothing): output the presence last read, with stale: true');
		expect(returnLastKnown!.description!.length).toBeLessThanOrEqual(TWO_LINES);
	});
});
