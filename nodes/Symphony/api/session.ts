import type { IDataObject } from 'n8n-workflow';

import { userIdFromResponse } from '../helpers/userIds';
import type { SymphonyClient } from '../transport';
import { unexpectedShape } from './shape';
import type { SymphonyUser } from './users';

/** GET /pod/v2/sessioninfo: the account behind the session token (UserV2), its ID as a digit string. */
export async function getSessionUser(client: SymphonyClient): Promise<SymphonyUser> {
	const action = 'reading the account behind the credential';
	const { body } = await client.request({
		method: 'GET',
		path: '/pod/v2/sessioninfo',
		action,
		hints: { 403: 'OBO apps need the GET_BASIC_USER_INFO permission to read the account they act for.' },
	});
	const id = userIdFromResponse((body as { id?: unknown } | undefined)?.id);
	if (id === undefined) throw unexpectedShape(action, 'a user with a readable ID');
	return { ...(body as IDataObject), id } as SymphonyUser;
}
