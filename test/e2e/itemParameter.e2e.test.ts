/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development code: runs in Node, never packed */
/**
 * The direct per-item reader against n8n's own evaluation inside n8n 2.41 with its default
 * expression engine (`vm`): the table of test/support/parameterTable.ts, each row a probe node
 * (test/support/parameterProbe.ts, loaded as a custom node) reading its parameter for every item
 * both ways, all fed by one Code node in one `n8n execute`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import * as ts from 'typescript';

import { ITEMS, LOCATOR_TABLE, TABLE } from '../support/parameterTable';
import { N8n, nodeItems } from './n8n';
import { distIsStale, npm } from './pack';
import { ensureRuntime } from './runtime';
import { REPO_ROOT, type Workflow, type WorkflowNode } from './workflows';

jest.setTimeout(15 * 60 * 1000);

/** The probe compiled to a custom-node file that loads the reader from the built package. */
function writeProbe(dir: string): void {
	const source = fs.readFileSync(path.join(REPO_ROOT, 'test', 'support', 'parameterProbe.ts'), 'utf8');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2021, esModuleInterop: true },
	});
	const reader = path.join(REPO_ROOT, 'dist', 'nodes', 'Symphony', 'actions', 'itemParameter.js');
	const compiled = outputText.replace(/require\("\.\.\/\.\.\/nodes\/Symphony\/actions\/itemParameter"\)/, `require(${JSON.stringify(reader)})`);
	if (compiled === outputText) throw new Error('the probe no longer imports the reader where this test expects it');
	fs.writeFileSync(path.join(dir, 'ParameterProbe.node.js'), compiled);
}

test('inside n8n 2.41: the direct reader gives what n8n gives, for every row and item', async () => {
	const runtime = await ensureRuntime();
	if (distIsStale()) npm(['run', 'build']);
	const extensions = fs.mkdtempSync(path.join(os.tmpdir(), 'symphony-e2e-probe-'));
	const n8n = new N8n(runtime, undefined, { N8N_CUSTOM_EXTENSIONS: extensions });
	try {
		writeProbe(extensions);
		const rows: Array<[string, Record<string, unknown>, string]> = [
			...TABLE.map(([value, expected], i): [string, Record<string, unknown>, string] => [`Value ${i}`, { parameterName: 'value', value }, expected]),
			...LOCATOR_TABLE.map(([locator, expected], i): [string, Record<string, unknown>, string] => [`Locator ${i}`, { parameterName: 'locator', locator }, expected]),
		];
		const nodes: WorkflowNode[] = [
			{ name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: `return ${JSON.stringify(ITEMS)}.map((json) => ({ json }));` },
			},
			...rows.map(([name, parameters], i): WorkflowNode => ({ name, type: 'CUSTOM.parameterProbe', typeVersion: 1, position: [440, i * 100], parameters })),
		];
		const workflow: Workflow = {
			id: 'parameterProbeE2e',
			name: 'Parameter probe',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes,
			connections: {
				'Manual Trigger': { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
				Items: { main: [rows.map(([name]) => ({ node: name, type: 'main', index: 0 }))] },
			},
		};
		await n8n.importWorkflow(workflow);
		// The probes only read their parameters: safe to run again if the CLI printed no run.
		const result = await n8n.execute(workflow.id, { timeoutMs: 5 * 60 * 1000, sideEffectFree: true });
		if (result.run?.status !== 'success') {
			throw new Error(`the probe workflow did not succeed (exit ${result.code}, signal ${result.signal}, status ${result.run?.status}):\n${result.output.slice(-3000)}`);
		}
		const run = result.run!;
		for (const [name, parameters, expected] of rows) {
			const probed = nodeItems(run, name) as Array<{ same: boolean; direct: boolean; reader: string; n8n: string }>;
			expect(probed).toHaveLength(ITEMS.length);
			for (const row of probed) {
				expect({ parameters, reader: row.reader, same: row.same }).toEqual({ parameters, reader: row.n8n, same: true });
			}
			const direct = probed.filter((row) => row.direct).length;
			if (expected === 'all') expect({ parameters, direct }).toEqual({ parameters, direct: ITEMS.length });
			if (expected === 'none') expect({ parameters, direct }).toEqual({ parameters, direct: 0 });
			if (expected === 'some') expect(direct).toBeGreaterThan(ITEMS.length / 2);
		}
	} finally {
		await n8n.dispose();
		fs.rmSync(extensions, { recursive: true, force: true });
	}
});
