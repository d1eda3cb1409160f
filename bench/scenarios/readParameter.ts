import { chain } from '../../test/harness';
import { READ_PARAMETER_TYPE } from '../benchNodes';
import { userIds } from '../fixtures';
import { benchHarness, runWorkflow, runWorkflowMeasured, type Job } from '../job';

/**
 * What n8n itself spends evaluating {{ $json.userId }} once per item: the share of a node's time
 * that any node reading a mapped parameter per item pays, measured so that the scenarios can say
 * where their time goes.
 */

export const READ_USER_ID_JOB = 'readParameter.userId';

function workflow(count: number) {
	return chain(
		[{ name: 'Read Parameter', type: READ_PARAMETER_TYPE, parameters: { value: '={{ $json.userId }}' } }],
		userIds(count).map((userId) => ({ userId })),
	);
}

export const jobs: Record<string, Job> = {
	[READ_USER_ID_JOB]: {
		async warmUp({ podUrl }) {
			await runWorkflow(benchHarness(podUrl), workflow(50));
		},
		async run({ podUrl, params }) {
			return await runWorkflowMeasured(benchHarness(podUrl), workflow(params.n as number), 'Read Parameter');
		},
	},
};
