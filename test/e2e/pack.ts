/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- development code: runs in Node, never packed */
/** Builds (when dist/ is stale) and packs the package the way it is published: `npm pack`. */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { cacheDir, cleanEnv, withLock } from './runtime';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Inputs of `npm run build`. */
const BUILD_SOURCES = ['nodes', 'credentials', 'icons', 'package.json', 'tsconfig.json', 'gulpfile.js'];

function newestMtime(entry: string): number {
	if (!fs.existsSync(entry)) return 0;
	const stat = fs.statSync(entry);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(0, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/**
 * dist/ is stale when a build input is newer than everything in it: a build writes dist/ whole, and
 * an input edited afterwards is newer than all it wrote (copied icons keep their sources' times, so
 * the newest file is the one to compare with, not the oldest).
 */
export function distIsStale(): boolean {
	const dist = path.join(REPO_ROOT, 'dist');
	if (!fs.existsSync(dist) || fs.readdirSync(dist).length === 0) return true;
	const newestSource = Math.max(...BUILD_SOURCES.map((entry) => newestMtime(path.join(REPO_ROOT, entry))));
	return newestSource > newestMtime(dist);
}

export function npm(args: string[]): string {
	const result = spawnSync('npm', args, { cwd: REPO_ROOT, env: cleanEnv(), encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
	return result.stdout;
}

export interface Packed {
	tarball: string;
	/** Remove the folder holding the tarball. */
	cleanup(): void;
}

/**
 * `npm run build` if needed, then `npm pack` into a temporary folder. Test files run in parallel
 * workers: a lock per checkout keeps two of them from rebuilding dist/ under each other.
 */
export async function buildAndPack(log: (message: string) => void = () => undefined): Promise<Packed> {
	const lockDir = path.join(cacheDir(), 'build-locks', createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12));
	fs.mkdirSync(lockDir, { recursive: true });
	return await withLock(lockDir, async () => {
		if (distIsStale()) {
			log('building the package (dist/ is missing or older than its sources)');
			npm(['run', 'build']);
		}
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'symphony-e2e-pack-'));
		const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', dir])) as Array<{ filename: string }>;
		const tarball = path.join(dir, packed[0].filename);
		log(`packed ${path.basename(tarball)}`);
		return { tarball, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
	});
}
