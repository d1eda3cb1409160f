/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development code: runs in Node, never packed */
/**
 * `npm run demo`: starts the pod simulator with colleagues and people at other firms, runs the
 * example workflow examples/presence-by-email.json (users named by email) through a real n8n-core
 * execution, and prints what each Symphony node produced and what the pod received. Then runs the
 * same workflow with the RSA key credential twice, an hour apart, to show the logins.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { adaptWorkflow, createHarness, type WorkflowData } from '../test/harness';
import { startSimulator, type PodSimulator } from '../test/simulator';
import { simLoginOf } from '../test/simulator/routes/login';

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

/**
 * The example with the Symphony RSA API credential: a bot key made here, its public key imported
 * into a fresh simulator, two scheduled runs an hour apart. The session of the first run has
 * expired by the second, which logs in again by itself.
 */
async function runWithRsaKey(example: WorkflowData): Promise<boolean> {
	let hoursLater = 0;
	const sim = await startSimulator({ latencyMs: 5, sessions: [], now: () => Date.now() + hoursLater * 3600_000 });
	try {
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const login = simLoginOf(sim);
		login.addBot({ username: 'presence.bot', userId: sim.callerId, publicKeys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()] });
		const { workflow } = adaptWorkflow(example);
		for (const node of workflow.nodes) {
			if (node.type !== 'n8n-nodes-symphony.symphony') continue;
			node.parameters = { ...node.parameters, authentication: 'symphonyRsaApi' };
			node.credentials = { symphonyRsaApi: { id: 'demo-rsa', name: 'Symphony RSA (simulator)' } };
		}
		const harness = createHarness({
			symphonyRsaApi: {
				podUrl: sim.url,
				loginAs: 'bot',
				username: 'presence.bot',
				privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
			},
		});

		console.log('\n\nThe same workflow with the Symphony RSA API credential (Login As: Bot, username presence.bot,');
		console.log(`a key pair made just now, its public key imported into the simulator; sessions last ${login.sessionLifetimeMs / 3600_000} hour):`);
		const rows: IDataObject[] = [];
		let ok = true;
		for (const [run, label] of [[1, 'run 1'], [2, 'run 2, one hour later']] as const) {
			hoursLater = run - 1;
			const first = sim.requests.length;
			const result = await harness.run(workflow);
			ok &&= !result.error;
			const items = result.json('Get presence by email');
			console.log(`\n${label}: ${items.filter((i) => i.category).length} presences read, ${result.error ? `stopped: ${result.error.message}` : 'no errors'}; logins so far: ${login.logins()}`);
			for (const r of sim.requests.slice(first)) {
				const token = r.headers.sessiontoken;
				const session = typeof token === 'string' ? login.issued.indexOf(token) + 1 : 0;
				rows.push({ run: label.split(',')[0], method: r.method, path: r.path, status: r.status, sessionToken: session > 0 ? `session ${session}` : '' });
			}
		}
		console.log('\nWhat the pod received in the two RSA runs (tokens shown by the login that issued them):');
		console.log(table(rows, ['run', 'method', 'path', 'status', 'sessionToken']));
		console.log('\nRun 2 started with the stored session of run 1, which had expired: the pod answered 401, n8n called the');
		console.log("credential's login once (a new RS512-signed login token), and the same call went through with session 2.");
		return ok;
	} finally {
		await sim.close();
	}
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
		const rsaOk = await runWithRsaKey(example);
		process.exitCode = result.error || !rsaOk ? 1 : 0;
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
