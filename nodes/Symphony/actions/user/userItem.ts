import type { IDataObject } from 'n8n-workflow';

import type { SymphonyUser } from '../../api/users';

/**
 * A user as the User operations output it: Symphony's record with the ID also as `userId`, so
 * presence operations read it with no mapping; with Simplify, only the fields people use.
 */
export function userItem(user: SymphonyUser, simplify: boolean): IDataObject {
	if (!simplify) return { ...user, userId: user.id };
	return {
		userId: user.id,
		displayName: user.displayName ?? null,
		email: user.emailAddress ?? null,
		username: user.username ?? null,
		company: typeof user.company === 'string' ? user.company : null,
	};
}
