import { DEFAULT_BATCH_SIZE } from '../../nodes/Symphony/actions/presence/registerInterest.operation';
import { ItemFailure, readEachItem } from '../../nodes/Symphony/actions/itemRunner';
import { chain } from '../../test/harness';
import { chunk, mergeWithSources } from '../../nodes/Symphony/helpers/batching';
import { parseUserIds, userIdsToJsonArray } from '../../nodes/Symphony/helpers/userIds';
import { externalUsers, idsWithRepeats, userIds } from '../fixtures';
import { benchHarness, runJobOnPod, runWorkflow, runWorkflowMeasured, startBenchPod, type Job } from '../job';
import { measure, median } from '../measure';
import { formatMb, formatMs, type Row, type Scenario, type ScenarioReport } from '../report';
import { READ_USER_ID_JOB } from './readParameter';

/**
 * Scenario 3: what the node itself costs for 100,000 IDs with no network: validating them,
 * de-duplicating them (remembering which items named each) and cutting them into request bodies.
 * Measured on the package's own helpers, called as Register Interest calls them, and then in a
 * real execution whose requests go to the simulator at 0 ms latency.
 */

const N = 100_000;
const UNIQUE = 80_000;
/** IDs per item when they arrive as pasted text: the most one field accepts. */
const IDS_PER_TEXT_ITEM = 10_000;
const TIMED_RUNS = 7;
const PER_THOUSAND = N / 1000;
const TARGET_MS_PER_THOUSAND = 5;
const TARGET_PEAK_BYTES = 100 * 1024 * 1024;

type Shape = 'items' | 'text';

/** Each item's User IDs value: one ID per item, or comma-separated text of 10,000 IDs per item. */
function inputValues(shape: Shape): string[] {
	const ids = idsWithRepeats(N, UNIQUE);
	if (shape === 'items') return ids;
	return chunk(ids, IDS_PER_TEXT_ITEM).map((part) => part.join(', '));
}

/** The Register Interest path up to the wire: per-item parsing, merging with sources, batches, bodies. */
function prepareRegistration(values: readonly unknown[]) {
	const perItem = readEachItem(values.length, (i) => parseUserIds('User IDs', values[i]));
	const { values: unique, sources } = mergeWithSources(perItem.map((ids) => (ids instanceof ItemFailure ? undefined : ids)));
	const bodies = chunk(unique, DEFAULT_BATCH_SIZE).map(userIdsToJsonArray);
	return { unique: unique.length, sources, bodies };
}

function executionWorkflow(count: number) {
	return chain(
		[{ name: 'Register Interest', parameters: { resource: 'presence', operation: 'registerInterest', userIds: '={{ $json.userId }}', options: {} } }],
		idsWithRepeats(N, UNIQUE)
			.slice(0, count)
			.map((userId) => ({ userId })),
	);
}

export const jobs: Record<string, Job> = {
	'nodeOverhead.helpers': {
		async run({ params }) {
			const values = inputValues(params.shape as Shape);
			// Warm-up: let the JIT compile the path on the real data.
			for (let i = 0; i < 3; i++) prepareRegistration(values);
			const times: number[] = [];
			let checked = { unique: 0, batches: 0 };
			for (let i = 0; i < TIMED_RUNS; i++) {
				const { value, wallMs } = await measure(() => prepareRegistration(values));
				times.push(wallMs);
				checked = { unique: value.unique, batches: value.bodies.length };
			}
			// Memory on its own run, the result held until the end as the operation holds it.
			const { peakHeapAddedBytes } = await measure(() => prepareRegistration(values));
			return {
				wallMs: median(times),
				peakHeapAddedBytes,
				extra: { minMs: Math.min(...times), maxMs: Math.max(...times), runs: TIMED_RUNS, items: values.length, ...checked },
			};
		},
	},
	'nodeOverhead.execution': {
		async warmUp({ podUrl }) {
			await runWorkflow(benchHarness(podUrl), executionWorkflow(1000));
		},
		async run({ podUrl }) {
			return await runWorkflowMeasured(benchHarness(podUrl), executionWorkflow(N), 'Register Interest');
		},
	},
};

export const scenario: Scenario = {
	id: '3',
	title: 'Node-side overhead for 100,000 IDs, no network',
	async run(): Promise<ScenarioReport> {
		const sim = await startBenchPod(externalUsers(userIds(UNIQUE)), 0);
		try {
			const asItems = await runJobOnPod(sim, 'nodeOverhead.helpers', { shape: 'items' });
			const asText = await runJobOnPod(sim, 'nodeOverhead.helpers', { shape: 'text' });
			const execution = await runJobOnPod(sim, 'nodeOverhead.execution', {});
			const readParameter = await runJobOnPod(sim, READ_USER_ID_JOB, { n: N });

			const perThousand = (ms: number) => `${(ms / PER_THOUSAND).toFixed(2)} ms per 1,000 IDs`;
			const helperRow = (variant: string, m: typeof asItems): Row => ({
				variant: `${variant}: ${perThousand(m.result.wallMs)}`,
				n: N,
				requests: m.requests.length,
				wallMs: m.result.wallMs,
				basis: 'measured',
				peakHeapAddedBytes: m.result.peakHeapAddedBytes,
			});
			const rows: Row[] = [
				helperRow('Package helpers, 100,000 items of 1 ID', asItems),
				helperRow('Package helpers, 10 items of 10,000 IDs as text', asText),
				{
					variant: `Real execution, Register Interest, 0 ms latency: ${perThousand(execution.result.wallMs)}`,
					n: N,
					requests: execution.requests.length,
					wallMs: execution.result.wallMs,
					basis: 'measured',
					peakHeapAddedBytes: execution.result.peakHeapAddedBytes,
				},
			];
			const extra = (m: typeof asItems) => m.result.extra ?? {};
			const notes = [
				`Input: ${N.toLocaleString('en-US')} ID values, ${UNIQUE.toLocaleString('en-US')} distinct (the rest repeats spread through the list). The helpers are the ones Register Interest calls, in its order: parse and validate each item's value (readEachItem + parseUserIds), merge and de-duplicate keeping the items that named each ID (mergeWithSources), cut into batches of ${DEFAULT_BATCH_SIZE.toLocaleString('en-US')} and write each body as exact digits (chunk + userIdsToJsonArray). No network.`,
				`Helpers, items of 1 ID: median of ${extra(asItems).runs} runs ${formatMs(asItems.result.wallMs)} (min ${formatMs(Number(extra(asItems).minMs))}, max ${formatMs(Number(extra(asItems).maxMs))}); ${Number(extra(asItems).unique).toLocaleString('en-US')} distinct IDs in ${extra(asItems).batches} bodies.`,
				`Helpers, text: median of ${extra(asText).runs} runs ${formatMs(asText.result.wallMs)} (min ${formatMs(Number(extra(asText).minMs))}, max ${formatMs(Number(extra(asText).maxMs))}); ${Number(extra(asText).unique).toLocaleString('en-US')} distinct IDs in ${extra(asText).batches} bodies.`,
				`Peak heap added: the most V8 heap in use above the level before the run (exact, read at every garbage collection). For the real execution it includes n8n's own copies of the 100,000 input and output items.`,
				`Real execution: ${execution.requests.length} requests to the simulator at 0 ms latency (${execution.failedRequests} failed), ${execution.result.outputItems?.toLocaleString('en-US')} output items. The node reads {{ $json.userId }} directly from each item; evaluating it the n8n way for the 100,000 items would cost ${formatMs(readParameter.result.wallMs)} (measured with a node that only reads it).`,
			];
			const itemsPerThousand = asItems.result.wallMs / PER_THOUSAND;
			const worstPeak = Math.max(asItems.result.peakHeapAddedBytes, asText.result.peakHeapAddedBytes);
			return {
				id: '3',
				label: 'Node-side overhead',
				title: this.title,
				rows,
				notes,
				targets: [
					{
						target: `< ${TARGET_MS_PER_THOUSAND} ms per 1,000 IDs`,
						actual: `${perThousand(asItems.result.wallMs)} (items of 1 ID), ${perThousand(asText.result.wallMs)} (text)`,
						met: Math.max(itemsPerThousand, asText.result.wallMs / PER_THOUSAND) < TARGET_MS_PER_THOUSAND,
					},
					{
						target: '< 100 MB peak added for 100,000 IDs',
						actual: `${formatMb(asItems.result.peakHeapAddedBytes)} (items of 1 ID), ${formatMb(asText.result.peakHeapAddedBytes)} (text)`,
						met: worstPeak < TARGET_PEAK_BYTES,
					},
				],
			};
		} finally {
			await sim.close();
		}
	},
};
