/**
 * A test clock for code that reads `Date.now()`: jest's fake timers with only `Date` faked, so
 * sockets, retries' sleeps and n8n-core's own timers keep real time while the node and the
 * simulator (started with `now: () => Date.now()`) see the same controlled time.
 */
export interface TestClock {
	now(): number;
	set(time: number | string): void;
	advance(ms: number): void;
	restore(): void;
}

export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;

export function useTestClock(start: number | string = '2026-03-02T09:00:00Z'): TestClock {
	jest.useFakeTimers({
		doNotFake: [
			'hrtime',
			'nextTick',
			'performance',
			'queueMicrotask',
			'requestAnimationFrame',
			'cancelAnimationFrame',
			'requestIdleCallback',
			'cancelIdleCallback',
			'setImmediate',
			'clearImmediate',
			'setInterval',
			'clearInterval',
			'setTimeout',
			'clearTimeout',
		],
	});
	const set = (time: number | string) => jest.setSystemTime(typeof time === 'string' ? Date.parse(time) : time);
	set(start);
	return {
		now: () => Date.now(),
		set,
		advance: (ms) => set(Date.now() + ms),
		restore: () => jest.useRealTimers(),
	};
}
