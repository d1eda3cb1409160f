import { randomBytes } from 'node:crypto';

import { multipartBody, type MultipartFile } from '../helpers/multipart';
import { userIdsToJsonArray } from '../helpers/userIds';
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
	const { body, contentType } = multipartBody(
		[
			['message', message],
			...(data === undefined ? [] : [['data', data] as [string, string]]),
			...attachments.map((file) => ['attachment', file] as [string, MultipartFile]),
		],
		`----n8nSymphony${randomBytes(12).toString('hex')}`,
	);
	const response = await client.request({
		method: 'POST',
		host: 'agent',
		path: `/agent/v4/stream/${streamId}/message/create`,
		body,
		contentType,
		idempotent: false,
		action,
		hints: {
			400: 'Symphony refused the message or the stream ID: check the stream ID, and for MessageML that it is well-formed (every tag closed, & < written as &amp; &lt;, no ${ or #{).',
			403: 'The account is not a member of this conversation, or may not send messages there (a read-only room). OBO apps need the SEND_MESSAGES permission.',
		},
	});
	const sent = response.body as { messageId?: unknown; timestamp?: unknown; stream?: { streamId?: unknown } } | undefined;
	const timestamp = typeof sent?.timestamp === 'string' ? Number(sent.timestamp) : sent?.timestamp;
	if (typeof sent?.messageId !== 'string' || typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
		throw unexpectedShape(action, 'the sent message with its ID and time');
	}
	const answeredStream = sent.stream?.streamId;
	return { messageId: sent.messageId, streamId: typeof answeredStream === 'string' ? answeredStream : streamId, timestamp };
}
