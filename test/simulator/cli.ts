/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- development code: runs in Node, never packed */
/* Standalone pod simulator: `npm run simulator -- --port 8443 [--latency 20] [--datafeed-wait 30000]`. */
import { startSimulator } from './index';
import { simDatafeedsOf } from './routes/datafeed';
import { DEFAULT_KEY_MANAGER_TOKEN } from './routes/messages';

function option(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
	const sim = await startSimulator({
		port: Number(option('port') ?? 8443),
		latencyMs: Number(option('latency') ?? 0),
	});
	console.log(`Symphony pod simulator listening on ${sim.url}`);
	const datafeedWait = option('datafeed-wait');
	if (datafeedWait !== undefined) simDatafeedsOf(sim).settings.waitMs = Number(datafeedWait);
	console.log(`Credential: Pod URL ${sim.url}, session token ${sim.token}, key manager token ${DEFAULT_KEY_MANAGER_TOKEN} (simulator tokens, not secrets)`);
	console.log(`Datafeed reads wait up to ${simDatafeedsOf(sim).settings.waitMs} ms. Post as anyone: POST /_sim/users/{userId}/im [userIds] → {id}; POST /_sim/streams/{streamId}/messages {"userId","text"}; POST /_sim/datafeed/events {"userIds","event"}; POST /_sim/datafeeds/{id}/expire`);
	console.log('Users:');
	for (const user of sim.users.values()) {
		console.log(`  ${user.id.padEnd(16)} ${(user.email ?? '').padEnd(24)} ${user.external ? (user.connected ? 'external, connected' : 'external, not connected') : 'internal'}  ${user.presence}`);
	}
	const stop = () => void sim.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
