/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development code: runs in Node, never packed */
/**
 * An OpenAI-compatible chat-completions server for the AI Agent e2e: n8n's OpenAI Chat Model node
 * is pointed at it through its credential's Base URL. It records every request body (the tools the
 * agent offered and the messages so far) and answers from a script: each step looks at the
 * request (for instance at the last tool result) and answers with tool calls or with a final text.
 *
 * Routes: `POST /v1/chat/completions` (whole answers: a request with `stream: true` is refused,
 * failing the run with the reason) and `GET /v1/models` (the credential test and the model list).
 */
import * as http from 'http';

/** A tool as the model receives it (OpenAI's `tools[].function`). */
export interface OfferedTool {
	name: string;
	description?: string;
	parameters?: {
		type?: string;
		properties?: Record<string, { type?: string; description?: string; [key: string]: unknown }>;
		required?: string[];
		[key: string]: unknown;
	};
}

/** One message of a chat-completions request. */
export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool' | string;
	content?: string | null | Array<{ type: string; text?: string }>;
	tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
	name?: string;
}

export interface ChatRequest {
	model?: string;
	messages: ChatMessage[];
	tools?: Array<{ type: string; function: OfferedTool }>;
	stream?: boolean;
	[key: string]: unknown;
}

export interface ToolCall {
	name: string;
	args: Record<string, unknown>;
}

/** What a step answers: tool calls (the agent runs them and asks again) or the final text. */
export type ScriptedReply = { toolCalls: ToolCall[] } | { content: string };

/** A step of a script: gets the request it answers. */
export type ScriptStep = (request: ChatRequest) => ScriptedReply;

/** The text of a message's content, whatever shape it came in. */
export function messageText(message: ChatMessage): string {
	if (typeof message.content === 'string') return message.content;
	if (Array.isArray(message.content)) return message.content.map((part) => part.text ?? '').join('');
	return '';
}

/** The tool results of a request after its last assistant message, in order. */
export function lastToolResults(request: ChatRequest): ChatMessage[] {
	const lastAssistant = request.messages.map((m) => m.role).lastIndexOf('assistant');
	return request.messages.slice(lastAssistant + 1).filter((m) => m.role === 'tool');
}

export class ScriptedModel {
	/** Every chat-completions request body, in order. */
	readonly requests: ChatRequest[] = [];
	/** Every request line (`GET /v1/models`, …), in order. */
	readonly calls: string[] = [];
	private script: ScriptStep[] = [];
	private callCounter = 0;
	/** Why the last request could not be answered from the script, if one could not. */
	problems: string[] = [];

	private constructor(private readonly server: http.Server, readonly url: string) {}

	static async start(): Promise<ScriptedModel> {
		const started: { model?: ScriptedModel } = {};
		const server = http.createServer((req, res) => {
			let body = '';
			req.on('data', (chunk: Buffer) => (body += chunk.toString()));
			req.on('end', () => started.model!.handle(req, res, body));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const address = server.address();
		if (address === null || typeof address !== 'object') throw new Error('the scripted model has no port');
		started.model = new ScriptedModel(server, `http://127.0.0.1:${address.port}/v1`);
		return started.model;
	}

	/** Replaces the script and forgets earlier requests. */
	play(steps: ScriptStep[]): void {
		this.script = [...steps];
		this.requests.length = 0;
		this.calls.length = 0;
		this.problems = [];
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
		const path = (req.url ?? '').split('?')[0];
		this.calls.push(`${req.method} ${path}`);
		if (req.method === 'GET' && path === '/v1/models') {
			return this.json(res, 200, { object: 'list', data: [{ id: 'scripted-model', object: 'model', created: 0, owned_by: 'e2e' }] });
		}
		if (req.method !== 'POST' || path !== '/v1/chat/completions') {
			return this.json(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
		}
		let request: ChatRequest;
		try {
			request = JSON.parse(body) as ChatRequest;
		} catch {
			return this.json(res, 400, { error: { message: 'the body is not JSON', type: 'invalid_request_error' } });
		}
		this.requests.push(request);
		const step = this.script[this.requests.length - 1];
		let reply: ScriptedReply;
		try {
			// n8n's agents ask for whole answers unless their trigger streams (docs/ai-agent.md); if that
			// changes, this says so instead of answering in a form the test never checked.
			if (request.stream === true) throw new Error('the request asks for a streamed answer; the scripted model gives whole answers only');
			if (step === undefined) throw new Error(`request ${this.requests.length} came after the script's ${this.script.length} steps`);
			reply = step(request);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			this.problems.push(message);
			// A 400 is not retried by the OpenAI client, so the run fails at once and says why.
			return this.json(res, 400, { error: { message: `scripted model: ${message}`, type: 'invalid_request_error' } });
		}
		const toolCalls =
			'toolCalls' in reply
				? reply.toolCalls.map((call) => ({
						id: `call_${++this.callCounter}`,
						type: 'function',
						function: { name: call.name, arguments: JSON.stringify(call.args) },
					}))
				: undefined;
		const message = { role: 'assistant', content: 'content' in reply ? reply.content : null, ...(toolCalls && { tool_calls: toolCalls }) };
		const finishReason = toolCalls ? 'tool_calls' : 'stop';
		const id = `chatcmpl-${this.requests.length}`;
		const created = Math.floor(Date.now() / 1000);
		const model = request.model ?? 'scripted-model';
		this.json(res, 200, {
			id,
			object: 'chat.completion',
			created,
			model,
			choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
			usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
		});
	}

	private json(res: http.ServerResponse, status: number, value: unknown): void {
		const text = JSON.stringify(value);
		res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
		res.end(text);
	}
}
