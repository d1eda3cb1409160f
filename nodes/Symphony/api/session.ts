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
