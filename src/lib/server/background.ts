/**
 * Work a process does besides serving requests: seeding an empty database, the demo traffic simulator,
 * expiring positions, pruning the event log. Each piece registers a stop hook so shutdown is clean.
 */
import { lt } from 'drizzle-orm';
import { printBanner } from './banner';
import { config } from './config';
import { events } from './db/schema';
import { isSeeded, seedDemo } from './db/seed';
import type { Runtime } from './runtime';
import { expireDuePositions } from './services/positions';
import { startSimulator } from './sim/simulator';

const inTests = Boolean(process.env.VITEST) || process.env.NODE_ENV === 'test';

export async function startBackground(runtime: Runtime) {
	const { ctx } = runtime;
	let seeded = false;
	if (config.seed === 'auto' && !(await isSeeded(ctx))) {
		const started = Date.now();
		await seedDemo(ctx);
		seeded = true;
		ctx.log.info({ ms: Date.now() - started }, 'demo province seeded');
	}

	const every = (ms: number, name: string, work: () => Promise<unknown>) => {
		const timer = setInterval(() => work().catch((error) => ctx.log.warn({ err: error }, `${name} failed`)), ms);
		timer.unref();
		runtime.stopHooks.push(() => clearInterval(timer));
	};
	every(60_000, 'position expiry', () => expireDuePositions(ctx));
	every(6 * 3_600_000, 'event pruning', () =>
		ctx.db.delete(events).where(lt(events.at, new Date(ctx.now().getTime() - config.eventRetentionDays * 86_400_000)))
	);

	const simRate = inTests ? 0 : config.simRate;
	if (simRate > 0) {
		const sim = await startSimulator(ctx, simRate);
		runtime.stopHooks.push(sim.stop);
	}
	if (!inTests) printBanner({ database: runtime.database.describe, seeded, simRate });
}
