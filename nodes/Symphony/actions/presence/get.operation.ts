import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callerTenantOnce } from '../../api/session';
import { EXTERNAL_READ_INTERVAL_MS, INTEREST_LIFETIME_MS, getUserPresence, presenceToJson, type Presence } from '../../api/presence';
import { explainForbiddenRead } from '../../api/connections';
import { namedAs } from '../../api/users';
import { requestOptionFields } from '../../descriptions/requestOptions';
import { executionCancelSignal, sleep } from '../../helpers/sleep';
import { parseWholeNumber } from '../../helpers/wholeNumber';
import { VERSION_3, fromVersion2, fromVersion3, onlyInVersion1 } from '../../descriptions/nodeVersion';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import {
	SINGLE_USER,
	identifyByField,
	singleUserFields,
	userLocatorField,
} from '../../descriptions/users';
import { ParameterError, SymphonyApiError } from '../../errors';
import { decodeKeptPresences, keepPresence, saveKeptPresences } from '../../helpers/lastKnownPresence';
import { tenantOfUserId } from '../../helpers/userIds';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { readEachItemWithUsers, readUserField } from '../userField';
import { readForAllItems, runEachItem } from '../itemRunner';
import { registerInterestBeforeReading, registrationFailureHint, type InterestRegistration } from './externalPresence';

/**
 * Reads are paced by the request-rate ceiling (Max Requests per Second); concurrency only caps how
 * many wait for Symphony at once. In flight are then about rate × latency: 30 at 300/s and 100 ms.
 */
export const DEFAULT_CONCURRENCY = 100;
export const MAX_CONCURRENCY = 500;
/** Symphony's rule: an external user's presence may be read once every 5 minutes. */
export const EXTERNAL_READ_INTERVAL_SECONDS = EXTERNAL_READ_INTERVAL_MS / 1000;
/** The longest "Wait" waits for a read to be allowed again: Symphony's whole interval. */
export const MAX_WAIT_FOR_READ_SECONDS = EXTERNAL_READ_INTERVAL_SECONDS;

type IfReadTooRecently = 'fail' | 'wait' | 'skip' | 'returnLastKnown';
const IF_READ_TOO_RECENTLY: IfReadTooRecently[] = ['fail', 'wait', 'skip', 'returnLastKnown'];

const properties: INodeProperties[] = [
	onlyInVersion1(identifyByField),
	...singleUserFields.map(onlyInVersion1),
	fromVersion2(userLocatorField(false)),
	{
		displayName: 'Local Only',
		name: 'local',
		type: 'boolean',
		default: false,
		description:
			'Whether to ask only your own pod. Users of other firms then always show as OFFLINE; leave off to see external users you are connected to and have registered interest in.',
	},
	fromVersion3({
		displayName: 'Register Interest for Other Firms',
		name: 'registerInterestFirst',
		type: 'boolean',
		default: true,
		displayOptions: { show: { local: [false] } },
		description:
			'Whether to register interest in people at other firms before reading them, as Symphony requires within the hour: one request per 1,000 people, none for colleagues or for items that come from Register Interest. Needs the ADMIN_PRESENCE_UPDATE privilege; without it the reads still run.',
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
				default: DEFAULT_CONCURRENCY,
				description:
					'The most users read at the same time. Reads are spaced by Max Requests per Second, so this many wait for Symphony at once only when it answers slowly. Results always come out in input order.',
			},
			{
				displayName: 'If Read Too Recently',
				name: 'ifReadTooRecently',
				type: 'options',
				default: 'fail',
				description:
					'What to do when Symphony refuses a read because the user\'s presence was read less than 5 minutes ago (its rule for people at other firms) or it is throttling (429)',
				options: [
					{ name: 'Fail', value: 'fail', description: 'Stop with an error (or an error item with Continue On Fail)' },
					{
						name: 'Return Last Known',
						value: 'returnLastKnown',
						// Cut to two lines in the dropdown: the caveat comes first, and the panel hint says it in full.
						description: 'Active workflows only (manual runs keep nothing): output the presence last read, with stale: true',
					},
					{
						name: 'Skip the Item',
						value: 'skip',
						description: 'Output the user with skipped: true and readableAgainAt, the time it may be read again, instead of a presence',
					},
					{
						name: 'Wait (Up to 5 Minutes)',
						value: 'wait',
						description: `Wait as long as Symphony asks, at most ${MAX_WAIT_FOR_READ_SECONDS} seconds, then read again. The execution takes that much longer.`,
					},
				],
			},
			...requestOptionFields,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['presence'], operation: ['get'] } },
	properties,
);

function parseIfReadTooRecently(value: unknown): IfReadTooRecently {
	if (value === undefined || value === null || value === '') return 'fail';
	if (IF_READ_TOO_RECENTLY.includes(value as IfReadTooRecently)) return value as IfReadTooRecently;
	throw new ParameterError('If Read Too Recently', value, 'is not one of the choices', 'Pick Fail, Wait, Skip the Item or Return Last Known');
}

/** A refusal to read now that may pass later: Symphony's 5-minute rule for external users, or throttling. */
function tooRecent(error: unknown): error is SymphonyApiError {
	return error instanceof SymphonyApiError && error.report.status === 429;
}

/** What a 429 means here: the one setting that handles it, and why a Get after the trigger is not needed. */
export const TOO_RECENT_HINTS = {
	429: 'Symphony allows one read of the presence of a person at another firm every 5 minutes, and slows down busy pods. To wait, skip the item or output the last known presence instead of failing, choose it in Options → If Read Too Recently. After the Symphony Presence Trigger no Get is needed: its items already carry each user\'s status.',
};

/** A presence, or Symphony's refusal to read it now (429) as a value; other failures are thrown. */
async function presenceOrRefusal(
	client: SymphonyClient,
	userId: string,
	local: boolean,
	onForbidden: () => void,
): Promise<Presence | SymphonyApiError> {
	let failure: unknown;
	try {
		return await getUserPresence(client, userId, local, TOO_RECENT_HINTS);
	} catch (error) {
		failure = error;
	}
	if (tooRecent(failure)) return failure;
	if (failure instanceof SymphonyApiError && failure.report.status === 403) onForbidden();
	throw failure;
}

/** Whether the incoming item comes from Register Interest for this user within the hour: nothing to register again. */
function registeredByInput(json: IDataObject, userId: string): boolean {
	if (json.registered !== true || json.userId !== userId || typeof json.registeredAt !== 'string') return false;
	const at = Date.parse(json.registeredAt);
	return Number.isFinite(at) && Date.now() - at < INTEREST_LIFETIME_MS;
}

/** The same refusal with a sentence on why the chosen way out did not apply. */
function withReason(error: SymphonyApiError, reason: string): SymphonyApiError {
	return new SymphonyApiError(error.node, { ...error.report, description: `${reason} ${error.report.description}` });
}

/**
 * Reads each item's user's presence, with bounded concurrency. Emails or usernames of all items
 * are looked up together first. A read Symphony refuses as too recent (429) is handled as
 * "If Read Too Recently" says.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const settings = readForAllItems(this, items.length, () => ({
		concurrency: parseWholeNumber('Concurrency', options.concurrency, 1, MAX_CONCURRENCY, DEFAULT_CONCURRENCY),
		ifReadTooRecently: parseIfReadTooRecently(options.ifReadTooRecently),
		userField: readUserField(this, SINGLE_USER),
	}));
	if ('failed' in settings) return settings.failed;
	const { concurrency, ifReadTooRecently, userField } = settings.value;
	const readLocal = itemParameterReader(this, items, 'local', false);
	// Emails and usernames of all items are looked up together before any presence is read.
	const inputs = await readEachItemWithUsers(this, items, client, userField, (i) => ({ local: readLocal(i) === true }));

	// Return Last Known keeps what it reads of people at other firms (another tenant than the caller's).
	const staticData = ifReadTooRecently === 'returnLastKnown' ? this.getWorkflowStaticData('node') : undefined;
	const kept = staticData === undefined ? undefined : decodeKeptPresences(staticData);
	const callerTenant = callerTenantOnce(client);
	// An unknown tenant makes everyone external: always safe for reading and keeping.
	const isExternal = async (userId: string) => {
		const tenant = await callerTenant();
		return tenant === undefined || tenantOfUserId(userId) !== tenant;
	};

	// Version 3: interest in people at other firms is registered first, each person once per run.
	const registerFirst = this.getNode().typeVersion >= VERSION_3 && this.getNodeParameter('registerInterestFirst', 0, true) === true;
	let registration: InterestRegistration | undefined;
	if (registerFirst) {
		const toRegister = new Set<string>();
		for (const [item, input] of inputs.entries()) {
			if (!('users' in input) || input.local) continue;
			const [{ user }] = input.users;
			if (user instanceof Error || toRegister.has(user.userId) || registeredByInput(items[item].json, user.userId)) continue;
			if (await isExternal(user.userId)) toRegister.add(user.userId);
		}
		if (toRegister.size > 0) registration = await registerInterestBeforeReading(client, this.getNode(), [...toRegister]);
		if (registration?.failure) this.addExecutionHints({ message: registrationFailureHint(registration.failure), type: 'warning', location: 'outputPane' });
	}
	/** What this run did about interest, for the explanation of a refused read. */
	const interestDone = (userId: string): string => {
		if (registration?.registered.has(userId)) {
			return 'interest was registered by this run just before the read, yet Symphony refused it. Check that the account behind the credential may read presence (OBO apps: GET_PRESENCE), and try again in a moment.';
		}
		if (registration?.failure?.report.status === 403) {
			return 'registering it was refused (403): the account behind the credential lacks the ADMIN_PRESENCE_UPDATE privilege. Ask your Symphony administrator for it.';
		}
		return registerFirst
			? 'register it with Presence → Register Interest (renewed at least hourly) before this node.'
			: 'turn on Register Interest for Other Firms (node version 3), or put Presence → Register Interest (renewed at least hourly) before this node.';
	};

	// Counted for a hint after the run: the most common surprise with people at other firms.
	let forbidden = 0;
	const onForbidden = () => forbidden++;

	/** One read, and under Wait one more once Symphony allows it. */
	const read = async (userId: string, local: boolean): Promise<Presence | SymphonyApiError> => {
		const first = await presenceOrRefusal(client, userId, local, onForbidden);
		if (ifReadTooRecently !== 'wait' || !(first instanceof SymphonyApiError)) return first;
		const waitSeconds = first.report.retryAfterSeconds ?? EXTERNAL_READ_INTERVAL_SECONDS;
		if (waitSeconds > MAX_WAIT_FOR_READ_SECONDS) {
			return withReason(first, `Symphony asked to wait ${waitSeconds} s, longer than the ${MAX_WAIT_FOR_READ_SECONDS} s that Wait allows.`);
		}
		// A cancelled execution stops waiting.
		await sleep(waitSeconds * 1000, executionCancelSignal(this));
		return await presenceOrRefusal(client, userId, local, onForbidden);
	};

	/** A read, with a refusal (403) of a person at another firm explained from the connection with them. */
	const readExplained = async (userId: string, local: boolean): Promise<Presence | SymphonyApiError> => {
		let failure: unknown;
		try {
			return await read(userId, local);
		} catch (error) {
			failure = error;
		}
		if (failure instanceof SymphonyApiError && failure.report.status === 403 && !local && (await isExternal(userId))) {
			throw await explainForbiddenRead(client, failure, userId, interestDone(userId));
		}
		throw failure;
	};

	const output = await runEachItem(this, inputs, concurrency, async ({ users: [{ user }], local }) => {
		if (user instanceof Error) throw user;
		const named = namedAs(user);
		const presence = await readExplained(user.userId, local);
		if (presence instanceof SymphonyApiError) {
			const refusal = presence;
			if (ifReadTooRecently === 'skip') {
				const seconds = refusal.report.retryAfterSeconds ?? EXTERNAL_READ_INTERVAL_SECONDS;
				return [{ userId: user.userId, ...named, skipped: true, readableAgainAt: new Date(Date.now() + seconds * 1000).toISOString() }];
			}
			const last = kept?.get(user.userId);
			if (ifReadTooRecently !== 'returnLastKnown') throw refusal;
			if (last === undefined) {
				throw withReason(
					refusal,
					'No earlier presence of this user is kept to return instead: the node keeps what it reads in runs of the active workflow (manual test runs do not save it).',
				);
			}
			const timestamp = last.timestamp ?? undefined;
			return [{ ...presenceToJson({ userId: user.userId, category: last.category, timestamp }, named), stale: true, readAt: new Date(last.readAt).toISOString() }];
		}
		if (kept === undefined) return [presenceToJson(presence, named)];
		const readAt = Date.now();
		if (await isExternal(user.userId)) keepPresence(kept, user.userId, presence, readAt);
		return [{ ...presenceToJson(presence, named), stale: false, readAt: new Date(readAt).toISOString() }];
	});
	if (staticData !== undefined && kept !== undefined) saveKeptPresences(staticData, kept);
	if (forbidden > 0) {
		this.addExecutionHints({
			message: `Symphony refused to show the presence of ${forbidden === 1 ? '1 user' : `${forbidden} users`} (403). People at other firms need Register Interest (within the last hour) and a connection with the account behind the credential before Get can read them.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return output;
}
