/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- development code: runs in Node, never packed; its secrets are fakes for the simulator */
import type { SimUser } from '../test/simulator';

/**
 * The populations and numbers every scenario shares. IDs are generated, not random, so the pod
 * (in the parent process) and the n8n side (in a worker process) build the same lists.
 */

/** Symphony's documented global throttling: 400 requests per second per source IP (admin guide, "Global Throttling"). */
export const POD_THROTTLE_PER_SECOND = 400;

/** The session token the pod accepts; a simulator value, not a secret. */
export const BENCH_TOKEN = 'bench-session-0c41d7a9e6b2';
export const BENCH_CALLER_ID = '7215545057281';

/** Distinct users: `count` IDs from `first` upward, as digit strings (all below 2^53, so the JSON-number baseline can send them). */
export function userIds(count: number, first = 7215545100000n): string[] {
	return Array.from({ length: count }, (_, i) => (first + BigInt(i)).toString());
}

/** Users at other firms the bot is connected to: the people Register Interest is for. */
export function externalUsers(ids: readonly string[]): SimUser[] {
	return ids.map((id) => ({ id, external: true, connected: true, presence: 'AVAILABLE' }));
}

/** Colleagues on the bot's own pod: no interest needed and no 5-minute limit, so only throughput is measured. */
export function internalUsers(ids: readonly string[]): SimUser[] {
	const categories = ['AVAILABLE', 'BUSY', 'AWAY', 'IN_A_MEETING', 'OFFLINE'];
	return ids.map((id, i) => ({ id, presence: categories[i % categories.length] }));
}

/**
 * `total` ID values drawn from `unique` distinct IDs, in a shuffled but fixed order, so that
 * de-duplication has real work: about (total − unique) repeats spread over the list.
 */
export function idsWithRepeats(total: number, unique: number): string[] {
	const distinct = userIds(unique);
	const values: string[] = [];
	// A fixed linear congruential sequence: the same list on every run and machine.
	let state = 12345;
	for (let i = 0; i < total; i++) {
		if (i < unique) {
			values.push(distinct[i]);
		} else {
			state = (state * 1103515245 + 12345) % 2147483648;
			values.push(distinct[state % unique]);
		}
	}
	for (let i = values.length - 1; i > 0; i--) {
		state = (state * 1103515245 + 12345) % 2147483648;
		const j = state % (i + 1);
		[values[i], values[j]] = [values[j], values[i]];
	}
	return values;
}
