import type { IDataObject } from 'n8n-workflow';

import {
	MAX_KEPT_PRESENCES,
	decodeKeptPresences,
	keepPresence,
	saveKeptPresences,
} from '../../../../nodes/Symphony/helpers/lastKnownPresence';

const userId = (i: number) => String(14568529068000 + i);

describe('lastKnownPresence', () => {
	test('keeps the latest read per user across save and load', () => {
		const staticData: IDataObject = {};
		const kept = decodeKeptPresences(staticData);
		keepPresence(kept, userId(1), { category: 'BUSY', timestamp: 1000 }, 5000);
		keepPresence(kept, userId(1), { category: 'AVAILABLE' }, 6000);
		saveKeptPresences(staticData, kept);
		const again = decodeKeptPresences(JSON.parse(JSON.stringify(staticData)) as IDataObject);
		expect(again.get(userId(1))).toEqual({ category: 'AVAILABLE', timestamp: null, readAt: 6000 });
		expect(again.get(userId(2))).toBeUndefined();
	});

	test(`is bounded: beyond ${MAX_KEPT_PRESENCES} users the least recently read are dropped`, () => {
		const staticData: IDataObject = {};
		const kept = decodeKeptPresences(staticData);
		for (let i = 0; i < MAX_KEPT_PRESENCES + 5; i++) keepPresence(kept, userId(i), { category: 'BUSY' }, 1000 + i);
		// Reading the first user again makes it the most recent, so it stays.
		keepPresence(kept, userId(0), { category: 'AWAY' }, 999999);
		saveKeptPresences(staticData, kept);
		const saved = decodeKeptPresences(staticData);
		expect(saved.size).toBe(MAX_KEPT_PRESENCES);
		expect(saved.get(userId(0))?.category).toBe('AWAY');
		for (let i = 1; i <= 5; i++) expect(saved.has(userId(i))).toBe(false);
		expect(saved.has(userId(6))).toBe(true);
		expect(JSON.stringify(staticData).length).toBeLessThan(100_000);
	});

	test('loads in read order whatever order the stored keys are in, and ignores entries of another shape', () => {
		const staticData: IDataObject = {
			lastKnownPresence: { [userId(2)]: { category: 'BUSY', readAt: 20 }, [userId(1)]: { category: 'AWAY', readAt: 10 }, x: { category: 7 }, y: 'x' },
		};
		expect([...decodeKeptPresences(staticData).keys()]).toEqual([userId(1), userId(2)]);
		expect(decodeKeptPresences({ lastKnownPresence: ['nope'] }).size).toBe(0);
	});
});
