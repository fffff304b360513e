/**
 * Arithmetic of the board suite, kept apart so it can be tested without a browser: when a position reached
 * a board's DOM, and how much a page's heap grew over a soak.
 */

/**
 * Latency of each written position to the page's DOM: the first time an element for it was added, minus
 * the moment its write committed (both wall-clock ms on this machine), or null when it never appeared.
 */
export function domLatencies(written: { positionId: number; committedAt: number }[], added: [positionId: number, at: number][]): (number | null)[] {
	const first = new Map<number, number>();
	for (const [id, at] of added) if (!first.has(id) || at < first.get(id)!) first.set(id, at);
	return written.map((w) => {
		const at = first.get(w.positionId);
		// Millisecond clocks on both sides: an arrival in the commit's own millisecond reads as 0, never below.
		return at === undefined ? null : Math.max(0, at - w.committedAt);
	});
}

export interface Sample {
	/** Seconds since the soak's measured window began. */
	t: number;
	value: number;
}

/**
 * Growth over the window in percent of where it started, read from a least-squares line through the
 * samples rather than from the first and last sample alone: one sample taken just before a collection
 * finished, or with a burst of events in flight, then moves the figure a little instead of deciding it.
 */
export function fittedGrowthPct(samples: Sample[]): number {
	if (samples.length < 2) return NaN;
	const n = samples.length;
	const mt = samples.reduce((s, x) => s + x.t, 0) / n;
	const mv = samples.reduce((s, x) => s + x.value, 0) / n;
	let num = 0;
	let den = 0;
	for (const { t, value } of samples) {
		num += (t - mt) * (value - mv);
		den += (t - mt) ** 2;
	}
	if (den === 0) return NaN;
	const slope = num / den;
	const t0 = samples[0].t;
	const t1 = samples[n - 1].t;
	const start = mv + slope * (t0 - mt);
	return ((slope * (t1 - t0)) / start) * 100;
}
