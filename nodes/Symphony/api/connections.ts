import type { IDataObject } from 'n8n-workflow';

import { SymphonyApiError } from '../errors';
import { chunk } from '../helpers/batching';
import { userIdFromResponse } from '../helpers/userIds';
import type { SymphonyClient } from '../transport';
import { unexpectedShape } from './shape';

/**
 * Symphony's connections (Pod API /v1/connection/…): people at other firms must be connected to
 * the caller before either sees the other's presence. Colleagues on the same pod are connected
 * implicitly (ACCEPTED) and cannot be rejected or removed.
 */

/** Symphony's statuses of a connection, as the caller sees it (UserConnection.status). */
export const CONNECTION_STATUSES = ['PENDING_INCOMING', 'PENDING_OUTGOING', 'ACCEPTED', 'REJECTED'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
/** Our own word for "no connection and no request" (Symphony answers 404 or leaves the user out). */
export const NOT_CONNECTED = 'NOT_CONNECTED';

/** A connection as Symphony returns it (UserConnection), the user ID as a digit string. */
export interface Connection {
	userId: string;
	/** One of CONNECTION_STATUSES, or another Symphony may add. */
	status: string;
	/** Epoch ms of the first request; absent for implicit (same-pod) connections. */
	firstRequestedAt?: number;
	/** Epoch ms of the last change. */
	updatedAt?: number;
	requestCounter?: number;
}

/** Users per GET /pod/v1/connection/list request when filtering by userIds (they travel in the URL). */
export const MAX_LIST_USER_IDS = 100;

/**
 * What a 403 means for the connection calls. Symphony names no bot privilege for them; OBO apps need
 * GET_USER_CONNECTIONS to read and REQUEST_USER_CONNECTIONS to send requests.
 */
export const READ_CONNECTIONS_403 =
	'Symphony did not let the account behind the credential read its connections. OBO apps need the GET_USER_CONNECTIONS permission; check with your Symphony administrator that the account may use the Connection API.';
const CHANGE_CONNECTIONS_403 =
	'Symphony did not let the account behind the credential change its connections. OBO apps need the REQUEST_USER_CONNECTIONS permission; both pods must allow connections across firms (crossPod).';

function timeOf(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Decodes one UserConnection. */
export function decodeConnection(body: unknown, action: string, expectedUserId?: string): Connection {
	const record = body as { userId?: unknown; status?: unknown; firstRequestedAt?: unknown; updatedAt?: unknown; requestCounter?: unknown } | undefined;
	if (!record || typeof record !== 'object' || typeof record.status !== 'string') throw unexpectedShape(action, 'a connection with a status');
	const userId = record.userId === undefined ? expectedUserId : userIdFromResponse(record.userId);
	if (userId === undefined) throw unexpectedShape(action, 'a connection with a readable user ID');
	return {
		userId,
		status: record.status,
		...(timeOf(record.firstRequestedAt) !== undefined && { firstRequestedAt: timeOf(record.firstRequestedAt) }),
		...(timeOf(record.updatedAt) !== undefined && { updatedAt: timeOf(record.updatedAt) }),
		...(timeOf(record.requestCounter) !== undefined && { requestCounter: timeOf(record.requestCounter) }),
	};
}

/**
 * GET /pod/v1/connection/user/{userId}/info: the connection with one person. Symphony answers 404
 * when there is none (no connection and no request): that comes back as undefined.
 */
export async function getConnection(client: SymphonyClient, userId: string): Promise<Connection | undefined> {
	const action = `reading the connection with user ${userId}`;
	let failure: unknown;
	try {
		const { body } = await client.request({ method: 'GET', path: `/pod/v1/connection/user/${userId}/info`, action, hints: { 403: READ_CONNECTIONS_403 } });
		return decodeConnection(body, action, userId);
	} catch (error) {
		failure = error;
	}
	if (failure instanceof SymphonyApiError && failure.report.status === 404) return undefined;
	throw failure;
}

/**
 * GET /pod/v1/connection/list: the caller's connections with `status` (Symphony's default, without
 * one, is both pending statuses; ALL is every status). With `userIds`, only those people, in
 * requests of MAX_LIST_USER_IDS; colleagues on the same pod come back (ACCEPTED) only this way.
 */
export async function listConnections(
	client: SymphonyClient,
	filter: { status?: ConnectionStatus | 'ALL'; userIds?: readonly string[] },
): Promise<Connection[]> {
	const batches = filter.userIds === undefined ? [undefined] : chunk(filter.userIds, MAX_LIST_USER_IDS);
	const connections: Connection[] = [];
	for (const userIds of batches) {
		if (userIds !== undefined && userIds.length === 0) continue;
		const action =
			userIds === undefined
				? 'listing your connections'
				: userIds.length === 1
					? `reading the connection with user ${userIds[0]}`
					: `reading your connections with ${userIds.length} users`;
		const { body } = await client.request({
			method: 'GET',
			path: '/pod/v1/connection/list',
			qs: { ...(filter.status !== undefined && { status: filter.status }), ...(userIds !== undefined && { userIds: userIds.join(',') }) },
			action,
			hints: { 403: READ_CONNECTIONS_403 },
		});
		if (body === undefined) continue;
		if (!Array.isArray(body)) throw unexpectedShape(action, 'a list of connections');
		for (const entry of body) connections.push(decodeConnection(entry, action));
	}
	return connections;
}

/** The UserConnectionRequest body, written as text so the ID keeps every digit. */
function userIdBody(userId: string): string {
	return `{"userId":${userId}}`;
}

/**
 * POST /pod/v1/connection/create: asks a person to connect. Symphony answers PENDING_OUTGOING, or
 * ACCEPTED for a colleague on the same pod. Only one request per pair is allowed until they decline.
 */
export async function createConnection(client: SymphonyClient, userId: string): Promise<Connection> {
	const action = `sending a connection request to user ${userId}`;
	const { body } = await client.request({
		method: 'POST',
		path: '/pod/v1/connection/create',
		body: userIdBody(userId),
		action,
		hints: {
			400: `Symphony refused the request to user ${userId}: a request may already be waiting for their answer, or they cannot be connected with.`,
			403: CHANGE_CONNECTIONS_403,
			404: `Symphony knows no user ${userId}. Check the user ID.`,
		},
	});
	return decodeConnection(body, action, userId);
}

/** POST /pod/v1/connection/accept or reject: answers the request `userId` sent to the caller. */
export async function answerConnectionRequest(client: SymphonyClient, userId: string, answer: 'accept' | 'reject'): Promise<Connection> {
	const action = `${answer === 'accept' ? 'accepting' : 'rejecting'} the connection request of user ${userId}`;
	const { body } = await client.request({
		method: 'POST',
		path: `/pod/v1/connection/${answer}`,
		body: userIdBody(userId),
		action,
		hints: {
			400: `Symphony refused to ${answer} a connection with user ${userId}: colleagues on your pod are always connected, so there is nothing to ${answer}.`,
			403: CHANGE_CONNECTIONS_403,
			404: `User ${userId} has no connection request waiting for your answer. Connection → Get Many with Status: Pending Incoming lists those that do.`,
		},
	});
	return decodeConnection(body, action, userId);
}

/** POST /pod/v1/connection/user/{uid}/remove: ends the connection with a person at another firm. */
export async function removeConnection(client: SymphonyClient, userId: string): Promise<void> {
	await client.request({
		method: 'POST',
		path: `/pod/v1/connection/user/${userId}/remove`,
		action: `removing the connection with user ${userId}`,
		hints: {
			400: `Symphony refused to remove the connection with user ${userId}: colleagues on your pod are always connected.`,
			403: CHANGE_CONNECTIONS_403,
			404: `You are not connected with user ${userId}, so there is no connection to remove.`,
		},
	});
}

const day = (ms: number | undefined) => (ms === undefined ? 'an unknown date' : new Date(ms).toISOString());

/** Why a person at another firm cannot be read, from the connection with them, and what to do. */
export function describeConnectionForPresence(userId: string, connection: Connection | undefined, interest: string): string {
	if (connection === undefined) {
		return `You are not connected with user ${userId}, who is at another firm: Symphony shows their presence only to connected people. Send them a request with Connection → Create and ask them to accept it in Symphony.`;
	}
	switch (connection.status) {
		case 'ACCEPTED':
			return `You are connected with user ${userId}, so interest in their presence is missing: ${interest}`;
		case 'PENDING_OUTGOING':
			return `Your connection request to user ${userId} (at another firm) is waiting for their answer since ${day(connection.firstRequestedAt)}: Symphony shows their presence once they accept. Ask them to accept it in Symphony.`;
		case 'PENDING_INCOMING':
			return `User ${userId} (at another firm) asked to connect with you on ${day(connection.firstRequestedAt)} and is waiting for your answer: accept with Connection → Accept, then their presence can be read.`;
		case 'REJECTED':
			return `Your connection request to user ${userId} (at another firm) was declined on ${day(connection.updatedAt)}. Ask them, then send a new request with Connection → Create.`;
		default:
			return `The connection with user ${userId} (at another firm) is ${connection.status}: Symphony shows their presence only once it is accepted.`;
	}
}

/**
 * A 403 on reading a person at another firm, explained: one request to the Connection API tells
 * not connected, a request waiting (since when, from whom), declined, or connected, in which case
 * interest is what is missing (`interest` says what this run did about it). When the Connection
 * API cannot be asked, the most likely causes come first.
 */
export async function explainForbiddenRead(client: SymphonyClient, refusal: SymphonyApiError, userId: string, interest: string): Promise<SymphonyApiError> {
	let description: string;
	try {
		description = describeConnectionForPresence(userId, await getConnection(client, userId), interest);
	} catch {
		description = `User ${userId} is at another firm. Most likely no interest in their presence was registered within the last hour: ${interest} Symphony also shows their presence only to connected people: check with Connection → Get, and send a request with Connection → Create if needed.`;
	}
	const said = refusal.report.symphonyMessage ? ` Symphony said: "${refusal.report.symphonyMessage}".` : '';
	return new SymphonyApiError(refusal.node, { ...refusal.report, description: `${description}${said}` });
}

/** The item a connection becomes: Symphony's fields, `connected`, and the times as ISO text. */
export function connectionToJson(connection: Connection, namedAs: IDataObject = {}): IDataObject {
	const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
	return {
		userId: connection.userId,
		...namedAs,
		status: connection.status,
		connected: connection.status === 'ACCEPTED',
		firstRequestedAt: connection.firstRequestedAt ?? null,
		firstRequestedAtIso: iso(connection.firstRequestedAt),
		updatedAt: connection.updatedAt ?? null,
		updatedAtIso: iso(connection.updatedAt),
		requestCounter: connection.requestCounter ?? null,
	};
}

/** The item for a person with no connection and no request. */
export function notConnectedJson(userId: string, namedAs: IDataObject = {}): IDataObject {
	return connectionToJson({ userId, status: NOT_CONNECTED }, namedAs);
}
