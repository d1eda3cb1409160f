/**
 * `npm run demo`: starts the pod simulator with colleagues and people at other firms, runs the
 * example workflow examples/presence-by-email.json (users named by email) through a real n8n-core
 * execution, and prints what each Symphony node produced and what the pod received.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { adaptWorkflow, createHarness, type WorkflowData } from '../test/harness';
import { startSimulator, type PodSimulator } from '../test/simulator';

function table(rows: IDataObject[], columns: string[]): string {
	const cells = rows.map((row) => columns.map((c) => (row[c] === undefined || row[c] === null ? '' : String(row[c]))));
	const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
	const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ');
	return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function describeUsers(sim: PodSimulator): IDataObject[] {
	return [...sim.users.values()].map((u) => ({
		userId: u.id,
		email: u.email,
		name: u.displayName,
		firm: u.company,
		kind: u.external ? (u.connected ? 'external, connected' : 'external, not connected') : 'internal',
		presence: u.presence,
	}));
}

async function main(): Promise<void> {
	const sim = await startSimulator({ latencyMs: 5 });
	try {
		console.log(`Symphony pod simulator on ${sim.url}\n`);
		console.log(table(describeUsers(sim), ['userId', 'email', 'name', 'firm', 'kind', 'presence']));

		const example = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'presence-by-email.json'), 'utf8')) as WorkflowData;
		const { workflow, dropped } = adaptWorkflow(example);
		for (const node of workflow.nodes) {
			if (node.type === 'n8n-nodes-symphony.symphony') node.credentials = { symphonyApi: { id: 'demo', name: 'Symphony (simulator)' } };
		}
		const harness = createHarness({ symphonyApi: { podUrl: sim.url, sessionKind: 'sessionToken', token: sim.token } });

		console.log(`\nRunning "${example.name}" (schedule trigger started by hand)…`);
		const result = await harness.run(workflow);
		if (result.error) console.log(`\nThe workflow stopped: ${result.error.message}`);

		console.log('\nRegister interest by email → emails resolved to user IDs in one lookup, one item per user:');
		console.log(table(result.json('Register interest by email'), ['email', 'userId', 'registered', 'registeredAt']));
		console.log('\nGet presence by email → one item per user, in input order:');
		console.log(table(result.json('Get presence by email'), ['email', 'userId', 'category', 'timestampIso', 'error']));

		console.log('\nWhat the pod received:');
		console.log(
			table(
				sim.requests.map((r) => ({
					method: r.method,
					path: r.path,
					query: new URLSearchParams(r.query).toString().replace(/%40/g, '@').replace(/%2C/g, ','),
					body: r.body,
					status: r.status,
				})),
				['method', 'path', 'query', 'body', 'status'],
			),
		);
		if (dropped.length > 0) {
			console.log(`\n(${dropped.join(', ')}: n8n's own IF and Set nodes, run in the real-n8n end-to-end test, not here.)`);
		}
		process.exitCode = result.error ? 1 : 0;
	} finally {
		await sim.close();
	}
}

main()
	.catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	})
	// n8n-core leaves its event loop busy after an execution; end once the demo is done.
	.finally(() => process.exit());
