/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
import { N8n, type N8nRun } from '../../test/e2e/n8n';
import { buildAndPack } from '../../test/e2e/pack';
import { ensureRuntime, N8N_VERSION } from '../../test/e2e/runtime';
import { chain, symphonyNode, type CredentialRef, type NodeSpec } from '../../test/e2e/workflows';
import type { PodSimulator } from '../../test/simulator';
import { BENCH_TOKEN, POD_THROTTLE_PER_SECOND, externalUsers, userIds } from '../fixtures';
import { startBenchPod, type Job } from '../job';
import { peakInWindow } from '../measure';
import { formatMs, type Row, type Scenario, type ScenarioReport, type TargetCheck } from '../report';

/**
 * Scenario 1 inside the n8n application (opt-in: `npm run bench -- --real-n8n`): the packed package
 * installed as n8n installs community packages, and n8n's own HTTP Request node as the baseline,
 * each workflow run with `n8n execute` (the real-n8n end-to-end setup, test/e2e). A Code node makes
 * the 10,000 items. Without the package, a user authenticates the HTTP Request node with a Header
 * Auth credential carrying the session token.
 */

const N = 10_000;
const LATENCY_MS = 20;
const BATCH_SIZE = 1000;
const REGISTER_PATH = '/pod/v1/user/presence/register';

const SYMPHONY_CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'benchSymphony', name: 'Symphony (bench pod)' };
const HEADER_CREDENTIAL: CredentialRef = { type: 'httpHeaderAuth', id: 'benchHeaderAuth', name: 'Header Auth (bench pod)' };

/** A Code node emitting one item per user ID; the IDs are below 2^53, so plain numbers make them exactly. */
const itemsNode: NodeSpec = {
	name: 'Items',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	parameters: {
		jsCode: `return Array.from({ length: ${N} }, (_, i) => ({ json: { userId: String(${userIds(1)[0]} + i) } }));`,
	},
};

function httpRequestNode(podUrl: string): NodeSpec {
	return {
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${podUrl}${REGISTER_PATH}`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '=[{{ $json.userId }}]',
			options: {},
		},
		credentials: { httpHeaderAuth: { id: HEADER_CREDENTIAL.id, name: HEADER_CREDENTIAL.name } },
	};
}

interface RealRun {
	nodeMs?: number;
	failure?: string;
	requests: number;
	failedRequests: number;
	peakPerSecond: number;
	outputItems: number;
}

async function execute(n8n: N8n, sim: PodSimulator, workflowId: string, nodeName: string): Promise<RealRun> {
	sim.requests.length = 0;
	sim.interest.clear();
	const result = await n8n.execute(workflowId, { timeoutMs: 10 * 60 * 1000 });
	const run: N8nRun | undefined = result.run;
	const task = run?.data.resultData.runData[nodeName]?.[0] as { executionTime?: number } | undefined;
	const error = run?.data.resultData.error;
	const requests = sim.requestsTo(REGISTER_PATH, 'POST');
	return {
		nodeMs: run?.status === 'success' ? task?.executionTime : undefined,
		failure:
			run?.status === 'success' ? undefined : error ? `${error.name}: ${error.message}` : `n8n exited ${result.code}: ${result.output.slice(-500)}`,
		requests: requests.length,
		failedRequests: requests.filter((r) => r.status === undefined || r.status >= 400).length,
		peakPerSecond: peakInWindow(requests.map((r) => r.at)),
		outputItems: run?.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0]?.length ?? 0,
	};
}

export const jobs: Record<string, Job> = {};

export const scenario: Scenario = {
	id: '1n',
	title: `Register interest inside n8n ${N8N_VERSION}: the package vs the HTTP Request node, 10,000 items, 20 ms latency`,
	optIn: {
		flag: 'real-n8n',
		why: 'it runs the real n8n application (the e2e runtime; minutes to install on first use) and builds and packs the package',
	},
	async run(): Promise<ScenarioReport> {
		const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
		const runtime = await ensureRuntime();
		const packed = await buildAndPack(log);
		const n8n = new N8n(runtime);
		const sim = await startBenchPod(externalUsers(userIds(N)), LATENCY_MS);
		try {
			n8n.installPackage(packed.tarball);
			await n8n.importCredentials([
				{ ...SYMPHONY_CREDENTIAL, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: BENCH_TOKEN } },
				{ ...HEADER_CREDENTIAL, data: { name: 'sessionToken', value: BENCH_TOKEN } },
			]);
			const packageWorkflow = chain('benchRegisterNode', 'Bench: Register Interest', [
				itemsNode,
				symphonyNode('Register Interest', { operation: 'registerInterest', userIds: '={{ $json.userId }}' }, SYMPHONY_CREDENTIAL),
			]);
			const baselineWorkflow = chain('benchRegisterHttp', 'Bench: HTTP Request per item', [itemsNode, httpRequestNode(sim.url)]);
			await n8n.importWorkflow(packageWorkflow);
			await n8n.importWorkflow(baselineWorkflow);

			const node = await execute(n8n, sim, packageWorkflow.id, 'Register Interest');
			const baseline = await execute(n8n, sim, baselineWorkflow.id, 'HTTP Request');
			const limitMs = Math.ceil(N / BATCH_SIZE) * LATENCY_MS;
			const row = (variant: string, run: RealRun): Row =>
				run.nodeMs === undefined
					? { variant, n: N, requests: run.requests, basis: 'failed' }
					: {
							variant,
							n: N,
							requests: run.requests,
							wallMs: run.nodeMs,
							basis: 'measured',
							baselineRatio: baseline.nodeMs === undefined ? undefined : run.nodeMs / baseline.nodeMs,
							limitRatio: run.nodeMs / limitMs,
						};
			const rows = [
				row('Symphony node: Register Interest (packed, installed in n8n)', node),
				row('Baseline: n8n HTTP Request node 4.2, defaults (all at once), Header Auth', baseline),
			];
			const describe = (label: string, run: RealRun) =>
				run.failure
					? `${label} FAILED: ${run.failure}`
					: `${label}: ${run.requests.toLocaleString('en-US')} requests (${run.failedRequests} failed), at most ${run.peakPerSecond.toLocaleString('en-US')} within one second, ${run.outputItems.toLocaleString('en-US')} output items.`;
			const notes = [
				`Each workflow ran once with \`n8n execute\` in n8n ${N8N_VERSION} (Node ${runtime.nodeVersion}), Manual Trigger → Code (10,000 items) → the node; wall time is the node's executionTime in n8n's run data. Each execute is a fresh n8n process, so neither side is warmed up. Peak memory is not measured here.`,
				describe('Symphony node', node),
				describe('HTTP Request node', baseline),
				`Symphony throttles at ${POD_THROTTLE_PER_SECOND} requests per second per source IP; the simulator does not.`,
			];
			const targets: TargetCheck[] = [{ target: '≤ 10 requests', actual: `${node.requests} requests`, met: node.failure ? undefined : node.requests <= 10 }];
			if (node.nodeMs !== undefined && baseline.nodeMs !== undefined) {
				const ratio = node.nodeMs / baseline.nodeMs;
				targets.push({
					target: 'wall time ≤ 1/20 of the baseline (HTTP Request node, all at once)',
					actual: `${formatMs(node.nodeMs)} vs ${formatMs(baseline.nodeMs)} = 1/${(1 / ratio).toFixed(1)}`,
					met: ratio <= 1 / 20,
					reason:
						ratio <= 1 / 20
							? undefined
							: 'on loopback with no throttle the HTTP Request node sends its 10,000 requests in parallel; most of the Symphony node\'s time is n8n evaluating the mapped parameter for each item, in a process not warmed up (scenario 1 measures that share)',
				});
			}
			return { id: '1n', label: 'Register interest in n8n', title: this.title, rows, notes, targets };
		} finally {
			await sim.close();
			await n8n.dispose();
			packed.cleanup();
		}
	},
};
