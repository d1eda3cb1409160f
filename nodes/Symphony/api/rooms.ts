import type { IDataObject } from 'n8n-workflow';

import { userIdFromResponse } from '../helpers/userIds';
import type { SymphonyClient } from '../transport';
import { unexpectedShape } from './shape';

/**
 * Symphony's rooms (Pod API /v3/room/… and /v1/room/…/membership): create, read, search, and
 * add or remove members. Stream IDs go into paths URL-safe (helpers/streamIds.ts); user IDs stay
 * digit strings and are written into bodies as text, so every digit of an int64 arrives.
 */

/** The most rooms one search request returns (Symphony's `limit` maximum). */
export const MAX_ROOM_SEARCH_LIMIT = 100;

/** The room settings Symphony takes on creation (V3RoomAttributes), besides name and description. */
export interface RoomSettings {
	public?: boolean;
	discoverable?: boolean;
	readOnly?: boolean;
	membersCanInvite?: boolean;
	copyProtected?: boolean;
	crossPod?: boolean;
	viewHistory?: boolean;
	keywords?: Array<{ key: string; value: string }>;
}

export interface NewRoom extends RoomSettings {
	name: string;
	description?: string;
}

/** A room as Symphony describes it (V3RoomDetail), the fields this package passes on. */
export interface Room {
	streamId: string;
	name: string;
	description?: string;
	public?: boolean;
	readOnly?: boolean;
	active?: boolean;
	/** Epoch milliseconds. */
	creationDate?: number;
	/** The user ID of the room's creator, as a digit string. */
	creatorId?: string;
}

function booleanOf(value: unknown): boolean | undefined {
	return typeof value === 'boolean' ? value : undefined;
}

/** Decodes one V3RoomDetail; undefined when it has no stream ID. */
export function decodeRoom(raw: unknown): Room | undefined {
	const detail = raw as { roomAttributes?: Record<string, unknown>; roomSystemInfo?: Record<string, unknown> } | null;
	if (!detail || typeof detail !== 'object') return undefined;
	const attributes = detail.roomAttributes ?? {};
	const system = detail.roomSystemInfo ?? {};
	const streamId = system.id;
	if (typeof streamId !== 'string' || streamId === '') return undefined;
	const creationDate = typeof system.creationDate === 'number' && Number.isFinite(system.creationDate) ? system.creationDate : undefined;
	const creatorId = userIdFromResponse(system.createdByUserId);
	return {
		streamId,
		name: typeof attributes.name === 'string' ? attributes.name : '',
		...(typeof attributes.description === 'string' && { description: attributes.description }),
		...(booleanOf(attributes.public) !== undefined && { public: booleanOf(attributes.public) }),
		...(booleanOf(attributes.readOnly) !== undefined && { readOnly: booleanOf(attributes.readOnly) }),
		...(booleanOf(system.active) !== undefined && { active: booleanOf(system.active) }),
		...(creationDate !== undefined && { creationDate }),
		...(creatorId !== undefined && { creatorId }),
	};
}

/** The item a room becomes: its stream ID, name, description, settings, state, creation and creator. */
export function roomToJson(room: Room): IDataObject {
	return {
		streamId: room.streamId,
		name: room.name,
		description: room.description ?? '',
		public: room.public ?? false,
		readOnly: room.readOnly ?? false,
		active: room.active ?? null,
		createdAt: room.creationDate ?? null,
		createdAtIso: room.creationDate === undefined ? null : new Date(room.creationDate).toISOString(),
		creatorId: room.creatorId ?? null,
	};
}

/** The V3RoomAttributes body, settings left out when not given (Symphony's defaults: a private room). */
function roomAttributesBody(room: NewRoom): string {
	const { keywords, ...rest } = room;
	const body: IDataObject = {};
	for (const [key, value] of Object.entries(rest)) if (value !== undefined) body[key] = value;
	if (keywords !== undefined && keywords.length > 0) body.keywords = keywords;
	return JSON.stringify(body);
}

const ROOM_403 =
	'The account behind the credential may not change this room\'s members: it may not be a member, or not an owner of a room where members cannot invite.';
const ROOM_400 = 'Check the room\'s stream ID (from the room\'s details in Symphony, or the streamId of Create Room or Search Rooms).';

/**
 * POST /pod/v3/room/create: a new room, the caller its owner and only member. Not idempotent:
 * the transport repeats it only when it provably did not reach Symphony, so a retry never makes
 * two rooms.
 */
export async function createRoom(client: SymphonyClient, room: NewRoom): Promise<Room> {
	const action = `creating the room "${room.name.slice(0, 60)}"`;
	const { body } = await client.request({
		method: 'POST',
		path: '/pod/v3/room/create',
		body: roomAttributesBody(room),
		idempotent: false,
		action,
		hints: {
			400: 'Symphony refused the room\'s name or settings: check the name, and that your pod allows the settings chosen together (public, cross-pod, discoverable).',
			403: 'The account behind the credential may not create rooms, or not with these settings (a cross-pod room, for one): check its entitlements with your Symphony administrator.',
		},
	});
	const created = decodeRoom(body);
	if (created === undefined) throw unexpectedShape(action, 'the new room with its stream ID');
	return created;
}

/** GET /pod/v3/room/{id}/info: a room's settings and state. */
export async function getRoom(client: SymphonyClient, streamId: string): Promise<Room> {
	const action = `reading room ${streamId}`;
	const { body } = await client.request({
		method: 'GET',
		path: `/pod/v3/room/${streamId}/info`,
		action,
		hints: {
			400: `Symphony did not take ${streamId} as a room's stream ID. ${ROOM_400}`,
			403: 'The account behind the credential may not read this room: it is private and the account is not a member.',
			404: `Symphony knows no room ${streamId}. ${ROOM_400}`,
		},
	});
	const room = decodeRoom(body);
	if (room === undefined) throw unexpectedShape(action, 'a room with its stream ID');
	return room;
}

/** What Search Rooms filters on besides the text. */
export interface RoomSearchFilter {
	query: string;
	active?: boolean;
	private?: boolean;
	/** Only rooms this user (digit string) is a member of. */
	memberId?: string;
	includeNonDiscoverable?: boolean;
}

export interface RoomSearchPage {
	/** Total matches Symphony reports. */
	count?: number;
	skip: number;
	rooms: Room[];
}

/** The V3RoomSearchCriteria body, written as text so the member's ID keeps every digit. */
function searchCriteriaBody(filter: RoomSearchFilter): string {
	const parts = [`"query":${JSON.stringify(filter.query)}`];
	if (filter.active !== undefined) parts.push(`"active":${filter.active}`);
	if (filter.private !== undefined) parts.push(`"private":${filter.private}`);
	if (filter.memberId !== undefined) parts.push(`"member":{"id":${filter.memberId}}`);
	return `{${parts.join(',')}}`;
}

/** POST /pod/v3/room/search: one page of the rooms matching `filter` (at most MAX_ROOM_SEARCH_LIMIT). */
export async function searchRooms(client: SymphonyClient, filter: RoomSearchFilter, page: { skip: number; limit: number }): Promise<RoomSearchPage> {
	const action = `searching rooms for "${filter.query.slice(0, 40)}"`;
	const { body } = await client.request({
		method: 'POST',
		path: '/pod/v3/room/search',
		qs: { skip: page.skip, limit: page.limit, ...(filter.includeNonDiscoverable === true && { includeNonDiscoverable: true }) },
		body: searchCriteriaBody(filter),
		action,
		hints: {
			400: 'Symphony refused the search: check the search text and the member\'s user ID.',
			403: 'The account behind the credential may not search rooms: check its entitlements with your Symphony administrator.',
		},
	});
	if (body === undefined) return { skip: page.skip, rooms: [] };
	const results = body as { count?: unknown; skip?: unknown; rooms?: unknown };
	if (typeof results !== 'object' || results === null || (results.rooms !== undefined && !Array.isArray(results.rooms))) {
		throw unexpectedShape(action, 'a list of rooms');
	}
	const rooms = ((results.rooms ?? []) as unknown[]).map((raw) => {
		const room = decodeRoom(raw);
		if (room === undefined) throw unexpectedShape(action, 'a list of rooms with stream IDs');
		return room;
	});
	return {
		...(typeof results.count === 'number' && { count: results.count }),
		skip: typeof results.skip === 'number' ? results.skip : page.skip,
		rooms,
	};
}

/**
 * POST /pod/v1/room/{id}/membership/add or remove: one person joins or leaves the room. Both
 * are safe to repeat (a member added twice is still one member).
 */
export async function changeRoomMembership(client: SymphonyClient, streamId: string, userId: string, change: 'add' | 'remove'): Promise<void> {
	await client.request({
		method: 'POST',
		path: `/pod/v1/room/${streamId}/membership/${change}`,
		body: `{"id":${userId}}`,
		action: `${change === 'add' ? 'adding' : 'removing'} user ${userId} ${change === 'add' ? 'to' : 'from'} room ${streamId}`,
		hints: {
			400: `Symphony refused user ${userId} or the room: check the user ID (a person on your pod, or at another firm in a cross-pod room) and the room's stream ID.`,
			403: ROOM_403,
			404: `Symphony knows no room ${streamId} or no user ${userId}. ${ROOM_400}`,
		},
	});
}
