/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
import { chunk, mapConcurrent, mapConcurrentWhile, mergeWithSources, sendIsolatingRefusals } from '../../../../nodes/Symphony/helpers/batching';

describe('chunk', () => {
	test.each<[number, number, number[]]>([
		[0, 3, []],
		[5, 2, [2, 2, 1]],
		[6, 3, [3, 3]],
		[3, 10, [3]],
	])('%i values in chunks of %i', (count, size, sizes) => {
		const values = Array.from({ length: count }, (_, i) => i);
		const chunks = chunk(values, size);
		expect(chunks.map((c) => c.length)).toEqual(sizes);
		expect(chunks.flat()).toEqual(values);
	});
});

describe('mergeWithSources', () => {
	test('de-duplicates across items and remembers every source item once', () => {
		const { values, sources } = mergeWithSources([['1', '2'], undefined, ['2', '3', '2'], ['1']]);
		expect(values).toEqual(['1', '2', '3']);
		expect(sources.get('1')).toEqual([0, 3]);
		expect(sources.get('2')).toEqual([0, 2]);
		expect(sources.get('3')).toEqual([2]);
	});
});

describe('mapConcurrent', () => {
	test('keeps input order and never exceeds the limit', async () => {
		let running = 0;
		let peak = 0;
		const results = await mapConcurrent([30, 5, 20, 1, 10, 2], 3, async (ms, index) => {
			running++;
			peak = Math.max(peak, running);
			await new Promise((resolve) => setTimeout(resolve, ms));
			running--;
			return index;
		});
		expect(results).toEqual([0, 1, 2, 3, 4, 5]);
		expect(peak).toBe(3);
	});

	test('handles no inputs', async () => expect(await mapConcurrent([], 5, async () => 1)).toEqual([]));
});

describe('mapConcurrentWhile', () => {
	test('starts nothing more once told to stop; what was not started has no result', async () => {
		let started = 0;
		const results = await mapConcurrentWhile([1, 2, 3, 4, 5, 6, 7], 2, () => started < 4, async (value) => {
			started++;
			await new Promise((resolve) => setImmediate(resolve));
			return value * 10;
		});
		expect(results).toEqual([10, 20, 30, 40, undefined, undefined, undefined]);
	});

	test('the first always starts, so every call makes progress; no other starts once told to stop', async () => {
		expect(await mapConcurrentWhile([1, 2, 3], 2, () => false, async (value) => value)).toEqual([1, undefined, undefined]);
	});

	test('handles no inputs', async () => expect(await mapConcurrentWhile([], 5, () => true, async () => 1)).toEqual([]));
});

describe('sendIsolatingRefusals', () => {
	class Refused extends Error {}
	const isRefused = (e: unknown): e is Refused => e instanceof Refused;
	const sender = (bad: Set<string>, sent: string[][]) => async (batch: readonly string[]) => {
		sent.push([...batch]);
		if (batch.some((v) => bad.has(v))) throw new Refused('bad');
	};

	test.each<[string, number, string[], number]>([
		['no bad value: one request', 8, [], 1],
		['one bad value among 8: isolated by halving', 8, ['5'], 7],
		['two bad values at both ends', 8, ['1', '8'], 11],
		['all bad', 4, ['1', '2', '3', '4'], 7],
		['one value, bad', 1, ['1'], 1],
	])('%s', async (_name, count, badValues, expectedRequests) => {
		const values = Array.from({ length: count }, (_, i) => String(i + 1));
		const sent: string[][] = [];
		const result = await sendIsolatingRefusals(values, sender(new Set(badValues), sent), isRefused);
		expect(result.refused.map((r) => r.value).sort()).toEqual([...badValues].sort());
		expect(result.accepted.sort()).toEqual(values.filter((v) => !badValues.includes(v)).sort());
		expect(result.requests).toBe(expectedRequests);
		expect(sent.length).toBe(expectedRequests);
	});

	test('other failures stop and propagate unchanged', async () => {
		const boom = new Error('pod down');
		await expect(
			sendIsolatingRefusals(['1', '2'], async () => {
				throw boom;
			}, isRefused),
		).rejects.toBe(boom);
	});
});

describe('sendIsolatingRefusals with a refusal that names the bad values', () => {
	class Refused extends Error {
		constructor(readonly named: string[]) {
			super('bad');
		}
	}
	const isRefused = (e: unknown): e is Refused => e instanceof Refused;

	test.each<[string, string[], string[], number]>([
		['named values set aside, the rest sent once more', ['3', '6'], ['3', '6'], 2],
		['a name outside the batch is ignored: halving instead', ['6'], ['99'], 7],
		['an incomplete naming falls back to halving for the rest', ['3', '6'], ['3'], 8],
	])('%s', async (_name, bad, named, expectedRequests) => {
		const values = ['1', '2', '3', '4', '5', '6', '7', '8'];
		const sent: string[][] = [];
		const result = await sendIsolatingRefusals(
			values,
			async (batch) => {
				sent.push([...batch]);
				const refused = batch.filter((v) => bad.includes(v));
				if (refused.length > 0) throw new Refused(named);
			},
			isRefused,
			(error) => error.named,
		);
		expect(result.refused.map((r) => r.value).sort()).toEqual([...bad].sort());
		expect(result.accepted.sort()).toEqual(values.filter((v) => !bad.includes(v)));
		expect(sent.length).toBe(expectedRequests);
	});
});
