import {
	EXTERNAL_READ_INTERVAL_MS,
	INTEREST_LIFETIME_MS,
	RENEWAL_MARGIN_MS,
	isChangeToEmit,
	isExternalReadAllowed,
	isReadDue,
	isRegistrationDue,
	nextReadAt,
	readState,
	startActivation,
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

	test('the rule alone, and when the next read is allowed', () => {
		expect(isExternalReadAllowed(undefined, T)).toBe(true);
		expect(isExternalReadAllowed({ readAt: T - 4 * MINUTE }, T)).toBe(false);
		expect(nextReadAt({ readAt: T })).toBe(T + 5 * MINUTE);
		expect(nextReadAt({})).toBeUndefined();
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

describe('readState and startActivation', () => {
	test('keeps what it understands and drops the rest', () => {
		expect(readState(undefined)).toEqual({ users: {} });
		expect(readState({ users: 'x', lastPollAt: 'soon' })).toEqual({ users: {} });
		expect(
			readState({
				users: { '1': { status: 'BUSY', readAt: T, registeredAt: T, interestRefused: true, problem: 'p', extra: 1 }, '2': null, '3': { readAt: Number.NaN } },
				callerTenant: '105',
				lastPollAt: T,
				resolvedIds: { 'carol@globex.example': '14568529068038', 'x@y.example': 5 },
				unresolved: 'none',
				other: true,
			}),
		).toEqual({
			users: { '1': { status: 'BUSY', readAt: T, registeredAt: T, interestRefused: true, problem: 'p' }, '3': {} },
			callerTenant: '105',
			lastPollAt: T,
			resolvedIds: { 'carol@globex.example': '14568529068038' },
		});
	});

	test('a new activation forgets statuses, registrations, looked-up IDs and problems, and keeps read times', () => {
		const state = readState({
			users: {
				'1': { status: 'BUSY', readAt: T, registeredAt: T, problem: 'p' },
				'2': { status: 'AWAY' },
				'3': { status: 'AVAILABLE', readAt: T },
			},
			callerTenant: '105',
			lastPollAt: T,
			resolvedIds: { 'a@b.example': '1' },
			unresolved: { 'c@d.example': 'Email: "c@d.example" matches no Symphony user' },
		});
		expect(startActivation(state)).toEqual({ users: { '1': { readAt: T }, '2': {}, '3': { readAt: T } } });
	});
});
