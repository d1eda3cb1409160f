import type { Job } from '../job';
import type { Scenario } from '../report';
import * as datafeedBurst from './datafeedBurst';
import * as getPresence from './getPresence';
import * as nodeOverhead from './nodeOverhead';
import * as presenceLatency from './presenceLatency';
import * as readParameter from './readParameter';
import * as realN8n from './realN8n';
import * as registerInterest from './registerInterest';
import * as sendInN8n from './sendInN8n';
import * as triggerPoll from './triggerPoll';
import * as triggerBudget from './triggerBudget';

/** Every scenario, in the order the issue numbers them; the ones inside n8n (one set-up for 1n–3n) last. */
const scenarios: Scenario[] = [
	registerInterest.scenario,
	getPresence.scenario,
	nodeOverhead.scenario,
	triggerPoll.scenario,
	triggerBudget.scenario,
	realN8n.scenario,
	sendInN8n.scenario,
	datafeedBurst.scenario,
	presenceLatency.scenario,
];

/** Every job a worker process can run. */
const jobModules: Array<Record<string, Job>> = [registerInterest.jobs, getPresence.jobs, nodeOverhead.jobs, triggerPoll.jobs, readParameter.jobs, triggerBudget.jobs];

export function allScenarios(): Scenario[] {
	return scenarios;
}

export function allJobs(): Record<string, Job> {
	return Object.assign({}, ...jobModules) as Record<string, Job>;
}
