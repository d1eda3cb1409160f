/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
import { GCProfiler, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How the numbers are taken. Memory is the V8 heap in use: its exact peak during a run is the
 * larger of the heap in use just before each garbage collection (the heap only grows between
 * collections) and the heap in use at the end. RSS is not used: it mostly shows how much memory
 * V8 and the allocator have reserved, not what the work needed.
 */

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** A full collection, twice so that objects freed by finalizers go too. */
export function settleHeap(): void {
	collectGarbage();
	collectGarbage();
}

export interface Measured<T> {
	value: T;
	wallMs: number;
	/** Peak V8 heap in use above the level before the run, in bytes. */
	peakHeapAddedBytes: number;
}

/** Runs `work` once, timing it and recording the peak heap it added. */
export async function measure<T>(work: () => Promise<T> | T): Promise<Measured<T>> {
	settleHeap();
	const before = process.memoryUsage().heapUsed;
	const profiler = new GCProfiler();
	profiler.start();
	const started = process.hrtime.bigint();
	const value = await work();
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const atEnd = process.memoryUsage().heapUsed;
	const profile = profiler.stop();
	let peak = atEnd;
	for (const gc of profile?.statistics ?? []) {
		peak = Math.max(peak, gc.beforeGC.heapStatistics.usedHeapSize);
	}
	return { value, wallMs, peakHeapAddedBytes: Math.max(0, peak - before) };
}

export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The most requests that arrived within any `windowMs` span (arrival times in ms, any order). */
export function peakInWindow(arrivals: readonly number[], windowMs = 1000): number {
	const times = [...arrivals].sort((a, b) => a - b);
	let peak = 0;
	let start = 0;
	for (let end = 0; end < times.length; end++) {
		while (times[end] - times[start] >= windowMs) start++;
		peak = Math.max(peak, end - start + 1);
	}
	return peak;
}
