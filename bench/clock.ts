/* eslint-disable @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
/**
 * Simulated minutes for scenarios that need time to pass (the trigger's 5-minute and hourly
 * rules): the worker moves its `Date.now()` forward and the parent moves the pod's clock by the
 * same amount before the worker goes on, so both sides agree on what time it is.
 */

const realNow = Date.now.bind(Date);
let offsetMs = 0;

export interface ClockMessage {
	type: 'clock';
	offsetMs: number;
}

/** Worker side: moves this process's clock and the pod's forward by `ms`. */
export async function advanceClock(ms: number): Promise<void> {
	offsetMs += ms;
	Date.now = () => realNow() + offsetMs;
	const acknowledged = new Promise<void>((resolve) => {
		const onMessage = (message: { type?: string }) => {
			if (message?.type !== 'clockSet') return;
			process.off('message', onMessage);
			resolve();
		};
		process.on('message', onMessage);
	});
	process.send!({ type: 'clock', offsetMs } satisfies ClockMessage);
	await acknowledged;
}
