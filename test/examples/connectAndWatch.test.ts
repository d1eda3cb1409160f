/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development code: reads the example from disk */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { chain } from '../harness';
import { call } from '../simulator/call';
import { demoUsers, DEFAULT_CALLER_ID } from '../simulator';
import { SECRET_TOKEN, startPod, type PodFixture } from '../support/pod';

const CAROL = '14568529068038';
const DAN = '15942919536460';
const ERIN = '71811853191697';

/** examples/connect-and-watch.json, its Symphony nodes run as exported, its IF applied as n8n's would. */
describe('examples/connect-and-watch.json', () => {
	let pod: PodFixture;
	afterEach(async () => await pod.sim.close());

	const example = JSON.parse(fs.readFileSync(path.join(__dirname, '../../examples/connect-and-watch.json'), 'utf8')) as { nodes: INode[] };
	const byName = (name: string) => example.nodes.find((node) => node.name === name)!;
	const step = (name: string) => ({
		name,
		typeVersion: byName(name).typeVersion,
		parameters: byName(name).parameters as IDataObject,
		onError: byName(name).onError,
	});
	/** The IF's condition: `{{ $json.connected }}` is true. */
	const isConnected = (item: IDataObject) => {
		const condition = (byName('Connected?').parameters.conditions as { conditions: Array<{ leftValue: string; operator: { operation: string } }> }).conditions[0];
		expect([condition.leftValue, condition.operator.operation]).toEqual(['={{ $json.connected }}', 'true']);
		return item.connected === true;
	};

	test('connected people are read (interest registered by Get itself, once); the others are asked to connect; once they accept, they are read', async () => {
		pod = await startPod({ users: demoUsers(), sessions: [{ token: SECRET_TOKEN, userId: DEFAULT_CALLER_ID }] });
		pod.sim.users.get(ERIN)!.discoverable = true;
		const first = await pod.harness.run(chain([step('People by email'), step('Connection with them')]));
		const connections = first.json('Connection with them');
		expect(connections.map((c) => [c.userId, c.status])).toEqual([
			[CAROL, 'ACCEPTED'],
			[DAN, 'ACCEPTED'],
			[ERIN, 'NOT_CONNECTED'],
		]);

		pod.sim.clearLog();
		const read = await pod.harness.run(chain([step('Read their presence')], connections.filter(isConnected)));
		expect(read.json('Read their presence').map((p) => [p.userId, p.category])).toEqual([
			[CAROL, 'BUSY'],
			[DAN, 'OUT_OF_OFFICE'],
		]);
		expect(pod.sim.requestsTo('/pod/v1/user/presence/register').map((r) => r.body)).toEqual([`[${CAROL},${DAN}]`]);
		expect(pod.sim.requestsTo('/pod/v3/user/')).toHaveLength(2);

		const asked = await pod.harness.run(chain([step('Ask them to connect')], connections.filter((c) => !isConnected(c))));
		expect(asked.json('Ask them to connect')).toEqual([expect.objectContaining({ userId: ERIN, result: 'sent', status: 'PENDING_OUTGOING' })]);

		// Erin accepts; at the next run she is connected and read.
		await call(pod.sim, 'POST', `/_sim/users/${ERIN}/connection/accept`, `{"userId":${DEFAULT_CALLER_ID}}`, null);
		const second = await pod.harness.run(chain([step('People by email'), step('Connection with them')]));
		const erin = second.json('Connection with them').filter(isConnected).filter((c) => c.userId === ERIN);
		const erinRead = await pod.harness.run(chain([step('Read their presence')], erin));
		expect(erinRead.json('Read their presence')).toEqual([expect.objectContaining({ userId: ERIN, category: 'AVAILABLE' })]);
	});
});
