import { userIdFromResponse } from '../helpers/userIds';
import type { SymphonyClient } from '../transport';
import { unexpectedShape } from './shape';

/** Who the credential acts as (from UserV2); the ID is a digit string. */
export interface SessionInfo {
	userId: string;
	company?: string;
}

/** GET /pod/v2/sessioninfo: the user behind the session token. */
export async function getSessionInfo(client: SymphonyClient): Promise<SessionInfo> {
	const action = 'reading the session info of the credential';
	const { body } = await client.request({ method: 'GET', path: '/pod/v2/sessioninfo', action });
	const record = body as { id?: unknown; company?: unknown } | undefined;
	const userId = userIdFromResponse(record?.id);
	if (userId === undefined) throw unexpectedShape(action, 'a user with a readable ID');
	return { userId, ...(typeof record?.company === 'string' && { company: record.company }) };
}
