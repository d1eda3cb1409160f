import type { IDataObject } from 'n8n-workflow';

import { MAX_KEPT_PRESENCES, keepPresence, keptPresence } from '../../../../nodes/Symphony/helpers/lastKnownPresence';

describe('lastKnownPresence', () => {
	test('keeps the latest read per user and returns it', () => {
		const staticData: IDataObject = {};
		keepPresence(staticData, '14568529068038', { category: 'BUSY', timestamp: 1000 }, 5000);
		keepPresence(staticData, '14568529068038', { category: 'AVAILABLE' }, 6000);
		expect(keptPresence(staticData, '14568529068038')).toEqual({ category: 'AVAILABLE', timestamp: null, readAt: 6000 });
		expect(keptPresence(staticData, '15942919536460')).toBeUndefined();
	});

	test(`is bounded: beyond ${MAX_KEPT_PRESENCES} users the least recently read are dropped`, () => {
		const staticData: IDataObject = {};
		for (let i = 0; i < MAX_KEPT_PRESENCES + 5; i++) keepPresence(staticData, String(14568529068000 + i), { category: 'BUSY' }, 1000 + i);
		// Reading the first user again makes it the most recent, so it stays.
		keepPresence(staticData, '14568529068000', { category: 'AWAY' }, 999999);
		const kept = Object.keys(staticData.lastKnownPresence as object);
		expect(kept).toHaveLength(MAX_KEPT_PRESENCES);
		expect(keptPresence(staticData, '14568529068000')?.category).toBe('AWAY');
		for (let i = 1; i <= 5; i++) expect(keptPresence(staticData, String(14568529068000 + i))).toBeUndefined();
		expect(keptPresence(staticData, String(14568529068006))).toBeDefined();
	});

	test('ignores entries of another shape (hand-edited or from another version)', () => {
		const staticData: IDataObject = { lastKnownPresence: { '1': { category: 7 }, '2': 'x' } };
		expect(keptPresence(staticData, '1')).toBeUndefined();
		expect(keptPresence(staticData, '2')).toBeUndefined();
		expect(keptPresence({ lastKnownPresence: ['nope'] }, '1')).toBeUndefined();
	});
});
