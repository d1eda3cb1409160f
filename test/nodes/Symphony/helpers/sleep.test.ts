import { executionCancelSignal, sleep, WaitCancelledError } from '../../../../nodes/Symphony/helpers/sleep';

describe('sleep', () => {
	test('waits, with a signal or without', async () => {
		await expect(sleep(1)).resolves.toBeUndefined();
		await expect(sleep(1, new AbortController().signal)).resolves.toBeUndefined();
	});

	test('a wait far longer than the test ends as soon as its signal aborts', async () => {
		const controller = new AbortController();
		const waiting = sleep(10 * 60_000, controller.signal);
		controller.abort();
		await expect(waiting).rejects.toThrow(WaitCancelledError);
		await expect(waiting).rejects.toThrow('The execution was cancelled while waiting');
	});

	test('a signal aborted before the wait ends it at once', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(sleep(10 * 60_000, controller.signal)).rejects.toThrow(WaitCancelledError);
	});

	test('a finished wait leaves no listener on the signal', async () => {
		const controller = new AbortController();
		await sleep(1, controller.signal);
		// Aborting afterwards must not reject anything (jest fails on an unhandled rejection).
		controller.abort();
		await sleep(1);
	});
});

describe('executionCancelSignal', () => {
	const signal = new AbortController().signal;

	test.each<[string, object, AbortSignal | undefined]>([
		['an execution', { getExecutionCancelSignal: () => signal }, signal],
		['a poll or a list search (no such method)', { getNode: () => ({}) }, undefined],
		['a context whose method throws', { getExecutionCancelSignal: () => { throw new Error('not here'); } }, undefined],
	])('%s', (_name, context, expected) => {
		expect(executionCancelSignal(context)).toBe(expected);
	});

	test('calls the method on its context, as n8n-core defines it on the class', () => {
		class Context {
			private readonly controller = new AbortController();
			getExecutionCancelSignal() {
				return this.controller.signal;
			}
		}
		expect(executionCancelSignal(new Context())).toBeInstanceOf(AbortSignal);
	});
});
