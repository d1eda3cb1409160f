/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets, @typescript-eslint/no-require-imports -- development code: runs in Node, never packed; its secrets are fakes for the simulator and the scripted model */
/**
 * The Symphony node as tools of n8n's AI Agent, in a real n8n 2.41.1: examples/presence-assistant.json
 * is imported as it is (its credentials set to the simulator and to the scripted model) and run with
 * `n8n execute`. The chat model is n8n's OpenAI Chat Model pointed, through its credential's Base
 * URL, at an OpenAI-compatible server on 127.0.0.1 that answers from a script (scriptedModel.ts).
 *
 * Checked at the scripted model: the tools the agent offered (our node names, our descriptions, the
 * `$fromAI` parameters as JSON schema) and the tool results it got back. Checked at the simulator:
 * exactly the requests the tool calls mean, with the right user IDs, and the messages sent.
 *
 * Without n8n's AI nodes (@n8n/n8n-nodes-langchain) in the runtime it is skipped with one line; on
 * 2.41.1 they are always there, and their absence fails the test.
 */
import * as fs from 'fs';
import * as path from 'path';

import { demoUsers, startSimulator, type PodSimulator } from '../simulator';
import { DEFAULT_KEY_MANAGER_TOKEN, DESK_ROOM_ID, simMessagingOf } from '../simulator/routes/messages';
import { N8n, nodeItems, runOutcome, type ExecuteResult, type N8nRun } from './n8n';
import { REPO_ROOT, buildAndPack, type Packed } from './pack';
import { N8N_2, ensureRuntime, type Runtime } from './runtime';
import { ScriptedModel, lastToolResults, messageText, type ChatRequest, type OfferedTool } from './scriptedModel';
import { manualVariant, readExample, type Workflow } from './workflows';

const SETUP_TIMEOUT_MS = 25 * 60 * 1000;
const SYMPHONY_CREDENTIAL = { type: 'symphonyApi', id: 'symphonyAgentE2e', name: 'Symphony (simulator token)' };
const OPENAI_CREDENTIAL = { type: 'openAiApi', id: 'openAiScriptedE2e', name: 'Scripted model (127.0.0.1)' };
const LANGCHAIN_PACKAGE = '@n8n/n8n-nodes-langchain';

const users = demoUsers();
const CAROL = users.find((user) => user.email === 'carol@globex.example')!; // another firm, connected, BUSY
const UNKNOWN_EMAIL = 'carol@globex-typo.example';
/** The question as the Symphony Trigger gives it: posted in the desk's room (the stream ID as Symphony's client shows it). */
const QUESTION = {
	streamId: Buffer.from(DESK_ROOM_ID, 'base64url').toString('base64'),
	text: 'Is carol@globex.example around? If she is, ask her to call me about the Globex bond.',
};

/** The example's tools: node name → what the model must see (n8n turns the name into the tool's name). */
const TOOLS = {
	'Find person by email': { resource: 'user', operation: 'get', parameters: ['email'] },
	'Register presence interest': { resource: 'presence', operation: 'registerInterest', parameters: ['emails'] },
	'Get presence by email': { resource: 'presence', operation: 'get', parameters: ['email'] },
	'Get connection by email': { resource: 'connection', operation: 'get', parameters: ['email'] },
	'Send message to person': { resource: 'message', operation: 'send', parameters: ['userId', 'text'] },
} as const;
type ToolNode = keyof typeof TOOLS;
/** n8n's nodeNameToToolName: every character outside [A-Za-z0-9_-] becomes `_`. */
const toolName = (node: ToolNode) => node.replace(/[^a-zA-Z0-9_-]+/g, '_');

let runtime: Runtime;
let sim: PodSimulator;
let model: ScriptedModel;
let n8n: N8n;
let packed: Packed | undefined;
let skipReason: string | undefined;
/** The example's AI Agent is version 2 (it opens in n8n 1.100 too); 3.1 is what 2.41.1 adds to a new workflow. */
const AGENT_VERSIONS = [2, 3.1];
/** The example as imported, per AI Agent version. */
const workflows = new Map<number, Workflow>();
let toolDescriptions: Record<string, Record<string, string>>;

function log(message: string): void {
	process.stderr.write(`[e2e ai agent] ${message}\n`);
}

beforeAll(async () => {
	const start = Date.now();
	runtime = await ensureRuntime(N8N_2);
	const langchain = path.join(runtime.n8nDir, 'node_modules', ...LANGCHAIN_PACKAGE.split('/'));
	if (!fs.existsSync(path.join(langchain, 'package.json'))) {
		if (runtime.n8nVersion === N8N_2.n8nVersion) throw new Error(`n8n ${runtime.n8nVersion} has no ${LANGCHAIN_PACKAGE} at ${langchain}`);
		skipReason = `n8n ${runtime.n8nVersion} has no AI nodes (${LANGCHAIN_PACKAGE})`;
		process.stdout.write(`[e2e ai agent] skipped: ${skipReason}\n`);
		return;
	}
	packed = await buildAndPack(log);
	// The descriptions the built package gives each operation as a tool (what the model must receive).
	const { TOOL_DESCRIPTIONS } = require(path.join(REPO_ROOT, 'dist', 'nodes', 'Symphony', 'descriptions', 'toolDescriptions.js')) as {
		TOOL_DESCRIPTIONS: Record<string, Record<string, string>>;
	};
	toolDescriptions = TOOL_DESCRIPTIONS;
	n8n = new N8n(runtime);
	n8n.installPackage(packed.tarball);
	sim = await startSimulator({ users });
	model = await ScriptedModel.start();
	await n8n.importCredentials([
		{
			...SYMPHONY_CREDENTIAL,
			data: { podUrl: sim.url, sessionKind: 'sessionToken', token: sim.token, keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN },
		},
		{ ...OPENAI_CREDENTIAL, data: { apiKey: 'sk-scripted-e2e-not-a-key', url: model.url } },
	]);
	// The example as users import it, with the credentials of this instance (the model by its ID, as the list is n8n's).
	for (const agentVersion of AGENT_VERSIONS) {
		const workflow = manualVariant(readExample('presence-assistant.json'), `e2eAiAgent${String(agentVersion).replace('.', '')}`, SYMPHONY_CREDENTIAL);
		for (const node of workflow.nodes) {
			// `n8n execute` cannot wait for a Symphony message: a Manual Trigger takes the trigger's place, and
			// *Incoming message* is given what the trigger's item would carry for the question in the desk's room.
			if (node.type === 'n8n-nodes-symphony.symphonyTrigger') {
				Object.assign(node, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
				delete node.credentials;
			}
			if (node.name === 'Incoming message') {
				const assignments = (node.parameters.assignments as { assignments: Array<{ name: string; value: string }> }).assignments;
				for (const assignment of assignments) {
					if (assignment.name === 'streamId') assignment.value = QUESTION.streamId;
					if (assignment.name === 'text') assignment.value = QUESTION.text;
				}
			}
			if (node.type === `${LANGCHAIN_PACKAGE}.lmChatOpenAi`) {
				node.credentials = { openAiApi: { id: OPENAI_CREDENTIAL.id, name: OPENAI_CREDENTIAL.name } };
				node.parameters = { ...node.parameters, model: { __rl: true, mode: 'id', value: 'scripted-model' } };
			}
			if (node.type === `${LANGCHAIN_PACKAGE}.agent`) node.typeVersion = agentVersion;
		}
		await n8n.importWorkflow(workflow);
		workflows.set(agentVersion, workflow);
	}
	log(`setup done in ${Math.round((Date.now() - start) / 1000)}s`);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
	await model?.close();
	await sim?.close();
	await n8n?.dispose();
	packed?.cleanup();
});

beforeEach(() => {
	sim?.clearLog();
	sim?.interest.clear();
	sim?.lastExternalQuery.clear();
});

function describeFailure(result: ExecuteResult): string {
	const error = result.run?.data.resultData.error;
	const problems = model.problems.length > 0 ? `\nscripted model: ${model.problems.join('; ')}` : '';
	return (error ? `${error.name}: ${error.message}` : result.output.slice(-3000)) + problems;
}

function expectSuccess(result: ExecuteResult): N8nRun {
	if (result.code !== 0 || !result.run || runOutcome(result.run) !== 'success') {
		throw new Error(`workflow did not succeed (exit ${result.code}, signal ${result.signal}): ${describeFailure(result)}`);
	}
	return result.run;
}

/** The tool results of a request, parsed (n8n hands the model the tool's items as a JSON array). */
function toolResults(request: ChatRequest): Array<{ toolCallId?: string; value: unknown }> {
	return lastToolResults(request).map((message) => {
		const text = messageText(message);
		let value: unknown = text;
		try {
			value = JSON.parse(text);
		} catch {
			// Left as text.
		}
		return { toolCallId: message.tool_call_id, value };
	});
}

/** The pod's requests other than the session reads, as "METHOD path body". */
function podRequests(): string[] {
	return sim.requests
		.filter((r) => !r.path.startsWith('/pod/v2/sessioninfo'))
		.map((r) => `${r.method} ${r.path}${Object.keys(r.query).length > 0 ? `?${new URLSearchParams(r.query).toString()}` : ''}${r.body ? ` ${r.body.length > 200 ? '(multipart)' : r.body}` : ''}`);
}

describe.each(AGENT_VERSIONS)('AI Agent %s with Symphony tools', (agentVersion) => {
	test('calls Symphony as tools: finds a person by email, registers interest, reads presence, sends a message; the reply goes to the same stream', async () => {
		if (skipReason) return;
		const messaging = simMessagingOf(sim);
		const deskBefore = messaging.messagesIn(DESK_ROOM_ID).length;
		const carolIm = messaging.imFor([sim.callerId, CAROL.id]);
		const imBefore = messaging.messagesIn(carolIm.id).length;
		let carolId: string | undefined;
		model.play([
			// 1. The question names Carol by email: look her up.
			() => ({ toolCalls: [{ name: toolName('Find person by email'), args: { email: CAROL.email } }] }),
			// 2. The lookup gave her userId; she is at another firm: register interest before reading.
			(request) => {
				const [result] = toolResults(request);
				const people = result?.value as Array<{ userId?: string; company?: string }>;
				carolId = people?.[0]?.userId;
				if (carolId === undefined) throw new Error(`the lookup result has no userId: ${JSON.stringify(result?.value)}`);
				return { toolCalls: [{ name: toolName('Register presence interest'), args: { emails: CAROL.email } }] };
			},
			// 3. Read her presence.
			() => ({ toolCalls: [{ name: toolName('Get presence by email'), args: { email: CAROL.email } }] }),
			// 4. She is busy: leave her a message, by the userId from the lookup.
			() => ({ toolCalls: [{ name: toolName('Send message to person'), args: { userId: carolId, text: 'Please call me about the Globex bond when you are free.' } }] }),
			// 5. The answer that goes back to the stream.
			() => ({ content: 'Carol Diaz is busy right now; I left her a message asking her to call you.' }),
		]);

		const started = Date.now();
		const run = expectSuccess(await n8n.execute(workflows.get(agentVersion)!.id, { timeoutMs: 120000 }));
		log(`run in ${Date.now() - started} ms`);

		// The model was asked five times, and each time offered the five tools, as we describe them.
		expect(model.requests).toHaveLength(5);
		const offered = new Map((model.requests[0].tools ?? []).map((tool) => [tool.function.name, tool.function] as [string, OfferedTool]));
		expect([...offered.keys()].sort()).toEqual((Object.keys(TOOLS) as ToolNode[]).map(toolName).sort());
		for (const [node, { resource, operation, parameters }] of Object.entries(TOOLS) as Array<[ToolNode, (typeof TOOLS)[ToolNode]]>) {
			const tool = offered.get(toolName(node))!;
			expect({ node, description: tool.description }).toEqual({ node, description: toolDescriptions[resource][operation] });
			// Only the parameters the model fills ($fromAI), each a described string, all required.
			expect({ node, properties: Object.keys(tool.parameters?.properties ?? {}).sort() }).toEqual({ node, properties: [...parameters].sort() });
			for (const name of parameters) {
				const property = tool.parameters!.properties![name];
				expect({ node, name, type: property.type, described: (property.description ?? '').length > 10 }).toEqual({ node, name, type: 'string', described: true });
			}
			expect({ node, required: [...(tool.parameters?.required ?? [])].sort() }).toEqual({ node, required: [...parameters].sort() });
		}
		const emailParameter = offered.get(toolName('Find person by email'))!.parameters!.properties!.email;
		expect(emailParameter.description).toMatch(/email address/);

		// What the tools gave back: small items (Simplify), IDs as digits.
		expect(carolId).toBe(CAROL.id);
		const lookup = toolResults(model.requests[1])[0].value as Array<Record<string, unknown>>;
		expect(lookup).toEqual([expect.objectContaining({ userId: CAROL.id, email: CAROL.email, displayName: 'Carol Diaz', company: 'Globex' })]);
		expect(Object.keys(lookup[0]).length).toBeLessThanOrEqual(8);
		const registered = toolResults(model.requests[2])[0].value as Array<Record<string, unknown>>;
		expect(registered).toEqual([expect.objectContaining({ userId: CAROL.id, registered: true })]);
		const presence = toolResults(model.requests[3])[0].value as Array<Record<string, unknown>>;
		expect(presence).toEqual([expect.objectContaining({ userId: CAROL.id, category: 'BUSY' })]);
		const sent = toolResults(model.requests[4])[0].value as Array<Record<string, unknown>>;
		expect(sent).toEqual([expect.objectContaining({ messageId: expect.any(String), streamId: expect.any(String) })]);

		// At the pod: exactly these calls, with Carol's ID (looked up by email each time a tool names her by email).
		const calls = podRequests();
		const lookups = calls.filter((call) => call.startsWith('GET /pod/v3/users'));
		expect(lookups.length).toBeGreaterThanOrEqual(3);
		for (const call of lookups) expect(call).toContain(encodeURIComponent(CAROL.email!));
		expect(calls.filter((call) => !call.startsWith('GET /pod/v3/users'))).toEqual([
			`POST /pod/v1/user/presence/register [${CAROL.id}]`,
			`GET /pod/v3/user/${CAROL.id}/presence`,
			expect.stringMatching(/^POST \/pod\/v1\/im\/create /),
			expect.stringMatching(/^POST \/agent\/v4\/stream\/[\w-]+\/message\/create /),
			expect.stringMatching(/^POST \/agent\/v4\/stream\/[\w-]+\/message\/create /),
		]);
		// The IM with Carol: her ID as a JSON number, digits intact.
		expect(calls.find((call) => call.startsWith('POST /pod/v1/im/create'))).toBe(`POST /pod/v1/im/create [${CAROL.id}]`);

		// Carol got the message in her IM; the agent's answer went back to the stream the question came from.
		expect(messaging.messagesIn(carolIm.id).slice(imBefore).map((m) => m.text)).toEqual(['Please call me about the Globex bond when you are free.']);
		expect(messaging.messagesIn(DESK_ROOM_ID).slice(deskBefore).map((m) => m.text)).toEqual([
			'Carol Diaz is busy right now; I left her a message asking her to call you.',
		]);
		expect(nodeItems(run, 'AI Agent')).toEqual([expect.objectContaining({ output: 'Carol Diaz is busy right now; I left her a message asking her to call you.' })]);
	}, 3 * 60 * 1000);

	test('a wrong call (an unknown email) comes back to the agent as a tool result it can act on, not a failed run', async () => {
		if (skipReason) return;
		const errorOf = (request: ChatRequest): string => {
			const [result] = toolResults(request);
			const items = result?.value as Array<{ error?: string }>;
			if (!Array.isArray(items) || typeof items[0]?.error !== 'string') throw new Error(`expected an error item, got ${JSON.stringify(result?.value)}`);
			return items[0].error;
		};
		model.play([
			() => ({ toolCalls: [{ name: toolName('Get presence by email'), args: { email: UNKNOWN_EMAIL } }] }),
			// The model reads the error and corrects the address.
			(request) => {
				errorOf(request);
				return { toolCalls: [{ name: toolName('Get presence by email'), args: { email: CAROL.email } }] };
			},
			// Symphony refuses Carol (another firm) without registered interest: the error says so, the model registers.
			(request) => {
				errorOf(request);
				return { toolCalls: [{ name: toolName('Register presence interest'), args: { emails: CAROL.email } }] };
			},
			() => ({ toolCalls: [{ name: toolName('Get presence by email'), args: { email: CAROL.email } }] }),
			() => ({ content: 'I could not find carol@globex-typo.example; Carol Diaz (carol@globex.example) is busy.' }),
		]);
		const run = expectSuccess(await n8n.execute(workflows.get(agentVersion)!.id, { timeoutMs: 120000 }));

		expect(model.requests).toHaveLength(5);
		// The unknown address: an item with the error and what to check, paired with the call that caused it.
		const [wrong] = toolResults(model.requests[1]);
		expect(wrong.toolCallId).toBe(model.requests[1].messages.find((m) => m.role === 'assistant')?.tool_calls?.[0].id);
		expect(wrong.value).toEqual([
			{ error: expect.stringContaining(`"${UNKNOWN_EMAIL}" matches no Symphony user`) as unknown, description: expect.stringContaining('Check the spelling') as unknown },
		]);
		// Carol without registered interest: Symphony's refusal, explained with the fix (register interest).
		const [refused] = toolResults(model.requests[2]);
		expect(refused.value).toEqual([
			{ error: expect.stringContaining('403') as unknown, description: expect.stringContaining('Register Interest') as unknown },
		]);
		const [registered] = toolResults(model.requests[3]);
		expect(registered.value).toEqual([expect.objectContaining({ userId: CAROL.id, registered: true })]);
		const [presence] = toolResults(model.requests[4]);
		expect(presence.value).toEqual([expect.objectContaining({ userId: CAROL.id, category: 'BUSY' })]);
		// Nothing was read or registered for the unknown address.
		expect(podRequests().filter((call) => /\/presence/.test(call))).toEqual([
			`GET /pod/v3/user/${CAROL.id}/presence`,
			`POST /pod/v1/user/presence/register [${CAROL.id}]`,
			`GET /pod/v3/user/${CAROL.id}/presence`,
		]);
		expect(nodeItems(run, 'AI Agent')[0].output).toContain('could not find');
	}, 3 * 60 * 1000);
});
