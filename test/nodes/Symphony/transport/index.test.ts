import { NodeApiError, type IExecuteFunctions, type INodeExecutionData, type INodeType } from 'n8n-workflow';

import {
	DEFAULT_CLIENT_SETTINGS,
	createSymphonyClient,
	type ClientSettings,
	type SymphonyClient,
} from '../../../../nodes/Symphony/transport';
import { chain, nodeTypeClasses } from '../../../harness';
import { testNodeDescription } from '../../../harness/testNodes';
import { ALICE, BOB, SECRET_TOKEN, startPod, type PodFixture } from '../../../support/pod';
import { expectNoSecrets } from '../../../support/secrets';

/**
 * The Symphony client on its own, inside a real node execution against the pod simulator: how it
 * joins the Pod URL and the path, what it sends, what it counts, and how an answer it cannot use
 * becomes an error. Retries per fault kind are in test/reliability/faults.test.ts, the credential
 * work per request in credentialCost.test.ts.
 */

type Use = (client: SymphonyClient) => Promise<unknown>;

const CLIENT_TYPE = 'test.symphonyClientProbe';
let probe: { settings: ClientSettings; use: Use } | undefined;
let outcome: { value?: unknown; error?: unknown; stats?: SymphonyClient['stats'] } = {};

/** A node whose execution makes one client with the test's settings and hands it to the test. */
class ClientProbeNode implements INodeType {
	description = testNodeDescription({
		displayName: 'Symphony Client Probe',
		name: 'symphonyClientProbe',
		description: 'Calls the pod through the Symphony client',
		credentials: [{ name: 'symphonyApi', required: true }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const client = await createSymphonyClient(this, probe!.settings);
		try {
			outcome.value = await probe!.use(client);
		} catch (error) {
			outcome.error = error;
		}
		outcome.stats = { ...client.stats };
		return [[{ json: {} }]];
	}
}

nodeTypeClasses[CLIENT_TYPE] = new ClientProbeNode();

const ACTION = 'reading the test resource';
const PRESENCE = `/pod/v3/user/${ALICE}/presence`;

describe('Symphony client', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	/** Runs `use` with a client made in a node execution; what it returned or threw, and the client's counts. */
	async function withClient(use: Use, settings: Partial<ClientSettings> = {}) {
		probe = { settings: { credentialType: 'symphonyApi', ...DEFAULT_CLIENT_SETTINGS, ...settings }, use };
		outcome = {};
		const result = await pod.harness.run(chain([{ name: 'Client', type: CLIENT_TYPE, parameters: {} }]));
		expect(result.error).toBeUndefined();
		return outcome;
	}

	const get = (path: string, extra: object = {}) => async (client: SymphonyClient) =>
		await client.request({ method: 'GET', path, action: ACTION, ...extra });

	function errorOf(error: unknown) {
		const e = error as NodeApiError;
		return { class: e instanceof NodeApiError ? e.name : 'not a NodeApiError', message: e.message, description: e.description, httpCode: e.httpCode };
	}

	describe('base URL', () => {
		test.each([
			['without a trailing slash', '', PRESENCE],
			['with a trailing slash', '/', PRESENCE],
			['with the API path pasted too', '/pod/', PRESENCE],
			['with a path prefix (a proxy)', '/symphony/', `/symphony${PRESENCE}`],
		])('a Pod URL %s: the call goes to the path below it, query included', async (_label, suffix, path) => {
			pod = await startPod();
			pod.harness.credentialsHelper.setCredentials('symphonyApi', { podUrl: `${pod.sim.url}${suffix}`, sessionKind: 'sessionToken', token: SECRET_TOKEN });
			pod.sim.fault({ body: '{"answered":true}' });
			const { value } = await withClient(get(PRESENCE, { qs: { local: true } }));
			expect(value).toEqual({ status: 200, body: { answered: true } });
			expect(pod.sim.requests.map((r) => [r.method, r.path, r.query])).toEqual([['GET', path, { local: 'true' }]]);
		});
	});

	describe('what is sent', () => {
		test('the session token as the sessionToken header, the body exactly as given', async () => {
			pod = await startPod();
			const { value, stats } = await withClient(
				async (client) => await client.request({ method: 'POST', path: '/pod/v1/user/presence/register', body: `[${ALICE}, ${BOB}]`, action: ACTION }),
			);
			expect(value).toEqual({ status: 200, body: { format: 'TEXT', message: 'OK' } });
			expect(stats).toEqual({ requests: 1, retries: 0 });
			const [sent] = pod.sim.requests;
			expect([sent.headers.sessiontoken, sent.headers['content-type'], sent.headers.accept, sent.body]).toEqual([
				SECRET_TOKEN,
				'application/json',
				'application/json',
				`[${ALICE}, ${BOB}]`,
			]);
		});

		test('the token is in no error: a 401 for it is explained without it', async () => {
			pod = await startPod();
			pod.sim.sessions.clear();
			const { error, stats } = await withClient(get(PRESENCE));
			expect(errorOf(error)).toEqual({
				class: 'SymphonyApiError',
				message: `The Symphony session token is invalid or has expired (401) while ${ACTION}`,
				description: 'Renew the token in the Symphony credential, or use the RSA key credential, which logs in again by itself when a session ends.',
				httpCode: '401',
			});
			expectNoSecrets(error, [SECRET_TOKEN]);
			expect(pod.sim.requests[0].headers.sessiontoken).toBe(SECRET_TOKEN);
			expect(stats).toEqual({ requests: 1, retries: 0 });
		});

		test('a pod or proxy that echoes the token in its message: Symphony\'s words are shown with the token blanked out', async () => {
			pod = await startPod();
			pod.sim.fault({ path: PRESENCE, status: 400, body: JSON.stringify({ code: 400, message: `Bad header sessionToken=${SECRET_TOKEN}` }) });
			const { error } = await withClient(get(PRESENCE));
			expect((error as NodeApiError).description).toContain('Symphony said: "Bad header sessionToken=[hidden]".');
			expectNoSecrets(error, [SECRET_TOKEN]);
		});
	});

	describe('a refusal (4xx)', () => {
		const hints = { 403: 'Reading this needs the TEST_READ privilege.' };

		test.each([
			[403, 'Missing privilege', `Symphony refused access while ${ACTION} (403 Forbidden)`, 'Reading this needs the TEST_READ privilege. Symphony said: "Missing privilege".'],
			[404, 'No such thing', `Not found while ${ACTION} (404)`, 'Symphony knows no such user or resource. Symphony said: "No such thing". Check the user ID; IDs are numbers such as 7215545078541.'],
		])('%i: a SymphonyApiError with the call\'s hint for that status, else the general one, and Symphony\'s message; not retried', async (status, said, message, description) => {
			pod = await startPod();
			pod.sim.fault({ path: PRESENCE, status, body: JSON.stringify({ code: status, message: said }) });
			const { error, stats } = await withClient(get(PRESENCE, { hints }));
			expect(errorOf(error)).toEqual({ class: 'SymphonyApiError', message, description, httpCode: String(status) });
			expect(stats).toEqual({ requests: 1, retries: 0 });
		});
	});

	describe('retries', () => {
		test('a 503 then a 200: two requests, one retry, the answer of the second', async () => {
			pod = await startPod();
			pod.sim.fault({ path: PRESENCE, status: 503, retryAfter: '0' });
			const { value, stats } = await withClient(get(PRESENCE));
			expect(value).toEqual({ status: 200, body: { category: 'AVAILABLE', userId: Number(ALICE), timestamp: expect.any(Number) } });
			expect(pod.sim.requests.map((r) => r.status)).toEqual([503, 200]);
			expect(stats).toEqual({ requests: 2, retries: 1 });
		});

		test('Retry-After is waited out: the retry comes after a 0.6 s answer that started with the refused call', async () => {
			pod = await startPod();
			// Without Retry-After the first backoff is at most 0.5 s, so the retry would come before Bob's answer.
			pod.sim.fault({ path: PRESENCE, status: 503, retryAfter: '1' });
			pod.sim.fault({ path: `/pod/v3/user/${BOB}`, delayMs: 600 });
			const { value, stats } = await withClient(async (client) => await Promise.all([get(PRESENCE)(client), get(`/pod/v3/user/${BOB}/presence`)(client)]));
			expect((value as Array<{ status: number }>).map((response) => response.status)).toEqual([200, 200]);
			const order = pod.sim.events
				.filter(({ kind, request }) => (request.path === PRESENCE ? kind === 'arrived' : kind === 'answered'))
				.map(({ kind, request }) => `${request.path === PRESENCE ? 'Alice' : 'Bob'} ${kind} ${request.status}`);
			expect(order).toEqual(['Alice arrived 503', 'Bob answered 200', 'Alice arrived 200']);
			expect(stats).toEqual({ requests: 3, retries: 1 });
		});
	});

	describe('the timeout setting', () => {
		const slowAnswer = async (timeoutMs: number) => {
			pod = await startPod();
			pod.sim.fault({ path: PRESENCE, delayMs: 600 });
			return await withClient(get(PRESENCE), { timeoutMs, retry: { maxAttempts: 1, maxWaitMs: 0 } });
		};

		test('an answer after 0.6 s within a timeout of 2 s is taken', async () => {
			const { value, error } = await slowAnswer(2000);
			expect([(value as { status?: number } | undefined)?.status, error]).toEqual([200, undefined]);
		});

		test('an answer after 0.6 s with a timeout of 0.2 s is not waited for: the pod "did not answer in time"', async () => {
			const { error, stats } = await slowAnswer(200);
			expect(errorOf(error)).toEqual({
				class: 'SymphonyApiError',
				message: `Could not reach Symphony at ${pod.sim.url} while ${ACTION}: the pod did not answer in time`,
				description: 'Check the Pod URL in the credential (e.g. https://acme.symphony.com), that this n8n instance can reach the pod through its network or proxy, and try again.',
				httpCode: null,
			});
			expect(stats).toEqual({ requests: 1, retries: 0 });
		});
	});

	describe('the body of a 2xx answer', () => {
		test.each([
			['JSON: integers beyond 2^53 as digit strings, the others as numbers', '{"userId":9007199254740993,"n":1}', { userId: '9007199254740993', n: 1 }],
			['empty: no body', '', undefined],
		])('%s', async (_label, text, body) => {
			pod = await startPod();
			pod.sim.fault({ path: PRESENCE, body: text });
			const { value } = await withClient(get(PRESENCE));
			expect(value).toEqual({ status: 200, body });
		});

		test.each([
			[
				'a web page',
				'<html><body>Sign in</body></html>',
				'The pod sent a web page instead of data. Check that the Pod URL in the credential points at your Symphony pod (e.g. https://acme.symphony.com), not at a login page or proxy.',
			],
			[
				'cut-off JSON',
				'{"category":"AVAI',
				'The pod sent an empty, cut-off or unexpected body. Try again; if it persists, check the Pod URL and any proxy between n8n and Symphony.',
			],
		])('%s: the unreadable-response error, not retried', async (_label, text, description) => {
			pod = await startPod();
			pod.sim.fault({ path: PRESENCE, body: text });
			const { error, stats } = await withClient(get(PRESENCE));
			expect(errorOf(error)).toEqual({
				class: 'SymphonyApiError',
				message: `Symphony's answer could not be read while ${ACTION} (status 200)`,
				description,
				httpCode: '200',
			});
			expect(stats).toEqual({ requests: 1, retries: 0 });
		});
	});
});
