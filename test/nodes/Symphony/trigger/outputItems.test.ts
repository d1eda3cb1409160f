import { ParameterError, SymphonyApiError } from '../../../../nodes/Symphony/errors';
import { namedUser, problemItem, readTooRecentlyItem, statusItem } from '../../../../nodes/Symphony/trigger/outputItems';
import { testNode } from '../../../support/node';

const NODE = testNode('n8n-nodes-symphony.symphonyPresenceTrigger', 'Presence Trigger');
const ALICE = '7215545058313';
const SET_AT = Date.parse('2026-03-02T08:55:00Z');
const NOW = Date.parse('2026-03-02T09:00:00Z');

describe('statusItem', () => {
	test.each<[string, Parameters<typeof statusItem>, object]>([
		[
			'a change: changedAt is when Symphony says the status was set',
			[{ userId: ALICE }, 'AWAY', 'AVAILABLE', SET_AT, NOW],
			{ userId: ALICE, status: 'AWAY', previousStatus: 'AVAILABLE', changedAt: '2026-03-02T08:55:00.000Z', timestamp: SET_AT },
		],
		[
			'no timestamp from Symphony: changedAt is when the trigger saw it',
			[{ userId: ALICE, email: 'alice@acme.example' }, 'BUSY', null, undefined, NOW],
			{ userId: ALICE, email: 'alice@acme.example', status: 'BUSY', previousStatus: null, changedAt: '2026-03-02T09:00:00.000Z', timestamp: null },
		],
		[
			'a last reading from the stored state: no time at all',
			[{ userId: ALICE, username: 'alice' }, 'BUSY', null, undefined, undefined],
			{ userId: ALICE, username: 'alice', status: 'BUSY', previousStatus: null, changedAt: null, timestamp: null },
		],
	])('%s', (_name, args, expected) => {
		const item = statusItem(...args);
		expect(item).toEqual(expected);
		// n8n's table view shows the fields in this order.
		expect(Object.keys(item)).toEqual(Object.keys(expected));
	});
});

describe('problemItem', () => {
	const notFound = new SymphonyApiError(NODE, {
		message: `Symphony knows no user ${ALICE} (404 Not Found)`,
		description: 'Check the user ID',
		status: 404,
	});
	const noMatch = new ParameterError('Users to Watch', 'ghost@acme.example', 'matches no Symphony user', 'Check the address');

	test.each<[string, Parameters<typeof problemItem>, object]>([
		[
			'a watched user Symphony cannot read: the description says what to do',
			[namedUser({ userId: ALICE, email: 'alice@acme.example' }), 'AVAILABLE', notFound, NOW],
			{
				userId: ALICE,
				email: 'alice@acme.example',
				status: null,
				previousStatus: 'AVAILABLE',
				changedAt: '2026-03-02T09:00:00.000Z',
				timestamp: null,
				error: `Symphony knows no user ${ALICE} (404 Not Found)`,
				description: 'Check the user ID',
			},
		],
		[
			'a name that matches nobody: no user ID, the description is the fix',
			[{ email: 'ghost@acme.example' }, null, noMatch, NOW],
			{
				userId: null,
				email: 'ghost@acme.example',
				status: null,
				previousStatus: null,
				changedAt: '2026-03-02T09:00:00.000Z',
				timestamp: null,
				error: 'Users to Watch: "ghost@acme.example" matches no Symphony user. Check the address',
				description: 'Check the address',
			},
		],
		[
			'any other error: its message, no description',
			[namedUser({ userId: ALICE }), null, new Error('boom'), NOW],
			{ userId: ALICE, status: null, previousStatus: null, changedAt: '2026-03-02T09:00:00.000Z', timestamp: null, error: 'boom' },
		],
	])('%s', (_name, args, expected) => {
		expect(problemItem(...args)).toStrictEqual(expected);
	});
});

describe('readTooRecentlyItem', () => {
	test.each<[number | undefined, string]>([
		[NOW + 60_000, 'Symphony answers one read per external user every 5 minutes. Fetch again after 2026-03-02T09:01:00.000Z.'],
		[undefined, 'Symphony answers one read per external user every 5 minutes. Fetch again in a few minutes.'],
	])('next read at %p', (nextReadAt, description) => {
		expect(readTooRecentlyItem({ userId: ALICE }, nextReadAt)).toEqual({
			userId: ALICE,
			status: null,
			previousStatus: null,
			changedAt: null,
			timestamp: null,
			error: `The presence of external user ${ALICE} was read less than 5 minutes ago`,
			description,
		});
	});
});
