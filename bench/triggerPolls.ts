import type { IDataObject } from 'n8n-workflow';

import type { PollingTrigger } from '../test/harness/poll';
import type { LoggedRequest } from '../test/simulator';
import type { JobPhase } from './job';
import { measure } from './measure';
import type { Row } from './report';

/** What the trigger scenarios (4 and 4b) share: the watch, a measured poll, its requests and its row. */

/** Presence Trigger parameters watching these user IDs for any change. */
export function watchParameters(ids: readonly string[]): IDataObject {
	return { authentication: 'symphonyApi', identifyBy: 'id', userIds: ids.join(', '), triggerOn: 'anyChange', options: {} };
}

/** One poll, measured; its start and end on the clock the pod logs requests with. */
export async function measurePoll(trigger: PollingTrigger, name: string): Promise<JobPhase> {
	const startAt = Date.now();
	const { value, wallMs, peakHeapAddedBytes } = await measure(() => trigger.poll());
	return { name, startAt, endAt: Date.now(), wallMs, peakHeapAddedBytes, outputItems: value?.[0]?.length ?? 0 };
}

/** The requests the pod received during a poll, and how many of them were presence reads. */
export function requestsDuring(phase: JobPhase, requests: readonly LoggedRequest[]): { sent: LoggedRequest[]; reads: number } {
	const sent = requests.filter((r) => r.at >= phase.startAt && r.at <= phase.endAt);
	return { sent, reads: sent.filter((r) => r.path.endsWith('/presence') && r.method === 'GET').length };
}

/** A poll's row: its wall time against `limitMs` (the scenario's physical limit or the poll's budget). */
export function pollRow(phase: JobPhase, watched: number, requests: number, limitMs: number): Row {
	return {
		variant: `Symphony Presence Trigger: ${phase.name}`,
		n: watched,
		requests,
		wallMs: phase.wallMs,
		basis: 'measured',
		limitRatio: phase.wallMs / limitMs,
		peakHeapAddedBytes: phase.peakHeapAddedBytes,
	};
}
