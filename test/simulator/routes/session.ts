import { PRESENCE_PRIVILEGE, int64, type PodSimulator } from '../index';

/** GET /pod/v2/sessioninfo: who the session token belongs to (the credential test). */
export function sessionRoutes(sim: PodSimulator): void {
	sim.route('sessioninfo', 'GET', /^\/pod\/v2\/sessioninfo$/, ({ session }) => {
		const user = sim.users.get(session!.userId);
		return {
			status: 200,
			body: {
				id: int64(session!.userId),
				username: user?.username,
				emailAddress: user?.email,
				displayName: user?.displayName,
				company: user?.company,
				accountType: 'SYSTEM',
				roles: session!.privileges ?? ['INDIVIDUAL', PRESENCE_PRIVILEGE],
			},
		};
	});
}
