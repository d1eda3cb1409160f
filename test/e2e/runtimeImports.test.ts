/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- development code: runs in Node, never packed */
/**
 * Every runtime import of the packed package exists in each n8n of the e2e matrix: the package is
 * built and packed as published, its compiled files read for each `require` and the names taken from
 * it, and each name looked up in what that n8n installation really exports (listed with its own
 * Node). Then its nodes and credentials are loaded there as n8n loads community packages. Runtimes
 * come from the e2e cache (installed like the e2e does when missing; see docs/e2e.md).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { buildAndPack } from './pack';
import { ensureRuntime, N8N_1, N8N_2, type Runtime, type RuntimeSpec } from './runtime';
import {
	listRuntimeOffer,
	loadPackageInRuntime,
	missingImports,
	readPackageImports,
	readRequires,
	type FileImports,
	type RuntimeOffer,
} from './runtimeImports';

const SETUP_TIMEOUT_MS = 25 * 60 * 1000;

describe('readRequires: the requires of compiled CommonJS and the names read from them', () => {
	test('a bound module, the names read from it, wrapped and destructured requires, builtins', () => {
		const source = [
			'"use strict";',
			'const n8n_workflow_1 = require("n8n-workflow");',
			'const node_crypto_1 = require("node:crypto");',
			'const get = __importStar(require("./get.operation"));',
			'const { a, b: c } = require("other");',
			'require("side-effect");',
			'class E extends n8n_workflow_1.ApplicationError {}',
			'await (0, n8n_workflow_1.sleepWithAbort)(1, signal);',
			'(0, node_crypto_1.createHash)("sha256"); get.execute();',
		].join('\n');
		expect(readRequires('dist/x.js', source)).toEqual({
			imports: [
				{ file: 'dist/x.js', module: 'n8n-workflow', symbols: ['ApplicationError', 'sleepWithAbort'] },
				{ file: 'dist/x.js', module: 'node:crypto', symbols: ['createHash'] },
				{ file: 'dist/x.js', module: './get.operation', symbols: [] },
				{ file: 'dist/x.js', module: 'other', symbols: ['a', 'b'] },
				{ file: 'dist/x.js', module: 'side-effect', symbols: [] },
			],
			problems: [],
		});
	});

	test('a module used whole, or a require it cannot read, is a problem, with file and line', () => {
		const source = ['const w = require("n8n-workflow");', 'use(w);', 'const m = require(name);', 'const x = require("a") || require("b");'].join('\n');
		const { problems } = readRequires('dist/y.js', source);
		expect(problems).toEqual([
			'dist/y.js:2: n8n-workflow is used whole (as w), so which of its names it needs cannot be told',
			'dist/y.js:3: a require this check cannot read: require(name);',
			'dist/y.js:4: a require this check cannot read: require("a") || require("b");',
			'dist/y.js:4: a require this check cannot read: require("b");',
		]);
	});
});

describe.each<[string, RuntimeSpec]>([
	['n8n 2.41.1', N8N_2],
	['n8n 1.100.1', N8N_1],
])('the packed package against %s', (label, spec) => {
	let runtime: Runtime;
	let packageDir: string;
	let workDir: string;
	let read: FileImports;
	let offer: RuntimeOffer;

	beforeAll(async () => {
		runtime = await ensureRuntime(spec);
		const packed = await buildAndPack();
		workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'symphony-imports-'));
		try {
			// Where n8n keeps community packages, with nothing else beside it.
			packageDir = path.join(workDir, 'node_modules', 'n8n-nodes-symphony');
			fs.mkdirSync(packageDir, { recursive: true });
			const tar = spawnSync('tar', ['-xzf', packed.tarball, '-C', packageDir, '--strip-components=1'], { encoding: 'utf8' });
			if (tar.status !== 0) throw new Error(`could not extract ${packed.tarball}: ${tar.stderr}`);
		} finally {
			packed.cleanup();
		}
		read = readPackageImports(packageDir);
		const external = [...new Set(read.imports.map((i) => i.module))].filter((m) => !m.startsWith('.') && !m.startsWith('node:'));
		offer = listRuntimeOffer(runtime, external);
	}, SETUP_TIMEOUT_MS);

	afterAll(() => {
		if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
	});

	test('every require of dist/ can be read, and imports only n8n-workflow and Node builtins', () => {
		expect(read.problems).toEqual([]);
		const packages = new Set(read.imports.map((i) => i.module).filter((m) => !m.startsWith('.')));
		const others = [...packages].filter((m) => m !== 'n8n-workflow' && !m.startsWith('node:') && !offer.builtins.includes(m));
		expect(others).toEqual([]);
		// The check reads what it must: the package does take names from n8n-workflow.
		expect(read.imports.filter((i) => i.module === 'n8n-workflow').flatMap((i) => i.symbols)).toContain('NodeOperationError');
	});

	test(`every name the package takes from n8n-workflow (and every builtin) exists in ${label}`, () => {
		const found = offer.modules['n8n-workflow'];
		// n8n's own copy, as n8n resolves it from its package folder.
		expect(found).toEqual(expect.objectContaining({ path: expect.stringContaining(runtime.n8nDir) }));
		expect(missingImports(packageDir, read.imports, offer, `${label}, Node ${offer.nodeVersion}`)).toEqual([]);
	});

	test(`the nodes and credentials load and construct in ${label}'s Node, with n8n's own n8n-workflow`, () => {
		const loaded = loadPackageInRuntime(runtime, packageDir);
		expect(loaded.failures).toEqual([]);
		const ownCopy = (offer.modules['n8n-workflow'] as { path: string }).path;
		expect(loaded.n8nWorkflowLoaded).toEqual([ownCopy]);
	});
});
