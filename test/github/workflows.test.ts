/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
/**
 * The GitHub Actions workflows cannot run here, so their contract is checked on the parsed files:
 * what starts them, what they may do, and which steps run in which order.
 */
import * as fs from 'fs';
import * as path from 'path';

import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const TEST_COMMAND = 'npm ci && npm test';
const E2E_CACHE = '~/.cache/n8n-nodes-symphony-e2e';

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, unknown>;
}

interface Service {
	image: string;
	env?: Record<string, string>;
	ports?: string[];
	options?: string;
}

interface Job {
	'runs-on': string;
	permissions?: Record<string, string>;
	services?: Record<string, Service>;
	env?: Record<string, string>;
	steps: Step[];
}

interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

function readWorkflow(file: string): Workflow {
	return parse(fs.readFileSync(path.join(ROOT, '.github', 'workflows', file), 'utf8')) as Workflow;
}

function onlyJob(workflow: Workflow): Job {
	const jobs = Object.values(workflow.jobs);
	expect(jobs).toHaveLength(1);
	return jobs[0];
}

function indexOfStep(job: Job, matches: (step: Step) => boolean, what: string): number {
	const index = job.steps.findIndex(matches);
	if (index < 0) throw new Error(`no step ${what}`);
	return index;
}

const runs = (command: string) => (step: Step) => step.run?.split('\n').some((line) => line.trim() === command) ?? false;
const usesAction = (action: string) => (step: Step) => step.uses?.split('@')[0] === action;

function expectTestServices(job: Job): void {
	const services = Object.values(job.services ?? {});
	const postgres = services.find((s) => s.image.startsWith('postgres:'));
	const redis = services.find((s) => s.image.startsWith('redis:'));
	expect(postgres?.env?.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
	expect(postgres?.ports).toContain('5432:5432');
	expect(redis?.ports).toContain('6379:6379');
	expect(job.env?.SYMPHONY_E2E_QUEUE).toBe('required');
}

function expectNodeSatisfiesEngines(job: Job): void {
	const setupNode = job.steps.find(usesAction('actions/setup-node'));
	const engines = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
		.engines.node;
	const minimumMajor = Number(/^>=\s*(\d+)/.exec(engines)?.[1]);
	expect(Number(String(setupNode?.with?.['node-version']))).toBeGreaterThanOrEqual(minimumMajor);
}

function expectE2eRuntimeCached(job: Job): void {
	const cache = job.steps.find(usesAction('actions/cache'));
	expect(cache?.with?.path).toBe(E2E_CACHE);
	expect(String(cache?.with?.key)).toContain("hashFiles('test/e2e/runtime.ts')");
}

function expectActionsPinned(workflow: Workflow): void {
	for (const job of Object.values(workflow.jobs)) {
		for (const step of job.steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
	}
}

describe('ci.yml', () => {
	const workflow = readWorkflow('ci.yml');
	const job = onlyJob(workflow);

	test('runs on every push and pull request', () => {
		expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
		expect(workflow.on.push).toBeNull();
		expect(workflow.on.pull_request).toBeNull();
	});

	test('may only read the repository', () => {
		expect(workflow.permissions).toEqual({ contents: 'read' });
		expect(job.permissions).toBeUndefined();
	});

	test('runs the test command of .ci/run and the README after checkout and Node setup', () => {
		expect(fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')).toContain(`\n${TEST_COMMAND}\n`);
		expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`\`${TEST_COMMAND}\``);
		const test = indexOfStep(job, runs(TEST_COMMAND), TEST_COMMAND);
		expect(test).toBe(job.steps.length - 1);
		expect(indexOfStep(job, usesAction('actions/checkout'), 'checkout')).toBeLessThan(test);
		expect(indexOfStep(job, usesAction('actions/setup-node'), 'setup-node')).toBeLessThan(test);
		expect(indexOfStep(job, usesAction('actions/cache'), 'cache')).toBeLessThan(test);
	});

	test('has the services the end-to-end tests need, a Node the package supports and a cached n8n runtime', () => {
		expectTestServices(job);
		expectNodeSatisfiesEngines(job);
		expectE2eRuntimeCached(job);
		expectActionsPinned(workflow);
	});
});

describe('publish.yml', () => {
	const workflow = readWorkflow('publish.yml');
	const job = onlyJob(workflow);

	test('runs only when a v* tag is pushed', () => {
		expect(Object.keys(workflow.on)).toEqual(['push']);
		expect(workflow.on.push).toEqual({ tags: ['v*'] });
	});

	test('may mint an OIDC token for provenance and only read the repository', () => {
		expect(workflow.permissions).toBeUndefined();
		expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
	});

	test('installs, builds and tests, then publishes with provenance as its last step', () => {
		const order = [
			indexOfStep(job, usesAction('actions/checkout'), 'checkout'),
			indexOfStep(job, usesAction('actions/setup-node'), 'setup-node'),
			indexOfStep(job, runs('npm ci'), 'npm ci'),
			indexOfStep(job, runs('npm run build'), 'npm run build'),
			indexOfStep(job, runs('npm test'), 'npm test'),
			indexOfStep(job, runs('npm publish --provenance --access public'), 'npm publish'),
		];
		expect(order).toEqual([...order].sort((a, b) => a - b));
		expect(order[order.length - 1]).toBe(job.steps.length - 1);
		expect(job.steps.filter((step) => step.run?.includes('npm publish'))).toHaveLength(1);
	});

	test('refuses a tag that is not the package version, before publishing', () => {
		const check = indexOfStep(job, (step) => step.run?.includes('$GITHUB_REF_NAME') ?? false, 'tag check');
		expect(job.steps[check].run).toContain("require('./package.json').version");
		expect(check).toBeLessThan(job.steps.length - 1);
	});

	test('takes an npm token only from the repository secrets, for the publish step alone', () => {
		const publish = job.steps[job.steps.length - 1];
		expect(publish.env).toEqual({ NPM_TOKEN: '${{ secrets.NPM_TOKEN }}' });
		expect(job.steps.slice(0, -1).every((step) => step.env === undefined)).toBe(true);
		expect(job.env).not.toHaveProperty('NPM_TOKEN');
	});

	test('tests with the same services as CI, a supported Node and the cached n8n runtime', () => {
		expectTestServices(job);
		expectNodeSatisfiesEngines(job);
		expectE2eRuntimeCached(job);
		expectActionsPinned(workflow);
	});
});
