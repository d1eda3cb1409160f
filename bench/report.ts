import type { PodMeasurement } from './job';

/** The shape of a scenario's results and how they are printed. Targets are goals to print, never assertions. */

export interface Row {
	variant: string;
	n: number;
	/** Requests the pod received (from the simulator's log), or extrapolated with the wall time. */
	requests?: number;
	wallMs?: number;
	/** Whether the figures of this row were measured in full, on a sample and scaled, or not taken. */
	basis: 'measured' | 'extrapolated' | 'failed' | 'not run' | 'not available';
	/** Wall time over the scenario's baseline wall time. */
	baselineRatio?: number;
	/** Wall time over the scenario's physical limit. */
	limitRatio?: number;
	peakHeapAddedBytes?: number;
	/** Real-n8n rows: responses 429 in the pod's log. */
	tooManyRequests?: number;
	/** Real-n8n rows: users whose work was not done (not registered, or missing from the output). */
	itemsLost?: number;
	/** Real-n8n rows: the most RSS the n8n process gained while the node ran. */
	peakRssAddedBytes?: number;
}

export interface TargetCheck {
	target: string;
	actual: string;
	met: boolean | undefined;
	/** Why a target was missed or could not be checked. */
	reason?: string;
}

export interface ScenarioReport {
	id: string;
	/** Short, for the table. */
	label: string;
	title: string;
	rows: Row[];
	notes: string[];
	targets: TargetCheck[];
}

export interface RunOptions {
	/** Run the one-at-a-time baseline over every item instead of a sample (minutes at 20 ms latency). */
	full: boolean;
	/** The burst scenario's n8n on PostgreSQL (127.0.0.1:5432) instead of n8n's default SQLite. */
	postgres?: boolean;
}

export interface Scenario {
	id: string;
	title: string;
	/** Scenarios that run only when asked for with `--<flag>`, and why. */
	optIn?: { flag: string; why: string };
	/** Scenarios that run unless `--<flag>` is given, and why one might skip them. */
	optOut?: { flag: string; why: string };
	/** One report, or several for a scenario that sets up once for several (the real-n8n ones). */
	run(options: RunOptions): Promise<ScenarioReport | ScenarioReport[]>;
}

/**
 * A table row from a run against the pod. A run over a sample (`sampleOf` items of the row's `n`)
 * is scaled to `n` and marked extrapolated; a failed run shows no figures.
 */
export function podRow(
	variant: string,
	m: PodMeasurement,
	{ n, sampleOf = n, baselineMs, limitMs }: { n: number; sampleOf?: number; baselineMs?: number; limitMs?: number },
): Row {
	if (m.result.failure) return { variant, n, basis: 'failed' };
	const scale = n / sampleOf;
	const wallMs = m.result.wallMs * scale;
	return {
		variant,
		n,
		requests: Math.round(m.requests.length * scale),
		wallMs,
		basis: scale === 1 ? 'measured' : 'extrapolated',
		baselineRatio: baselineMs === undefined ? undefined : wallMs / baselineMs,
		limitRatio: limitMs === undefined ? undefined : wallMs / limitMs,
		peakHeapAddedBytes: m.result.peakHeapAddedBytes,
	};
}

/** Why a baseline has no figures, for the details. */
export function failureNote(label: string, m: PodMeasurement): string | undefined {
	if (!m.result.failure) return undefined;
	const tooManyFiles = /EMFILE|too many open files/i.test(m.result.failure);
	return `${label} FAILED: ${m.result.failure}${tooManyFiles ? ' — the machine allows too few open files for 10,000 sockets at once; raise the limit (ulimit -n 65536) and run again' : ''}.`;
}

export function formatMs(ms: number | undefined): string {
	if (ms === undefined) return '—';
	if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
	if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
	if (ms >= 10) return `${ms.toFixed(0)} ms`;
	return `${ms.toFixed(2)} ms`;
}

export function formatRatio(ratio: number | undefined): string {
	if (ratio === undefined || !Number.isFinite(ratio)) return '—';
	if (ratio < 1) return `${ratio.toFixed(3)}× (1/${Math.round(1 / ratio)})`;
	return `${ratio.toFixed(2)}×`;
}

export function formatMb(bytes: number | undefined): string {
	return bytes === undefined ? '—' : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatCount(count: number | undefined): string {
	return count === undefined ? '—' : count.toLocaleString('en-US');
}

function table(header: string[], lines: string[][]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...lines.map(line)].join('\n');
}

export function renderResults(reports: ScenarioReport[]): string {
	const header = ['Scenario', 'Variant', 'N', 'Requests', '429s', 'Lost', 'Wall time', 'vs baseline', 'vs physical limit', 'Peak heap added', 'Peak RSS added', 'Basis'];
	const lines = reports.flatMap((report) =>
		report.rows.map((row, index) => [
			index === 0 ? `${report.id}. ${report.label}` : '',
			row.variant,
			formatCount(row.n),
			formatCount(row.requests),
			formatCount(row.tooManyRequests),
			formatCount(row.itemsLost),
			formatMs(row.wallMs),
			formatRatio(row.baselineRatio),
			formatRatio(row.limitRatio),
			formatMb(row.peakHeapAddedBytes),
			formatMb(row.peakRssAddedBytes),
			row.basis,
		]),
	);
	const notes = reports
		.filter((r) => r.notes.length > 0)
		.map((r) => [`${r.id}. ${r.title}`, ...r.notes.map((n) => `   - ${n}`)].join('\n'));
	const targets = reports.flatMap((r) =>
		r.targets.map((t) => {
			const verdict = t.met === undefined ? 'N/A ' : t.met ? 'PASS' : 'MISS';
			return `${verdict}  ${r.id}. ${r.label}: ${t.target}: ${t.actual}${t.reason ? `\n      why: ${t.reason}` : ''}`;
		}),
	);
	return [
		table(header, lines),
		'',
		'Details',
		...notes,
		'',
		'Targets (goals, not test assertions)',
		...targets,
	].join('\n');
}
