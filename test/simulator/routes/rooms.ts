import { error, int64, type PodSimulator, type Reply } from '../index';
import { simMessagingOf, type SimStream } from './messages';

/**
 * Rooms, as Symphony's Pod API documents them (shared/symphony-messaging.md §3):
 * - `POST /pod/v3/room/create` takes V3RoomAttributes and answers V3RoomDetail; the caller is the
 *   room's owner and first member; no attributes gives a private room;
 * - `GET /pod/v3/room/{id}/info` answers V3RoomDetail;
 * - `POST /pod/v3/room/search?skip&limit&includeNonDiscoverable` takes `{query (required), labels,
 *   active, private, owner{id}, creator{id}, member{id}, sortOrder}` and answers
 *   `{count, skip, limit, query, rooms[]}`; `limit` defaults to 50, at most 100;
 * - `POST /pod/v1/room/{id}/membership/add|remove` takes `{"id": <user ID>}` and answers
 *   `{"format":"TEXT","message":"Member added"}` (or removed).
 * Rooms are streams of the messaging simulator (type ROOM), so messages can be sent to them.
 * Where Symphony's documentation is silent, the simulator chooses and says so: an unknown or
 * malformed stream ID is a 400; a private room the caller is not in is a 403 to read; changing
 * members needs the caller to be an owner, or a member where members can invite; a person at
 * another firm joins only a cross-pod room.
 */

export const DEFAULT_SEARCH_LIMIT = 50;
export const MAX_SEARCH_LIMIT = 100;

const URL_SAFE_ID = /^[A-Za-z0-9_-]+$/;
const FLAGS = ['membersCanInvite', 'discoverable', 'public', 'readOnly', 'copyProtected', 'crossPod', 'viewHistory', 'multiLateralRoom'] as const;
type Flag = (typeof FLAGS)[number];

export interface SimRoom {
	stream: SimStream;
	name: string;
	description?: string;
	keywords: Array<{ key: string; value: string }>;
	flags: Record<Flag, boolean>;
	creationDate: number;
	createdBy: string;
	owners: Set<string>;
	active: boolean;
}

export class SimRooms {
	readonly rooms = new Map<string, SimRoom>();

	constructor(private readonly sim: PodSimulator) {}

	/** A new room made by `creatorId` (its owner and first member), as Create Room makes it; tests may fix its stream ID. */
	create(
		creatorId: string,
		attributes: { name: string; description?: string; keywords?: SimRoom['keywords']; id?: string } & Partial<Record<Flag, boolean>>,
	): SimRoom {
		const messaging = simMessagingOf(this.sim);
		const stream = messaging.addStream({ id: attributes.id ?? messaging.newId(), type: 'ROOM', members: [creatorId] });
		const flags = Object.fromEntries(FLAGS.map((flag) => [flag, attributes[flag] === true])) as Record<Flag, boolean>;
		const room: SimRoom = {
			stream,
			name: attributes.name,
			description: attributes.description,
			keywords: attributes.keywords ?? [],
			flags,
			creationDate: this.sim.now(),
			createdBy: creatorId,
			owners: new Set([creatorId]),
			active: true,
		};
		this.rooms.set(stream.id, room);
		return room;
	}

	detail(room: SimRoom): Record<string, unknown> {
		return {
			roomAttributes: {
				name: room.name,
				...(room.description !== undefined && { description: room.description }),
				keywords: room.keywords,
				...room.flags,
			},
			roomSystemInfo: { id: room.stream.id, creationDate: room.creationDate, createdByUserId: int64(room.createdBy), active: room.active },
			groups: [],
		};
	}

	/** Whether `viewer` may see the room: a member, or the room is public or discoverable. */
	canSee(viewer: string, room: SimRoom): boolean {
		return room.stream.members.includes(viewer) || room.flags.public || room.flags.discoverable;
	}
}

const simRooms = new WeakMap<PodSimulator, SimRooms>();

export function simRoomsOf(sim: PodSimulator): SimRooms {
	let rooms = simRooms.get(sim);
	if (!rooms) {
		rooms = new SimRooms(sim);
		simRooms.set(sim, rooms);
	}
	return rooms;
}

function parseObject(body: string): Record<string, unknown> | undefined {
	try {
		const value = JSON.parse(body) as unknown;
		return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

/** The digits of `"<field>": {"id": <digits>}` in a body, read as text so no ID is rounded. */
function nestedIdOf(body: string, field: string): string | undefined | null {
	if (!new RegExp(`"${field}"\\s*:`).test(body)) return undefined;
	const match = new RegExp(`"${field}"\\s*:\\s*\\{\\s*"id"\\s*:\\s*(\\d{1,19})\\s*\\}`).exec(body);
	return match ? match[1].replace(/^0+(?=\d)/, '') : null;
}

function whole(value: string | undefined, fallback: number): number | undefined {
	if (value === undefined) return fallback;
	return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

export function roomRoutes(sim: PodSimulator): void {
	const rooms = simRoomsOf(sim);

	const roomOf = (id: string): SimRoom | Reply => {
		if (!URL_SAFE_ID.test(id)) return error(400, `Invalid stream ID ${id}: use the URL-safe form (- and _ instead of + and /, no =)`);
		const room = rooms.rooms.get(id);
		return room ?? error(400, `Stream ${id} not found`);
	};

	sim.route('roomCreate', 'POST', /^\/pod\/v3\/room\/create$/, ({ body, session }) => {
		const attributes = parseObject(body);
		if (!attributes) return error(400, 'The body must be the room\'s attributes as a JSON object');
		if (typeof attributes.name !== 'string' || attributes.name.trim() === '') return error(400, 'The room name is required');
		if (attributes.description !== undefined && typeof attributes.description !== 'string') return error(400, 'The description must be text');
		for (const flag of FLAGS) {
			if (attributes[flag] !== undefined && typeof attributes[flag] !== 'boolean') return error(400, `${flag} must be true or false`);
		}
		const keywords = attributes.keywords ?? [];
		if (!Array.isArray(keywords) || keywords.some((k: unknown) => typeof (k as { key?: unknown })?.key !== 'string')) {
			return error(400, 'keywords must be a list of {key, value}');
		}
		const room = rooms.create(session!.userId, {
			name: attributes.name,
			...(typeof attributes.description === 'string' && { description: attributes.description }),
			keywords: keywords as SimRoom['keywords'],
			...Object.fromEntries(FLAGS.filter((flag) => attributes[flag] !== undefined).map((flag) => [flag, attributes[flag]])),
		});
		return { status: 200, body: rooms.detail(room) };
	});

	sim.route('roomInfo', 'GET', /^\/pod\/v3\/room\/([^/]+)\/info$/, ({ params, session }) => {
		const room = roomOf(params[0]);
		if ('status' in room) return room;
		if (!rooms.canSee(session!.userId, room)) return error(403, 'The caller is not a member of this private room');
		return { status: 200, body: rooms.detail(room) };
	});

	sim.route('roomSearch', 'POST', /^\/pod\/v3\/room\/search$/, ({ body, query, session }) => {
		const skip = whole(query.skip, 0);
		const limit = whole(query.limit, DEFAULT_SEARCH_LIMIT);
		if (skip === undefined) return error(400, `Invalid skip: ${query.skip}`);
		if (limit === undefined || limit < 1 || limit > MAX_SEARCH_LIMIT) return error(400, `Invalid limit: ${query.limit} (at most ${MAX_SEARCH_LIMIT})`);
		const criteria = parseObject(body);
		if (!criteria || typeof criteria.query !== 'string') return error(400, 'The search query is required');
		const member = nestedIdOf(body, 'member');
		const creator = nestedIdOf(body, 'creator');
		const owner = nestedIdOf(body, 'owner');
		if (member === null || creator === null || owner === null) return error(400, 'member, creator and owner must be {"id": <user ID>}');
		for (const flag of ['active', 'private'] as const) {
			if (criteria[flag] !== undefined && typeof criteria[flag] !== 'boolean') return error(400, `${flag} must be true or false`);
		}
		const text = criteria.query.trim().toLowerCase();
		const includeHidden = query.includeNonDiscoverable === 'true';
		const viewer = session!.userId;
		const matches = [...rooms.rooms.values()].filter(
			(room) =>
				(includeHidden || rooms.canSee(viewer, room)) &&
				[room.name, room.description ?? '', ...room.keywords.flatMap((k) => [k.key, k.value])].some((part) => part.toLowerCase().includes(text)) &&
				(criteria.active === undefined || room.active === criteria.active) &&
				(criteria.private === undefined || !room.flags.public === criteria.private) &&
				(member === undefined || room.stream.members.includes(member)) &&
				(creator === undefined || room.createdBy === creator) &&
				(owner === undefined || room.owners.has(owner)),
		);
		const echo = {
			query: criteria.query,
			...(criteria.active !== undefined && { active: criteria.active }),
			...(criteria.private !== undefined && { private: criteria.private }),
			...(member !== undefined && { member: { id: int64(member) } }),
		};
		return {
			status: 200,
			body: { count: matches.length, skip, limit, query: echo, rooms: matches.slice(skip, skip + limit).map((room) => rooms.detail(room)) },
		};
	});

	sim.route('roomMembership', 'POST', /^\/pod\/v1\/room\/([^/]+)\/membership\/(add|remove)$/, ({ params, body, session }) => {
		const [id, change] = params;
		const room = roomOf(id);
		if ('status' in room) return room;
		const match = /^\s*\{\s*"id"\s*:\s*(\d{1,19})\s*\}\s*$/.exec(body);
		if (!match) return error(400, 'The body must be {"id": <user ID>}');
		const userId = match[1].replace(/^0+(?=\d)/, '');
		const caller = session!.userId;
		if (!sim.users.has(userId)) return error(400, `User ${userId} not found`);
		if (!room.active) return error(400, 'The room is deactivated');
		const members = room.stream.members;
		if (!members.includes(caller)) return error(403, 'The caller is not a member of this room');
		if (!room.owners.has(caller) && !(change === 'add' && room.flags.membersCanInvite)) return error(403, 'Only owners may change the members of this room');
		if (change === 'add') {
			if (sim.areAtDifferentFirms(caller, userId) && !room.flags.crossPod) return error(400, `User ${userId} is at another firm and the room is not cross-pod`);
			if (!members.includes(userId)) members.push(userId);
			return { status: 200, body: { format: 'TEXT', message: 'Member added' } };
		}
		const index = members.indexOf(userId);
		if (index >= 0) members.splice(index, 1);
		room.owners.delete(userId);
		return { status: 200, body: { format: 'TEXT', message: 'Member removed' } };
	});
}
