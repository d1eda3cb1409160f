/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- development code: runs in Node, never packed */
import * as fs from 'fs';
import * as path from 'path';

import type { IDataObject, INode } from 'n8n-workflow';

import { SymphonyPresenceTrigger } from '../../../nodes/Symphony/SymphonyPresenceTrigger.node';
import { POLLING_MODES, createPollingTrigger } from '../../harness/poll';
import { MINUTE, useTestClock, type TestClock } from '../../support/clock';
import { startPod, type PodFixture } from '../../support/pod';
import { demoUsers } from '../../simulator';

describe('Symphony Presence Trigger: description', () => {
	const { description } = new SymphonyPresenceTrigger();

	test('is a polling trigger with both credentials behind one Authentication field', () => {
		expect(description).toMatchObject({
			name: 'symphonyPresenceTrigger',
			displayName: 'Symphony Presence Trigger',
			group: ['trigger'],
			polling: true,
			inputs: [],
		});
		expect(description.credentials?.map((c) => [c.name, c.displayOptions?.show?.authentication])).toEqual([
			['symphonyApi', ['symphonyApi']],
			['symphonyRsaApi', ['symphonyRsaApi']],
		]);
		// n8n adds the poll times itself.
		expect(description.properties.map((p) => p.name)).not.toContain('pollTimes');
	});

	test('says in the UI that external users are read at most every 5 minutes', () => {
		const notices = description.properties.filter((p) => p.type === 'notice').map((p) => p.displayName);
		expect(notices.join(' ')).toMatch(/at most once every 5 minutes.*however often this trigger polls/);
	});

	test('says in the panel that its items already carry the status, so no Get is needed after it', () => {
		const notices = description.properties.filter((p) => p.type === 'notice').map((p) => p.displayName);
		expect(notices).toContain(
			'Each item already carries the user\'s status (status, previousStatus): no Symphony Get is needed after this trigger. For people at other firms a Get within 5 minutes of the trigger\'s read is refused by Symphony.',
		);
	});

	test('the Statuses field shows only for Becomes and Leaves', () => {
		const statuses = description.properties.find((p) => p.name === 'statuses');
		expect(statuses?.displayOptions?.show?.triggerOn).toEqual(['becomes', 'leaves']);
	});
});

describe.each(POLLING_MODES)('examples/presence-trigger-alert.json (polling mode %s)', (mode) => {
	let pod: PodFixture;
	let clock: TestClock;
	beforeEach(async () => {
		clock = useTestClock();
		pod = await startPod({ users: demoUsers(), now: () => Date.now() });
	});
	afterEach(async () => {
		await pod.sim.close();
		clock.restore();
	});

	test('its trigger, as exported, emits the items its filter and Set node read', async () => {
		const example = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../examples/presence-trigger-alert.json'), 'utf8')) as {
			nodes: INode[];
		};
		const [triggerNode, filterNode, setNode] = example.nodes;
		expect(triggerNode.type).toBe('n8n-nodes-symphony.symphonyPresenceTrigger');
		const trigger = createPollingTrigger(pod.harness, triggerNode.parameters as IDataObject, { mode });
		// Until Carol (another firm) has her first reading: the poll at activation registers her, she is
		// read at the next poll whose state n8n keeps (under the durable scheduler the first scheduled
		// poll starts watching again, as n8n keeps nothing of the one at activation).
		for (let poll = 0; poll < (mode === 'contextPerPoll' ? 3 : 2); poll++) {
			if (poll > 0) clock.advance(MINUTE);
			expect(await trigger.poll()).toBeNull();
		}
		expect(pod.sim.requestsTo('/pod/v3/user/14568529068038/presence')).toHaveLength(1);

		// Bob leaves his meeting; Carol (another firm) becomes available; Alice goes away. Carol is
		// read again 5 minutes after her baseline, so the first polls see only Bob.
		pod.sim.setPresence('7215545058314', 'AVAILABLE');
		pod.sim.setPresence('14568529068038', 'AVAILABLE');
		pod.sim.setPresence('7215545058313', 'AWAY');
		const items: IDataObject[] = [];
		for (let minute = 1; minute <= 5; minute++) {
			// Bob's call is not a change to AVAILABLE: the trigger keeps it to itself.
			if (minute === 3) pod.sim.setPresence('7215545058314', 'ON_THE_PHONE');
			clock.advance(MINUTE);
			items.push(...((await trigger.poll())?.[0].map((item) => item.json) ?? []));
		}
		expect(items.map((item) => [item.userId, item.email, item.previousStatus, item.status])).toEqual([
			['7215545058314', 'bob@acme.example', 'IN_A_MEETING', 'AVAILABLE'],
			['14568529068038', 'carol@globex.example', 'BUSY', 'AVAILABLE'],
		]);

		// The filter's two conditions, applied as n8n's Filter node would: both pass here.
		const conditions = (filterNode.parameters.conditions as { conditions: Array<{ leftValue: string; rightValue: string }> }).conditions;
		const fieldOf = (expression: string) => /\$json\.(\w+)/.exec(expression)?.[1] as string;
		for (const item of items) {
			expect(item[fieldOf(conditions[0].leftValue)]).toBe(conditions[0].rightValue);
			expect(String(item[fieldOf(conditions[1].leftValue)])).toMatch(new RegExp(conditions[1].rightValue));
		}
		// Every field the Set node's expressions read is in the items.
		const assignments = JSON.stringify(setNode.parameters.assignments);
		for (const field of assignments.match(/\$json\.(\w+)/g) ?? []) {
			expect(Object.keys(items[0])).toContain(field.replace('$json.', ''));
		}
	});
});
