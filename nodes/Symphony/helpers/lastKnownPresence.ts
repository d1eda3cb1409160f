import type { IDataObject } from 'n8n-workflow';

/**
 * The presence last read per user, kept in the node's workflow static data for "If Read Too
 * Recently → Return Last Known". Pure: the static data object and the times are arguments. n8n
 * saves static data after runs of active workflows only; it must stay small, so it is bounded.
 *
 * An execution decodes the kept presences into a Map once, updates it per read, and saves it once:
 * each read costs a Map update, however many users are kept.
 */

/** Users kept at most; past this the least recently read are dropped. */
export const MAX_KEPT_PRESENCES = 1000;
const STORE_KEY = 'lastKnownPresence';

export interface KeptPresence {
	/** The status, under Symphony's name as in `Presence` (api/presence.ts), whose fields it keeps. */
	category: string;
	timestamp: number | null;
	/** Epoch ms when this node read it. */
	readAt: number;
}

/** The kept presences in read order, oldest first (entries of another shape are left out). */
export function decodeKeptPresences(staticData: IDataObject): Map<string, KeptPresence> {
	const stored = staticData[STORE_KEY];
	const entries = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? Object.entries(stored) : [];
	const kept = entries.flatMap(([userId, raw]): Array<[string, KeptPresence]> => {
		const entry = raw as Partial<KeptPresence> | null;
		if (!entry || typeof entry.category !== 'string' || typeof entry.readAt !== 'number') return [];
		return [[userId, { category: entry.category, timestamp: typeof entry.timestamp === 'number' ? entry.timestamp : null, readAt: entry.readAt }]];
	});
	return new Map(kept.sort(([, a], [, b]) => a.readAt - b.readAt));
}

/** Records a presence just read; the user moves to the newest end. */
export function keepPresence(
	kept: Map<string, KeptPresence>,
	userId: string,
	presence: { category: string; timestamp?: number | null },
	readAt: number,
): void {
	kept.delete(userId);
	kept.set(userId, { category: presence.category, timestamp: presence.timestamp ?? null, readAt });
}

/** Writes the kept presences back, only the `maxKept` most recently read. */
export function saveKeptPresences(staticData: IDataObject, kept: Map<string, KeptPresence>, maxKept = MAX_KEPT_PRESENCES): void {
	const newest = [...kept].slice(Math.max(0, kept.size - maxKept));
	staticData[STORE_KEY] = Object.fromEntries(newest) as unknown as IDataObject;
}
