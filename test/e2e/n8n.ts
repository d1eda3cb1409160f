/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets -- development code: runs in Node, never packed; its secrets are fakes for the simulator */
/**
 * Runs the real n8n CLI (from the cached runtime, under Node 24) in an isolated user folder.
 *
 * Every process started here runs in its own process group and is stopped by that group's id
 * (n8n starts a task-runner child of its own); `dispose()` stops whatever is still running and
 * removes the user folder.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

import { cleanEnv, type Runtime } from './runtime';

/** Fixed so that credentials imported by one command can be decrypted by the next. */
export const E2E_ENCRYPTION_KEY = 'n8n-nodes-symphony-e2e-encryption-key';

/** The test-only package whose node reports the n8n-workflow the Symphony package loaded (see fixtures/). */
export const RESOLUTION_PROBE_PACKAGE = 'n8n-nodes-resolution-probe';
export const RESOLUTION_PROBE_TYPE = `${RESOLUTION_PROBE_PACKAGE}.resolutionProbe`;

/** Documents that tell users to install the package with npm. */
export const INSTALL_DOCUMENTS = ['README.md', 'docs/queue-mode.md'];

/**
 * The README Dockerfile's npm command (`npm install <flags> n8n-nodes-symphony@<version>`), read
 * from the README so that the e2e installs exactly as users are told to; and every npm install of
 * the package in the install documents, to check that they agree.
 */
export function documentedInstall(repoRoot = path.resolve(__dirname, '..', '..')): { flags: string[]; commands: Array<{ file: string; command: string }> } {
	const commands: Array<{ file: string; command: string }> = [];
	for (const file of INSTALL_DOCUMENTS) {
		const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
		for (const match of text.matchAll(/npm (?:install|i) [^\n`]*?n8n-nodes-symphony(?:@[\w.-]+)?/g)) commands.push({ file, command: match[0] });
	}
	const docker = commands.find((c) => c.file === 'README.md' && /@\d/.test(c.command));
	if (docker === undefined) throw new Error('README.md has no `npm install … n8n-nodes-symphony@<version>` line (its Dockerfile)');
	return { flags: docker.command.split(/\s+/).filter((word) => word.startsWith('--')), commands };
}

export interface CommandResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	/** stdout and stderr, in arrival order. */
	output: string;
	timedOut: boolean;
}

export interface ExecuteResult extends CommandResult {
	/** The run object printed by `n8n execute --rawOutput`, when there was one. */
	run?: N8nRun;
}

/** The parts of n8n's run object that the tests read. */
export interface N8nRun {
	status?: string;
	finished?: boolean;
	data: {
		resultData: {
			runData: Record<string, Array<N8nTaskData>>;
			error?: { message?: string; description?: string; name?: string; stack?: string; node?: { name?: string } };
			lastNodeExecuted?: string;
		};
	};
}

export interface N8nTaskData {
	executionStatus?: string;
	error?: { message?: string; description?: string; name?: string };
	data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
}

export interface CredentialExport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** Polls `probe` every second until it gives a value; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				if (address && typeof address === 'object') resolve(address.port);
				else reject(new Error('no port'));
			});
		});
	});
}

/** Takes the JSON block from a line that is exactly `{` to the next line that is exactly `}`. */
export function parseRunOutput(stdout: string): N8nRun | undefined {
	const lines = stdout.split(/\r?\n/);
	const start = lines.findIndex((line) => line === '{');
	if (start < 0) return undefined;
	const end = lines.findIndex((line, index) => index > start && line === '}');
	if (end < 0) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n')) as N8nRun;
}

/**
 * How a run ended: n8n's `status`. n8n 1.x's `execute` prints the run before its final status is
 * stored, so there it still says "running": the run's error, or `finished`, tells the outcome.
 */
export function runOutcome(run: N8nRun | undefined): string | undefined {
	if (run?.status !== 'running') return run?.status;
	if (run.data.resultData.error) return 'error';
	return run.finished ? 'success' : 'running';
}

/** The items a node emitted on its first output in its first run. */
export function nodeItems(run: N8nRun, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const task = run.data.resultData.runData[nodeName]?.[0];
	const items = task?.data?.main?.[output] ?? [];
	return items.map((item) => item.json);
}

function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Stops a process group by its id: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopGroup(pid: number, graceMs = 5000): Promise<void> {
	if (!groupAlive(pid)) return;
	try {
		process.kill(-pid, 'SIGTERM');
	} catch {
		return;
	}
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline) {
		if (!groupAlive(pid)) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// Already gone.
	}
}

export interface StartedN8n {
	pid: number;
	port: number;
	url: string;
	process: ChildProcess;
	/** Output so far. */
	output(): string;
	stop(): Promise<void>;
}

export class N8n {
	readonly userFolder: string;
	private readonly running = new Set<number>();

	constructor(
		readonly runtime: Runtime,
		userFolder?: string,
		private readonly extraEnv: NodeJS.ProcessEnv = {},
	) {
		this.userFolder = userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'symphony-e2e-n8n-'));
	}

	/** Environment of every n8n command: isolated, quiet, and making no calls to n8n's servers. */
	env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
		return {
			...cleanEnv(this.runtime.nodeBinDir),
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
			DB_TYPE: 'sqlite',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			// n8n 1.x has no such module and refuses to start when it is named.
			...(!this.runtime.n8nVersion.startsWith('1.') && { N8N_DISABLED_MODULES: 'mcp-registry' }),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_NO_COLOR: 'true',
			NO_COLOR: '1',
			...this.extraEnv,
			...extra,
		};
	}

	/** Runs `n8n <args>` to completion (killing its process group after `timeoutMs`). */
	async run(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
		const brokerPort = await freePort();
		const child = spawn(this.runtime.node, [this.runtime.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...options.env }),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const pid = child.pid;
		if (pid === undefined) throw new Error(`could not start n8n ${args.join(' ')}`);
		this.running.add(pid);
		let stdout = '';
		let stderr = '';
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			output += chunk.toString();
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
			output += chunk.toString();
		});
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			void stopGroup(pid);
		}, options.timeoutMs ?? 300000);
		const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
			(resolve, reject) => {
				child.on('error', reject);
				child.on('close', (c, s) => resolve({ code: c, signal: s }));
			},
		);
		clearTimeout(timer);
		// Anything the command left in its group (a task runner) goes too.
		await stopGroup(pid, 2000);
		this.running.delete(pid);
		return { code, signal, stdout, stderr, output, timedOut };
	}

	private async mustRun(args: string[]): Promise<CommandResult> {
		const result = await this.run(args);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} failed (exit ${result.code}):\n${result.output.slice(-4000)}`);
		}
		return result;
	}

	/**
	 * Installs an `npm pack` tarball the way n8n 2.x's community-package installer does
	 * (CommunityPackagesService.downloadPackage): extracted into `.n8n/nodes/node_modules/<name>`,
	 * dev, peer and optional dependencies dropped from its package.json, `npm install` run in it
	 * with n8n's flags, and the package listed in `.n8n/nodes/package.json`.
	 */
	installPackage(tarballPath: string): { name: string; version: string; dir: string } {
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'symphony-e2e-pkg-'));
		try {
			const list = spawnSync('tar', ['-xzf', path.resolve(tarballPath), '-C', staging, 'package/package.json'], {
				encoding: 'utf8',
			});
			if (list.status !== 0) throw new Error(`could not read package.json from ${tarballPath}: ${list.stderr}`);
			const { name } = JSON.parse(fs.readFileSync(path.join(staging, 'package', 'package.json'), 'utf8')) as {
				name: string;
			};
			const dir = path.join(nodesDir, 'node_modules', ...name.split('/'));
			fs.rmSync(dir, { recursive: true, force: true });
			fs.mkdirSync(dir, { recursive: true });
			const tar = spawnSync('tar', ['-xzf', path.resolve(tarballPath), '-C', dir, '--strip-components=1'], {
				encoding: 'utf8',
			});
			if (tar.status !== 0) throw new Error(`could not extract ${tarballPath}: ${tar.stderr}`);
			const manifestPath = path.join(dir, 'package.json');
			const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, unknown> & {
				name: string;
				version: string;
			};
			delete manifest.devDependencies;
			delete manifest.peerDependencies;
			delete manifest.optionalDependencies;
			fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
			const npm = spawnSync(
				'npm',
				[
					'install',
					'--audit=false',
					'--fund=false',
					'--bin-links=false',
					'--install-strategy=shallow',
					'--ignore-scripts=true',
					'--package-lock=false',
				],
				{ cwd: dir, env: cleanEnv(this.runtime.nodeBinDir), encoding: 'utf8' },
			);
			if (npm.status !== 0) throw new Error(`npm install in ${dir} failed: ${npm.stderr}`);
			fs.writeFileSync(
				path.join(nodesDir, 'package.json'),
				JSON.stringify(
					{ name: 'installed-nodes', private: true, dependencies: { [manifest.name]: manifest.version } },
					null,
					2,
				),
			);
			return { name: manifest.name, version: manifest.version, dir };
		} finally {
			fs.rmSync(staging, { recursive: true, force: true });
		}
	}

	/**
	 * Installs an `npm pack` tarball as the README's Dockerfile does (`documentedInstall()`): its npm
	 * command, flags and all, run in `.n8n/nodes`, with the tarball in place of `name@version`.
	 */
	installPackageAsDocumented(tarballPath: string): { name: string; version: string; dir: string; command: string[] } {
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		const { flags } = documentedInstall();
		const command = ['install', ...flags, path.resolve(tarballPath), '--audit=false', '--fund=false'];
		const npm = spawnSync('npm', command, { cwd: nodesDir, env: cleanEnv(this.runtime.nodeBinDir), encoding: 'utf8' });
		if (npm.status !== 0) throw new Error(`npm ${command.join(' ')} in ${nodesDir} failed: ${npm.stderr}`);
		const dir = path.join(nodesDir, 'node_modules', 'n8n-nodes-symphony');
		const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
		return { name: manifest.name, version: manifest.version, dir, command: ['npm', ...command] };
	}

	/**
	 * Copies the test-only `n8n-nodes-resolution-probe` (test/e2e/fixtures) into the community-package
	 * folder: its node reports which n8n-workflow the Symphony package loaded inside n8n.
	 */
	installResolutionProbe(): void {
		const dir = path.join(this.userFolder, '.n8n', 'nodes', 'node_modules', RESOLUTION_PROBE_PACKAGE);
		fs.cpSync(path.join(__dirname, 'fixtures', RESOLUTION_PROBE_PACKAGE), dir, { recursive: true });
	}

	private writeInput(name: string, data: unknown): string {
		const dir = path.join(this.userFolder, 'inputs');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, name);
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	/** `n8n import:credentials` for a list of credentials (plain `data` is encrypted on import). */
	async importCredentials(credentials: CredentialExport[]): Promise<CommandResult> {
		const file = this.writeInput(`credentials-${Date.now()}.json`, credentials);
		try {
			return await this.mustRun(['import:credentials', `--input=${file}`]);
		} finally {
			// The file holds credential secrets in plain text.
			fs.rmSync(file, { force: true });
		}
	}

	/**
	 * Activates an imported workflow from the CLI, as each line does it: n8n 2.x publishes a workflow
	 * version (`publish:workflow`), 1.x sets the workflow active (`update:workflow --active=true`).
	 */
	async activateWorkflow(workflowId: string): Promise<CommandResult> {
		const args = this.runtime.n8nVersion.startsWith('1.')
			? ['update:workflow', `--id=${workflowId}`, '--active=true']
			: ['publish:workflow', `--id=${workflowId}`];
		return await this.mustRun(args);
	}

	/** `n8n import:workflow` for one workflow object (its `id`, at most 21 characters, is kept). */
	async importWorkflow(workflow: { id: string } & Record<string, unknown>): Promise<CommandResult> {
		return await this.importWorkflows([workflow]);
	}

	/** One `n8n import:workflow` for several workflows (a JSON array): one n8n start instead of one each. */
	async importWorkflows(workflows: Array<{ id: string } & Record<string, unknown>>): Promise<CommandResult> {
		for (const workflow of workflows) if (workflow.id.length > 21) throw new Error(`workflow id ${workflow.id} is longer than 21 characters`);
		const [first] = workflows;
		const file = workflows.length === 1 ? this.writeInput(`workflow-${first.id}.json`, first) : this.writeInput(`workflows-${first.id}-and-${workflows.length - 1}.json`, workflows);
		return this.mustRun(['import:workflow', `--input=${file}`]);
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`, with the run object parsed out of the mixed output.
	 *
	 * `sideEffectFree`: the workflow only reads, so when the CLI ended without printing a run (seen
	 * once in a full `npm test` under load, never alone) it is run once more; the first attempt's exit
	 * code, signal and output tail are printed so that the cause can be read later. Never for a
	 * workflow that sends: a second run would post again.
	 */
	async execute(workflowId: string, options: { timeoutMs?: number; sideEffectFree?: boolean } = {}): Promise<ExecuteResult> {
		const first = await this.executeOnce(workflowId, options);
		if (first.run !== undefined || first.timedOut || !options.sideEffectFree) return first;
		process.stdout.write(
			`[e2e] n8n execute --id=${workflowId} printed no run (exit code ${first.code}, signal ${first.signal ?? 'none'}); running it once more. Output tail:\n${first.output.slice(-2000)}\n`,
		);
		return await this.executeOnce(workflowId, options);
	}

	private async executeOnce(workflowId: string, options: { timeoutMs?: number }): Promise<ExecuteResult> {
		const result = await this.run(['execute', `--id=${workflowId}`, '--rawOutput'], options);
		let run: N8nRun | undefined;
		try {
			run = parseRunOutput(result.stdout);
		} catch {
			run = undefined;
		}
		// Seen once in CI under load: `n8n execute` of a failing workflow ended with no exit code (a
		// signal the test did not send; n8n exits through process.exit after closing its database).
		// When the whole run was printed before that, the run is the answer and the exit code n8n
		// meant is the one its `finally` derives from the run's error; the line says it happened.
		if (result.code === null && !result.timedOut && run !== undefined) {
			const meant = run.data.resultData.error === undefined ? 0 : 1;
			process.stdout.write(
				`[e2e] n8n execute --id=${workflowId} ended by ${result.signal ?? 'a signal'} after printing its run; exit code ${meant} taken from the run\n`,
			);
			return { ...result, code: meant, run };
		}
		return { ...result, run };
	}

	/**
	 * Starts `n8n start` on a free port and resolves once `/healthz/readiness` answers ok. Other
	 * commands (`args`, e.g. `worker`) serve their readiness on `healthPort` instead.
	 */
	async start(
		options: { env?: NodeJS.ProcessEnv; readyTimeoutMs?: number; args?: string[]; healthPort?: number } = {},
	): Promise<StartedN8n> {
		const port = await freePort();
		const brokerPort = await freePort();
		const child = spawn(this.runtime.node, [this.runtime.n8nBin, ...(options.args ?? ['start'])], {
			cwd: this.userFolder,
			env: this.env({
				N8N_PORT: String(port),
				N8N_HOST: '127.0.0.1',
				N8N_PROTOCOL: 'http',
				N8N_SECURE_COOKIE: 'false',
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
				...options.env,
			}),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const pid = child.pid;
		if (pid === undefined) throw new Error('could not start n8n');
		this.running.add(pid);
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		let exited = false;
		child.on('close', () => (exited = true));
		const url = `http://127.0.0.1:${port}`;
		const stop = async () => {
			await stopGroup(pid, 10000);
			this.running.delete(pid);
		};
		const deadline = Date.now() + (options.readyTimeoutMs ?? 120000);
		for (;;) {
			if (exited) {
				await stop();
				throw new Error(`n8n start exited early:\n${output.slice(-4000)}`);
			}
			try {
				const response = await fetch(`http://127.0.0.1:${options.healthPort ?? port}/healthz/readiness`);
				if (response.ok) break;
			} catch {
				// Not listening yet.
			}
			if (Date.now() > deadline) {
				await stop();
				throw new Error(`n8n did not become ready:\n${output.slice(-4000)}`);
			}
			await new Promise((r) => setTimeout(r, 500));
		}
		return { pid, port, url, process: child, output: () => output, stop };
	}

	/** Stops anything still running and removes the user folder. */
	async dispose(options: { keepUserFolder?: boolean } = {}): Promise<void> {
		for (const pid of [...this.running]) {
			await stopGroup(pid);
			this.running.delete(pid);
		}
		if (!options.keepUserFolder) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

/** A throwaway owner for a fresh instance (these instances live on 127.0.0.1 for minutes). */
export const E2E_OWNER: Owner = {
	email: 'owner@example.com',
	firstName: 'Ada',
	lastName: 'Owner',
	password: 'E2e-owner-2026',
};

/** Calls n8n's REST API; throws on a non-2xx answer. */
export async function rest<T = unknown>(
	baseUrl: string,
	method: string,
	route: string,
	options: { body?: unknown; cookie?: string } = {},
): Promise<{ data: T; cookie?: string }> {
	const response = await fetch(`${baseUrl}/rest/${route}`, {
		method,
		headers: { 'Content-Type': 'application/json', ...(options.cookie && { Cookie: options.cookie }) },
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} /rest/${route}: ${response.status} ${text.slice(0, 500)}`);
	const setCookie = response.headers.get('set-cookie');
	const parsed = text === '' ? {} : (JSON.parse(text) as { data?: T });
	return { data: (parsed as { data: T }).data, cookie: setCookie?.split(';')[0] };
}

/** Creates the owner of a fresh instance and logs in; returns the session cookie. */
export async function ownerSession(baseUrl: string, owner: Owner = E2E_OWNER): Promise<string> {
	await rest(baseUrl, 'POST', 'owner/setup', { body: owner });
	const { cookie } = await rest(baseUrl, 'POST', 'login', {
		body: { emailOrLdapLoginId: owner.email, password: owner.password },
	});
	if (!cookie) throw new Error('n8n answered the login without a session cookie');
	return cookie;
}
