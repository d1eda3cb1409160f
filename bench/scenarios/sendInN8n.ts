/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development code: runs in Node, never packed */
import * as fs from 'node:fs';

import { ADAPTIVE_CEILING_PER_SECOND, ADAPTIVE_START_PER_SECOND, DEFAULT_REQUESTS_PER_SECOND } from '../../nodes/Symphony/transport/pacing';
import { N8n } from '../../test/e2e/n8n';
import { buildAndPack } from '../../test/e2e/pack';
import { ensureRuntime, N8N_VERSION } from '../../test/e2e/runtime';
import { chain, symphonyNode, type CredentialRef, type NodeSpec, type Workflow } from '../../test/e2e/workflows';
import { DEFAULT_KEY_MANAGER_TOKEN, simMessagingOf } from '../../test/simulator/routes/messages';
import { BENCH_CALLER_ID, BENCH_TOKEN, POD_THROTTLE_PER_SECOND } from '../fixtures';
import { startBenchPod } from '../job';
import { peakInWindow } from '../measure';
import { formatMs, type Row, type Scenario, type ScenarioReport, type TargetCheck } from '../report';
import { executeToFile } from './realN8n';

/**
 * Message → Send inside n8n 2.41.1, against n8n's HTTP Request node sending the same messages by
 * hand (multipart/form-data, Header Auth with the session token, the key manager token as a
 * header, the text escaped to MessageML in an expression). 1,000 items, each one message to one of
 * 50 rooms (item i to room i mod 50), the Agent at 20 ms, the pod throttling at 400 requests per
 * second. Counted at the simulator: requests, 429s, messages lost (never stored), posted twice,
 * and stored out of item order within a room.
 */

const N = 1000;
const ROOMS = 50;
const LATENCY_MS = 20;
const SYMPHONY_CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'benchSendSymphony', name: 'Symphony (bench pod)' };
const HEADER_CREDENTIAL: CredentialRef = { type: 'httpHeaderAuth', id: 'benchSendHeaderAuth', name: 'Header Auth (bench pod)' };

/** Room stream IDs, URL-safe, fixed so every run sends to the same rooms. */
const roomIds = Array.from({ length: ROOMS }, (_, i) => `benchRoom${String(i).padStart(4, '0')}AAAAAAAAAAAAAAAAAAAAA`);

/** A Code node emitting the items: the order number and its room. */
const itemsNode: NodeSpec = {
	name: 'Items',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	parameters: { jsCode: `const rooms = ${JSON.stringify(roomIds)};\nreturn Array.from({ length: ${N} }, (_, i) => ({ json: { n: i + 1, streamId: rooms[i % rooms.length] } }));` },
};

const textOf = (n: number | string) => `Order ${n} filled at 101.5 < limit & "firm"`;

type HttpPacing = 'defaults' | 'batching';

function httpRequestNode(agentUrl: string, pacing: HttpPacing): NodeSpec {
	return {
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `=${agentUrl}/agent/v4/stream/{{ $json.streamId }}/message/create`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'keyManagerToken', value: DEFAULT_KEY_MANAGER_TOKEN }] },
			sendBody: true,
			contentType: 'multipart-form-data',
			bodyParameters: {
				parameters: [
					{
						parameterType: 'formData',
						name: 'message',
						// Escaped by hand, as a user must: & < > " and the Freemarker markers.
						value: "={{ '<messageML>Order ' + $json.n + ' filled at 101.5 &lt; limit &amp; &quot;firm&quot;</messageML>' }}",
					},
				],
			},
			options: pacing === 'batching' ? { batching: { batch: { batchSize: POD_THROTTLE_PER_SECOND, batchInterval: 1000 } } } : {},
		},
		credentials: { httpHeaderAuth: { id: HEADER_CREDENTIAL.id, name: HEADER_CREDENTIAL.name } },
	};
}

interface Variant {
	id: string;
	label: string;
	nodeName: string;
	workflow: Workflow;
}

interface SendRun {
	nodeMs?: number;
	failure?: string;
	requests: number;
	tooMany: number;
	lost: number;
	duplicated: number;
	outOfOrder: number;
	peakPerSecond: number;
}

export const scenario: Scenario = {
	id: 's',
	title: `Message → Send, 1,000 messages inside n8n ${N8N_VERSION}, against a pod throttling at ${POD_THROTTLE_PER_SECOND} requests/s`,
	optOut: { flag: 'in-process-only', why: 'it runs the real n8n application (the e2e runtime), about 2 minutes on 2 cores' },
	async run(): Promise<ScenarioReport> {
		const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
		const runtime = await ensureRuntime();
		const packed = await buildAndPack(log);
		const n8n = new N8n(runtime);
		const sim = await startBenchPod([], LATENCY_MS, POD_THROTTLE_PER_SECOND);
		const messaging = simMessagingOf(sim);
		try {
			n8n.installPackage(packed.tarball);
			await n8n.importCredentials([
				{ ...SYMPHONY_CREDENTIAL, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: BENCH_TOKEN, keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN } },
				{ ...HEADER_CREDENTIAL, data: { name: 'sessionToken', value: BENCH_TOKEN } },
			]);
			const send = symphonyNode('Send', { resource: 'message', operation: 'send', streamId: '={{ $json.streamId }}', text: "={{ 'Order ' + $json.n + ' filled at 101.5 < limit & \"firm\"' }}" }, SYMPHONY_CREDENTIAL);
			const variants: Variant[] = [
				{ id: 'SendSymphony', label: 'Symphony: Message → Send, defaults', nodeName: 'Send', workflow: chain('benchSendSymphony', 'Bench send', [itemsNode, send]) },
				...(['defaults', 'batching'] as HttpPacing[]).map((pacing) => ({
					id: `SendHttp${pacing}`,
					label: `HTTP Request node 4.2, multipart by hand, ${pacing === 'defaults' ? 'defaults (all at once)' : `batching ${POD_THROTTLE_PER_SECOND} every 1 s`}`,
					nodeName: 'HTTP Request',
					workflow: chain(`benchSendHttp${pacing}`, `Bench send HTTP ${pacing}`, [itemsNode, httpRequestNode(sim.url, pacing)]),
				})),
			];
			const file = `${n8n.userFolder}/bench-send-workflows.json`;
			fs.writeFileSync(file, JSON.stringify(variants.map((v) => v.workflow)));
			const imported = await n8n.run(['import:workflow', `--input=${file}`]);
			if (imported.code !== 0) throw new Error(`n8n import:workflow failed:\n${imported.output.slice(-2000)}`);

			const runs = new Map<Variant, SendRun>();
			for (const variant of variants) {
				// Fresh rooms for each variant: what is stored afterwards is exactly what it sent.
				messaging.messages.clear();
				for (const id of roomIds) messaging.addStream({ id, type: 'ROOM', members: [BENCH_CALLER_ID] });
				sim.clearLog();
				log(`n8n: ${variant.label}, ${N} messages over ${ROOMS} rooms, ${LATENCY_MS} ms`);
				const result = await executeToFile(runtime, n8n, variant.workflow.id, () => undefined);
				const task = result.run?.data.resultData.runData[variant.nodeName]?.[0] as { executionTime?: number } | undefined;
				const error = result.run?.data.resultData.error;
				const sends = sim.requests.filter((r) => r.path.endsWith('/message/create'));
				const stored = messaging.allMessages();
				const numbers = stored.map((m) => /^Order (\d+) /.exec(m.text)?.[1]);
				const distinct = new Set(numbers);
				let outOfOrder = 0;
				for (const id of roomIds) {
					const order = messaging.messagesIn(id).map((m) => Number(/^Order (\d+) /.exec(m.text)?.[1]));
					for (let i = 1; i < order.length; i++) if (order[i] < order[i - 1]) outOfOrder++;
				}
				const wrongText = stored.filter((m) => m.text !== textOf(/^Order (\d+) /.exec(m.text)?.[1] ?? '?')).length;
				const run: SendRun = {
					nodeMs: task?.executionTime,
					failure: result.run?.status === 'success' ? undefined : error ? `${error.name}: ${error.message}` : `n8n exited ${result.code}: ${result.tail}`,
					requests: sends.length,
					tooMany: sends.filter((r) => r.status === 429).length,
					lost: N - distinct.size,
					duplicated: stored.length - distinct.size,
					outOfOrder,
					peakPerSecond: peakInWindow(sends.map((r) => r.at)),
				};
				if (wrongText > 0) run.failure = `${run.failure ?? ''} ${wrongText} messages arrived with a text other than typed`.trim();
				runs.set(variant, run);
				log(`  ${formatMs(run.nodeMs)}; ${describe(variant, run)}`);
			}

			const ceilingMs = (N / DEFAULT_REQUESTS_PER_SECOND) * 1000;
			const rows: Row[] = variants.map((variant) => {
				const run = runs.get(variant)!;
				return {
					variant: variant.label,
					n: N,
					requests: run.requests,
					wallMs: run.nodeMs,
					basis: run.failure ? 'failed' : 'measured',
					limitRatio: run.nodeMs === undefined ? undefined : run.nodeMs / ((N / POD_THROTTLE_PER_SECOND) * 1000 + LATENCY_MS),
					tooManyRequests: run.tooMany,
					itemsLost: run.lost,
				};
			});
			const ours = runs.get(variants[0])!;
			const targets: TargetCheck[] = [
				{
					target: `Send, 1,000 messages over ${ROOMS} rooms, ${LATENCY_MS} ms: 0 lost, 0 posted twice, 0 out of item order within a room, 0 × 429`,
					actual: `${ours.lost} lost, ${ours.duplicated} twice, ${ours.outOfOrder} out of order, ${ours.tooMany} × 429`,
					met: ours.failure === undefined && ours.lost === 0 && ours.duplicated === 0 && ours.outOfOrder === 0 && ours.tooMany === 0,
				},
				{
					target: `Send node time ≤ 1.3 × 1,000 / ${DEFAULT_REQUESTS_PER_SECOND} per s (the default pace) = ${formatMs(1.3 * ceilingMs)}`,
					actual: `${formatMs(ours.nodeMs)} (${ours.nodeMs === undefined ? '—' : (ours.nodeMs / ceilingMs).toFixed(2)} × ${formatMs(ceilingMs)})`,
					met: ours.failure === undefined && (ours.nodeMs ?? Infinity) <= 1.3 * ceilingMs,
				},
			];
			return {
				id: '4n',
				label: 'Send messages in n8n',
				title: `Message → Send, 1,000 items over ${ROOMS} rooms, inside n8n ${N8N_VERSION}, ${LATENCY_MS} ms, pod throttled at ${POD_THROTTLE_PER_SECOND}/s`,
				rows,
				notes: [
					`n8n ${N8N_VERSION}, Node ${runtime.nodeVersion}; each workflow ran once with \`n8n execute\`: Manual Trigger → Code (the items) → the node. Node time is the node's executionTime in n8n's run data; "limit" is 1,000 requests at ${POD_THROTTLE_PER_SECOND} per second + one round trip.`,
					`The Symphony node sends up to 16 at once across rooms, one after the other within a room, at its adaptive pace (${ADAPTIVE_START_PER_SECOND} per second rising to ${ADAPTIVE_CEILING_PER_SECOND}); a 429 is retried (it proves the message was not processed).`,
					...variants.map((variant) => describe(variant, runs.get(variant)!)),
				],
				targets,
			};
		} finally {
			await sim.close();
			await n8n.dispose();
			packed.cleanup();
		}
	},
};

function describe(variant: Variant, run: SendRun): string {
	const what = `${variant.label}: ${run.requests.toLocaleString('en-US')} requests (at most ${run.peakPerSecond} within one second), ${run.tooMany} × 429, ${run.lost} lost, ${run.duplicated} posted twice, ${run.outOfOrder} out of item order within a room`;
	return run.failure ? `${what}; the execution FAILED: ${run.failure.slice(0, 300)}` : `${what}.`;
}
