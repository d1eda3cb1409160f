import type { IDataObject, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { deleteDatafeed, MAX_DATAFEED_TAG_LENGTH } from '../api/datafeed';
import { getSessionUser } from '../api/session';
import { toNodeError } from '../errors';
import { createSymphonyClient, DEFAULT_CLIENT_SETTINGS, type SymphonyCredentialType } from '../transport';
import { parseConversations, parseEvents, parseFromUsers, type EventFilters } from './datafeedEvents';
import { DatafeedLoop, type DatafeedState } from './datafeedLoop';

/**
 * The Symphony Trigger's `trigger()`: n8n calls it when the workflow is activated (and at each
 * start of n8n, on the instance that runs triggers: the leader when there are several mains), and
 * for "Listen for test event" in the editor (manual mode).
 *
 * Active: the bot's identity is read, the feed opened (the one in static data, else the trigger's
 * own found by its tag, else a new one; a refusal such as the bot's 20 feeds fails the activation
 * with Symphony's reason), and the read loop started. `closeFunction` stops the loop and aborts the
 * read in flight. The feed is kept: n8n calls `closeFunction` both when the workflow is deactivated
 * and (in n8n 1.x) when n8n shuts down, and cannot tell which; a kept feed lets a restart resume with
 * the events that arrived meanwhile, and Symphony removes a feed nobody reads after its time to live.
 *
 * Manual: a feed of its own is created, the first matching event returned, and the feed deleted
 * when the test ends.
 */

/** Client settings for the trigger: a few quick retries per call; the loop itself never gives up on passing failures. */
const TRIGGER_RETRY = { maxAttempts: 3, maxWaitMs: 5_000 };

export interface DatafeedTriggerParameters {
	credentialType: SymphonyCredentialType;
	filters: EventFilters;
}

export function readDatafeedTriggerParameters(context: ITriggerFunctions): DatafeedTriggerParameters {
	try {
		const options = context.getNodeParameter('options', {}) as IDataObject;
		const events = parseEvents(context.getNodeParameter('events', []));
		return {
			credentialType: context.getNodeParameter('authentication', 'symphonyRsaApi') as SymphonyCredentialType,
			filters: {
				events,
				conversations: events.includes('messageReceived') ? parseConversations(context.getNodeParameter('messageIn', 'all')) : 'all',
				onlyWhenMentioned: options.onlyWhenMentioned === true,
				textContains: typeof options.textContains === 'string' ? options.textContains.trim() : '',
				fromUsers: parseFromUsers(options.fromUsers),
				includeOwnEvents: options.includeOwnEvents === true,
			},
		};
	} catch (error) {
		throw toNodeError(context.getNode(), error);
	}
}

/** The tag of the trigger's feed: one per workflow and node, so a restart finds its own feed. */
export function datafeedTag(workflowId: string | undefined, nodeId: string): string {
	return `n8n-${workflowId ?? 'workflow'}-${nodeId}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, MAX_DATAFEED_TAG_LENGTH);
}

export async function startDatafeedTrigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
	const parameters = readDatafeedTriggerParameters(this);
	const client = await createSymphonyClient(this, { ...DEFAULT_CLIENT_SETTINGS, credentialType: parameters.credentialType, retry: TRIGGER_RETRY });
	const manual = this.getMode() === 'manual';
	const node = this.getNode();
	const bot = await getSessionUser(client).catch((error: unknown) => {
		throw toNodeError(node, error);
	});
	// n8n replaces `emit` on this context after `trigger()` returns in manual mode: look it up at each emission.
	const emit = (json: IDataObject) => this.emit([[{ json }]]);
	const state: DatafeedState = manual ? {} : (this.getWorkflowStaticData('node') as DatafeedState);
	const loop = new DatafeedLoop({
		client,
		filters: parameters.filters,
		botId: bot.id,
		state,
		tag: manual ? undefined : datafeedTag(this.getWorkflow().id, node.id),
		node,
		logger: this.logger,
		emit,
	});
	try {
		// A test run reads a feed of its own, created now: it waits for the next event.
		await loop.openFeed();
	} catch (error) {
		throw toNodeError(node, error);
	}

	if (manual) {
		return {
			manualTriggerFunction: async () => {
				try {
					await loop.start(true);
				} catch (error) {
					if (!loop.stopped) throw toNodeError(node, error);
				}
			},
			closeFunction: async () => {
				await loop.stop();
				if (state.feedId) await deleteDatafeed(client, state.feedId).catch(() => undefined);
			},
		};
	}

	loop.start().catch((error: unknown) => {
		// A failure that does not pass (a refused session, the feed limit on re-creation): n8n reports
		// it, deactivates the workflow and tries to activate it again later.
		if (!loop.stopped) this.emitError(toNodeError(node, error));
	});
	return {
		closeFunction: async () => await loop.stop(),
	};
}
