import { DEFAULT_BATCH_SIZE } from '../../nodes/Symphony/actions/presence/registerInterest.operation';
import { chain } from '../../test/harness';
import { PER_ITEM_REQUEST_TYPE, type Pacing } from '../benchNodes';
import { BENCH_CALLER_ID, POD_THROTTLE_PER_SECOND, externalUsers, userIds } from '../fixtures';
import {
	benchHarness,
	runJobOnPod,
	runWorkflow,
	runWorkflowMeasured,
	startBenchPod,
	type Job,
	type JobContext,
} from '../job';
import { READ_USER_ID_JOB } from './readParameter';
import { failureNote, formatMs, podRow, type Row, type Scenario, type ScenarioReport, type TargetCheck } from '../report';

/**
 * Scenario 1: register interest in 10,000 users arriving as 10,000 items, at 20 ms latency.
 * The package combines the items' IDs and sends them in batches; the baselines send one request
 * per item, as the HTTP Request node does.
 */

const N = 10_000;
const LATENCY_MS = 20;
const WARM_UP_ITEMS = 50;
/** Items the one-at-a-time baseline runs unless asked for a full run (all 10,000 take over 200 s). */
const SEQUENTIAL_SAMPLE = 500;
const REGISTER_PATH = '/pod/v1/user/presence/register';
const MAPPED_USER_ID = '={{ $json.userId }}';

function items(count: number): Array<{ userId: string }> {
	return userIds(count).map((userId) => ({ userId }));
}

function packageWorkflow(count: number) {
	return chain(
		[{ name: 'Register Interest', parameters: { resource: 'presence', operation: 'registerInterest', userIds: MAPPED_USER_ID, options: {} } }],
		items(count),
	);
}

function baselineWorkflow(podUrl: string, params: JobContext['params'], count: number) {
	return chain(
		[
			{
				name: 'HTTP Request',
				type: PER_ITEM_REQUEST_TYPE,
				parameters: {
					method: 'POST',
					url: `${podUrl}${REGISTER_PATH}`,
					jsonBody: '=[{{ $json.userId }}]',
					pacing: params.pacing as Pacing,
					batchSize: (params.batchSize as number | undefined) ?? 50,
					batchInterval: (params.batchInterval as number | undefined) ?? 1000,
				},
			},
		],
		items(count),
	);
}

export const jobs: Record<string, Job> = {
	'registerInterest.package': {
		async warmUp({ podUrl }) {
			await runWorkflow(benchHarness(podUrl), packageWorkflow(WARM_UP_ITEMS));
		},
		async run({ podUrl, params }) {
			return await runWorkflowMeasured(benchHarness(podUrl), packageWorkflow(params.n as number), 'Register Interest');
		},
	},
	'registerInterest.baseline': {
		async warmUp({ podUrl }) {
			await runWorkflow(benchHarness(podUrl), baselineWorkflow(podUrl, { pacing: 'allAtOnce' }, WARM_UP_ITEMS));
		},
		async run({ podUrl, params }) {
			return await runWorkflowMeasured(benchHarness(podUrl), baselineWorkflow(podUrl, params, params.n as number), 'HTTP Request');
		},
	},
};

export const scenario: Scenario = {
	id: '1',
	title: 'Register interest, 10,000 IDs as 10,000 items, 20 ms latency',
	async run(options): Promise<ScenarioReport> {
		const sim = await startBenchPod(externalUsers(userIds(N)), LATENCY_MS);
		try {
			const rounds = Math.ceil(N / DEFAULT_BATCH_SIZE);
			const limitMs = rounds * LATENCY_MS;
			const node = await runJobOnPod(sim, 'registerInterest.package', { n: N });
			const registered = sim.interest.get(BENCH_CALLER_ID)?.size ?? 0;
			const readParameter = await runJobOnPod(sim, READ_USER_ID_JOB, { n: N });
			const mayFail = { mustSucceed: false };
			const allAtOnce = await runJobOnPod(sim, 'registerInterest.baseline', { n: N, pacing: 'allAtOnce' }, mayFail);
			const paced = await runJobOnPod(
				sim,
				'registerInterest.baseline',
				{ n: N, pacing: 'batched', batchSize: POD_THROTTLE_PER_SECOND, batchInterval: 1000 },
				mayFail,
			);
			const sampleOf = options.full ? N : SEQUENTIAL_SAMPLE;
			const sequential = await runJobOnPod(sim, 'registerInterest.baseline', { n: sampleOf, pacing: 'oneAtATime' }, mayFail);

			const baselineMs = allAtOnce.result.failure ? undefined : allAtOnce.result.wallMs;
			const scaled = { n: N, baselineMs, limitMs };
			const rows: Row[] = [
				podRow(`Symphony node: Register Interest, batch size ${DEFAULT_BATCH_SIZE.toLocaleString('en-US')}`, node, scaled),
				podRow('Baseline: request per item, all at once (HTTP Request defaults)', allAtOnce, scaled),
				podRow(`Baseline: request per item, batches of ${POD_THROTTLE_PER_SECOND} every 1 s (HTTP Request Batching)`, paced, scaled),
				podRow('Baseline: request per item, one at a time (Loop Over Items)', sequential, { ...scaled, sampleOf }),
			];
			const [, allAtOnceRow, pacedRow, sequentialRow] = rows;
			const nodeMs = node.result.wallMs;
			const count = (value: number) => value.toLocaleString('en-US');
			const comparisons: Array<[Row, string]> = [
				[allAtOnceRow, 'all at once'],
				[pacedRow, 'batches every 1 s'],
				[sequentialRow, 'one at a time'],
			];

			const notes = [
				`Physical limit: ⌈${count(N)} / ${count(DEFAULT_BATCH_SIZE)}⌉ = ${rounds} round trips × ${LATENCY_MS} ms = ${formatMs(limitMs)}. "vs baseline" compares with the fastest baseline (all at once). Wall time is n8n's execution time of the node under test; the Start and input nodes are left out (the same for all).`,
				`Symphony node: ${node.requests.length} requests (${node.failedRequests} failed), ${count(registered)} users registered on the pod, ${count(node.result.outputItems ?? 0)} output items. Where its ${formatMs(nodeMs)} go: ${formatMs(limitMs)} on the wire (${rounds} round trips, one after the other), the rest in the package (which reads {{ $json.userId }} directly from each item; evaluating it the n8n way would cost ${formatMs(readParameter.result.wallMs)}, measured in this run with a node that only reads that parameter) and in n8n handling the output items.`,
				failureNote('Baseline all at once', allAtOnce) ??
					`Baseline all at once: ${count(allAtOnce.requests.length)} requests (${allAtOnce.failedRequests} failed), up to ${count(allAtOnce.peakPerSecond)} within one second. Symphony throttles at ${POD_THROTTLE_PER_SECOND} requests per second per source IP, so a real pod would answer most of them with 429, which the HTTP Request node does not retry by default. The simulator does not throttle: this baseline is measured at its fastest.`,
				failureNote(`Baseline in batches of ${POD_THROTTLE_PER_SECOND}`, paced) ??
					`Baseline in batches of ${POD_THROTTLE_PER_SECOND} every 1 s (the Batching option set for that throttle): up to ${paced.peakPerSecond} requests within one second${paced.peakPerSecond > POD_THROTTLE_PER_SECOND ? ' (a batch takes time to send and the interval starts after it, so two batches can fall within one second)' : ''}.`,
				failureNote('Baseline one at a time', sequential) ??
					(sampleOf === N
						? `Baseline one at a time: measured over all ${count(N)} items.`
						: `Baseline one at a time: MEASURED over the first ${sampleOf} items (${formatMs(sequential.result.wallMs)}, ${sequential.requests.length} requests) and EXTRAPOLATED ×${N / sampleOf} to ${count(N)} items; \`npm run bench -- --full\` measures all of them.`),
				`Symphony node against each baseline: ${comparisons
					.map(([row, label]) => (row.wallMs === undefined ? `no figure for ${label}` : `${(row.wallMs / nodeMs).toFixed(1)}× faster than ${label}`))
					.join(', ')}; ${Math.round(N / Math.max(1, node.requests.length))}× fewer requests.`,
			];
			const ratioTarget = (label: string, row: Row): TargetCheck => {
				if (row.wallMs === undefined) {
					return { target: `wall time ≤ 1/20 of the baseline (${label})`, actual: 'no baseline figure', met: undefined, reason: 'the baseline run failed, see the details' };
				}
				const ratio = nodeMs / row.wallMs;
				return {
					target: `wall time ≤ 1/20 of the baseline (${label})`,
					actual: `${formatMs(nodeMs)} vs ${formatMs(row.wallMs)}${row.basis === 'extrapolated' ? ' (extrapolated)' : ''} = 1/${(1 / ratio).toFixed(1)}`,
					met: ratio <= 1 / 20,
					reason:
						ratio <= 1 / 20
							? undefined
							: `${row === allAtOnceRow ? `with no throttle, 10,000 parallel requests take only ${formatMs(row.wallMs)} on loopback; ` : ''}of the node's ${formatMs(nodeMs)}, ${formatMs(limitMs)} is on the wire; the baselines pay ${formatMs(readParameter.result.wallMs)} for n8n evaluating the mapped parameter for each item`,
				};
			};
			return {
				id: '1',
				label: 'Register interest',
				title: this.title,
				rows,
				notes,
				targets: [
					{ target: '≤ 10 requests', actual: `${node.requests.length} requests`, met: node.requests.length <= 10 },
					ratioTarget('all at once, the fastest', allAtOnceRow),
					ratioTarget(`batches of ${POD_THROTTLE_PER_SECOND} every 1 s`, pacedRow),
					ratioTarget('one at a time', sequentialRow),
				],
			};
		} finally {
			await sim.close();
		}
	},
};
