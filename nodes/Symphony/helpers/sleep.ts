import { sleep as n8nSleep } from 'n8n-workflow';

/**
 * The package's one wait, cancellable. n8n's rules for community nodes forbid timers of their own
 * (`setTimeout`, `node:timers`) and point to n8n-workflow's `sleep`, which n8n-workflow keeps for
 * community nodes in every supported version; its `sleepWithAbort` is gone from n8n-workflow 2.41,
 * so cancelling is done here, by racing the wait with the execution's cancel signal.
 */

/** Why a wait ended early: the execution was cancelled (n8n aborts its cancel signal). */
export class WaitCancelledError extends Error {
	constructor() {
		super('The execution was cancelled while waiting');
		this.name = 'WaitCancelledError';
	}
}

/**
 * Resolves after `ms`, or rejects with `WaitCancelledError` as soon as `signal` aborts (at once when
 * it already has). Without a signal it only waits. A cancelled wait's timer runs out on its own:
 * n8n's `sleep` cannot be cleared, and it holds nothing.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal === undefined) return await n8nSleep(ms);
	if (signal.aborted) throw new WaitCancelledError();
	let onAbort = () => {};
	const cancelled = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(new WaitCancelledError());
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([n8nSleep(ms), cancelled]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/**
 * The execution's cancel signal where the context has one (`getExecutionCancelSignal` of an
 * execution; a poll or a list search has none). Looked up, not assumed, like the poll's budget.
 */
export function executionCancelSignal(context: object): AbortSignal | undefined {
	const { getExecutionCancelSignal } = context as { getExecutionCancelSignal?: () => AbortSignal | undefined };
	if (typeof getExecutionCancelSignal !== 'function') return undefined;
	try {
		return getExecutionCancelSignal.call(context);
	} catch {
		return undefined;
	}
}
