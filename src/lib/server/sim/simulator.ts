/**
 * Demo traffic: while the app runs, people check in and out, staff record the services they give and post
 * odd jobs, employers post and get approved, seekers apply and employers answer them — at a human pace
 * (SIM_RATE=1: a few events a second across the province), through the same services real users go through, acting as the demo
 * province's own staff, employers and seekers. Refusals (a full station) are normal traffic: counted.
 */
import type { AppContext } from '../context';
import { asServiceError } from '../errors';
import { Random } from '../db/seed/random';
import { loadCast } from './cast';
import { type StepDeps, counter, employerPosts, employerResponds, oddJob, registerWalkIn, seekerApplies, serviceGiven } from './steps';

export { dailyLoad } from './curve';

export interface SimulatorStats {
	actions: number;
	refusals: number;
	errors: number;
	/** Completed steps per kind, and refusals per reason: what the demo has been doing. */
	byStep: Record<string, number>;
	byRefusal: Record<string, number>;
}

export interface Simulator {
	stats: SimulatorStats;
	stop: () => Promise<void>;
}

/** What happens how often: the counter dominates, as it does at a real station. */
const STEPS: Array<[name: string, step: (deps: StepDeps) => Promise<void>, weight: number]> = [
	['counter', counter, 70],
	['service', serviceGiven, 14],
	['odd_job', oddJob, 6],
	['employer_posts', employerPosts, 4],
	['seeker_applies', seekerApplies, 12],
	['employer_responds', employerResponds, 6],
	['walk_in', registerWalkIn, 2]
];

/** Steps per second at SIM_RATE=1. */
const BASE_STEPS_PER_SECOND = 2.5;

export async function startSimulator(ctx: AppContext, rate: number, options: { seed?: number } = {}): Promise<Simulator> {
	const stats: SimulatorStats = { actions: 0, refusals: 0, errors: 0, byStep: {}, byRefusal: {} };
	const cast = rate > 0 ? await loadCast(ctx) : null;
	if (!cast) return { stats, stop: async () => {} };

	// Wall-clock seeded: two processes on one database do not replay the same people.
	const rnd = new Random(options.seed ?? Date.now() % 2 ** 31);
	let n = 0;
	const key = () => `sim-${Date.now().toString(36)}-${(n++).toString(36)}-${rnd.int(0, 1e6).toString(36)}`;
	const deps: StepDeps = { ctx, cast, rnd, key };
	const table = STEPS.map(([name, step, weight]) => [[name, step] as const, weight] as const);

	// Faster rates run a few steps side by side; a slow database makes the simulator skip, never pile up.
	const maxInFlight = Math.max(1, Math.min(8, Math.ceil(rate / 2)));
	const interval = Math.max(10, 1000 / (BASE_STEPS_PER_SECOND * rate));
	let inFlight = 0;
	let stopped = false;
	const running = new Set<Promise<void>>();

	const runOne = () => {
		const [name, step] = rnd.weighted(table);
		inFlight++;
		const done = step(deps)
			.then(() => {
				stats.actions++;
				stats.byStep[name] = (stats.byStep[name] ?? 0) + 1;
			})
			.catch((error) => {
				// A full station, a position filled meanwhile: refusals people see too. Anything else
				// (bad input, out of scope) would be a simulator bug, and counts as an error.
				const known = asServiceError(error);
				if (known && (known.code === 'conflict' || known.code === 'not_found' || known.code === 'rate_limited')) {
					stats.refusals++;
					stats.byRefusal[known.reason] = (stats.byRefusal[known.reason] ?? 0) + 1;
				} else {
					stats.errors++;
					if (stats.errors % 50 === 1) ctx.log.warn({ err: error, step: name }, 'simulator step failed');
				}
			})
			.finally(() => {
				inFlight--;
				running.delete(done);
			});
		running.add(done);
	};

	const timer = setInterval(() => {
		if (!stopped && inFlight < maxInFlight) runOne();
	}, interval);
	timer.unref();
	return {
		stats,
		// Stop and let the steps under way finish, so shutdown does not close the database under them.
		stop: async () => {
			stopped = true;
			clearInterval(timer);
			await Promise.allSettled([...running]);
		}
	};
}
