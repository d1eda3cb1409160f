import { DEFAULT_CONCURRENCY } from '../../nodes/Symphony/actions/presence/get.operation';
import { DEFAULT_REQUESTS_PER_SECOND } from '../../nodes/Symphony/transport/pacing';
import { chain } from '../../test/harness';
import { PER_ITEM_REQUEST_TYPE, type Pacing } from '../benchNodes';
import { POD_THROTTLE_PER_SECOND, internalUsers, userIds } from '../fixtures';
import {
	benchHarness,
	runJobOnPod,
	runWorkflow,
	runWorkflowMeasured,
	startBenchPod,
	type Job,
} from '../job';
import { failureNote, formatMs, podRow, type Row, type Scenario, type ScenarioReport } from '../report';
import { READ_USER_ID_JOB } from './readParameter';

/**
 * Scenario 2: read the presence of 1,000 users at 20 ms latency. One request per user is the
 * API's shape, so the node's gain is pacing: as fast as the pod allows, never beyond.
 * The users are colleagues on the bot's pod: Symphony's one-read-per-5-minutes rule concerns
 * external users only, so this measures throughput alone.
 */

const N = 1000;
const LATENCY_MS = 20;
const WARM_UP_ITEMS = 20;
/** Items the one-at-a-time baseline runs unless asked for a full run. */
const SEQUENTIAL_SAMPLE = 250;

function items(count: number): Array<{ userId: string }> {
	return userIds(count).map((userId) => ({ userId }));
}

function packageWorkflow(count: number) {
	return chain([{ name: 'Get', parameters: { resource: 'presence', operation: 'get', options: {} } }], items(count));
}

function baselineWorkflow(podUrl: string, pacing: Pacing, count: number) {
	return chain(
		[
			{
				name: 'HTTP Request',
				type: PER_ITEM_REQUEST_TYPE,
				parameters: { method: 'GET', url: `=${podUrl}/pod/v3/user/{{ $json.userId }}/presence`, pacing },
			},
		],
		items(count),
	);
}

export const jobs: Record<string, Job> = {
	'getPresence.package': {
		async warmUp({ podUrl }) {
			await runWorkflow(benchHarness(podUrl), packageWorkflow(WARM_UP_ITEMS));
		},
		async run({ podUrl, params }) {
			const result = await runWorkflowMeasured(benchHarness(podUrl), packageWorkflow(params.n as number), 'Get');
			return result;
		},
	},
	'getPresence.baseline': {
		async warmUp({ podUrl }) {
			await runWorkflow(benchHarness(podUrl), baselineWorkflow(podUrl, 'allAtOnce', WARM_UP_ITEMS));
		},
		async run({ podUrl, params }) {
			return await runWorkflowMeasured(
				benchHarness(podUrl),
				baselineWorkflow(podUrl, params.pacing as Pacing, params.n as number),
				'HTTP Request',
			);
		},
	},
};

export const scenario: Scenario = {
	id: '2',
	title: 'Get presence for 1,000 users, 20 ms latency',
	async run(options): Promise<ScenarioReport> {
		const sim = await startBenchPod(internalUsers(userIds(N)), LATENCY_MS);
		try {
			// The pod's throttle bounds every approach that gets all its answers; the node's own ceiling is below it.
			const limitMs = (N / POD_THROTTLE_PER_SECOND) * 1000 + LATENCY_MS;
			const ceilingMs = (N / DEFAULT_REQUESTS_PER_SECOND) * 1000;
			const node = await runJobOnPod(sim, 'getPresence.package', { n: N });
			const readParameter = await runJobOnPod(sim, READ_USER_ID_JOB, { n: N });
			const mayFail = { mustSucceed: false };
			const allAtOnce = await runJobOnPod(sim, 'getPresence.baseline', { n: N, pacing: 'allAtOnce' }, mayFail);
			const sampleOf = options.full ? N : SEQUENTIAL_SAMPLE;
			const sequential = await runJobOnPod(sim, 'getPresence.baseline', { n: sampleOf, pacing: 'oneAtATime' }, mayFail);

			const baselineMs = allAtOnce.result.failure ? undefined : allAtOnce.result.wallMs;
			const scaled = { n: N, baselineMs, limitMs };
			const rows: Row[] = [
				podRow(`Symphony node: Get, defaults (${DEFAULT_REQUESTS_PER_SECOND} requests/s, up to ${DEFAULT_CONCURRENCY} in flight)`, node, scaled),
				podRow('Baseline: request per item, all at once (HTTP Request defaults)', allAtOnce, scaled),
				podRow('Baseline: request per item, one at a time (Loop Over Items)', sequential, { ...scaled, sampleOf }),
			];
			const nodeMs = node.result.wallMs;
			const limitRatio = nodeMs / limitMs;
			const count = (value: number) => value.toLocaleString('en-US');
			const notes = [
				`Physical limit: ${count(N)} requests at Symphony's ${POD_THROTTLE_PER_SECOND} per second + one round trip = ${formatMs(limitMs)}. The all-at-once baseline ignores the throttle (this pod does not enforce it), so it can beat this limit; the real-n8n scenario 2n runs against a pod that does.`,
				`Symphony node: ${count(node.requests.length)} requests (${node.failedRequests} failed), ${count(node.result.outputItems ?? 0)} output items; on average ${(node.requests.length / (nodeMs / 1000)).toFixed(0)} requests/s, at most ${node.peakPerSecond} within one second. Requests are paced at ${DEFAULT_REQUESTS_PER_SECOND} per second, so the time is set by the ceiling, not by the latency. Evaluating {{ $json.userId }} the n8n way for the ${count(N)} items would cost ${formatMs(readParameter.result.wallMs)} (measured with a node that only reads it); the node reads that field directly.`,
				`Rate policy: Symphony throttles at ${POD_THROTTLE_PER_SECOND} requests per second per source IP; the simulator does not enforce it, so the rates here are what each approach sends. The one-read-per-5-minutes rule applies to external users only; these users are internal.`,
				failureNote('Baseline all at once', allAtOnce) ??
					`Baseline all at once: ${count(allAtOnce.requests.length)} requests (${allAtOnce.failedRequests} failed), at most ${count(allAtOnce.peakPerSecond)} within one second${allAtOnce.peakPerSecond > POD_THROTTLE_PER_SECOND ? ': above the throttle, so a real pod would refuse part of them with 429' : ''}.`,
				failureNote('Baseline one at a time', sequential) ??
					(sampleOf === N
						? `Baseline one at a time: measured over all ${count(N)} items, at most ${sequential.peakPerSecond} requests within one second.`
						: `Baseline one at a time: MEASURED over the first ${sampleOf} items (${formatMs(sequential.result.wallMs)}, ${sequential.requests.length} requests) and EXTRAPOLATED ×${N / sampleOf} to ${count(N)} items; \`npm run bench -- --full\` measures all of them.`),
			];
			return {
				id: '2',
				label: 'Get presence',
				title: this.title,
				rows,
				notes,
				targets: [
					{
						target: `wall time ≤ 1.3 × ${count(N)} / the ceiling (${DEFAULT_REQUESTS_PER_SECOND}/s) = ${formatMs(1.3 * ceilingMs)}`,
						actual: `${formatMs(nodeMs)} = ${(nodeMs / ceilingMs).toFixed(2)} × ${formatMs(ceilingMs)} (${limitRatio.toFixed(2)}× the physical limit)`,
						met: nodeMs <= 1.3 * ceilingMs,
					},
					{
						target: `requests per second within Symphony's throttle (${POD_THROTTLE_PER_SECOND}/s)`,
						actual: `at most ${node.peakPerSecond} within one second`,
						met: node.peakPerSecond <= POD_THROTTLE_PER_SECOND,
					},
				],
			};
		} finally {
			await sim.close();
		}
	},
};
