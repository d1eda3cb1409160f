import type { IDataObject, INode } from 'n8n-workflow';

import { resources } from '../../../../nodes/Symphony/actions/router';
import { chain } from '../../../harness';
import { ALICE, BOB, CAROL_EXTERNAL, SECRET_TOKEN, getPresence, register, startPod, type PodFixture } from '../../../support/pod';
import { expectNoSecrets } from '../../../support/secrets';
import { DEFAULT_KEY_MANAGER_TOKEN } from '../../../simulator/routes/messages';

/**
 * The node's "On Error" setting, for every operation: Stop Workflow fails the execution with the
 * message; Continue (regular output) gives an error item beside the good items; Continue (using
 * error output) sends good items to the first output and error items to the second, where n8n
 * shows the message, what to do, and the fields of the input item the error is about.
 */

const FORBIDDEN = { path: '/pod/', status: 403, times: 100 };
/** A room by its stream ID, for operations that fail at the pod. */
const ROOM = { __rl: true, mode: 'id', value: 'lJaLjhvX1ufTwCLmdSFDwH___nfEBjq5dA' };

interface Case {
	/** Parameters of the Symphony node. */
	parameters: IDataObject;
	/** Input items: some good, some bad. */
	input: IDataObject[];
	/** Indexes of the input items that fail. */
	bad: number[];
	/** What the message of a failing item says. */
	message: RegExp;
	/** A pod fault that makes every call fail, for operations without per-item values. */
	fault?: typeof FORBIDDEN;
}

const CASES: Array<[string, Case]> = [
	['Connection → Get', { parameters: { resource: 'connection', operation: 'get', userId: '={{ $json.userId }}' }, input: [{ userId: CAROL_EXTERNAL }, { userId: 'abc' }], bad: [1], message: /^User ID: "abc" is not a Symphony user ID/ }],
	['Connection → Get Many', { parameters: { resource: 'connection', operation: 'getMany', status: '={{ $json.status }}', options: { userIds: CAROL_EXTERNAL } }, input: [{ status: 'ACCEPTED' }, { status: 'NOPE' }], bad: [1], message: /^Status: "NOPE" is not one of the choices/ }],
	['Connection → Create', { parameters: { resource: 'connection', operation: 'create', userIds: '={{ $json.userId }}' }, input: [{ userId: CAROL_EXTERNAL }, { userId: '0' }], bad: [1], message: /^User IDs: "0" is not a valid user ID/ }],
	['Stream → Create IM', { parameters: { resource: 'stream', operation: 'createIm', userIds: '={{ $json.userId }}' }, input: [{ userId: ALICE }, { userId: 'bob' }, { userId: BOB }], bad: [1], message: /^User IDs: "bob" is not/ }],
	['Stream → Create Room', { parameters: { resource: 'stream', operation: 'createRoom', name: '={{ $json.name }}', members: '={{ $json.members }}' }, input: [{ name: 'Desk', members: ALICE }, { name: '' }, { name: 'Rates', members: 'alice' }, { name: 'FX' }], bad: [1, 2], message: /^(Name: "" is empty|Members: "alice" is not a Symphony user ID)/ }],
	['Stream → Get Room', { parameters: { resource: 'stream', operation: 'getRoom', room: ROOM }, input: [{ n: 1 }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
	['Stream → Search Rooms', { parameters: { resource: 'stream', operation: 'searchRooms', query: 'rates', returnAll: true }, input: [{ n: 1 }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
	['Stream → Add Member', { parameters: { resource: 'stream', operation: 'addMember', room: ROOM, userIds: ALICE }, input: [{ n: 1 }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
	['Stream → Remove Member', { parameters: { resource: 'stream', operation: 'removeMember', room: ROOM, userIds: ALICE }, input: [{ n: 1 }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
	['Message → Send', { parameters: { resource: 'message', operation: 'send', sendTo: 'users', userIds: '={{ $json.userId }}', text: '={{ $json.text }}' }, input: [{ userId: ALICE, text: 'a' }, { userId: '12.5', text: 'b' }, { userId: BOB, text: '\u0000' }, { userId: BOB, text: 'c' }], bad: [1, 2], message: /^(User IDs: "12.5" is not a whole positive number|Text: "\\u0000" contains the control character U\+0000)/ }],
	['Message → Send to Many', { parameters: { resource: 'message', operation: 'sendToMany', streamIds: '={{ $json.streams }}', text: 'hi' }, input: [{ streams: 'unknown-stream-0001' }, { streams: 'abc' }], bad: [1], message: /^Stream IDs: "abc" is too short to be a stream ID/ }],
	['Message → Update', { parameters: { resource: 'message', operation: 'update', streamId: '={{ $json.streamId }}', messageId: 'some-message-0001', text: 'hi' }, input: [{ streamId: 'not a stream!' }], bad: [0], message: /^Stream ID: "not a stream!" is not a stream ID/ }],
	['Message → Get Many', { parameters: { resource: 'message', operation: 'getMany', streamId: 'some-stream-0001', since: '={{ $json.since }}' }, input: [{ since: 'yesterday' }], bad: [0], message: /^Since: "yesterday" is not a date and time/ }],
	['Message → Suppress', { parameters: { resource: 'message', operation: 'suppress', messageId: 'some-message-0001' }, input: [{ n: 1 }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
	['Connection → Accept', { parameters: { resource: 'connection', operation: 'accept', userId: CAROL_EXTERNAL }, input: [{ n: 1 }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
	['Connection → Reject', { parameters: { resource: 'connection', operation: 'reject', userId: CAROL_EXTERNAL }, input: [{ n: 1 }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
	['Connection → Remove', { parameters: { resource: 'connection', operation: 'remove', userId: CAROL_EXTERNAL }, input: [{ n: 1 }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
	['Presence → Get', { parameters: getPresence({ userId: '={{ $json.userId }}' }), input: [{ userId: ALICE }, { userId: 'abc' }, { userId: BOB }], bad: [1], message: /^User ID: "abc" is not a Symphony user ID/ }],
	['Presence → Register Interest', { parameters: register('={{ $json.userId }}'), input: [{ userId: ALICE }, { userId: '0' }], bad: [1], message: /^User IDs: "0" is not a valid user ID/ }],
	['Presence → Set for User', { parameters: { resource: 'presence', operation: 'setForUser', userId: '={{ $json.userId }}', status: 'AWAY' }, input: [{ userId: '-5' }], bad: [0], message: /^User ID: "-5" is not a whole positive number/ }],
	['Presence → Set Mine', { parameters: { resource: 'presence', operation: 'setMine', status: '={{ $json.status }}' }, input: [{ status: 'AWAY' }, { status: 'ASLEEP' }], bad: [1], message: /^Status: "ASLEEP"/ }],
	['Presence → Get Mine', { parameters: { resource: 'presence', operation: 'getMine' }, input: [{ n: 1 }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
	['Presence → Get Many', { parameters: { resource: 'presence', operation: 'getMany', returnAll: true }, input: [{ n: 1 }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
	['User → Get Mine', { parameters: { resource: 'user', operation: 'getMine' }, input: [{ n: 1 }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
	['User → Get', { parameters: { resource: 'user', operation: 'get', identifyBy: 'email', emails: '={{ $json.email }}' }, input: [{ email: 'alice@acme.example' }, { email: 'alice.acme' }], bad: [1], message: /^Emails: "alice.acme" is not an email address/ }],
	['Presence Feed → Create', { parameters: { resource: 'presenceFeed', operation: 'create' }, input: [{ n: 1 }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
	['Presence Feed → Read', { parameters: { resource: 'presenceFeed', operation: 'read', feedId: '={{ $json.feedId }}' }, input: [{ feedId: '' }], bad: [0], message: /^Feed ID: "" / }],
	['Presence Feed → Delete', { parameters: { resource: 'presenceFeed', operation: 'deleteFeed', feedId: '={{ $json.feedId }}' }, input: [{ feedId: 'feed-1' }], bad: [0], message: /\(403 Forbidden\)/, fault: FORBIDDEN }],
];

const ON_ERROR: Array<NonNullable<INode['onError']>> = ['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput'];

test('the cases cover every operation the node has', () => {
	const covered = CASES.map(([, { parameters }]) => `${String(parameters.resource)}.${String(parameters.operation)}`);
	const operations = Object.entries(resources).flatMap(([resource, { operations }]) => Object.keys(operations).map((operation) => `${resource}.${operation}`));
	expect(covered.sort()).toEqual(operations.sort());
});

describe('On Error, for every operation', () => {
	let pod: PodFixture;
	afterEach(async () => await pod?.sim.close());

	describe.each(CASES)('%s', (_operation, { parameters, input, bad, message, fault }) => {
		const good = input.map((_, i) => i).filter((i) => !bad.includes(i));

		test.each(ON_ERROR)('%s', async (onError) => {
			pod = await startPod({}, { keyManagerToken: DEFAULT_KEY_MANAGER_TOKEN });
			if (fault) pod.sim.fault(fault);
			const result = await pod.harness.run(chain([{ name: 'Symphony', parameters, onError }], input));

			if (onError === 'stopWorkflow') {
				expect(result.error?.message).toMatch(message);
				expect(result.error?.description).toEqual(expect.any(String));
				return;
			}
			expect(result.error).toBeUndefined();
			const regular = result.items('Symphony', 0);
			const errors = result.items('Symphony', 1);
			if (onError === 'continueRegularOutput') {
				expect(errors).toEqual([]);
				const failed = regular.filter((item) => item.json.error !== undefined);
				expect(failed.map((item) => item.pairedItem)).toEqual(bad.map((item) => ({ item })));
				for (const item of failed) {
					expect(item.json.error).toMatch(message);
					expect(item.json.description).toEqual(expect.any(String));
				}
				// Each good item gives one result (every case asks one thing per item), in input order.
				expect(regular.filter((item) => item.json.error === undefined).map((item) => item.pairedItem)).toEqual(good.map((item) => ({ item })));
			} else {
				// Only good items on the success output; each bad one once on the error output.
				expect(regular.every((item) => item.json.error === undefined)).toBe(true);
				expect(regular.map((item) => item.pairedItem)).toEqual(good.map((item) => ({ item })));
				expect(errors.map((item) => item.pairedItem)).toEqual(bad.map((item) => ({ item })));
				errors.forEach((item, i) => {
					expect(item.json.error).toMatch(message);
					expect(item.json.message).toEqual(expect.any(String));
					// n8n adds the fields of the input item the error is about.
					expect(item.json).toMatchObject(input[bad[i]]);
				});
			}
			expectNoSecrets(result.run, [SECRET_TOKEN]);
		});
	});

	test('Register Interest with an unknown user among good ones: the unknown one goes to the error output, named there', async () => {
		pod = await startPod();
		const unknown = '1234567890123';
		const result = await pod.harness.run(
			chain([{ name: 'Register', parameters: register('={{ $json.ids }}'), onError: 'continueErrorOutput' }], [{ ids: `${ALICE}, ${unknown}, ${BOB}` }]),
		);
		expect(result.error).toBeUndefined();
		expect(result.json('Register', 0).map((json) => json.userId)).toEqual([ALICE, BOB]);
		const [error] = result.json('Register', 1);
		expect(error.error).toMatch(new RegExp(`user ${unknown}`));
		expect(error.message).toEqual(expect.any(String));
		expect(error.ids).toBe(`${ALICE}, ${unknown}, ${BOB}`);
	});
});
