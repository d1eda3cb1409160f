/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- development code: runs in Node, never packed; its secrets are fakes for the simulator */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { chain, createHarness } from '../harness';
import { expectNoSecrets } from '../support/secrets';
import { ALICE, SECRET_TOKEN, getPresence, startPod, type PodFixture } from '../support/pod';

describe('Symphony API credential', () => {
	let pod: PodFixture;
	afterEach(async () => await pod?.sim.close());

	const credentialTest = async (credential: Record<string, string>) => {
		const harness = createHarness({ symphonyApi: { sessionKind: 'sessionToken', ...credential } });
		return await harness.testCredential('symphonyApi');
	};

	test.each([
		['the plain address', (url: string) => url],
		['a trailing slash', (url: string) => `${url}/`],
		['a trailing /pod', (url: string) => `${url}/pod/`],
		['spaces around it', (url: string) => `  ${url}  `],
	])('the connection test passes for %s, sending the token as the sessionToken header', async (_name, podUrl) => {
		pod = await startPod();
		const result = await credentialTest({ podUrl: podUrl(pod.sim.url), token: SECRET_TOKEN });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(pod.sim.requests.map((r) => [r.path, r.headers.sessiontoken])).toEqual([['/pod/v2/sessioninfo', SECRET_TOKEN]]);
	});

	test('a bad token: the message says the pod refused the token; one request, and nothing for n8n to log', async () => {
		pod = await startPod();
		const harness = createHarness({ symphonyApi: { sessionKind: 'sessionToken', podUrl: pod.sim.url, token: 'tok-WRONG-00000000' } });
		const result = await harness.testCredential('symphonyApi');
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused the token: it is invalid or has expired/);
		expect(result.message).not.toContain('tok-WRONG');
		// n8n sends a request refused with 401 once more; read as an answer, the refusal is not retried.
		expect(pod.sim.requests.map((r) => r.path)).toEqual(['/pod/v2/sessioninfo']);
		// n8n's tester logs what the test request throws, with the HTTP client's stack.
		expect(harness.credentialTestReports).toEqual([]);
	});

	test.each<[string, number, RegExp]>([
		['403', 403, /may not read session info/],
		['500', 500, /^The pod had an internal problem \(500\)\. Try again later/],
	])('a %s from the pod: its own message, one request, nothing logged', async (_name, status, message) => {
		pod = await startPod();
		pod.sim.fault({ path: '/pod/v2/sessioninfo', status });
		const harness = createHarness({ symphonyApi: { sessionKind: 'sessionToken', podUrl: pod.sim.url, token: SECRET_TOKEN } });
		expect(await harness.testCredential('symphonyApi')).toEqual({ status: 'Error', message: expect.stringMatching(message) });
		expect(pod.sim.requests).toHaveLength(1);
		expect(harness.credentialTestReports).toEqual([]);
	});

	test('a web page answering 200 at the address is not taken for a pod', async () => {
		const other = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>Welcome</body></html>'));
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		const { port } = other.address() as AddressInfo;
		const result = await credentialTest({ podUrl: `http://127.0.0.1:${port}`, token: SECRET_TOKEN });
		await new Promise((resolve) => other.close(resolve));
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/not a Symphony pod. Check the Pod URL/) });
	});

	test('a wrong URL (something else answers 404): the message says it is not a pod', async () => {
		const other = createServer((_req, res) => res.writeHead(404).end('Not here'));
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		const { port } = other.address() as AddressInfo;
		const result = await credentialTest({ podUrl: `http://127.0.0.1:${port}`, token: SECRET_TOKEN });
		await new Promise((resolve) => other.close(resolve));
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/not a Symphony pod. Check the Pod URL/) });
	});

	test('an unreachable pod: n8n reports the connection failure', async () => {
		pod = await startPod();
		const { url } = pod.sim;
		await pod.sim.close();
		const result = await credentialTest({ podUrl: url, token: SECRET_TOKEN });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/ECONNREFUSED|refused/i) });
	});

	test('whitespace pasted around the token is trimmed', async () => {
		pod = await startPod({}, { token: `  ${SECRET_TOKEN}\n` });
		const result = await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ userId: ALICE }) }]));
		expect(result.json('Get')[0]).toMatchObject({ category: 'AVAILABLE' });
		expect(pod.sim.requests[0].headers.sessiontoken).toBe(SECRET_TOKEN);
	});

	test('an OBO session token goes in the same header', async () => {
		pod = await startPod({}, { sessionKind: 'oboSessionToken' });
		const result = await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ userId: ALICE }) }]));
		expect(result.error).toBeUndefined();
		expect(pod.sim.requests[0].headers.sessiontoken).toBe(SECRET_TOKEN);
	});

	test.each([
		['ftp://acme.symphony.com', /Pod URL: "ftp:\/\/acme.symphony.com" uses ftp/],
		['not a url', /Pod URL: "not a url" is not a web address/],
		['https://acme.symphony.com/?next=1', /query, fragment or login part/],
		['https://acme.symphony.com/#x', /query, fragment or login part/],
	])('the node refuses Pod URL %p with a clear message on every item', async (podUrl, message) => {
		pod = await startPod({}, { podUrl });
		const result = await pod.harness.run(
			chain([{ name: 'Get', parameters: getPresence(), continueOnFail: true }], [{ userId: ALICE }, { userId: ALICE }]),
		);
		const items = result.items('Get');
		expect(items).toHaveLength(2);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of items) expect(item.json.error).toMatch(message);
		expect(pod.sim.requests).toHaveLength(0);
		expectNoSecrets(result.run, [SECRET_TOKEN]);
	});

	test('an empty token is refused by the pod as invalid, and the message says what to do', async () => {
		pod = await startPod({}, { token: '' });
		const result = await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ userId: ALICE }) }]));
		expect(result.error?.message).toMatch(/invalid or has expired \(401\)/);
	});
});
