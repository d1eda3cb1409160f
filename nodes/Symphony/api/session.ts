import { tenantOfUserId } from '../helpers/userIds';
import type { SymphonyClient } from '../transport';
import { unexpectedShape } from './shape';
import { decodeUser, type SymphonyUser } from './users';

/** GET /pod/v2/sessioninfo: the account behind the session token (UserV2), its ID as a digit string. */
export async function getSessionUser(client: SymphonyClient): Promise<SymphonyUser> {
	const action = 'reading the account behind the credential';
	const { body } = await client.request({
		method: 'GET',
		path: '/pod/v2/sessioninfo',
		action,
		hints: { 403: 'OBO apps need the GET_BASIC_USER_INFO permission to read the account they act for.' },
	});
	const user = decodeUser(body);
	if (user === undefined) throw unexpectedShape(action, 'a user with a readable ID');
	return user;
}

/**
 * The tenant (pod) of the account behind the credential, asked at most once per client and only
 * when first wanted; undefined when the session cannot be read. Callers decide what an unknown
 * tenant means for them.
 */
export function callerTenantOnce(client: SymphonyClient): () => Promise<string | undefined> {
	let tenant: Promise<string | undefined> | undefined;
	return async () => {
		tenant ??= getSessionUser(client).then(
			(caller) => tenantOfUserId(caller.id),
			() => undefined,
		);
		return await tenant;
	};
}
