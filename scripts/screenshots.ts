/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets -- development code: runs in Node, never packed; its secrets are fakes for the simulator */
/**
 * Editor screenshots for the README (`npm run screenshots`), taken in a real n8n with the packed
 * package installed as users install it, against the pod simulator.
 *
 * The credential dialogs show a realistic pod (POD_URL_SHOWN) as a user fills them in, before saving:
 * n8n tests a credential when it is saved or reopened, and no test result is shown for a pod that was
 * not reached. The workflow itself runs against the simulator through a separate saved credential.
 *
 * Needs Debian's Chromium (`apt-get install -y chromium`) and the playwright-core devDependency;
 * no browser is downloaded. Writes docs/images/*.png. Not part of CI.
 *
 * Options: --keep leaves n8n and the simulator running until Ctrl-C, to look around (prints the URL);
 * --workflow FILE uses another workflow file instead of examples/register-and-get-presence.json.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { Browser, Page } from 'playwright-core';

import { N8n, type StartedN8n } from '../test/e2e/n8n';
import { REPO_ROOT, buildAndPack } from '../test/e2e/pack';
import { ensureRuntime } from '../test/e2e/runtime';
import { readExample, type CredentialRef, type Workflow } from '../test/e2e/workflows';
import { startSimulator, type PodSimulator } from '../test/simulator';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT_DIR = path.join(REPO_ROOT, 'docs', 'images');
const EXAMPLE = 'register-and-get-presence.json';
const WORKFLOW_ID = 'symphonyPresenceDemo';
const TRIGGER_EXAMPLE = 'presence-trigger-alert.json';
const TRIGGER_WORKFLOW_ID = 'symphonyTriggerDemo';
const ASSISTANT_EXAMPLE = 'presence-assistant.json';
const ASSISTANT_WORKFLOW_ID = 'symphonyAssistantDemo';
const POD_URL_SHOWN = 'https://acme.symphony.com';
const CREDENTIAL: CredentialRef = { type: 'symphonyApi', id: 'symphonyDemoCred', name: 'Symphony account' };
const OWNER = { email: 'owner@example.com', firstName: 'Ada', lastName: 'Owner', password: 'Screenshots-2026' };
const VIEWPORT = { width: 1440, height: 900 };

function log(message: string): void {
	process.stderr.write(`[screenshots] ${message}\n`);
}

async function rest(n8nUrl: string, method: string, route: string, body?: unknown, cookie?: string): Promise<Response> {
	const response = await fetch(`${n8nUrl}/rest/${route}`, {
		method,
		headers: { 'Content-Type': 'application/json', ...(cookie && { Cookie: cookie }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`${method} /rest/${route}: ${response.status} ${await response.text()}`);
	return response;
}

/** An example as a user has it after import, with the credential chosen on its Symphony nodes. */
function withCredential(workflow: Workflow, id: string): Workflow {
	workflow.id = id;
	workflow.active = false;
	for (const node of workflow.nodes) {
		if (node.type.startsWith('n8n-nodes-symphony.')) {
			node.credentials = { [CREDENTIAL.type]: { id: CREDENTIAL.id, name: CREDENTIAL.name } };
		}
	}
	return workflow;
}

function demoWorkflow(file?: string): Workflow {
	return withCredential(file ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Workflow) : readExample(EXAMPLE), WORKFLOW_ID);
}

async function shot(page: Page, name: string): Promise<void> {
	const file = path.join(OUT_DIR, name);
	await page.screenshot({ path: file });
	log(`wrote ${path.relative(REPO_ROOT, file)}`);
}

async function closePanel(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden', timeout: 10000 }).catch(() => undefined);
}

async function openNode(page: Page, name: string): Promise<void> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'visible', timeout: 15000 });
	await page.waitForTimeout(1000);
}

/** Opens the dialog for a new credential of the given type, as *Credentials → Create credential* does. */
async function openNewCredential(page: Page, n8nUrl: string, displayName: string): Promise<void> {
	await page.goto(`${n8nUrl}/home/credentials/create`);
	const select = page.locator('[data-test-id="new-credential-type-select"]');
	await select.waitFor({ state: 'visible', timeout: 30000 });
	await select.locator('input').fill(displayName);
	await page
		.locator('[data-test-id="new-credential-type-select-option"]')
		.filter({ hasText: new RegExp(`^\\s*${displayName}\\s*$`) })
		.first()
		.click();
	await page.locator('[data-test-id="new-credential-type-button"]').click();
	await page.locator('[data-test-id="editCredential-modal"]').waitFor({ state: 'visible', timeout: 30000 });
	await page.waitForTimeout(1500);
}

/** Types into the credential field of the given property name (n8n marks each field with it). */
async function fillCredentialField(page: Page, property: string, value: string): Promise<void> {
	await page
		.locator(`[data-test-id="credential-connection-parameter"] [data-test-id="${property}"]`)
		.locator('input, textarea')
		.first()
		.fill(value);
}

/**
 * Names the new credential as a user would. n8n's default name ("Symphony account 2") counts the
 * simulator credential the workflows use; a failed rename only leaves that default.
 */
async function nameCredential(page: Page, name: string): Promise<void> {
	try {
		await page.locator('[data-test-id="credential-name"] [data-test-id="inline-editable-area"]').click({ timeout: 5000 });
		await page.locator('[data-test-id="credential-name"] [data-test-id="inline-edit-input"]').fill(name, { timeout: 5000 });
		await page.keyboard.press('Enter');
	} catch (error) {
		log(`could not rename the credential: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
	}
}

async function capture(browser: Browser, started: StartedN8n, workflow: Workflow, trigger: Workflow): Promise<void> {
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
	// Only n8n on 127.0.0.1: anything else the editor asks for is refused here.
	await context.route('**/*', (route) =>
		new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
	);
	const login = await context.request.post(`${started.url}/rest/login`, {
		data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
	});
	if (!login.ok()) throw new Error(`login failed: ${login.status()} ${await login.text()}`);
	const page = await context.newPage();

	const register = workflow.nodes.find((n) => n.parameters.operation === 'registerInterest');
	const get = workflow.nodes.find((n) => n.type === 'n8n-nodes-symphony.symphony' && n.parameters.operation === 'get');
	if (!register || !get) throw new Error(`${EXAMPLE} needs a Register Interest and a Get node`);

	// 1. The example on the canvas.
	await page.goto(`${started.url}/workflow/${workflow.id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible', timeout: 60000 });
	await page.waitForTimeout(2000);
	await page.keyboard.press('1'); // zoom to fit
	await page.waitForTimeout(1000);
	await shot(page, 'workflow-canvas.png');

	// 2. The Register Interest parameter panel.
	await openNode(page, register.name);
	await shot(page, 'register-interest-panel.png');
	await closePanel(page);

	// 3. Run the workflow, then the Get node with its output table.
	await page.locator('[data-test-id="execute-workflow-button"]').first().click();
	await page
		.locator(`[data-test-id="canvas-node"][data-node-name="${get.name}"] [data-test-id="canvas-node-status-success"]`)
		.waitFor({ state: 'visible', timeout: 60000 })
		.catch(() => log('no success badge seen on the Get node; capturing anyway'));
	await page.waitForTimeout(1500);
	await openNode(page, get.name);
	// The output side of the panel shows a table once the node has run.
	await page
		.locator('[data-test-id="ndv"] table')
		.last()
		.waitFor({ state: 'visible', timeout: 15000 })
		.catch(() => log('no output table in the Get node panel: did the run fail?'));
	await page.waitForTimeout(1000);
	await shot(page, 'get-presence-output.png');
	await closePanel(page);

	// 4. The Presence Trigger's parameter panel.
	await page.goto(`${started.url}/workflow/${trigger.id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible', timeout: 60000 });
	await page.waitForTimeout(2000);
	const triggerNode = trigger.nodes.find((n) => n.type === 'n8n-nodes-symphony.symphonyPresenceTrigger');
	if (!triggerNode) throw new Error(`${TRIGGER_EXAMPLE} needs a Symphony Presence Trigger`);
	await openNode(page, triggerNode.name);
	await shot(page, 'presence-trigger-panel.png');
	await closePanel(page);

	// 5. The example's Message → Send node, its Options list open.
	const sendNode = trigger.nodes.find((n) => n.type === 'n8n-nodes-symphony.symphony' && n.parameters.resource === 'message');
	if (!sendNode) throw new Error(`${TRIGGER_EXAMPLE} needs a Message → Send node`);
	await openNode(page, sendNode.name);
	await page
		.locator('[data-test-id="ndv"] [data-test-id="collection-parameter-add"] input')
		.last()
		.click({ timeout: 10000 })
		.catch(() => log('no "Add option" button in the Send panel'));
	await page.waitForTimeout(800);
	await shot(page, 'message-send-panel.png');
	await page.keyboard.press('Escape');
	await closePanel(page);

	// 6. The Symphony Trigger's panel, in the assistant example.
	await page.goto(`${started.url}/workflow/${ASSISTANT_WORKFLOW_ID}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible', timeout: 60000 });
	await page.waitForTimeout(2000);
	await openNode(page, 'A message mentioning the bot');
	await shot(page, 'symphony-trigger-panel.png');
	await closePanel(page);

	// 7. The two credential dialogs, filled in for a realistic pod and not saved (so not tested).
	await openNewCredential(page, started.url, 'Symphony API');
	await nameCredential(page, 'Symphony account');
	await fillCredentialField(page, 'podUrl', POD_URL_SHOWN);
	await fillCredentialField(page, 'token', 'session-token-from-your-login');
	await page.waitForTimeout(500);
	await shot(page, 'credential-dialog.png');

	await openNewCredential(page, started.url, 'Symphony RSA API');
	await nameCredential(page, 'Symphony bot');
	await fillCredentialField(page, 'podUrl', POD_URL_SHOWN);
	await fillCredentialField(page, 'username', 'presence.bot');
	await fillCredentialField(page, 'privateKey', 'private-key-pem');
	await page.waitForTimeout(500);
	await shot(page, 'rsa-credential-dialog.png');

	await context.close();
}

async function main(): Promise<void> {
	const keep = process.argv.includes('--keep');
	// Loaded here so a missing devDependency says so plainly.
	const { chromium } = await import('playwright-core').catch(() => {
		throw new Error('playwright-core is missing: npm install (it is a devDependency)');
	});
	if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);

	const runtime = await ensureRuntime();
	const packed = await buildAndPack(log);
	const n8n = new N8n(runtime);
	let sim: PodSimulator | undefined;
	let started: StartedN8n | undefined;
	let browser: Browser | undefined;
	try {
		n8n.installPackage(packed.tarball);
		sim = await startSimulator();
		await n8n.importCredentials([
			{ ...CREDENTIAL, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: sim.token } },
		]);
		const fileIndex = process.argv.indexOf('--workflow');
		const workflow = demoWorkflow(fileIndex >= 0 ? path.resolve(process.argv[fileIndex + 1]) : undefined);
		await n8n.importWorkflow(workflow);
		const trigger = withCredential(readExample(TRIGGER_EXAMPLE), TRIGGER_WORKFLOW_ID);
		await n8n.importWorkflow(trigger);
		await n8n.importWorkflow(withCredential(readExample(ASSISTANT_EXAMPLE), ASSISTANT_WORKFLOW_ID));

		log('starting n8n');
		started = await n8n.start();
		log(`n8n ready at ${started.url}`);
		await rest(started.url, 'POST', 'owner/setup', OWNER);

		fs.mkdirSync(OUT_DIR, { recursive: true });
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--disable-dev-shm-usage',
			],
		});
		await capture(browser, started, workflow, trigger);

		if (keep) {
			log(`n8n stays at ${started.url} (login ${OWNER.email} / ${OWNER.password}); Ctrl-C to stop`);
			await new Promise<void>((resolve) => {
				process.once('SIGINT', resolve);
				process.once('SIGTERM', resolve);
			});
		}
	} finally {
		await browser?.close();
		await started?.stop();
		await sim?.close();
		await n8n.dispose();
		packed.cleanup();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exitCode = 1;
});
