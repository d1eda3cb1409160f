/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- development code: runs in Node, never packed */
/**
 * What the built package needs at run time, read from its compiled CommonJS, and what an n8n
 * installation really offers: every `require` of every `.js` file, and for each package the names
 * the file takes from it. Checked against each n8n of the e2e matrix by `runtimeImports.test.ts`,
 * so an import that exists in our dev dependencies but not in some supported n8n (n8n-workflow
 * 2.41 has no `sleepWithAbort`) fails before release, naming the file and the symbol.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { cleanEnv, type Runtime } from './runtime';

/** One `require` in one file, and what the file reads from it. */
export interface RuntimeImport {
	/** The file, relative to the package root (`dist/…`). */
	file: string;
	module: string;
	/** Names read from the module (`n8n_workflow_1.sleep` → `sleep`). */
	symbols: string[];
}

/** The requires of one file; a require the reader cannot follow is a problem, not a guess. */
export interface FileImports {
	imports: RuntimeImport[];
	problems: string[];
}

const IDENTIFIER = '[A-Za-z_$][\\w$]*';

/**
 * Reads the requires of a file compiled by tsc to CommonJS: `const x = require("m")`, the same
 * wrapped in `__importStar(…)` / `__importDefault(…)`, `const { a, b: c } = require("m")`, and a
 * bare `require("m");`. A bound package must only be read as `x.name`: anything else (passing `x`
 * on, a computed `x[name]`) is reported, since its symbols cannot be told, and so is a require the
 * reader does not know (of a computed name, inside an expression).
 */
export function readRequires(file: string, source: string): FileImports {
	const imports: RuntimeImport[] = [];
	const problems: string[] = [];
	const statement = new RegExp(
		`^[ \\t]*(?:(?:const|let|var)\\s+(?:(${IDENTIFIER})|\\{([^}]*)\\})\\s*=\\s*)?(?:__import(?:Star|Default)\\()?require\\((["'])([^"'\\n]+)\\3\\)\\)?;?[ \\t]*$`,
		'gm',
	);
	const readable = new Set<number>();
	for (const match of source.matchAll(statement)) {
		const [whole, binding, destructured, , module] = match;
		readable.add(match.index + whole.indexOf('require('));
		if (destructured !== undefined) {
			const symbols = destructured
				.split(',')
				.map((part) => part.split(':')[0].trim())
				.filter((name) => name !== '');
			imports.push({ file, module, symbols });
			continue;
		}
		// The package's own files ship together and tsc checked what they take from each other: only
		// that they are there matters.
		if (binding === undefined || module.startsWith('.')) {
			imports.push({ file, module, symbols: [] });
			continue;
		}
		const symbols = new Set<string>();
		const uses = new RegExp(`(?<![\\w$.])${binding.replace(/\$/g, '\\$')}(?![\\w$])(\\s*\\.\\s*(${IDENTIFIER}))?`, 'g');
		let declarations = 0;
		for (const use of source.matchAll(uses)) {
			if (use[2] !== undefined) {
				symbols.add(use[2]);
			} else if (declarations++ > 0) {
				const line = source.slice(0, use.index).split('\n').length;
				problems.push(`${file}:${line}: ${module} is used whole (as ${binding}), so which of its names it needs cannot be told`);
			}
		}
		imports.push({ file, module, symbols: [...symbols].sort() });
	}
	for (const call of source.matchAll(/(?<![\w$.])require\s*\(/g)) {
		if (!readable.has(call.index)) {
			const line = source.slice(0, call.index).split('\n').length;
			problems.push(`${file}:${line}: a require this check cannot read: ${source.slice(call.index, call.index + 60).split('\n')[0]}`);
		}
	}
	return { imports, problems };
}

/** Every `.js` file under `dir`, relative to `root`. */
export function jsFiles(root: string, dir = 'dist'): string[] {
	const found: string[] = [];
	for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
		const relative = path.posix.join(dir, entry.name);
		if (entry.isDirectory()) found.push(...jsFiles(root, relative));
		else if (entry.name.endsWith('.js')) found.push(relative);
	}
	return found.sort();
}

export function readPackageImports(root: string): FileImports {
	const all: FileImports = { imports: [], problems: [] };
	for (const file of jsFiles(root)) {
		const { imports, problems } = readRequires(file, fs.readFileSync(path.join(root, file), 'utf8'));
		all.imports.push(...imports);
		all.problems.push(...problems);
	}
	return all;
}

/** What one n8n installation offers a community package: its Node's builtins and the packages it resolves. */
export interface RuntimeOffer {
	nodeVersion: string;
	builtins: string[];
	modules: Record<string, { path: string; version: string; exports: string[] } | { error: string }>;
}

/**
 * Lists, with the runtime's own Node (n8n-workflow 2.41 may not load on another), the exports of
 * each package as n8n itself resolves it: from n8n's package folder, where n8n's own
 * `require('n8n-workflow')` finds its copy. A name counts as exported when its value is defined.
 */
export function listRuntimeOffer(runtime: Runtime, modules: string[]): RuntimeOffer {
	const n8nPackageDir = path.join(runtime.n8nDir, 'node_modules', 'n8n');
	const script = `
		const path = require('path');
		const { builtinModules } = require('module');
		const [from, names] = JSON.parse(process.argv[1]);
		const modules = {};
		for (const name of names) {
			try {
				const resolved = require.resolve(name, { paths: [from] });
				const loaded = require(resolved);
				let dir = path.dirname(resolved);
				while (!require('fs').existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
				const { version } = require(path.join(dir, 'package.json'));
				const exports = Object.keys(loaded).filter((key) => loaded[key] !== undefined);
				if (loaded !== null && typeof loaded === 'object' && !loaded.__esModule) exports.push('default');
				modules[name] = { path: dir, version, exports };
			} catch (error) {
				modules[name] = { error: String(error && error.message || error).split('\\n')[0] };
			}
		}
		process.stdout.write(JSON.stringify({ nodeVersion: process.version, builtins: builtinModules, modules }));
	`;
	const child = spawnSync(runtime.node, ['-e', script, JSON.stringify([n8nPackageDir, modules])], {
		cwd: runtime.n8nDir,
		env: cleanEnv(runtime.nodeBinDir),
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (child.status !== 0) throw new Error(`listing n8n ${runtime.n8nVersion}'s modules failed: ${child.stderr.slice(-2000)}`);
	return JSON.parse(child.stdout) as RuntimeOffer;
}

export function isBuiltin(module: string, builtins: string[]): boolean {
	return module.startsWith('node:') ? builtins.includes(module.slice(5)) : builtins.includes(module);
}

/** Where a relative require of `file` points, if a file is there. */
function relativeTarget(root: string, file: string, module: string): string | undefined {
	const base = path.join(root, path.dirname(file), module);
	return [base, `${base}.js`, `${base}.json`, path.join(base, 'index.js')].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}

/**
 * What the package needs that this n8n does not have, one line per file and symbol: a package n8n
 * does not resolve, a name the package does not export, a builtin this Node lacks, a relative file
 * missing from the package.
 */
export function missingImports(root: string, imports: RuntimeImport[], offer: RuntimeOffer, label: string): string[] {
	const missing: string[] = [];
	for (const { file, module, symbols } of imports) {
		if (module.startsWith('./') || module.startsWith('../')) {
			if (relativeTarget(root, file, module) === undefined) missing.push(`${file}: ${module} is not in the package`);
			continue;
		}
		if (module.startsWith('node:') || offer.builtins.includes(module)) {
			if (!isBuiltin(module, offer.builtins)) missing.push(`${file}: ${module} is not a builtin of Node ${offer.nodeVersion} (${label})`);
			continue;
		}
		const found = offer.modules[module];
		if (found === undefined || 'error' in found) {
			missing.push(`${file}: ${module} is not available in ${label}${found ? ` (${found.error})` : ''}`);
			continue;
		}
		for (const symbol of symbols) {
			if (symbol === '__esModule') continue;
			if (!found.exports.includes(symbol)) missing.push(`${file}: ${module}.${symbol} is not exported by ${module} ${found.version} (${label})`);
		}
	}
	return missing;
}

/** The result of loading the package's node and credential classes the way n8n's loader finds its modules. */
export interface LoadResult {
	/** `file: error` for each class that did not load or construct. */
	failures: string[];
	/** The n8n-workflow folder the package's files got. */
	n8nWorkflowLoaded: string[];
}

/**
 * Loads every node and credential of the package (as listed in its package.json) with the
 * runtime's Node, the package sitting where n8n keeps community packages
 * (`<folder>/node_modules/<name>`, nothing else there), and `NODE_PATH` set as n8n's
 * LoadNodesAndCredentials sets it before loading them: n8n's own module folders. Each class is
 * constructed, as n8n's loader does.
 */
export function loadPackageInRuntime(runtime: Runtime, packageDir: string): LoadResult {
	const loader = path.join(runtime.n8nDir, 'node_modules', 'n8n', 'dist', 'load-nodes-and-credentials.js');
	const script = `
		const Module = require('module');
		const path = require('path');
		const [loader, packageDir] = JSON.parse(process.argv[1]);
		// As LoadNodesAndCredentials.init: NODE_PATH = that module's own lookup folders, then _initPaths().
		process.env.NODE_PATH = [Module._nodeModulePaths(path.dirname(loader)).join(path.delimiter), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
		Module._initPaths();
		const { n8n } = require(path.join(packageDir, 'package.json'));
		const failures = [];
		for (const file of [...n8n.nodes, ...n8n.credentials]) {
			try {
				const loaded = require(path.join(packageDir, file));
				const name = path.basename(file).split('.')[0];
				if (typeof loaded[name] !== 'function') throw new Error('exports no class ' + name);
				new loaded[name]();
			} catch (error) {
				failures.push(file + ': ' + String(error && error.message || error).split('\\n')[0]);
			}
		}
		const n8nWorkflowLoaded = [...new Set(Object.keys(require.cache)
			.map((file) => file.match(/^(.*[\\\\/]n8n-workflow)[\\\\/]/))
			.filter(Boolean)
			.map((match) => match[1]))];
		process.stdout.write(JSON.stringify({ failures, n8nWorkflowLoaded }));
	`;
	const child = spawnSync(runtime.node, ['-e', script, JSON.stringify([loader, packageDir])], {
		cwd: path.dirname(packageDir),
		env: cleanEnv(runtime.nodeBinDir),
		encoding: 'utf8',
	});
	if (child.status !== 0) throw new Error(`loading the package in n8n ${runtime.n8nVersion}'s Node failed: ${child.stderr.slice(-2000)}`);
	return JSON.parse(child.stdout) as LoadResult;
}
