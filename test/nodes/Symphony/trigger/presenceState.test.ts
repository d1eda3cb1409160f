import { EXTERNAL_READ_INTERVAL_MS } from '../../../../nodes/Symphony/api/presence';
import {
	INTEREST_LIFETIME_MS,
	MAX_READING_MS,
	RENEWAL_MARGIN_MS,
	decodeState,
	externalsOf,
	isChangeSinceWatching,
	isChangeToEmit,
	isExternalReadAllowed,
	isReadDue,
	isRegistrationDue,
	nextReadAt,
	readingDeadline,
	readingOrder,
	stateFor,
	type TriggerOn,
	type WatchedUserState,
} from '../../../../nodes/Symphony/trigger/presenceState';

const MINUTE = 60_000;
const T = Date.parse('2026-03-02T09:00:00Z');

describe('isChangeToEmit', () => {
	test.each<[TriggerOn, string[], string, string, boolean]>([
		['anyChange', [], 'AVAILABLE', 'BUSY', true],
		['anyChange', [], 'BUSY', 'BUSY', false],
		['anyChange', ['AVAILABLE'], 'AWAY', 'FOCUS_TIME', true],
		['becomes', ['AVAILABLE'], 'BUSY', 'AVAILABLE', true],
		['becomes', ['AVAILABLE'], 'AVAILABLE', 'BUSY', false],
		['becomes', ['AVAILABLE'], 'AVAILABLE', 'AVAILABLE', false],
		['becomes', ['AVAILABLE', 'AWAY'], 'AWAY', 'AVAILABLE', true],
		['becomes', ['AVAILABLE', 'AWAY'], 'BUSY', 'OFFLINE', false],
		['leaves', ['AVAILABLE'], 'AVAILABLE', 'BUSY', true],
		['leaves', ['AVAILABLE'], 'BUSY', 'AVAILABLE', false],
		['leaves', ['AVAILABLE'], 'BUSY', 'AWAY', false],
		['leaves', ['AVAILABLE', 'AWAY'], 'AVAILABLE', 'AWAY', true],
		['leaves', ['OFFLINE'], 'OFFLINE', 'OFFLINE', false],
	])('%s %j: %s → %s emits %s', (triggerOn, statuses, previous, current, expected) => {
		expect(isChangeToEmit(triggerOn, statuses, previous, current)).toBe(expected);
	});
});

describe('isChangeSinceWatching: a first reading set after watching began', () => {
	test.each<[string, TriggerOn, string[], number | undefined, string, number | undefined, boolean]>([
		['set after watching began', 'anyChange', [], T, 'AVAILABLE', T + 1, true],
		['set when watching began', 'anyChange', [], T, 'AVAILABLE', T, false],
		['set before', 'anyChange', [], T, 'AVAILABLE', T - MINUTE, false],
		['no timestamp', 'anyChange', [], T, 'AVAILABLE', undefined, false],
		['a state from before watchedSince existed', 'anyChange', [], undefined, 'AVAILABLE', T, false],
		['becomes one of the statuses', 'becomes', ['AVAILABLE'], T, 'AVAILABLE', T + MINUTE, true],
		['becomes another status', 'becomes', ['AVAILABLE'], T, 'BUSY', T + MINUTE, false],
		['leaves: the status before is unknown', 'leaves', ['AVAILABLE'], T, 'BUSY', T + MINUTE, false],
		['OFFLINE: its timestamp is the time of the query', 'anyChange', [], T, 'OFFLINE', T + MINUTE, false],
	])('%s', (_name, triggerOn, statuses, watchedSince, current, timestamp, expected) => {
		expect(isChangeSinceWatching(triggerOn, statuses, watchedSince, current, timestamp)).toBe(expected);
	});
});

describe('isReadDue: internal users every poll, external users by the 5-minute rule', () => {
	const live = { registeredAt: T - 10 * MINUTE };
	test.each<[string, WatchedUserState | undefined, boolean, number, boolean]>([
		['internal, never read', undefined, false, T, true],
		['internal, read a second ago', { readAt: T - 1000 }, false, T, true],
		['external without registration', { readAt: T - 60 * MINUTE }, true, T, false],
		['external, registered, never read', live, true, T, true],
		['external, read 4:59 ago', { ...live, readAt: T - EXTERNAL_READ_INTERVAL_MS + 1000 }, true, T, false],
		['external, read exactly 5:00 ago', { ...live, readAt: T - EXTERNAL_READ_INTERVAL_MS }, true, T, true],
		['external, read 6 minutes ago', { ...live, readAt: T - 6 * MINUTE }, true, T, true],
		['external whose registration lapsed', { registeredAt: T - INTEREST_LIFETIME_MS, readAt: T - 6 * MINUTE }, true, T, false],
		['external Symphony refused', { ...live, interestRefused: true }, true, T, false],
		['external, answer arrived after the clock (skew)', { ...live, readAt: T + 1000 }, true, T, false],
	])('%s', (_name, user, external, now, expected) => {
		expect(isReadDue(user, external, now)).toBe(expected);
	});

	test.each<[string, boolean, boolean]>([
		['internal, at the poll that starts watching', false, true],
		['external, at the poll that starts watching', true, false],
	])('%s', (_name, external, expected) => {
		// Registered at this very poll: a read here might be forgotten (n8n's poll at activation).
		expect(isReadDue({ registeredAt: T, watchedSince: T }, external, T, true)).toBe(expected);
	});

	test('the rule alone, and when the next read is allowed', () => {
		expect(isExternalReadAllowed(undefined, T)).toBe(true);
		expect(isExternalReadAllowed({ readAt: T - 4 * MINUTE }, T)).toBe(false);
		expect(nextReadAt({ readAt: T })).toBe(T + 5 * MINUTE);
		expect(nextReadAt({})).toBeUndefined();
	});
});

describe('externalsOf: users of another tenant than the caller\'s, everyone when it is unknown', () => {
	// Tenant 105 (the bot's pod in the tests) and tenant 212.
	const COLLEAGUE = '7215545058313';
	const EXTERNAL = '14568529068038';
	test.each<[string, string[]]>([
		['105', [EXTERNAL]],
		['212', [COLLEAGUE]],
		['999', [COLLEAGUE, EXTERNAL]],
		['', [COLLEAGUE, EXTERNAL]],
	])('caller tenant %p → %p', (callerTenant, expected) => {
		expect(externalsOf([COLLEAGUE, EXTERNAL], callerTenant)).toEqual(expected);
	});
});

describe('isRegistrationDue: before the hour lapses, not more often', () => {
	const at = (registeredAt?: number, interestRefused?: boolean): WatchedUserState => ({
		...(registeredAt !== undefined && { registeredAt }),
		...(interestRefused && { interestRefused }),
	});
	test.each<[string, Record<string, WatchedUserState>, string[], number, number, boolean]>([
		['no external users', {}, [], T, MINUTE, false],
		['an external user never registered', { a: at() }, ['a'], T, 0, true],
		['registered 10 minutes ago, 1-minute polls', { a: at(T - 10 * MINUTE) }, ['a'], T, MINUTE, false],
		// Lapses at T+60: the next poll (T+58) plus the 2-minute margin reaches it.
		['57 minutes ago, 1-minute polls', { a: at(T - 57 * MINUTE) }, ['a'], T, MINUTE, true],
		['56 minutes ago, 1-minute polls', { a: at(T - 56 * MINUTE) }, ['a'], T, MINUTE, false],
		['48 minutes ago, 10-minute polls', { a: at(T - 48 * MINUTE) }, ['a'], T, 10 * MINUTE, true],
		['47 minutes ago, 10-minute polls', { a: at(T - 47 * MINUTE) }, ['a'], T, 10 * MINUTE, false],
		['hourly polls: every poll', { a: at(T - 60 * MINUTE) }, ['a'], T, 60 * MINUTE, true],
		['first poll (no gap known) keeps the margin', { a: at(T - 58 * MINUTE) }, ['a'], T, 0, true],
		['one of two is new', { a: at(T - 5 * MINUTE), b: at() }, ['a', 'b'], T, MINUTE, true],
		['a refused user waits for the next renewal', { a: at(T - 5 * MINUTE), b: at(T - 5 * MINUTE, true) }, ['a', 'b'], T, MINUTE, false],
		['internal users are not considered', { a: at(T - 5 * MINUTE), i: at() }, ['a'], T, MINUTE, false],
	])('%s', (_name, users, externals, now, gap, expected) => {
		expect(isRegistrationDue(users, externals, now, gap)).toBe(expected);
	});

	test('steady state with 1-minute polls: one registration every 57 minutes, never lapsing', () => {
		const users: Record<string, WatchedUserState> = { a: {} };
		const registrations: number[] = [];
		for (let now = T; now < T + 24 * 60 * MINUTE; now += MINUTE) {
			if (isRegistrationDue(users, ['a'], now, MINUTE)) {
				users.a.registeredAt = now;
				registrations.push(now);
			}
			expect(now - (users.a.registeredAt as number)).toBeLessThan(INTEREST_LIFETIME_MS - RENEWAL_MARGIN_MS);
		}
		const gaps = registrations.slice(1).map((time, i) => (time - registrations[i]) / MINUTE);
		expect(new Set(gaps)).toEqual(new Set([57]));
		expect(registrations).toHaveLength(26);
	});
});

describe('decodeState and stateFor', () => {
	test('keeps what it understands and drops the rest', () => {
		expect(decodeState(undefined)).toEqual({ users: {} });
		expect(decodeState({ users: 'x', lastPollAt: 'soon' })).toEqual({ users: {} });
		expect(
			decodeState({
				users: {
					'1': { status: 'BUSY', readAt: T, registeredAt: T, interestRefused: true, problem: 'p', watchedSince: T, extra: 1 },
					'2': null,
					'3': { readAt: Number.NaN, watchedSince: 'now' },
				},
				scope: 'symphonyApi:cred',
				callerTenant: '105',
				lastPollAt: T,
				resolvedIds: { 'carol@globex.example': '14568529068038', 'x@y.example': 5 },
				unresolved: 'none',
				other: true,
			}),
		).toEqual({
			scope: 'symphonyApi:cred',
			users: { '1': { status: 'BUSY', readAt: T, registeredAt: T, interestRefused: true, problem: 'p', watchedSince: T }, '3': {} },
			callerTenant: '105',
			lastPollAt: T,
			resolvedIds: { 'carol@globex.example': '14568529068038' },
		});
	});

	const stored = () =>
		decodeState({
			scope: 'symphonyApi:cred',
			users: {
				'1': { status: 'BUSY', readAt: T, registeredAt: T, problem: 'p', watchedSince: T },
				'2': { status: 'AWAY' },
				'3': { status: 'AVAILABLE', readAt: T },
			},
			callerTenant: '105',
			lastPollAt: T,
			resolvedIds: { 'a@b.example': '1' },
			unresolved: { 'c@d.example': 'Email: "c@d.example" matches no Symphony user' },
		});

	test('the same credential goes on from the state as stored, however long ago and in whatever context', () => {
		expect(stateFor(stored(), 'symphonyApi:cred')).toEqual(stored());
	});

	test.each([['symphonyApi:other'], ['symphonyRsaApi:cred']])(
		'another credential (%s) forgets statuses, registrations, the tenant, looked-up IDs and problems, and keeps read times',
		(scope) => {
			expect(stateFor(stored(), scope)).toEqual({ scope, users: { '1': { readAt: T }, '2': {}, '3': { readAt: T } } });
		},
	);

	test('a state stored before scopes existed starts over', () => {
		const unscoped = { ...stored() };
		delete unscoped.scope;
		expect(stateFor(unscoped, 'symphonyApi:cred').users['1']).toEqual({ readAt: T });
	});
});

describe('readingOrder: the list from where the previous poll stopped, wrapping round', () => {
	test.each<[string, string | undefined, string[]]>([
		['no previous stop: the list as entered', undefined, ['1', '2', '3', '4']],
		['stopped before the third', '3', ['3', '4', '1', '2']],
		['stopped before the first', '1', ['1', '2', '3', '4']],
		['the user stopped at is no longer watched: from the top', '9', ['1', '2', '3', '4']],
	])('%s', (_name, readFrom, expected) => {
		expect(readingOrder(['1', '2', '3', '4'], readFrom)).toEqual(expected);
	});

	test('polls that read k of n users each: every user is read every ceil(n / k) polls, in turn', () => {
		const ids = Array.from({ length: 10 }, (_, i) => String(i));
		const readAtPoll: number[][] = ids.map(() => []);
		let readFrom: string | undefined;
		for (let poll = 0; poll < 12; poll++) {
			const order = readingOrder(ids, readFrom);
			for (const id of order.slice(0, 3)) readAtPoll[Number(id)].push(poll);
			readFrom = order[3];
		}
		for (const polls of readAtPoll) {
			const gaps = [polls[0] + 1, ...polls.slice(1).map((p, i) => p - polls[i])];
			expect(Math.max(...gaps)).toBeLessThanOrEqual(Math.ceil(10 / 3));
		}
	});
});

describe('readingDeadline: three quarters of the poll budget, at most 30 s', () => {
	test.each<[string, number | undefined, number]>([
		['the durable scheduler says 36 s (45 s timeout less its margin)', 36_000, T + 27_000],
		['a 10 s budget', 10_000, T + 7_500],
		['the in-memory poller says 5 minutes: 30 s, so the poll ends before the next one starts', 300_000, T + MAX_READING_MS],
		['older n8n says nothing: 45 s assumed', undefined, T + 30_000],
		['a nonsense answer', Number.NaN, T + 30_000],
		['no budget left: only the first round of reads', 0, T],
	])('%s', (_name, budget, expected) => {
		expect(readingDeadline(T, budget)).toBe(expected);
	});
});
