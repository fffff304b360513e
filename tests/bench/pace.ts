/**
 * Offered load at a fixed rate that does not drift: task k is due at `start + k / rate`, whatever happened
 * to the tasks before it. A sleep that overshoots, or a slow write, makes later tasks start late but never
 * shifts the schedule (the pacer catches up by starting every task already due), and up to `maxInFlight`
 * tasks run at once, so one slow write does not hold back the ones due behind it. A pacer that slept
 * `1 / rate` after each write would quietly offer less than the rate it claims.
 */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface PaceOptions {
	/** Tasks per second. */
	rate: number;
	count: number;
	maxInFlight: number;
	/** Runs task `index`; a rejection is counted, never thrown. */
	task: (index: number) => Promise<void>;
	/** Clock in milliseconds (tests pass a fake one). */
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
}

export interface PaceResult {
	/** Clock value the schedule is measured from. */
	startedAt: number;
	/** When the last task was started, and when the last one finished. */
	lastStartAt: number;
	finishedAt: number;
	/** Most tasks running at once. */
	peakInFlight: number;
	/** Greatest delay of a start behind its due time, in ms. */
	maxStartLagMs: number;
	errors: unknown[];
}

export async function pace(options: PaceOptions): Promise<PaceResult> {
	const { rate, count, maxInFlight, task } = options;
	if (!(rate > 0) || !(maxInFlight >= 1)) throw new Error('pace: rate and maxInFlight must be positive');
	const now = options.now ?? (() => performance.now());
	const wait = options.sleep ?? sleep;
	const interval = 1000 / rate;
	const running = new Set<Promise<void>>();
	const errors: unknown[] = [];
	const startedAt = now();
	let lastStartAt = startedAt;
	let peakInFlight = 0;
	let maxStartLagMs = 0;
	let next = 0;
	while (next < count) {
		const due = startedAt + next * interval;
		const t = now();
		if (t < due) {
			await wait(due - t);
			continue;
		}
		if (running.size >= maxInFlight) {
			await Promise.race(running);
			continue;
		}
		maxStartLagMs = Math.max(maxStartLagMs, t - due);
		lastStartAt = t;
		const index = next++;
		const p: Promise<void> = Promise.resolve()
			.then(() => task(index))
			.catch((error: unknown) => {
				errors.push(error);
			})
			.finally(() => running.delete(p));
		running.add(p);
		peakInFlight = Math.max(peakInFlight, running.size);
	}
	await Promise.all(running);
	return { startedAt, lastStartAt, finishedAt: now(), peakInFlight, maxStartLagMs, errors };
}
