import type { Job } from '../job';
import type { Scenario, ScenarioReport } from '../report';

/**
 * Scenario 4: one poll of the Symphony Presence Trigger over 500 watched users, through n8n-core's
 * PollContext: requests per poll and time per poll. The trigger is not part of the package yet,
 * so the scenario reports itself as not available.
 */

const WATCHED = 500;

export const jobs: Record<string, Job> = {};

export const scenario: Scenario = {
	id: '4',
	title: 'Trigger poll over 500 watched users',
	async run(): Promise<ScenarioReport> {
		return {
			id: '4',
			label: 'Trigger poll',
			title: this.title,
			rows: [{ variant: 'Symphony Presence Trigger: one poll', n: WATCHED, basis: 'not available' }],
			notes: ['Not available yet: the Symphony Presence Trigger is not part of the package in this version.'],
			targets: [],
		};
	},
};
