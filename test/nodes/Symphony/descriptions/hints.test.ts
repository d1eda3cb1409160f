import type { INode, INodeParameters } from 'n8n-workflow';

import { nodeHints } from '../../../../nodes/Symphony/descriptions/hints';
import { createWorkflow, SYMPHONY_TYPE } from '../../../harness';

/** Which hints the node panel shows for these parameters, with conditions evaluated by n8n's expression engine. */
function shownHints(parameters: INodeParameters): string[] {
	const node: INode = { id: 'n', name: 'Symphony', type: SYMPHONY_TYPE, typeVersion: 2, position: [0, 0], parameters };
	const workflow = createWorkflow({ nodes: [node], connections: {} });
	return nodeHints
		.filter((hint) => workflow.expression.getSimpleParameterValue(workflow.getNode('Symphony')!, hint.displayCondition!, 'internal', {}) === true)
		.map((hint) => hint.message);
}

describe('node hints', () => {
	test.each<[string, INodeParameters, RegExp[]]>([
		['Get', { resource: 'presence', operation: 'get' }, [/Register Interest/]],
		['Get with Local Only', { resource: 'presence', operation: 'get', local: true }, [/always show as OFFLINE/]],
		['Get returning the last known presence', { resource: 'presence', operation: 'get', options: { ifReadTooRecently: 'returnLastKnown' } }, [/Register Interest/, /^Return Last Known outputs the presence this node last read.*manual test runs keep nothing/]],
		['Get Many', { resource: 'presence', operation: 'getMany' }, [/own pod only/]],
		['Register Interest', { resource: 'presence', operation: 'registerInterest' }, []],
		['User → Get', { resource: 'user', operation: 'get' }, []],
	])('%s shows only the hints about it', (_name, parameters, expected) => {
		const shown = shownHints(parameters);
		expect(shown).toHaveLength(expected.length);
		expected.forEach((pattern, index) => expect(shown[index]).toMatch(pattern));
	});
});
