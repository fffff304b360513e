/**
 * Work a process does besides serving requests: seeding an empty database, the start-up banner, the demo
 * traffic simulator, expiring positions, pruning the event log, raising and clearing supervisor alerts.
 * Each piece registers a stop hook so shutdown is clean, and every timer is unref'd so it never keeps the
 * process alive.
 */
import { lt } from 'drizzle-orm';
import { sweepAlerts, watchAlertEvents } from './alerts/engine';
import { printBanner } from './banner';
import { config } from './config';
import { events } from './db/schema';
import { type SeedSummary, seedIfEmpty } from './db/seed';
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
		runtime.stopHooks.push(() => {
			clearTimeout(first);
			clearInterval(timer);
		});
	};
	every(MINUTE, 'position expiry', async () => {
		const expired = await expireDuePositions(ctx);
		if (expired) ctx.log.info({ expired }, 'positions expired');
	}, 5_000);
	// Alerts: at once after the events that can change them, and swept for what time alone changes.
	// Every process runs both; the alerts' unique index and subject locks keep them from doubling up.
	const alertWatcher = watchAlertEvents(ctx, runtime.relay);
	runtime.stopHooks.push(alertWatcher.stop);
	every(config.alertSweepSeconds * 1000, 'alert sweep', () => sweepAlerts(ctx), 5_000);
	every(DAY, 'event log pruning', async () => {
		const before = new Date(ctx.now().getTime() - config.eventRetentionDays * DAY);
		await ctx.db.delete(events).where(lt(events.at, before));
	}, MINUTE);

	const simRate = inTests ? 0 : config.simRate;
	if (simRate > 0) {
		const sim = await startSimulator(ctx, simRate);
		runtime.stopHooks.push(sim.stop);
	}
	if (!inTests) printBanner({ database: runtime.database.describe, seeded, simRate });
}
