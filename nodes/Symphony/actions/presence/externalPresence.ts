import type { INode } from 'n8n-workflow';

import { describeConnectionForPresence, listConnections, type Connection } from '../../api/connections';
import { registerInterestIsolatingRefusals } from '../../api/presence';
import { SymphonyApiError } from '../../errors';
import { chunk } from '../../helpers/batching';
import type { SymphonyClient } from '../../transport';

/**
 * People at other firms, for Presence → Get (and Register Interest): registering interest before
 * reading them, and saying why Symphony refused to show one of them (403). Which people are at
 * another firm comes from their ID's tenant, never from the pod's wording.
 */

/** IDs per register request when Get registers interest by itself. */
export const REGISTER_BATCH_SIZE = 1000;

/** What became of registering interest before the reads. */
export interface InterestRegistration {
	/** IDs registered by this run. */
	registered: Set<string>;
	/** The first failure not about particular IDs (403 without ADMIN_PRESENCE_UPDATE, pod down): the reads still run. */
	failure?: SymphonyApiError;
}

/**
 * Registers interest in `userIds` (people at other firms), one request per REGISTER_BATCH_SIZE.
 * IDs Symphony refuses one by one (400/404) are left out; the read then says what is wrong. A
 * failure of the whole call is kept, not thrown: reading goes on, and a 403 there is explained.
 */
export async function registerInterestBeforeReading(
	client: SymphonyClient,
	node: INode,
	userIds: readonly string[],
): Promise<InterestRegistration> {
	const registration: InterestRegistration = { registered: new Set() };
	for (const batch of chunk(userIds, REGISTER_BATCH_SIZE)) {
		let failure: unknown;
		try {
			const { accepted } = await registerInterestIsolatingRefusals(client, node, batch);
			for (const id of accepted) registration.registered.add(id);
			continue;
		} catch (error) {
			failure = error;
		}
		if (!(failure instanceof SymphonyApiError)) throw failure;
		registration.failure = failure;
		break;
	}
	return registration;
}

/** The hint after a run whose registration failed as a whole; the reads ran anyway. */
export function registrationFailureHint(failure: SymphonyApiError): string {
	if (failure.report.status === 403) {
		return 'Registering interest in people at other firms was refused (403): the account behind the credential lacks the ADMIN_PRESENCE_UPDATE privilege (OBO apps: GET_PRESENCE). Their presence was read anyway and shows only where interest was registered within the last hour; ask your Symphony administrator for the privilege, or turn off Register Interest for Other Firms.';
	}
	return `Registering interest in people at other firms failed: ${failure.message}. Their presence was read anyway and shows only where interest was registered within the last hour.`;
}

/**
 * Register Interest refused (403) for people: for those at other firms, one list request per 100
 * people to the Connection API says whether each is connected, and a person not connected gets
 * that as their message; for the connected, and for colleagues, the refusal is about the
 * privilege. `isExternal` decides by the ID's tenant. Errors other than 403 are kept as they are.
 */
export async function explainRefusedRegistrations(
	client: SymphonyClient,
	refusals: Map<string, unknown>,
	isExternal: (userId: string) => Promise<boolean>,
): Promise<Map<string, unknown>> {
	const external: string[] = [];
	for (const [userId, error] of refusals) {
		if (error instanceof SymphonyApiError && error.report.status === 403 && (await isExternal(userId))) external.push(userId);
	}
	if (external.length === 0) return refusals;
	let connections: Map<string, Connection>;
	try {
		connections = new Map((await listConnections(client, { status: 'ALL', userIds: external })).map((c) => [c.userId, c]));
	} catch {
		return refusals;
	}
	const explained = new Map(refusals);
	for (const userId of external) {
		const connection = connections.get(userId);
		if (connection?.status === 'ACCEPTED') continue;
		const refusal = refusals.get(userId) as SymphonyApiError;
		const said = refusal.report.symphonyMessage ? ` Symphony said: "${refusal.report.symphonyMessage}".` : '';
		const description = describeConnectionForPresence(userId, connection, '');
		explained.set(userId, new SymphonyApiError(refusal.node, { ...refusal.report, description: `${description}${said}` }));
	}
	return explained;
}
