/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-imports -- development code: runs in Node, never packed */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEFAULT_BATCH_SIZE } from '../../nodes/Symphony/actions/presence/registerInterest.operation';
import { ADAPTIVE_CEILING_PER_SECOND, ADAPTIVE_START_PER_SECOND } from '../../nodes/Symphony/transport/pacing';
import { N8n, freePort, parseRunOutput, stopGroup, type N8nRun } from '../../test/e2e/n8n';
import { buildAndPack } from '../../test/e2e/pack';
import { ensureRuntime, N8N_VERSION, type Runtime } from '../../test/e2e/runtime';
import { chain, symphonyNode, type CredentialRef, type NodeSpec, type Workflow } from '../../test/e2e/workflows';
import type { PodSimulator } from '../../test/simulator';
import { BENCH_CALLER_ID, BENCH_TOKEN, POD_THROTTLE_PER_SECOND, externalUsers, internalUsers, userIds } from '../fixtures';
import { startBenchPod } from '../job';
import { peakInWindow } from '../measure';
import { formatMb, formatMs, type Row, type Scenario, type ScenarioReport, type TargetCheck } from '../report';

/**
 * The headline scenarios inside the n8n application, as users run them: n8n 2.41.1 with its
 * defaults (the `vm` expression engine among them), the packed package installed as n8n installs
 * community packages, and n8n's own HTTP Request node as the baseline, each workflow run with
 * `n8n execute` (the real-n8n end-to-end setup, test/e2e). The pod enforces Symphony's throttle of
 * 400 requests per second per source: what goes beyond it gets 429 with Retry-After.
 *
 * Figures per variant: the node's executionTime from n8n's run data, the requests and 429s in the
 * pod's log, the items lost (users not registered, or not in the output), and for the 100,000-item
 * run the most memory (RSS) the n8n process gained while the node ran, sampled every 25 ms.
 */

const REGISTER_PATH = '/pod/v1/user/presence/register';
const PRESENCE_PATH = '/pod/v3/user/';
const REGISTER_N = 10_000;
const LARGE_N = 100_000;
const GET_N = 1000;
const FIRST_EXTERNAL = 7215545100000n;
const FIRST_INTERNAL = 7215546100000n;

const SYMPHONY_CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'benchSymphony', name: 'Symphony (bench pod)' };
const HEADER_CREDENTIAL: CredentialRef = { type: 'httpHeaderAuth', id: 'benchHeaderAuth', name: 'Header Auth (bench pod)' };

/** A Code node emitting one item per user ID; the IDs are below 2^53, so adding to a number makes them exactly. */
function itemsNode(count: number, first: bigint): NodeSpec {
	return {
		name: 'Items',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { userId: String(${first} + i) } }));` },
	};
}

type HttpPacing = 'defaults' | 'batching';
const HTTP_PACINGS: HttpPacing[] = ['defaults', 'batching'];

/** n8n's HTTP Request node as a user without the package sets it up: Header Auth with the session token. */
function httpRequestNode(podUrl: string, request: 'register' | 'get', pacing: HttpPacing): NodeSpec {
	const batching = { batching: { batch: { batchSize: POD_THROTTLE_PER_SECOND, batchInterval: 1000 } } };
	return {
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			...(request === 'register'
				? { method: 'POST', url: `${podUrl}${REGISTER_PATH}`, sendBody: true, specifyBody: 'json', jsonBody: '=[{{ $json.userId }}]' }
				: { url: `=${podUrl}${PRESENCE_PATH}{{ $json.userId }}/presence` }),
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			options: pacing === 'batching' ? batching : {},
		},
		credentials: { httpHeaderAuth: { id: HEADER_CREDENTIAL.id, name: HEADER_CREDENTIAL.name } },
	};
}

interface Variant {
	id: string;
	label: string;
	workflow: Workflow;
	nodeName: string;
	latencyMs: number;
	/** Users whose work must be done: registered on the pod, or read into the output. */
	n: number;
	kind: 'register' | 'get';
	sampleMemory?: boolean;
}

interface RealRun {
	nodeMs?: number;
	failure?: string;
	requests: number;
	tooMany: number;
	itemsLost: number;
	outputItems: number;
	/** The most requests the pod received within any one second. */
	peakPerSecond: number;
	peakRssAddedBytes?: number;
}

/** RSS of a process, from /proc (Linux); undefined once it is gone. */
function rssBytes(pid: number): number | undefined {
	try {
		const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/**
 * `n8n execute --rawOutput` with its output going to a file: the run object of a 10,000-item
 * workflow is megabytes, and through a pipe it arrived cut short under load. `onStart` gets the
 * n8n process's id (to sample its memory).
 */
export async function executeToFile(
	runtime: Runtime,
	n8n: N8n,
	workflowId: string,
	onStart: (pid: number) => void,
	/** Tells apart the output files of runs of one workflow at the same time. */
	runTag = '',
): Promise<{ run?: N8nRun; code: number | null; tail: string }> {
	const file = path.join(n8n.userFolder, `execute-${workflowId}${runTag}.out`);
	const out = fs.openSync(file, 'w');
	const child = spawn(runtime.node, [runtime.n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
		cwd: n8n.userFolder,
		env: n8n.env({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) }),
		stdio: ['ignore', out, out],
		detached: true,
	});
	fs.closeSync(out);
	if (child.pid === undefined) throw new Error('could not start n8n execute');
	const pid = child.pid;
	onStart(pid);
	const timer = setTimeout(() => void stopGroup(pid), 15 * 60 * 1000);
	const code = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', resolve);
	});
	clearTimeout(timer);
	// The task runner n8n started goes too.
	await stopGroup(pid, 2000);
	const output = fs.readFileSync(file, 'utf8');
	fs.rmSync(file, { force: true });
	let run: N8nRun | undefined;
	try {
		run = parseRunOutput(output);
	} catch {
		run = undefined;
	}
	return { run, code, tail: output.slice(-500) };
}

async function execute(runtime: Runtime, n8n: N8n, sim: PodSimulator, variant: Variant): Promise<RealRun> {
	sim.clearLog();
	sim.interest.clear();
	sim.lastExternalQuery.clear();
	sim.latencyMs = variant.latencyMs;
	const samples: Array<{ at: number; rss: number }> = [];
	let sampler: NodeJS.Timeout | undefined;
	const result = await executeToFile(runtime, n8n, variant.workflow.id, (pid) => {
		if (!variant.sampleMemory) return;
		sampler = setInterval(() => {
			const rss = rssBytes(pid);
			if (rss !== undefined) samples.push({ at: Date.now(), rss });
		}, 25);
	});
	if (sampler) clearInterval(sampler);
	const run: N8nRun | undefined = result.run;
	const task = run?.data.resultData.runData[variant.nodeName]?.[0] as
		| { executionTime?: number; startTime?: number; data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }
		| undefined;
	const error = run?.data.resultData.error;
	const output = task?.data?.main?.[0] ?? [];
	const requests = sim.requests.filter((r) => r.path.startsWith(variant.kind === 'register' ? REGISTER_PATH : PRESENCE_PATH));
	const done =
		variant.kind === 'register'
			? (sim.interest.get(BENCH_CALLER_ID)?.size ?? 0)
			: new Set(output.filter((item) => typeof item.json.category === 'string' || typeof item.json.category === 'object').map((item) => String(item.json.userId))).size;
	let peakRssAddedBytes: number | undefined;
	if (task?.startTime !== undefined && task.executionTime !== undefined && samples.length > 0) {
		const end = task.startTime + task.executionTime;
		const before = samples.filter((s) => s.at <= task.startTime!).pop()?.rss;
		const during = samples.filter((s) => s.at >= task.startTime! && s.at <= end).map((s) => s.rss);
		if (before !== undefined && during.length > 0) peakRssAddedBytes = Math.max(0, Math.max(...during) - before);
	}
	return {
		nodeMs: task?.executionTime,
		failure:
			run?.status === 'success' ? undefined : error ? `${error.name}: ${error.message}` : `n8n exited ${result.code}: ${result.tail}`,
		requests: requests.length,
		tooMany: requests.filter((r) => r.status === 429).length,
		itemsLost: variant.n - done,
		outputItems: output.length,
		peakPerSecond: peakInWindow(requests.map((r) => r.at)),
		peakRssAddedBytes,
	};
}

function row(variant: Variant, run: RealRun, limitMs: number): Row {
	return {
		variant: variant.label,
		n: variant.n,
		requests: run.requests,
		wallMs: run.nodeMs,
		basis: run.failure ? 'failed' : 'measured',
		limitRatio: run.nodeMs === undefined ? undefined : run.nodeMs / limitMs,
		tooManyRequests: run.tooMany,
		itemsLost: run.itemsLost,
		peakRssAddedBytes: run.peakRssAddedBytes,
	};
}

function describeRun(variant: Variant, run: RealRun): string {
	const count = (value: number) => value.toLocaleString('en-US');
	const rate = run.nodeMs ? ` (${Math.round(run.requests / (run.nodeMs / 1000))}/s on average, at most ${count(run.peakPerSecond)} within one second)` : '';
	const what = `${variant.label} at ${variant.latencyMs} ms: ${count(run.requests)} requests${rate}, ${count(run.tooMany)} × 429, ${count(run.outputItems)} output items, ${count(run.itemsLost)} of ${count(variant.n)} users lost`;
	return run.failure ? `${what}; the execution FAILED: ${run.failure.slice(0, 300)}` : `${what}.`;
}

export const scenario: Scenario = {
	id: 'n',
	title: `Inside n8n ${N8N_VERSION} (default settings), against a pod throttling at ${POD_THROTTLE_PER_SECOND} requests/s`,
	optOut: { flag: 'in-process-only', why: 'it runs the real n8n application (the e2e runtime; minutes to install on first use), about 6 minutes on 2 cores' },
	async run(): Promise<ScenarioReport[]> {
		const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
		const runtime = await ensureRuntime();
		const packed = await buildAndPack(log);
		const n8n = new N8n(runtime);
		const registerIds = userIds(LARGE_N, FIRST_EXTERNAL);
		const sim = await startBenchPod(
			[...externalUsers(registerIds), ...internalUsers(userIds(GET_N, FIRST_INTERNAL))],
			20,
			POD_THROTTLE_PER_SECOND,
		);
		try {
			n8n.installPackage(packed.tarball);
			await n8n.importCredentials([
				{ ...SYMPHONY_CREDENTIAL, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: BENCH_TOKEN } },
				{ ...HEADER_CREDENTIAL, data: { name: 'sessionToken', value: BENCH_TOKEN } },
			]);
			const register = symphonyNode('Register Interest', { operation: 'registerInterest', userIds: '={{ $json.userId }}' }, SYMPHONY_CREDENTIAL);
			const get = symphonyNode('Get', { operation: 'get' }, SYMPHONY_CREDENTIAL);
			const variant = (v: Omit<Variant, 'workflow'> & { nodes: NodeSpec[] }): Variant => ({
				...v,
				workflow: chain(`bench${v.id}`, `Bench ${v.label}`, v.nodes),
			});
			const registerItems = itemsNode(REGISTER_N, FIRST_EXTERNAL);
			const getItems = itemsNode(GET_N, FIRST_INTERNAL);
			/** The HTTP Request node baselines, one per pacing, doing `kind` for the items of `items`. */
			const httpVariants = (kind: Variant['kind'], items: NodeSpec, n: number, latencyMs: number, idOf: (pacing: HttpPacing) => string): Variant[] =>
				HTTP_PACINGS.map((pacing) =>
					variant({
						id: idOf(pacing),
						label: `HTTP Request node 4.2, ${pacing === 'defaults' ? 'defaults (all at once)' : `batching ${POD_THROTTLE_PER_SECOND} every 1 s`}`,
						nodeName: 'HTTP Request',
						latencyMs,
						n,
						kind,
						nodes: [items, httpRequestNode(sim.url, kind, pacing)],
					}),
				);
			const registerVariants = [20, 100].flatMap((latencyMs) => [
				variant({ id: `Reg${latencyMs}`, label: 'Symphony: Register Interest', nodeName: 'Register Interest', latencyMs, n: REGISTER_N, kind: 'register', nodes: [registerItems, register] }),
				...(latencyMs === 20 ? httpVariants('register', registerItems, REGISTER_N, latencyMs, (pacing) => `RegHttp${pacing}`) : []),
			]);
			const large = variant({
				id: 'RegLarge',
				label: 'Symphony: Register Interest',
				nodeName: 'Register Interest',
				latencyMs: 20,
				n: LARGE_N,
				kind: 'register',
				sampleMemory: true,
				nodes: [itemsNode(LARGE_N, FIRST_EXTERNAL), register],
			});
			const getVariants = [20, 100].flatMap((latencyMs) => [
				variant({ id: `Get${latencyMs}`, label: 'Symphony: Get, defaults', nodeName: 'Get', latencyMs, n: GET_N, kind: 'get', nodes: [getItems, get] }),
				...httpVariants('get', getItems, GET_N, latencyMs, (pacing) => `GetHttp${pacing}${latencyMs}`),
			]);
			const all = [...registerVariants, large, ...getVariants];
			// One import for all workflows: every n8n command is a process start of several seconds.
			const file = `${n8n.userFolder}/bench-workflows.json`;
			fs.writeFileSync(file, JSON.stringify(all.map((v) => v.workflow)));
			const imported = await n8n.run(['import:workflow', `--input=${file}`]);
			if (imported.code !== 0) throw new Error(`n8n import:workflow failed:\n${imported.output.slice(-2000)}`);

			const runs = new Map<Variant, RealRun>();
			for (const v of all) {
				log(`n8n: ${v.label}, ${v.n.toLocaleString('en-US')} users, ${v.latencyMs} ms`);
				const run = await execute(runtime, n8n, sim, v);
				runs.set(v, run);
				log(`  ${formatMs(run.nodeMs)}; ${describeRun(v, run)}${run.peakRssAddedBytes === undefined ? '' : ` Peak RSS added ${formatMb(run.peakRssAddedBytes)}.`}`);
			}

			// Two Get workflows at once against the pod: two `n8n execute` processes, each with its own
			// pace, adapting to the 429s the shared throttle gives them.
			const [get20] = getVariants;
			sim.clearLog();
			sim.latencyMs = get20.latencyMs;
			log(`n8n: two of "${get20.label}" at once, ${GET_N.toLocaleString('en-US')} users each, ${get20.latencyMs} ms`);
			const pair = await Promise.all([0, 1].map(async (i) => await executeToFile(runtime, n8n, get20.workflow.id, () => undefined, `-${i}`)));
			const pairRequests = sim.requests.filter((r) => r.path.startsWith(PRESENCE_PATH));
			const pairRuns = pair.map((result) => {
				const task = result.run?.data.resultData.runData[get20.nodeName]?.[0] as
					| { executionTime?: number; data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }
					| undefined;
				const output = task?.data?.main?.[0] ?? [];
				const done = new Set(output.filter((item) => typeof item.json.category === 'string').map((item) => String(item.json.userId))).size;
				return { nodeMs: task?.executionTime, lost: GET_N - done, failed: result.run?.status !== 'success' };
			});
			const pairTooMany = pairRequests.filter((r) => r.status === 429).length;
			const pairNote = `Two at once (separate n8n processes, each adapting its own pace): node times ${pairRuns.map((r) => formatMs(r.nodeMs)).join(' and ')}, ${pairRequests.length.toLocaleString('en-US')} requests (at most ${peakInWindow(pairRequests.map((r) => r.at))} within one second), ${pairTooMany} × 429, ${pairRuns.reduce((sum, r) => sum + r.lost, 0)} of ${(2 * GET_N).toLocaleString('en-US')} users lost${pairRuns.some((r) => r.failed) ? '; an execution FAILED' : ''}.`;
			log(`  ${pairNote}`);

			const registerLimit = (n: number, latencyMs: number) => Math.ceil(n / DEFAULT_BATCH_SIZE) * latencyMs;
			const getLimit = (latencyMs: number) => (GET_N / POD_THROTTLE_PER_SECOND) * 1000 + latencyMs;
			const runOf = (v: Variant) => runs.get(v) as RealRun;
			const env = `n8n ${N8N_VERSION}, Node ${runtime.nodeVersion}; each workflow ran once with \`n8n execute\` (a fresh n8n process, not warmed up): Manual Trigger → Code (the items) → the node. Node time is the node's executionTime in n8n's run data.`;

			const registerRows = registerVariants.map((v) => row(v, runOf(v), registerLimit(v.n, v.latencyMs)));
			const [reg20] = registerVariants;
			const reg100 = registerVariants.find((v) => v.id === 'Reg100') as Variant;
			const registerTargets: TargetCheck[] = [reg20, reg100].map((v) => {
				const r = runOf(v);
				const limitMs = registerLimit(REGISTER_N, v.latencyMs);
				return {
					target: `Register Interest, 10,000 items, ${v.latencyMs} ms: node time ≤ 5 × the ${formatMs(limitMs)} limit = ${formatMs(5 * limitMs)}, 0 × 429, 0 lost`,
					actual: `${formatMs(r.nodeMs)} (${r.nodeMs === undefined ? '—' : (r.nodeMs / limitMs).toFixed(1)}×), ${r.tooMany} × 429, ${r.itemsLost} lost`,
					met: r.failure ? false : (r.nodeMs ?? Infinity) <= 5 * limitMs && r.tooMany === 0 && r.itemsLost === 0,
				};
			});
			const largeRun = runOf(large);
			const reg20Run = runOf(reg20);
			const perItemGrowth =
				largeRun.nodeMs !== undefined && reg20Run.nodeMs !== undefined ? largeRun.nodeMs / LARGE_N / (reg20Run.nodeMs / REGISTER_N) : undefined;
			const getRows = getVariants.map((v) => row(v, runOf(v), getLimit(v.latencyMs)));
			const GET_GOAL_MS = 2900;
			const getTargets: TargetCheck[] = getVariants
				.filter((v) => v.nodeName === 'Get')
				.map((v) => {
					const r = runOf(v);
					return {
						target: `Get, 1,000 users, ${v.latencyMs} ms, pod throttled at ${POD_THROTTLE_PER_SECOND}/s: ≤ ${formatMs(GET_GOAL_MS)}, 0 × 429, 0 lost`,
						actual: `${formatMs(r.nodeMs)}, ${r.tooMany} × 429, ${r.itemsLost} lost`,
						met: r.failure ? false : (r.nodeMs ?? Infinity) <= GET_GOAL_MS && r.tooMany === 0 && r.itemsLost === 0,
					};
				});
			return [
				{
					id: '1n',
					label: 'Register interest in n8n',
					title: `Register interest, 10,000 IDs as 10,000 items, inside n8n ${N8N_VERSION}, pod throttled at ${POD_THROTTLE_PER_SECOND}/s`,
					rows: registerRows,
					notes: [
						env,
						`Physical limit: ⌈10,000 / ${DEFAULT_BATCH_SIZE}⌉ = 10 round trips one after the other = 200 ms at 20 ms (1 s at 100 ms); one request per item cannot beat ${REGISTER_N / POD_THROTTLE_PER_SECOND} s under the throttle.`,
						...registerVariants.map((v) => describeRun(v, runOf(v))),
					],
					targets: registerTargets,
				},
				{
					id: '2n',
					label: 'Get presence in n8n',
					title: `Get presence of 1,000 users, inside n8n ${N8N_VERSION}, 20 and 100 ms, pod throttled at ${POD_THROTTLE_PER_SECOND}/s`,
					rows: getRows,
					notes: [
						env,
						`Physical limit: 1,000 requests at ${POD_THROTTLE_PER_SECOND} per second + one round trip. The node's adaptive pace starts at ${ADAPTIVE_START_PER_SECOND} per second and rises to ${ADAPTIVE_CEILING_PER_SECOND} while no 429 comes.`,
						...getVariants.map((v) => describeRun(v, runOf(v))),
						pairNote,
					],
					targets: [
						...getTargets,
						{
							target: 'Two such workflows at once against one pod: 0 lost, 429s counted and reported',
							actual: `${pairRuns.reduce((sum, r) => sum + r.lost, 0)} lost, ${pairTooMany} × 429`,
							met: !pairRuns.some((r) => r.failed) && pairRuns.every((r) => r.lost === 0),
						},
					],
				},
				{
					id: '3n',
					label: 'Register 100,000 in n8n',
					title: `Register interest, 100,000 IDs as 100,000 items, inside n8n ${N8N_VERSION}: time and memory`,
					rows: [row(large, largeRun, registerLimit(LARGE_N, 20))],
					notes: [
						env,
						`Peak RSS added: the most resident memory the n8n process gained while the node ran over what it held just before (sampled every 25 ms from /proc); it includes n8n's own copies of the 100,000 output items.`,
						describeRun(large, largeRun),
						perItemGrowth === undefined ? 'Growth per item: not available.' : `Time per item at 100,000 items is ${perItemGrowth.toFixed(2)}× that at 10,000 items (1.00 = linear).`,
					],
					targets: [
						{
							target: '100,000 items: node time ≤ 10 s, growing linearly (per item ≤ 1.5 × that at 10,000)',
							actual: `${formatMs(largeRun.nodeMs)}, ${perItemGrowth === undefined ? '—' : `${perItemGrowth.toFixed(2)}×`} per item; peak RSS added ${formatMb(largeRun.peakRssAddedBytes)}`,
							met: largeRun.failure ? false : (largeRun.nodeMs ?? Infinity) <= 10_000 && (perItemGrowth ?? Infinity) <= 1.5,
						},
					],
				},
			];
		} finally {
			await sim.close();
			await n8n.dispose();
			packed.cleanup();
		}
	},
};
