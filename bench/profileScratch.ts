// scratch: not committed
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { N8n, freePort, parseRunOutput, stopGroup } from '../test/e2e/n8n';
import { buildAndPack } from '../test/e2e/pack';
import { ensureRuntime } from '../test/e2e/runtime';
import { chain, symphonyNode } from '../test/e2e/workflows';
import { BENCH_TOKEN, externalUsers, userIds } from './fixtures';
import { startBenchPod } from './job';

async function main() {
	const N = Number(process.argv[2] ?? 10000);
	const runtime = await ensureRuntime();
	const packed = await buildAndPack();
	const n8n = new N8n(runtime);
	const sim = await startBenchPod(externalUsers(userIds(N)), 20, 400);
	const profDir = '/tmp/wt13prof';
	try {
		n8n.installPackage(packed.tarball);
		const cred = { type: 'symphonyApi', id: 'benchSymphony', name: 'Symphony (bench pod)' };
		await n8n.importCredentials([{ ...cred, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: BENCH_TOKEN } }]);
		const wf = chain('profReg', 'prof', [
			{ name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: `return Array.from({ length: ${N} }, (_, i) => ({ json: { userId: String(${userIds(1)[0]} + i) } }));` } },
			symphonyNode('Register Interest', { operation: 'registerInterest', userIds: '={{ $json.userId }}' }, cred),
		]);
		await n8n.importWorkflow(wf);
		for (const prof of [false, true]) {
			sim.requests.length = 0; sim.interest.clear();
			const file = path.join(n8n.userFolder, 'out.txt');
			const out = fs.openSync(file, 'w');
			const child = spawn(runtime.node, [runtime.n8nBin, 'execute', `--id=${wf.id}`, '--rawOutput'], {
				cwd: n8n.userFolder,
				env: n8n.env({ N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...(prof && { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profDir}` }) }),
				stdio: ['ignore', out, out], detached: true,
			});
			fs.closeSync(out);
			await new Promise((r) => child.on('close', r));
			await stopGroup(child.pid!, 2000);
			const run = parseRunOutput(fs.readFileSync(file, 'utf8'));
			const task = run?.data.resultData.runData['Register Interest']?.[0] as { executionTime?: number } | undefined;
			console.log(`prof=${prof} N=${N} nodeMs=${task?.executionTime} status=${run?.status} load=${require('os').loadavg()[0]}`);
		}
	} finally {
		await sim.close(); await n8n.dispose(); packed.cleanup();
	}
}
main().catch((e) => { console.error(e); process.exitCode = 1; }).finally(() => process.exit());
