/**
 * Work a process does besides serving requests: seeding an empty database, the start-up banner, and the
 * background duties — the demo traffic simulator, expiring positions, pruning the event log and the
 * process list, raising and clearing supervisor alerts. However many processes share the database, one
 * of them runs the duties at a time (processes/duties.ts); seeding takes its own lock (seed/index.ts).
 * Everything registers a stop hook so shutdown is clean, and every timer is unref'd so it never keeps the
 * process alive.
 */
import { lt } from 'drizzle-orm';
import { sweepAlerts, watchAlertEvents } from './alerts/engine';
import { printBanner } from './banner';
import { config } from './config';
import { events } from './db/schema';
import { type SeedSummary, seedIfEmpty } from './db/seed';
import { type StopDuties, holdDuties } from './processes/duties';
import { pruneProcesses } from './processes/heartbeat';
import { processIdentity } from './processes/identity';
import type { Runtime } from './runtime';
import { expireDuePositions } from './services/positions';
import { startSimulator } from './sim/simulator';

const inTests = Boolean(process.env.VITEST) || process.env.NODE_ENV === 'test';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export async function startBackground(runtime: Runtime) {
	const { ctx } = runtime;
	let seeded: SeedSummary | null = null;
	if (config.seed === 'auto') {
		seeded = await seedIfEmpty(ctx);
		if (seeded) ctx.log.info(seeded, 'demo province seeded');
	}

	const simRate = inTests ? 0 : config.simRate;
	const duties = holdDuties(runtime.database, ctx.log, () => startDuties(runtime, simRate));
	runtime.duties = duties;
	runtime.stopHooks.push(duties.stop);
	// One banner for a set of processes (APP_WORKER is 1…N under APP_PROCESSES, unset when standalone).
	const worker = processIdentity().worker;
	if (!inTests && (worker === null || worker === 1)) printBanner({ database: runtime.database.describe, seeded, simRate });
}

/** Start every duty; returns what stops them all (the lock was lost, or the process stops). */
async function startDuties(runtime: Runtime, simRate: number): Promise<StopDuties> {
	const { ctx } = runtime;
	const stops: StopDuties[] = [];

	/** Run now-ish and then every `ms`; one run at a time; failures logged, never thrown. */
	const every = (ms: number, name: string, work: () => Promise<unknown>, firstAfter = ms) => {
		let busy = false;
		const run = () => {
			if (busy) return;
			busy = true;
			work()
				.catch((error) => ctx.log.warn({ err: error }, `${name} failed`))
				.finally(() => (busy = false));
		};
		const first = setTimeout(run, firstAfter);
		const timer = setInterval(run, ms);
		first.unref();
		timer.unref();
		stops.push(() => {
			clearTimeout(first);
			clearInterval(timer);
		});
	};
	every(MINUTE, 'position expiry', async () => {
		const expired = await expireDuePositions(ctx);
		if (expired) ctx.log.info({ expired }, 'positions expired');
	}, 5_000);
	// Alerts: at once after the events that can change them, and swept for what time alone changes.
	const alertWatcher = watchAlertEvents(ctx, runtime.relay);
	stops.push(alertWatcher.stop);
	every(config.alertSweepSeconds * 1000, 'alert sweep', () => sweepAlerts(ctx), 5_000);
	every(DAY, 'event log pruning', async () => {
		const before = new Date(ctx.now().getTime() - config.eventRetentionDays * DAY);
		await ctx.db.delete(events).where(lt(events.at, before));
	}, MINUTE);
	every(10 * MINUTE, 'process list pruning', () => pruneProcesses(ctx), MINUTE);

	if (simRate > 0) {
		const sim = await startSimulator(ctx, simRate);
		stops.push(sim.stop);
	}
	return async () => {
		for (const stop of stops.reverse()) await stop();
	};
}
