/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
import { measure, median, peakInWindow, settleHeap } from '../../bench/measure';

describe('bench measurements', () => {
	test.each<[string, number[], number]>([
		['no requests', [], 0],
		['one request', [5], 1],
		['all within one second', [0, 100, 999], 3],
		['a request exactly one second later starts a new window', [0, 1000], 1],
		['the busiest second wins, in any order', [2500, 0, 2000, 2100, 10, 2999, 4000], 4],
	])('peakInWindow: %s', (_name, arrivals, expected) => {
		expect(peakInWindow(arrivals)).toBe(expected);
	});

	test.each<[number[], number]>([
		[[3], 3],
		[[5, 1, 3], 3],
		[[4, 1, 3, 2], 2.5],
	])('median of %j is %d', (values, expected) => {
		expect(median(values)).toBe(expected);
	});

	test('measure sees memory held during the run even when it is freed before the end', async () => {
		const held = 40 * 1024 * 1024;
		const { value, peakHeapAddedBytes, wallMs } = await measure(async () => {
			// About 40 MB of small arrays, dropped before the run ends.
			let chunks: number[][] = [];
			for (let i = 0; i < held / 8 / 1024; i++) chunks.push(new Array<number>(1024).fill(i + 0.5));
			const count = chunks.length;
			chunks = [];
			await new Promise((resolve) => setImmediate(resolve));
			// Collected before the end: only the readings taken at garbage collections can still see it.
			settleHeap();
			return count;
		});
		expect(value).toBe(held / 8 / 1024);
		expect(peakHeapAddedBytes).toBeGreaterThan(held * 0.5);
		expect(wallMs).toBeGreaterThan(0);
	});
});
