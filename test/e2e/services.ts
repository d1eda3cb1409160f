/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports -- development code: runs in Node, never packed */
/**
 * The services queue mode needs: PostgreSQL (127.0.0.1:5432, trust auth, user postgres) and Redis
 * (127.0.0.1:6379). `probeServices()` answers synchronously, so a test file can decide at load
 * time whether its suite runs; `SYMPHONY_E2E_QUEUE=required` (set by `.ci/run`) turns a missing
 * service into a failure instead of a skip.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

import type { Runtime } from './runtime';

export const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres' };
export const REDIS = { host: '127.0.0.1', port: 6379 };

export interface ServiceProbe {
	/** Why the suite cannot run, or undefined when both services answered. */
	missing?: string;
	required: boolean;
}

/**
 * Asks each service the first question of its protocol in a child process (2 s each): Redis
 * `PING` must answer `+PONG`; PostgreSQL's SSLRequest must answer `S` or `N`.
 */
const PROBE = `
const net = require('net');
function ask(port, bytes, ok) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = Buffer.alloc(0);
		const done = (result) => { socket.destroy(); resolve(result); };
		socket.setTimeout(2000, () => done('no answer within 2 s'));
		socket.on('error', (error) => done(error.code || error.message));
		socket.on('connect', () => socket.write(bytes));
		socket.on('data', (chunk) => { answer = Buffer.concat([answer, chunk]); if (ok(answer)) done('ok'); else if (answer.length > 16) done('an unexpected answer'); });
	});
}
const sslRequest = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);
Promise.all([
	ask(${POSTGRES.port}, sslRequest, (a) => a.length >= 1 && (a[0] === 83 || a[0] === 78)),
	ask(${REDIS.port}, 'PING\\r\\n', (a) => a.toString().startsWith('+PONG')),
]).then(([postgres, redis]) => process.stdout.write(JSON.stringify({ postgres, redis })));
`;

export function probeServices(): ServiceProbe {
	const required = process.env.SYMPHONY_E2E_QUEUE === 'required';
	const result = spawnSync(process.execPath, ['-e', PROBE], { encoding: 'utf8', timeout: 10000 });
	let answers: { postgres?: string; redis?: string } = {};
	try {
		answers = JSON.parse(result.stdout) as typeof answers;
	} catch {
		return { required, missing: `the service probe failed: ${result.stderr || result.error?.message || 'no output'}` };
	}
	const problems = [
		answers.postgres !== 'ok' && `PostgreSQL at ${POSTGRES.host}:${POSTGRES.port}: ${answers.postgres}`,
		answers.redis !== 'ok' && `Redis at ${REDIS.host}:${REDIS.port}: ${answers.redis}`,
	].filter((problem): problem is string => typeof problem === 'string');
	return { required, missing: problems.length > 0 ? problems.join('; ') : undefined };
}

/** Loads a module from the cached n8n install (n8n's own `pg` and `ioredis`): no extra dependency here. */
function fromN8n<T>(runtime: Runtime, name: string): T {
	return require(path.join(runtime.n8nDir, 'node_modules', name)) as T;
}

interface PgClient {
	connect(): Promise<void>;
	query(sql: string): Promise<unknown>;
	end(): Promise<void>;
}

async function postgresAdmin<T>(runtime: Runtime, run: (client: PgClient) => Promise<T>): Promise<T> {
	const { Client } = fromN8n<{ Client: new (config: object) => PgClient }>(runtime, 'pg');
	const client = new Client({ ...POSTGRES, database: 'postgres' });
	await client.connect();
	try {
		return await run(client);
	} finally {
		await client.end();
	}
}

/** Creates a database of its own for one run (the name must be a plain identifier). */
export async function createDatabase(runtime: Runtime, name: string): Promise<void> {
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
	await postgresAdmin(runtime, (client) => client.query(`CREATE DATABASE ${name}`));
}

export async function dropDatabase(runtime: Runtime, name: string): Promise<void> {
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
	await postgresAdmin(runtime, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

interface RedisClient {
	scan(cursor: string, ...args: Array<string | number>): Promise<[string, string[]]>;
	del(...keys: string[]): Promise<number>;
	quit(): Promise<unknown>;
}

/** Deletes the keys of one run's Bull prefix. */
export async function deleteRedisKeys(runtime: Runtime, prefix: string): Promise<number> {
	const Redis = fromN8n<new (options: object) => RedisClient>(runtime, 'ioredis');
	const redis = new Redis({ ...REDIS, lazyConnect: false, maxRetriesPerRequest: 1 });
	let deleted = 0;
	try {
		let cursor = '0';
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
			if (keys.length > 0) deleted += await redis.del(...keys);
			cursor = next;
		} while (cursor !== '0');
	} finally {
		await redis.quit();
	}
	return deleted;
}
