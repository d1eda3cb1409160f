/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- development code: runs in Node, never packed; its secrets are fakes for the simulator */
import type { IDataObject } from 'n8n-workflow';

import { createHarness, type Harness } from '../harness';
import { startSimulator, type PodSimulator, type SimUser, type SimulatorOptions } from '../simulator';

/** A token distinctive enough that finding it anywhere in output means it leaked. */
export const SECRET_TOKEN = 'tok-SECRET-5f0c2b7e9a1d4c38';

export const BOT = '7215545057281';
export const ALICE = '7215545058313';
export const BOB = '7215545058314';
export const CAROL_EXTERNAL = '14568529068038';
export const ERIN_NOT_CONNECTED = '71811853191697';
export const BIG_ID = '9007199254740993';

export function testUsers(): SimUser[] {
	return [
		{ id: BOT, username: 'presence.bot', email: 'bot@acme.example' },
		{ id: ALICE, username: 'alice', email: 'alice@acme.example', presence: 'AVAILABLE' },
		{ id: BOB, username: 'bob', email: 'bob@acme.example', presence: 'ON_THE_PHONE' },
		{ id: CAROL_EXTERNAL, username: 'carol', email: 'carol@globex.example', external: true, connected: true, presence: 'BUSY' },
		{ id: ERIN_NOT_CONNECTED, username: 'erin', email: 'erin@umbrella.example', external: true, connected: false, presence: 'AVAILABLE' },
		{ id: BIG_ID, username: 'big', email: 'big@far.example', external: true, connected: true, presence: 'AWAY' },
	];
}

export interface PodFixture {
	sim: PodSimulator;
	harness: Harness;
}

/** A simulator with the test users and a harness whose token credential points at it. */
export async function startPod(options: SimulatorOptions = {}, credential: IDataObject = {}): Promise<PodFixture> {
	const sim = await startSimulator({
		users: testUsers(),
		sessions: [{ token: SECRET_TOKEN, userId: BOT }],
		...options,
	});
	const harness = createHarness({
		symphonyApi: { podUrl: sim.url, sessionKind: 'sessionToken', token: SECRET_TOKEN, ...credential },
	});
	return { sim, harness };
}

/** Register Interest node parameters. */
export function register(userIds: string | string[], options: IDataObject = {}): IDataObject {
	return { resource: 'presence', operation: 'registerInterest', userIds, options };
}

/** Get (user presence) node parameters; by default the user ID comes from the incoming item. */
export function getPresence(parameters: IDataObject = {}): IDataObject {
	return { resource: 'presence', operation: 'get', ...parameters };
}

/** Fast retries for tests: waits stay in milliseconds. */
export const QUICK_RETRY = { retry: { settings: { maxAttempts: 3, maxWaitSeconds: 1 } } };
