import type { IDataObject } from 'n8n-workflow';

/**
 * The presence last read per user, kept in the node's workflow static data for "If Read Too
 * Recently → Return Last Known". Pure: the store object and the time are arguments. n8n saves
 * static data after runs of active workflows only; it must stay small, so the store is bounded.
 */

/** Users kept at most; past this the least recently read are dropped. */
export const MAX_KEPT_PRESENCES = 1000;
const STORE_KEY = 'lastKnownPresence';

export interface KeptPresence {
	category: string;
	timestamp: number | null;
	/** Epoch ms when this node read it. */
	readAt: number;
}

function storeOf(staticData: IDataObject): Record<string, KeptPresence> {
	const store = staticData[STORE_KEY];
	if (typeof store === 'object' && store !== null && !Array.isArray(store)) return store as unknown as Record<string, KeptPresence>;
	const fresh: Record<string, KeptPresence> = {};
	staticData[STORE_KEY] = fresh as unknown as IDataObject;
	return fresh;
}

/** Keeps a presence just read, dropping the least recently read users beyond MAX_KEPT_PRESENCES. */
export function keepPresence(
	staticData: IDataObject,
	userId: string,
	presence: { category: string; timestamp?: number | null },
	readAt: number,
	maxKept = MAX_KEPT_PRESENCES,
): void {
	const store = storeOf(staticData);
	delete store[userId];
	store[userId] = { category: presence.category, timestamp: presence.timestamp ?? null, readAt };
	let count = Object.keys(store).length;
	while (count > maxKept) {
		let oldest: string | undefined;
		for (const id of Object.keys(store)) if (oldest === undefined || store[id].readAt < store[oldest].readAt) oldest = id;
		delete store[oldest as string];
		count--;
	}
}

/** The presence kept for a user, if any (entries of another shape are ignored). */
export function keptPresence(staticData: IDataObject, userId: string): KeptPresence | undefined {
	const entry = storeOf(staticData)[userId] as Partial<KeptPresence> | undefined;
	if (!entry || typeof entry.category !== 'string' || typeof entry.readAt !== 'number') return undefined;
	return { category: entry.category, timestamp: typeof entry.timestamp === 'number' ? entry.timestamp : null, readAt: entry.readAt };
}
