import type { IDataObject } from 'n8n-workflow';

import { chain, type Harness } from '../../../harness';
import { PRESENCE_PRIVILEGE, USER_PROVISIONING, type PodSimulator } from '../../../simulator';
import { ALICE, BOT, CAROL_EXTERNAL, SECRET_TOKEN, startPod } from '../../../support/pod';
import { BOT_USERNAME, RSA, botKeyPair, startRsaPod } from '../../../support/rsa';
import { expectNoSecrets } from '../../../support/secrets';

const ADMIN_PRIVILEGES = [PRESENCE_PRIVILEGE, USER_PROVISIONING];

interface Pod {
	sim: PodSimulator;
	harness: Harness;
	/** Parameters that pick the credential, and the credential type the nodes carry. */
	authentication: IDataObject;
	credentials: string;
	secrets: () => string[];
	/** The session tokens this credential may send to the pod. */
	tokens: () => string[];
}

const CREDENTIALS: Array<[string, () => Promise<Pod>]> = [
	[
		'session token',
		async () => {
			const pod = await startPod({ sessions: [{ token: SECRET_TOKEN, userId: BOT, privileges: ADMIN_PRIVILEGES }] });
			return { ...pod, authentication: {}, credentials: 'symphonyApi', secrets: () => [SECRET_TOKEN], tokens: () => [SECRET_TOKEN] };
		},
	],
	[
		'RSA key',
		async () => {
			const pod = await startRsaPod();
			pod.login.addBot({ username: BOT_USERNAME, userId: BOT, publicKeys: [botKeyPair().publicKeyPem], privileges: ADMIN_PRIVILEGES });
			return { ...pod, authentication: RSA, credentials: 'symphonyRsaApi', secrets: pod.secrets, tokens: () => pod.login.issued };
		},
	],
];

/** Every operation of every resource, each as a short workflow, with what its last node must output. */
const OPERATIONS: Array<[string, Array<{ name: string; parameters: IDataObject }>, (output: IDataObject[]) => void]> = [
	[
		'Presence → Get by email',
		[{ name: 'Get', parameters: { resource: 'presence', operation: 'get', identifyBy: 'email', email: 'alice@acme.example' } }],
		(output) => expect(output).toEqual([expect.objectContaining({ userId: ALICE, email: 'alice@acme.example', category: 'AVAILABLE' })]),
	],
	[
		'Presence → Get Many',
		[{ name: 'Get Many', parameters: { resource: 'presence', operation: 'getMany', returnAll: true } }],
		(output) => expect(output.map((p) => p.userId)).toContain(ALICE),
	],
	[
		'Presence → Get My Presence',
		[{ name: 'Mine', parameters: { resource: 'presence', operation: 'getMine' } }],
		(output) => expect(output).toEqual([expect.objectContaining({ userId: BOT })]),
	],
	[
		'Presence → Register Interest by username',
		[{ name: 'Register', parameters: { resource: 'presence', operation: 'registerInterest', identifyBy: 'username', usernames: 'carol' } }],
		(output) => expect(output).toEqual([expect.objectContaining({ userId: CAROL_EXTERNAL, username: 'carol', registered: true })]),
	],
	[
		'Presence → Set My Presence',
		[{ name: 'Set', parameters: { resource: 'presence', operation: 'setMine', status: 'BE_RIGHT_BACK' } }],
		(output) => expect(output).toEqual([expect.objectContaining({ userId: BOT, category: 'BE_RIGHT_BACK' })]),
	],
	[
		'Presence → Set User Presence (Admin)',
		[{ name: 'Set', parameters: { resource: 'presence', operation: 'setForUser', userId: ALICE, status: 'IN_A_MEETING' } }],
		(output) => expect(output).toEqual([expect.objectContaining({ userId: ALICE, category: 'IN_A_MEETING' })]),
	],
	[
		'Presence Feed → Create, Read (the change Set My Presence made), Delete',
		[
			{ name: 'Create', parameters: { resource: 'presenceFeed', operation: 'create' } },
			{ name: 'Set', parameters: { resource: 'presence', operation: 'setMine', status: 'AWAY' } },
			{ name: 'Read', parameters: { resource: 'presenceFeed', operation: 'read', feedId: '={{ $("Create").item.json.feedId }}' } },
			{ name: 'Delete', parameters: { resource: 'presenceFeed', operation: 'deleteFeed', feedId: '={{ $("Create").item.json.feedId }}' } },
		],
		(output) => expect(output).toEqual([expect.objectContaining({ deleted: true })]),
	],
	[
		'User → Get',
		[{ name: 'Users', parameters: { resource: 'user', operation: 'get', identifyBy: 'email', emails: 'alice@acme.example' } }],
		(output) => expect(output).toEqual([expect.objectContaining({ id: ALICE, userId: ALICE })]),
	],
];

describe.each(CREDENTIALS)('every operation through the %s credential', (_name, startWith) => {
	let pod: Pod;
	afterEach(async () => await pod.sim.close());

	test.each(OPERATIONS)('%s', async (_operation, steps, expectOutput) => {
		pod = await startWith();
		const result = await pod.harness.run(
			chain(
				steps.map((step) => ({ ...step, parameters: { ...step.parameters, ...pod.authentication }, credentials: pod.credentials })),
				[{}],
			),
		);
		expect(result.error).toBeUndefined();
		expectOutput(result.json(steps[steps.length - 1].name));
		const podCalls = pod.sim.requestsTo('/pod/');
		expect(podCalls.length).toBeGreaterThan(0);
		for (const call of podCalls) expect(pod.tokens()).toContain(call.headers.sessiontoken);
		expectNoSecrets(result.run, pod.secrets());
	});
});
