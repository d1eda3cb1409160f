import type { INode, INodeParameters } from 'n8n-workflow';

import { nodeHints } from '../../../../nodes/Symphony/descriptions/hints';
import { createWorkflow, SYMPHONY_TYPE } from '../../../harness';

/** Which hints the node panel shows for these parameters, with conditions evaluated by n8n's expression engine. */
function shownHints(parameters: INodeParameters, typeVersion: number): string[] {
	const node: INode = { id: 'n', name: 'Symphony', type: SYMPHONY_TYPE, typeVersion, position: [0, 0], parameters };
	const workflow = createWorkflow({ nodes: [node], connections: {} });
	return nodeHints
		.filter((hint) => workflow.expression.getSimpleParameterValue(workflow.getNode('Symphony')!, hint.displayCondition!, 'internal', {}) === true)
		.map((hint) => hint.message);
}

describe('node hints', () => {
	test.each<[string, INodeParameters, RegExp[], number]>([
		['Get', { resource: 'presence', operation: 'get' }, [/Register Interest/], 2],
		['Get (version 3, Register Interest for Other Firms off)', { resource: 'presence', operation: 'get', registerInterestFirst: false }, [/Put Register Interest before this node/], 3],
		['Get registering interest by itself (version 3)', { resource: 'presence', operation: 'get', registerInterestFirst: true }, [/^This node registers interest in people at other firms before reading them\. .*Connection → Get/], 3],
		['Get with Local Only', { resource: 'presence', operation: 'get', local: true }, [/always show as OFFLINE/], 2],
		['Get with Local Only (version 3)', { resource: 'presence', operation: 'get', local: true, registerInterestFirst: true }, [/always show as OFFLINE/], 3],
		['Get returning the last known presence', { resource: 'presence', operation: 'get', options: { ifReadTooRecently: 'returnLastKnown' } }, [/Register Interest/, /^Return Last Known outputs the presence this node last read.*manual test runs keep nothing/], 2],
		['Get Many', { resource: 'presence', operation: 'getMany' }, [/own pod only/], 2],
		['Register Interest', { resource: 'presence', operation: 'registerInterest' }, [], 2],
		['User → Get', { resource: 'user', operation: 'get' }, [], 2],
	])('%s shows only the hints about it', (_name, parameters, expected, typeVersion) => {
		const shown = shownHints(parameters, typeVersion);
		expect(shown).toHaveLength(expected.length);
		expected.forEach((pattern, index) => expect(shown[index]).toMatch(pattern));
	});
});
