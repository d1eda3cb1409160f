import { chain } from '../../../harness';
import { ALICE, BOB, SECRET_TOKEN, getPresence, startPod, type PodFixture } from '../../../support/pod';
import { RSA, startRsaPod, type RsaPodFixture } from '../../../support/rsa';

/**
 * What a request costs in credential work: the credential is read once per node execution and each
 * request carries one header, instead of n8n reading and decrypting the credential and evaluating
 * its `authenticate` expression on every request. The RSA credential goes through n8n's credential
 * path only to log in.
 */

const users = (count: number) => Array.from({ length: count }, (_, i) => ({ userId: i % 2 ? ALICE : BOB }));

describe('credential work per request', () => {
	let pod: PodFixture | RsaPodFixture;
	afterEach(async () => await pod?.sim.close());

	test('token credential: 40 reads, one credential read, no authenticate per request', async () => {
		pod = await startPod();
		const result = await pod.harness.run(chain([{ name: 'Get', parameters: getPresence({ options: { concurrency: 5 } }) }], users(40)));
		expect(result.json('Get')).toHaveLength(40);
		const reads = pod.sim.requestsTo('/pod/v3/user/');
		expect(reads).toHaveLength(40);
		expect(reads.every((r) => r.headers.sessiontoken === SECRET_TOKEN)).toBe(true);
		const { credentialsHelper } = pod.harness;
		expect(credentialsHelper.reads.get('symphonyApi')).toBe(1);
		expect(credentialsHelper.authentications.get('symphonyApi') ?? 0).toBe(0);
	});

	test('RSA credential: 40 reads, one login; n8n authenticates only the call that logs in', async () => {
		const rsaPod = await startRsaPod();
		pod = rsaPod;
		const result = await rsaPod.harness.run(
			chain([{ name: 'Get', parameters: getPresence({ ...RSA, options: { concurrency: 5 } }), credentials: 'symphonyRsaApi' }], users(40)),
		);
		expect(result.json('Get')).toHaveLength(40);
		expect(rsaPod.login.logins()).toBe(1);
		const reads = rsaPod.sim.requestsTo('/pod/v3/user/');
		expect(reads).toHaveLength(40);
		expect(new Set(reads.map((r) => r.headers.sessiontoken))).toEqual(new Set([rsaPod.login.issued[0]]));
		const { credentialsHelper } = rsaPod.harness;
		expect(credentialsHelper.reads.get('symphonyRsaApi')).toBe(1);
		expect(credentialsHelper.authentications.get('symphonyRsaApi')).toBe(1);
		expect(credentialsHelper.preAuthCalls.get('symphonyRsaApi')).toBe(1);
	});
});
