import {
	NodeHelpers,
	NodeOperationError,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { runsAsTool, toOutputItems } from '../../../nodes/Symphony/actions/itemRunner';
import { TOOL_DESCRIPTIONS } from '../../../nodes/Symphony/descriptions/toolDescriptions';
import { Symphony } from '../../../nodes/Symphony/Symphony.node';
import { chain, createHarness, nodeTypeClasses } from '../../harness';
import { testNodeDescription } from '../../harness/testNodes';

/**
 * The node as n8n's AI Agent uses it (docs/ai-agent.md): n8n copies the description under the type
 * name `<type>Tool`, and hands the model the `toolDescription` parameter, with n8n-workflow's own
 * getNodeParameters and getToolDescriptionForNode deciding what is shown and what is read. The e2e
 * (test/e2e/aiAgent.e2e.test.ts) runs the same in a real n8n with a scripted model.
 */

const base = new Symphony().description;
/** The description n8n builds for the tool (only the name matters to `@tool`). */
const asTool: INodeTypeDescription = { ...base, name: `${base.name}Tool` };

function nodeOf(type: string, parameters: INode['parameters']): INode {
	return { id: 'n', name: 'Get presence by email', type, typeVersion: 3, position: [0, 0], parameters };
}

/** The parameters with defaults, as n8n resolves them when it loads a workflow. */
function resolved(description: INodeTypeDescription, parameters: INode['parameters']): INode['parameters'] {
	const node = nodeOf(`n8n-nodes-symphony.${description.name}`, parameters);
	return NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
}

describe('Symphony as an AI Agent tool: what the model reads', () => {
	const agentOperations: Array<[string, string]> = [
		['user', 'get'],
		['presence', 'get'],
		['presence', 'registerInterest'],
		['connection', 'get'],
		['message', 'send'],
	];

	test.each(agentOperations)('%s → %s: the tool description is ours, shown only on the tool', (resource, operation) => {
		const text = TOOL_DESCRIPTIONS[resource][operation];
		expect(text.length).toBeGreaterThan(100);
		const toolParameters = resolved(asTool, { resource, operation });
		expect(toolParameters.toolDescription).toBe(text);
		const node = nodeOf('n8n-nodes-symphony.symphonyTool', toolParameters);
		expect(NodeHelpers.getToolDescriptionForNode(node, { description: asTool } as INodeType)).toBe(text);
		// The node on a canvas of its own has no such field.
		expect(resolved(base, { resource, operation })).not.toHaveProperty('toolDescription');
	});

	test('an edited description is what the model reads', () => {
		const parameters = resolved(asTool, { resource: 'presence', operation: 'get', toolDescription: 'Read the desk head\'s presence' });
		const node = nodeOf('n8n-nodes-symphony.symphonyTool', parameters);
		expect(NodeHelpers.getToolDescriptionForNode(node, { description: asTool } as INodeType)).toBe('Read the desk head\'s presence');
	});

	test('other operations: an empty field, so n8n says "<action> in Symphony"', () => {
		const parameters = resolved(asTool, { resource: 'presence', operation: 'setMine' });
		expect(parameters.toolDescription).toBe('');
		const node = nodeOf('n8n-nodes-symphony.symphonyTool', parameters);
		expect(NodeHelpers.getToolDescriptionForNode(node, { description: asTool } as INodeType)).toBe('Set my presence in Symphony');
	});

	test('every resource and operation has exactly one Description field on the tool', () => {
		const fields = base.properties.filter((p) => p.name === 'toolDescription');
		const shown = fields.map((p) => `${String(p.displayOptions?.show?.resource)}/${String(p.displayOptions?.show?.operation)}`);
		expect(new Set(shown).size).toBe(fields.length);
		expect(fields.every((p) => p.displayOptions?.show?.['@tool']?.[0] === true)).toBe(true);
	});
});

describe('Symphony as an AI Agent tool: errors are results', () => {
	const PROBE = 'test.toolUseProbe';
	let script: (this: IExecuteFunctions) => INodeExecutionData[] = () => [];
	class ProbeNode implements INodeType {
		description = testNodeDescription({ displayName: 'Tool Use Probe', name: 'toolUseProbe', description: 'Fails its second item' });
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [script.call(this)];
		}
	}
	// The same node under the two names n8n gives it: as a node, and as a tool.
	nodeTypeClasses[PROBE] = new ProbeNode();
	nodeTypeClasses[`${PROBE}Tool`] = new ProbeNode();
	const harness = createHarness({});
	const failSecond = function (this: IExecuteFunctions): INodeExecutionData[] {
		return toOutputItems(this, [
			{ json: { userId: '1', category: 'BUSY' }, items: [0] },
			{ error: new NodeOperationError(this.getNode(), 'Email: "x@y.example" matches no Symphony user', { description: 'Check the spelling' }), item: 1, json: { email: 'x@y.example' } },
		]);
	};

	test('as a tool, an item\'s error becomes an item the model reads (no Continue On Fail needed)', async () => {
		script = failSecond;
		let asToolSeen: boolean | undefined;
		const probe = script;
		script = function () {
			asToolSeen = runsAsTool(this);
			return probe.call(this);
		};
		const result = await harness.run(chain([{ name: 'Probe', type: `${PROBE}Tool`, parameters: {} }], [{}, {}]));
		expect(asToolSeen).toBe(true);
		expect(result.error).toBeUndefined();
		expect(result.items('Probe').map((item) => item.json)).toEqual([
			{ userId: '1', category: 'BUSY' },
			{ email: 'x@y.example', error: 'Email: "x@y.example" matches no Symphony user', description: 'Check the spelling' },
		]);
	});

	test('as a node, the same error still stops the run', async () => {
		script = failSecond;
		const result = await harness.run(chain([{ name: 'Probe', type: PROBE, parameters: {} }], [{}, {}]));
		expect(result.error?.message).toContain('matches no Symphony user');
	});
});
