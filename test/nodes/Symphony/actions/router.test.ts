import type { IDataObject } from 'n8n-workflow';

import type { SymphonyMap, SymphonyResource } from '../../../../nodes/Symphony/actions/types';
import { chain, type Harness, type RunResult } from '../../../harness';
import { PRESENCE_PRIVILEGE, USER_PROVISIONING, type LoggedRequest, type PodSimulator } from '../../../simulator';
import { call } from '../../../simulator/call';
import { ALICE, BIG_ID, BOT, CAROL_EXTERNAL, ERIN_NOT_CONNECTED, SECRET_TOKEN, startPod } from '../../../support/pod';
import { BOT_USERNAME, RSA, botKeyPair, startRsaPod } from '../../../support/rsa';
import { expectNoSecrets } from '../../../support/secrets';
import { DEFAULT_KEY_MANAGER_TOKEN, SUPPRESS_PRIVILEGE, simMessagingOf } from '../../../simulator/routes/messages';

const ADMIN_PRIVILEGES = [PRESENCE_PRIVILEGE, USER_PROVISIONING, SUPPRESS_PRIVILEGE];

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
			const pod = await startPod({ sessions: [{ token: SECRET_TOKEN, userId: BOT, privileges: ADMIN_PRIVILEGES }] }, { keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN });
			return { ...pod, authentication: {}, credentials: 'symphonyApi', secrets: () => [SECRET_TOKEN, DEFAULT_KEY_MANAGER_TOKEN], tokens: () => [SECRET_TOKEN] };
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

/** One operation run as a short workflow: the Symphony nodes, then what the last one must output and send. */
interface Execution {
	/** Parameters of the node under test; resource and operation come from the keys the execution is filed under. */
	parameters: IDataObject;
	/** What happens at the pod before the run (the other side of a connection request). */
	setup?: (sim: PodSimulator) => Promise<unknown>;
	/** Symphony nodes that run before it. */
	before?: Array<{ name: string; parameters: IDataObject }>;
	expectOutput: (output: IDataObject[]) => void;
	/** Every request of the run to /pod/, in order, as `METHOD path?query body` (see `describeCall`). */
	podCalls: (result: RunResult) => string[];
}

/**
 * Every operation of every resource through a real execution. Typed by `SymphonyMap`, so an
 * operation added, renamed or removed there fails to compile here until it has its execution.
 */
/** Erin, at another firm, asks the bot to connect (through the simulator's control route). */
const erinAsksToConnect = async (sim: PodSimulator) =>
	await call(sim, 'POST', `/_sim/users/${ERIN_NOT_CONNECTED}/connection/create`, `{"userId":${BOT}}`, null);

/** A room of the bot and Alice with one message of the bot's in it (for the Message operations). */
const ROOM = 'router-room-stream-0001';
const ROOM_MESSAGE = 'router-room-message-0001';
const roomWithMessage = async (sim: PodSimulator) => {
	const messaging = simMessagingOf(sim);
	messaging.addStream({ id: ROOM, type: 'ROOM', members: [BOT, ALICE] });
	return await Promise.resolve(messaging.addMessage({ messageId: ROOM_MESSAGE, streamId: ROOM, timestamp: Date.UTC(2026, 0, 5), userId: BOT, text: 'Desk open' }));
};

const EXECUTIONS: { [R in SymphonyResource]: { [O in SymphonyMap[R]]: Execution } } = {
	stream: {
		addMember: {
			before: [{ name: 'Create', parameters: { resource: 'stream', operation: 'createRoom', name: 'Desk' } }],
			parameters: { room: { __rl: true, mode: 'id', value: '={{ $("Create").item.json.streamId }}' }, userIds: ALICE },
			expectOutput: (output) => expect(output).toEqual([{ streamId: expect.stringMatching(/^[\w-]{32}$/), userId: ALICE, added: true }]),
			podCalls: (result) => ['POST /pod/v3/room/create {"name":"Desk"}', `POST /pod/v1/room/${String(result.json('Create')[0].streamId)}/membership/add {"id":${ALICE}}`],
		},
		createRoom: {
			parameters: { name: 'Desk', members: ALICE },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ name: 'Desk', creatorId: BOT, active: true, addedUserIds: [ALICE] })]),
			podCalls: (result) => ['POST /pod/v3/room/create {"name":"Desk"}', `POST /pod/v1/room/${String(result.json('Node')[0].streamId)}/membership/add {"id":${ALICE}}`],
		},
		getRoom: {
			before: [{ name: 'Create', parameters: { resource: 'stream', operation: 'createRoom', name: 'Desk', description: 'Rates' } }],
			parameters: { room: { __rl: true, mode: 'id', value: '={{ $("Create").item.json.streamId }}' } },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ name: 'Desk', description: 'Rates', creatorId: BOT })]),
			podCalls: (result) => ['POST /pod/v3/room/create {"name":"Desk","description":"Rates"}', `GET /pod/v3/room/${String(result.json('Create')[0].streamId)}/info`],
		},
		removeMember: {
			before: [{ name: 'Create', parameters: { resource: 'stream', operation: 'createRoom', name: 'Desk', members: ALICE } }],
			parameters: { room: { __rl: true, mode: 'id', value: '={{ $("Create").item.json.streamId }}' }, userIds: ALICE },
			expectOutput: (output) => expect(output).toEqual([{ streamId: expect.stringMatching(/^[\w-]{32}$/), userId: ALICE, removed: true }]),
			podCalls: (result) => {
				const room = String(result.json('Create')[0].streamId);
				return ['POST /pod/v3/room/create {"name":"Desk"}', `POST /pod/v1/room/${room}/membership/add {"id":${ALICE}}`, `POST /pod/v1/room/${room}/membership/remove {"id":${ALICE}}`];
			},
		},
		searchRooms: {
			before: [{ name: 'Create', parameters: { resource: 'stream', operation: 'createRoom', name: 'Rates desk' } }],
			parameters: { query: 'rates', limit: 10 },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ name: 'Rates desk', creatorId: BOT })]),
			podCalls: () => ['POST /pod/v3/room/create {"name":"Rates desk"}', 'POST /pod/v3/room/search?skip=0&limit=10 {"query":"rates"}'],
		},
		createIm: {
			parameters: { userIds: ALICE },
			expectOutput: (output) => expect(output).toEqual([{ streamId: expect.stringMatching(/^[\w-]{32}$/), userIds: [ALICE] }]),
			podCalls: () => [`POST /pod/v1/im/create [${ALICE}]`],
		},
	},
	message: {
		send: {
			parameters: { sendTo: 'users', userIds: ALICE, text: 'Back at <desk> & ${ready}' },
			expectOutput: (output) =>
				expect(output).toEqual([{ messageId: expect.stringMatching(/^[\w-]+$/), streamId: expect.stringMatching(/^[\w-]+$/), timestamp: expect.any(Number), text: 'Back at <desk> & ${ready}' }]),
			podCalls: () => [`POST /pod/v1/im/create [${ALICE}]`],
		},
		sendToMany: {
			setup: roomWithMessage,
			parameters: { streamIds: `${ROOM}, not-my-stream-0001`, text: 'All: ${ready}' },
			expectOutput: (output) =>
				expect(output).toEqual([
					{ streamId: ROOM, sent: true, messageId: expect.stringMatching(/^[\w-]+$/), timestamp: expect.any(Number), text: 'All: ${ready}' },
					{ streamId: 'not-my-stream-0001', sent: false, errorCode: 400, errorMessage: 'Stream not-my-stream-0001 not found', text: 'All: ${ready}' },
				]),
			podCalls: () => [],
		},
		update: {
			setup: roomWithMessage,
			parameters: { streamId: ROOM, messageId: ROOM_MESSAGE, text: 'Desk closed' },
			expectOutput: (output) =>
				expect(output).toEqual([{ messageId: expect.stringMatching(/^[\w-]+$/), streamId: ROOM, timestamp: expect.any(Number), text: 'Desk closed', replacedMessageId: ROOM_MESSAGE }]),
			podCalls: () => [],
		},
		getMany: {
			setup: roomWithMessage,
			parameters: { streamId: ROOM, since: '2026-01-01T00:00:00Z' },
			expectOutput: (output) =>
				expect(output).toEqual([{ messageId: ROOM_MESSAGE, streamId: ROOM, timestamp: Date.UTC(2026, 0, 5), sender: { userId: BOT, email: 'bot@acme.example' }, text: 'Desk open', raw: expect.objectContaining({ messageId: ROOM_MESSAGE }) }]),
			podCalls: () => [],
		},
		suppress: {
			setup: roomWithMessage,
			parameters: { messageId: ROOM_MESSAGE },
			expectOutput: (output) => expect(output).toEqual([{ messageId: ROOM_MESSAGE, suppressed: true, suppressionDate: expect.any(Number) }]),
			podCalls: () => [`POST /pod/v1/admin/messagesuppression/${ROOM_MESSAGE}/suppress`],
		},
	},
	connection: {
		accept: {
			setup: erinAsksToConnect,
			parameters: { userId: ERIN_NOT_CONNECTED },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ userId: ERIN_NOT_CONNECTED, status: 'ACCEPTED', connected: true })]),
			podCalls: () => [`POST /pod/v1/connection/accept {"userId":${ERIN_NOT_CONNECTED}}`],
		},
		create: {
			parameters: { userIds: ERIN_NOT_CONNECTED },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ userId: ERIN_NOT_CONNECTED, status: 'PENDING_OUTGOING', result: 'sent' })]),
			podCalls: () => [
				`GET /pod/v1/connection/list?status=ALL&userIds=${ERIN_NOT_CONNECTED}`,
				`POST /pod/v1/connection/create {"userId":${ERIN_NOT_CONNECTED}}`,
			],
		},
		get: {
			parameters: { userId: CAROL_EXTERNAL },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ userId: CAROL_EXTERNAL, status: 'ACCEPTED', connected: true })]),
			podCalls: () => [`GET /pod/v1/connection/user/${CAROL_EXTERNAL}/info`],
		},
		getMany: {
			parameters: { status: 'ACCEPTED' },
			expectOutput: (output) => expect(output.map((c) => c.userId)).toEqual([CAROL_EXTERNAL, BIG_ID]),
			podCalls: () => ['GET /pod/v1/connection/list?status=ACCEPTED'],
		},
		reject: {
			setup: erinAsksToConnect,
			parameters: { userId: ERIN_NOT_CONNECTED },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ userId: ERIN_NOT_CONNECTED, status: 'REJECTED', connected: false })]),
			podCalls: () => [`POST /pod/v1/connection/reject {"userId":${ERIN_NOT_CONNECTED}}`],
		},
		remove: {
			parameters: { userId: CAROL_EXTERNAL },
			expectOutput: (output) => expect(output).toEqual([{ userId: CAROL_EXTERNAL, removed: true }]),
			podCalls: () => [`POST /pod/v1/connection/user/${CAROL_EXTERNAL}/remove`],
		},
	},
	presence: {
		get: {
			parameters: { identifyBy: 'email', email: 'alice@acme.example' },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ userId: ALICE, email: 'alice@acme.example', category: 'AVAILABLE' })]),
			podCalls: () => ['GET /pod/v3/users?email=alice@acme.example&local=false', `GET /pod/v3/user/${ALICE}/presence`],
		},
		getMany: {
			parameters: { returnAll: true },
			expectOutput: (output) => expect(output.map((p) => p.userId)).toContain(ALICE),
			podCalls: () => ['GET /pod/v2/users/presence?limit=1000'],
		},
		getMine: {
			parameters: {},
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ userId: BOT })]),
			podCalls: () => ['GET /pod/v2/user/presence'],
		},
		registerInterest: {
			parameters: { identifyBy: 'username', usernames: 'carol' },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ userId: CAROL_EXTERNAL, username: 'carol', registered: true })]),
			podCalls: () => ['GET /pod/v3/users?username=carol&local=false', `POST /pod/v1/user/presence/register [${CAROL_EXTERNAL}]`],
		},
		setForUser: {
			parameters: { userId: ALICE, status: 'IN_A_MEETING' },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ userId: ALICE, category: 'IN_A_MEETING' })]),
			podCalls: () => [`POST /pod/v3/user/presence?soft=false {"category":"IN_A_MEETING","userId":${ALICE}}`],
		},
		setMine: {
			parameters: { status: 'BE_RIGHT_BACK' },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ userId: BOT, category: 'BE_RIGHT_BACK' })]),
			podCalls: () => ['POST /pod/v2/user/presence?soft=false {"category":"BE_RIGHT_BACK"}'],
		},
	},
	presenceFeed: {
		create: {
			parameters: {},
			expectOutput: (output) => expect(output).toEqual([{ feedId: expect.any(String) }]),
			podCalls: () => ['POST /pod/v1/presence/feed/create'],
		},
		read: {
			before: [
				{ name: 'Create', parameters: { resource: 'presenceFeed', operation: 'create' } },
				{ name: 'Set', parameters: { resource: 'presence', operation: 'setMine', status: 'AWAY' } },
			],
			parameters: { feedId: '={{ $("Create").item.json.feedId }}' },
			// The change Set My Presence made.
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ userId: BOT, category: 'AWAY' })]),
			podCalls: (result) => [
				'POST /pod/v1/presence/feed/create',
				'POST /pod/v2/user/presence?soft=false {"category":"AWAY"}',
				`GET /pod/v1/presence/feed/${String(result.json('Create')[0].feedId)}/read`,
			],
		},
		deleteFeed: {
			before: [{ name: 'Create', parameters: { resource: 'presenceFeed', operation: 'create' } }],
			parameters: { feedId: '={{ $("Create").item.json.feedId }}' },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ deleted: true })]),
			podCalls: (result) => [
				'POST /pod/v1/presence/feed/create',
				`POST /pod/v1/presence/feed/${String(result.json('Create')[0].feedId)}/delete`,
			],
		},
	},
	user: {
		get: {
			parameters: { identifyBy: 'email', emails: 'alice@acme.example' },
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ id: ALICE, userId: ALICE })]),
			podCalls: () => ['GET /pod/v3/users?email=alice@acme.example'],
		},
		getMine: {
			parameters: {},
			expectOutput: (output) => expect(output).toEqual([expect.objectContaining({ id: BOT, userId: BOT })]),
			podCalls: () => ['GET /pod/v2/sessioninfo'],
		},
	},
};

const OPERATIONS = Object.entries(EXECUTIONS).flatMap(([resource, executions]) =>
	Object.entries(executions as Record<string, Execution>).map(([operation, execution]) => [`${resource} → ${operation}`, resource, operation, execution] as const),
);

/** A request as the pod received it, in one line: `POST /pod/v2/user/presence?soft=false {"category":"AWAY"}`. */
function describeCall(call: LoggedRequest): string {
	const query = Object.entries(call.query).map(([key, value]) => `${key}=${value}`).join('&');
	return `${call.method} ${call.path}${query === '' ? '' : `?${query}`}${call.body === '' ? '' : ` ${call.body}`}`;
}

describe.each(CREDENTIALS)('every operation through the %s credential', (_name, startWith) => {
	let pod: Pod;
	afterEach(async () => await pod.sim.close());

	test.each(OPERATIONS)('%s', async (_title, resource, operation, execution) => {
		pod = await startWith();
		await execution.setup?.(pod.sim);
		const steps = [...(execution.before ?? []), { name: 'Node', parameters: { resource, operation, ...execution.parameters } }];
		const result = await pod.harness.run(
			chain(
				steps.map((step) => ({ ...step, parameters: { ...step.parameters, ...pod.authentication }, credentials: pod.credentials })),
				[{}],
			),
		);
		expect(result.error).toBeUndefined();
		execution.expectOutput(result.json('Node'));
		const podCalls = pod.sim.requestsTo('/pod/');
		expect(podCalls.map(describeCall)).toEqual(execution.podCalls(result));
		for (const call of podCalls) expect(pod.tokens()).toContain(call.headers.sessiontoken);
		expectNoSecrets(result.run, pod.secrets());
	});
});

describe('a resource and operation the node does not have (a workflow from elsewhere)', () => {
	test.each([
		['presence', 'nope'],
		['user', 'getMany'],
		['presence', 'toString'],
	])('%s → %s fails the execution naming both, before any request', async (resource, operation) => {
		const { sim, harness } = await startPod();
		try {
			const result = await harness.run(chain([{ name: 'Node', parameters: { resource, operation } }], [{}]));
			expect(result.error?.message).toBe(`The operation "${operation}" of resource "${resource}" is not known`);
			expect(result.error?.description).toBe('Pick a resource and operation from the lists in the node.');
			expect(sim.requests).toEqual([]);
		} finally {
			await sim.close();
		}
	});
});
