/** The one output format of every benchmark (the team's BENCH.md): one JSON object per figure. */
export interface Figure {
	metric: string;
	value: number;
	unit: string;
	n: number;
	baseline?: number;
	goal: string;
}

export function formatFigure(f: Figure): string {
	const out: Figure = { metric: f.metric, value: round(f.value), unit: f.unit, n: f.n, goal: f.goal };
	if (f.baseline !== undefined) out.baseline = round(f.baseline);
	// Key order as in BENCH.md: metric, value, unit, n, baseline, goal.
	const { goal, ...rest } = out;
	return JSON.stringify({ ...rest, goal });
}

export function percentile(values: number[], p: number): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A duration for a log line: `12.3 ms`. */
export const ms = (v: number) => `${v.toFixed(1)} ms`;

function round(v: number) {
	return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100;
}
