import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { getSessionUser } from '../api/session';
import { SEARCH_PAGE_SIZE, searchUsers as searchSymphonyUsers, type SymphonyUser } from '../api/users';
import { tenantOfUserId } from '../helpers/userIds';
import { createSymphonyClient, DEFAULT_CLIENT_SETTINGS, type SymphonyCredentialType } from '../transport';

/** The longest search text sent; the editor sends what the user typed. */
const MAX_QUERY_LENGTH = 200;

function readCredentialType(context: ILoadOptionsFunctions): SymphonyCredentialType {
	const current = context.getCurrentNodeParameter('authentication');
	const value = current ?? context.getNodeParameter('authentication', 'symphonyApi');
	return value === 'symphonyRsaApi' ? 'symphonyRsaApi' : 'symphonyApi';
}

/** "Carol Diaz · carol@globex.com · Globex (external)": what tells people apart in the list. */
function entryName(user: SymphonyUser, external: boolean): string {
	const name = typeof user.displayName === 'string' && user.displayName.trim() !== '' ? user.displayName.trim() : (user.username ?? user.id);
	const details = [user.emailAddress, user.company].filter((part): part is string => typeof part === 'string' && part.trim() !== '');
	return [name, ...details].join(' · ') + (external ? ' (external)' : '');
}

/**
 * The "From List" mode of the User field: Symphony's user search as the user types, 50 per page
 * (n8n asks for the next page with the skip carried in `paginationToken`). People of other pods
 * (another tenant in their user ID) are marked external: reading their presence needs Register
 * Interest first. The picked entry's value is the user ID.
 */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const query = (filter ?? '').trim().slice(0, MAX_QUERY_LENGTH);
	if (query === '') return { results: [] };
	const skip = typeof paginationToken === 'string' && /^\d{1,9}$/.test(paginationToken) ? Number(paginationToken) : 0;
	const client = await createSymphonyClient(this, { credentialType: readCredentialType(this), ...DEFAULT_CLIENT_SETTINGS });
	const [page, caller] = await Promise.all([
		searchSymphonyUsers(client, query, { skip, limit: SEARCH_PAGE_SIZE }),
		getSessionUser(client),
	]);
	const callerTenant = tenantOfUserId(caller.id);
	const results: INodeListSearchItems[] = page.users.map((user) => ({
		name: entryName(user, tenantOfUserId(user.id) !== callerTenant),
		value: user.id,
	}));
	const next = page.skip + page.users.length;
	const more = page.users.length > 0 && (page.count === undefined ? page.users.length >= SEARCH_PAGE_SIZE : next < page.count);
	return { results, ...(more && { paginationToken: String(next) }) };
}
