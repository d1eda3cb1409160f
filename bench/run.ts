/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- development code: runs in Node, never packed */
/**
 * `npm run bench`: every scenario against the pod simulator, the package and its baseline in the
 * same run, then a table and PASS/MISS against the targets.
 *
 *   npm run bench                 all scenarios
 *   npm run bench -- --only 1,3   some of them
 *   npm run bench -- --full       also run the one-at-a-time baselines over every item (minutes)
 *   npm run bench -- --in-process-only   leave out the scenarios inside the real n8n application
 *   npm run bench -- --only burst --postgres   the trigger burst with n8n on PostgreSQL
 */
import { cpus, loadavg } from 'node:os';

import { renderResults, type Scenario, type ScenarioReport } from './report';
import { allScenarios } from './scenarios';

function option(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

/** A scenario left out (opt-in not asked for, or opted out): listed, so that nobody reads its absence as a result. */
function notRun(scenario: Scenario, note: string): ScenarioReport {
	return {
		id: scenario.id,
		label: scenario.title.split(':')[0],
		title: scenario.title,
		rows: [{ variant: 'not run', n: 0, basis: 'not run' }],
		notes: [note],
		targets: [],
	};
}

async function main(): Promise<void> {
	const only = option('only')?.split(',').map((s) => s.trim());
	const full = process.argv.includes('--full');
	const postgres = process.argv.includes('--postgres');
	const scenarios = allScenarios().filter((s) => !only || only.includes(s.id));
	const started = Date.now();
	console.log(`n8n-nodes-symphony benchmarks — Node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'})`);
	console.log('The pod simulator runs in this process; each measured n8n execution runs in a fresh worker process.');
	// Other work on the machine slows the measured runs: say how busy it was.
	console.log(`Load average at start: ${loadavg()[0].toFixed(2)} (1 min)\n`);
	const reports: ScenarioReport[] = [];
	for (const scenario of scenarios) {
		if (scenario.optIn && !process.argv.includes(`--${scenario.optIn.flag}`)) {
			reports.push(notRun(scenario, `Opt-in: \`npm run bench -- --${scenario.optIn.flag}\` runs it; not by default because ${scenario.optIn.why}.`));
			continue;
		}
		if (scenario.optOut && process.argv.includes(`--${scenario.optOut.flag}`)) {
			reports.push(notRun(scenario, `Left out with --${scenario.optOut.flag}: ${scenario.optOut.why}.`));
			continue;
		}
		const scenarioStarted = Date.now();
		process.stdout.write(`Running ${scenario.id}. ${scenario.title}… `);
		reports.push(...[await scenario.run({ full, postgres })].flat());
		console.log(`done in ${((Date.now() - scenarioStarted) / 1000).toFixed(0)} s`);
	}
	console.log(`\n${renderResults(reports)}`);
	console.log(`\nTotal bench time ${((Date.now() - started) / 1000).toFixed(0)} s; load average at the end ${loadavg()[0].toFixed(2)} (1 min).`);
}

main()
	.catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	})
	// n8n-core leaves its event loop busy after an execution; end once the report is printed.
	.finally(() => process.exit());
