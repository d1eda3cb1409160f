import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { searchRooms as searchSymphonyRooms, type Room } from '../api/rooms';
import { getSessionUser } from '../api/session';
import { SEARCH_PAGE_SIZE, searchUsers as searchSymphonyUsers, type SymphonyUser } from '../api/users';
import { userEntryName } from '../helpers/userEntries';
import { tenantOfUserId } from '../helpers/userIds';
import { createSymphonyClient, DEFAULT_CLIENT_SETTINGS, type SymphonyCredentialType } from '../transport';

/** The longest search text sent; the editor sends what the user typed. */
const MAX_QUERY_LENGTH = 200;

function readCredentialType(context: ILoadOptionsFunctions): SymphonyCredentialType {
	const current = context.getCurrentNodeParameter('authentication');
	const value = current ?? context.getNodeParameter('authentication', 'symphonyApi');
	return value === 'symphonyRsaApi' ? 'symphonyRsaApi' : 'symphonyApi';
}

function entryOf(user: SymphonyUser, external: boolean): INodeListSearchItems {
	const name = typeof user.displayName === 'string' && user.displayName.trim() !== '' ? user.displayName.trim() : (user.username ?? user.id);
	const details = [user.emailAddress, user.company]
		.filter((part): part is string => typeof part === 'string' && part.trim() !== '')
		.map((part) => part.trim());
	return { name: userEntryName({ name, details, external }), value: user.id };
}

/** n8n's token for the next page: where it starts and the caller's tenant, found on the first page. */
function nextPageToken(skip: number, callerTenant: string): string {
	return `${skip}:${callerTenant}`;
}

function decodePageToken(token: unknown): { skip: number; callerTenant?: string } {
	const match = typeof token === 'string' ? /^(\d{1,9})(?::(\d{1,12}))?$/.exec(token) : null;
	return match ? { skip: Number(match[1]), callerTenant: match[2] } : { skip: 0 };
}

/**
 * The "From List" mode of the User field: Symphony's user search as the user types, 50 per page
 * (n8n asks for the next page with `paginationToken`). People of other pods (another tenant in
 * their user ID) are marked external: reading their presence needs Register Interest first. The
 * caller's tenant is read once, with the first page, and carried in the token to the next ones.
 * The picked entry's value is the user ID.
 */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const query = (filter ?? '').trim().slice(0, MAX_QUERY_LENGTH);
	if (query === '') return { results: [] };
	const { skip, callerTenant: carriedTenant } = decodePageToken(paginationToken);
	const client = await createSymphonyClient(this, { credentialType: readCredentialType(this), ...DEFAULT_CLIENT_SETTINGS });
	const [page, callerTenant] = await Promise.all([
		searchSymphonyUsers(client, query, { skip, limit: SEARCH_PAGE_SIZE }),
		carriedTenant ?? getSessionUser(client).then((caller) => tenantOfUserId(caller.id)),
	]);
	const results = page.users.map((user) => entryOf(user, tenantOfUserId(user.id) !== callerTenant));
	const next = page.skip + page.users.length;
	const more = page.users.length > 0 && (page.count === undefined ? page.users.length >= SEARCH_PAGE_SIZE : next < page.count);
	return { results, ...(more && { paginationToken: nextPageToken(next, callerTenant) }) };
}

/** Rooms per page of the Room field's From List. */
export const ROOM_PAGE_SIZE = 50;

function roomEntryOf(room: Room): INodeListSearchItems {
	const name = room.name.trim() === '' ? room.streamId : room.name.trim();
	const details = [room.active === false ? 'Inactive' : undefined, room.description?.trim()].filter(
		(part): part is string => part !== undefined && part !== '',
	);
	return { name: userEntryName({ name, details, external: false }), value: room.streamId };
}

/**
 * The "From List" mode of the Room field: Symphony's room search as the user types, 50 per page
 * (n8n asks for the next page with `paginationToken`, here where the page starts). Deactivated
 * rooms are marked. The picked entry's value is the room's stream ID.
 */
export async function searchRooms(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const query = (filter ?? '').trim().slice(0, MAX_QUERY_LENGTH);
	if (query === '') return { results: [] };
	const skip = typeof paginationToken === 'string' && /^\d{1,9}$/.test(paginationToken) ? Number(paginationToken) : 0;
	const client = await createSymphonyClient(this, { credentialType: readCredentialType(this), ...DEFAULT_CLIENT_SETTINGS });
	const page = await searchSymphonyRooms(client, { query }, { skip, limit: ROOM_PAGE_SIZE });
	const next = page.skip + page.rooms.length;
	const more = page.rooms.length > 0 && (page.count === undefined ? page.rooms.length >= ROOM_PAGE_SIZE : next < page.count);
	return { results: page.rooms.map(roomEntryOf), ...(more && { paginationToken: String(next) }) };
}
