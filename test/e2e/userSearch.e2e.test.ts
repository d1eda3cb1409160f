/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
/**
 * The User field's "From List" in a real, running n8n 2.41.1: the packed package is installed, an
 * owner logs in, and the user search is called through the REST endpoint the editor's resource
 * locator uses (POST /rest/dynamic-node-parameters/resource-locator-results), with the node's
 * parameters and its credential as the editor sends them. n8n runs the node's listSearch method
 * with its own credential handling against the pod simulator.
 */
import { demoUsers, startSimulator, type PodSimulator } from '../simulator';
import { N8n, ownerSession, rest, type StartedN8n } from './n8n';
import { buildAndPack, type Packed } from './pack';
import { ensureRuntime } from './runtime';

const SETUP_TIMEOUT_MS = 25 * 60 * 1000;
const CREDENTIAL = { type: 'symphonyApi', id: 'symphonyUserSearchE2e', name: 'Symphony (simulator token)' };

const users = demoUsers();
const CAROL = users.find((user) => user.email === 'carol@globex.example')!;
const ALICE = users.find((user) => user.email === 'alice@acme.example')!;

let sim: PodSimulator;
let n8n: N8n;
let packed: Packed | undefined;
let started: StartedN8n | undefined;
let cookie: string;

function log(message: string): void {
	process.stderr.write(`[e2e user search] ${message}\n`);
}

beforeAll(async () => {
	const runtime = await ensureRuntime();
	packed = await buildAndPack(log);
	n8n = new N8n(runtime);
	n8n.installPackage(packed.tarball);
	sim = await startSimulator({ users });
	await n8n.importCredentials([{ ...CREDENTIAL, data: { podUrl: sim.url, sessionKind: 'sessionToken', token: sim.token } }]);
	started = await n8n.start();
	cookie = await ownerSession(started.url);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
	await started?.stop();
	await sim?.close();
	await n8n?.dispose();
	packed?.cleanup();
});

interface SearchResult {
	results: Array<{ name: string; value: string }>;
	paginationToken?: string;
}

/** What the editor posts while the user types into the User field of Presence → Get (version 2). */
async function searchAsTheEditor(filter: string, paginationToken?: string): Promise<SearchResult> {
	const { data } = await rest<SearchResult>(started!.url, 'POST', 'dynamic-node-parameters/resource-locator-results', {
		cookie,
		body: {
			nodeTypeAndVersion: { name: 'n8n-nodes-symphony.symphony', version: 2 },
			path: 'parameters.user',
			methodName: 'searchUsers',
			filter,
			...(paginationToken !== undefined && { paginationToken }),
			currentNodeParameters: {
				authentication: 'symphonyApi',
				resource: 'presence',
				operation: 'get',
				user: { __rl: true, mode: 'list', value: '' },
				local: false,
				options: {},
			},
			credentials: { symphonyApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
		},
	});
	return data;
}

test('the editor\'s user search lists people by name, marks people at other firms, and sends the credential\'s token', async () => {
	const carol = await searchAsTheEditor('carol');
	// People at other firms lead with the marker, so it is never the part the editor cuts.
	expect(carol.results).toEqual([{ name: 'External · Carol Diaz · Globex', value: CAROL.id }]);
	const alice = await searchAsTheEditor('Alice M');
	expect(alice.results).toEqual([{ name: 'Alice Martin · alice@acme.example · Acme', value: ALICE.id }]);

	const searches = sim.requestsTo('/pod/v1/user/search', 'POST');
	expect(searches.map((r) => JSON.parse(r.body))).toEqual([{ query: 'carol' }, { query: 'Alice M' }]);
	expect(searches.every((r) => r.headers.sessiontoken === sim.token)).toBe(true);
}, 60 * 1000);

test('scrolling the list asks for the next page with the token the previous page gave', async () => {
	for (let i = 0; i < 55; i++) sim.addUser({ id: String(7215545070000 + i), username: `trader${i}`, displayName: `Trader ${i}`, company: 'Acme' });
	const sessionReads = () => sim.requestsTo('/pod/v2/sessioninfo').length;
	const sessionReadsBefore = sessionReads();
	const first = await searchAsTheEditor('trader');
	expect(first.results).toHaveLength(50);
	// The next skip, and the caller's tenant read with the first page (no session read per page).
	expect(first.paginationToken).toBe('50:105');
	const second = await searchAsTheEditor('trader', first.paginationToken);
	expect(second.results).toHaveLength(5);
	expect(second.paginationToken).toBeUndefined();
	expect(sessionReads() - sessionReadsBefore).toBe(1);
	expect(new Set([...first.results, ...second.results].map((entry) => entry.value)).size).toBe(55);
}, 60 * 1000);
