import type { IDataObject } from 'n8n-workflow';
import { randomBytes } from 'node:crypto';

import { multipartBody, type MultipartFile } from '../helpers/multipart';
import { toUrlSafeId } from '../helpers/streamIds';
import { userIdFromResponse, userIdsToJsonArray } from '../helpers/userIds';
import type { SymphonyClient } from '../transport';
import { unexpectedShape } from './shape';

/** A message as Symphony answered its creation (V4Message), the fields this package passes on. */
export interface SentMessage {
	messageId: string;
	streamId: string;
	/** Epoch milliseconds. */
	timestamp: number;
}

/**
 * POST /pod/v1/im/create: the IM (or, for several people, the group chat) of the caller with
 * `userIds`. Symphony answers the existing one for the same people, so it is safe to repeat.
 */
export async function createIm(client: SymphonyClient, userIds: readonly string[]): Promise<string> {
	const action = `opening the IM with ${userIds.length === 1 ? `user ${userIds[0]}` : `users ${userIds.join(', ')}`}`;
	const { body } = await client.request({
		method: 'POST',
		path: '/pod/v1/im/create',
		body: userIdsToJsonArray(userIds),
		action,
		hints: {
			400: 'Check the user IDs: each must be a person on your pod, or at another firm you are connected with.',
			403: 'The account may not chat with one of these people (not connected, or blocked by an information barrier). OBO apps need the SEND_MESSAGES permission.',
		},
	});
	const id = (body as { id?: unknown } | undefined)?.id;
	if (typeof id !== 'string' || id === '') throw unexpectedShape(action, 'the IM\'s stream ID');
	return id;
}

/**
 * The multipart body of a message, as Create Message, Blast and Update take it: `message`
 * (MessageML), optional EntityJSON `data`, the call's further fields, then one `attachment` part per
 * file (repeated, as Symphony's Java BDK sends several).
 */
function messageForm(
	message: string,
	data: string | undefined,
	more: Array<[string, string]> = [],
	attachments: readonly MultipartFile[] = [],
): ReturnType<typeof multipartBody> {
	return multipartBody(
		[
			['message', message],
			...(data === undefined ? [] : [['data', data] as [string, string]]),
			...more,
			...attachments.map((file) => ['attachment', file] as [string, MultipartFile]),
		],
		`----n8nSymphony${randomBytes(12).toString('hex')}`,
	);
}

/** A V4Message's ID, time and stream; undefined when it lacks them. */
function decodeSentMessage(value: unknown, fallbackStreamId?: string): SentMessage | undefined {
	const sent = value as { messageId?: unknown; timestamp?: unknown; stream?: { streamId?: unknown } } | undefined;
	const timestamp = typeof sent?.timestamp === 'string' ? Number(sent.timestamp) : sent?.timestamp;
	if (typeof sent?.messageId !== 'string' || typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return undefined;
	const answeredStream = sent.stream?.streamId;
	const streamId = typeof answeredStream === 'string' ? answeredStream : fallbackStreamId;
	if (streamId === undefined) return undefined;
	return { messageId: sent.messageId, streamId, timestamp };
}

const MESSAGEML_400_HINT =
	'Symphony refused the message or the stream ID: check the stream ID, and for MessageML that it is well-formed (every tag closed, & < written as &amp; &lt;, no ${ or #{).';

/**
 * POST /agent/v4/stream/{sid}/message/create, multipart: the message (MessageML) and optional
 * EntityJSON `data`. Not idempotent: the transport repeats it only when it provably did not reach
 * the Agent, so a message is never posted twice by a retry.
 */
export async function createMessage(
	client: SymphonyClient,
	streamId: string,
	message: string,
	data?: string,
	attachments: readonly MultipartFile[] = [],
): Promise<SentMessage> {
	const action = `sending a message to stream ${streamId}`;
	const { body, contentType } = messageForm(message, data, [], attachments);
	const response = await client.request({
		method: 'POST',
		host: 'agent',
		path: `/agent/v4/stream/${streamId}/message/create`,
		body,
		contentType,
		idempotent: false,
		action,
		hints: {
			400: MESSAGEML_400_HINT,
			403: 'The account is not a member of this conversation, or may not send messages there (a read-only room). OBO apps need the SEND_MESSAGES permission.',
		},
	});
	const sent = decodeSentMessage(response.body, streamId);
	if (!sent) throw unexpectedShape(action, 'the sent message with its ID and time');
	return sent;
}

/** The most streams one Blast request takes. */
export const MAX_BLAST_STREAMS = 100;

/** What Blast answered for one stream: sent, or refused with Symphony's code and message. */
export type BlastOutcome =
	| ({ sent: true } & SentMessage)
	| { sent: false; streamId: string; errorCode?: number; errorMessage: string };

/**
 * POST /agent/v4/message/blast, multipart: the message, optional `data`, `sids` (the stream IDs,
 * comma-joined, at most MAX_BLAST_STREAMS) and any attachments, which every stream's message gets.
 * Symphony answers 200 even when some streams failed (`{messages, errors: {<sid>: Error}}`): the
 * outcome of every stream asked for is returned, in the order asked, a stream Symphony reports
 * neither way as not sent. Not idempotent.
 */
export async function blastMessage(
	client: SymphonyClient,
	streamIds: readonly string[],
	message: string,
	data?: string,
	attachments: readonly MultipartFile[] = [],
): Promise<BlastOutcome[]> {
	const action = `sending a message to ${streamIds.length === 1 ? `stream ${streamIds[0]}` : `${streamIds.length} streams (${streamIds[0]}, …)`}`;
	const { body, contentType } = messageForm(message, data, [['sids', streamIds.join(',')]], attachments);
	const response = await client.request({
		method: 'POST',
		host: 'agent',
		path: '/agent/v4/message/blast',
		body,
		contentType,
		idempotent: false,
		action,
		hints: {
			400: 'Symphony refused the message or the stream IDs: check the stream IDs, and for MessageML that it is well-formed (every tag closed, & < written as &amp; &lt;, no ${ or #{).',
			403: 'The account may not send messages (OBO apps need the SEND_MESSAGES permission).',
		},
	});
	const answer = response.body as { messages?: unknown; errors?: unknown } | undefined;
	if (answer === undefined || typeof answer !== 'object' || (answer.messages !== undefined && !Array.isArray(answer.messages))) {
		throw unexpectedShape(action, 'the sent messages and the streams that failed');
	}
	const sentTo = new Map<string, SentMessage>();
	for (const value of (answer.messages as unknown[] | undefined) ?? []) {
		const sent = decodeSentMessage(value);
		if (!sent) throw unexpectedShape(action, 'the sent messages with their IDs, times and streams');
		sentTo.set(toUrlSafeId(sent.streamId), { ...sent, streamId: toUrlSafeId(sent.streamId) });
	}
	const failed = new Map<string, { code?: unknown; message?: unknown }>();
	if (answer.errors !== null && typeof answer.errors === 'object') {
		for (const [sid, error] of Object.entries(answer.errors as Record<string, unknown>)) {
			failed.set(toUrlSafeId(sid), (error ?? {}) as { code?: unknown; message?: unknown });
		}
	}
	return streamIds.map((streamId): BlastOutcome => {
		const sent = sentTo.get(streamId);
		if (sent) return { sent: true, ...sent };
		const error = failed.get(streamId);
		if (!error) return { sent: false, streamId, errorMessage: 'Symphony did not report this stream as sent' };
		const code = typeof error.code === 'number' ? error.code : typeof error.code === 'string' && /^\d+$/.test(error.code) ? Number(error.code) : undefined;
		return {
			sent: false,
			streamId,
			...(code !== undefined && { errorCode: code }),
			errorMessage: typeof error.message === 'string' && error.message !== '' ? client.showable(error.message) : 'Symphony did not send to this stream',
		};
	});
}

/** What Update Message answered: the new version's ID and time, and the ID it replaced. */
export interface UpdatedMessage extends SentMessage {
	replacedMessageId: string;
}

/**
 * POST /agent/v4/stream/{sid}/message/{mid}/update, multipart: the new message, optional `data`,
 * `silent` (true: the update arrives as read) and any attachments (Symphony takes them from SBE
 * 24.1). Treated as not idempotent: an update carried out twice shows twice on some clients.
 */
export async function updateMessage(
	client: SymphonyClient,
	streamId: string,
	messageId: string,
	message: string,
	options: { silent: boolean; data?: string; attachments?: readonly MultipartFile[] },
): Promise<UpdatedMessage> {
	const action = `updating message ${messageId} in stream ${streamId}`;
	const { body, contentType } = messageForm(message, options.data, [['silent', String(options.silent)]], options.attachments);
	const response = await client.request({
		method: 'POST',
		host: 'agent',
		path: `/agent/v4/stream/${streamId}/message/${messageId}/update`,
		body,
		contentType,
		idempotent: false,
		action,
		hints: {
			400:
				'Symphony refused the update: check that the message ID belongs to this stream and the message is not deleted or suppressed, and for MessageML that it is well-formed (every tag closed, & < written as &amp; &lt;, no ${ or #{).' +
				// Symphony documents attachments on an update from SBE 24.1 on.
				(options.attachments?.length ? ' Attachments on an update need Symphony 24.1 or later.' : ''),
			403: 'The account may update only its own messages, in a conversation it is a member of. OBO apps need the SEND_MESSAGES permission.',
		},
	});
	const updated = decodeSentMessage(response.body, streamId);
	if (!updated) throw unexpectedShape(action, 'the updated message with its ID and time');
	return { ...updated, replacedMessageId: messageId };
}

/** Symphony's largest page of Get Many (List Messages). */
export const MAX_MESSAGES_PAGE = 500;

/** A message as Symphony lists it (V4Message): the fields this package reads, and the whole answer. */
export interface ListedMessage extends SentMessage {
	/** PresentationML. */
	message: string;
	sender: { userId?: string; displayName?: string; email?: string };
	raw: IDataObject;
}

function decodeListedMessage(value: unknown, streamId: string): ListedMessage | undefined {
	const sent = decodeSentMessage(value, streamId);
	if (!sent) return undefined;
	const raw = value as IDataObject;
	const user = (raw.user ?? {}) as { userId?: unknown; displayName?: unknown; email?: unknown };
	const userId = userIdFromResponse(user.userId);
	return {
		...sent,
		streamId: toUrlSafeId(sent.streamId),
		message: typeof raw.message === 'string' ? raw.message : '',
		sender: {
			...(userId !== undefined && { userId }),
			...(typeof user.displayName === 'string' && { displayName: user.displayName }),
			...(typeof user.email === 'string' && { email: user.email }),
		},
		raw,
	};
}

/**
 * GET /agent/v4/stream/{sid}/message: one page of the stream's messages from `since` (epoch ms),
 * `skip` of them passed over. 204 (no messages) gives an empty page.
 */
export async function listMessages(
	client: SymphonyClient,
	streamId: string,
	page: { since: number; until?: number; skip: number; limit: number },
): Promise<ListedMessage[]> {
	const action = `reading the messages of stream ${streamId}`;
	const response = await client.request({
		method: 'GET',
		host: 'agent',
		path: `/agent/v4/stream/${streamId}/message`,
		qs: {
			since: page.since,
			...(page.until !== undefined && { until: page.until }),
			...(page.skip > 0 && { skip: page.skip }),
			limit: page.limit,
		},
		action,
		hints: {
			400: 'Symphony refused the stream ID or the times: check the stream ID, and that Since comes before Until.',
			403: 'The account is not a member of this conversation. OBO apps need the user to be a member.',
		},
	});
	if (response.status === 204 || response.body === undefined) return [];
	if (!Array.isArray(response.body)) throw unexpectedShape(action, 'a list of messages');
	return response.body.map((value) => {
		const listed = decodeListedMessage(value, streamId);
		if (!listed) throw unexpectedShape(action, 'a list of messages with their IDs and times');
		return listed;
	});
}

/** What Suppress Message answered. */
export interface SuppressedMessage {
	messageId: string;
	suppressed: boolean;
	/** Epoch milliseconds, when Symphony gives it. */
	suppressionDate?: number;
}

/**
 * POST /pod/v1/admin/messagesuppression/{id}/suppress: hides a message from every member. Needs
 * the Content Management role. Safe to repeat: a suppressed message stays suppressed.
 */
export async function suppressMessage(client: SymphonyClient, messageId: string): Promise<SuppressedMessage> {
	const action = `suppressing message ${messageId}`;
	const { body } = await client.request({
		method: 'POST',
		path: `/pod/v1/admin/messagesuppression/${messageId}/suppress`,
		action,
		hints: {
			400: 'Symphony refused the message ID: check it is the messageId of an existing message.',
			403: 'Suppressing messages needs the Content Management role on the account (a pod administrator assigns it; OBO apps need the SUPPRESS_MESSAGES permission).',
			404: 'Symphony has no message with this ID: check it is the messageId of an existing message.',
		},
	});
	const answer = body as { messageId?: unknown; suppressed?: unknown; suppressionDate?: unknown } | undefined;
	if (typeof answer?.suppressed !== 'boolean') throw unexpectedShape(action, 'the suppression of the message');
	const date = typeof answer.suppressionDate === 'string' ? Number(answer.suppressionDate) : answer.suppressionDate;
	return {
		messageId: typeof answer.messageId === 'string' ? toUrlSafeId(answer.messageId) : messageId,
		suppressed: answer.suppressed,
		...(typeof date === 'number' && Number.isFinite(date) && { suppressionDate: date }),
	};
}
