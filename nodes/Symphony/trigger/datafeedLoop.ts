import type { IDataObject, INode, Logger } from 'n8n-workflow';

import { createDatafeed, listDatafeeds, readDatafeed } from '../api/datafeed';
import { SymphonyApiError, toNodeError } from '../errors';
import { sleep, WaitCancelledError } from '../helpers/sleep';
import type { SymphonyClient } from '../transport';
import { backoffDelay } from '../transport/retryPolicy';
import { decodeSeenKeys, eventKey, eventToItem, matchesFilters, rememberKeys, type EventFilters, type EventItem } from './datafeedEvents';

/**
 * The read loop of the Symphony Trigger: one datafeed, read again and again (long poll); each event
 * that passes the filters and was not emitted before is emitted as one item; the next read carries
 * the batch's ackId, which acknowledges it. Where it stands between activations (the feed's ID and
 * the window of emitted events) lives in the state object it is given: the workflow's static data
 * for an active trigger, a plain object for a test run.
 */

/** The Agent holds a read up to about 30 s; a read gets a little longer before it counts as failed. */
export const READ_TIMEOUT_MS = 45_000;
/** The longest wait between two tries while Symphony fails (5xx, 429, network); the loop never gives up on those. */
export const MAX_BACKOFF_MS = 30_000;

/** What the loop keeps between activations. */
export interface DatafeedState extends IDataObject {
	feedId?: string;
	/** Keys (`eventKey`) of the events emitted last, oldest first. */
	seen?: string[];
}

export interface DatafeedLoopOptions {
	client: SymphonyClient;
	filters: EventFilters;
	botId: string;
	state: DatafeedState;
	/** The tag the trigger's feed is created with and found by again; none for a test run's own feed. */
	tag?: string;
	/** The trigger node, for the errors the loop ends with. */
	node: INode;
	logger: Logger;
	emit(item: EventItem): void;
	readTimeoutMs?: number;
	maxBackoffMs?: number;
}

function statusOf(error: unknown): number | undefined {
	return error instanceof SymphonyApiError ? error.report.status : undefined;
}

/** A failure that may pass on its own: Symphony busy or down, or the network. */
function isPassing(error: unknown): boolean {
	if (!(error instanceof SymphonyApiError)) return false;
	const status = error.report.status;
	return status === undefined || status === 429 || status >= 500;
}

export class DatafeedLoop {
	private readonly stopper = new AbortController();
	private running?: Promise<void>;

	constructor(private readonly options: DatafeedLoopOptions) {}

	get signal(): AbortSignal {
		return this.stopper.signal;
	}

	get stopped(): boolean {
		return this.stopper.signal.aborted;
	}

	/**
	 * The feed to read: the one in the state (a restart resumes it), else the trigger's own found by
	 * its tag, else a new one. A 403 (the bot's 20 feeds) fails here, so activation says so.
	 */
	async openFeed(): Promise<string> {
		const { client, state, tag, logger } = this.options;
		if (typeof state.feedId === 'string' && state.feedId !== '') return state.feedId;
		if (tag !== undefined) {
			const [found] = await listDatafeeds(client, tag, this.signal);
			if (found) {
				logger.info(`Symphony Trigger: reading datafeed ${found.id}, found by its tag`);
				state.feedId = found.id;
				return found.id;
			}
		}
		return await this.createFeed();
	}

	private async createFeed(): Promise<string> {
		const feed = await createDatafeed(this.options.client, this.options.tag, this.signal);
		this.options.logger.info(`Symphony Trigger: created datafeed ${feed.id}`);
		this.options.state.feedId = feed.id;
		return feed.id;
	}

	/** Starts reading; settles when stopped (or, with `untilFirst`, after the first item emitted). Rejects on a failure that will not pass. */
	start(untilFirst = false): Promise<void> {
		this.running ??= this.loop(untilFirst);
		return this.running;
	}

	/** Stops: the read in flight is aborted, any wait ends, and this settles when the loop has ended. */
	async stop(): Promise<void> {
		this.stopper.abort();
		await this.running?.catch(() => undefined);
	}

	private async loop(untilFirst: boolean): Promise<void> {
		const { client, state, logger } = this.options;
		let feedId = await this.openFeed();
		let ackId = '';
		let failures = 0;
		/** A feed was created and none of its reads has succeeded yet: another 400 waits before the next feed. */
		let unproven = false;
		while (!this.stopped) {
			let batch;
			try {
				if (feedId === '') {
					feedId = await this.createFeed();
					ackId = '';
					unproven = true;
				}
				batch = await readDatafeed(client, feedId, ackId, { timeoutMs: this.options.readTimeoutMs ?? READ_TIMEOUT_MS, abortSignal: this.signal });
				failures = 0;
				unproven = false;
			} catch (error) {
				if (this.stopped || error instanceof WaitCancelledError) return;
				const goneFeed = statusOf(error) === 400 && feedId !== '';
				if (goneFeed) {
					// The feed is gone (its time to live passed, or it was deleted): events it held are lost with it.
					logger.warn(`Symphony Trigger: datafeed ${feedId} no longer exists; creating a new one`);
					feedId = '';
					state.feedId = '';
					// A feed refused at once, again and again, would make a new feed per round: wait as after a failure.
					if (!unproven) continue;
				}
				if (!goneFeed && !isPassing(error)) throw toNodeError(this.options.node, error);
				failures++;
				const delayMs = backoffDelay(failures, this.options.maxBackoffMs ?? MAX_BACKOFF_MS, Math.random());
				logger.warn(`Symphony Trigger: ${(error as Error).message}; trying again in ${Math.round(delayMs / 100) / 10} s (failure ${failures} in a row)`);
				try {
					await sleep(delayMs, this.signal);
				} catch {
					return;
				}
				continue;
			}
			const emitted = this.emitNew(batch.events);
			ackId = batch.ackId;
			if (untilFirst && emitted > 0) return;
		}
	}

	/** Emits the events that pass the filters and are not in the window; returns how many. */
	private emitNew(events: IDataObject[]): number {
		const { state, filters, botId } = this.options;
		let seen = decodeSeenKeys(state.seen);
		const known = new Set(seen);
		const keys: string[] = [];
		let count = 0;
		for (const event of events) {
			const key = eventKey(event);
			if (key !== undefined && (known.has(key) || keys.includes(key))) continue;
			const item = eventToItem(event, botId);
			if (!matchesFilters(item, filters, botId)) continue;
			if (key !== undefined) keys.push(key);
			// The window is written before the emission: n8n saves static data when a trigger emits.
			seen = rememberKeys(seen, key === undefined ? [] : [key]);
			state.seen = seen;
			this.options.emit(item);
			count++;
		}
		return count;
	}
}
